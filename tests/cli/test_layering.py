"""The layers of DESIGN.md: which folder of sim/ may include what."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "sim"
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)

# layer -> layers it may include (besides itself)
ALLOWED = {
    "util": set(),
    "hw": {"util"},
    "model": {"hw", "util"},
    "topo": {"hw", "util"},
    "workload": {"model", "hw", "util"},
    "engine": {"topo", "workload", "model", "hw", "util"},
    "campaign": {"engine", "workload", "model", "hw", "util", "topo"},
    "input": {"campaign", "engine", "topo", "workload", "model", "hw", "util"},
    "store": {"engine", "util"},
    "report": {"store", "campaign", "engine", "model", "hw", "util"},
    "sweep": {"input", "report", "store", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
    "validation": {"input", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
    "cli": {"validation", "sweep", "input", "report", "store", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
}


def sources():
    for p in sorted(SIM.rglob("*")):
        if p.suffix in {".hpp", ".cpp", ".h"}:
            yield p


def test_layers_include_only_what_they_may():
    bad = []
    for p in sources():
        layer = p.relative_to(SIM).parts[0]
        for inc in INCLUDE.findall(p.read_text()):
            if inc.startswith("sim/"):
                other = inc.split("/")[1]
                if other != layer and other not in ALLOWED[layer]:
                    bad.append(f"{p.relative_to(ROOT)} includes {inc}")
    assert not bad, "\n".join(bad)


def test_only_engine_includes_simgrid_and_engine_headers_for_others_do_not():
    bad = []
    for p in sources():
        layer = p.relative_to(SIM).parts[0]
        text = p.read_text()
        if re.search(r'#\s*include\s*[<"]simgrid', text) and layer != "engine":
            bad.append(f"{p.relative_to(ROOT)} includes SimGrid")
        if layer != "engine":
            for inc in INCLUDE.findall(text):
                if inc.startswith("sim/engine/"):
                    header = ROOT / inc
                    if re.search(r'#\s*include\s*[<"](simgrid|sim/engine/simulation\.hpp)', header.read_text()):
                        bad.append(f"{p.relative_to(ROOT)} includes {inc}, which pulls in SimGrid")
    assert not bad, "\n".join(bad)


# The layers that own a file format; sim/util/files.cpp reads and writes bytes for all of them.
IO_LAYERS = {"input", "report", "store"}
FILE_HELPERS = {"subprocess.cpp", "files.cpp"}


def test_only_io_touches_file_formats_and_model_hw_are_pure():
    bad = []
    for p in sources():
        layer = p.relative_to(SIM).parts[0]
        text = p.read_text()
        if layer not in IO_LAYERS and re.search(r'#\s*include\s*[<"](yaml-cpp|hdf5|H5)', text):
            bad.append(f"{p.relative_to(ROOT)} includes a file format library")
        if layer in {"model", "hw"} and re.search(r'#\s*include\s*[<"](simgrid|tbb|yaml-cpp|hdf5|fstream|iostream|boost)', text):
            bad.append(f"{p.relative_to(ROOT)} is meant to be pure")
        if layer not in IO_LAYERS and re.search(r'#\s*include\s*<fstream>|\bfopen\s*\(', text) and not (
                layer == "util" and p.name in FILE_HELPERS):
            bad.append(f"{p.relative_to(ROOT)} reads or writes files outside sim/input, sim/report, sim/store")
        if layer != "cli" and re.search(r'(^|[^_\w])(std::)?exit\s*\(', text):
            bad.append(f"{p.relative_to(ROOT)} calls exit()")
    assert not bad, "\n".join(bad)


def test_docs_architecture_states_the_same_layers():
    """docs/architecture.md is the design's home: its table of layers is the one enforced here."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]*) \|", text, re.M))
    folders = {p.name for p in SIM.iterdir() if p.is_dir() and any(p.rglob("*.[ch]pp"))}
    assert set(rows) == folders == set(ALLOWED)
    for layer, uses in rows.items():
        uses = uses.strip()
        if uses == "all the others":
            stated = set(ALLOWED) - {layer}
        elif uses == "-":
            stated = set()
        else:
            stated = {u.strip() for u in uses.split(",")}
        assert stated | {"util"} == ALLOWED[layer] | {"util"}, layer
