"""trainsim validate --models: the compute model on other models than ResNet-50 alone, against the
published rows of platforms/reference/model-throughput.csv (timm's RTX 3090 training benchmark).
The table must run every zoo row, list the NAME.onnx rows as not run without --onnx and run them
with it (torchvision 0.14 exports made here, as test_onnx.py does), and compute each error, the
medians and the leave-one-model-out column as stated. No bound on the error's size but a sanity one."""
import csv
import hashlib
import math
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT, run, run_json

HERE = Path(__file__).resolve().parent
CSV = ROOT / "platforms" / "reference" / "model-throughput.csv"
ONNX_MODELS = ["mobilenet_v3_large", "efficientnet_b0", "vit_b_16", "convnext_tiny", "bert_base_squad"]


def reference_rows():
    with open(CSV) as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def onnx_rows():
    return [r for r in reference_rows() if r["model"].endswith(".onnx")]


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


@pytest.fixture(scope="module")
def exports():
    """The ONNX models of the table, exported once per build folder (about 40 s). The
    exports of test_onnx.py when it has made them all (the script writes NAME.json after NAME.onnx,
    so a .json means a whole file); else a folder of their own, as test_onnx.py may be exporting
    into its folder at the same time."""
    script = HERE / "onnx_exports.py"
    key = hashlib.sha256(script.read_bytes()).hexdigest()[:12]
    base = Path(os.environ["TRAINSIM_BUILD"]) if os.environ.get("TRAINSIM_BUILD") else Path(tempfile.mkdtemp())
    shared = base / "onnx-exports" / key
    if all((shared / f"{n}.json").exists() for n in ONNX_MODELS):
        return shared
    folder = base / "onnx-exports" / f"{key}-validate-models"
    missing = [n for n in ONNX_MODELS if not (folder / f"{n}.json").exists()]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["/usr/bin/python3", str(script), str(folder), *missing], check=True, timeout=900)
    return folder


def check_rows(d, ran_onnx):
    refs = reference_rows()
    rows = d["rows"]
    assert len(rows) == len(refs) >= 40
    for row, ref in zip(rows, refs):
        for key in ("source", "model", "published_model", "gpu", "precision", "memory_format", "optimizer", "data"):
            assert row[key] == ref[key], key
        assert row["batch"] == int(ref["batch"]) and row["image_px"] == int(ref["image_px"])
        assert row["published_images_per_s"] == float(ref["images_per_s"])
        onnx = ref["model"].endswith(".onnx")
        assert row["run"] == (ran_onnx or not onnx)
        if not row["run"]:
            assert "--onnx" in row["not_run"]
            continue
        assert row["predicted_images_per_s"] > 0
        assert row["error"] == (row["predicted_images_per_s"] - row["published_images_per_s"]) / row["published_images_per_s"]
        # Sanity only: within a factor of two of what the source measured.
        assert 0.5 < row["predicted_images_per_s"] / row["published_images_per_s"] < 2.0
    ran = [r for r in rows if r["run"]]
    errors = [abs(r["error"]) for r in ran]
    assert d["summary"]["rows"] == len(rows) and d["summary"]["run"] == len(ran)
    assert d["summary"]["median_abs_error"] == pytest.approx(median(errors), rel=1e-12)
    assert d["summary"]["worst_abs_error"] == max(errors)
    # Leave one model out: each row's factor is the geometric mean of published / predicted over
    # the rows of the other models.
    for r in ran:
        logs = [math.log(o["published_images_per_s"] / o["predicted_images_per_s"]) for o in ran if o["model"] != r["model"]]
        factor = math.exp(sum(logs) / len(logs))
        assert r["lomo_factor"] == pytest.approx(factor, rel=1e-9)
        want = (factor * r["predicted_images_per_s"] - r["published_images_per_s"]) / r["published_images_per_s"]
        assert r["lomo_error"] == pytest.approx(want, rel=1e-9, abs=1e-12)
    assert d["summary"]["lomo_median_abs_error"] == pytest.approx(median([abs(r["lomo_error"]) for r in ran]))
    return ran


