"""docs/hdf5-schema.md is the single source of truth: its marked tables must describe exactly what
the writer writes (paths, columns in order with their types, attributes with their types, the
event kind enum)."""
import re

import h5py
import numpy as np
import pytest

from conftest import ROOT

DOC = ROOT / "docs" / "hdf5-schema.md"
CELL = re.compile(r"`([^`]*)`")


def marked_tables():
    """{marker: [row cells]} for every table after a `<!-- schema: marker -->` line."""
    tables, current = {}, None
    for line in DOC.read_text().splitlines():
        m = re.match(r"<!-- schema: ([\w-]+) -->", line.strip())
        if m:
            current = tables.setdefault(m.group(1), [])
            continue
        if current is None:
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set(cells[0]) <= set("-: "):
                current.append(cells)
        elif current:  # the table ended
            current = None
    for rows in tables.values():
        del rows[0]  # the header
    return tables


TABLES = marked_tables()


def name(cell):
    m = CELL.search(cell)
    return m.group(1) if m else cell


def h5_type(dtype):
    """The schema's word for a column's or attribute's numpy/h5py type."""
    enum = h5py.check_enum_dtype(dtype)
    if dtype == np.bool_:
        return "bool"
    if enum is not None:
        return f"enum {dtype.name}"
    if dtype.kind == "S" or h5py.check_string_dtype(dtype) is not None:
        return "string"
    return dtype.name


def attr_type(value):
    if isinstance(value, str):
        return "string"
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return f"{value.dtype.name}[]"
    return np.asarray(value).dtype.name


def test_every_marked_table_is_there():
    assert set(TABLES) == {"layout", "root-attributes", "run-attributes", "iterations", "epochs", "events",
                           "kind-enum", "stages", "runs", "points", "sweep-attributes"}
    assert all(TABLES.values())


@pytest.mark.parametrize("table,path", [
    ("iterations", "runs/sample/iterations"), ("iterations", "platforms/h100/runs/2gpu/iterations"),
    ("epochs", "runs/sample/epochs"), ("events", "runs/sample/events"),
    ("events", "platforms/rtx3090/runs/4gpu/events"),  # written by a part file, merged
    ("stages", "platforms/rtx3090/campaign/stages"), ("runs", "platforms/h100/campaign/runs"),
])
def test_columns_and_types_match_the_document(sample, table, path):
    documented = [(name(r[0]), r[1]) for r in TABLES[table]]
    with h5py.File(sample["h5"]) as f:
        dt = f[path].dtype
        written = [(n, h5_type(dt[n])) for n in dt.names]
    assert written == documented


def test_points_fixed_columns_then_axes_and_metrics(sample):
    fixed = [(name(r[0]), r[1]) for r in TABLES["points"] if not name(r[0]).startswith("<")]
    assert [n for n, _ in fixed] == ["point", "status", "error"]
    with h5py.File(sample["h5"]) as f:
        dt = f["sweep/points"].dtype
    written = [(n, h5_type(dt[n])) for n in dt.names]
    assert written[:3] == fixed
    free = [r[1] for r in TABLES["points"] if name(r[0]).startswith("<")]
    allowed = {t.strip() for cell in free for t in re.split(r",| or ", cell) if t.strip()}
    assert all(t in allowed for _, t in written[3:]), written[3:]


@pytest.mark.parametrize("table,group", [("root-attributes", "/"), ("run-attributes", "runs/sample"),
                                         ("sweep-attributes", "sweep"),
                                         ("run-attributes", "platforms/rtx3090/runs/1gpu"),
                                         ("run-attributes", "platforms/rtx3090/runs/4gpu")])
def test_attributes_match_the_document(sample, table, group):
    documented = {name(r[0]): r[1] for r in TABLES[table]}
    with h5py.File(sample["h5"]) as f:
        written = {k: attr_type(v) for k, v in f[group].attrs.items()}
    assert written == documented


def test_kind_enum_matches_the_document(sample):
    documented = {name(r[0]): int(r[1]) for r in TABLES["kind-enum"]}
    with h5py.File(sample["h5"]) as f:
        assert h5py.check_enum_dtype(f["runs/sample/events"].dtype["kind"]) == documented


def test_every_path_written_is_documented(sample):
    patterns = [name(r[0]) for r in TABLES["layout"]]
    regexes = [re.compile("^" + re.sub(r"<[^>]+>", "[^/]+", re.escape(p).replace(r"\<", "<").replace(r"\>", ">"))
                          + "$") for p in patterns]
    found = []
    with h5py.File(sample["h5"]) as f:
        f.visit(lambda n: found.append("/" + n))
    # groups above a documented path (/platforms, /platforms/x/runs, /sweep) are implied by it
    undocumented = [p for p in found if not any(r.match(p) for r in regexes)
                    and not any(q.startswith(p + "/") for q in found if any(r.match(q) for r in regexes))]
    assert undocumented == []
    # and each kind of documented dataset occurs in the sample (a renamed one would not match)
    for p in patterns:
        if p.endswith(("iterations", "epochs", "events", "stages", "points")) and p.startswith(("/runs", "/platforms")):
            r = regexes[patterns.index(p)]
            assert any(r.match(q) for q in found), p
