"""Heatmaps of a measure over a one- or two-dimensional grid (matplotlib,
imported only when a figure is drawn).

A sweep (:mod:`learning_dilemma.experiments`) draws its evolved give rates
with :func:`write_grid_figure`: two axes give one heatmap panel per measure,
with the boundary contour; one axis gives one line per measure with the
boundary drawn. This module knows nothing of sweeps: it takes arrays.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["draw_heatmap", "evenly_spaced", "grid_figure", "write_grid_figure"]


def evenly_spaced(values) -> bool:
    """Whether grid values are evenly spaced and increasing.

    Examples
    --------
    >>> evenly_spaced([0.1, 0.2, 0.3]), evenly_spaced([0.1, 0.3, 0.4])
    (True, False)
    """
    values = np.asarray(values, dtype=float)
    steps = np.diff(values)
    return len(values) < 2 or bool(steps[0] > 0 and np.allclose(steps, steps[0], rtol=1e-6))


def draw_heatmap(ax, x, y, grid, boundary: float | None = 0.5, vmin: float = 0.0, vmax: float = 1.0):
    """Draw ``grid[j, i]`` (at ``y[j]``, ``x[i]``) on ``ax`` with the contour at ``boundary``.

    Evenly spaced grids are drawn as one raster image (fast, and small even as
    SVG); others as a mesh. Returns the image, for a colour bar.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if evenly_spaced(x) and evenly_spaced(y):
        half_x = (x[1] - x[0]) / 2 if len(x) > 1 else 0.5
        half_y = (y[1] - y[0]) / 2 if len(y) > 1 else 0.5
        image = ax.imshow(grid, origin="lower", aspect="auto", interpolation="nearest", cmap="viridis",
                          vmin=vmin, vmax=vmax, extent=(x[0] - half_x, x[-1] + half_x, y[0] - half_y, y[-1] + half_y))
    else:
        image = ax.pcolormesh(x, y, grid, shading="nearest", cmap="viridis", vmin=vmin, vmax=vmax)
    if (boundary is not None and len(x) > 1 and len(y) > 1 and np.isfinite(grid).any()
            and np.nanmin(grid) < boundary < np.nanmax(grid)):
        ax.contour(x, y, grid, levels=[boundary], colors="white", linewidths=2)
    return image


def grid_figure(title: str, x_key: str, x_values, panels, *, y_key: str | None = None, y_values=None,
                marks=(), mark_label: str = "", boundary: float = 0.5, label: str = "value"):
    """A matplotlib figure of measures over a grid.

    Parameters
    ----------
    title : str
        The figure's title.
    x_key, x_values
        The first axis: its name and values.
    panels : list of (str, array)
        Each measure's title and values: shape ``(len(x_values),)`` with one
        axis, ``(len(x_values), len(y_values))`` with two (NaN: no value).
    y_key, y_values : optional
        The second axis, for heatmaps (one panel per measure).
    marks : list of (float, float)
        Points to mark with red crosses (on the first panel): ``(x, value)``
        with one axis, ``(x, y)`` with two.
    mark_label : str
        The legend entry of the marks.
    boundary : float
        Drawn as a dashed line (one axis) or a white contour (two axes).
    label : str
        What the values are (the y axis or the colour bar).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    style = dict(marker="x", s=8, linewidths=0.6, color="red", zorder=3, label=mark_label)
    x = np.asarray(x_values, dtype=float)
    marks = list(marks)
    if y_values is None:
        fig, ax = plt.subplots(figsize=(7, 5))
        for name, values in panels:
            ax.plot(x, np.asarray(values, dtype=float), marker="o" if len(x) < 40 else None, label=name)
        ax.axhline(boundary, color="grey", linestyle="--", linewidth=1)
        if marks:
            ax.scatter([m[0] for m in marks], [m[1] for m in marks], **{**style, "s": 60, "linewidths": 1.5})
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(x_key)
        ax.set_ylabel(label)
        ax.legend(loc="upper left", fontsize="small", framealpha=0.8)
        ax.set_title(title)
        fig.tight_layout()
        return fig
    y = np.asarray(y_values, dtype=float)
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 5), sharey=True, layout="constrained",
                             squeeze=False)
    axes = list(axes[0])
    image = None
    for ax, (name, values) in zip(axes, panels):
        image = draw_heatmap(ax, x, y, np.asarray(values, dtype=float).reshape(len(x), len(y)).T, boundary)
        ax.set_xlabel(x_key)
        ax.set_title(name)
    axes[0].set_ylabel(y_key)
    if marks:
        axes[0].scatter([m[0] for m in marks], [m[1] for m in marks], **style)
        axes[0].legend(loc="upper left", fontsize="small", framealpha=0.8)
    fig.colorbar(image, ax=axes, label=label)
    fig.suptitle(title)
    return fig


def write_grid_figure(path, *args, **kwargs) -> None:
    """Draw :func:`grid_figure` and write it to ``path`` atomically, in the
    format its suffix names (``.png``, ``.svg``, ...)."""
    import matplotlib.pyplot as plt

    from .outputs import figure_bytes, write_bytes

    fig = grid_figure(*args, **kwargs)
    try:
        data = figure_bytes(fig, Path(path).suffix.lstrip(".") or "png", dpi=120)  # same grid, same bytes
    finally:
        plt.close(fig)
    write_bytes(path, data)
