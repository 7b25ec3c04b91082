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
    "import": {"topo", "workload", "model", "hw", "util"},
    "input": {"import", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
    "store": {"engine", "util"},
    "report": {"store", "campaign", "engine", "model", "hw", "util"},
    "sweep": {"import", "input", "report", "store", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
    "validation": {"import", "input", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
    "cli": {"validation", "sweep", "import", "input", "report", "store", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
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
IO_LAYERS = {"import", "input", "report", "store"}
FILE_HELPERS = {"subprocess.cpp", "files.cpp"}


def test_only_io_touches_file_formats_and_model_hw_are_pure():
    bad = []
    for p in sources():
        layer = p.relative_to(SIM).parts[0]
        text = p.read_text()
        if layer not in IO_LAYERS and re.search(r'#\s*include\s*[<"](yaml-cpp|hdf5|H5|zlib)', text):
            bad.append(f"{p.relative_to(ROOT)} includes a file format library")
        # RapidJSON: the trace reader (input) and the one JSON writer (sim/util/json.cpp).
        if re.search(r'#\s*include\s*[<"]rapidjson', text) and layer not in IO_LAYERS and p.name != "json.cpp":
            bad.append(f"{p.relative_to(ROOT)} includes RapidJSON outside sim/import, sim/input, sim/report, sim/store, json.cpp")
        if layer != "import" and re.search(r'#\s*include\s*[<"](onnx/|google/protobuf)', text):
            bad.append(f"{p.relative_to(ROOT)} includes ONNX or protobuf (only the reader in sim/import may)")
        if layer in {"model", "hw"} and re.search(r'#\s*include\s*[<"](simgrid|tbb|yaml-cpp|hdf5|fstream|iostream|boost)', text):
            bad.append(f"{p.relative_to(ROOT)} is meant to be pure")
        if layer not in IO_LAYERS and re.search(r'#\s*include\s*<fstream>|\bfopen\s*\(', text) and not (
                layer == "util" and p.name in FILE_HELPERS):
            bad.append(f"{p.relative_to(ROOT)} reads or writes files outside sim/import, sim/input, sim/report, sim/store")
        if layer != "cli" and re.search(r'(^|[^_\w])(std::)?exit\s*\(', text):
            bad.append(f"{p.relative_to(ROOT)} calls exit()")
    assert not bad, "\n".join(bad)


def test_bare_simgrid_baselines_are_a_library_of_their_own():
    """sim/engine/baseline/ (the bare-SimGrid graphs `trainsim bench` compares against) builds as
    trainsim_baseline: the engine library globs sim/engine/*.cpp only, and nothing of the engine
    or of the layers above it, but the CLI's benchmarks, uses the baselines."""
    cmake = (SIM / "CMakeLists.txt").read_text()
    assert re.search(r'add_library\(trainsim_baseline STATIC', cmake)
    assert re.search(r'GLOB srcs CONFIGURE_DEPENDS "\$\{CMAKE_CURRENT_SOURCE_DIR\}/\$\{name\}/\*\.cpp"', cmake), \
        "trainsim_layer must not glob subfolders (it would pull engine/baseline into the engine library)"
    assert list((SIM / "engine" / "baseline").glob("*.cpp")), "the baselines moved?"
    assert not list((SIM / "engine").glob("bare_*.cpp")) and not list((SIM / "engine").glob("coll_bench*"))
    bad = []
    for p in sources():
        rel = p.relative_to(SIM)
        if rel.parts[:2] == ("engine", "baseline") or rel.parts[0] == "cli":
            continue
        for inc in INCLUDE.findall(p.read_text()):
            if inc.startswith("sim/engine/baseline/"):
                bad.append(f"{p.relative_to(ROOT)} includes {inc}")
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
