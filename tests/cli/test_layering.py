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
    "io": {"campaign", "engine", "topo", "workload", "model", "hw", "util"},
    "sweep": {"io", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
    "cli": {"sweep", "io", "campaign", "engine", "topo", "workload", "model", "hw", "util"},
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


def test_only_io_touches_file_formats_and_model_hw_are_pure():
    bad = []
    for p in sources():
        layer = p.relative_to(SIM).parts[0]
        text = p.read_text()
        if layer not in {"io"} and re.search(r'#\s*include\s*[<"](yaml-cpp|hdf5|H5)', text):
            bad.append(f"{p.relative_to(ROOT)} includes a file format library")
        if layer in {"model", "hw"} and re.search(r'#\s*include\s*[<"](simgrid|tbb|yaml-cpp|hdf5|fstream|iostream|boost)', text):
            bad.append(f"{p.relative_to(ROOT)} is meant to be pure")
        if layer != "io" and re.search(r'#\s*include\s*<fstream>|\bfopen\s*\(', text) and p.name != "subprocess.cpp":
            bad.append(f"{p.relative_to(ROOT)} reads or writes files outside sim/io")
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
