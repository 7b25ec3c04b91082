"""trainsim profile: every shared Kineto trace read or refused clearly, the identity (a trace
predicted on its own GPU reproduces its step), the operator-shape path on a trace made here with
Debian's torch, and a profile as the workload of a scenario (docs/profiles.md)."""
import gzip
import importlib.util
import json
import subprocess
import textwrap

import pytest

from conftest import ROOT, run, run_json

TRACES = ROOT.parent / "shared" / "reference" / "traces"
RESNET = TRACES / "resnet-rtx2080ti-kineto.json.gz"
pytestmark = pytest.mark.skipif(not TRACES.is_dir(), reason="../shared/reference/traces is not there")

# trace -> the catalog GPU that recorded it (--source-gpu where the device string is ambiguous)
READABLE = {
    "resnet-rtx2080ti-kineto.json.gz": ("rtx2080ti", []),
    "dlrm-8xv100-kineto.tar.gz": ("v100-sxm2-32gb", []),
    "nccl-a100-2rank-kineto.json.gz": ("a100-sxm4-40gb", ["--source-gpu", "a100-sxm4-40gb"]),
    "fsdp-a100-16rank-shapes-kineto.json.gz": ("a100-sxm4-80gb", []),
    "alexnet-a100-kineto.json.gz": ("a100-sxm4-40gb", ["--source-gpu", "a100-sxm4-40gb"]),
    "legacy-format-inference-kineto.json.gz": ("v100-sxm2-16gb", ["--source-gpu", "v100-sxm2-16gb"]),
}
REFUSED = {
    "rocm-mi250-minitoy-kineto.json.gz": ["AMD Radeon Graphics", "ROCm", "104 compute units"],
    "cpu-only-kineto.json.gz": ["no kernel, memcpy or memset event", "ProfilerActivity.CUDA"],
}
CLASSES = {"matmul", "norm_elementwise", "optimizer", "nccl", "memcpy", "other"}


def test_every_shared_trace_is_covered():
    names = {p.name for p in TRACES.iterdir() if p.name.endswith((".json.gz", ".tar.gz"))}
    assert names == set(READABLE) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(READABLE))
def test_readable_traces_summarise(name):
    gpu, extra = READABLE[name]
    j = run_json("profile", TRACES / name, *extra)
    for key in ("gpu", "rank", "world_size", "steps", "step_s", "gpu_busy_s", "loader_wait_s", "by_class_s", "top_kernels"):
        assert key in j, key
    assert j["catalog_gpu"] == gpu
    assert set(j["by_class_s"]) == CLASSES
    assert j["steps"] >= 1 and j["step_s"]["mean"] > 0
    assert 0 < j["gpu_busy_s"] <= j["step_s"]["mean"] * (1 + 1e-9)
    # Kernel time by class adds up to at least the busy time (streams may overlap).
    assert sum(j["by_class_s"].values()) >= j["gpu_busy_s"] * (1 - 1e-9)
    assert j["top_kernels"] and j["top_kernels"][0]["total_s"] > 0


@pytest.mark.parametrize("name", sorted(READABLE))
def test_identity_own_gpu_reproduces_the_step(name):
    gpu, extra = READABLE[name]
    j = run_json("profile", TRACES / name, *extra, "--gpu", gpu)
    assert j["target_gpu"] == gpu
    assert j["predicted"]["step_s"]["mean"] == pytest.approx(j["step_s"]["mean"], rel=0.02)
    assert j["predicted"]["gpu_busy_s"] == pytest.approx(j["gpu_busy_s"], rel=0.02)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_traces_say_why(name):
    p = run("profile", TRACES / name, check=False)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and name in p.stderr
    for word in REFUSED[name]:
        assert word in p.stderr


def test_resnet_2080ti_is_loader_bound_and_predicted_on_h100():
    j = run_json("profile", RESNET, "--gpu", "h100-sxm5-80gb")
    assert j["gpu"] == "NVIDIA GeForce RTX 2080 Ti" and j["steps"] == 30 and j["step_marker"] == "enumerate(DataLoader)"
    busy = j["gpu_busy_s"] / j["step_s"]["mean"]
    assert 0.25 < busy < 0.5  # the README's "GPU busy ~40 %": 4.1 s of kernels in 10.1 s
    assert j["loader_wait_s"] > 0.4 * j["step_s"]["mean"]
    p = j["predicted"]
    # The H100 runs the fp32 kernels several times faster, but the step stays loader-bound.
    assert p["by_class_s"]["matmul"] < 0.5 * j["by_class_s"]["matmul"]
    assert p["by_class_s"]["norm_elementwise"] < 0.5 * j["by_class_s"]["norm_elementwise"]
    assert p["step_s"]["mean"] > 0.9 * j["step_s"]["mean"]
    assert p["loader_wait_s"] > j["loader_wait_s"]
    assert j["kernels_by_bound"]["compute"] > 0 and j["kernels_by_bound"]["memory"] > 0
    text = run("profile", RESNET, "--gpu", "h100-sxm5-80gb").stdout
    assert "loader-bound" in text and "h100-sxm5-80gb" in text


