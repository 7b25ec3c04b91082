"""analysis/trainsim.py: tidy tables from any trainsim file, clear errors for anything else, and
the plot helpers."""
import json
import shutil

import h5py
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import trainsim


@pytest.fixture(scope="module")
def trace(sample):
    with trainsim.open_trace(sample["h5"]) as t:
        yield t


def test_runs_and_summaries(trace):
    assert trace.run_groups() == [f"/platforms/{p}/runs/{n}gpu" for p in ("h100", "rtx3090") for n in (1, 2, 4)] + \
        ["/runs/sample"]
    s = trace.summaries()
    assert len(s) == 7
    row = s.set_index("group").loc["/runs/sample"]
    assert row["platform"] == "rtx3090" and row["run"] == "sample"  # a single run: the platform is its GPU
    assert row["gpus"] == 4 and isinstance(row["model"], str) and len(row["gpu_busy_s"]) == 4
    assert s.set_index("group").loc["/platforms/h100/runs/2gpu", "platform"] == "h100"
    assert trace.attributes()["schema_version"] == 1 and "sample:" in trace.scenario


def test_tables_are_tidy_and_exact(trace, sample):
    it = trace.iterations()
    assert {"group", "platform", "run"} <= set(it.columns)
    assert set(it["run"]) == {"1gpu", "2gpu", "4gpu", "sample"}
    one = trace.iterations("/runs/sample")
    with h5py.File(sample["h5"]) as f:
        raw = f["runs/sample/iterations"][:]
    for col in raw.dtype.names:
        assert np.array_equal(one[col].to_numpy(), raw[col]), col
    stages = trace.stages()
    assert stages["name"].map(type).eq(str).all() and set(stages["platform"]) == {"h100", "rtx3090"}
    runs = trace.runs()
    assert runs["reused"].dtype == bool and runs["stage"].iloc[0] == "baseline"
    assert set(runs["platform"]) == {"h100", "rtx3090"}
    points = trace.points()
    assert set(points["status"]) == {"ok", "failed"}
    assert points.loc[points["status"] == "failed", "images_per_s"].isna().all()
    assert (points.loc[points["status"] == "failed", "error"] != "").all()


def test_events_decoded_and_filtered(trace):
    ev = trace.events("/runs/sample")
    assert isinstance(ev["kind"].dtype, pd.CategoricalDtype)
    assert list(ev["kind"].cat.categories)[:3] == ["load", "h2d", "forward"]
    assert {"forward", "backward", "allreduce", "optimizer", "checkpoint"} <= set(ev["kind"].astype(str))
    some = trace.events("/runs/sample", iterations=(3, 4))
    assert set(some["iteration"]) == {3, 4}
    assert len(some) == int(ev["iteration"].between(3, 4).sum())
    everything = trace.events()  # both runs with events, tagged
    assert set(everything["group"]) == {"/runs/sample", "/platforms/rtx3090/runs/4gpu"}


def test_streams_match_the_chrome_export(sample):
    doc = json.loads(sample["json"].read_text())
    for e in doc["traceEvents"]:
        if e["ph"] == "X":
            assert trainsim.STREAM_OF_KIND[e["name"]] == e["cat"]


def test_missing_table_names_the_file_and_what_is_there(trace, sample):
    with pytest.raises(trainsim.TraceFileError) as err:
        trace.table("/runs/nothing/events")
    assert str(sample["h5"]) in str(err.value) and "runs/sample/epochs" in str(err.value)


@pytest.mark.parametrize("keep", [0.5, 0.05, 100])
def test_truncated_file_gives_a_clear_error(sample, tmp_path, keep):
    data = sample["h5"].read_bytes()
    bad = tmp_path / "truncated.h5"
    bad.write_bytes(data[: int(len(data) * keep)] if keep < 1 else data[:keep])
    with pytest.raises(trainsim.TraceFileError) as err:
        trainsim.open_trace(bad)
    assert err.value.path == str(bad)
    assert str(bad) in str(err.value)
    assert "truncated" in str(err.value) or "not an HDF5 file" in str(err.value)


def test_foreign_hdf5_gives_a_clear_error(tmp_path):
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["data"] = np.arange(10)
    with pytest.raises(trainsim.TraceFileError, match="not a trainsim file: no root attribute 'schema_version'"):
        trainsim.open_trace(foreign)


def test_newer_schema_and_other_files(tmp_path, sample):
    newer = tmp_path / "newer.h5"
    shutil.copy(sample["h5"], newer)
    with h5py.File(newer, "r+") as f:
        f.attrs["schema_version"] = 2
    with pytest.raises(trainsim.TraceFileError, match="schema_version 2; this module reads version 1"):
        trainsim.open_trace(newer)
    text = tmp_path / "notes.h5"
    text.write_text("hello\n")
    with pytest.raises(trainsim.TraceFileError, match="not an HDF5 file"):
        trainsim.open_trace(text)
    with pytest.raises(trainsim.TraceFileError, match="no such file"):
        trainsim.open_trace(tmp_path / "absent.h5")


