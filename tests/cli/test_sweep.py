"""trainsim sweep and merge: point order and determinism whatever -j, failing, crashing and
hanging points recorded while the others complete, shards merged (and refused when they do not
belong together), bad sweep files refused before anything runs."""
import csv
import io
import json
import os
import re
import subprocess

import h5py
import numpy as np
import pytest

from conftest import BINARY, ROOT, marked_processes, run

BASE = """base:
  platform: 2x-rtx3090-pcie
  workload: {model: resnet18, image_px: 224, batch_per_gpu: 32, dataset: {images: 6400},
             dataloader: {workers_per_gpu: 2}}
  run: {iterations: 12}
"""
GRID = BASE + """axes:
  platform.pcie.gen: [3, 4, 5]
  workload.batch_per_gpu: [16, 32]
"""


def write(tmp_path, text, name="sweep.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def run_env(env, *args):
    """trainsim with extra environment variables; expects exit 0."""
    proc = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, env=dict(os.environ, **env),
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc


def rows(csv_path):
    return list(csv.DictReader(io.StringIO(csv_path.read_text())))


def table(h5_path):
    with h5py.File(h5_path) as f:
        return f["sweep/points"][:], dict(f["sweep"].attrs)


def test_point_order_and_identical_tables_at_j1_and_j2(tmp_path):
    sweep = write(tmp_path, GRID)
    for j in (1, 2):
        run("sweep", sweep, "-j", j, "-o", tmp_path / f"j{j}.h5", "--csv", tmp_path / f"j{j}.csv")
    assert (tmp_path / "j1.csv").read_text() == (tmp_path / "j2.csv").read_text()
    a, attrs = table(tmp_path / "j1.h5")
    b, _ = table(tmp_path / "j2.h5")
    assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    got = rows(tmp_path / "j1.csv")
    assert [r["point"] for r in got] == [str(i) for i in range(6)]
    # the grid, the last axis fastest
    assert [(r["platform.pcie.gen"], r["workload.batch_per_gpu"]) for r in got] == [
        ("3", "16"), ("3", "32"), ("4", "16"), ("4", "32"), ("5", "16"), ("5", "32")]
    assert all(r["status"] == "ok" and r["error"] == "" for r in got)
    assert [int(r["batch_per_gpu"]) for r in got] == [16, 32] * 3
    # a bigger batch moves more images per second on the same GPUs
    assert float(got[1]["images_per_s"]) > float(got[0]["images_per_s"])
    assert a["platform.pcie.gen"].dtype == np.int64
    assert attrs["points_total"] == 6 and attrs["shard_count"] == 1 and len(attrs["sweep_id"]) == 64
    assert attrs["sweep"] == GRID


def test_a_point_that_does_not_fit_is_recorded_and_the_others_complete(tmp_path):
    sweep = write(tmp_path, BASE + "axes:\n  workload.batch_per_gpu: [32, 4096, 16]\n")
    out = json.loads(run("sweep", sweep, "-j", 2, "--json").stdout)
    assert (out["points"], out["ok"], out["failed"]) == (3, 2, 1)
    bad = out["rows"][1]
    assert bad["status"] == "failed"
    assert "workload.batch_per_gpu" in bad["error"] and "the largest that fits" in bad["error"]
    assert bad["images_per_s"] is None and bad["gpus"] == -1
    assert [r["status"] for r in out["rows"]] == ["ok", "failed", "ok"]
    assert all(r["images_per_s"] > 0 for r in out["rows"] if r["status"] == "ok")


def test_a_crashing_and_a_hanging_point_are_recorded(tmp_path):
    sweep = write(tmp_path, GRID)
    # the test aid of docs/sweeps.md: point 1 dies of SIGKILL, point 4 sleeps until --timeout
    proc = run_env({"TRAINSIM_TEST_SWEEP_FAULTS": "1:crash,4:hang"}, "sweep", sweep, "-j", 2, "--timeout", 3, "--json")
    out = json.loads(proc.stdout)
    status = [r["status"] for r in out["rows"]]
    assert status == ["ok", "crashed", "ok", "ok", "timeout", "ok"]
    assert "killed by signal 9" in out["rows"][1]["error"]
    assert "timed out after" in out["rows"][4]["error"]


def test_shards_merge_into_the_whole_sweep(tmp_path):
    sweep = write(tmp_path, GRID)
    run("sweep", sweep, "-o", tmp_path / "all.h5", "--csv", tmp_path / "all.csv")
    for k in range(3):
        run("sweep", sweep, "--shard", f"{k}/3", "-o", tmp_path / f"part{k}.h5", "--csv", tmp_path / f"part{k}.csv")
        assert [r["point"] for r in rows(tmp_path / f"part{k}.csv")] == [str(i) for i in range(k, 6, 3)]
    _, attrs = table(tmp_path / "part1.h5")
    assert (attrs["shard_index"], attrs["shard_count"], attrs["points_total"]) == (1, 3, 6)
    run("merge", tmp_path / "merged.h5", tmp_path / "part2.h5", tmp_path / "part0.h5", tmp_path / "part1.h5",
        "--csv", tmp_path / "merged.csv")
    assert (tmp_path / "merged.csv").read_text() == (tmp_path / "all.csv").read_text()
    a, attrs_all = table(tmp_path / "all.h5")
    m, attrs_merged = table(tmp_path / "merged.h5")
    assert a.tobytes() == m.tobytes()
    assert attrs_merged == attrs_all


def test_slurm_array_variables_pick_the_shard(tmp_path):
    sweep = write(tmp_path, GRID)
    run_env({"SLURM_ARRAY_TASK_ID": "11", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "3"},
            "sweep", sweep, "--csv", tmp_path / "s.csv")
    assert [r["point"] for r in rows(tmp_path / "s.csv")] == ["1", "4"]


def test_merge_refuses_another_sweep_overlaps_and_gaps(tmp_path):
    sweep = write(tmp_path, GRID)
    other = write(tmp_path, GRID.replace("[16, 32]", "[16, 24]"), "other.yaml")
    for k in range(2):
        run("sweep", sweep, "--shard", f"{k}/2", "-o", tmp_path / f"p{k}.h5")
    run("sweep", other, "--shard", "1/2", "-o", tmp_path / "q1.h5")
    cases = [
        ((tmp_path / "p0.h5", tmp_path / "q1.h5"), r"q1\.h5: key 'sweep_id'.*same sweep as .*p0\.h5"),
        ((tmp_path / "p0.h5", tmp_path / "p1.h5", tmp_path / "p1.h5"), r"key 'point': value '1'.*also in .*p1\.h5"),
        ((tmp_path / "p0.h5",), r"key 'point': value '1, 3, 5'.*3 of 6 are in none"),
        ((tmp_path / "p0.h5", tmp_path / "nothere.h5"), r"nothere\.h5"),
    ]
    for parts, pattern in cases:
        proc = run("merge", tmp_path / "m.h5", *parts, check=False)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and re.search(pattern, lines[0]), proc.stderr
        assert not list(tmp_path.glob("m.h5*"))


BAD = [
    ("axes:\n  workload.batch_size: [1, 2]\n", 7, 25, "expected a known key, one of: model"),
    ("axes:\n  workload.batch_per_gpu: [8, eight]\n", 7, 31, "(an integer); in point 1"),
    ("axes: {}\n", 6, 7, "at least one axis"),
    ("axes:\n  workload.batch_per_gpu: []\n", 7, 27, "non-empty list"),
    ("axes:\n  workload.batch_per_gpu: [8, 16\n", 8, 1, "valid YAML"),
    ("axes:\n  platform.pcie.gen: [4, 9]\n", 7, 26, "a PCIe generation, 1 to 6; in point 1"),
    ("points:\n  - {workload.precision: fp64}\n", 7, 26, "one of: fp32"),
    ("axes:\n  workload.model.depth: [1]\n", 7, 26, "a map at 'workload.model'"),
    ("axis:\n  seed: [1]\n", 6, 1, "did you mean 'axes'"),
]


@pytest.mark.parametrize("rest,line,col,fragment", BAD)
def test_bad_sweep_files_one_line_at_file_line_col_status_2_no_output(rest, line, col, fragment, tmp_path):
    sweep = write(tmp_path, BASE + rest, "bad.yaml")
    proc = run("sweep", sweep, "-o", tmp_path / "out.h5", "--csv", tmp_path / "out.csv", check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert f"bad.yaml:{line}:{col}:" in lines[0], lines[0]
    assert fragment in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]  # nothing written, not even a temp file


def test_the_shipped_interconnect_sweep_runs(tmp_path):
    """A slice of scenarios/sweep-interconnect.yaml (6 of its 54 points), sampled."""
    out = json.loads(run("sweep", ROOT / "scenarios" / "sweep-interconnect.yaml", "--shard", "0/9", "--replay", "sampled",
                         "-j", 2, "--json").stdout)
    assert out["points"] == 54
    assert [r["point"] for r in out["rows"]] == list(range(0, 54, 9))
    assert all(r["status"] == "ok" for r in out["rows"]), out["rows"]
    gpus = {r["platform.gpu"]: r for r in out["rows"]}
    assert set(gpus) == {"rtx3090", "h100-pcie-80gb"}
    assert gpus["h100-pcie-80gb"]["images_per_s"] > 1.5 * gpus["rtx3090"]["images_per_s"]
    assert all(r["iterations"] == 48 * 368 and r["iterations_replayed"] < 200 for r in out["rows"])
    assert all(0 < r["run_ci_s"] < 0.01 * r["run_s"] for r in out["rows"])


def test_bench_sweep_json():
    out = json.loads(run("bench", "sweep", "--points", 10, "--json").stdout)
    assert set(out) >= {"points", "wall_s_j1", "wall_s_j2", "points_per_s_j1", "points_per_s_j2", "identical"}
    assert out["points"] == 10 and out["ok"] == 10 and out["identical"] is True
    assert out["points_per_s_j1"] == pytest.approx(10 / out["wall_s_j1"])
    assert out["exec_cpu_ms_per_point"] > 0 and out["cpu_ratio_fork_vs_exec"] > 0


def test_forked_points_give_what_started_processes_give(tmp_path):
    sweep = write(tmp_path, GRID)
    run("sweep", sweep, "-j", 2, "--csv", tmp_path / "fork.csv")
    run_env({"TRAINSIM_SWEEP_EXEC": "1"}, "sweep", sweep, "-j", 2, "--csv", tmp_path / "exec.csv")
    assert (tmp_path / "fork.csv").read_text() == (tmp_path / "exec.csv").read_text()


def test_sigint_leaves_no_output_and_resume_redoes_no_finished_point(tmp_path):
    import signal
    import time
    import uuid
    sweep = write(tmp_path, GRID)
    run("sweep", sweep, "-j", 1, "-o", tmp_path / "ref.h5", "--csv", tmp_path / "ref.csv")
    marker = f"TRAINSIM_TEST_MARK_{uuid.uuid4().hex}"
    journal = tmp_path / "out.h5.journal"
    # point 4 hangs, so the sweep is surely in flight, with points 0-3 journaled, when Ctrl-C comes
    proc = subprocess.Popen([BINARY, "sweep", str(sweep), "-j", "1", "-o", str(tmp_path / "out.h5"),
                             "--csv", str(tmp_path / "out.csv")],
                            env=dict(os.environ, TRAINSIM_TEST_SWEEP_FAULTS="4:hang", **{marker: "1"}),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not journal.exists() or len(journal.read_text().splitlines()) < 5):
        time.sleep(0.05)
    assert len(journal.read_text().splitlines()) == 5, "points 0-3 journaled before the hanging point"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == -signal.SIGINT
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["out.h5.journal", "ref.csv", "ref.h5", "sweep.yaml"], left  # no output, no temporary file
    deadline = time.monotonic() + 10
    while marked_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marked_processes(marker) == [], "the hanging point's child was killed with the sweep"

    out = json.loads(run_env({"TRAINSIM_TEST_SWEEP_FAULTS": "0:crash,1:crash,2:crash,3:crash"}, "sweep", sweep,
                             "-j", 1, "-o", tmp_path / "out.h5", "--csv", tmp_path / "out.csv", "--resume",
                             "--json").stdout)
    # points 0-3 would crash if they ran again: they come from the journal
    assert out["resumed"] == 4 and out["ok"] == 6
    assert (tmp_path / "out.csv").read_text() == (tmp_path / "ref.csv").read_text()
    a, _ = table(tmp_path / "ref.h5")
    b, _ = table(tmp_path / "out.h5")
    assert a.tobytes() == b.tobytes()
    assert not journal.exists(), "the journal goes once the outputs hold every point"


def test_resume_refuses_the_journal_of_another_sweep(tmp_path):
    sweep = write(tmp_path, GRID)
    (tmp_path / "out.csv.journal").write_text(
        '{"trainsim_sweep_journal":1,"sweep_id":"' + "0" * 64 + '","shard":"0/1"}\n')
    proc = subprocess.run([BINARY, "sweep", str(sweep), "--csv", str(tmp_path / "out.csv"), "--resume"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "out.csv.journal:1:1" in lines[0] and "sweep_id" in lines[0], lines
    assert not (tmp_path / "out.csv").exists()
    proc = subprocess.run([BINARY, "sweep", str(sweep), "--resume"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--resume needs -o or --csv" in proc.stderr


SMALL_CAMPAIGN = ROOT / "tests" / "data" / "campaign-small.yaml"
CAMPAIGN_SWEEP = f"""base: {SMALL_CAMPAIGN}
axes:
  platform: [1x-rtx3090, 4x-rtx3090-pcie]
  stages.final.run.epochs: [1, 2]
"""


def test_a_sweep_over_a_campaign_gives_what_trainsim_campaign_gives(tmp_path):
    sweep = write(tmp_path, CAMPAIGN_SWEEP)
    out = json.loads(run("sweep", sweep, "-j", 2, "-o", tmp_path / "c.h5", "--json").stdout)
    assert out["ok"] == 4
    got = out["rows"]
    assert [(r["platform"], r["stages.final.run.epochs"]) for r in got] == [
        ("1x-rtx3090", 1), ("1x-rtx3090", 2), ("4x-rtx3090-pcie", 1), ("4x-rtx3090-pcie", 2)]
    # point 3 by hand: the campaign file with the final stage at 2 epochs, on the 4-GPU node
    text = SMALL_CAMPAIGN.read_text()
    assert "    run: {epochs: 4}\n" in text
    (tmp_path / "by-hand.yaml").write_text(text.replace("    run: {epochs: 4}\n", "    run: {epochs: 2}\n"))
    direct = json.loads(run("campaign", tmp_path / "by-hand.yaml", "--platform", "4x-rtx3090-pcie", "--json").stdout)[0]
    row = got[3]
    assert row["node"] == "4x-rtx3090-pcie" and row["gpus"] == 4
    for column, key in [("wall_hours", "total_wall_hours"), ("gpu_hours", "gpu_hours"), ("cost_usd", "cost_usd"),
                        ("energy_kwh", "energy_kwh"), ("co2_kg", "co2_kg"), ("runs", "runs"), ("simulated", "simulated")]:
        assert row[column] == direct[key], column  # bit for bit: the same simulations
    # a longer final stage takes longer; four GPUs finish sooner than one
    assert got[1]["wall_hours"] > got[0]["wall_hours"] and got[3]["wall_hours"] > got[2]["wall_hours"]
    assert got[2]["wall_hours"] < got[0]["wall_hours"]
    with h5py.File(tmp_path / "c.h5") as f:
        assert f["sweep"].attrs["replay"] == "campaign"
        assert list(f["sweep/points"]["wall_hours"]) == [r["wall_hours"] for r in got]


@pytest.mark.parametrize("rest,line,col,fragment", [
    ("axes:\n  stages.finale.run.epochs: [1]\n  platform: [1x-rtx3090]\n", 3, 30, "(warmup, sweep, sizes, final), not 'finale'"),
    ("axes:\n  stages.final.run.epochs: [1, -2]\n  platform: [1x-rtx3090]\n", 3, 32, "in point 1"),
    ("axes:\n  platform: [1x-rtx3090, 4x-rtx9090]\n", 3, 26, "4x-rtx9090"),
    ("axes:\n  economics.researcher_usd_per_hour: [10]\n", 1, 7, "a campaign on one platform"),
])
def test_bad_campaign_sweeps_are_refused_before_anything_runs(rest, line, col, fragment, tmp_path):
    sweep = write(tmp_path, f"base: {SMALL_CAMPAIGN}\n" + rest, "bad.yaml")
    proc = run("sweep", sweep, "--csv", tmp_path / "out.csv", check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert f"bad.yaml:{line}:{col}:" in lines[0], lines[0]
    assert fragment in lines[0], lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_replay_options_are_refused_for_a_campaign(tmp_path):
    sweep = write(tmp_path, CAMPAIGN_SWEEP)
    proc = run("sweep", sweep, "--replay", "sampled", check=False)
    assert proc.returncode == 2 and "--replay and --replay-ci apply to a sweep over a scenario" in proc.stderr


def test_trace_puts_each_points_run_in_the_sweep_file(tmp_path):
    sweep = write(tmp_path, GRID)
    run("sweep", sweep, "-j", 2, "-o", tmp_path / "t.h5", "--trace", "iterations")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.yaml", "t.h5"]  # the part files are gone
    with h5py.File(tmp_path / "t.h5") as f:
        points = f["sweep/points"][:]
        assert sorted(f["sweep/runs"]) == [f"point-{i}" for i in range(6)]
        for row in points:
            g = f[f"sweep/runs/point-{row['point']}"]
            assert g.attrs["iteration_mean_s"] == row["iteration_mean_s"]
            assert g.attrs["images_per_s"] == row["images_per_s"]
            assert len(g["iterations"]) == row["iterations"] == 12
    # a sweep without --trace has no runs
    run("sweep", sweep, "-j", 2, "-o", tmp_path / "n.h5")
    with h5py.File(tmp_path / "n.h5") as f:
        assert "runs" not in f["sweep"]


@pytest.mark.parametrize("text,args,fragment", [
    (GRID, ["--trace", "iterations"], "--trace needs -o FILE.h5"),
    (GRID, ["--trace", "all", "-o", "x.h5"], "one of: none, iterations, events"),
    (CAMPAIGN_SWEEP, ["--trace", "events", "-o", "x.h5"], "--trace applies to a sweep over a scenario"),
])
def test_bad_trace_options(text, args, fragment, tmp_path):
    sweep = write(tmp_path, text)
    args = [str(tmp_path / a) if a.endswith(".h5") else a for a in args]
    proc = run("sweep", sweep, *args, check=False)
    assert proc.returncode == 2 and fragment in proc.stderr, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.yaml"]


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("sweep-*.yaml")))
def test_every_shipped_sweep_checks(name):
    out = json.loads(run("sweep", ROOT / "scenarios" / name, "--check", "--json").stdout)
    assert out["checked"] is True and out["points"] > 0 and len(out["sweep_id"]) == 64


def test_check_runs_nothing_and_refuses_what_a_run_refuses(tmp_path):
    sweep = write(tmp_path, GRID)
    out = json.loads(run("sweep", sweep, "--check", "--json", "--shard", "1/4", "-o", tmp_path / "x.h5").stdout)
    assert out["points"] == 6 and out["shard_points"] == 2 and out["base"] == "scenario"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.yaml"]
    bad = write(tmp_path, BASE + "axes:\n  workload.batch_per_gpu: [8, eight]\n", "bad.yaml")
    proc = run("sweep", bad, "--check", check=False)
    assert proc.returncode == 2 and "bad.yaml:7:31:" in proc.stderr
