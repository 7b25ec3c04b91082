"""Read trainsim HDF5 files (docs/hdf5-schema.md) into pandas, and draw them with matplotlib.

    import trainsim
    with trainsim.open_trace("out.h5") as t:
        t.summaries()                       # one row per run, its attributes as columns
        it = t.iterations("/runs/main")     # or all runs at once, with group/platform/run columns
        ev = t.events("/runs/main", iterations=(10, 12))
    trainsim.plot_epoch_breakdown(it).savefig("breakdown.png")

Tables come out tidy: numbers as numbers, strings as str (h5py gives bytes), event kinds as a
pandas Categorical of their names. A file that is not a trainsim file, or is damaged, raises
TraceFileError naming the file and what is wrong.

Python 3 with Debian's h5py, numpy, pandas and matplotlib; nothing else. The plot helpers live in
trainsim_plots.py and are re-exported here.
"""
import os

import h5py
import numpy as np
import pandas as pd

from trainsim_plots import (STREAM_OF_KIND, STREAMS, plot_campaign_gantt, plot_cost_energy_co2,
                            plot_epoch_breakdown, plot_iteration_gantt, plot_scaling, plot_sweep_heatmap)

__all__ = ["SCHEMA_VERSION", "STREAMS", "STREAM_OF_KIND", "Trace", "TraceFileError", "open_trace", "read_table",
           "plot_campaign_gantt", "plot_cost_energy_co2", "plot_epoch_breakdown", "plot_iteration_gantt",
           "plot_scaling", "plot_sweep_heatmap"]

SCHEMA_VERSION = 1

_READ_ROWS = 1 << 20  # rows per read when filtering big tables


class TraceFileError(Exception):
    """A file that this module cannot read as a trainsim trace: says which file and why."""

    def __init__(self, path, problem):
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


def open_trace(path):
    """Opens a trainsim HDF5 file; raises TraceFileError when it is not one or is damaged."""
    return Trace(path)


def read_table(path, dataset):
    """One table of a file as a tidy DataFrame."""
    with open_trace(path) as t:
        return t.table(dataset)


