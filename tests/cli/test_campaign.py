"""trainsim campaign and compare: approved output of a small campaign, JSON keys and sums, HDF5
output, bad campaign files, and the OCR campaign on the platforms that simulate quickly."""
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, run

SMALL = ROOT / "tests" / "data" / "campaign-small.yaml"
OCR = ROOT / "scenarios" / "ocr-campaign.yaml"
EXPECTED = Path(__file__).parent / "expected"


def test_compare_small_matches_the_approved_output():
    # Nothing in the text varies between runs: no host times are printed.
    out = run("compare", SMALL, "-j", 2).stdout
    approved = EXPECTED / "compare-small.txt"
    if not approved.exists():  # first run: write it for review, and fail
        approved.write_text(out)
        pytest.fail(f"wrote {approved}: review it and commit it")
    assert out == approved.read_text()


@pytest.fixture(scope="module")
def small_json():
    return json.loads(run("compare", SMALL, "--json").stdout)


def test_json_keys_and_sums(small_json):
    assert [p["platform"] for p in small_json] == ["1x-rtx3090", "4x-rtx3090-pcie"]
    for p in small_json:
        for key in ["platform", "total_wall_hours", "gpu_hours", "cost_usd", "researcher_cost_usd", "energy_kwh",
                    "co2_kg", "stages", "speedup", "runs", "simulated", "critical_path"]:
            assert key in p
        assert [s["name"] for s in p["stages"]] == ["warmup", "sweep", "sizes", "final"]
        for s in p["stages"]:
            assert set(s) >= {"name", "start_hours", "end_hours", "wall_hours", "gpu_hours"}
            assert s["wall_hours"] == pytest.approx(s["end_hours"] - s["start_hours"])
        stages = {s["name"]: s for s in p["stages"]}
        # dependencies: sweep and sizes after warmup, final after both
        assert stages["sweep"]["start_hours"] >= stages["warmup"]["end_hours"]
        assert stages["sizes"]["start_hours"] >= stages["warmup"]["end_hours"]
        assert stages["final"]["start_hours"] >= max(stages["sweep"]["end_hours"], stages["sizes"]["end_hours"])
        assert p["total_wall_hours"] == pytest.approx(max(s["end_hours"] for s in p["stages"]))
        assert p["gpu_hours"] == pytest.approx(sum(s["gpu_hours"] for s in p["stages"]))
        assert p["cost_usd"] == pytest.approx(p["gpu_hours"] * p["usd_per_gpu_hour"])
        assert p["researcher_cost_usd"] == pytest.approx(p["total_wall_hours"] * 50)
        # the stages' energy plus the idle GPUs' gives the total; CO2 at the default 0.367 kg/kWh
        assert p["energy_kwh"] >= sum(s["energy_kwh"] for s in p["stages"]) - 1e-12
        assert p["co2_kg"] == pytest.approx(p["energy_kwh"] * 0.367)
        assert p["critical_path"]["hours"] <= p["total_wall_hours"] * (1 + 1e-12)
        # 6 identical sweep runs are one simulation: warmup, sweep, 2 sizes, final
        assert p["runs"] == 10 and p["simulated"] == 5
    one, four = small_json
    assert one["speedup"] == 1
    assert four["speedup"] == pytest.approx(one["total_wall_hours"] / four["total_wall_hours"])
    # packed: on one GPU the six sweep runs go one after another; on four, in two rounds (four, then
    # two beside the two sizes runs): six runs' GPU hours in two runs' wall time
    assert one["stages"][1]["wall_hours"] == pytest.approx(one["stages"][1]["gpu_hours"])
    assert four["stages"][1]["gpu_hours"] == pytest.approx(3 * four["stages"][1]["wall_hours"])


def test_same_file_same_numbers(small_json):
    again = json.loads(run("campaign", SMALL, "--platform", "1x-rtx3090", "--platform", "4x-rtx3090-pcie",
                           "--json", "-j", 1).stdout)
    assert again == small_json


def test_identical_runs_are_simulated_once_and_said_so():
    out = run("campaign", SMALL, "--platform", "1x-rtx3090").stdout
    assert "10 runs, 5 simulated (runs with identical scenarios are simulated once and reused)" in out
    assert "Gantt" in out and "critical path: warmup -> " in out


def test_campaign_writes_hdf5_with_reused_runs_marked(tmp_path):
    import h5py
    import pandas as pd
    out = tmp_path / "c.h5"
    run("campaign", SMALL, "--platform", "4x-rtx3090-pcie", "-o", out, "--trace", "iterations")
    with h5py.File(out, "r") as f:
        stages = pd.DataFrame(f["/campaign/stages"][:])
        runs = pd.DataFrame(f["/campaign/runs"][:])
        groups = sorted(f["/runs"].keys())
        assert len(f["/runs/final/iterations"]) > 0
    assert [n.decode() for n in stages["name"]] == ["warmup", "sweep", "sizes", "final"]
    assert len(runs) == 10
    assert int(runs["reused"].sum()) == 10 - 5
    assert groups == sorted(["warmup", "sweep-1", "sizes-1", "sizes-2", "final"])
    assert (runs["gpus"].to_numpy() >= 1).all()
    assert not list(tmp_path.glob("c.h5.*"))  # no part or temporary file left


def test_compare_writes_one_group_per_platform(tmp_path):
    import h5py
    out = tmp_path / "c.h5"
    run("compare", SMALL, "-o", out, "--trace", "none")
    with h5py.File(out, "r") as f:
        for p in ["1x-rtx3090", "4x-rtx3090-pcie"]:
            assert len(f[f"/platforms/{p}/campaign/stages"]) == 4
            assert "epochs" in f[f"/platforms/{p}/runs/final"]


