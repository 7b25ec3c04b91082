"""ONNX import (docs/models.md) against PyTorch itself: the models are exported at test time with
Debian's torch 1.13 / torchvision 0.14 (onnx_exports.py), once per build folder (the exports are
kept under $TRAINSIM_BUILD/onnx-exports, keyed by the export script), and trainsim must reproduce
their parameter counts and forward multiply-adds exactly, and the zoo's resnet50 figures."""
import hashlib
import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import run, run_json

HERE = Path(__file__).resolve().parent
TRAINED = ["resnet50", "mobilenet_v3_large", "efficientnet_b0", "vit_b_16", "convnext_tiny", "unet", "dbnet_fpn",
           "bert_base_squad"]
ALL = TRAINED + ["resnet18_eval"]


@pytest.fixture(scope="session")
def exports():
    script = HERE / "onnx_exports.py"
    key = hashlib.sha256(script.read_bytes()).hexdigest()[:12]
    base = Path(os.environ["TRAINSIM_BUILD"]) if os.environ.get("TRAINSIM_BUILD") else Path(tempfile.mkdtemp())
    folder = base / "onnx-exports" / key
    missing = [n for n in ALL if not (folder / f"{n}.json").exists()]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        # ViT-B/16 and BERT-base take most of the time: export them beside the others (2 cores).
        big = ("vit_b_16", "bert_base_squad")
        groups = [[n for n in missing if n in big], [n for n in missing if n not in big]]
        procs = [subprocess.Popen(["/usr/bin/python3", str(script), str(folder), *g]) for g in groups if g]
        for p in procs:
            assert p.wait(timeout=900) == 0
    return folder


@pytest.mark.parametrize("name", TRAINED)
def test_counts_match_pytorch(exports, name):
    counts = json.loads((exports / f"{name}.json").read_text())
    j = run_json("model", exports / f"{name}.onnx", "--gpu", "h100-sxm5-80gb", "--batch", "8", "--strict")
    assert j["params"] == counts["params"]
    assert round(j["gflops_forward_per_image"] * 1e9 / 2) == counts["macs"]
    assert j["onnx"]["unmodelled"] == {}
    assert not j["onnx"]["folded_batchnorm"]
    assert j["iteration_s"] > 0


def test_resnet50_is_the_zoos(exports):
    onnx = run_json("model", exports / "resnet50.onnx", "--gpu", "a100-sxm4-80gb", "--batch", "64")
    zoo = run_json("model", "resnet50", "--gpu", "a100-sxm4-80gb", "--batch", "64")
    for key in ("params", "gflops_forward_per_image", "gflops_train_per_image", "activation_gb", "max_batch",
                "forward_s", "backward_s", "optimizer_s", "iteration_s", "gradient_bytes", "input_bytes_per_sample"):
        assert onnx[key] == zoo[key], key


def test_eval_export_is_recognised_as_folded(exports):
    p = run("model", exports / "resnet18_eval.onnx", "--gpu", "rtx3090", "--batch", "8", "--json")
    assert json.loads(p.stdout)["onnx"]["folded_batchnorm"]
    assert "eval-mode export" in p.stderr and "resnet18_eval.onnx" in p.stderr


def test_unmodelled_operators_are_listed_and_strict_refuses(exports, tmp_path):
    # A graph with an operator trainsim does not model (CumSum), built by the export script's torch.
    code = ("import torch\n"
            "class M(torch.nn.Module):\n"
            "    def __init__(self):\n        super().__init__(); self.c = torch.nn.Conv2d(3, 8, 3)\n"
            "    def forward(self, x):\n        y = self.c(x)\n        return torch.cumsum(y, 1)\n"
            f"torch.onnx.export(M(), torch.randn(1, 3, 32, 32), '{tmp_path}/cumsum.onnx', opset_version=14,\n"
            "    training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)\n")
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, capture_output=True)
    j = run_json("model", tmp_path / "cumsum.onnx", "--gpu", "rtx3090", "--batch", "4")
    assert j["onnx"]["unmodelled"] == {"CumSum": 1}
    layers = run("model", tmp_path / "cumsum.onnx", "--gpu", "rtx3090", "--batch", "4").stdout
    assert "CumSum x1" in layers
    p = run("model", tmp_path / "cumsum.onnx", "--strict", check=False)
    assert p.returncode == 2 and "CumSum x1" in p.stderr and "cumsum.onnx" in p.stderr


@pytest.mark.parametrize("name", ["vit_b_16", "dbnet_fpn"])
def test_run_on_4x_h100(exports, name, tmp_path):
    scenario = tmp_path / "s.yaml"
    (tmp_path / "m.onnx").symlink_to(exports / f"{name}.onnx")
    scenario.write_text("platform: 4x-h100-sxm-nvswitch\nworkload:\n  model: m.onnx\n  batch_per_gpu: 16\n"
                        "  dataset: {images: 2000, synthetic: true}\nrun: {iterations: 4}\n")
    j = run_json("run", scenario, "--no-baseline")
    assert j["gpus"] == 4 and j["images_per_s"] > 0


