"""A sweep on a real Slurm (docs/sweeps.md, "Beyond one machine"): a one-node Slurm from Debian's
slurm-wlm and munge, started as root on loopback with its configuration, state and munge socket in
a temporary folder, runs the sweep as `sbatch --array`; the merged shards must equal a -j 2 run of
the same sweep bit for bit. Skipped, with the reason, when not root or when the daemons do not
start. The daemons are always stopped, and every wait is bounded."""
import os
import shutil
import signal
import socket
import subprocess
import time

import h5py
import pytest

from conftest import BINARY, ROOT, run

SWEEP = """base:
  platform: 2x-rtx3090-pcie
  workload: {model: resnet18, image_px: 224, batch_per_gpu: 32, dataset: {images: 6400},
             dataloader: {workers_per_gpu: 2}}
  run: {iterations: 12}
axes:
  platform.pcie.gen: [3, 4, 5]
  workload.batch_per_gpu: [16, 32]
"""
TASKS = 3
START_S = 30   # for the daemons to come up
JOB_S = 240    # for the array to finish


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(d, host):
    for sub in ("state", "spool", "log"):
        (d / sub).mkdir()
    conf = d / "slurm.conf"
    conf.write_text(f"""ClusterName=trainsim-test
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={d / 'munge.sock'}
CredType=cred/munge
StateSaveLocation={d / 'state'}
SlurmdSpoolDir={d / 'spool'}
SlurmctldPidFile={d / 'slurmctld.pid'}
SlurmdPidFile={d / 'slurmd.pid'}
SlurmctldLogFile={d / 'log' / 'slurmctld.log'}
SlurmdLogFile={d / 'log' / 'slurmd.log'}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName={host} NodeAddr=127.0.0.1 CPUs={os.cpu_count()} State=UNKNOWN
PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP
""")
    return conf


class Slurm:
    """munged, slurmctld and slurmd in the foreground of their own process groups."""

    def __init__(self, d):
        self.d = d
        self.host = socket.gethostname().split(".")[0]
        self.conf = write_config(d, self.host)
        self.env = dict(os.environ, SLURM_CONF=str(self.conf))
        self.procs = []

    def start(self):
        key = self.d / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        self._spawn(["munged", "-F", "--force", f"--socket={self.d / 'munge.sock'}", f"--key-file={key}",
                     f"--pid-file={self.d / 'munged.pid'}", f"--log-file={self.d / 'log' / 'munged.log'}",
                     f"--seed-file={self.d / 'munge.seed'}"])
        self._wait(lambda: (self.d / "munge.sock").exists(), "munged made no socket")
        self._spawn(["slurmctld", "-D", "-c", "-f", str(self.conf)])
        self._spawn(["slurmd", "-D", "-f", str(self.conf), "-N", self.host])
        self._wait(self._node_idle, "the node did not come up idle")

    def _spawn(self, cmd):
        log = open(self.d / "log" / (os.path.basename(cmd[0]) + ".out"), "w")
        self.procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                           start_new_session=True))

    def _node_idle(self):
        p = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, env=self.env, timeout=10)
        return p.returncode == 0 and "idle" in p.stdout

    def _wait(self, ready, what):
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.procs):
                break
            try:
                if ready():
                    return
            except subprocess.TimeoutExpired:
                pass
            time.sleep(0.5)
        raise RuntimeError(what + ": " + self.logs())

    def logs(self):
        out = []
        for f in sorted((self.d / "log").iterdir()):
            text = f.read_text(errors="replace").strip().splitlines()[-3:]
            out.append(f"{f.name}: " + " | ".join(text))
        return "; ".join(out)

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in reversed(self.procs):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)


@pytest.fixture
def slurm(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the real-Slurm sweep test starts slurmctld, slurmd and munged: it needs root (skipped)")
    missing = [b for b in ("munged", "slurmctld", "slurmd", "sbatch", "sinfo") if shutil.which(b) is None]
    if missing:
        pytest.skip(f"slurm-wlm and munge are not installed (no {', '.join(missing)}): scripts/install-deps.sh installs them")
    d = tmp_path / "slurm"
    d.mkdir()
    d.chmod(0o700)
    s = Slurm(d)
    try:
        try:
            s.start()
        except (RuntimeError, OSError) as e:
            pytest.skip(f"the Slurm daemons could not start here: {e}")
        yield s
    finally:
        s.stop()


def table(path):
    with h5py.File(path) as f:
        return f["sweep/points"][:].tobytes(), dict(f["sweep"].attrs)


def test_a_sweep_as_an_sbatch_array_merges_into_the_j2_run(slurm, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    sweep = work / "sweep.yaml"
    sweep.write_text(SWEEP)
    script = work / "sweep.sbatch"
    script.write_text(f"""#!/bin/bash
#SBATCH --job-name=trainsim-sweep
#SBATCH --array=0-{TASKS - 1}
#SBATCH --cpus-per-task=1
#SBATCH --output={work}/task-%a.log
set -euo pipefail
"{BINARY}" sweep "{sweep}" -j 1 -o "{work}/part-$SLURM_ARRAY_TASK_ID.h5"
""")
    env = dict(slurm.env, TRAINSIM_DATA=os.environ.get("TRAINSIM_DATA", str(ROOT)))
    try:
        p = subprocess.run(["sbatch", "--wait", "--chdir", str(work), str(script)], capture_output=True, text=True,
                           env=env, timeout=JOB_S)
    except subprocess.TimeoutExpired:
        subprocess.run(["scancel", "--name", "trainsim-sweep"], env=env, timeout=10)
        pytest.fail(f"the array did not finish within {JOB_S} s: " + slurm.logs())
    logs = " ".join((work / f"task-{k}.log").read_text() for k in range(TASKS) if (work / f"task-{k}.log").exists())
    assert p.returncode == 0, p.stdout + p.stderr + logs + slurm.logs()
    parts = [work / f"part-{k}.h5" for k in range(TASKS)]
    for k, part in enumerate(parts):
        _, attrs = table(part)
        assert (attrs["shard_index"], attrs["shard_count"]) == (k, TASKS)  # from SLURM_ARRAY_TASK_* alone
    run("merge", work / "merged.h5", *parts, "--csv", work / "merged.csv")
    run("sweep", sweep, "-j", "2", "-o", work / "j2.h5", "--csv", work / "j2.csv")
    assert (work / "merged.csv").read_text() == (work / "j2.csv").read_text()
    merged, merged_attrs = table(work / "merged.h5")
    whole, whole_attrs = table(work / "j2.h5")
    assert merged == whole
    assert merged_attrs["sweep_id"] == whole_attrs["sweep_id"]
