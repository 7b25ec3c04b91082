"""Shared fixtures for the analysis and trace tests: the trainsim binary ($TRAINSIM), a sample
file from the hidden `trainsim _trace-sample` command, and the analysis module on sys.path."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("TRAINSIM", str(ROOT / "build" / "release" / "trainsim"))
sys.path.insert(0, str(ROOT / "analysis"))


def run(*args, check=True, timeout=600):
    """Runs trainsim with args; returns the CompletedProcess. check: expect exit 0."""
    env = dict(os.environ)
    env.setdefault("TRAINSIM_DATA", str(ROOT))
    proc = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"trainsim {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """A file with every table of the schema, and the Chrome trace of iterations 1 to 2."""
    folder = tmp_path_factory.mktemp("sample")
    h5, js = folder / "sample.h5", folder / "sample.json"
    run("_trace-sample", "-o", h5, "--chrome-trace", js, "--chrome-iterations", "1:2")
    return {"h5": h5, "json": js, "folder": folder}
