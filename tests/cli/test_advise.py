"""trainsim advise (docs/advise.md): candidates ranked, the Pareto frontier, deadline and budget,
bottlenecks, a failing candidate as a row with its error, a scenario as a one-stage campaign, buy
or rent. Small inputs: the small campaign on a few presets, sampled replay."""
import json
import os
import subprocess

import pytest

from conftest import BINARY, ROOT, run, run_json

SMALL = "tests/data/campaign-small.yaml"
FEW = "1x-rtx3090,4x-rtx3090-pcie,4x-h100-sxm-nvswitch,1x-b100"
KEYS = {"platform", "gpus", "wall_hours", "cost_usd", "total_cost_usd", "kwh", "pareto", "meets_deadline",
        "meets_budget", "bottleneck", "error"}


@pytest.fixture(scope="module")
def advised():
    return run_json("advise", SMALL, "--candidates", FEW, "--deadline", "2", "--budget", "5", "-j", "2")


def test_json_keys_and_every_candidate(advised):
    rows = advised["candidates"]
    assert sorted(r["platform"] for r in rows) == sorted(FEW.split(","))
    for r in rows:
        assert KEYS <= set(r), r
        assert r["error"] is None
        assert r["bottleneck"] in ("compute", "exposed_comm", "data_stall", "memory_batch")
        assert r["wall_hours"] > 0 and r["kwh"] > 0
    assert advised["recommendation"]["text"]
    assert [a["question"][:5] for a in advised["answers"]][:3] == ["Which", "Which", "A com"]


def test_frontier_constraints_and_ranks_follow_the_numbers(advised):
    rows = advised["candidates"]
    priced = [r for r in rows if r["total_cost_usd"] is not None]
    for r in rows:
        beaten = r["total_cost_usd"] is not None and any(o is not r and o["wall_hours"] <= r["wall_hours"] and o["total_cost_usd"] <= r["total_cost_usd"]
                     and (o["wall_hours"] < r["wall_hours"] or o["total_cost_usd"] < r["total_cost_usd"]) for o in priced)
        assert r["pareto"] == (r["total_cost_usd"] is not None and not beaten), r["platform"]
        assert r["meets_deadline"] == (r["wall_hours"] <= 2)
        assert r["meets_budget"] == (r["cost_usd"] is not None and r["cost_usd"] <= 5)
    # the B100 has no price anywhere: no cost, no frontier, no budget met
    b100 = next(r for r in rows if r["platform"] == "1x-b100")
    assert b100["cost_usd"] is None and not b100["pareto"] and not b100["meets_budget"]
    # ranks: those meeting both first, each group by total cost
    groups = [(not r["meets_deadline"]) + (not r["meets_budget"]) for r in rows]
    assert groups == sorted(groups)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    both = [r["total_cost_usd"] for r in rows if r["meets_deadline"] and r["meets_budget"]]
    assert both == sorted(both)
    first = rows[0]
    if first["meets_deadline"] and first["meets_budget"]:
        assert advised["recommendation"]["platform"] == first["platform"]
    else:
        assert advised["recommendation"]["platform"] is None


def test_objective_time_orders_by_hours():
    rows = run_json("advise", SMALL, "--candidates", "1x-rtx3090,4x-rtx3090-pcie,4x-h100-sxm-nvswitch",
                    "--objective", "time")["candidates"]
    hours = [r["wall_hours"] for r in rows]
    assert hours == sorted(hours)


def test_a_failing_candidate_is_a_row_with_its_error():
    # The test aid of the sweep pool: the first simulation dies of SIGKILL.
    env = dict(os.environ, TRAINSIM_TEST_SWEEP_FAULTS="0:crash", TRAINSIM_DATA=str(ROOT))
    proc = subprocess.run([BINARY, "advise", SMALL, "--candidates", "1x-rtx3090,4x-rtx3090-pcie", "--json", "-j", "1"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = {r["platform"]: r for r in json.loads(proc.stdout)["candidates"]}
    assert rows["1x-rtx3090"]["error"] and "crash" in rows["1x-rtx3090"]["error"]
    assert rows["1x-rtx3090"]["wall_hours"] is None and rows["1x-rtx3090"]["rank"] == 2
    assert rows["4x-rtx3090-pcie"]["error"] is None


def test_default_candidates_are_many_and_all_plan():
    checked = run_json("advise", "scenarios/ocr-campaign.yaml", "--check")
    assert checked["candidates"] >= 30
    assert checked["planned"] == checked["candidates"], checked["failed"]
    assert checked["simulations"] >= checked["candidates"]


def test_a_scenario_is_a_one_stage_campaign():
    out = run_json("advise", "tests/data/tiny-scenario.yaml", "--candidates", "1x-rtx3090,2x-rtx3090-pcie")
    assert [s["name"] for s in out["candidates"][0]["stages"]] == ["run"]
    assert out["campaign"] == "tiny-scenario"


def test_buy_and_rent_and_the_comparison():
    out = run_json("advise", SMALL, "--candidates", "1x-rtx3090,4x-rtx3090-pcie,4x-h100-sxm-nvswitch", "--rent", "--buy",
                   "--campaigns-per-year", "1,10")
    acq = {(r["platform"], r["acquisition"]) for r in out["candidates"]}
    # RTX 3090 nodes can be bought (economics.yaml has card and host prices); the H100 SXM node cannot
    assert ("4x-rtx3090-pcie", "buy") in acq and ("4x-rtx3090-pcie", "rent") in acq
    assert ("4x-h100-sxm-nvswitch", "buy") not in acq
    br = out["buy_or_rent"]
    assert br["platform"] == "4x-rtx3090-pcie"
    one, ten = br["per_year"]
    assert one["owned_usd"] > ten["owned_usd"] > br["electricity_usd"]
    assert one["rented_usd"] == ten["rented_usd"]
    text = run("advise", SMALL, "--candidates", "4x-rtx3090-pcie").stdout
    assert "Buy or rent:" in text and "break-even" in text


@pytest.mark.parametrize("args,words", [
    (["--objective", "speed"], "--objective"),
    (["--candidates", "no-such-node"], "--candidates"),
    (["--campaigns-per-year", "0"], "--campaigns-per-year"),
    (["--deadline", "-3"], "--deadline"),
])
def test_bad_arguments_are_one_line_and_status_2(args, words):
    proc = run("advise", SMALL, *args, check=False)
    assert proc.returncode == 2
    assert words in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
