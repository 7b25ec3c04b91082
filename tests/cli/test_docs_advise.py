"""docs/advise.md: its commands run (planned with --check: the full OCR advice takes a minute of
CPU, tests/cli/test_advise.py runs small ones), its screenshot is the committed small PNG, and the
options its synopsis names exist."""
import re
import shlex

from conftest import ROOT, run

DOC = (ROOT / "docs" / "advise.md").read_text()


def commands():
    blocks = re.findall(r"```\n(.*?)```", DOC, re.S)
    return [l for b in blocks for l in b.splitlines() if l.startswith("trainsim advise ") and "[" not in l]


def test_the_documented_commands_plan(tmp_path):
    cmds = commands()
    assert len(cmds) >= 2
    for c in cmds:
        args = shlex.split(c)[1:]
        args = [str(tmp_path / a) if a.endswith(".html") else a for a in args]
        out = run(*args, "--check", "--json").stdout
        assert '"planned"' in out, c
    assert "trainsim advise scenarios/ocr-campaign.yaml --deadline 24 --budget 500" in DOC


def test_the_synopsis_names_real_options():
    synopsis = re.search(r"```\n(trainsim advise CAMPAIGN.*?)```", DOC, re.S).group(1)
    help_text = run("advise", "--help").stdout
    for opt in set(re.findall(r"(--[a-z-]+|-j)\b", synopsis.split("trainsim compare")[0])):
        assert re.search(rf"(^|[ ,]){re.escape(opt)}[ ,]", help_text, re.M), opt
    assert "--html" in run("compare", "--help").stdout


def test_the_screenshot_is_committed_and_small():
    png = ROOT / "docs" / "screenshots" / "advise-ocr.png"
    assert "screenshots/advise-ocr.png" in DOC
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 200_000
