"""The bad-input corpus (tests/bad-inputs): every file ends in one clear line naming the file, the
line and the column (binary ONNX files: the file, and the node where there is one), exit status 2, no output file, and no sanitizer report (under the asan preset
$TRAINSIM is the sanitized binary)."""
import re
from pathlib import Path

import pytest

from conftest import ROOT, run

CORPUS = ROOT / "tests" / "bad-inputs"


def manifest():
    rows = []
    for line in (CORPUS / "MANIFEST.tsv").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, fragment = line.split("\t")
        rows.append((name, fragment))
    return rows


def command(path, out):
    name = path.name
    if name.startswith("scenario-"):
        return ["run", path, "--no-baseline", "-o", out / "out.h5"]
    if name.startswith("node-") or name.startswith("cluster-"):
        return ["topo", path, "--simgrid-xml", out / "out.xml", "--dot", out / "out.dot"]
    if name.startswith("nvsmi-"):
        return ["topo", "--from-nvidia-smi", path, "--gpu", "rtx3090", "-o", out / "out.yaml"]
    if name.startswith("campaign-"):
        return ["campaign", path, "--platform", "1x-rtx3090", "-o", out / "out.h5"]
    if name.startswith("advise-"):
        return ["advise", path, "--candidates", "1x-rtx3090", "--html", out / "out.html"]
    if name.startswith("trace-"):
        return ["profile", path, "--gpu", "h100-sxm5-80gb", "--json"]
    if name.startswith("onnx-"):
        return ["model", path, "--gpu", "rtx3090", "--batch", "1"]
    if name.startswith("reference-models-"):
        return ["validate", "--models", "--reference", path]
    if name.startswith("reference-training-"):  # a reference folder: the error names its file
        return ["validate", "--single-gpu", "--reference", path]
    if name.startswith("sweep-"):
        return ["sweep", path, "-j", "1", "-o", out / "out.h5", "--csv", out / "out.csv"]
    raise AssertionError(f"no command for {name}")


def test_the_corpus_is_complete():
    listed = {name for name, _ in manifest()}
    files = {p.name for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv"}
    assert listed == files
    assert len(files) >= 40


@pytest.mark.parametrize("name,fragment", manifest(), ids=[n for n, _ in manifest()])
def test_bad_input(name, fragment, tmp_path):
    path = CORPUS / name
    out = tmp_path / "out"
    out.mkdir()
    p = run(*command(path, out), check=False)
    assert p.returncode == 2, p.stderr
    assert "Sanitizer" not in p.stderr and "runtime error" not in p.stderr, p.stderr
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, p.stderr
    where = r": " if name.startswith("onnx-") else r":\d+:\d+: "
    named = path / "training-throughput.csv" if path.is_dir() else path
    assert re.match(rf"trainsim: error: {re.escape(str(named))}{where}", lines[0]), lines[0]
    assert fragment in lines[0], lines[0]
    assert not list(out.iterdir()), "an output file was created"
