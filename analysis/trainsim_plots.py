"""Plot helpers for trainsim tables (re-exported by trainsim.py): each takes DataFrames as
trainsim.py returns them, returns a matplotlib Figure, and saves a PNG when given `path`.

They use the object-oriented Figure API (no pyplot state), so they work headless (no display,
no backend to choose) and in notebooks alike, where a returned Figure is shown as it is.
"""
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

# The stream of each event kind, as the Chrome trace export groups them (sim/report/chrome_trace.cpp).
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


def _finish(fig, path):
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig


def plot_iteration_gantt(events, iteration=None, path=None):
    """One iteration per rank as a Gantt chart: a row per rank and stream, bars coloured by kind.
    `iteration`: an iteration number, or None for the first steady one (the second present).
    The window is the iteration's GPU work (copy, compute, communication); the loader rows show
    what the workers did meanwhile, which is mostly later batches (they run ahead)."""
    ev = events[events["iteration"] >= 0]
    if ev.empty:
        raise ValueError("no events tied to an iteration")
    present = sorted(ev["iteration"].unique())
    if iteration is None:
        iteration = present[1] if len(present) > 1 else present[0]
    mine = ev[ev["iteration"] == iteration]
    if mine.empty:
        raise ValueError(f"no events of iteration {iteration}")
    stream = ev["kind"].astype(str).map(STREAM_OF_KIND)
    gpu_side = mine[mine["kind"].astype(str).map(STREAM_OF_KIND) != "loader"]
    if gpu_side.empty:
        gpu_side = mine
    t0, t1 = gpu_side["start"].min(), gpu_side["end"].max()
    loading = ev[(stream == "loader") & (ev["end"] > t0) & (ev["start"] < t1)]
    ev = pd.concat([gpu_side, loading])
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
    ax.set_xlim(0, (t1 - t0) * 1e3)
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
        bars = ax.bar(range(len(totals)), totals[col], color=[f"C{i}" for i in range(len(totals))])
        ax.bar_label(bars, fmt="%.1f", fontsize="small")
        ax.set_xticks(range(len(totals)))
        # platform names are long (4x-h100-sxm-nvswitch): slanted, so that they do not overlap
        ax.set_xticklabels(totals.index.astype(str), rotation=20, ha="right", fontsize="small")
        ax.set_title(label)
    return _finish(fig, path)


def _axis_values(column):
    """The distinct values of a sweep axis column in order: unset (NaN) first, then sorted."""
    present = list(column.dropna().unique())
    try:
        present = sorted(present)
    except TypeError:  # mixed types: by their text
        present = sorted(present, key=str)
    return ([np.nan] if column.isna().any() else []) + present


def _axis_codes(column, values):
    """The position of each row's value in `values` (NaN: position 0 when values start with NaN)."""
    has_unset = bool(values) and isinstance(values[0], float) and np.isnan(values[0])
    known = values[1:] if has_unset else values
    codes = pd.Categorical(column, categories=known).codes.astype(int) + (1 if has_unset else 0)
    if has_unset:
        codes[column.isna().to_numpy()] = 0
    return codes


def _axis_label(value, missing):
    if isinstance(value, (float, np.floating)):
        return missing if np.isnan(value) else f"{value:g}"
    return str(value)


def plot_sweep_heatmap(points, x, y, metric, by=None, missing="unset", fmt="{:.3g}", path=None):
    """A heat map of `metric` over two sweep axes (mean over the other axes, so give `by` for an axis
    that must not be averaged over: one panel per value, each with its own colour scale).
    Points that leave an axis unset (NaN: e.g. the NVLink bandwidth of a point without NVLink) form
    a row or column of their own labelled `missing`. Cells whose points all failed (status other
    than ok) are grey and marked 'failed'; combinations that the sweep has no point for stay blank.
    `fmt` formats the number written in each cell."""
    for col in (x, y, metric) + ((by,) if by is not None else ()):
        if col not in points:
            raise ValueError(f"no column '{col}' in the points; columns: {', '.join(points.columns)}")
    ok = (points["status"] == "ok").to_numpy() if "status" in points else np.ones(len(points), bool)
    xs, ys = _axis_values(points[x]), _axis_values(points[y])
    xc, yc = _axis_codes(points[x], xs), _axis_codes(points[y], ys)
    if by is None:
        panels = [(None, np.ones(len(points), bool))]
    else:
        panels = [(v, _axis_codes(points[by], _axis_values(points[by])) == i)
                  for i, v in enumerate(_axis_values(points[by]))]
    fig = Figure(figsize=(1.1 * len(xs) + 3, (0.7 * len(ys) + 1.6) * len(panels) + 0.4))
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    metric_values = points[metric].to_numpy(dtype=float)
    for ax, (key, rows) in zip(axes, panels):
        total = np.zeros((len(ys), len(xs)))
        count = np.zeros((len(ys), len(xs)))
        good = rows & ok & ~np.isnan(metric_values)
        np.add.at(count, (yc[rows], xc[rows]), 1)
        np.add.at(total, (yc[good], xc[good]), metric_values[good])
        n_good = np.zeros((len(ys), len(xs)))
        np.add.at(n_good, (yc[good], xc[good]), 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(n_good > 0, total / n_good, np.nan)
        ax.set_facecolor("#dddddd")
        im = ax.imshow(np.ma.masked_invalid(values), cmap="viridis", aspect="auto", origin="lower")
        fig.colorbar(im, ax=ax, label=metric)
        for (i, j), v in np.ndenumerate(values):
            if count[i, j] == 0:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, color="white"))
                continue
            if np.isnan(v):
                ax.text(j, i, "failed", ha="center", va="center", fontsize="small", color="black")
                continue
            r, g, b, _ = im.cmap(im.norm(v))
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize="small",
                    color="black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels([_axis_label(v, missing) for v in xs])
        ax.set_yticks(range(len(ys)))
        ax.set_yticklabels([_axis_label(v, missing) for v in ys])
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        if key is not None:
            ax.set_title(f"{by} = {_axis_label(key, missing)}", loc="left")
    return _finish(fig, path)
