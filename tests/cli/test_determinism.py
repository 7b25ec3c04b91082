"""Same scenario and seed, same results: HDF5 tables compared bit for bit between two processes
(attributes that hold times of day excepted)."""
import h5py
import numpy as np

from conftest import ROOT, run


def contents(path):
    """Every dataset's raw bytes and every attribute, by path; 'created' left out."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            for key, value in obj.attrs.items():
                if key != "created":
                    out[f"{name}@{key}"] = np.asarray(value).tobytes()
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()].tobytes()
        for key, value in f.attrs.items():
            if key != "created":
                out[f"/@{key}"] = np.asarray(value).tobytes()
        f.visititems(visit)
    return out


def test_run_traces_are_bit_identical_across_processes(tmp_path):
    files = []
    for i in range(2):
        out = tmp_path / f"r{i}.h5"
        run("run", ROOT / "scenarios" / "hrnet-w44-4x3090-nvlink-pairs.yaml", "--iterations", 25, "--no-baseline",
            "-o", out, "--trace", "events")
        files.append(contents(out))
    assert files[0].keys() == files[1].keys()
    different = [k for k in files[0] if files[0][k] != files[1][k]]
    assert not different, different
    assert any(k.endswith("events") for k in files[0])


def assert_same(a, b):
    assert a.keys() == b.keys()
    different = [k for k in a if a[k] != b[k]]
    assert not different, different


SWEEP = f"""base: {ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml"}
axes:
  platform.pcie.gen: [3, 4]
  platform.interconnect: [pcie, nvlink-pairs]
"""


def test_a_sweep_at_j1_and_j2_writes_bit_identical_files(tmp_path):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(SWEEP)
    files = []
    for j in (1, 2):
        out = tmp_path / f"s{j}.h5"
        run("sweep", sweep, "-j", j, "--replay", "sampled", "-o", out)
        files.append(contents(out))
    assert_same(*files)
    assert "sweep/points" in files[0]


def test_a_campaign_at_j1_and_j2_writes_bit_identical_files(tmp_path):
    files = []
    for j in (1, 2):
        out = tmp_path / f"c{j}.h5"
        run("campaign", ROOT / "tests" / "data" / "campaign-small.yaml", "--platform", "4x-rtx3090-pcie", "-j", j,
            "-o", out, "--trace", "iterations")
        files.append(contents(out))
    assert_same(*files)
    assert any(k.endswith("campaign/stages") for k in files[0])
