"""The compute model against a real profiler trace of the same work.

../shared/reference/traces/nccl-a100-2rank-kineto.json.gz is rank 0 of a two-GPU DDP ResNet-50
training on A100 SXM4 40GB (PG509-200) in TF32 with NCHW tensors: per step 53 convolutions, 53
batch norms, 49 ReLUs, 16 residual adds; its CUTLASS GEMM kernels have grid z = 32, the images per
GPU. Its GPU kernels per step, NCCL and copies left out, are what `trainsim model resnet50 --gpu
a100-sxm4-40gb --precision tf32 --batch 32` predicts. Before the model charged TF32's layout
transposes (4.2 ms of nchwToNhwcKernel per step in this trace) it predicted 32.8 ms against the
trace's 38.6 ms (-15 %).
"""
import pytest

from conftest import ROOT, run, run_json

TRACE = ROOT.parent / "shared" / "reference" / "traces" / "nccl-a100-2rank-kineto.json.gz"
pytestmark = pytest.mark.skipif(not TRACE.is_file(), reason="../shared/reference/traces is not there")


def measured_compute_s():
    j = run_json("profile", TRACE, "--source-gpu", "a100-sxm4-40gb")
    c = j["by_class_s"]
    return c["matmul"] + c["norm_elementwise"] + c["optimizer"], c


def predicted(precision="tf32", *extra):
    return run_json("model", "resnet50", "--gpu", "a100-sxm4-40gb", "--precision", precision,
                    "--batch", "32", "--optimizer", "sgd", "--top", "400", *extra)


def test_resnet50_tf32_step_within_10_percent_of_the_trace():
    measured, _ = measured_compute_s()
    p = predicted()
    error = p["iteration_s"] / measured - 1
    assert abs(error) < 0.10, f"predicted {p['iteration_s'] * 1e3:.2f} ms, trace {measured * 1e3:.2f} ms"


def test_profile_model_check_compares_the_same_work_per_class():
    """`trainsim profile TRACE --model ...` puts the compute model beside the trace, per kernel class."""
    j = run_json("profile", TRACE, "--source-gpu", "a100-sxm4-40gb", "--model", "resnet50", "--batch", "32",
                 "--precision", "tf32")
    check = j["model_check"]
    measured, classes = measured_compute_s()
    assert check["measured_compute_s"] == pytest.approx(measured)
    predicted_s = check["predicted_s"]
    # the classes add up, and the total is what `trainsim model` says for the same setup
    assert predicted_s["compute"] == pytest.approx(predicted_s["matmul"] + predicted_s["norm_elementwise"] +
                                                   predicted_s["optimizer"])
    assert predicted_s["compute"] == pytest.approx(predicted()["iteration_s"])
    assert check["ratio"] == pytest.approx(predicted_s["compute"] / measured)
    # memory kernels (batch norm, ReLU, adds, transposes) carry most of this step, in both
    assert predicted_s["norm_elementwise"] > predicted_s["matmul"]
    assert classes["norm_elementwise"] > classes["matmul"]
    assert "resnet50 at 224x224 px, tf32, NCHW, batch 32, sgd on a100-sxm4-40gb" == check["setup"]


def test_profile_model_check_needs_its_batch_and_a_known_model():
    p = run("profile", TRACE, "--source-gpu", "a100-sxm4-40gb", "--model", "resnet50", check=False)
    assert p.returncode == 2 and "--model and --batch go together" in p.stderr
    p = run("profile", TRACE, "--source-gpu", "a100-sxm4-40gb", "--model", "resnet5", "--batch", "32", check=False)
    assert p.returncode == 2 and "key '--model': value 'resnet5'" in p.stderr and p.stdout == ""
    p = run("profile", TRACE, "--source-gpu", "a100-sxm4-40gb", "--model", "resnet50", "--batch", "32",
            "--precision", "fp8", check=False)
    assert p.returncode == 2 and "key '--precision': value 'fp8'" in p.stderr and p.stdout == ""
    # the GPU must be known to predict on it: the A100 device string fits two catalog parts
    p = run("profile", TRACE, "--model", "resnet50", "--batch", "32", check=False)
    assert p.returncode == 2 and "--source-gpu" in p.stderr


def test_tf32_transposes_are_charged_like_the_trace_shows():
    # The trace spends 4.2 ms per step in nchwToNhwcKernel and 0.8 ms in nhwcToNchwKernel: in
    # channels-last the same model has none of them, so NCHW must cost at least 3 ms more.
    nchw = predicted()["iteration_s"]
    nhwc = predicted("tf32", "--channels-last")["iteration_s"]
    assert nchw - nhwc > 0.003
    assert nchw - nhwc < 0.008