def test_zoo_rows_run_and_onnx_rows_are_listed_as_not_run():
    ran = check_rows(run_json("validate", "--models"), ran_onnx=False)
    assert {r["model"] for r in ran} == {"resnet18", "resnet34", "resnet50", "resnet101", "hrnet-w18", "hrnet-w32", "hrnet-w44"}
    # Each zoo model is the source's model: timm's parameter counts (results CSV, millions).
    params = {r["model"]: r["params"] for r in ran}
    assert params["resnet50"] == 25557032 and params["hrnet-w18"] == 21299004


def test_the_same_model_the_source_ran_same_parameter_counts():
    """Parameter counts in millions as the source's param_count column gives them (quoted in the
    CSV's header comment): the pairing is the same architecture."""
    timm_millions = {"resnet18": 11.69, "resnet34": 21.8, "resnet50": 25.56, "resnet101": 44.55,
                     "hrnet-w18": 21.3, "hrnet-w32": 41.23, "hrnet-w44": 67.06}
    for r in run_json("validate", "--models")["rows"]:
        if r["run"]:
            assert round(r["params"] / 1e6, 2) == timm_millions[r["model"]]


def test_onnx_rows_run_with_the_exports(exports):
    d = run_json("validate", "--models", "--onnx", exports)
    ran = check_rows(d, ran_onnx=True)
    onnx = [r for r in ran if r["model"].endswith(".onnx")]
    assert len(onnx) == len(onnx_rows()) >= 16
    # The sources' own counts (timm's param_count; DLE: "5.3 M" for EfficientNet-B0, as timm's 5.29).
    timm_millions = {"mobilenet_v3_large.onnx": 5.48, "efficientnet_b0.onnx": 5.29, "vit_b_16.onnx": 86.57,
                     "convnext_tiny.onnx": 28.59}
    for r in onnx:
        assert r["model_file"] == str(exports / r["model"])
        if r["model"] == "bert_base_squad.onnx":  # the run's log: model_weights_num 109488386, less the pooler's 768 x 769
            assert r["params"] == 109488386 - 768 * 769
        else:
            assert round(r["params"] / 1e6, 2) == timm_millions[r["model"]]
    # A token model's row gives its sequence length where an image model's gives its side.
    assert {r["image_px"] for r in onnx if r["model"] == "bert_base_squad.onnx"} == {384}


def test_a_missing_onnx_file_is_not_run_with_its_path(tmp_path):
    d = run_json("validate", "--models", "--onnx", tmp_path)
    missing = [r for r in d["rows"] if not r["run"]]
    assert len(missing) == len(onnx_rows())
    assert all(r["not_run"] == f"no file {tmp_path / r['model']}" for r in missing)


def test_text_table():
    r = run("validate", "--models")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "platforms/reference/model-throughput.csv" in out
    assert "LOMO-cal error" in out and "By model" in out and "median |error|" in out
    n = len(onnx_rows())
    assert f"Not run ({n} rows)" in out and out.count(" not run ") == n
    for model in ("resnet18", "hrnet-w44", "vit_b_16.onnx"):
        assert model in out


def test_reference_may_name_the_file_and_bad_rows_name_their_cell(tmp_path):
    rows = CSV.read_text().splitlines()
    header = next(i for i, l in enumerate(rows) if l.startswith("source,"))
    f = tmp_path / "mine.csv"
    f.write_text("\n".join(rows[header:header + 2]) + "\n")
    d = run_json("validate", "--models", "--reference", f)
    assert len(d["rows"]) == 1 and d["rows"][0]["line"] == 2
    # A row on a GPU the catalog knows, with a precision it has no tensor cores for (bf16 on a V100).
    f.write_text(rows[header] + "\ntimm,resnet50,resnet50,v100-sxm2-16gb,bf16,nchw,sgd,64,224,synthetic,100\n")
    r = run("validate", "--models", "--reference", f, check=False)
    assert r.returncode == 2
    assert r.stderr.startswith(f"trainsim: error: {f}:2:") and len(r.stderr.strip().splitlines()) == 1


def test_onnx_goes_with_models():
    r = run("validate", "--single-gpu", "--onnx", ".", check=False)
    assert r.returncode != 0 and "--onnx goes with --models" in r.stderr