def test_token_model_runs_with_its_baseline(exports, tmp_path):
    # The 1-GPU baseline child re-reads the resolved scenario: a token model carries no image size.
    # Its samples are tokenized ahead (DLE's TensorDataset in memory): no decode, no data stall.
    scenario = tmp_path / "bert.yaml"
    (tmp_path / "bert.onnx").symlink_to(exports / "bert_base_squad.onnx")
    scenario.write_text("platform: 4x-h100-sxm-nvswitch\nworkload:\n  model: bert.onnx\n  precision: amp\n"
                        "  batch_per_gpu: 16\n  optimizer: adamw\n  dataset: {images: 88641, synthetic: false}\n"
                        "run: {iterations: 4}\n")
    j = run_json("run", scenario)
    assert j["gpus"] == 4 and j["model"] == "bert"  # named after its file
    assert 0 < j["scaling_efficiency"] <= 1 and j["baseline_images_per_s"] > 0
    assert j["split_s"]["data_stall"] < 1e-3 * j["iteration_s"]["mean"]  # the ids' host-to-device copy only
    assert "sequences/s" in run("run", scenario, "--no-baseline").stdout
    # An image size for a token model is one clear line, exit 2.
    scenario.write_text(scenario.read_text().replace("  precision: amp\n", "  precision: amp\n  image_px: 384\n"))
    r = run("run", scenario, check=False)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "workload.image_px" in r.stderr and "token model (384 tokens" in r.stderr


def test_model_file_is_part_of_the_sweep_identity(exports, tmp_path):
    model = tmp_path / "m.onnx"
    (tmp_path / "s.yaml").write_text("platform: 1x-rtx3090\nworkload:\n  model: m.onnx\n  batch_per_gpu: 2\n"
                                     "  dataset: {images: 100, synthetic: true}\nrun: {iterations: 2}\n")
    (tmp_path / "sweep.yaml").write_text("base: s.yaml\npoints:\n  - {workload.batch_per_gpu: 2}\n"
                                         "  - {workload.batch_per_gpu: 4}\n")

    def sweep_id():
        return run_json("sweep", tmp_path / "sweep.yaml", "--check")["sweep_id"]

    model.symlink_to(exports / "unet.onnx")
    first = sweep_id()
    assert sweep_id() == first
    model.unlink()
    model.symlink_to(exports / "dbnet_fpn.onnx")  # same path, another file
    assert sweep_id() != first


def test_layer_norm_below_opset_17_is_one_norm(tmp_path):
    # torch exports nn.LayerNorm as LayerNormalization at opset 17 and as ReduceMean, Sub, Pow,
    # ReduceMean, Add, Sqrt, Div, Mul, Add below: both must be the same single normalisation layer.
    code = ("import torch\n"
            "m = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.LayerNorm(128), torch.nn.ReLU(),\n"
            "                        torch.nn.Linear(128, 10))\n"
            "for opset in (14, 17):\n"
            f"    torch.onnx.export(m, torch.randn(1, 16, 64), f'{tmp_path}/ln{{opset}}.onnx', opset_version=opset,\n"
            "        training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)\n")
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, capture_output=True)
    old = run_json("model", tmp_path / "ln14.onnx", "--gpu", "rtx3090", "--batch", "32", "--strict")
    new = run_json("model", tmp_path / "ln17.onnx", "--gpu", "rtx3090", "--batch", "32", "--strict")
    assert old["params"] == new["params"] == 64 * 128 + 128 + 2 * 128 + 128 * 10 + 10
    for key in ("gflops_forward_per_image", "activation_gb", "forward_s", "backward_s", "iteration_s"):
        assert old[key] == new[key], key