def test_ambiguous_gpu_needs_source_gpu():
    p = run("profile", TRACES / "nccl-a100-2rank-kineto.json.gz", "--gpu", "h100-sxm5-80gb", check=False)
    assert p.returncode == 2
    assert "NVIDIA A100-PG509-200" in p.stderr and "108 SMs" in p.stderr and "--source-gpu" in p.stderr
    p = run("profile", TRACES / "legacy-format-inference-kineto.json.gz", "--gpu", "h100-sxm5-80gb", check=False)
    assert p.returncode == 2 and "--source-gpu" in p.stderr


def test_nccl_all_reduces_are_resimulated_on_a_node():
    name = "nccl-a100-2rank-kineto.json.gz"
    kept = run_json("profile", TRACES / name, "--source-gpu", "a100-sxm4-40gb", "--gpu", "h100-sxm5-80gb")
    assert kept["predicted"]["by_class_s"]["nccl"] == pytest.approx(kept["by_class_s"]["nccl"], rel=0.05)
    sim = run_json("profile", TRACES / name, "--source-gpu", "a100-sxm4-40gb", "--gpu", "h100-sxm5-80gb",
                   "--node", "4x-h100-sxm-nvswitch")
    assert "re-simulated on 4x-h100-sxm-nvswitch" in sim["nccl"]
    # 26 MB all-reduces over NVSwitch instead of the measured ring LL kernels.
    assert sim["predicted"]["by_class_s"]["nccl"] < 0.5 * kept["by_class_s"]["nccl"]


def test_multi_rank_archive_reads_the_asked_rank():
    tar = TRACES / "dlrm-8xv100-kineto.tar.gz"
    assert run_json("profile", tar)["rank"] == 0
    j = run_json("profile", tar, "--rank", "5")
    assert j["rank"] == 5 and j["world_size"] == 8
    p = run("profile", tar, "--rank", "9", check=False)
    assert p.returncode == 2 and "ranks the archive holds: 0, 1, 2, 3, 4, 5, 6, 7" in p.stderr


def write_trace(path, events, device="NVIDIA A100-SXM4-80GB", sms=108, mem=84990623744):
    doc = {"schemaVersion": 1, "deviceProperties": [{"id": 0, "name": device, "numSms": sms, "totalGlobalMem": mem}],
           "traceEvents": events}
    with gzip.open(path, "wt") as f:
        json.dump(doc, f)


def kernel(name, ts, dur, ext, blocks=1024):
    return {"ph": "X", "cat": "kernel", "name": name, "pid": 0, "tid": 7, "ts": ts, "dur": dur,
            "args": {"External id": ext, "correlation": ext, "device": 0, "stream": 7, "grid": [blocks, 1, 1]}}


def test_unknown_nvidia_gpu_is_named(tmp_path):
    t = tmp_path / "t.json.gz"
    write_trace(t, [kernel("volta_sgemm_128x64_nn", 0, 100, 1)], device="NVIDIA Quadro RTX 5000", sms=48, mem=16 << 30)
    p = run("profile", t, "--gpu", "h100-sxm5-80gb", check=False)
    assert p.returncode == 2
    assert "NVIDIA Quadro RTX 5000" in p.stderr and "48 SMs" in p.stderr and "--source-gpu" in p.stderr


TORCH_SCRIPT = textwrap.dedent("""
    import json, sys, torch
    from torch.profiler import profile, ProfilerActivity
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512))
    for batch in (1, 4096):
        x = torch.randn(batch, 512)
        with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
            model(x).sum().backward()
        p.export_chrome_trace(f"{sys.argv[1]}/torch{batch}.json")
        ops = [{"name": e.name, "shapes": e.input_shapes} for e in p.events() if e.name in ("aten::addmm", "aten::mm")]
        json.dump(ops, open(f"{sys.argv[1]}/ops{batch}.json", "w"))
""")


@pytest.fixture(scope="module")
def torch_traces(tmp_path_factory):
    """Operators with their Input Dims as Debian's torch (CPU, record_shapes) records them, and
    its own chrome export (no Kineto in Debian's build: CPU events only)."""
    if importlib.util.find_spec("torch") is None:  # without importing it here: slow
        pytest.skip("python3-torch is not installed (scripts/install-deps.sh installs it)")
    tmp = tmp_path_factory.mktemp("torch")
    subprocess.run(["/usr/bin/python3", "-c", TORCH_SCRIPT, str(tmp)], check=True, timeout=300)
    return {b: (json.loads((tmp / f"ops{b}.json").read_text()), tmp / f"torch{b}.json") for b in (1, 4096)}


