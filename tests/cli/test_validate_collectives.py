"""trainsim validate --collectives: the engine's all-reduce bus bandwidth against the published
figures of platforms/reference/allreduce.csv. The median |error| must stay within 15 %."""
import csv
import json
import os
import subprocess

TRAINSIM = os.environ.get("TRAINSIM", "build/release/trainsim")
DATA = os.environ.get("TRAINSIM_DATA", ".")


def reference_rows():
    with open(os.path.join(DATA, "platforms", "reference", "allreduce.csv")) as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def test_every_reference_row_is_predicted_and_the_median_error_is_within_15_percent():
    r = subprocess.run([TRAINSIM, "validate", "--collectives", "--json"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    refs = reference_rows()
    assert len(d["rows"]) == len(refs)
    errors = []
    for row, ref in zip(d["rows"], refs):
        assert row["gpu"] == ref["gpu"] and row["gpus"] == int(ref["gpus"])
        assert row["reference_busbw_gbps"] == float(ref["busbw_gbps"])
        assert row["bytes"] == 8 * 1024 ** 3  # "large"
        if ref["algorithm"] != "auto":
            assert row["algorithm_run"] == ref["algorithm"]
        assert row["error"] == (row["predicted_busbw_gbps"] - row["reference_busbw_gbps"]) / row["reference_busbw_gbps"]
        errors.append(abs(row["error"]))
    errors.sort()
    median = errors[len(errors) // 2] if len(errors) % 2 else 0.5 * (errors[len(errors) // 2 - 1] + errors[len(errors) // 2])
    assert d["median_abs_error"] == median
    assert median <= 0.15
    # NVLink3 (A100) has its own protocol efficiency from nccl-tests figures other than this row's:
    # issue 14 asks for that row within 10 %.
    [a100] = [row for row in d["rows"] if row["gpu"] == "a100-sxm4-80gb"]
    assert abs(a100["error"]) <= 0.10


def test_text_table_names_each_row_and_the_median():
    r = subprocess.run([TRAINSIM, "validate", "--collectives"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "8x-h100-sxm-nvswitch" in r.stdout and "8x-a100-sxm4-nvswitch" in r.stdout
    assert "median |error|" in r.stdout


def test_a_bad_reference_file_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "allreduce.csv").write_text("gpu,gpus,interconnect,bytes,algorithm,busbw_gbps,kind\n"
                                            "h100-sxm5-80gb,8,nvswitch,large,rign,370,x\n")
    r = subprocess.run([TRAINSIM, "validate", "--collectives", "--reference", str(tmp_path)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2
    assert "allreduce.csv:2:" in r.stderr and "did you mean 'ring'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def multinode_rows():
    with open(os.path.join(DATA, "platforms", "reference", "allreduce-multinode.csv")) as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def test_every_multinode_row_is_within_15_percent_of_the_maintainers_figure():
    r = subprocess.run([TRAINSIM, "validate", "--collectives", "--json"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["multinode_rows"]
    refs = multinode_rows()
    assert len(rows) == len(refs) >= 5
    for row, ref in zip(rows, refs):
        assert row["reference_busbw_gbps"] == float(ref["busbw_gbps"])
        assert row["source"] == ref["source"]
        assert row["error"] == (row["predicted_busbw_gbps"] - row["reference_busbw_gbps"]) / row["reference_busbw_gbps"]
        assert abs(row["error"]) <= 0.15, row
        # What auto runs: the hierarchical all-reduce on machines of several GPUs, the ring on 1-GPU nodes.
        assert row["auto_error"] == (row["auto_busbw_gbps"] - row["reference_busbw_gbps"]) / row["reference_busbw_gbps"]
        assert abs(row["auto_error"]) <= 0.15, row
        assert row["auto_algorithm"] == ("hierarchical" if "dgx" in row["platform"] else "ring"), row
    # The whole-node rows carry all 8 rails: far above one NIC's figure.
    by_platform = {row["platform"]: row for row in rows}
    assert by_platform["4x-dgx-h100"]["predicted_busbw_gbps"] > 7 * by_platform["2x-1gpu-400g"]["predicted_busbw_gbps"]
