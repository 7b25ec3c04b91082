"""trainsim collective: the nccl-tests table on every preset and on nodes built from nvidia-smi text."""
import json
import os
import subprocess

import pytest

TRAINSIM = os.environ.get("TRAINSIM", "build/release/trainsim")
DATA = os.environ.get("TRAINSIM_DATA", ".")
PRESETS = sorted(f[:-5] for f in os.listdir(os.path.join(DATA, "platforms", "nodes")) if f.endswith(".yaml"))
GiB = 1024 ** 3


def run(*args):
    return subprocess.run([TRAINSIM, *args], capture_output=True, text=True, timeout=300)


def run_json(*args):
    r = run(*args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def gpus_of(preset):
    return int(preset.split("x-")[0])


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_runs(preset):
    d = run_json("collective", preset, "-b", "8", "-e", "64M", "-f", "8")
    n = gpus_of(preset)
    assert d["gpus"] == n
    sizes = [r["bytes"] for r in d["rows"]]
    assert sizes == [8 * 8 ** i for i in range(len(sizes))] and sizes[-1] <= 64 * 2 ** 20
    for r in d["rows"]:
        assert r["algorithm"] in ("ring", "tree", "direct", "nvls")
        if n == 1:
            assert r["time_us"] == 0 and r["busbw_gbps"] == 0
        else:
            assert r["time_us"] > 0
            # nccl-tests: algbw = size / time in GB/s (1e9), busbw = algbw x 2(n-1)/n for all-reduce
            assert r["algbw_gbps"] == pytest.approx(r["bytes"] / (r["time_us"] * 1e-6) / 1e9, rel=1e-12)
            assert r["busbw_gbps"] == pytest.approx(r["algbw_gbps"] * 2 * (n - 1) / n, rel=1e-12)
            # auto runs what the formulas predict fastest. The ring's formula is paced by the slowest
            # hop, as the engine is; for the others the formula gives every flow the narrowest equal
            # share, an upper bound that max-min sharing on mixed links beats.
            if r["algorithm"] == "ring":
                assert r["time_us"] == pytest.approx(r["predicted_us"], rel=0.05)
            else:
                assert 0.5 * r["predicted_us"] <= r["time_us"] <= 1.02 * r["predicted_us"]


@pytest.mark.parametrize("op,factor", [("all_gather", lambda n: (n - 1) / n), ("reduce_scatter", lambda n: (n - 1) / n),
                                       ("broadcast", lambda n: 1.0)])
def test_bus_bandwidth_of_each_op(op, factor):
    d = run_json("collective", "8x-h100-sxm-nvswitch", "--op", op, "-b", "1M", "-e", "1G", "-f", "32")
    assert d["op"] == op
    for r in d["rows"]:
        assert r["algorithm"] == "ring"
        assert r["busbw_gbps"] == pytest.approx(r["algbw_gbps"] * factor(8), rel=1e-12)
    # large sizes approach the ring's bottleneck, 450 GB/s x 0.82 (NVLink4 protocol efficiency)
    assert 300 < d["rows"][-1]["busbw_gbps"] <= 369 + 1e-9


def test_the_three_presets_of_the_docs_rank_as_their_interconnects():
    def large(preset):
        return run_json("collective", preset, "-b", "8G", "-e", "8G")["rows"][0]
    pcie, pairs, h100 = (large(p) for p in ("4x-rtx3090-pcie", "4x-rtx3090-nvlink-pairs", "4x-h100-sxm-nvswitch"))
    # no P2P: 8 crossings of the 204.8 GB/s x 0.7 DRAM link per ring step
    assert pcie["busbw_gbps"] == pytest.approx(204.8 * 0.7 / 8, rel=1e-3)
    # the bridges take half the hops off DRAM; the staged hops' PCIe 4.0 x16 (x0.8) then sets the pace
    assert pairs["busbw_gbps"] == pytest.approx(31.5077 * 0.8, rel=1e-3)
    assert h100["busbw_gbps"] > 10 * pairs["busbw_gbps"]
    assert pcie["algorithm"] == pairs["algorithm"] == "ring" and h100["algorithm"] == "nvls"


def test_one_simulation_runs_every_size_and_output_is_deterministic():
    a = run("collective", "4x-rtx3090-nvlink-pairs", "-b", "1K", "-e", "1G", "-f", "4")
    b = run("collective", "4x-rtx3090-nvlink-pairs", "-b", "1K", "-e", "1G", "-f", "4")
    assert a.returncode == 0 and a.stdout == b.stdout
    lines = a.stdout.splitlines()
    assert any("busbw (GB/s)" in line for line in lines)
    assert lines[-1].startswith("# Avg bus bandwidth")
    rows = [line for line in lines if line.strip() and line.strip()[0].isdigit()]
    assert len(rows) == 11  # 1K, 4K, ..., 1G


def test_algorithms_can_be_forced_and_differ():
    times = {}
    for algo in ("ring", "tree", "direct", "nvls"):
        d = run_json("collective", "8x-h100-sxm-nvswitch", "--algo", algo, "-b", "64M", "-e", "64M")
        assert d["rows"][0]["algorithm"] == algo
        times[algo] = d["rows"][0]["time_us"]
    assert len(set(times.values())) == 4
    auto = run_json("collective", "8x-h100-sxm-nvswitch", "-b", "64M", "-e", "64M")["rows"][0]
    assert auto["time_us"] == pytest.approx(times[auto["algorithm"]], rel=1e-12)


@pytest.mark.parametrize("sample,gpu,n", [("2x-rtx3090-nvlink-bridge.txt", "rtx3090", 2),
                                          ("4x-geforce-pcie-phb.txt", "rtx3090", 4),
                                          ("8x-h100-sxm-nvswitch.txt", "h100-sxm5-80gb", 8)])
def test_nodes_from_nvidia_smi_text(tmp_path, sample, gpu, n):
    node = tmp_path / "node.yaml"
    r = run("topo", "--from-nvidia-smi", os.path.join(DATA, "tests", "data", "nvidia-smi", sample), "--gpu", gpu,
            "-o", str(node))
    assert r.returncode == 0, r.stderr
    d = run_json("collective", str(node), "-b", "1M", "-e", "256M", "-f", "16")
    assert d["gpus"] == n and len(d["rows"]) == 3
    assert all(r["time_us"] > 0 for r in d["rows"])


@pytest.mark.parametrize("args,message", [
    (["nosuch"], "expected a node preset"),
    (["4x-rtx3090-pcie", "--algo", "nvls"], "nvls needs one NVSwitch"),
    (["4x-rtx3090-pcie", "--algo", "direct"], "direct (one-shot) needs NVLink"),
    (["4x-rtx3090-pcie", "--op", "all_gather", "--algo", "tree"], "tree implements all_reduce only"),
    (["4x-rtx3090-pcie", "-b", "1M", "-e", "1K"], "larger than --max-bytes"),
    (["4x-rtx3090-pcie", "--op", "allreduce"], "did you mean 'all_reduce'"),
    (["4x-rtx3090-pcie", "-f", "1"], "--factor must be larger than 1"),
    (["4x-rtx3090-pcie", "-b", "8X"], "expected a byte count"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    r = run("collective", *args)
    assert r.returncode == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
