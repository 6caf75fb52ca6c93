"""Writing a network's results: tidy CSV, a JSON summary and a picture, atomically.

:func:`write_network_outputs` writes into one folder, all files or none (the
folder is staged next to its target and moved into place only when every file
is complete: :func:`~learning_dilemma.io.outputs.staged_directory`):

- ``people.csv``: one row per person (:meth:`NetworkResults.person_table`);
- ``organisations.csv``: one row per organisation (:meth:`NetworkResults.organisation_table`);
- ``rounds.csv``: one row per round, means over repetitions (:meth:`NetworkResults.round_table`);
- ``ties.csv``: one row per tie (:meth:`NetworkResults.tie_table`);
- ``groups.csv``: one row per group (:meth:`NetworkResults.group_table`);
- ``summary.json``: the scenario (its file as read, and its settings), the
  headline numbers (:meth:`NetworkResults.summary`) and the same numbers for
  each repetition alone (``by_repetition``: how much they vary);
- ``network.png`` (unless ``plots=False``): the people and their ties, coloured
  by organisation (:func:`network_figure`).

Every CSV row starts with the run's ``scenario``, ``seed`` and ``version``, so
the files of several runs can be concatenated and still told apart; column
names are snake_case (documented in ``docs/networks.md``). A table with no rows
(no ties, no groups) is written as its run columns' header alone. Text cells go
through :func:`~learning_dilemma.io.outputs.safe_cell` (no spreadsheet
formulas). The same seed gives the same bytes in every file.

networkx and matplotlib are imported inside :func:`network_figure` only.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from .._version import __version__
from ..limits import check
from .outputs import csv_text, figure_bytes, json_text, staged_directory, write_bytes, write_text

__all__ = [
    "check_network_figure", "NETWORK_FILES", "network_document", "network_figure", "repetition",
    "tidy_network_rows", "write_network_outputs",
]

#: The files :func:`write_network_outputs` writes (the picture only with plots).
NETWORK_FILES = ("people.csv", "organisations.csv", "rounds.csv", "ties.csv", "groups.csv", "summary.json",
                 "network.png")
_TABLES = {"people.csv": "person_table", "organisations.csv": "organisation_table", "rounds.csv": "round_table",
           "ties.csv": "tie_table", "groups.csv": "group_table"}


def tidy_network_rows(rows: list[dict], results, scenario=None) -> list[dict]:
    """``rows`` with ``scenario``, ``seed`` and ``version`` in front of each; a
    table without rows becomes one row-less header of those three columns."""
    run = {"scenario": None if scenario is None else scenario.name, "seed": results.seed, "version": __version__}
    return [{**run, **row} for row in rows]


def _csv(rows: list[dict], results, scenario) -> str:
    tidy = tidy_network_rows(rows, results, scenario)
    return csv_text(tidy) if tidy else "scenario,seed,version\n"


def repetition(results, k: int):
    """The results of repetition ``k`` alone (a :class:`NetworkResults` with one repetition).

    Every array of the contributions and of the tie and group summaries holds
    the repetitions on its first axis; this takes slice ``k:k+1`` of each.
    """
    def cut(value):
        if isinstance(value, np.ndarray):
            return value[k:k + 1]
        if isinstance(value, list):
            return [cut(item) for item in value]
        if dataclasses.is_dataclass(value):
            return dataclasses.replace(value, **{f.name: cut(getattr(value, f.name)) for f in dataclasses.fields(value)})
        return value

    return dataclasses.replace(results, repetitions=1, contributions=cut(results.contributions),
                               ties=None if results.ties is None else cut(results.ties),
                               groups=None if results.groups is None else cut(results.groups))


def network_document(results, scenario=None) -> dict:
    """Everything about a network run as one JSON-ready document: the scenario
    (its definition and settings), the headline numbers and each repetition's."""
    return {
        "learning_dilemma_version": __version__,
        "scenario": None if scenario is None else {
            "name": scenario.name,
            "description": scenario.description,
            "path": None if scenario.path is None else str(scenario.path),
            "definition": scenario.raw,
            "settings": {str(key): _plain(value) for key, value in scenario.settings()},
        },
        "summary": results.summary(),
        "by_repetition": [repetition(results, k).summary() for k in range(results.repetitions)]
                         if results.repetitions > 1 else [results.summary()],
    }


