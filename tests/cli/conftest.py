"""Shared helpers for the CLI tests: run the trainsim binary named by $TRAINSIM."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("TRAINSIM", str(ROOT / "build" / "release" / "trainsim"))


def run(*args, input=None, check=True, timeout=600):
    """Runs trainsim with args; returns the CompletedProcess. check: expect exit 0."""
    env = dict(os.environ)
    env.setdefault("TRAINSIM_DATA", str(ROOT))
    proc = subprocess.run([BINARY, *map(str, args)], input=input, capture_output=True, text=True,
                          timeout=timeout, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"trainsim {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def run_json(*args):
    return json.loads(run(*args, "--json").stdout)


@pytest.fixture
def root():
    return ROOT


def marked_processes(marker):
    """pids of live (not zombie) processes whose environment carries `marker`: a command started
    with it in its environment, and every child it started."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if marker.encode() not in f.read():
                    continue
            with open(f"/proc/{pid}/stat") as s:
                if s.read().split(") ")[-1].split()[0] != "Z":
                    found.append(int(pid))
        except OSError:
            pass
    return found
