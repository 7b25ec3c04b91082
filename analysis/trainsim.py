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

Python 3 with Debian's h5py, numpy, pandas and matplotlib; nothing else. The plots use the
object-oriented Figure API (no pyplot state), so they work headless and in notebooks alike.
"""
import os

import h5py
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

SCHEMA_VERSION = 1

# The stream of each event kind, as the Chrome trace export groups them (sim/io/chrome_trace.cpp).
STREAMS = ("compute", "communication", "loader")
STREAM_OF_KIND = {
    "forward": "compute", "backward": "compute", "optimizer": "compute", "validation": "compute",
    "stall": "compute", "other": "compute",
    "allreduce": "communication", "h2d": "communication",
    "load": "loader", "read": "loader", "checkpoint": "loader",
}
KIND_COLORS = {
    "load": "#8c564b", "read": "#c49c94", "h2d": "#9467bd", "forward": "#1f77b4", "backward": "#aec7e8",
    "allreduce": "#ff7f0e", "optimizer": "#2ca02c", "stall": "#d62728", "validation": "#17becf",
    "checkpoint": "#7f7f7f", "other": "#bcbd22",
}
BREAKDOWN = {  # column: (label, colour)
    "compute": ("compute", "#1f77b4"), "exposed_comm": ("exposed communication", "#ff7f0e"),
    "data_stall": ("data stall", "#d62728"), "validation_s": ("validation", "#17becf"),
    "checkpoint_s": ("checkpoint", "#7f7f7f"),
}

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


# --- plots ----------------------------------------------------------------------------------
def _finish(fig, path):
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def plot_iteration_gantt(events, iteration=None, path=None):
    """One iteration per rank as a Gantt chart: a row per rank and stream, bars coloured by kind.
    `iteration`: an iteration number, or None for the first steady one (the second present)."""
    ev = events[events["iteration"] >= 0]
    if ev.empty:
        raise ValueError("no events tied to an iteration")
    present = sorted(ev["iteration"].unique())
    if iteration is None:
        iteration = present[1] if len(present) > 1 else present[0]
    ev = ev[ev["iteration"] == iteration]
    if ev.empty:
        raise ValueError(f"no events of iteration {iteration}")
    t0 = ev["start"].min()
    ranks = sorted(ev["rank"].unique())
    rows = [(r, s) for r in ranks for s in STREAMS]
    fig = Figure(figsize=(11, 0.45 * len(rows) + 1.5))
    ax = fig.add_subplot()
    for y, (rank, stream) in enumerate(rows):
        sel = ev[(ev["rank"] == rank) & (ev["kind"].astype(str).map(STREAM_OF_KIND) == stream)]
        for kind, grp in sel.groupby(sel["kind"].astype(str)):
            spans = list(zip((grp["start"] - t0) * 1e3, (grp["end"] - grp["start"]) * 1e3))
            ax.broken_barh(spans, (y - 0.4, 0.8), facecolors=KIND_COLORS.get(kind, "#333333"),
                           edgecolor="white", linewidth=0.2)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"rank {r} {s}" for r, s in rows])
    ax.invert_yaxis()
    ax.set_xlabel("ms from the iteration's start")
    ax.set_title(f"iteration {iteration}")
    kinds = [k for k in KIND_COLORS if k in set(ev["kind"].astype(str))]
    ax.legend(handles=[Patch(color=KIND_COLORS[k], label=k) for k in kinds], loc="upper left",
              bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return _finish(fig, path)


def plot_epoch_breakdown(iterations, epochs=None, path=None):
    """Stacked bars per epoch: compute, exposed communication and data stall summed over the
    epoch's iterations, plus validation and checkpoint when `epochs` is given."""
    parts = ["compute", "exposed_comm", "data_stall"]
    per_epoch = iterations.groupby("epoch")[parts].sum()
    if epochs is not None:
        per_epoch = per_epoch.join(epochs.set_index("epoch")[["validation_s", "checkpoint_s"]], how="left")
        parts += ["validation_s", "checkpoint_s"]
    fig = Figure(figsize=(max(5, 0.35 * len(per_epoch) + 3), 4))
    ax = fig.add_subplot()
    bottom = np.zeros(len(per_epoch))
    for p in parts:
        values = per_epoch[p].fillna(0).to_numpy()
        label, color = BREAKDOWN[p]
        ax.bar(per_epoch.index, values, bottom=bottom, label=label, color=color)
        bottom += values
    ax.set_xticks(per_epoch.index)
    ax.set_xlabel("epoch")
    ax.set_ylabel("seconds")
    ax.set_title("where each epoch's time goes")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, path)


