"""trainsim gpus and trainsim topo from the command line (the Foundation issue)."""
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run, run_json

PRESETS = sorted(p.stem for p in (ROOT / "platforms" / "nodes").glob("*.yaml"))
SAMPLES = {
    "2x-rtx3090-nvlink-bridge.txt": "rtx3090",
    "4x-geforce-pcie-phb.txt": "rtx3090",
    "8x-h100-sxm-nvswitch.txt": "h100-sxm5-80gb",
}


def test_gpus_json_gives_dense_figures():
    gpus = {g["name"]: g for g in run_json("gpus")}
    for name in ["rtx3090", "rtx4090", "v100-sxm2-16gb", "v100-sxm2-32gb", "a100-sxm4-40gb", "a100-sxm4-80gb",
                 "a100-pcie-40gb", "a100-pcie-80gb", "h100-sxm5-80gb", "h100-pcie-80gb", "h200-sxm-141gb", "gh200-96gb",
                 "b100", "b200", "rtx-a6000", "a10"]:
        g = gpus[name]
        for key in ["memory_gb", "memory_bandwidth_gbps", "tdp_w", "sm_count", "dense_tflops",
                    "nvlink_gbps_per_direction", "pcie_gen"]:
            assert key in g, (name, key)
        assert set(g["dense_tflops"]) == {"fp32", "tf32", "fp16", "bf16", "fp8"}
    assert gpus["h100-sxm5-80gb"]["dense_tflops"]["fp16"] == 989.4
    assert gpus["a100-sxm4-80gb"]["dense_tflops"]["fp8"] is None
    assert gpus["rtx3090"]["nvlink_gbps_per_direction"] == 56.25


def test_gpus_table():
    out = run("gpus").stdout
    assert "h100-sxm5-80gb" in out and "989.4" in out


@pytest.mark.parametrize("preset", PRESETS)
def test_topo_on_every_preset(preset):
    j = run_json("topo", preset)
    n = len(j["gpus"])
    assert len(j["bandwidth_gbps"]) == n and all(len(r) == n for r in j["bandwidth_gbps"])
    assert sorted(j["ring"]) == list(range(n))
    if n > 1:
        assert j["ring_bottleneck_gbps"] > 0
    text = run("topo", preset).stdout
    assert "best ring" in text


@pytest.mark.parametrize("sample,gpu", SAMPLES.items())
def test_topo_on_every_nvidia_smi_sample(sample, gpu, tmp_path):
    src = ROOT / "tests" / "data" / "nvidia-smi" / sample
    out = tmp_path / "node.yaml"
    j = run_json("topo", "--from-nvidia-smi", src, "--gpu", gpu, "-o", out)
    assert len(j["gpus"]) == int(sample[0])
    # the node file written reads back to the same matrix
    again = run_json("topo", out)
    assert again["bandwidth_gbps"] == j["bandwidth_gbps"]
    assert again["paths"] == j["paths"]


def test_topo_exports(tmp_path):
    dot, xml = tmp_path / "n.dot", tmp_path / "n.xml"
    run("topo", "4x-rtx3090-nvlink-pairs", "--dot", dot, "--simgrid-xml", xml)
    assert dot.read_text().startswith("graph")
    assert "<platform version=\"4.1\">" in xml.read_text()


def test_four_3090_vs_nvlink_pairs_matrix():
    pcie = run_json("topo", "4x-rtx3090-pcie")
    pairs = run_json("topo", "4x-rtx3090-nvlink-pairs")
    assert pcie["paths"][0][1] == "PHB/host"
    assert pairs["paths"][0][1] == "NV4"
    assert pairs["bandwidth_gbps"][0][1] == 56.25


BAD = [
    # (node file text, expected fragment)
    ("gpu: h100\ncount: 4\n", "did you mean"),
    ("gpu: rtx3090\ncount: 9\n", "1 to 8 GPUs"),
    ("gpu: rtx4090\ncount: 2\ninterconnect: nvlink-pairs\n", "rtx4090 has no NVLink"),
    ("gpu: rtx3090\ncount: [4\n", "valid YAML"),
    ("gpu: rtx3090\ncount: 2\ninterconect: pcie\n", "did you mean 'interconnect'"),
    ("gpu: rtx3090\ncount: 2\npcie: {gen: 7}\n", "PCIe generation"),
]


@pytest.mark.parametrize("text,fragment", BAD)
def test_bad_node_files_give_one_line_and_status_2(text, fragment, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    p = run("topo", f, check=False)
    assert p.returncode == 2
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, p.stderr
    assert re.match(rf"trainsim: error: {re.escape(str(f))}:\d+:\d+: ", lines[0]), lines[0]
    assert fragment in lines[0]


def test_bad_flags_give_status_2():
    p = run("topo", "4x-rtx3090-pcie", "--jsno", check=False)
    assert p.returncode == 2 and "did you mean '--json'" in p.stderr
    p = run("topo", "no-such-node", check=False)
    assert p.returncode == 2 and "preset" in p.stderr
    p = run("frobnicate", check=False)
    assert p.returncode == 2


def test_bad_nvidia_smi_writes_no_output(tmp_path):
    src = tmp_path / "topo.txt"
    src.write_text("\tGPU0\tGPU1\tCPU Affinity\nGPU0\t X \tPHQ\t0-7\nGPU1\tPHQ\t X \t0-7\n")
    out = tmp_path / "node.yaml"
    p = run("topo", "--from-nvidia-smi", src, "--gpu", "rtx3090", "-o", out, check=False)
    assert p.returncode == 2
    assert "PHQ" in p.stderr and ":2:" in p.stderr
    assert not out.exists()
    assert not list(tmp_path.glob("node.yaml*"))


def test_every_command_has_help():
    top = run("--help").stdout
    commands = re.findall(r"^  (\w+)\s", top.split("commands:")[1], re.M)
    assert "gpus" in commands and "topo" in commands
    for c in commands:
        assert "usage: trainsim" in run(c, "--help").stdout


def test_a_sixteen_gpu_full_form_node_gets_a_ring_quickly(tmp_path):
    # HGX-2: 16 V100 on NVSwitch, written in full form (the compact form stops at 8 GPUs).
    lines = ["vertices:", "  - {name: host0, kind: host, cores: 48, memory_gbps: 200}",
             "  - {name: rc0, kind: root_complex}", "  - {name: sw, kind: nvswitch}"]
    lines += [f"  - {{name: gpu{i}, kind: gpu, gpu: v100-sxm2-32gb}}" for i in range(16)]
    lines += ["links:", "  - {a: rc0, b: host0, kind: host_memory, gbps: 200}"]
    lines += [f"  - {{a: gpu{i}, b: rc0, kind: pcie, gbps: 15.75}}" for i in range(16)]
    lines += [f"  - {{a: gpu{i}, b: sw, kind: nvswitch, gbps: 150, nvlinks: 6}}" for i in range(16)]
    node = tmp_path / "hgx2.yaml"
    node.write_text("\n".join(lines) + "\n")
    j = run_json("topo", node)
    assert sorted(j["ring"]) == list(range(16))
    assert j["ring_bottleneck_gbps"] == 150
