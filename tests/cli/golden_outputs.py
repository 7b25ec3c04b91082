"""Golden outputs of the shipped scenarios (tests/data/golden/): what trainsim computes for them,
recorded so that a change of the engine's mechanics (how and when SimGrid activities are made)
can be shown to leave the results unchanged (tests/cli/test_golden.py).

Regenerate after an intended change of the results (a new compute model, new data):

    make golden        # or: /usr/bin/python3 tests/cli/golden_outputs.py [--slow]

--slow also records the full OCR campaign comparison of `make run` (about 100 CPU s); the test
checks it only when TRAINSIM_GOLDEN_SLOW=1.

Compared: every number of the JSON outputs, to 1e-9 relative (an order of floating-point sums may
change), except what measures trainsim itself rather than the simulated system (IGNORED).
"""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"
REL_TOL = 1e-9
# Keys that measure the simulator (time, CPU, memory, how many SimGrid activities it used), not the
# simulated training.
IGNORED = {"wall_s", "cpu_s", "activities", "elapsed_s", "simulation_wall_s", "peak_rss_mib"}

SCENARIOS = ["hrnet-w44-4x3090-pcie", "hrnet-w44-4x3090-nvlink-pairs", "hrnet-w44-4x-h100-nvswitch", "resnet50-8x-a100"]


def cases(slow=False):
    """name -> trainsim arguments (paths relative to the repository root)."""
    out = {}
    for s in SCENARIOS:
        out[f"run-{s}-sampled"] = ["run", f"scenarios/{s}.yaml", "--replay", "sampled", "--json"]
        out[f"run-{s}-full-150"] = ["run", f"scenarios/{s}.yaml", "--iterations", "150", "--no-baseline", "--json"]
    out["compare-campaign-small"] = ["compare", "tests/data/campaign-small.yaml", "--json", "-j", "2"]
    if slow:
        out["compare-ocr-campaign"] = ["compare", "scenarios/ocr-campaign.yaml", "--platform", "1x-rtx3090",
                                       "--platform", "4x-rtx3090-pcie", "--platform", "4x-h100-sxm-nvswitch",
                                       "--json", "-j", "2"]
    return out


SLOW = {"compare-ocr-campaign"}


def binary():
    return os.environ.get("TRAINSIM", str(ROOT / "build" / "release" / "trainsim"))


def produce(args):
    env = dict(os.environ)
    env.setdefault("TRAINSIM_DATA", str(ROOT))
    p = subprocess.run([binary(), *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    if p.returncode != 0:
        raise RuntimeError(f"trainsim {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return json.loads(p.stdout)


def differences(golden, fresh, path="$"):
    """Where `fresh` differs from `golden` beyond REL_TOL (IGNORED keys skipped)."""
    out = []
    if isinstance(golden, dict) and isinstance(fresh, dict):
        for k in sorted(set(golden) | set(fresh)):
            if k in IGNORED:
                continue
            if k not in golden or k not in fresh:
                out.append(f"{path}.{k}: only in {'golden' if k in golden else 'fresh output'}")
            else:
                out += differences(golden[k], fresh[k], f"{path}.{k}")
    elif isinstance(golden, list) and isinstance(fresh, list):
        if len(golden) != len(fresh):
            out.append(f"{path}: {len(golden)} items golden, {len(fresh)} now")
        for i, (g, f) in enumerate(zip(golden, fresh)):
            out += differences(g, f, f"{path}[{i}]")
    elif isinstance(golden, bool) or isinstance(fresh, bool) or not (
            isinstance(golden, (int, float)) and isinstance(fresh, (int, float))):
        if golden != fresh:
            out.append(f"{path}: golden {golden!r}, now {fresh!r}")
    elif not math.isclose(golden, fresh, rel_tol=REL_TOL, abs_tol=1e-12 if REL_TOL else 0.0):
        out.append(f"{path}: golden {golden!r}, now {fresh!r} (relative {abs(fresh - golden) / max(abs(golden), 1e-300):.3g})")
    return out


def main(argv):
    slow = "--slow" in argv
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, args in cases(slow).items():
        print(f"golden: {name}: trainsim {' '.join(args)}", file=sys.stderr)
        data = {"command": ["trainsim", *args], "output": produce(args)}
        tmp = GOLDEN / f".{name}.json.tmp"
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        tmp.replace(GOLDEN / f"{name}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