def plot_scaling(summaries, by="platform", path=None):
    """Images/s against GPUs, one line per `by` (platform), with ideal linear scaling dashed from
    each line's smallest GPU count. `summaries`: Trace.summaries() of one or several files."""
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    for key, grp in summaries.sort_values("gpus").groupby(by):
        line, = ax.plot(grp["gpus"], grp["images_per_s"], marker="o", label=str(key))
        g0, ips0 = grp["gpus"].iloc[0], grp["images_per_s"].iloc[0]
        ax.plot(grp["gpus"], ips0 * grp["gpus"] / g0, linestyle="--", color=line.get_color(), alpha=0.5)
    ax.set_xlabel("GPUs")
    ax.set_ylabel("images/s")
    ax.set_xticks(sorted(summaries["gpus"].unique()))
    ax.set_title("scaling (dashed: linear)")
    ax.legend(fontsize="small")
    return _finish(fig, path)


def plot_campaign_gantt(stages, runs=None, path=None):
    """The campaign timeline: one bar per stage and, below it, one per run (a cross when its
    result was reused: it took no time). With a `platform` column, one panel per platform on a shared time axis."""
    platforms = sorted(stages["platform"].unique()) if "platform" in stages else [None]
    heights = []
    for p in platforms:
        n = len(stages) if p is None else int((stages["platform"] == p).sum())
        if runs is not None:
            n += len(runs) if p is None else int((runs["platform"] == p).sum())
        heights.append(max(n, 1))
    fig = Figure(figsize=(10, 0.3 * sum(heights) + 1.2 * len(platforms)))
    axes = fig.subplots(len(platforms), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    colors = {}
    for ax, p in zip(axes, platforms):
        st = stages if p is None else stages[stages["platform"] == p]
        rn = None if runs is None else (runs if p is None else runs[runs["platform"] == p])
        labels = []
        for _, s in st.iterrows():
            color = colors.setdefault(s["name"], f"C{len(colors) % 10}")
            ax.barh(len(labels), s["end_hours"] - s["start_hours"], left=s["start_hours"], color=color)
            labels.append(s["name"])
            if rn is not None:
                for _, r in rn[rn["stage"] == s["name"]].iterrows():
                    if r["reused"]:  # takes no time: a marker where it would have started
                        ax.plot([r["start_hours"]], [len(labels)], marker="x", color=color)
                    else:
                        ax.barh(len(labels), r["end_hours"] - r["start_hours"], left=r["start_hours"], color=color,
                                alpha=0.5)
                    labels.append("  " + r["run"] + (" (reused)" if r["reused"] else ""))
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels, fontsize="small")
        ax.invert_yaxis()
        if p is not None:
            ax.set_title(p, loc="left")
    axes[-1].set_xlabel("hours from the campaign's start")
    return _finish(fig, path)


def plot_cost_energy_co2(table, by="platform", path=None):
    """Three bar charts side by side: cost (USD), energy (kWh) and CO2 (kg) summed per `by`.
    `table`: campaign stages (or runs) with a `platform` column, e.g. Trace.stages()."""
    totals = table.groupby(by)[["cost_usd", "energy_kwh", "co2_kg"]].sum()
    fig = Figure(figsize=(10, 3.5))
    axes = fig.subplots(1, 3)
    for ax, (col, label) in zip(axes, [("cost_usd", "cost (USD)"), ("energy_kwh", "energy (kWh)"),
                                       ("co2_kg", "CO2 (kg)")]):
        bars = ax.bar(totals.index.astype(str), totals[col], color=[f"C{i}" for i in range(len(totals))])
        ax.bar_label(bars, fmt="%.1f", fontsize="small")
        ax.set_title(label)
    return _finish(fig, path)


def plot_sweep_heatmap(points, x, y, metric, path=None):
    """A heat map of `metric` over two sweep axes (mean over the other axes). Failed points are
    grey and marked 'failed'."""
    for col in (x, y, metric):
        if col not in points:
            raise ValueError(f"no column '{col}' in the points; columns: {', '.join(points.columns)}")
    ok = points["status"] == "ok" if "status" in points else pd.Series(True, index=points.index)
    values = points.assign(_v=points[metric].where(ok)).pivot_table(index=y, columns=x, values="_v",
                                                                    aggfunc="mean", dropna=False)
    every = points.pivot_table(index=y, columns=x, values=metric, aggfunc="size", dropna=False)
    values = values.reindex(index=every.index, columns=every.columns)
    fig = Figure(figsize=(1.1 * len(values.columns) + 3, 0.7 * len(values.index) + 2))
    ax = fig.add_subplot()
    data = np.ma.masked_invalid(values.to_numpy(dtype=float))
    ax.set_facecolor("#dddddd")
    im = ax.imshow(data, cmap="viridis", aspect="auto", origin="lower")
    fig.colorbar(im, ax=ax, label=metric)
    for (i, j), v in np.ndenumerate(values.to_numpy(dtype=float)):
        ax.text(j, i, "failed" if np.isnan(v) else f"{v:.3g}", ha="center", va="center", fontsize="small",
                color="black" if np.isnan(v) else "white")
    ax.set_xticks(range(len(values.columns)))
    ax.set_xticklabels([str(c) for c in values.columns])
    ax.set_yticks(range(len(values.index)))
    ax.set_yticklabels([str(i) for i in values.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return _finish(fig, path)
