"""Network scenarios in the experiments: sweep points and the report's data.

A network scenario (:class:`~learning_dilemma.io.scenarios.network.NetworkScenario`,
``docs/networks.md``) is swept through the same machinery as a tournament
scenario (:class:`~learning_dilemma.experiments.sweep.Sweep`: the grid, the
journal, local processes or a Dask cluster, :mod:`.execution`), with its own
evaluation of a point: the scenario is rebuilt from its validated definition
(``NetworkScenario.raw``) with the point's values (``network.bridging``,
``network.group_size``, ``game.overlap``, ``organisations[0].absorption``,
``network.dynamics.delta``, ``network.partner_choice.exploration``, ...),
played (:func:`~learning_dilemma.networks.play.play_network`) with every part
the scenario switches on (:meth:`NetworkScenario.run`: partner choice,
reputation, dynamics, selection), and reduced to the headline numbers of
:data:`NETWORK_COLUMNS`, then each part's (:func:`part_metrics`, columns only
for the parts present, so a part-1 sweep's records are as before). A
categorical key takes a list of values from Python
(``Sweep(scenario, [("network.reputation.norm", ["image scoring",
"standing"])])``). A point's value
that the network scenario refuses is the scenario's own one-line error
(``kite_network.toml: network.bridging: not used here ...``), prefixed by the
``--vary`` key when it is an axis's extreme value.

Reproducibility. The definition's seed is fixed before the sweep (a file
without a seed gets the entropy drawn when it was read), so every point, the
structure included, is drawn from the same seed whatever the process it runs
in: the same grid gives the same records, byte for byte, on one process, on
several, or on a Dask cluster. A scenario whose ties come from a file
(``structure = "file"``) names the file in its definition; the file's content
is hashed into the sweep's fingerprint (:func:`network_content`) and checked
again at every point, so an edited ties file fails the point instead of
changing it silently.

:func:`network_report` computes what the HTML report's network section shows
(:class:`NetworkReport`; :func:`learning_dilemma.io.html.render_network`
draws it).

Examples
--------
>>> from learning_dilemma.io.scenarios.network import load_network_scenario
>>> scenario = prepare_network(load_network_scenario("kite_network", ["rounds=5", "repetitions=1"]))
>>> record = evaluate_network_point(scenario, {"game.overlap": 0.5})
>>> sorted(record)[:3]
['absorbed', 'giving_share', 'group_giving_share']
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ParameterError
from .report import ScenarioHeading

__all__ = [
    "NETWORK_COLUMNS", "NETWORK_INTEGER_NAMES", "NETWORK_RECORD_VERSION", "SUMMARY_ROWS",
    "NetworkReport", "PART_COLUMNS", "current_limits", "evaluate_network_point", "evaluate_network_points",
    "is_network_scenario", "load_network", "network_axis", "network_content", "network_metrics", "network_report",
    "network_scenario_at", "network_summary", "network_tidy", "part_metrics", "prepare_network",
    "write_network_sweep",
]

#: What a network sweep point's record means (with the tournament records'
#: :data:`~.journal.RECORD_VERSION`, part of a network sweep's fingerprint).
#: 1: the columns of :data:`NETWORK_COLUMNS`.
NETWORK_RECORD_VERSION = 1

#: A network sweep's result columns, after the axis values, in the order of ``sweep.csv``.
#: ``people``, ``ties``, ``groups``: the point's population (a structure's
#: parameters change its ties); ``giving_share``: gives per act over every
#: relation, round and repetition; ``tie_mutual_giving``: mean share of a tie's
#: rounds in which both gave; ``group_giving_share``: mean, over the rounds a
#: group was open, of the share of its active members that gave;
#: ``person_payoff``: a person's payoff per relation and round (closed rounds
#: count, at ``P``); ``organisation_payoff``: an organisation's payoff per round;
#: ``learning`` and ``absorbed``: learned per person and round, and the part of
#: it that reached the organisations; ``ties_ended_by_exit``,
#: ``ties_ended_by_race``, ``groups_ended_by_exit``, ``groups_ended_by_race``:
#: shares of tie (group) repetitions that ended by an exit (exits leaving fewer
#: than two members) or by the end of the race (Hamel 1991). Each is
#: :meth:`~learning_dilemma.networks.results.NetworkResults.summary`'s number
#: of the same meaning, except ``group_giving_share``; ``nan`` where it does
#: not apply (no ties, no groups).
NETWORK_COLUMNS = (
    "status", "people", "ties", "groups", "giving_share", "tie_mutual_giving", "group_giving_share",
    "person_payoff", "organisation_payoff", "learning", "absorbed", "ties_ended_by_exit", "ties_ended_by_race",
    "groups_ended_by_exit", "groups_ended_by_race", "error",
)
#: The columns each part adds after :data:`NETWORK_COLUMNS`'s numbers (before ``error``),
#: only for the parts the scenario switches on (:func:`part_metrics`).
#: Partner choice (:meth:`PartnerChoice.summary`): shares of opportunities engaged
#: and done alone, the mean payoff of an opportunity, the partner network's ties at
#: the end, candidates ruled out and never tried. Reputation
#: (:meth:`ReputationRun.summary` after ``burn_in``): cooperation, and each
#: strategy's good share and payoff (nan for a strategy nobody plays). Dynamics
#: (:meth:`NetworkEvolution.summary`): giving in the first and last rounds and over
#: all, strategy changes per round, then ``dynamics_share_<k>``: the share of people
#: playing roster entry ``k`` (``network.dynamics.strategies`` in order) at the end.
#: Selection (:func:`~learning_dilemma.io.network_outputs.selection_summary`): the
#: givers' share at the end and the shares of runs won by givers and by takers.
PART_COLUMNS = {
    "partner_choice": ("partner_engaged_share", "partner_alone_share", "partner_mean_payoff", "partner_ties",
                       "partner_ruled_out", "partner_never_tried"),
    "reputation": ("reputation_cooperation", "reputation_good_allc", "reputation_good_alld", "reputation_good_disc",
                   "reputation_payoff_allc", "reputation_payoff_alld", "reputation_payoff_disc"),
    "dynamics": ("dynamics_giving_first", "dynamics_giving_last", "dynamics_giving_mean", "dynamics_changes"),
    "selection": ("selection_giver_share_end", "selection_givers_won", "selection_takers_won"),
}
#: The summary keys of :meth:`NetworkResults.summary` behind the columns that differ in name.
_SUMMARY_KEYS = {
    "person_payoff": "mean_person_payoff", "organisation_payoff": "mean_organisation_payoff",
    "learning": "learning_per_person_round", "absorbed": "absorbed_per_person_round",
}
#: Last parts of the scenario keys that take whole numbers: an axis over them
#: gets whole numbers (``network.degree=2:10:5`` is 2, 4, 6, 8, 10).
NETWORK_INTEGER_NAMES = ("rounds", "repetitions", "seed", "degree", "attachment", "cluster_size", "group_size",
                         "prior_rounds", "levels", "people", "count")
#: Rows of the sweep's printed table, at most (``sweep.csv`` has every point).
SUMMARY_ROWS = 40
#: The sweep's figure: (column, title), every one a share in [0, 1].
_FIGURE_COLUMNS = (("giving_share", "giving share (gives per act)"),
                   ("tie_mutual_giving", "mutual giving on ties"),
                   ("group_giving_share", "giving in groups"),
                   ("partner_engaged_share", "opportunities taken to a partner"),
                   ("reputation_cooperation", "cooperation under reputation"),
                   ("dynamics_giving_last", "giving at the end of the dynamics"),
                   ("selection_giver_share_end", "givers at the end of selection"))


# --- which scenarios are networks ---------------------------------------------------

def is_network_scenario(scenario) -> bool:
    """Whether ``scenario`` is a network scenario.

    Parameters
    ----------
    scenario : NetworkScenario, Scenario, str or path
        A scenario object; or a name (a shipped network scenario's,
        :func:`~learning_dilemma.io.scenarios.network.network_scenario_names`)
        or a TOML file, which is a network scenario when it has
        ``organisations`` or a ``[network]`` table and no ``players``.

    Returns
    -------
    bool
        False for anything else, including a file that cannot be read (the
        tournament loader then says why, in one line).
    """
    if not isinstance(scenario, (str, Path)):
        from ..io.scenarios.network import NetworkScenario

        return isinstance(scenario, NetworkScenario)
    from ..io.scenarios import read_raw
    from ..io.scenarios.network import network_scenario_names

    text = str(scenario)
    path = Path(text)
    if path.is_file():
        try:
            raw = read_raw(path)
        except (ParameterError, OSError):
            return False
        return ("organisations" in raw or "network" in raw) and "players" not in raw
    return text in network_scenario_names()


def load_network(name_or_path, overrides=(), *, seed=None, turns=None, continuation=None, repetitions=None,
                 noise=None):
    """A network scenario read with the command line's scenario options.

    ``--turns`` sets the network's fixed ``rounds``; ``--continuation`` is
    refused (a network plays fixed rounds); ``--seed``, ``--repetitions`` and
    ``--noise`` set their keys; ``overrides`` are the ``--set`` values.

    Raises
    ------
    ParameterError
        One line naming the option or the file and key.
    """
    from ..io.scenarios import override
    from ..io.scenarios.network import load_network_scenario

    if continuation is not None:
        raise ParameterError("--continuation: a network plays a fixed number of rounds; use --turns N "
                             "(or --set rounds=N)")
    changes = list(overrides)
    for key, value in (("seed", seed), ("rounds", turns), ("repetitions", repetitions), ("noise", noise)):
        if value is not None:
            changes.append(override(key, value))
    return load_network_scenario(name_or_path, changes)


# --- a sweep's scenario and points ----------------------------------------------------

def _where(scenario) -> str:
    return str(scenario.path) if scenario.path is not None else scenario.name


def _signature(scenario) -> tuple:
    """What makes two network scenarios the same (for :func:`prepare_network`'s check)."""
    from ..io.scenarios.network import PARTS

    population = scenario.population
    return (
        scenario.name, scenario.description, scenario.rounds, scenario.repetitions, scenario.seed,
        scenario.noise, scenario.game, scenario.group_game, scenario.network, population.organisations,
        population.people, population.tie_people.tolist(), population.tie_prior.tolist(), population.groups,
        population.overlaps, *(_part_signature(getattr(scenario, part, None)) for part in PARTS),
    )


def _part_signature(options):
    """A part's resolved values as comparable data (arrays as lists, a population by its people)."""
    if options is None:
        return None
    out = []
    for key, value in options.items():
        if isinstance(value, np.ndarray):
            value = value.tolist()
        elif hasattr(value, "people") and hasattr(value, "tie_people"):
            value = value.people
        out.append((key, value))
    return tuple(out)


def prepare_network(scenario, overrides=()):
    """The network scenario a sweep starts from: checked, seeded, overridden.

    Parameters
    ----------
    scenario : NetworkScenario
        Read with :func:`~learning_dilemma.io.scenarios.network.load_network_scenario`;
        its definition (``scenario.raw``) must still describe it.
    overrides : sequence of str
        ``KEY=VALUE`` changes applied first (as ``--set``).

    Returns
    -------
    NetworkScenario
        Rebuilt from its definition with the seed written in (a file without
        a seed gets the entropy drawn when it was read), so that every point
        rebuilds the same structure and draws.

    Raises
    ------
    ParameterError
        A scenario without a definition, or changed in Python after it was
        read (pass changes as overrides instead); a bad override.
    """
    from ..io.scenarios import apply_overrides, check_depth
    from ..io.scenarios.network import _drop_unread, build_network

    if not scenario.raw:
        raise ParameterError(f"network scenario {scenario.name}: has no definition (NetworkScenario.raw) to sweep; "
                             "read it with load_network_scenario")
    raw = dict(scenario.raw)
    if raw.get("seed") is None:
        raw["seed"] = scenario.seed
    try:
        same = _signature(build_network(raw, scenario.path)) == _signature(scenario)
    except ParameterError:
        same = False
    if not same:
        raise ParameterError(f"network scenario {scenario.name}: was changed after it was read, and its definition "
                             "(NetworkScenario.raw) no longer describes it; pass changes as overrides "
                             "(load_network_scenario(name, ['seed=5']) or Sweep(..., overrides=[...]))")
    if overrides:
        raw = apply_overrides(raw, list(overrides), _where(scenario))
        _drop_unread(raw, overrides)
        check_depth(raw, _where(scenario))
    return build_network(raw, scenario.path)


def _network_file(scenario) -> Path | None:
    """The ties file a ``structure = "file"`` scenario reads (as the loader finds it), else None."""
    network = scenario.raw.get("network") if isinstance(scenario.raw, dict) else None
    if not isinstance(network, dict) or network.get("structure") != "file" or not isinstance(network.get("file"), str):
        return None
    file = Path(network["file"])
    base = scenario.path.parent if scenario.path is not None else Path(".")
    return file if file.is_absolute() else base / file


def network_content(scenario) -> str | None:
    """The SHA-256 of the ties file a scenario reads (``structure = "file"``), else None.

    Part of a network sweep's fingerprint: the definition names the file, the
    hash stands for what is in it.
    """
    path = _network_file(scenario)
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise ParameterError(f"{_where(scenario)}: network.file: {path}: cannot be read ({error.strerror})") from None


def network_axis(axis):
    """An :class:`~.axes.Axis` of a network sweep, whole numbers where the key takes them.

    Parameters
    ----------
    axis : Axis, str or (str, sequence)
        As :func:`~.axes.as_axis` takes it.

    Returns
    -------
    Axis
        Values of keys whose last part is in :data:`NETWORK_INTEGER_NAMES`
        (``network.degree``, ``rounds``, ``organisations[0].people``, ...) as ints.

    Raises
    ------
    ParameterError
        One line: such a key with a value that is not whole.
    """
    from .axes import Axis, as_axis

    axis = as_axis(axis)
    last = re.sub(r"\[-?\d+\]", "", axis.key.split(".")[-1])
    if last not in NETWORK_INTEGER_NAMES:
        return axis
    values = []
    for value in axis.values:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(f"--vary {axis.key}: takes whole numbers, got {value!r}")
        if isinstance(value, float):
            nearest = round(value) if math.isfinite(value) else value
            if not math.isfinite(value) or abs(value - nearest) > 1e-9 * max(1.0, abs(value)):
                raise ParameterError(f"--vary {axis.key}: takes whole numbers, got {value:g}")
            value = int(nearest)
        values.append(value)
    if len(set(values)) != len(values):
        raise ParameterError(f"--vary {axis.key}: values repeat")
    return Axis(axis.key, tuple(values))


def network_scenario_at(scenario, point: dict, content: str | None = None):
    """The network scenario with ``point``'s values (``{dotted key: value}``), validated.

    Rebuilt from ``scenario.raw`` (the scenario file is never read again;
    a ties file is, and must still hash to ``content`` when that is given).
    """
    from ..io.scenarios import apply_overrides, override
    from ..io.scenarios.network import build_network

    raw = apply_overrides(scenario.raw, [override(key, value) for key, value in point.items()], _where(scenario))
    if content is not None:
        now = network_content(scenario)
        if now != content:
            raise ParameterError(f"{_where(scenario)}: network.file: {_network_file(scenario)} changed during the "
                                 "sweep; run the sweep again (without --resume)")
    return build_network(raw, scenario.path)


def network_metrics(results) -> dict:
    """A network run's headline numbers: the record of a sweep point.

    Parameters
    ----------
    results : NetworkResults

    Returns
    -------
    dict
        The columns of :data:`NETWORK_COLUMNS` but ``status`` and ``error``,
        as plain Python numbers.
    """
    summary = results.summary()
    record = {}
    for column in NETWORK_COLUMNS:
        if column in ("status", "error"):
            continue
        if column == "group_giving_share":
            record[column] = _group_giving(results)
        else:
            record[column] = summary[_SUMMARY_KEYS.get(column, column)]
    return {key: (value.item() if hasattr(value, "item") else value) for key, value in record.items()}


def part_metrics(outcome) -> dict:
    """The headline numbers of the parts a network run ran: :data:`PART_COLUMNS`
    of each part present, in their order, as plain Python numbers.

    Parameters
    ----------
    outcome : NetworkRun
        :meth:`~learning_dilemma.io.scenarios.network.NetworkScenario.run`'s.

    Returns
    -------
    dict
        Empty when no part ran.
    """
    from ..io.network_outputs import selection_summary

    record = {}
    if outcome.partner_choice is not None:
        s = outcome.partner_choice.summary()
        record.update({"partner_engaged_share": s["engaged_share"], "partner_alone_share": s["alone_share"],
                       "partner_mean_payoff": s["mean_payoff"], "partner_ties": s["ties"],
                       "partner_ruled_out": s["ruled_out"], "partner_never_tried": s["never_tried"]})
    if outcome.reputation is not None:
        options = outcome.scenario.reputation or {}
        s = outcome.reputation.summary(options.get("burn_in", 0))
        record["reputation_cooperation"] = s["cooperation"]
        for kind in ("good", "payoff"):
            for name in ("allc", "alld", "disc"):
                key = f"good_share_{name}" if kind == "good" else f"payoff_{name}"
                record[f"reputation_{kind}_{name}"] = s.get(key, float("nan"))
    if outcome.dynamics is not None:
        evolution = outcome.dynamics
        s = evolution.summary()
        record.update({"dynamics_giving_first": s["giving_share_first"], "dynamics_giving_last": s["giving_share_last"],
                       "dynamics_giving_mean": s["mean_giving_share"], "dynamics_changes": s["changes_per_round"]})
        for k, label in enumerate(evolution.labels):
            record[f"dynamics_share_{k}"] = s["final_shares"][label]
    if outcome.selection is not None:
        s = selection_summary(outcome.selection, outcome.scenario)
        runs = max(s["runs"], 1)
        record.update({"selection_giver_share_end": s["giver_share_end"],
                       "selection_givers_won": s["givers_won"] / runs, "selection_takers_won": s["takers_won"] / runs})
    return {key: (value.item() if hasattr(value, "item") else value) for key, value in record.items()}


def _group_giving(results) -> float:
    """Mean over the rounds groups were open of the share of active members that gave."""
    if results.groups is None:
        return float("nan")
    gives = np.asarray(results.groups.gives, dtype=float)
    present = np.isfinite(gives)
    return float(gives[present].mean()) if present.any() else float("nan")


def evaluate_network_point(scenario, point: dict, content: str | None = None, limits: dict | None = None) -> dict:
    """One network sweep point: the scenario at ``point``, played, as its headline numbers.

    Parameters
    ----------
    scenario : NetworkScenario
        As :func:`prepare_network` returns it (picklable).
    point : dict
        ``{dotted key: value}``.
    content : str, optional
        The ties file's hash the sweep started with (:func:`network_content`).
    limits : dict, optional
        The resource limits in force where the sweep was started
        (:func:`current_limits`), applied while the point runs: a limit
        raised with ``--limit`` holds in worker processes and on a Dask
        cluster too, not only in the process that started the sweep.

    Returns
    -------
    dict
        :func:`network_metrics`, then :func:`part_metrics` (the parts the scenario switches on).
    """
    import contextlib

    from threadpoolctl import threadpool_limits

    from ..limits import raised

    # One BLAS thread, as in worker processes (engine.executors): the numbers
    # must not depend on the number of processes. The limits are set only where
    # they differ (a worker process), never changed in the process that holds them.
    apply = raised(**limits) if limits and limits != current_limits() else contextlib.nullcontext()
    with threadpool_limits(limits=1, user_api="blas"), apply:
        outcome = network_scenario_at(scenario, point, content).run()
        return {**network_metrics(outcome.results), **part_metrics(outcome)}


def evaluate_network_points(scenario, points: list[dict], content: str | None = None,
                            limits: dict | None = None) -> list[dict]:
    """Several network sweep points, each on its own (:func:`evaluate_network_point`)."""
    return [evaluate_network_point(scenario, point, content, limits) for point in points]


def current_limits() -> dict:
    """The resource limits in force now, ``{name: value}`` (:data:`learning_dilemma.limits.LIMITS`)."""
    import dataclasses

    from ..limits import LIMITS

    return dataclasses.asdict(LIMITS)


# --- a network sweep's results ---------------------------------------------------------

def _columns(records: list[dict], axes) -> tuple:
    """:data:`NETWORK_COLUMNS` with the parts' columns (:func:`part_metrics`, in the
    order the records give them) before ``error``."""
    known = set(NETWORK_COLUMNS) | {a.key for a in axes} | {"index", "sweep"}
    extra = []
    for record in records:
        extra += [key for key in record if key not in known and key not in extra]
    return (*NETWORK_COLUMNS[:-1], *extra, NETWORK_COLUMNS[-1])


def network_tidy(records: list[dict], axes) -> list[dict]:
    """One row per point: the axis values, then :data:`NETWORK_COLUMNS` (and, before
    ``error``, the columns of the parts the scenario switches on: :data:`PART_COLUMNS`)."""
    columns = _columns(records, axes)
    return [{**{a.key: r[a.key] for a in axes}, **{c: r.get(c, "") for c in columns}} for r in records]


def network_summary(records: list[dict], axes) -> str:
    """The text a network sweep prints: counts and a table of the points
    (at most :data:`SUMMARY_ROWS`, evenly spaced; ``sweep.csv`` has all)."""
    from ..io.tables import table

    ok = [r for r in records if r["status"] == "ok"]
    lines = [f"{len(records)} points, {len(ok)} done, {len(records) - len(ok)} failed"]
    shown = records
    note = ""
    if len(records) > SUMMARY_ROWS:
        step = math.ceil(len(records) / SUMMARY_ROWS)
        shown = records[::step]
        note = f"{len(shown)} of {len(records)} points, evenly spaced; all are in sweep.csv"
    header = tuple(a.key for a in axes) + ("ties", "giving share", "mutual on ties", "giving in groups",
                                           "person payoff", "organisation payoff", "learned", "reached home")
    numbers = ("ties", "giving_share", "tie_mutual_giving", "group_giving_share", "person_payoff",
               "organisation_payoff", "learning", "absorbed")
    parts = [(column, title) for column, title in _PART_SUMMARY if any(column in r for r in records)]
    header += tuple(title for _, title in parts)
    numbers += tuple(column for column, _ in parts)
    rows = [tuple(r[a.key] for a in axes) + (tuple(r.get(c, "") for c in numbers) if r["status"] == "ok"
                                              else ("failed",) + ("",) * (len(numbers) - 1))
            for r in shown]
    lines += ["", table(header, rows)]
    if note:
        lines.append(note)
    lines += ["", "giving share: gives per act; mutual on ties: share of a tie's rounds both gave; giving in groups: "
                  "share of a group's active members that gave; person payoff per relation and round; organisation "
                  "payoff per round; learned (and reached home) per person and round"]
    if parts:
        lines.append("; ".join(_PART_LEGEND[column] for column, _ in parts))
    return "\n".join(lines)


#: The parts' columns the printed table shows (sweep.csv has all of them).
_PART_SUMMARY = (("partner_ties", "partner ties"), ("reputation_cooperation", "reputation cooperation"),
                 ("dynamics_giving_last", "giving at the end"), ("selection_giver_share_end", "givers at the end"))
_PART_LEGEND = {
    "partner_ties": "partner ties: the partner network's ties at the end of partner choice",
    "reputation_cooperation": "reputation cooperation: share of donations given under the norm",
    "dynamics_giving_last": "giving at the end: share of tie-sides giving in the last round of the dynamics",
    "selection_giver_share_end": "givers at the end: share of givers after multilevel selection",
}


def write_network_sweep(records: list[dict], axes, directory, name: str, plots: bool = True) -> list[Path]:
    """``sweep.csv`` and (with ``plots``) ``sweep.png`` and ``sweep.svg`` of a
    network sweep, in ``directory`` (created if needed), each atomically.

    The figure draws the giving share, mutual giving on ties and giving in
    groups over the grid (a line each with one axis, a heatmap panel each
    with two); a measure that does not apply (no groups) is left out.
    """
    from ..io.outputs import csv_text, write_text
    from .files import PLOT_FORMATS

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "sweep.csv"
    write_text(path, csv_text(network_tidy(records, axes)))
    written = [path]
    if plots:
        from ..io.heatmaps import write_grid_figure

        def values(column):
            return np.array([r.get(column, np.nan) if r["status"] == "ok" else np.nan for r in records], dtype=float)

        panels = [(title, values(column)) for column, title in _FIGURE_COLUMNS if np.isfinite(values(column)).any()]
        panels = panels or [(_FIGURE_COLUMNS[0][1], values("giving_share"))]
        (x_key, x_values), *second = [_plotted(axis) for axis in axes]
        extra = {"y_key": second[0][0], "y_values": second[0][1]} if second else {}
        for fmt in PLOT_FORMATS:
            target = directory / f"sweep.{fmt}"
            write_grid_figure(target, f"{name}: giving in the network (dashed: one half)", x_key, x_values, panels,
                              boundary=0.5, label="share", **extra)
            written.append(target)
    return written


def _plotted(axis) -> tuple:
    """``(label, values)`` of an axis on the sweep's figure: a categorical axis (a
    norm, a rule) is drawn at positions 0, 1, ... named in its label."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in axis.values):
        return axis.key, axis.values
    names = "; ".join(f"{k}: {value}" for k, value in enumerate(axis.values))
    return f"{axis.key} ({names})", tuple(range(len(axis.values)))


# --- the report ---------------------------------------------------------------------------

@dataclass
class NetworkReport(ScenarioHeading):
    """Everything a network scenario's report shows.

    Attributes
    ----------
    scenario : NetworkScenario
    results : NetworkResults
        Its play.
    picture : bytes or None
        The network picture as PNG (:func:`learning_dilemma.io.network_outputs.network_figure`),
        None when it is left out.
    picture_note : str
        Why the picture is left out ("" when it is there).
    rounds : dict of str to ndarray
        Per round, mean over repetitions: ``giving share`` (every relation),
        ``giving on ties``, ``mutual giving on ties``, ``giving in groups``
        (those that apply).
    levels : list of dict
        Per organisation, the two levels side by side: ``organisation``,
        ``people``, ``absorption``, ``person_payoff`` (per round, summed over a
        person's relations, mean over its people), ``organisation_payoff``
        (per round), ``learned`` (per round, by its people, split over
        membership) and ``reached`` (what of it reached the organisation).
    outcome : NetworkRun or None
        The play and the parts the scenario ran
        (:meth:`~learning_dilemma.io.scenarios.network.NetworkScenario.run`):
        the report adds a section for each part present.
    """

    scenario: Any
    results: Any
    picture: bytes | None = None
    picture_note: str = ""
    rounds: dict = field(default_factory=dict)
    levels: list = field(default_factory=list)
    kind: str = "network"
    outcome: Any = None


def network_report(scenario, *, picture: bool = True) -> NetworkReport:
    """Play a network scenario and gather what its report shows.

    Parameters
    ----------
    scenario : NetworkScenario
    picture : bool
        Draw the network picture. Above the ``plot_players`` resource limit
        (the picture lays out every person) it is left out, and the report
        says so.

    Returns
    -------
    NetworkReport
        With the parts the scenario switches on run too (``outcome``).
    """
    from ..limits import ResourceLimitError

    outcome = scenario.run()
    results = outcome.results
    image, note = None, ""
    if not picture:
        note = "The picture was not drawn (asked not to)."
    else:
        from ..io.network_outputs import check_network_figure

        try:
            check_network_figure(results.population)
        except ResourceLimitError as error:
            note = f"The picture is left out: {error}"
        else:
            image = _picture(results, scenario.name)
    return NetworkReport(scenario, results, image, note, _round_series(results), _levels(results), outcome=outcome)


def _picture(results, title: str) -> bytes:
    from ..io.network_outputs import network_figure
    from ..io.outputs import figure_bytes

    figure = network_figure(results, title=title)
    try:
        return figure_bytes(figure, "png", dpi=100)  # same results, same bytes
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)


def _round_series(results) -> dict:
    rows = results.round_table()
    series = {
        "giving share": np.array([r["giving_share"] for r in rows]),
        "giving on ties": np.array([r["tie_giving_share"] for r in rows]),
        "mutual giving on ties": np.array([r["mutual_giving"] for r in rows]),
    }
    if results.groups is not None:
        gives = np.asarray(results.groups.gives, dtype=float)          # (reps, groups, rounds)
        present = np.isfinite(gives)
        counts = present.sum(axis=(0, 1))
        sums = np.where(present, gives, 0.0).sum(axis=(0, 1))
        series["giving in groups"] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return {name: values for name, values in series.items() if np.isfinite(values).any()}


def _levels(results) -> list[dict]:
    population, c = results.population, results.contributions
    membership = population.membership                                   # (people, orgs), rows sum to 1
    per_round = results.repetitions * results.rounds
    person = c.person_payoffs.sum(axis=(0, 2)) / per_round               # per person and round
    learned = c.learning.sum(axis=(0, 2)) / per_round
    weights = membership.sum(axis=0)
    person_mean = np.where(weights > 0, person @ membership / np.maximum(weights, 1e-300), np.nan)
    organisation = results.organisation_payoffs.sum(axis=(0, 2)) / per_round
    reached = results.organisation_learning.sum(axis=(0, 2)) / per_round
    rows = []
    for k, org in enumerate(population.organisations):
        rows.append({
            "organisation": org.name,
            "people": int(np.count_nonzero(membership[:, k])),
            "absorption": float(org.absorption),
            "person_payoff": float(person_mean[k]),
            "organisation_payoff": float(organisation[k]),
            "learned": float(learned @ membership[:, k]),
            "reached": float(reached[k]),
        })
    return rows
