"""The decision report (docs/advise.md): `advise --html` and `compare --html` write one
self-contained page. It renders in headless Chromium (Debian's chromium, scripts/install-deps.sh)
to an image that is not blank, with nothing logged to the console; and it references nothing
outside itself. The checks are tried on pages made to fail them first, so that they can fail."""
import re
import shutil
import subprocess

import numpy as np
import pytest
from matplotlib import image

from conftest import run

SMALL = "tests/data/campaign-small.yaml"
EXTERNAL = re.compile(r"""(\b(src|href|srcset|action|xlink:href)\s*=|url\s*\(|@import|<link\b|<script\b|<iframe\b|<object\b|<embed\b|https?:|\bftp:)""",
                      re.IGNORECASE)


def chromium_shot(page, png, tmp_path):
    """Renders `page` headless; returns the console lines Chromium logged."""
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: scripts/install-deps.sh installs it"
    proc = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}",
                           "--window-size=1100,1600", f"--screenshot={png}", page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert png.exists(), proc.stderr[-2000:]
    return [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


def ink(png):
    """The share of pixels that are not (nearly) white, and the spread of their grey levels."""
    img = image.imread(str(png))[..., :3]
    grey = img.mean(axis=2)
    return float((grey < 0.9).mean()), float(grey.std())


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    d = tmp_path_factory.mktemp("html")
    run("advise", SMALL, "--candidates", "1x-rtx3090,4x-rtx3090-pcie,4x-h100-sxm-nvswitch,1x-b100", "--deadline", "2",
        "--html", d / "advise.html")
    run("compare", SMALL, "--html", d / "compare.html")
    return d


def test_the_checks_catch_what_they_look_for(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><p>x</p><script>console.error("broken")</script></body></html>')
    assert chromium_shot(bad, tmp_path / "bad.png", tmp_path)
    blank = tmp_path / "blank.html"
    blank.write_text("<html><body></body></html>")
    chromium_shot(blank, tmp_path / "blank.png", tmp_path)
    assert ink(tmp_path / "blank.png")[0] < 0.001
    for external in ['<img src="x.png">', '<a href="https://example.org">', "<style>@import 'a.css';</style>",
                     '<link rel="stylesheet" href="a.css">', "<div style=\"background:url(a.png)\">"]:
        assert EXTERNAL.search(external), external


@pytest.mark.parametrize("name", ["advise.html", "compare.html"])
def test_report_renders_in_chromium_without_errors(reports, tmp_path, name):
    png = tmp_path / "shot.png"
    console = chromium_shot(reports / name, png, tmp_path)
    assert console == []
    covered, spread = ink(png)
    assert covered > 0.02 and spread > 0.05, (covered, spread)


@pytest.mark.parametrize("name", ["advise.html", "compare.html"])
def test_report_is_self_contained(reports, name):
    text = (reports / name).read_text()
    found = EXTERNAL.findall(text)
    assert found == [], found
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert text.count("<svg") >= 3  # the Pareto chart, a Gantt chart per option, the bars


def test_advise_report_holds_the_decision(reports):
    text = (reports / "advise.html").read_text()
    for part in ["Recommendation.", "Wall time against total cost", "Ranked candidates", "Stages of the leading options",
                 "Cost, energy and CO2", "The seed report", "Buy or rent", "Assumptions and sources"]:
        assert part in text, part
    assert text.count("<tr") == (1 + 4) + (1 + 5)  # ranked table: header + 4; buy-or-rent: header + 5 years
    assert sorted(p.name for p in reports.iterdir()) == ["advise.html", "compare.html"]  # no temporary file left


def test_html_path_checked_before_anything_runs(tmp_path):
    proc = run("advise", SMALL, "--candidates", "1x-rtx3090", "--html", tmp_path / "no" / "such" / "dir.html", check=False)
    assert proc.returncode == 2 and "--html" in proc.stderr
