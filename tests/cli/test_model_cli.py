"""trainsim model and trainsim validate --single-gpu, through the binary."""
import json
import math
import os
import subprocess

import pytest

TRAINSIM = os.environ.get("TRAINSIM", "build/release/trainsim")


def run(*args):
    return subprocess.run([TRAINSIM, *args], capture_output=True, text=True, timeout=300)


def run_json(*args):
    r = run(*args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_model_json_has_the_documented_keys():
    d = run_json("model", "dbnet-hrnet-w44", "--image-px", "1024", "--batch", "4", "--gpu", "rtx3090",
                 "--precision", "amp")
    for key in ("params", "gflops_forward_per_image", "gflops_train_per_image", "activation_gb", "max_batch",
                "batch", "iteration_s", "images_per_s", "forward_s", "backward_s", "optimizer_s", "top_layers"):
        assert key in d, key
    assert d["batch"] == 4
    assert d["max_batch"] >= 4  # the OCR report trained with batch 4 on this card
    assert abs(d["iteration_s"] - (d["forward_s"] + d["backward_s"] + d["optimizer_s"])) < 1e-12
    assert abs(d["images_per_s"] - 4 / d["iteration_s"]) < 1e-9
    assert d["gflops_train_per_image"] > 2.5 * d["gflops_forward_per_image"]
    assert all(layer["bound"] in ("compute", "memory") for layer in d["top_layers"])


def test_batch_auto_is_the_max_batch_and_rectangular_inputs_work():
    d = run_json("model", "dbnet-resnet50", "--image-px", "960,640", "--batch", "auto", "--gpu", "a100-sxm4-40gb")
    assert d["batch"] == d["max_batch"] > 1
    assert (d["height_px"], d["width_px"]) == (960, 640)


def test_calibration_reproduces_the_measurement_on_its_own_gpu_and_scales_others():
    args = ["model", "dbnet-hrnet-w44", "--image-px", "1024", "--batch", "4", "--calibrate-ms", "450",
            "--calibrate-gpu", "rtx3090"]
    own = run_json(*args, "--gpu", "rtx3090")
    assert abs(own["calibrated"]["iteration_s"] - 0.450) < 1e-9
    other = run_json(*args, "--gpu", "h100-sxm5-80gb")
    factor = own["calibrated"]["factor"]
    assert abs(other["calibrated"]["iteration_s"] - factor * other["iteration_s"]) < 1e-9
    text = run(*args, "--gpu", "h100-sxm5-80gb").stdout
    assert "uncalibrated" in text and "calibrated" in text


def test_every_gpu_table():
    r = run("model", "resnet50", "--gpu", "all", "--batch", "64")
    assert r.returncode == 0, r.stderr
    assert "h100-sxm5-80gb" in r.stdout and "rtx3090" in r.stdout


def test_bad_inputs_are_one_line_with_exit_status_2():
    cases = [
        (["model", "resnet-5O"], "did you mean"),
        (["model", "resnet50", "--gpu", "a100-sxm4-80gb", "--precision", "fp8"], "fp8"),
        (["model", "resnet50", "--gpu", "v100-sxm2-16gb", "--precision", "tf32"], "tf32"),
        (["model", "resnet50", "--image-px", "0"], "--image-px"),
        (["model", "dbnet-resnet18", "--image-px", "1000"], "multiple of 32"),
        (["model", "dbnet-hrnet-w44", "--image-px", "1024", "--batch", "64"], "GB"),
        (["model", "resnet50", "--precision", "fp64"], "--precision"),
        (["model", "resnet50", "--optimizer", "lamb"], "--optimizer"),
        (["model", "resnet50", "--calibrate-ms", "450"], "--calibrate-gpu"),
    ]
    for args, needle in cases:
        r = run(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert needle in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)


def test_single_gpu_validation_median_error_within_15_percent():
    d = run_json("validate", "--single-gpu")
    rows = d["rows"]
    assert len(rows) == 41  # the gpus = 1 rows of training-throughput.csv
    assert all(r["fits_in_memory"] for r in rows)  # every batch the benchmarks ran fits the memory model
    errors = sorted(abs(r["error"]) for r in rows)
    assert abs(d["summary"]["median_abs_error"] - errors[20]) < 1e-12
    # The issue's floor; never loosen it. (Issue 14's goal is 5 % median, no row beyond 10 %.)
    assert d["summary"]["median_abs_error"] <= 0.15
    # The ten rows the per-GPU model was written with: median within issue 14's 5 %.
    first = sorted(abs(r["error"]) for r in rows[:10])
    assert (first[4] + first[5]) / 2 <= 0.05
    ocr = d["ocr_case"]
    assert ocr["measured_iteration_s"] == 0.45 and ocr["predicted_iteration_s"] > 0
    # The report's HRNet-W44 iteration without calibration (issue 14: within 10 %).
    assert abs(ocr["error"]) <= 0.10


def test_single_gpu_leave_one_gpu_out_fits_each_factor_without_its_gpu():
    d = run_json("validate", "--single-gpu")
    rows = d["rows"]
    for r in rows:
        others = [o for o in rows if o["gpu"] != r["gpu"]]
        logs = [math.log(o["published_images_per_s"] / o["predicted_images_per_s"]) for o in others]
        factor = math.exp(sum(logs) / len(logs))
        assert r["logo_factor"] == pytest.approx(factor, rel=1e-9)
        want = (factor * r["predicted_images_per_s"] - r["published_images_per_s"]) / r["published_images_per_s"]
        assert r["logo_error"] == pytest.approx(want, rel=1e-9, abs=1e-12)
    logo = sorted(abs(r["logo_error"]) for r in rows)
    assert d["summary"]["logo_median_abs_error"] == pytest.approx(logo[len(logo) // 2])
    assert d["summary"]["logo_worst_abs_error"] == pytest.approx(logo[-1])


def test_single_gpu_rows_that_measure_one_thing_and_disagree_are_read_as_a_range():
    d = run_json("validate", "--single-gpu")
    rows = d["rows"]
    # what a row measures: not its source, batch, data or month
    keys = ("model", "gpu", "precision", "memory_format")
    groups = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in keys), []).append(r)
    disagreeing = [g for g in groups.values() if len({r["published_images_per_s"] for r in g}) > 1]
    # DLE's A100 TF32 (2021) against Lambda's (2022); DLE's V100 FP32 against Lambda's; Lambda's
    # H100 SXM5 systems (2023, 2024), amp and tf32; its three H100 PCIe systems, amp and tf32; one
    # GH200 node's amp runs on two days of one month (2024-10-17 and -18, 4 % apart).
    assert len(disagreeing) == d["summary"]["disagreeing_ranges"] == 7
    for g in disagreeing:
        months = {r["measured"] for r in g}
        assert len(months) >= 2 or (g[0]["gpu"] == "gh200-96gb" and months == {"2024-10"})
    for g in groups.values():
        low = min(r["published_images_per_s"] for r in g)
        high = max(r["published_images_per_s"] for r in g)
        errors = [r["error"] for r in g]
        want = 0.0 if min(errors) <= 0 <= max(errors) else min(errors, key=abs)
        for r in g:
            assert r["range_rows"] == len(g)
            assert (r["range_published_low"], r["range_published_high"]) == (low, high)
            assert r["range_error"] == pytest.approx(want, abs=1e-12)
            if len(g) == 1:
                assert r["range_error"] == pytest.approx(r["error"], abs=1e-12)
    # a range never makes a row worse than its own error
    assert all(abs(r["range_error"]) <= abs(r["error"]) + 1e-12 for r in rows)
    assert d["summary"]["range_worst_abs_error"] == pytest.approx(max(abs(r["range_error"]) for r in rows))


def test_single_gpu_validation_text():
    r = run("validate", "--single-gpu")
    assert r.returncode == 0, r.stderr
    assert "median |error|" in r.stdout and "OCR case" in r.stdout
    # the month of each row, and each range with the months of its rows
    d = run_json("validate", "--single-gpu")
    table = r.stdout.splitlines()
    header = next(l for l in table if l.startswith("source"))
    assert "measured" in header.split()
    for row in d["rows"]:
        assert row["measured"] == "" or f" {row['measured']} " in r.stdout
    ranges = [l for l in table if l.startswith("  ") and "against the range" in l]
    assert len(ranges) == d["summary"]["disagreeing_ranges"]
    assert any("dle 938 img/s (2021-03)" in l and "lambda 1066 img/s (2022-11)" in l for l in ranges)


def test_docs_quote_the_outputs_as_they_come_out():
    """docs/compute-model.md quotes these outputs; a change of model or constants must update it."""
    root = os.environ.get("TRAINSIM_DATA", ".")
    with open(os.path.join(root, "docs", "compute-model.md"), encoding="utf-8") as f:
        doc = f.read()
    quoted = [
        # from the table's header on (the lines above it say what the table is)
        (lambda out: out[next(i for i, l in enumerate(out) if l.startswith("source")):])(
            run("validate", "--single-gpu").stdout.splitlines()),
        run("model", "dbnet-hrnet-w44", "--image-px", "1024", "--batch", "4", "--gpu", "h100-sxm5-80gb",
            "--calibrate-ms", "450", "--calibrate-gpu", "rtx3090").stdout.split("calibrated: x")[1].splitlines()[1:8],
        run("model", "dbnet-hrnet-w44", "--image-px", "1024", "--batch", "64").stderr.splitlines(),
    ]
    for lines in quoted:
        for line in lines:
            if line.strip():
                assert line in doc, line
