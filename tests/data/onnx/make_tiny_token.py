#!/usr/bin/python3
"""Writes tiny-token.onnx beside this file: a [batch, 16] int64 token model (embedding, layer norm,
a linear head), the smallest model trainsim reads as a token model. The bad-input corpus uses it
(tests/bad-inputs/scenario-image-px-on-token-model.yaml). Run with Debian's python3-torch (1.13)."""
from pathlib import Path

import torch


class TinyToken(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(64, 8)
        self.norm = torch.nn.LayerNorm(8)
        self.head = torch.nn.Linear(8, 2)

    def forward(self, ids):
        return self.head(self.norm(self.embed(ids)))


torch.manual_seed(0)
ids = torch.zeros(2, 16, dtype=torch.int64)
torch.onnx.export(TinyToken().eval(), (ids,), str(Path(__file__).with_name("tiny-token.onnx")),
                  input_names=["ids"], output_names=["logits"], opset_version=13,
                  dynamic_axes={"ids": {0: "batch"}, "logits": {0: "batch"}})
