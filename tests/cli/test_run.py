"""trainsim run on the shipped scenarios: approved outputs, JSON keys, bad scenarios, validation."""
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, run

SCENARIOS = ["hrnet-w44-4x3090-pcie", "hrnet-w44-4x3090-nvlink-pairs", "hrnet-w44-4x-h100-nvswitch", "resnet50-8x-a100"]
EXPECTED = Path(__file__).parent / "expected"


def strip_varying(text):
    """What legitimately varies between runs of the same scenario: the host's time."""
    return re.sub(r"replayed (\d+) activities in [0-9.]+ s", r"replayed \1 activities in <wall> s", text)


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_output_matches_the_approved_file(name):
    out = run("run", ROOT / "scenarios" / f"{name}.yaml", "--iterations", 30).stdout
    got = strip_varying(out)
    approved = EXPECTED / f"run-{name}.txt"
    if not approved.exists():  # first run: write it for review, and fail
        approved.write_text(got)
        pytest.fail(f"wrote {approved}: review it and commit it")
    assert got == approved.read_text()


def test_run_json_keys_and_consistency():
    j = json.loads(run("run", ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml", "--iterations", 20, "--json").stdout)
    for key in ["images_per_s", "iteration_s", "split_s", "epoch_s", "run_s", "scaling_efficiency", "batch_per_gpu", "gpus"]:
        assert key in j
    assert set(j["iteration_s"]) == {"mean", "p50", "p99"}
    assert set(j["split_s"]) == {"compute", "exposed_comm", "data_stall"}
    assert j["gpus"] == 4 and j["batch_per_gpu"] == 2
    # images/s is the global batch over the mean iteration
    assert j["images_per_s"] == pytest.approx(8 / j["iteration_s"]["mean"], rel=1e-9)
    # the split adds up to about the iteration (each rank's own iteration; averaged over ranks)
    split = sum(j["split_s"].values())
    assert split == pytest.approx(j["iteration_s"]["mean"], rel=0.02)
    assert 0.5 < j["scaling_efficiency"] <= 1.0


def test_same_seed_same_output_other_seed_other_output():
    args = ("run", ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml", "--iterations", 20, "--no-baseline", "--json")
    a = json.loads(run(*args).stdout)
    b = json.loads(run(*args).stdout)
    c = json.loads(run(*args, "--seed", 99).stdout)
    for j in (a, b, c):
        del j["wall_s"], j["cpu_s"]
    assert a == b
    assert a != c


def test_scenario_from_standard_input_and_auto_batch():
    text = (ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml").read_text().replace("batch_per_gpu: 2", "batch_per_gpu: auto")
    j = json.loads(run("run", "-", "--iterations", 5, "--no-baseline", "--json", input=text).stdout)
    assert j["batch_per_gpu"] >= 2


BAD = [
    ("workload:\n  model: dbnet-hrnet-w44\n", "platform"),
    ("platform: 4x-rtx3090-pcie\nworkload: {model: dbnet-hrnet-w45, dataset: {images: 10}}\nrun: {epochs: 1}\n", "did you mean"),
    ("platform: 4x-rtx3090-pcie\nworkload: {model: resnet50, dataset: {images: 10}, precison: amp}\nrun: {epochs: 1}\n",
     "did you mean 'precision'"),
    ("platform: 4x-rtx3090-pcie\nworkload: {model: resnet50, dataset: {images: 10}, batch_per_gpu: 4096}\nrun: {epochs: 1}\n",
     "the largest that fits"),
    ("platform: 1x-a100-sxm4-80gb\nworkload: {model: resnet50, dataset: {images: 10}, precision: fp8}\nrun: {epochs: 1}\n",
     "fp8"),
    ("platform: 4x-rtx3090-pcie\nworkload: {model: resnet50, dataset: {images: 10}}\nrun: {epochs: 1, iterations: 5}\n",
     "exactly one of epochs or iterations"),
    ("platform: 4x-rtx3090-pcie\nworkload: {model: resnet50, dataset: {images: -3}}\nrun: {epochs: 1}\n", "images"),
    ("platform: 4x-rtx3090-pcie\nworkload: {model: resnet50, image_px: .nan, dataset: {images: 3}}\nrun: {epochs: 1}\n",
     "image size"),
]


@pytest.mark.parametrize("text,fragment", BAD)
def test_bad_scenarios_give_one_line_with_the_line_and_status_2(text, fragment, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    p = run("run", f, "--no-baseline", check=False)
    assert p.returncode == 2, p.stderr
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, p.stderr
    assert re.match(rf"trainsim: error: {re.escape(str(f))}:\d+:\d+: ", lines[0]), lines[0]
    assert fragment in lines[0]


def test_validate_scaling_median_error_within_15_percent():
    j = json.loads(run("validate", "--scaling", "--json").stdout)
    assert len(j["rows"]) >= 10
    assert j["median_abs_error"] <= 0.15, j


def test_bench_run_reports_both_rates():
    j = json.loads(run("bench", "run", "--iterations", 60, "--json").stdout)
    for key in ["activities_per_s", "baseline_activities_per_s", "ratio", "hrnet_stage_wall_s", "peak_rss_mib",
                "baseline_peak_rss_mib"]:
        assert key in j
    # a process with SimGrid, the catalogs and a replay in it: more than 5 MiB, less than 2 GiB
    assert 5 < j["peak_rss_mib"] < 2048 and 5 < j["baseline_peak_rss_mib"] < 2048
    assert j["activities"] > 10000
    # the bare graph has the replay's size (whole iterations: it may overshoot by less than one)
    assert j["activities"] <= j["baseline_activities"] < j["activities"] * 1.05
    assert j["ratio"] == pytest.approx(j["activities_per_s"] / j["baseline_activities_per_s"])


def test_run_writes_its_trace(tmp_path):
    import h5py
    import pandas as pd
    out = tmp_path / "run.h5"
    run("run", ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml", "--iterations", 12, "--no-baseline",
        "-o", out, "--trace", "events")
    with h5py.File(out, "r") as f:
        assert f.attrs["schema_version"] == 1
        assert "dbnet-hrnet-w44" in f.attrs["scenario"].decode() if isinstance(f.attrs["scenario"], bytes) else f.attrs["scenario"]
        it = pd.DataFrame(f["/runs/main/iterations"][:])
        ev = pd.DataFrame(f["/runs/main/events"][:])
    assert len(it) == 12
    assert (it["end"] > it["start"]).all()
    # every rank ran a forward and an optimizer in every iteration
    kinds = h5py.check_enum_dtype  # noqa: F841 (the kind column is a plain integer enum)
    assert len(ev[ev["kind"] == 2]) == 12 * 4 and len(ev[ev["kind"] == 5]) == 12 * 4
    assert not list(tmp_path.glob("run.h5.*"))  # no temporary file left


def test_a_dataset_smaller_than_one_global_batch_trains_on_each_ranks_share():
    """DistributedSampler gives each of 4 ranks ceil(4 / 4) = 1 image: the DataLoader yields one
    batch of 1 (drop_last=False), not the scenario's 2, and images/s counts those."""
    text = (ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml").read_text()
    assert "batch_per_gpu: 2" in text
    text = re.sub(r"images: [0-9_]+", "images: 4", text, count=1)
    j = json.loads(run("run", "-", "--iterations", 6, "--no-baseline", "--json", input=text).stdout)
    assert j["batch_per_gpu"] == 1
    assert j["iterations_per_epoch"] == 1
    assert j["images_per_s"] == pytest.approx(4 / j["iteration_s"]["mean"], rel=1e-9)


def test_sampled_replay_of_short_epochs_takes_whole_epochs_as_observations():
    """16 images on 4 GPUs at batch 2: 2 iterations per epoch, 48 epochs, too short to sample
    inside. The sampled replay replays the first 4 epochs (one shape: no validation, no checkpoint)
    and lets them stand in turn for the rest, with the CI of their mean; the full replay is within it."""
    text = re.sub(r"images: [0-9_]+", "images: 16", (ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml").read_text(), count=1)
    full = json.loads(run("run", "-", "--no-baseline", "--json", "--replay", "full", input=text).stdout)
    sampled = json.loads(run("run", "-", "--no-baseline", "--json", "--replay", "sampled", input=text).stdout)
    assert full["iterations_per_epoch"] == 2 and full["iterations_replayed"] == 96
    assert sampled["iterations_replayed"] == 8
    ci = sampled["ci"]["run_s"]
    assert 0 < ci < 0.1 * full["run_s"]
    assert abs(sampled["run_s"] - full["run_s"]) <= ci
