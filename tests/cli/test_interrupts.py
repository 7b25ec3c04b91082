"""Ctrl-C during a long `trainsim run -o`: no HDF5 file, whole or partial, no temporary file, and
no child (the 1-GPU baseline) left running. (Sweeps: tests/cli/test_sweep.py, with --resume.)"""
import os
import signal
import subprocess
import time
import uuid

from conftest import BINARY, ROOT, marked_processes


RUN = ["run", str(ROOT / "scenarios/hrnet-w44-4x3090-pcie.yaml"), "--trace", "events"]


def interrupt(tmp_path, wait_for, sig, command=RUN, output="run.h5"):
    """Starts a long command, waits until `wait_for(pid, marker)` holds, sends `sig`; returns the marker."""
    marker = f"TRAINSIM_TEST_MARK_{uuid.uuid4().hex}"
    proc = subprocess.Popen([BINARY, *command, "-o", str(tmp_path / output)],
                            env=dict(os.environ, **{marker: "1"}), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not wait_for(proc.pid, marker) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before the interrupt"
    assert wait_for(proc.pid, marker), "the awaited state never came"
    proc.send_signal(sig)
    assert proc.wait(timeout=30) == -sig
    return marker


def describe(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")[:100]
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().split(") ")[-1].split()[:2]
        return f"{pid} {state} {cmd}"
    except OSError:
        return f"{pid} (gone)"


def no_children_left(marker):
    deadline = time.monotonic() + 10
    while marked_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = marked_processes(marker)
    for pid in left:
        print("left running:", describe(pid))
    return left == []


def test_sigint_during_the_replay_leaves_no_file(tmp_path):
    marker = interrupt(tmp_path, lambda pid, _: (tmp_path / f"run.h5.tmp.{pid}").exists(), signal.SIGINT)
    assert os.listdir(tmp_path) == []
    assert no_children_left(marker)


def test_sigterm_during_the_baseline_kills_the_child(tmp_path):
    # the baseline runs in a child before the file is opened: two processes carry the marker
    marker = interrupt(tmp_path, lambda pid, m: len(marked_processes(m)) >= 2, signal.SIGTERM)
    assert os.listdir(tmp_path) == []
    assert no_children_left(marker), "the 1-GPU baseline outlived the interrupted run"


def test_sigint_during_a_campaign_leaves_no_part_file(tmp_path):
    # the runs simulate in children, each writing its part file (FILE.h5.part.<platform>.<run>)
    command = ["campaign", str(ROOT / "scenarios/ocr-campaign.yaml"), "--platform", "4x-rtx3090-pcie", "-j", "2"]
    marker = interrupt(tmp_path, lambda pid, _: any(".part." in p.name for p in tmp_path.iterdir()), signal.SIGINT,
                       command, "campaign.h5")
    assert os.listdir(tmp_path) == []
    assert no_children_left(marker)
