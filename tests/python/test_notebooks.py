"""Every notebook of analysis/notebooks runs top to bottom on a short replay (nbconvert --execute)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "analysis" / "notebooks").glob("*.ipynb"))


@pytest.mark.skipif(os.environ.get("TRAINSIM_NOTEBOOKS", "1") == "0", reason="notebook tests are off (asan preset)")
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_executes(notebook, tmp_path):
    env = dict(os.environ)
    env.setdefault("TRAINSIM_DATA", str(ROOT))
    env["TRAINSIM_FIGURES"] = str(tmp_path / "figures")
    env["TRAINSIM_NB_ITERATIONS"] = "12"
    env["TRAINSIM_NB_QUICK"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    proc = subprocess.run(
        ["/usr/bin/jupyter-nbconvert", "--to", "notebook", "--execute", str(notebook), "--output-dir", str(tmp_path),
         "--ExecutePreprocessor.timeout=600"],
        capture_output=True, text=True, env=env, cwd=notebook.parent)
    assert proc.returncode == 0, proc.stderr[-3000:]
    pngs = list((tmp_path / "figures").glob("*.png"))
    assert pngs, "the notebook saved no figure"
    # The short run saves the figures that the full one refreshes in docs/figures (make figures,
    # docs/analysis.md): a figure renamed or added in a notebook needs its PNG committed there.
    missing = sorted({p.name for p in pngs} - {p.name for p in (ROOT / "docs" / "figures").glob("*.png")})
    assert not missing, f"docs/figures lacks {', '.join(missing)}: run make figures and commit them"


def test_every_notebook_is_here():
    # `make test` executes every notebook of analysis/notebooks (the glob above); these are the ones
    # docs/analysis.md describes.
    assert {n.stem for n in NOTEBOOKS} >= {"iteration-anatomy", "compare-3090-vs-h100", "interconnect-sweep"}
