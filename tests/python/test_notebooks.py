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
