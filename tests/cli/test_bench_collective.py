"""trainsim bench collective: trainsim's collective engine against a bare SimGrid graph of the same
flows. The target ratio (>= 0.8) is reported in docs/performance.md; on a shared machine the test
only holds the measurement to what no working baseline can give."""
import json
import os
import subprocess

TRAINSIM = os.environ.get("TRAINSIM", "build/release/trainsim")


def test_bench_reports_both_rates_and_their_ratio():
    r = subprocess.run([TRAINSIM, "bench", "collective", "--flows", "30000", "--repeat", "1", "--json"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    for key in ("activities_per_s", "baseline_activities_per_s", "ratio", "flows", "cpu_s", "baseline_cpu_s"):
        assert key in d, key
    # 8 GPUs x 16 channels x 14 steps per all-reduce, whole all-reduces only
    assert d["flows"] % (8 * 16 * 14) == 0 and d["flows"] >= 30000
    assert d["activities_per_s"] == d["flows"] / d["cpu_s"]
    assert d["ratio"] == d["activities_per_s"] / d["baseline_activities_per_s"]
    assert 0.3 < d["ratio"] < 3


def test_bench_rejects_a_one_gpu_node():
    r = subprocess.run([TRAINSIM, "bench", "collective", "--node", "1x-h100-sxm"], capture_output=True, text=True)
    assert r.returncode == 2 and "at least 2 GPUs" in r.stderr
