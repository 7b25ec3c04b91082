"""The outputs that docs/collectives.md and docs/validation.md quote must be what the binary prints
(bench timings in docs/performance.md vary and are not checked)."""
import os
import re
import shlex
import subprocess

import pytest

TRAINSIM = os.environ.get("TRAINSIM", "build/release/trainsim")
DATA = os.environ.get("TRAINSIM_DATA", ".")


def quoted_runs(doc):
    with open(os.path.join(DATA, "docs", doc)) as f:
        text = f.read()
    runs = []
    for block in re.findall(r"```\n(.*?)```", text, re.S):
        lines = block.rstrip("\n").split("\n")
        if lines[0].startswith("$ trainsim ") and "bench" not in lines[0]:
            runs.append((shlex.split(lines[0][2:])[1:], "\n".join(lines[1:])))
    return runs


RUNS = quoted_runs("collectives.md") + quoted_runs("validation.md")


def test_the_docs_quote_the_three_presets_and_the_validation():
    commands = [" ".join(args) for args, _ in RUNS]
    for preset in ("4x-rtx3090-pcie", "4x-rtx3090-nvlink-pairs", "4x-h100-sxm-nvswitch"):
        assert any(preset in c for c in commands), preset
    assert "validate --collectives" in commands


@pytest.mark.parametrize("args,expected", RUNS, ids=[" ".join(a) for a, _ in RUNS])
def test_quoted_output_is_current(args, expected):
    r = subprocess.run([TRAINSIM, *args], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip("\n") == expected
