"""docs/sweeps.md: its example sweep file is a valid sweep (run one point of it), its quoted error
is what the binary prints for that file, and its Slurm script names options that exist."""
import re
import shlex

from conftest import ROOT, run

DOC = (ROOT / "docs" / "sweeps.md").read_text()


def test_the_example_sweep_file_runs(tmp_path):
    block = re.search(r"```yaml\n(# a base scenario.*?)```", DOC, re.S).group(1)
    sweep = tmp_path / "example.yaml"
    # its base is a path relative to the sweep file: the shipped scenario
    sweep.write_text(block.replace("base: hrnet-w44-4x3090-pcie.yaml",
                                   f"base: {ROOT / 'scenarios' / 'hrnet-w44-4x3090-pcie.yaml'}"))
    out = run("sweep", sweep, "--shard", "0/12", "--replay", "sampled", "--json").stdout
    assert '"points": 12' in out and '"ok": 1' in out


def test_the_quoted_error_is_current(tmp_path):
    quoted = re.search(r"\$ trainsim sweep bad.yaml\n(trainsim: error: .*)\n", DOC).group(1)
    bad = tmp_path / "bad.yaml"
    bad.write_text("base:\n  platform: 2x-rtx3090-pcie\n  workload: {model: resnet18, image_px: 224, batch_per_gpu: 32,\n"
                   "             dataset: {images: 6400}}\n  run: {iterations: 12}\n"
                   "axes:\n  workload.batch_per_gpu: [8, eight]\n")
    proc = run("sweep", bad, check=False, )
    assert proc.returncode == 2
    assert proc.stderr.strip().replace(str(bad), "bad.yaml") == quoted


def test_the_slurm_script_uses_real_options():
    script = re.search(r"```bash\n(#!/bin/bash\n.*?)```", DOC, re.S).group(1)
    line = " ".join(l.rstrip("\\") for l in script.splitlines() if l.startswith(("trainsim", "    -o")))
    args = shlex.split(line)
    assert args[:3] == ["trainsim", "sweep", "scenarios/sweep-interconnect.yaml"]
    help_text = run("sweep", "--help").stdout
    for a in args:
        if a.startswith("-"):
            assert re.search(rf"(^|[ ,]){re.escape(a)}[ ,]", help_text, re.M), a
    assert "trainsim merge sweep.h5 part-*.h5 --csv sweep.csv" in DOC
    assert "--csv" in run("merge", "--help").stdout
