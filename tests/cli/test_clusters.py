"""Clusters (docs/platforms.md, "Clusters"): the presets and cluster files are accepted wherever a
node is (topo, collective, run, campaign, compare, sweep), and what the network costs shows."""
import json

import pytest

from conftest import ROOT, run, run_json

PRESETS = sorted(p.stem for p in (ROOT / "platforms" / "clusters").glob("*.yaml"))

TINY_CAMPAIGN = """name: tiny
base:
  seed: 1
  workload: {precision: amp, optimizer: adamw, dataset: {images: 2944, mean_megapixels: 1.5, mean_bytes: 400000},
             dataloader: {workers_per_gpu: 8, prefetch_factor: 2}}
stages:
  - name: only
    workload: {model: dbnet-resnet18, image_px: 640, batch_per_gpu: 8}
    run: {epochs: 1}
"""


def test_the_eight_presets_of_the_issue_exist():
    assert set(PRESETS) >= {"2x-dgx-a100", "4x-dgx-a100", "2x-dgx-h100", "4x-dgx-h100", "8x-dgx-h100", "16x-dgx-h100",
                            "2x-4x-rtx3090-10gbe", "2x-4x-rtx3090-100gbe"}


@pytest.mark.parametrize("preset", [p for p in PRESETS if not p.startswith(("8x-", "16x-"))])
def test_topo_shows_paths_between_machines(preset, tmp_path):
    p = run("topo", preset, "--simgrid-xml", tmp_path / "p.xml")
    assert " NET" in p.stdout
    xml = (tmp_path / "p.xml").read_text()
    assert "n1.gpu0" in xml and "nic0" in xml


def test_ten_gbe_is_a_tenth_of_hundred_gbe_across_two_workstations():
    slow = run_json("collective", "2x-4x-rtx3090-10gbe", "-b", "256M", "-e", "256M")["rows"][0]["busbw_gbps"]
    fast = run_json("collective", "2x-4x-rtx3090-100gbe", "-b", "256M", "-e", "256M")["rows"][0]["busbw_gbps"]
    # 10 Gb/s = 1.25 GB/s line rate: the ring across the two boxes cannot beat it.
    assert 0.8 < slow < 1.25
    assert fast > 5 * slow


def test_a_cluster_inline_in_a_scenario_and_in_a_file_with_a_relative_node(tmp_path):
    scenario = (ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml").read_text()
    (tmp_path / "box.yaml").write_text((ROOT / "platforms" / "nodes" / "4x-rtx3090-pcie.yaml").read_text())
    (tmp_path / "pair.yaml").write_text(
        "cluster:\n  nodes: 2\n  node: box.yaml\n  network: {nics_per_node: 1, nic_gbps: 10, fabric: ethernet}\n")
    results = {}
    for name, platform in [("file", str(tmp_path / "pair.yaml")), ("preset", "2x-4x-rtx3090-100gbe"),
                           ("inline", "{cluster: {nodes: 2, node: 4x-rtx3090-pcie, network: {nics_per_node: 1, nic_gbps: 10, fabric: ethernet}}}")]:
        text = "\n".join(f"platform: {platform}" if l.startswith("platform:") else l for l in scenario.splitlines())
        path = tmp_path / f"{name}.yaml"
        path.write_text(text + "\n")
        results[name] = run_json("run", path, "--iterations", "6")
    assert results["file"]["images_per_s"] == results["inline"]["images_per_s"]
    # Over 100 GbE the 8 GPUs keep most of their scaling; over 10 GbE the all-reduce eats it.
    assert results["preset"]["scaling_efficiency"] > 0.9
    assert results["file"]["scaling_efficiency"] < 0.75


def test_campaign_and_compare_take_a_cluster_platform(tmp_path):
    camp = tmp_path / "tiny.yaml"
    camp.write_text(TINY_CAMPAIGN)
    out = run_json("campaign", camp, "--platform", "2x-4x-rtx3090-10gbe", "-j", "2")
    assert "2x-4x-rtx3090-10gbe" in json.dumps(out)
    p = run("compare", camp, "--platform", "4x-rtx3090-pcie", "--platform", "2x-4x-rtx3090-100gbe", "-j", "2")
    assert "2x-4x-rtx3090-100gbe" in p.stdout


def test_a_sweep_over_the_nic_speed_of_a_cluster(tmp_path):
    base = tmp_path / "base.yaml"
    text = (ROOT / "scenarios" / "hrnet-w44-4x3090-pcie.yaml").read_text()
    base.write_text("\n".join("platform: 2x-4x-rtx3090-10gbe" if l.startswith("platform:") else l
                              for l in text.splitlines()) + "\n")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("base: base.yaml\naxes:\n  platform.cluster.network.nic_gbps: [10, 100]\n")
    run("sweep", sweep, "-j", "2", "--replay", "sampled", "-o", tmp_path / "s.h5", "--csv", tmp_path / "s.csv")
    rows = (tmp_path / "s.csv").read_text().splitlines()
    header = rows[0].split(",")
    speed = {r.split(",")[header.index("platform.cluster.network.nic_gbps")]: float(r.split(",")[header.index("images_per_s")])
             for r in rows[1:]}
    assert speed["100"] > 1.3 * speed["10"]
