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

The parts a scenario switches on (``[network.partner_choice]``,
``[network.reputation]``, ``[network.dynamics]``, ``[network.selection]``;
:class:`~learning_dilemma.io.scenarios.network.NetworkRun`) add their files
(:data:`PART_FILES`) and a section each to ``summary.json``
(:func:`part_summaries`):

- partner choice: ``partners_rounds.csv`` (per round: opportunities, engaged,
  alone, explorations, mean payoff of an opportunity, the partner network's
  ties), ``partners_opportunities.csv`` (one row per opportunity),
  ``partners_estimates.csv`` (every decision-maker's estimate of every
  candidate before round 0 and after each round), ``partners_ties.csv`` (the
  partner network's ties formed and broken);
- reputation: ``reputation_rounds.csv`` (per round: cooperation, and per
  strategy the good share, give rate and payoff);
- dynamics: ``dynamics_shares.csv`` (shares of strategies over time, for the
  network, each organisation and each group), ``dynamics_giving.csv`` (sharing
  over time at the same levels), ``dynamics_rounds.csv`` (per round: giving,
  payoff, changes and each strategy's share), ``dynamics_people.csv`` (each
  person's start and final strategy) and ``dynamics.png``;
- selection: ``selection.csv`` (the share of givers over the steps, for the
  population, each organisation's descendants and each group's place),
  ``selection_people.csv`` (each person's strategy and living descendants)
  and ``selection.png``.

A scenario without these tables writes exactly the files and bytes it wrote
before.

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
import math
from pathlib import Path

import numpy as np

from .._version import __version__
from ..limits import check
from .outputs import csv_text, figure_bytes, json_text, staged_directory, write_bytes, write_text

__all__ = [
    "check_network_figure", "critical_ratio_summary", "dynamics_figure", "NETWORK_FILES", "network_document",
    "network_figure", "PART_FILES",
    "part_summaries", "partner_round_table", "repetition", "selection_figure", "selection_people_table",
    "selection_summary", "selection_table", "tidy_network_rows", "write_network_outputs",
]

#: The files :func:`write_network_outputs` writes (the picture only with plots).
NETWORK_FILES = ("people.csv", "organisations.csv", "rounds.csv", "ties.csv", "groups.csv", "summary.json",
                 "network.png")
_TABLES = {"people.csv": "person_table", "organisations.csv": "organisation_table", "rounds.csv": "round_table",
           "ties.csv": "tie_table", "groups.csv": "group_table"}
#: The files each part adds (the pictures only with plots).
PART_FILES = {
    "partner_choice": ("partners_rounds.csv", "partners_opportunities.csv", "partners_estimates.csv",
                       "partners_ties.csv"),
    "reputation": ("reputation_rounds.csv",),
    "dynamics": ("dynamics_shares.csv", "dynamics_giving.csv", "dynamics_rounds.csv", "dynamics_people.csv",
                 "dynamics.png"),
    "selection": ("selection.csv", "selection_people.csv", "selection.png"),
}


def tidy_network_rows(rows: list[dict], results, scenario=None) -> list[dict]:
    """``rows`` with ``scenario``, ``seed`` and ``version`` in front of each; a
    table without rows becomes one row-less header of those three columns."""
    seed = results.seed if results is not None else None if scenario is None else scenario.seed
    run = {"scenario": None if scenario is None else scenario.name, "seed": seed, "version": __version__}
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


def network_document(results, scenario=None, run=None) -> dict:
    """Everything about a network run as one JSON-ready document: the scenario
    (its definition and settings), the headline numbers and each repetition's,
    and (with ``run``, a :class:`~learning_dilemma.io.scenarios.network.NetworkRun`)
    each part's summary (:func:`part_summaries`) under its name."""
    document = {
        "learning_dilemma_version": __version__,
        "scenario": None if scenario is None else {
            "name": scenario.name,
            "description": scenario.description,
            "path": None if scenario.path is None else str(scenario.path),
            "definition": scenario.raw,
            "settings": {str(key): _plain(value) for key, value in scenario.settings()},
        },
    }
    if results is not None:  # None: the play was left out (``network --no-play``), only the parts ran
        document["summary"] = results.summary()
        document["by_repetition"] = ([repetition(results, k).summary() for k in range(results.repetitions)]
                                     if results.repetitions > 1 else [results.summary()])
    if run is not None:
        document.update(part_summaries(run))
    return document


def _plain(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def write_network_outputs(results, directory, plots: bool = True, scenario=None, run=None) -> list[Path]:
    """Write a network run's files (:data:`NETWORK_FILES`, and :data:`PART_FILES` of the
    parts ``run`` ran) into ``directory``, all or none.

    Parameters
    ----------
    results : NetworkResults or None
        The play; None when it was left out (only ``summary.json`` and the parts' files).
    directory : str or Path
        Created if needed (with its parents); files already there with other
        names are left alone, files of these names replaced.
    plots : bool
        Draw ``network.png`` (:func:`network_figure`).
    scenario : NetworkScenario, optional
        Named in every row and described in ``summary.json``.
    run : NetworkRun, optional
        The parts beyond the play (:meth:`NetworkScenario.run`): their files and summaries.

    Returns
    -------
    list of Path
        The files written, sorted by name.
    """
    directory = Path(directory)
    if plots and results is not None:
        check_network_figure(results.population)  # before anything is written
    with staged_directory(directory) as staging:
        if results is not None:  # None: the play was left out, only the parts' files
            for name, table in _TABLES.items():
                write_text(staging / name, _csv(getattr(results, table)(), results, scenario))
        write_text(staging / "summary.json", json_text(network_document(results, scenario, run)))
        if plots and results is not None:
            write_bytes(staging / "network.png",
                        _png(network_figure(results, title=None if scenario is None else scenario.name)))
        if run is not None:
            _write_parts(run, staging, plots, results, scenario)
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


def _png(figure) -> bytes:
    """The figure as PNG bytes (same figure, same bytes), closed after."""
    try:
        return figure_bytes(figure, "png", dpi=120)
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)


# --- the parts beyond the play --------------------------------------------------

def _write_parts(run, staging: Path, plots: bool, results, scenario) -> None:
    def csv(name, rows):
        write_text(staging / name, _csv(rows, results, scenario))

    title = None if scenario is None else scenario.name
    if run.partner_choice is not None:
        choice = run.partner_choice
        csv("partners_rounds.csv", partner_round_table(choice))
        csv("partners_opportunities.csv", choice.opportunity_table())
        csv("partners_estimates.csv", choice.estimate_table())
        csv("partners_ties.csv", choice.tie_table())
    if run.reputation is not None:
        csv("reputation_rounds.csv", run.reputation.round_table())
    if run.dynamics is not None:
        evolution, every = run.dynamics, _every(run)
        csv("dynamics_shares.csv", evolution.share_table(every))
        csv("dynamics_giving.csv", evolution.giving_table(every))
        csv("dynamics_rounds.csv", evolution.round_table(every))
        csv("dynamics_people.csv", evolution.person_table())
        if plots:
            write_bytes(staging / "dynamics.png", _png(dynamics_figure(evolution, title)))
    if run.selection is not None:
        csv("selection.csv", selection_table(run.selection))
        csv("selection_people.csv", selection_people_table(run.selection, run.scenario))
        if plots:
            write_bytes(staging / "selection.png", _png(selection_figure(run.selection, title)))


def _every(run) -> int:
    options = getattr(run.scenario, "dynamics", None) or {}
    return int(options.get("every", 1))


def partner_round_table(choice) -> list[dict]:
    """Partner choice round by round (rounds from 0, as its other tables).

    Columns: ``round``, ``opportunities`` (that arrived), ``engaged`` (went to
    a partner), ``alone`` (the loner's option), ``explorations``,
    ``mean_payoff`` (of the round's opportunities, per round of engagement;
    nan without one) and ``partner_ties`` (the partner network's ties after
    the round).
    """
    arrived = np.asarray(choice.opportunity, dtype=bool)
    engaged = np.asarray(choice.chosen) >= 0
    alone = np.asarray(choice.chosen) == -1
    sizes = choice.network_sizes()
    rows = []
    for t in range(choice.rounds):
        count = int(arrived[:, t].sum())
        payoff = np.asarray(choice.payoff)[arrived[:, t], t]
        rows.append({"round": t, "opportunities": count, "engaged": int(engaged[:, t].sum()),
                     "alone": int(alone[:, t].sum()), "explorations": int(np.asarray(choice.explored)[:, t].sum()),
                     "mean_payoff": float(payoff.mean()) if count else float("nan"),
                     "partner_ties": int(sizes[t + 1])})
    return rows


def _mean_runs(values: np.ndarray) -> np.ndarray:
    """Mean over the first axis ignoring nan (nan where every run is nan)."""
    values = np.asarray(values, dtype=float)
    present = np.isfinite(values)
    total = np.where(present, values, 0.0).sum(axis=0)
    count = present.sum(axis=0)
    out = np.full(total.shape, np.nan)
    np.divide(total, count, out=out, where=count > 0)
    return out


def selection_table(history) -> list[dict]:
    """Multilevel selection over the recorded steps, means over runs.

    One row per step, level and unit: ``step``, ``level`` (``population``,
    ``organisation``: the living descendants of its people, ``group``: the
    group in a starting group's place, which splits and deaths refill),
    ``unit`` (``population``, the organisation's or the place's starting
    group's name), ``giver_share`` (share of givers; nan where none is left)
    and ``size`` (living individuals: an organisation's descendants, a
    person of ``k`` organisations counting ``1/k``; empty for the others).
    """
    population = _mean_runs(history.cooperator_share)
    organisations = _mean_runs(history.organisation_share)
    sizes = np.asarray(history.organisation_size, dtype=float).mean(axis=0)
    groups = _mean_runs(history.group_share)
    rows = []
    for k, step in enumerate(np.asarray(history.steps)):
        step = int(step)
        rows.append({"step": step, "level": "population", "unit": "population",
                     "giver_share": float(population[k]), "size": ""})
        for j, name in enumerate(history.organisation_names):
            rows.append({"step": step, "level": "organisation", "unit": name,
                         "giver_share": float(organisations[k, j]), "size": float(sizes[k, j])})
        for g, name in enumerate(history.group_names):
            rows.append({"step": step, "level": "group", "unit": name, "giver_share": float(groups[k, g]),
                         "size": ""})
    return rows


def selection_people_table(history, scenario=None) -> list[dict]:
    """One row per person: ``person``, ``organisations``, ``strategy`` (``Cooperator``
    gives, ``Defector`` takes; from the scenario's ``[network.selection]``, empty
    without it) and ``descendants`` (living individuals of their lineage at the
    end, mean over runs)."""
    descendants = np.asarray(history.descendants, dtype=float).mean(axis=0)
    options = getattr(scenario, "selection", None) if scenario is not None else None
    population = options["_population"] if options else None
    players = population.players() if population is not None else None
    rows = []
    for k, name in enumerate(history.person_names):
        person = population.people[k] if population is not None else None
        rows.append({"person": name, "organisations": "+".join(person.organisations) if person else "",
                     "strategy": players[k].name if players else "", "descendants": float(descendants[k])})
    return rows


def selection_summary(history, scenario=None) -> dict:
    """Headline numbers of multilevel selection: runs and steps, the givers' share
    at the start and the end (means over runs), how the runs ended
    (``givers_won``: every individual a giver; ``takers_won``; ``mixed``), the
    game's ``R, S, T, P`` and, at the donation-game limit, ``b``, ``c`` and
    Traulsen & Nowak's (2006) critical ratios ``1 + n/m`` and, at weak
    selection and rare splitting, ``1 + n/(m - 2)``
    (:func:`~learning_dilemma.networks.selection.critical_ratio`,
    :func:`~learning_dilemma.networks.selection.weak_selection_ratio`)."""
    from ..networks.selection import critical_ratio, game_payoffs, weak_selection_ratio

    outcome = np.asarray(history.outcome)
    share = np.asarray(history.cooperator_share, dtype=float)
    out = {"runs": int(len(outcome)), "steps": int(np.asarray(history.steps)[-1]),
           "groups": len(history.group_names), "giver_share_start": float(share[:, 0].mean()),
           "giver_share_end": float(share[:, -1].mean()), "givers_won": int(np.sum(outcome == 1)),
           "takers_won": int(np.sum(outcome == 0)), "mixed": int(np.sum(outcome == -1))}
    options = getattr(scenario, "selection", None) if scenario is not None else None
    if options:
        from ..io.scenarios.network import donation_limit

        game = donation_limit(scenario.game, options["benefit"], options["cost"])
        R, S, T, P = game_payoffs(game)
        n, m = options["n"], len(history.group_names)
        out.update({"n": n, "q": options["q"], "w": options["w"], "R": R, "S": S, "T": T, "P": P})
        b, c = T - P, P - S
        out.update({"b": b, "c": c, "b_over_c": b / c if c > 0 else float("inf"),
                    "critical_ratio": critical_ratio(n, m), "weak_selection_ratio": weak_selection_ratio(n, m)})
    return out


def part_summaries(run) -> dict:
    """Each part's headline numbers, by part name (only the parts that ran):
    :meth:`PartnerChoice.summary`, :meth:`ReputationRun.summary` (after the
    scenario's ``burn_in``), :meth:`NetworkEvolution.summary` and
    :func:`selection_summary`."""
    out = {}
    if run.partner_choice is not None:
        out["partner_choice"] = run.partner_choice.summary()
    if run.reputation is not None:
        burn_in = run.scenario.reputation["burn_in"] if run.scenario.reputation else 0
        out["reputation"] = run.reputation.summary(burn_in)
    if run.dynamics is not None:
        out["dynamics"] = run.dynamics.summary()
    if run.selection is not None:
        out["selection"] = selection_summary(run.selection, run.scenario)
    return out


def _line_colours(n: int) -> list:
    return (list(_OKABE_ITO) + ["#000000"] + _group_colours(max(0, n - 8)))[:n]


def dynamics_figure(evolution, title: str | None = None, shown: int = 10):
    """Play and imitation over time: the strategies' shares in the network
    (top), and giving (the share of open tie-sides that gave) in the network and
    in each organisation (bottom; the first ``shown`` organisations, and each
    group if there are groups), means over repetitions."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shares = np.asarray(evolution.shares, dtype=float).mean(axis=0)          # (rounds + 1, strategies)
    giving = _mean_runs(evolution.giving_share)                              # (rounds,)
    organisations = _mean_runs(evolution.organisation_giving_share)          # (rounds, orgs)
    groups = evolution.population.groups
    panels = 3 if groups else 2
    fig, axes = plt.subplots(panels, 1, figsize=(9, 3.2 * panels), sharex=True)
    labels = evolution.labels
    colours = _line_colours(len(labels))
    times = np.arange(evolution.rounds + 1)
    for s, label in enumerate(labels):
        axes[0].plot(times, shares[:, s], color=colours[s], label=label[:40])
    axes[0].set_ylabel("share of people")
    axes[0].set_ylim(-0.02, 1.02)
    axes[0].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    rounds = np.arange(1, evolution.rounds + 1)
    names = [o.name for o in evolution.population.organisations]
    axes[1].plot(rounds, giving, color="black", linewidth=2, label="network")
    org_colours = _line_colours(min(len(names), shown))
    for k, name in enumerate(names[:shown]):
        axes[1].plot(rounds, organisations[:, k], color=org_colours[k], linewidth=0.9, label=name[:40])
    if len(names) > shown:
        axes[1].plot([], [], linestyle="", label=f"... {len(names) - shown} more organisations")
    axes[1].set_ylabel("giving share")
    axes[1].set_ylim(-0.02, 1.02)
    axes[1].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if groups:
        group_giving = _mean_runs(evolution.group_giving_share)
        group_colours = _group_colours(min(len(groups), shown))
        for g, group in enumerate(groups[:shown]):
            axes[2].plot(rounds, group_giving[:, g], color=group_colours[g], linewidth=0.9, label=group.name[:40])
        if len(groups) > shown:
            axes[2].plot([], [], linestyle="", label=f"... {len(groups) - shown} more groups")
        axes[2].set_ylabel("giving share in groups")
        axes[2].set_ylim(-0.02, 1.02)
        axes[2].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    axes[-1].set_xlabel("round (0: the start)")
    fig.suptitle(f"{title + ': ' if title else ''}{evolution.rule} updating, delta {evolution.intensity:g}, "
                 f"rate {evolution.rate:g}, mutation {evolution.mutation:g}; {evolution.repetitions} "
                 f"repetition{'s' if evolution.repetitions != 1 else ''}", fontsize=9)
    fig.tight_layout()
    return fig


def selection_figure(history, title: str | None = None, shown: int = 10):
    """Multilevel selection over the steps: the share of givers in the population
    and among each organisation's living descendants (the first ``shown``),
    means over runs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = np.asarray(history.steps)
    fig, ax = plt.subplots(figsize=(9, 3.6))
    ax.plot(steps, _mean_runs(history.cooperator_share), color="black", linewidth=2, label="population")
    shares = _mean_runs(history.organisation_share)
    names = history.organisation_names
    colours = _line_colours(min(len(names), shown))
    for k, name in enumerate(names[:shown]):
        ax.plot(steps, shares[:, k], color=colours[k], linewidth=0.9, label=name[:40])
    if len(names) > shown:
        ax.plot([], [], linestyle="", label=f"... {len(names) - shown} more organisations")
    ax.set_xlabel("step (one birth each)")
    ax.set_ylabel("share of givers")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    ax.set_title(f"{title + ': ' if title else ''}multilevel selection, {len(history.outcome)} "
                 f"run{'s' if len(history.outcome) != 1 else ''}", fontsize=9)
    fig.tight_layout()
    return fig


# --- the critical ratio of the tie graph ---------------------------------------------------

def critical_ratio_summary(scenario) -> dict:
    """Allen et al.'s (2017) critical benefit-to-cost ratio of a scenario's tie graph.

    The ties of the scenario's population, each of weight 1, under death-birth
    updating at weak selection (:func:`~learning_dilemma.networks.coalescence.coalescence`):
    sharing is favoured when ``b/c > (b/c)* = tau^(2)/(tau^(3) - tau^(1))``. On a
    regular graph of degree ``k`` the closed form ``(N - 2)/(N/k - 2)`` (Taylor,
    Day & Wild 2007; Chen 2013) is given beside it, and Ohtsuki et al.'s (2006)
    large-``N`` limit ``k``. The scenario's game is read at its donation-game limit
    (:func:`~learning_dilemma.io.scenarios.network.donation_limit`: ``b = T - P``,
    ``c = P - S``) to say whether its ``b/c`` clears the ratio.

    Returns
    -------
    dict
        ``scenario, people, ties, regular, degree`` (``k``, or the mean degree),
        ``critical_ratio`` (inf where no ratio favours sharing, nan where
        selection cannot act), ``regular_closed_form`` and ``ohtsuki_limit``
        (None unless regular), ``tau1, tau2, tau3, sigma, reason, b, c,
        b_over_c, favoured`` and ``text`` (a sentence saying all of it).

    Raises
    ------
    ParameterError
        One line naming the file and ``network.structure``: no ties, a person
        without a tie, or a graph in several parts (coalescence needs one
        connected graph).
    """
    from ..errors import ParameterError
    from ..networks.coalescence import coalescence, regular_critical_ratio
    from ..networks.selection import game_payoffs
    from .scenarios.network import donation_limit

    population = scenario.population
    where = str(scenario.path) if scenario.path is not None else scenario.name
    if not population.n_ties:
        raise ParameterError(f"{where}: network.structure: the network has no ties; the critical ratio is a "
                             "property of the tie graph")
    try:
        result = coalescence(population)
    except ParameterError as error:
        raise ParameterError(f"{where}: network.structure: {str(error).removeprefix('graph: ')}") from None
    degree = np.bincount(population.tie_people.reshape(-1), minlength=population.n_people)
    n, ties = population.n_people, population.n_ties
    regular = bool(degree.min() == degree.max())
    k = int(degree[0]) if regular else float(degree.mean())
    closed = regular_critical_ratio(n, k) if regular else None
    R, S, T, P = game_payoffs(donation_limit(scenario.game))
    b, c = T - P, P - S
    ratio = result.critical_ratio
    favoured = bool(result.favours(b, c))
    text = (f"{scenario.name}'s tie graph ({n} people, {ties} ties, "
            + (f"every person of degree {k}" if regular else f"mean degree {k:.3g}, not regular")
            + f"): under death-birth updating at weak selection (Allen et al. 2017) sharing is favoured when "
              f"b/c > (b/c)* = {_ratio_text(ratio)}")
    if regular:
        text += (f"; the regular-graph closed form (N - 2)/(N/k - 2) = {_ratio_text(closed)} (Taylor, Day & Wild "
                 f"2007; Chen 2013) tends to Ohtsuki et al.'s (2006) b/c > k = {k} as N grows")
    if not (math.isfinite(ratio) and ratio > 0):
        text += f" ({result.reason})"
    text += (f". The scenario's game at its donation-game limit has "
             f"b = {b:g}, c = {c:g} (b/c = {(b / c if c else math.inf):.4g}): sharing is "
             f"{'favoured' if favoured else 'not favoured'} on this graph.")
    return {"scenario": scenario.name, "people": n, "ties": ties, "regular": regular, "degree": k,
            "critical_ratio": ratio, "regular_closed_form": closed, "ohtsuki_limit": k if regular else None,
            "tau1": result.tau1, "tau2": result.tau2, "tau3": result.tau3, "sigma": result.sigma,
            "reason": result.reason, "b": b, "c": c, "b_over_c": b / c if c else math.inf, "favoured": favoured,
            "text": text}


def _ratio_text(value) -> str:
    if value is None:
        return "-"
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "infinite (no ratio favours sharing)"
    return f"{value:.6g}"
