"""Exports the ONNX models of tests/cli/test_onnx.py with Debian's torch 1.13 / torchvision 0.14
(weights=None, no download) and counts, with forward hooks, what trainsim must reproduce: the
parameters (sum of p.numel()) and the forward multiply-adds of Conv2d, ConvTranspose2d, Linear and
the attention matmuls. Run as a script: python3 onnx_exports.py OUT_DIR NAME... writes NAME.onnx and
NAME.json (params, macs) for each. Training-mode export keeps BatchNorm and Dropout."""
import json
import sys
import warnings
from pathlib import Path

import torch
from torch import nn
import torchvision

warnings.filterwarnings("ignore")


def cbr(i, o, stride=1):
    return nn.Sequential(nn.Conv2d(i, o, 3, stride, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class SmallUNet(nn.Module):
    """A 3-level U-Net: conv-BN-ReLU pairs, max-pool down, transposed-conv up, skip concats."""

    def __init__(self, c=16, classes=2):
        super().__init__()
        self.d1, self.d2, self.d3 = nn.Sequential(cbr(3, c), cbr(c, c)), nn.Sequential(cbr(c, 2 * c), cbr(2 * c, 2 * c)), \
            nn.Sequential(cbr(2 * c, 4 * c), cbr(4 * c, 4 * c))
        self.pool = nn.MaxPool2d(2)
        self.up2, self.up1 = nn.ConvTranspose2d(4 * c, 2 * c, 2, 2), nn.ConvTranspose2d(2 * c, c, 2, 2)
        self.u2, self.u1 = nn.Sequential(cbr(4 * c, 2 * c), cbr(2 * c, 2 * c)), nn.Sequential(cbr(2 * c, c), cbr(c, c))
        self.head = nn.Conv2d(c, classes, 1)

    def forward(self, x):
        a = self.d1(x)
        b = self.d2(self.pool(a))
        m = self.d3(self.pool(b))
        b = self.u2(torch.cat([self.up2(m), b], 1))
        return self.head(self.u1(torch.cat([self.up1(b), a], 1)))


class DBHead(nn.Module):
    """DBNet-like: a ResNet-18 backbone, an FPN neck (lateral 1x1, x2 transposed-conv up-sampling,
    3x3 smoothing, concat) and the probability and threshold heads (conv-BN-ReLU, two x2 deconvs,
    sigmoid). Up-sampling is learned here: torch 1.13 exports interpolate(scale_factor) with float
    shape arithmetic that ONNX 1.12 shape inference cannot follow (docs/models.md)."""

    def __init__(self, inner=64):
        super().__init__()
        r = torchvision.models.resnet18(weights=None)
        self.stem = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool)
        self.layers = nn.ModuleList([r.layer1, r.layer2, r.layer3, r.layer4])
        self.lateral = nn.ModuleList([nn.Conv2d(c, inner, 1, bias=False) for c in (64, 128, 256, 512)])
        self.smooth = nn.ModuleList([nn.Conv2d(inner, inner // 4, 3, padding=1, bias=False) for _ in range(4)])
        self.heads = nn.ModuleList([self._head(inner) for _ in range(2)])
        self.up = nn.ModuleList([nn.ConvTranspose2d(inner, inner, 2, 2, bias=False) for _ in range(3)])
        self.out_up = nn.ModuleList([nn.ConvTranspose2d(inner // 4, inner // 4, 2 ** i, 2 ** i, bias=False)
                                     for i in range(1, 4)])

    @staticmethod
    def _head(inner):
        return nn.Sequential(nn.Conv2d(inner, inner // 4, 3, padding=1, bias=False), nn.BatchNorm2d(inner // 4),
                             nn.ReLU(inplace=True), nn.ConvTranspose2d(inner // 4, inner // 4, 2, 2),
                             nn.BatchNorm2d(inner // 4), nn.ReLU(inplace=True), nn.ConvTranspose2d(inner // 4, 1, 2, 2),
                             nn.Sigmoid())

    def forward(self, x):
        x = self.stem(x)
        feats = []
        for layer in self.layers:
            x = layer(x)
            feats.append(x)
        lat = [l(f) for l, f in zip(self.lateral, feats)]
        for i in (2, 1, 0):
            lat[i] = lat[i] + self.up[i](lat[i + 1])
        outs = [self.out_up[i - 1](s(l)) if i else s(l) for i, (s, l) in enumerate(zip(self.smooth, lat))]
        fuse = torch.cat(outs, 1)
        return torch.cat([h(fuse) for h in self.heads], 1)


class BertLayer(nn.Module):
    """One encoder layer of NVIDIA DeepLearningExamples' BERT (PyTorch/LanguageModeling/BERT/modeling.py):
    q, k, v projections, scores / sqrt(d) + the attention mask, softmax, dropout, context, output
    projection, dropout, residual LayerNorm; the feed-forward 768 -> 3072 (GELU) -> 768, dropout, LayerNorm."""

    def __init__(self, h=768, heads=12, ff=3072):
        super().__init__()
        self.h, self.heads = h, heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.up, self.down = nn.Linear(h, ff), nn.Linear(ff, h)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, mask):
        n, t, _ = x.shape
        split = lambda y: y.view(n, t, self.heads, self.h // self.heads).permute(0, 2, 1, 3)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / (self.h // self.heads) ** 0.5 + mask
        context = (self.drop(torch.softmax(scores, -1)) @ v).permute(0, 2, 1, 3).reshape(n, t, self.h)
        x = self.ln1(x + self.drop(self.o(context)))
        return self.ln2(x + self.drop(self.down(nn.functional.gelu(self.up(x)))))


class BertSquad(nn.Module):
    """BERT-base for SQuAD as DLE's run_squad.py trains it (BertForQuestionAnswering): word (vocabulary
    padded to 30528, a multiple of 8, as DLE's configs), position and segment embeddings, LayerNorm,
    12 encoder layers, a 768 -> 2 span head. The pooler, which the SQuAD loss does not reach and
    run_squad.py leaves out of the optimizer, is left out. Input: token ids [batch, 384]; the
    attention mask is derived from them (padding id 0), as run_squad.py's input_mask."""

    def __init__(self, layers=12, h=768, heads=12, ff=3072, vocab=30528, seq=384):
        super().__init__()
        self.seq = seq
        self.word, self.position, self.segment = nn.Embedding(vocab, h), nn.Embedding(512, h), nn.Embedding(2, h)
        self.ln, self.drop = nn.LayerNorm(h, eps=1e-12), nn.Dropout(0.1)
        self.layers = nn.ModuleList([BertLayer(h, heads, ff) for _ in range(layers)])
        self.span = nn.Linear(h, 2)

    def forward(self, ids):
        mask = (1.0 - (ids != 0).float()[:, None, None, :]) * -10000.0
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.drop(self.ln(self.word(ids) + self.position(positions) + self.segment(torch.zeros_like(ids))))
        for layer in self.layers:
            x = layer(x, mask)
        return self.span(x)


def build(name):
    if name == "unet":
        return SmallUNet(), 128
    if name == "dbnet_fpn":
        return DBHead(), 256
    if name == "bert_base_squad":
        return BertSquad(), 384
    if name == "bert_large_squad":  # 334 M parameters, a 1.3 GB file: exported on request, not by the tests
        return BertSquad(layers=24, h=1024, heads=16, ff=4096), 384
    kwargs = {"stochastic_depth_prob": 0.0} if name in ("efficientnet_b0", "convnext_tiny") else {}
    return getattr(torchvision.models, name.removesuffix("_eval"))(weights=None, **kwargs), 224


def forward_macs(model, x):
    """Multiply-adds of one forward, counted with hooks."""
    total = [0]

    def conv(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1]
        if isinstance(m, nn.ConvTranspose2d):
            total[0] += inp[0].numel() * m.out_channels // m.groups * k
        else:
            total[0] += out.numel() * m.in_channels // m.groups * k

    def linear(m, inp, out):
        total[0] += inp[0].numel() // m.in_features * m.in_features * m.out_features

    def attention(m, inp, out):  # in_proj, QK^T, AV, out_proj (F.linear inside: no Linear hook fires)
        y = out[0]  # the attention output has the query's shape; ViT passes the query by keyword
        n, t, e = y.shape if m.batch_first else y.transpose(0, 1).shape
        total[0] += n * (3 * t * e * e + 2 * t * t * e + t * e * e)

    def bert_attention(m, inp, out):  # QK^T and AV of a BertLayer (its projections are Linear modules)
        n, t, e = out.shape
        total[0] += 2 * n * t * t * e

    hooks = []
    for m in model.modules():
        if isinstance(m, BertLayer):
            hooks.append(m.register_forward_hook(bert_attention))
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, nn.MultiheadAttention):
            hooks.append(m.register_forward_hook(attention))
        elif isinstance(m, nn.Linear) and not isinstance(m, nn.modules.linear.NonDynamicallyQuantizableLinear):
            hooks.append(m.register_forward_hook(linear))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return total[0]


def export(name, out_dir):
    torch.manual_seed(0)
    model, side = build(name)
    tokens = name.startswith("bert_")
    x = torch.randint(1, 30522, (1, side)) if tokens else torch.randn(1, 3, side, side)
    model.train()
    counts = {"params": sum(p.numel() for p in model.parameters()), "macs": forward_macs(model, x)}
    path = Path(out_dir) / f"{name}.onnx"
    if name.endswith("_eval"):  # torch's defaults for inference: BatchNorm folded away
        model.eval()
        torch.onnx.export(model, x, str(path), opset_version=14)
    else:
        # dynamic batch for one of them: the reader must scale a symbolic batch too
        dynamic = {"image": {0: "batch"}} if name == "resnet50" else None
        torch.onnx.export(model, x, str(path), training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False,
                          opset_version=17 if name in ("vit_b_16", "convnext_tiny") or tokens else 14,
                          input_names=["input_ids" if tokens else "image"],
                          dynamic_axes=dynamic)
    (Path(out_dir) / f"{name}.json").write_text(json.dumps(counts))


if __name__ == "__main__":
    for n in sys.argv[2:]:
        export(n, sys.argv[1])