def _decode(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def _tidy(array):
    """A structured array as a DataFrame: bytes columns to str, enums (not bool) to categories."""
    df = pd.DataFrame(array)
    for name in array.dtype.names or ():
        dt = array.dtype[name]
        enum = h5py.check_enum_dtype(dt)
        if enum is not None and dt != np.bool_:
            names = [n for n, _ in sorted(enum.items(), key=lambda kv: kv[1])]
            by_value = {v: n for n, v in enum.items()}
            df[name] = pd.Categorical(df[name].map(by_value), categories=names)
        elif dt.kind == "S" or (dt.kind == "O" and len(df) and isinstance(df[name].iloc[0], bytes)):
            df[name] = df[name].map(lambda b: b.decode("utf-8") if isinstance(b, bytes) else b)
    return df


def _identity(group):
    """'/platforms/p/runs/r' -> ('p', 'r'); '/runs/r' -> ('', 'r'); '/platforms/p/campaign' -> ('p', '')."""
    parts = group.strip("/").split("/")
    platform = parts[1] if len(parts) >= 2 and parts[0] == "platforms" else ""
    run = parts[-1] if len(parts) >= 2 and parts[-2] == "runs" else ""
    return platform, run


class Trace:
    """An open trainsim HDF5 file. Use as a context manager, or call close()."""

    def __init__(self, path):
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise TraceFileError(self.path, "no such file")
        if not h5py.is_hdf5(self.path):
            raise TraceFileError(self.path, "not an HDF5 file (no HDF5 signature): expected a file written by "
                                            "trainsim -o FILE.h5")
        try:
            self.file = h5py.File(self.path, "r")
        except OSError as e:
            raise TraceFileError(self.path, f"damaged or truncated HDF5 file, cannot be opened ({e})") from None
        try:
            attrs = self.file.attrs
            if "schema_version" not in attrs:
                raise TraceFileError(self.path, "not a trainsim file: no root attribute 'schema_version' "
                                                "(an HDF5 file from another program?)")
            version = int(_decode(attrs["schema_version"]))
            if version != SCHEMA_VERSION:
                raise TraceFileError(self.path, f"schema_version {version}; this module reads version "
                                                f"{SCHEMA_VERSION} (docs/hdf5-schema.md)")
            self._datasets = {}
            self.file.visititems(self._index)
        except TraceFileError:
            self.file.close()
            raise
        except (OSError, RuntimeError, KeyError) as e:
            self.file.close()
            raise TraceFileError(self.path, f"damaged HDF5 file, cannot list its contents ({e})") from None

    def _index(self, name, obj):
        if isinstance(obj, h5py.Dataset):
            self._datasets["/" + name] = obj

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- what the file holds -------------------------------------------------------------
    def attributes(self, group="/"):
        """The attributes of a group (the root by default) as a dict of plain Python values."""
        try:
            return {k: _decode(v) for k, v in self.file[group].attrs.items()}
        except KeyError:
            raise TraceFileError(self.path, f"no group {group}") from None
        except OSError as e:
            raise TraceFileError(self.path, f"damaged file, cannot read the attributes of {group} ({e})") from None

    @property
    def scenario(self):
        return self.attributes()["scenario"]

    @property
    def seed(self):
        return self.attributes()["seed"]

    def datasets(self):
        return sorted(self._datasets)

    def _groups_with(self, table):
        return sorted(p[: -len(table) - 1] for p in self._datasets if p.rsplit("/", 1)[-1] == table)

    def run_groups(self):
        """Every run: the groups that hold an `epochs` table."""
        return self._groups_with("epochs")

    def campaign_groups(self):
        return self._groups_with("stages")

    # --- tables --------------------------------------------------------------------------
    def table(self, path, where=None):
        """The dataset at `path` as a tidy DataFrame. `where(array) -> bool mask` filters rows while
        reading, block by block, so that a big table is never whole in memory."""
        path = "/" + path.strip("/")
        if path not in self._datasets:
            raise TraceFileError(self.path, f"no table {path}; tables here: {', '.join(self.datasets()) or 'none'}")
        ds = self._datasets[path]
        try:
            if where is None:
                return _tidy(ds[:])
            parts = [ds[i:i + _READ_ROWS] for i in range(0, len(ds), _READ_ROWS)]
            kept = [p[where(p)] for p in parts]
            return _tidy(np.concatenate(kept) if kept else ds[:0])
        except OSError as e:
            raise TraceFileError(self.path, f"damaged file, cannot read {path} ({e})") from None

    def _tables(self, groups, name, where=None):
        frames = []
        for g in groups:
            if g + "/" + name not in self._datasets:
                continue
            df = self.table(g + "/" + name, where)
            platform, run = _identity(g)
            # Campaign `runs` tables have their own run and platform columns: those win.
            for col, value in (("run", run), ("platform", platform), ("group", g)):
                if col not in df and (col != "run" or run):
                    df.insert(0, col, value)
            frames.append(df)
        if not frames:
            raise TraceFileError(self.path, f"no '{name}' table in {', '.join(groups) or 'this file'}")
        return pd.concat(frames, ignore_index=True)

    def _one_or_all(self, group, name, where=None):
        if group is not None:
            return self.table(group.rstrip("/") + "/" + name, where)
        return self._tables(self.run_groups(), name, where)

    def iterations(self, group=None):
        """One run's iterations, or every run's with group, platform and run columns."""
        return self._one_or_all(group, "iterations")

    def epochs(self, group=None):
        return self._one_or_all(group, "epochs")

    def events(self, group=None, iterations=None):
        """Events with `kind` as names. `iterations=(a, b)` keeps iterations a..b (both included)."""
        where = None
        if iterations is not None:
            a, b = iterations
            where = lambda p: (p["iteration"] >= a) & (p["iteration"] <= b)  # noqa: E731
        return self._one_or_all(group, "events", where)

    def stages(self, group=None):
        """Campaign stages: of one campaign group, or of all with group and platform columns."""
        if group is not None:
            return self.table(group.rstrip("/") + "/stages")
        return self._tables(self.campaign_groups(), "stages")

    def runs(self, group=None):
        """Campaign runs (the `runs` table of campaign groups, not the run groups)."""
        if group is not None:
            return self.table(group.rstrip("/") + "/runs")
        return self._tables(self.campaign_groups(), "runs")

    def points(self, path=None):
        """Sweep points: `path`, or the only `points` table of the file."""
        if path is None:
            found = [p for p in self._datasets if p.rsplit("/", 1)[-1] == "points"]
            if len(found) != 1:
                raise TraceFileError(self.path, f"expected one sweep 'points' table, found {len(found)}")
            path = found[0]
        return self.table(path)

    def summaries(self):
        """One row per run: group, platform, run, then its attributes (per-rank arrays as lists)."""
        rows = []
        for g in self.run_groups():
            platform, run = _identity(g)
            row = {"group": g, "platform": platform or self.attributes(g).get("gpu", ""), "run": run}
            for k, v in self.attributes(g).items():
                row[k] = list(v) if isinstance(v, np.ndarray) else v
            rows.append(row)
        if not rows:
            raise TraceFileError(self.path, "no runs in this file")
        return pd.DataFrame(rows)