BAD = [
    ("after: [warmup]\n    runs: 6", "after: [warmpu]\n    runs: 6", "did you mean 'warmup'"),
    ("  - name: warmup\n", "  - name: warmup\n    after: [final]\n", "warmup -> sweep -> final -> warmup"),
    ("placement: packed\n    run: {epochs: 1}\n  - name: sizes", "placement: side-by-side\n    run: {epochs: 1}\n  - name: sizes",
     "ddp, packed"),
    ("runs: 6", "runs: -6", "a number of runs"),
    ("runs: 6", "runs: 6\n    placment: packed", "did you mean 'placement'"),
    ("  researcher_usd_per_hour: 50", "  researcher_usd_per_hour: 50\n  carbon: 0.5", "did you mean"),
    ("    image_px: 224", "    image_px: 224\n    precison: amp", "did you mean 'precision'"),
    ("{epochs: 4}", "{epochs: 4", "valid YAML"),
    ("batch_per_gpu: 64", "batch_per_gpu: lots", "a batch size"),
]


@pytest.mark.parametrize("old,new,fragment", BAD)
def test_bad_campaign_files_give_one_line_and_status_2(old, new, fragment, tmp_path):
    text = SMALL.read_text()
    assert old in text
    f = tmp_path / "bad.yaml"
    f.write_text(text.replace(old, new, 1))
    out = tmp_path / "never.h5"
    p = run("compare", f, "-o", out, check=False)
    assert p.returncode == 2, p.stderr
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, p.stderr
    assert re.match(rf"trainsim: error: {re.escape(str(f))}:\d+:\d+: ", lines[0]), lines[0]
    assert fragment in lines[0]
    assert not list(tmp_path.glob("never.h5*"))


def test_bad_platform_and_usage():
    p = run("compare", SMALL, "--platform", "4x-rtx3099-pcie", check=False)
    assert p.returncode == 2 and "did you mean" in p.stderr
    p = run("campaign", SMALL, "--trace", "events", check=False)
    assert p.returncode == 2 and "--trace needs -o" in p.stderr
    p = run("compare", SMALL, "--against-report", check=False)
    assert p.returncode == 2 and "report" in p.stderr


def test_ocr_campaign_on_one_rtx3090():
    [p] = json.loads(run("campaign", OCR, "--platform", "1x-rtx3090", "--json").stdout)
    assert [s["name"] for s in p["stages"]] == ["baseline", "backbone", "grid-search", "hrnet", "external-data", "kfold"]
    assert p["runs"] == 20 and p["simulated"] == 6
    stages = {s["name"]: s for s in p["stages"]}
    assert stages["grid-search"]["runs"] == 15 and stages["grid-search"]["placement"] == "packed"
    assert stages["hrnet"]["batch_per_gpu"] == 2  # the report's batch at 1280 px on 24 GB
    # 48 epochs of 2,944 images at batch 2
    assert stages["hrnet"]["iterations"] == 48 * 1472
    assert p["notes"] == []


def test_ocr_against_report_names_the_reports_errors():
    out = run("compare", OCR, "--against-report", "--platform", "1x-rtx3090", "--platform", "1x-h200").stdout
    assert "RTX 3090 stage by stage" in out
    assert re.search(r"hrnet\s+48 \(l\.94\)", out)
    assert "2:4 sparse peak taken as dense" in out
    assert "17.4x per epoch, but the campaign is only 2.9x shorter" in out
    assert "seconds written as minutes" in out
    assert "288 GB of memory (line 43)" in out


def _block_after(text, marker):
    """The first ``` block after the line containing `marker`."""
    at = text.index(marker)
    start = text.index("```", at)
    start = text.index("\n", start) + 1
    return text[start:text.index("```", start)]


def test_docs_quote_the_small_campaign_as_it_is():
    doc = (ROOT / "docs" / "campaigns.md").read_text()
    assert _block_after(doc, "`tests/data/campaign-small.yaml` (the CLI tests run it)") == \
        "\n".join(l for l in SMALL.read_text().splitlines() if not l.startswith("#")) + "\n"


def test_report_check_doc_quotes_the_output_as_it_comes_out():
    # The findings and the RTX 3090 stage table need only the report's figures and the one-GPU
    # simulation: cheap enough to check the document against on every test run.
    out = run("compare", OCR, "--against-report", "--platform", "1x-rtx3090").stdout
    doc = (ROOT / "docs" / "report-check.md").read_text()
    stages = _block_after(doc, "## The RTX 3090 stage by stage")
    assert stages.strip() in out
    findings = _block_after(doc, "## Where the report's figures break physics or arithmetic")
    assert findings.strip() in out
    # a row of the ten-platform table: the same cells (column widths depend on the other rows)
    row = [l.split() for l in _block_after(doc, "## trainsim beside the report").splitlines() if "(1x-rtx3090)" in l]
    assert row and row[0] in [l.split() for l in out.splitlines()]


def test_a_batch_that_does_not_fit_falls_back_to_auto_and_says_so(tmp_path):
    text = SMALL.read_text().replace("  - name: final\n", "  - name: final\n    batch_by_gpu: {rtx3090: 100000}\n")
    f = tmp_path / "big-batch.yaml"
    f.write_text(text)
    [p] = json.loads(run("campaign", f, "--platform", "1x-rtx3090", "--json").stdout)
    assert len(p["notes"]) == 1 and p["notes"][0].startswith("final: batch 100000 per GPU does not fit")
    final = p["stages"][3]
    assert 64 < final["batch_per_gpu"] < 100000  # auto: the largest that fits, more than the base's 64
    out = run("campaign", f, "--platform", "1x-rtx3090").stdout
    assert "note: final: batch 100000 per GPU does not fit" in out
