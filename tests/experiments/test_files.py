"""``sweep.csv`` and the heatmaps (learning_dilemma.experiments.files, learning_dilemma.io.heatmaps)."""

from __future__ import annotations

import csv
from xml.etree import ElementTree

import numpy as np

from learning_dilemma.experiments.axes import Axis, grid
from learning_dilemma.experiments.files import write_outputs
from learning_dilemma.io.heatmaps import evenly_spaced, write_grid_figure


def fake_records(axes):
    records = []
    for index, point in enumerate(grid(axes)):
        rate = float(point["continuation"] > 0.7)
        records.append({"index": index, **point, "status": "ok", "evolved_give_rate": rate,
                        "evolved_give_rate_small_mutations": rate / 2, "settled": index != 1})
    return records


def test_one_and_two_axis_sweeps_write_csv_png_and_svg(tmp_path):
    for axes in ([Axis("continuation", (0.6, 0.8, 0.9))],
                 [Axis("continuation", (0.6, 0.8, 0.9)), Axis("game.power.strength", (0.0, 0.5))]):
        out = tmp_path / str(len(axes))
        paths = write_outputs(fake_records(axes), axes, out, "demo")
        assert [p.name for p in paths] == ["sweep.csv", "sweep.png", "sweep.svg"]
        rows = list(csv.DictReader((out / "sweep.csv").open()))
        assert [r["evolved_giving"] for r in rows] == [r["evolved_give_rate"] for r in rows]
        assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"
        ElementTree.parse(out / "sweep.svg")
        svg = (out / "sweep.svg").read_text()
        assert "replicator dynamics from equal shares" in svg and "run not settled" in svg


def test_no_plots_writes_only_the_csv(tmp_path):
    axes = [Axis("continuation", (0.6, 0.9))]
    assert [p.name for p in write_outputs(fake_records(axes), axes, tmp_path, "demo", plots=False)] == ["sweep.csv"]


def test_heatmaps_take_plain_arrays_even_on_uneven_grids(tmp_path):
    assert evenly_spaced([1.0]) and evenly_spaced([0.0, 0.5, 1.0]) and not evenly_spaced([0.0, 0.1, 1.0])
    values = np.array([[0.0, 0.2], [0.6, np.nan], [1.0, 0.9]])
    write_grid_figure(tmp_path / "uneven.svg", "title", "x", [0.0, 0.1, 1.0], [("a", values)], y_key="y",
                      y_values=[0.0, 2.0], marks=[(0.1, 2.0)], mark_label="marked", label="value")
    assert "marked" in (tmp_path / "uneven.svg").read_text()