def test_silu_and_hardswish_are_one_kernel_each_way(tmp_path):
    # torch exports nn.SiLU as Mul(x, Sigmoid(x)) and nn.Hardswish below opset 14 as Mul(x, HardSigmoid(x));
    # eager PyTorch runs each as one kernel forward and one backward, as the opset-14 HardSwish operator.
    code = ("import torch\n"
            "def m(act):\n"
            "    torch.manual_seed(0)\n"
            "    return torch.nn.Sequential(torch.nn.Conv2d(3, 32, 3), torch.nn.BatchNorm2d(32), act,\n"
            "                               torch.nn.Conv2d(32, 32, 3), torch.nn.Flatten(), torch.nn.Linear(32 * 28 * 28, 10))\n"
            "for name, act, opset in (('silu', torch.nn.SiLU(), 14), ('hs13', torch.nn.Hardswish(), 13),\n"
            "                         ('hs14', torch.nn.Hardswish(), 14)):\n"
            f"    torch.onnx.export(m(act), torch.randn(1, 3, 32, 32), f'{tmp_path}/{{name}}.onnx', opset_version=opset,\n"
            "        training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)\n")
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, capture_output=True)
    runs = {n: run_json("model", tmp_path / f"{n}.onnx", "--gpu", "rtx3090", "--batch", "64", "--strict", "--top", "20")
            for n in ("silu", "hs13", "hs14")}
    for n in ("silu", "hs13"):
        kinds = [l["kind"] for l in runs[n]["top_layers"]]
        assert kinds.count("elementwise") == 1 and "sigmoid" not in kinds, (n, kinds)
        for key in ("activation_gb", "forward_s", "backward_s", "iteration_s"):
            assert runs[n][key] == runs["hs14"][key], (n, key)


def test_gelu_is_one_kernel_each_way(tmp_path):
    # torch 1.13 exports F.gelu as Div(x, sqrt 2) -> Erf -> Add 1 -> Mul x -> Mul 0.5; eager PyTorch runs one
    # gelu kernel forward and one gelu_backward, read x / write y and read dy, x / write dx: as SiLU's. So does
    # torch's tanh approximation (approximate='tanh'); the same formula written out in Python (Hugging Face's
    # NewGELU) runs each operator as its own kernel and is charged so.
    code = ("import math, torch\n"
            "class NewGELU(torch.nn.Module):\n"
            "    def forward(self, x):\n"
            "        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))\n"
            "for name, act in (('gelu', torch.nn.GELU()), ('silu', torch.nn.SiLU()),\n"
            "                  ('tanh', torch.nn.GELU(approximate='tanh')), ('newgelu', NewGELU())):\n"
            "    torch.manual_seed(0)\n"
            "    m = torch.nn.Sequential(torch.nn.Linear(64, 256), act, torch.nn.Linear(256, 64))\n"
            f"    torch.onnx.export(m, torch.randn(1, 128, 64), f'{tmp_path}/{{name}}.onnx', opset_version=17,\n"
            "        training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)\n")
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, capture_output=True)
    names = ("gelu", "silu", "tanh", "newgelu")
    runs = {n: run_json("model", tmp_path / f"{n}.onnx", "--gpu", "rtx3090", "--batch", "64", "--strict", "--top", "20")
            for n in names}
    for n in ("gelu", "tanh"):
        kinds = [l["kind"] for l in runs[n]["top_layers"]]
        assert kinds.count("elementwise") == 1 and kinds.count("linear") == 2, (n, kinds)
        for key in ("activation_gb", "forward_s", "backward_s", "iteration_s"):
            assert runs[n][key] == runs["silu"][key], (n, key)
    newgelu = [l["kind"] for l in runs["newgelu"]["top_layers"]]
    assert newgelu.count("elementwise") + newgelu.count("add") == 8, newgelu  # Mul, Pow, Mul, Add, Mul, Tanh, Add, Mul
    assert runs["newgelu"]["forward_s"] > runs["tanh"]["forward_s"]


def test_token_model(exports):
    """A [batch, tokens] integer input is a token model: its size is its sequence length."""
    j = run_json("model", exports / "bert_base_squad.onnx", "--gpu", "a100-sxm4-80gb", "--batch", "32")
    assert j["tokens"] == 384
    text = run("model", exports / "bert_base_squad.onnx", "--gpu", "a100-sxm4-80gb", "--batch", "32").stdout
    assert text.startswith("bert_base_squad at 384 tokens on a100-sxm4-80gb") and "sequences/s on one GPU" in text
    table = run("model", exports / "bert_base_squad.onnx", "--gpu", "all", "--batch", "8").stdout
    assert table.startswith("bert_base_squad at 384 tokens,") and "sequences/s" in table.splitlines()[2]


def test_what_comes_from_the_input_alone_has_no_backward(tmp_path):
    # An attention mask computed from the token ids needs no gradient (autograd computes none): adding it
    # costs a forward kernel, and no backward, the same backward as adding a constant.
    code = ("import torch\n"
            "class M(torch.nn.Module):\n"
            "    def __init__(self, masked):\n"
            "        super().__init__()\n"
            "        self.masked = masked\n"
            "        self.emb, self.lin = torch.nn.Embedding(1000, 512), torch.nn.Linear(512, 512)\n"
            "    def forward(self, ids):\n"
            "        y = self.lin(self.emb(ids))\n"
            "        if self.masked:\n"
            "            return y + (1.0 - (ids != 0).float()[:, :, None]) * -10000.0\n"
            "        return y + 0.5\n"
            "for name, masked in (('mask', True), ('constant', False)):\n"
            f"    torch.onnx.export(M(masked), torch.randint(1, 1000, (1, 512)), f'{tmp_path}/{{name}}.onnx',\n"
            "        opset_version=17, training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)\n")
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, capture_output=True)
    runs = {n: run_json("model", tmp_path / f"{n}.onnx", "--gpu", "rtx3090", "--batch", "64", "--top", "20")
            for n in ("mask", "constant")}
    assert not runs["mask"]["host_bound"]
    assert runs["mask"]["forward_s"] > runs["constant"]["forward_s"]
    assert runs["mask"]["backward_s"] == runs["constant"]["backward_s"]