def is_png(path):
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_iteration_gantt(trace, tmp_path):
    fig = trainsim.plot_iteration_gantt(trace.events("/runs/sample"), iteration=2, path=tmp_path / "g.png")
    assert isinstance(fig, Figure) and is_png(tmp_path / "g.png")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [f"rank {r} {s}" for r in range(4) for s in trainsim.STREAMS]
    assert fig.axes[0].get_title() == "iteration 2"


def test_epoch_breakdown_bars_add_up(trace, tmp_path):
    it, ep = trace.iterations("/runs/sample"), trace.epochs("/runs/sample")
    fig = trainsim.plot_epoch_breakdown(it, ep, path=tmp_path / "b.png")
    assert is_png(tmp_path / "b.png")
    bars = fig.axes[0].patches
    assert len(bars) == 5 * len(ep)
    tops = {}
    for b in bars:
        tops[round(b.get_x() + b.get_width() / 2)] = max(tops.get(round(b.get_x() + b.get_width() / 2), 0),
                                                         b.get_y() + b.get_height())
    expected = it.groupby("epoch")[["compute", "exposed_comm", "data_stall"]].sum().sum(axis=1) + \
        ep.set_index("epoch")[["validation_s", "checkpoint_s"]].sum(axis=1)
    assert [tops[e] for e in expected.index] == pytest.approx(expected.to_list(), rel=1e-12)


def test_scaling_curves(trace, tmp_path):
    s = trace.summaries()
    fig = trainsim.plot_scaling(s[s["run"] != "sample"], path=tmp_path / "s.png")
    assert is_png(tmp_path / "s.png")
    lines = fig.axes[0].get_lines()
    assert len(lines) == 4  # measured and linear, per platform
    h100 = s[(s["platform"] == "h100")].sort_values("gpus")
    assert list(lines[0].get_ydata()) == list(h100["images_per_s"])


def test_campaign_gantt_and_costs(trace, tmp_path):
    fig = trainsim.plot_campaign_gantt(trace.stages(), trace.runs(), path=tmp_path / "c.png")
    assert is_png(tmp_path / "c.png") and len(fig.axes) == 2
    assert "  grid-search-3 (reused)" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    fig = trainsim.plot_cost_energy_co2(trace.stages(), path=tmp_path / "e.png")
    assert is_png(tmp_path / "e.png")
    totals = trace.stages().groupby("platform")["cost_usd"].sum()
    assert [b.get_height() for b in fig.axes[0].patches] == pytest.approx(totals.to_list())


def test_sweep_heatmap_marks_failed_points(trace, tmp_path):
    points = trace.points()
    fig = trainsim.plot_sweep_heatmap(points, "link_gbps", "gpus", "images_per_s", path=tmp_path / "h.png")
    assert is_png(tmp_path / "h.png")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("failed") == int((points["status"] == "failed").sum())
    with pytest.raises(ValueError, match="no column 'nvlink'"):
        trainsim.plot_sweep_heatmap(points, "nvlink", "gpus", "images_per_s")


def test_sweep_heatmap_unset_axis_values_panels_and_gaps(tmp_path):
    # Shaped like the interconnect sweep's table: the PCIe-only point leaves platform.nvlink.gbps
    # unset (NaN), and two GPUs that must not be averaged together.
    rows = []
    for gpu, base in (("rtx3090", 27.0), ("h100-pcie-80gb", 54.0)):
        for gen in (3, 4):
            for gbps in (np.nan, 25.0, 56.25):
                if gpu == "h100-pcie-80gb" and gen == 4 and gbps == 25.0:
                    continue  # a combination the sweep has no point for
                rows.append({"point": len(rows), "status": "ok", "platform.gpu": gpu, "platform.pcie.gen": gen,
                             "platform.nvlink.gbps": gbps,
                             "images_per_s": base + gen + (0 if np.isnan(gbps) else gbps / 100)})
    points = pd.DataFrame(rows)
    points.loc[1, ["status", "images_per_s"]] = ["failed", np.nan]
    fig = trainsim.plot_sweep_heatmap(points, "platform.nvlink.gbps", "platform.pcie.gen", "images_per_s",
                                      by="platform.gpu", missing="none", fmt="{:.2f}", path=tmp_path / "h.png")
    assert is_png(tmp_path / "h.png")
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in panels] == ["platform.gpu = h100-pcie-80gb", "platform.gpu = rtx3090"]
    for ax in panels:
        assert [t.get_text() for t in ax.get_xticklabels()] == ["none", "25", "56.25"]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["3", "4"]
    h100, rtx = ([t.get_text() for t in ax.texts] for ax in panels)
    assert rtx == ["30.00", "failed", "30.56", "31.00", "31.25", "31.56"]  # row gen 3, then gen 4
    assert h100 == ["57.00", "57.25", "57.56", "58.00", "58.56"]  # gen 4 at 25 GB/s: no point, no text
    image = panels[0].images[0].get_array()
    assert image.mask[1, 1] and not image.mask[0, 0]
