"""trainsim validate --reference DIR: every row runs on its own GPU, count and source (issue 13).
tests/data/reference-other-gpus holds rows on GPUs, sources and counts beyond the shipped ones: a DLE row of
V100 SXM2 32GB must run on a DGX-1 with 32 GB parts (not on A100s), an A100 SXM4 40GB row on a DGX
A100 with 40 GB parts (not the 80 GB one), Lambda rows on compact nodes of their own GPU."""
import shutil

import pytest

from conftest import ROOT, run, run_json

ROWS = ROOT / "tests" / "data" / "reference-other-gpus" / "training-throughput.csv"


@pytest.fixture
def reference(tmp_path):
    shutil.copy(ROWS, tmp_path / "training-throughput.csv")
    # How each source ran (memory format, optimizer): the shipped file, not a copy of it.
    shutil.copy(ROOT / "platforms" / "reference" / "training-setups.csv", tmp_path / "training-setups.csv")
    return tmp_path


def test_scaling_runs_every_row_on_its_own_gpu(reference):
    rows = run_json("validate", "--scaling", "--reference", reference)["rows"]
    nodes = {(r["gpu"], r["gpus"]): (r["node"], r["node_gpu"]) for r in rows}
    assert nodes == {
        ("v100-sxm2-32gb", 8): ("8x-v100-sxm2-dgx1-with-v100-sxm2-32gb", "v100-sxm2-32gb"),
        ("a100-sxm4-40gb", 8): ("8x-a100-sxm4-nvswitch-with-a100-sxm4-40gb", "a100-sxm4-40gb"),
        ("h200-sxm-141gb", 2): ("h200-sxm-141gb-x2", "h200-sxm-141gb"),
        ("rtx4090", 2): ("rtx4090-x2", "rtx4090"),
    }
    for r in rows:
        assert r["predicted_images_per_s"] > 0
        assert r["error"] == (r["predicted_images_per_s"] - r["published_images_per_s"]) / r["published_images_per_s"]


def test_the_40gb_part_is_not_the_80gb_one(reference):
    # Same board, other memory. The compute model gives both the same images/s (their eager
    # memory-bound kernels are held to the same Little's-law bandwidth by the same SMs and clock,
    # docs/compute-model.md), so the memory tells them apart: at Lambda's 80 GB batch of 1280 the
    # row fits the 80 GB part and not the 40 GB one it names.
    csv = reference / "training-throughput.csv"
    csv.write_text(csv.read_text().replace("dle,resnet50,224,amp,a100-sxm4-40gb,1,256,", "dle,resnet50,224,amp,a100-sxm4-40gb,1,1280,"))
    ours = run_json("validate", "--single-gpu", "--reference", reference)["rows"]
    shipped = run_json("validate", "--single-gpu")["rows"]
    a40 = next(r for r in ours if r["gpu"] == "a100-sxm4-40gb")
    a80 = next(r for r in shipped if r["gpu"] == "a100-sxm4-80gb" and r["source"] == "lambda" and r["precision"] == "amp")
    assert a40["batch"] == a80["batch"] == 1280
    assert a80["fits_in_memory"] and not a40["fits_in_memory"]
    assert {r["gpu"] for r in ours} == {"v100-sxm2-32gb", "a100-sxm4-40gb", "h200-sxm-141gb", "rtx4090"}


@pytest.mark.parametrize("table", ["--scaling", "--single-gpu"])
def test_a_row_whose_gpu_is_not_in_the_catalog_is_an_error_naming_the_row(reference, table):
    csv = reference / "training-throughput.csv"
    lines = csv.read_text().splitlines()
    # A multi-GPU row with no single-GPU partner: neither table runs it, both name it.
    csv.write_text("\n".join(lines + ["dle,resnet50,224,amp,v100-pcie-32gb,8,256,real,8322"]) + "\n")
    r = run("validate", table, "--reference", reference, check=False)
    assert r.returncode == 2
    assert f"training-throughput.csv:{len(lines) + 1}:" in r.stderr
    assert "'v100-pcie-32gb'" in r.stderr and "a GPU of the catalog" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("month", ["2022-13", "22-11", "2022/11", "Nov 2022"])
def test_a_measured_month_that_is_not_yyyy_mm_is_an_error_naming_the_row(reference, month):
    csv = reference / "training-throughput.csv"
    lines = csv.read_text().splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("source,"))
    rows = [i for i in range(header + 1, len(lines)) if lines[i] and not lines[i].startswith("#")]
    lines[header] += ",measured"
    for i in rows:
        lines[i] += ",2022-11"
    lines[rows[0]] = lines[rows[0]].rsplit(",", 1)[0] + "," + month
    csv.write_text("\n".join(lines) + "\n")
    r = run("validate", "--single-gpu", "--reference", reference, check=False)
    assert r.returncode == 2
    assert f"training-throughput.csv:{rows[0] + 1}:" in r.stderr
    assert "measured" in r.stderr and month in r.stderr and "YYYY-MM" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    # An empty month is allowed (the source does not say), and the column is optional.
    lines[rows[0]] = lines[rows[0]].rsplit(",", 1)[0] + ","
    csv.write_text("\n".join(lines) + "\n")
    d = run_json("validate", "--single-gpu", "--reference", reference)
    assert sorted({r["measured"] for r in d["rows"]}) == ["", "2022-11"]


def test_collectives_run_a_row_without_a_preset_on_the_compact_node_it_describes(tmp_path):
    # Figures are placeholders: this checks which node each row runs on, not the error.
    (tmp_path / "allreduce.csv").write_text("gpu,gpus,interconnect,bytes,algorithm,busbw_gbps,kind\n"
                                            "a100-sxm4-40gb,8,nvswitch,large,ring,230,placeholder\n"
                                            "h100-sxm5-80gb,8,nvswitch,large,ring,370,placeholder\n")
    rows = run_json("validate", "--collectives", "--reference", tmp_path)["rows"]
    assert [r["node"] for r in rows] == ["a100-sxm4-40gb-x8-nvswitch", "8x-h100-sxm-nvswitch"]
    assert all(r["predicted_busbw_gbps"] > 0 for r in rows)


def test_collectives_a_node_that_cannot_be_built_names_the_row(tmp_path):
    (tmp_path / "allreduce.csv").write_text("gpu,gpus,interconnect,bytes,algorithm,busbw_gbps,kind\n"
                                            "rtx3090,3,nvlink-pairs,large,ring,30,placeholder\n")
    r = run("validate", "--collectives", "--reference", tmp_path, check=False)
    assert r.returncode == 2
    assert "allreduce.csv:2:" in r.stderr and "an even number of GPUs" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