def test_a_product_by_a_constant_keeps_nothing_for_backward(tmp_path):
    # x / c and x * c by a fixed constant: dx = dy / c, so autograd keeps nothing of x (attention's
    # scores / sqrt(d)); the same memory as x + c.
    code = ("import torch\n"
            "class M(torch.nn.Module):\n"
            "    def __init__(self, op):\n"
            "        super().__init__()\n"
            "        self.op, self.lin, self.out = op, torch.nn.Linear(256, 256), torch.nn.Linear(256, 16)\n"
            "    def forward(self, x):\n"
            "        y = self.lin(x)\n"
            "        return self.out({'div': y / 8.0, 'mul': y * 0.125, 'add': y + 0.125}[self.op])\n"
            "for op in ('div', 'mul', 'add'):\n"
            f"    torch.onnx.export(M(op), torch.randn(1, 64, 256), f'{tmp_path}/{{op}}.onnx', opset_version=17,\n"
            "        training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)\n")
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, capture_output=True)
    gb = {op: run_json("model", tmp_path / f"{op}.onnx", "--gpu", "rtx3090", "--batch", "64")["activation_gb"]
          for op in ("div", "mul", "add")}
    assert gb["div"] == gb["mul"] == gb["add"], gb


def test_docs_quote_the_vit_figures(exports, root):
    """docs/models.md's worked example quotes `trainsim model vit_b_16.onnx --gpu rtx3090`."""
    j = run_json("model", exports / "vit_b_16.onnx", "--gpu", "rtx3090")
    doc = (root / "docs" / "models.md").read_text()
    assert f"batch {j['batch']}" in doc
    assert f"= {j['iteration_s'] * 1e3:.1f} ms" in doc
    assert f"{j['images_per_s']:.1f} images/s on one GPU" in doc
    assert f"forward {j['gflops_forward_per_image']:.2f}, training (fwd + bwd) {j['gflops_train_per_image']:.2f}" in doc


def test_depthwise_backend_follows_the_memory_format(tmp_path):
    # PyTorch 1.12 runs a 7x7 depthwise convolution on NCHW input natively (its weight gradient reads
    # x and dy once per tap: 49 passes) but in cuDNN when the input has NHWC strides, as after
    # ConvNeXt's permute(0, 3, 1, 2); the import follows the strides through the permutes and the Mul.
    code = ("import torch\n"
            "class M(torch.nn.Module):\n"
            "    def __init__(self, permuted):\n"
            "        super().__init__()\n"
            "        self.permuted = permuted\n"
            "        self.stem = torch.nn.Conv2d(3, 64, 4, stride=4)\n"
            "        self.norm = torch.nn.LayerNorm(64)\n"
            "        self.dw = torch.nn.Conv2d(64, 64, 7, padding=3, groups=64)\n"
            "        self.head = torch.nn.Linear(64 * 16 * 16, 10)\n"
            "    def forward(self, x):\n"
            "        x = self.stem(x)\n"
            "        if self.permuted:\n"
            "            x = self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2) * 2.0\n"
            "        return self.head(torch.flatten(self.dw(x), 1))\n"
            "for name, permuted in (('nchw', False), ('permuted', True)):\n"
            f"    torch.onnx.export(M(permuted), torch.randn(1, 3, 64, 64), f'{tmp_path}/{{name}}.onnx', opset_version=14,\n"
            "        training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False)\n")
    subprocess.run(["/usr/bin/python3", "-c", code], check=True, capture_output=True)

    def dw_backward(name, *fmt):
        out = run_json("model", tmp_path / f"{name}.onnx", "--gpu", "rtx3090", "--batch", "64", "--top", "50", *fmt)
        return [l["backward_s"] for l in out["top_layers"] if l["name"].startswith("/dw/")][0]

    # NCHW input: native, 49 passes in the weight gradient; NHWC strides or --channels-last: cuDNN, one.
    assert dw_backward("nchw") > 5 * dw_backward("nchw", "--channels-last")
    assert dw_backward("permuted") == dw_backward("permuted", "--channels-last") == dw_backward("nchw", "--channels-last")
