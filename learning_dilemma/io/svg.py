"""Small, dependency-free SVG charts for self-contained HTML reports.

Hand-written SVG keeps a report readable offline, on a projector and in print,
without loading matplotlib: a heatmap, grouped horizontal bars and lines.
"""

from __future__ import annotations

from html import escape

import numpy as np

__all__ = ["bars", "colour", "heatmap", "lines", "PALETTE", "VIRIDIS"]

# Stops of a perceptually ordered, colour-blind-safe scale (viridis).
VIRIDIS = ["#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725"]
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"]


def colour(value: float, low: float, high: float) -> str:
    """The viridis colour of ``value`` on ``[low, high]`` (grey for nan)."""
    if not np.isfinite(value):
        return "#dddddd"
    t = 0.0 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)
    position = t * (len(VIRIDIS) - 1)
    k = min(int(position), len(VIRIDIS) - 2)
    a, b = _rgb(VIRIDIS[k]), _rgb(VIRIDIS[k + 1])
    f = position - k
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b))


def _rgb(hex_colour: str):
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _text_colour(fill: str) -> str:
    r, g, b = _rgb(fill)
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{1.5 * width:.0f}" style="max-width:100%;height:auto" role="img" aria-label="{escape(title)}" font-family="sans-serif">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def heatmap(matrix, rows: list[str], columns: list[str], title: str, fmt: str = "{:.2f}") -> str:
    """A labelled heatmap with each cell's value written in it."""
    matrix = np.asarray(matrix, dtype=float)
    finite = matrix[np.isfinite(matrix)]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    cell = 44 if len(columns) <= 12 else 30
    left = 12 + 7.2 * max((len(r) for r in rows), default=4)
    top = 24 + 6.5 * max((len(c) for c in columns), default=4)
    width, height = max(left + cell * len(columns) + 20, 260), top + cell * len(rows) + 30
    body = []
    for j, name in enumerate(columns):
        x = left + cell * (j + 0.5)
        body.append(f'<text x="{x:.1f}" y="{top - 6:.1f}" font-size="12" transform="rotate(-45 {x:.1f} {top - 6:.1f})">'
                    f"{escape(name)}</text>")
    for i, name in enumerate(rows):
        y = top + cell * (i + 0.5)
        body.append(f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" font-size="12" text-anchor="end">{escape(name)}</text>')
        for j in range(len(columns)):
            value = matrix[i, j]
            fill = colour(value, low, high)
            x = left + cell * j
            body.append(f'<rect x="{x:.1f}" y="{top + cell * i:.1f}" width="{cell}" height="{cell}" fill="{fill}" '
                        f'stroke="#fff"><title>{escape(name)} vs {escape(columns[j])}: {value:.4g}</title></rect>')
            if np.isfinite(value) and cell >= 40:
                body.append(f'<text x="{x + cell / 2:.1f}" y="{top + cell * i + cell / 2 + 4:.1f}" font-size="11" '
                            f'text-anchor="middle" fill="{_text_colour(fill)}">{fmt.format(value)}</text>')
    caption = f"colour from {low:.3g} to {high:.3g}"
    body.append(f'<text x="{left:.1f}" y="{height - 8:.1f}" font-size="12">{escape(caption)}</text>')
    return _svg(width, height, body, title)


def bars(values, labels: list[str], title: str, high: float | None = None, fmt: str = "{:.2f}") -> str:
    """Horizontal bars, one per label, with values written at their ends."""
    values = np.asarray(values, dtype=float)
    high = float(np.nanmax(values)) if high is None else high
    high = high if high > 0 else 1.0
    left = 12 + 7.2 * max(len(label) for label in labels)
    row, span = 26, 420
    width, height = left + span + 70, 16 + row * len(labels)
    body = []
    for k, (label, value) in enumerate(zip(labels, values)):
        y = 8 + row * k
        length = span * max(value, 0.0) / high
        body.append(f'<text x="{left - 6:.1f}" y="{y + 16:.1f}" font-size="13" text-anchor="end">{escape(label)}</text>')
        body.append(f'<rect x="{left:.1f}" y="{y + 3:.1f}" width="{length:.1f}" height="18" fill="{PALETTE[0]}"/>')
        body.append(f'<text x="{left + length + 5:.1f}" y="{y + 16:.1f}" font-size="12">{fmt.format(value)}</text>')
    return _svg(width, height, body, title)


def lines(series: dict[str, np.ndarray], title: str, x_label: str, y_label: str, marker: float | None = None) -> str:
    """Line chart of named series over their index (rounds), with a legend."""
    width, height, left, right, top, bottom = 760, 340, 56, 250, 16, 40
    all_values = np.concatenate([np.asarray(v, dtype=float) for v in series.values()]) if series else np.zeros(1)
    low, high = float(np.nanmin(all_values)), float(np.nanmax(all_values))
    if marker is not None:
        low, high = min(low, marker), max(high, marker)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    longest = max((len(v) for v in series.values()), default=2)
    plot_w, plot_h = width - left - right, height - top - bottom

    def point(t, v):
        return left + plot_w * t / max(longest - 1, 1), top + plot_h * (high - v) / (high - low)

    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>']
    for tick in np.linspace(low, high, 5):
        _, y = point(0, tick)
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick:.2g}</text>')
    if marker is not None:
        _, y = point(0, marker)
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#777" stroke-dasharray="4 3"/>')
    for k, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=float)
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(t, v) for t, v in enumerate(values)) if np.isfinite(y))
        col = PALETTE[k % len(PALETTE)]
        body.append(f'<polyline points="{path}" fill="none" stroke="{col}" stroke-width="2"/>')
        body.append(f'<rect x="{width - right + 10}" y="{top + 18 * k + 2}" width="12" height="4" fill="{col}"/>')
        body.append(f'<text x="{width - right + 26}" y="{top + 18 * k + 8}" font-size="11">{escape(name[:38])}</text>')
    body.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" font-size="12" text-anchor="middle">{escape(x_label)}</text>')
    body.append(f'<text x="14" y="{top + plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
                f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(y_label)}</text>')
    body.append(f'<text x="{left}" y="{height - 22}" font-size="11">0</text>')
    body.append(f'<text x="{left + plot_w:.1f}" y="{height - 22}" font-size="11" text-anchor="end">{longest - 1}</text>')
    return _svg(width, height, body, title)