def _plain(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def write_network_outputs(results, directory, plots: bool = True, scenario=None) -> list[Path]:
    """Write a network run's files (:data:`NETWORK_FILES`) into ``directory``, all or none.

    Parameters
    ----------
    results : NetworkResults
    directory : str or Path
        Created if needed (with its parents); files already there with other
        names are left alone, files of these names replaced.
    plots : bool
        Draw ``network.png`` (:func:`network_figure`).
    scenario : NetworkScenario, optional
        Named in every row and described in ``summary.json``.

    Returns
    -------
    list of Path
        The files written, sorted by name.
    """
    directory = Path(directory)
    if plots:
        check_network_figure(results.population)  # before anything is written
    with staged_directory(directory) as staging:
        for name, table in _TABLES.items():
            write_text(staging / name, _csv(getattr(results, table)(), results, scenario))
        write_text(staging / "summary.json", json_text(network_document(results, scenario)))
        if plots:
            figure = network_figure(results, title=None if scenario is None else scenario.name)
            try:
                data = figure_bytes(figure, "png", dpi=120)  # same results, same bytes
            finally:
                import matplotlib.pyplot as plt

                plt.close(figure)
            write_bytes(staging / "network.png", data)
        names = sorted(p.name for p in staging.iterdir())
    return [directory / name for name in names]


# --- the picture ----------------------------------------------------------------

# Okabe & Ito's (2008) colour-blind-safe qualitative palette (without its black,
# which would hide a node's outline), then matplotlib's tab20.
_OKABE_ITO = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7")


def check_network_figure(population) -> None:
    """The picture lays out every person (a spring layout, quadratic in people):
    refused above the ``plot_players`` resource limit before anything is drawn."""
    check("plot_players", population.n_people, f"the network picture of {population.n_people:,} people",
          hint="or use --no-plots")


def _palette(n: int) -> list:
    """``n`` organisation colours: Okabe & Ito's, then tab20's (repeating)."""
    import matplotlib

    colours = list(_OKABE_ITO)
    tab20 = matplotlib.colormaps["tab20"]
    colours += [matplotlib.colors.to_hex(tab20(k % 20)) for k in range(max(0, n - len(colours)))]
    return colours[:n]


def _group_colours(n: int) -> list:
    """``n`` group colours (matplotlib's Dark2, repeating): darker than the organisations'."""
    import matplotlib

    dark2 = matplotlib.colormaps["Dark2"]
    return [matplotlib.colors.to_hex(dark2(k % 8)) for k in range(n)]


def _hull(points: np.ndarray, pad: float) -> np.ndarray:
    """The convex hull (Andrew's monotone chain) of ``points`` each widened to a
    circle of radius ``pad``: a rounded outline around a group, also of two members."""
    angles = np.linspace(0.0, 2.0 * np.pi, 16, endpoint=False)
    ring = np.column_stack([np.cos(angles), np.sin(angles)]) * pad
    cloud = (points[:, None, :] + ring[None, :, :]).reshape(-1, 2)
    cloud = np.unique(np.round(cloud, 12), axis=0)  # sorted by x, then y

    def half(chain):
        out = []
        for point in chain:
            while len(out) >= 2 and _turn(out[-2], out[-1], point) <= 0:
                out.pop()
            out.append(point)
        return out[:-1]

    return np.array(half(cloud) + half(cloud[::-1]))


def network_figure(results, title: str | None = None):
    """The people of a run, their ties and groups, as a matplotlib figure.

    Each person is a node coloured by their (first) organisation, its area
    growing with the person's giving share (gives per act over the run; a
    person who never acted is a small hollow node); each tie is a line whose
    darkness and width grow with the share of rounds of mutual giving (mean
    over repetitions). Each group is a dashed, lightly filled outline around its
    members (the convex hull of the members' positions), and its members are
    pulled together in the layout by a hidden hub per group. The layout is networkx's spring layout (Fruchterman & Reingold
    1991) seeded with the run's seed, so the same results draw the same
    picture.
    """
    check_network_figure(results.population)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    import networkx as nx

    population = results.population
    n = population.n_people
    names = [p.name for p in population.people]
    organisations = [o.name for o in population.organisations]
    first_org = [organisations.index(p.organisations[0]) for p in population.people]
    org_colour = _palette(len(organisations))
    share = np.asarray(results.giving_share, dtype=float)
    mutual = np.zeros(population.n_ties)
    if results.ties is not None and population.n_ties:
        mutual = np.nan_to_num(np.asarray(results.ties.mutual, dtype=float).mean(axis=0))
    # layout: ties, plus a hidden hub per group pulling its members together
    layout = nx.Graph()
    layout.add_nodes_from(range(n))
    layout.add_edges_from((int(u), int(v)) for u, v in population.tie_people)
    for g, group in enumerate(population.groups):
        layout.add_edges_from((("group", g), int(m)) for m in group.members)
    position = nx.spring_layout(layout, seed=int(results.seed) % (2**32), iterations=100)

    size = max(6.0, min(14.0, 4.0 + 0.25 * np.sqrt(n) * 2))
    fig, ax = plt.subplots(figsize=(size + 3.0, size))
    grey = matplotlib.colormaps["Greys"]
    for k, (u, v) in enumerate(population.tie_people):
        (x0, y0), (x1, y1) = position[int(u)], position[int(v)]
        ax.plot([x0, x1], [y0, y1], color=grey(0.25 + 0.75 * mutual[k]), linewidth=0.6 + 2.4 * mutual[k], zorder=1)
    xy = np.array([position[p] for p in range(n)]).reshape(-1, 2)
    group_colour = _group_colours(len(population.groups))
    span = float(np.ptp(xy, axis=0).max()) if n > 1 else 1.0
    for g, group in enumerate(population.groups):  # translucent outlines behind the people
        outline = _hull(xy[list(group.members)], pad=0.04 * span)
        ax.fill(outline[:, 0], outline[:, 1], facecolor=group_colour[g], alpha=0.10, edgecolor="none", zorder=0)
        ax.fill(outline[:, 0], outline[:, 1], facecolor="none", edgecolor=group_colour[g], alpha=0.7,
                linewidth=1.2, linestyle="--", zorder=0)
    acted = np.isfinite(share)
    areas = np.where(acted, 40 + 360 * np.nan_to_num(share), 25)
    faces = [org_colour[first_org[p]] if acted[p] else "white" for p in range(n)]
    edges = ["#444444" if acted[p] else org_colour[first_org[p]] for p in range(n)]
    ax.scatter(xy[:, 0], xy[:, 1], s=areas, c=faces, edgecolors=edges, linewidths=[0.8 if a else 1.6 for a in acted],
               zorder=2)
    if n <= 40:
        for p in range(n):
            ax.annotate(names[p], xy[p], fontsize=6, xytext=(4, 4), textcoords="offset points", zorder=3)
    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=org_colour[k], markeredgecolor="#444444",
                      markersize=7, label=organisations[k]) for k in range(min(len(organisations), 20))]
    if len(organisations) > 20:
        handles.append(Line2D([], [], linestyle="", label=f"... {len(organisations) - 20} more organisations"))
    handles += [Line2D([], [], color=group_colour[g], linestyle="--", linewidth=1.2, label=f"group: {group.name}")
                for g, group in enumerate(population.groups[:10])]
    if len(population.groups) > 10:
        handles.append(Line2D([], [], linestyle="", label=f"... {len(population.groups) - 10} more groups"))
    ax.legend(handles=handles, fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    summary = results.summary()
    giving = summary["giving_share"]
    mutual_text = summary["tie_mutual_giving"]
    ax.set_title(f"{title + ': ' if title else ''}{n} people, {_count(population.n_ties, 'tie')}, "
                 f"{_count(len(population.groups), 'group')}; giving share "
                 f"{'-' if giving is None or not np.isfinite(giving) else f'{giving:.2f}'}"
                 + ("" if mutual_text is None or not np.isfinite(mutual_text) else
                    f", mutual giving on ties {mutual_text:.2f}"), fontsize=9)
    fig.text(0.01, 0.01, "colour: organisation; area: giving share (hollow: never acted); line darkness and "
                         "width: share of rounds of mutual giving; dashed outline: a group", fontsize=7)
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="datalim")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def _turn(o, a, b) -> float:
    """The z component of ``(a - o) x (b - o)``: positive for a left turn."""
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))


def _count(k: int, noun: str) -> str:
    return f"{k} {noun}{'' if k == 1 else 's'}"
