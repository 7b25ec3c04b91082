"""docs/analysis.md: its loading example runs as it stands; and every image and local link of the
docs (README.md, docs/*.md, analysis/notebooks/README.md) points to a file that exists."""
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import BINARY, ROOT

DOC = (ROOT / "docs" / "analysis.md").read_text()
PAGES = [ROOT / "README.md", ROOT / "analysis" / "notebooks" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_loading_example_runs(tmp_path):
    section = DOC[DOC.index("## Loading a file"):DOC.index("## The notebooks")]
    shell = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    env = dict(os.environ, TRAINSIM_DATA=str(ROOT), PYTHONPATH=str(ROOT / "analysis"))
    for line in shell.strip().splitlines():
        args = shlex.split(line)
        assert args[0] == "build/release/trainsim", line
        # run from a scratch folder: the scenarios by absolute path; a ninth of the sweep (6 points)
        args = [BINARY] + [str(ROOT / a) if a.startswith("scenarios/") else a for a in args[1:]]
        if args[1] == "sweep":
            args += ["--shard", "0/9"]
        proc = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(["/usr/bin/python3", "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "['/runs/main/epochs', '/runs/main/iterations']" in proc.stdout  # as the comment says
    assert "images_per_s" in proc.stdout and "h100-pcie-80gb" in proc.stdout
    for png in ("breakdown.png", "heatmap.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def local_targets(page):
    """(kind, target) of every Markdown image and link of a page that is not a URL or an anchor."""
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)  # not inside code blocks
    for bang, target in re.findall(r"(!?)\[[^\]]*\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:|#", target):
            yield ("image" if bang else "link"), target.split("#")[0]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_images_and_links_exist(page):
    missing = [f"{kind} {target}" for kind, target in local_targets(page) if not (page.parent / target).exists()]
    assert not missing, f"{page.relative_to(ROOT)}: {', '.join(missing)}"


def test_analysis_page_shows_every_figure():
    shown = set(re.findall(r"\(figures/([^)]+\.png)\)", DOC))
    committed = {p.name for p in (ROOT / "docs" / "figures").glob("*.png")}
    assert committed - shown == set(), "figures that docs/analysis.md does not show"
    for png in committed:
        assert (ROOT / "docs" / "figures" / png).stat().st_size < 200_000, f"{png}: over 200 KB"
