"""--replay sampled against the full replay on every shipped scenario, shortened so that the full
replay fits in the tests (the full 48- and 90-epoch runs take 10 s to 8 min; docs/scenarios.md
quotes those comparisons): epochs of 100 iterations, several epochs, and on one scenario
checkpoints every other epoch so that three epoch shapes are sampled."""
import json
import re

import pytest

from conftest import ROOT, run

# scenario -> (images per epoch for 100 iterations, epochs, extra workload lines)
SHORT = {
    "hrnet-w44-4x3090-pcie": (800, 5, "  checkpoint: {every_epochs: 2}\n"),
    "hrnet-w44-4x3090-nvlink-pairs": (800, 3, ""),
    "hrnet-w44-4x-h100-nvswitch": (4800, 3, ""),
    "resnet50-8x-a100": (204800, 3, ""),
}


def shortened(name):
    images, epochs, extra = SHORT[name]
    text = (ROOT / "scenarios" / f"{name}.yaml").read_text()
    text, n = re.subn(r"dataset: \{(like: [\w-]+, )?images: \d+", lambda m: f"dataset: {{{m.group(1) or ''}images: {images}",
                      text)
    assert n == 1
    text, n = re.subn(r"run: \{epochs: \d+\}", f"run: {{epochs: {epochs}}}", text)
    assert n == 1
    if extra:
        text = text.replace("\nrun:", "\n" + extra.rstrip("\n") + "\nrun:")
    return text


def replay(text, mode):
    j = json.loads(run("run", "-", "--no-baseline", "--json", "--replay", mode, input=text).stdout)
    del j["wall_s"], j["cpu_s"]
    return j


@pytest.mark.parametrize("name", sorted(SHORT))
def test_sampled_is_within_one_percent_of_full(name):
    text = shortened(name)
    full = replay(text, "full")
    sampled = replay(text, "sampled")
    images, epochs, _ = SHORT[name]
    assert full["iterations"] == sampled["iterations"] == 100 * epochs
    assert full["replay"] == "full" and full["iterations_replayed"] == full["iterations"]
    assert full["ci"] == {"confidence": 0.95, "iteration_mean_s": 0, "epoch_s": 0, "run_s": 0}
    assert sampled["replay"] == "sampled"
    assert sampled["iterations_replayed"] < 0.5 * sampled["iterations"]
    assert 0 < sampled["ci"]["run_s"] < 0.01 * sampled["run_s"]
    for key in ("images_per_s", "epoch_s", "run_s"):
        assert sampled[key] == pytest.approx(full[key], rel=0.01), key
    assert sampled["iteration_s"]["mean"] == pytest.approx(full["iteration_s"]["mean"], rel=0.01)
    assert sampled["iteration_s"]["p50"] == pytest.approx(full["iteration_s"]["p50"], rel=0.01)
    # the parts of an iteration, each within 1 % of the whole iteration (exposed communication is a
    # few ms of noisy waits: its own relative error is larger)
    for key in ("compute", "exposed_comm", "data_stall"):
        assert abs(sampled["split_s"][key] - full["split_s"][key]) <= 0.01 * full["iteration_s"]["mean"], key
    assert sampled["epochs"] == full["epochs"] == epochs


def test_sampled_is_deterministic_and_the_seed_matters():
    text = shortened("hrnet-w44-4x-h100-nvswitch")
    a = replay(text, "sampled")
    assert replay(text, "sampled") == a
    assert replay(text.replace("seed: 1", "seed: 7"), "sampled") != a


def test_sampled_text_report_and_hdf5_attributes(tmp_path):
    import h5py
    text = shortened("hrnet-w44-4x3090-pcie")
    out = run("run", "-", "--no-baseline", "--replay", "sampled", "-o", tmp_path / "s.h5", input=text).stdout
    m = re.search(r"sampled replay +(\d+) of 500 iterations replayed; 95 % CI: iteration \+/- [\d.]+ \w+, epoch \+/- ", out)
    assert m, out
    with h5py.File(tmp_path / "s.h5") as f:
        g = f["runs/main"]
        assert g.attrs["replay"] == "sampled"
        assert g.attrs["iterations_replayed"] == int(m.group(1)) == len(g["iterations"])
        assert g.attrs["run_ci_s"] > 0
        epochs = g["epochs"][:]
        assert len(epochs) == 5 and list(epochs["iterations"]) == [100] * 5
        # epochs 1 and 3 write a checkpoint; the estimates of one shape are the same
        assert epochs["checkpoint_s"][1] > 0 and epochs["checkpoint_s"][0] == 0
        lengths = epochs["end"] - epochs["start"]
        assert lengths[1] == pytest.approx(lengths[3], rel=1e-12) and lengths[2] == pytest.approx(lengths[4], rel=1e-12)
        assert lengths[0] != pytest.approx(lengths[1], rel=1e-6)


def test_replay_option_is_checked():
    proc = run("run", ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml", "--replay", "some", check=False)
    assert proc.returncode == 2 and "full or sampled" in proc.stderr