def test_cpu_trace_from_torch_is_refused_clearly(torch_traces):
    _, exported = torch_traces[1]
    p = run("profile", exported, check=False)
    assert p.returncode == 2 and "no kernel, memcpy or memset event" in p.stderr


def test_operator_shapes_decide_the_bound(torch_traces, tmp_path):
    """The same kernels, linked to torch's own matmul operators: with batch 1 (a matrix-vector
    product, ~0.5 FLOP per byte) they are memory bound; with batch 4096 compute bound."""
    bounds = {}
    for batch, (ops, _) in torch_traces.items():
        assert ops and all(o["shapes"] for o in ops)
        events, ts = [], 0
        for i, o in enumerate(ops, start=1):
            events.append({"ph": "X", "cat": "cpu_op", "name": o["name"], "pid": 1, "tid": 1, "ts": ts, "dur": 5,
                           "args": {"External id": i, "Input Dims": o["shapes"],
                                    "Input type": ["float"] * len(o["shapes"])}})
            events.append(kernel("void gemv_or_gemm_kernel", ts + 10, 50, i))
            ts += 100
        t = tmp_path / f"shapes{batch}.json.gz"
        write_trace(t, events)
        j = run_json("profile", t, "--gpu", "h100-sxm5-80gb")
        assert j["shapes"] is True
        bounds[batch] = j["kernels_by_bound"]
    assert bounds[1]["memory"] == len(torch_traces[1][0]) and bounds[1]["compute"] == 0
    assert bounds[4096]["compute"] == len(torch_traces[4096][0]) and bounds[4096]["memory"] == 0


def scenario(tmp_path, platform, extra=""):
    s = tmp_path / "profile.yaml"
    s.write_text(textwrap.dedent(f"""\
        seed: 1
        platform: {platform}
        workload:
          profile: {RESNET}
          image_px: 224
          batch_per_gpu: 32
          dataset: {{images: 12800, mean_megapixels: 0.2, mean_bytes: 110000}}
          dataloader: {{workers_per_gpu: 4}}
        {extra}run: {{epochs: 1}}
        """))
    return s


def test_profile_workload_runs_on_4x_h100(tmp_path):
    j = run_json("run", scenario(tmp_path, "4x-h100-sxm-nvswitch"), "--replay", "sampled")
    assert j["gpus"] == 4 and j["model"] == "profile:resnet-rtx2080ti-kineto.json.gz"
    assert j["images_per_s"] > 0 and j["split_s"]["exposed_comm"] >= 0
    one = run_json("run", scenario(tmp_path, "1x-h100-sxm"), "--replay", "sampled")
    # The same step on one H100: no all-reduce, a little faster per iteration.
    assert one["iteration_s"]["mean"] < j["iteration_s"]["mean"]
    # The 2080 Ti's measured compute (154 ms busy per step) shrinks on the H100 as the kernels scale.
    assert one["split_s"]["compute"] < 0.1


def test_profile_workload_errors_name_the_scenario_line(tmp_path):
    s = scenario(tmp_path, "1x-h100-sxm")
    s.write_text(s.read_text().replace(str(RESNET), str(tmp_path / "missing.json.gz")))
    p = run("run", s, check=False)
    assert p.returncode == 2 and f"{s}:4:" in p.stderr and "workload.profile" in p.stderr
    s.write_text(s.read_text().replace("  batch_per_gpu: 32\n", ""))
    p = run("run", s, check=False)
    assert p.returncode == 2


def doc_examples():
    """The `$ trainsim profile ...` blocks of docs/profiles.md with the output lines they quote."""
    text = (ROOT / "docs" / "profiles.md").read_text()
    blocks = []
    for block in text.split("```")[1::2]:
        lines = block.strip("\n").splitlines()
        if lines and lines[0].startswith("$ trainsim profile "):
            blocks.append((lines[0][2:], [l for l in lines[1:] if l != "..."]))
    return blocks


def test_docs_examples_are_what_trainsim_prints():
    examples = doc_examples()
    assert len(examples) >= 2
    for command, quoted in examples:
        args = [a.replace("../shared/reference/traces", str(TRACES)) for a in command.split()[2:]]
        out = run("profile", *args).stdout.replace(str(TRACES), "../shared/reference/traces")
        for line in quoted:
            assert line in out.splitlines(), f"{command}: {line!r} not in\n{out}"


def test_a_sweep_takes_a_profile_scenario(tmp_path):
    s = scenario(tmp_path, "1x-h100-sxm")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(f"base: {s.name}\naxes:\n  platform: [1x-h100-sxm, 4x-h100-sxm-nvswitch]\n")
    run("sweep", sweep, "--replay", "sampled", "-j", "1", "-o", tmp_path / "s.h5", "--csv", tmp_path / "s.csv")
    rows = (tmp_path / "s.csv").read_text().splitlines()
    assert len(rows) == 3 and all(",ok," in r for r in rows[1:]), rows
