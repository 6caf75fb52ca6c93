"""A sweep's files: ``sweep.csv`` and the heatmaps ``sweep.png`` and ``sweep.svg``.

Every file is written atomically (:mod:`learning_dilemma.io.outputs`); the
figures are drawn by :mod:`learning_dilemma.io.heatmaps`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .results import BOUNDARY, MEASURES, tidy, unsettled

__all__ = ["PLOT_FORMATS", "csv_text", "write_csv", "write_outputs", "write_plot"]

#: The heatmap's formats, each written as ``sweep.<format>``.
PLOT_FORMATS = ("png", "svg")


def csv_text(records: list[dict], axes) -> str:
    """The text of ``sweep.csv``: :func:`.results.tidy` rows, deprecated columns included."""
    from ..io.outputs import csv_text as text

    return text(tidy(records, axes))


def write_csv(records: list[dict], axes, path) -> Path:
    """Write ``sweep.csv`` (atomically) to ``path``; returns the path."""
    from ..io.outputs import write_text

    path = Path(path)
    write_text(path, csv_text(records, axes))
    return path


def write_plot(records: list[dict], axes, path, name: str) -> Path:
    """Draw the evolved give rate over the grid under both :data:`.results.MEASURES`.

    Two axes: a heatmap panel per measure with the contour at
    :data:`.results.BOUNDARY`; one axis: a line per measure. Points whose
    replicator run had not settled are marked with red crosses.
    """
    from ..io.heatmaps import write_grid_figure

    def values(column):
        return np.array([r[column] if r["status"] == "ok" else np.nan for r in records], dtype=float)

    late = unsettled(records)
    if len(axes) == 1:
        marks = [(r[axes[0].key], r["evolved_give_rate"]) for r in late]
        extra = {}
    else:
        marks = [(r[axes[0].key], r[axes[1].key]) for r in late]
        extra = {"y_key": axes[1].key, "y_values": axes[1].values}
    path = Path(path)
    write_grid_figure(path, f"{name}: where giving emerges (boundary at {BOUNDARY:g})", axes[0].key, axes[0].values,
                      [(title, values(column)) for column, title in MEASURES], marks=marks,
                      mark_label="replicator run not settled", boundary=BOUNDARY, label="evolved give rate", **extra)
    return path


def write_outputs(records: list[dict], axes, directory, name: str, plots: bool = True) -> list[Path]:
    """``sweep.csv`` and (with ``plots``) ``sweep.png`` and ``sweep.svg`` in
    ``directory`` (created if needed), each atomically; returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = [write_csv(records, axes, directory / "sweep.csv")]
    if plots:
        written += [write_plot(records, axes, directory / f"sweep.{fmt}", name) for fmt in PLOT_FORMATS]
    return written
