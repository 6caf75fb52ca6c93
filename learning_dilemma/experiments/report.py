"""A scenario's report as data: its tournament, the evolution of its roster
and, on request, a phase diagram over continuation and power strength (or,
where power cannot act because the scenario has no knowledge stakes, over
continuation and competitive overlap).

:func:`build_report` computes everything the ``report`` command shows and
returns it as a :class:`Report`; :func:`learning_dilemma.io.html.render_report`
turns that into one self-contained HTML page. A notebook or a web app can
use the data directly.

Examples
--------
>>> from learning_dilemma.io.scenarios import load_scenario
>>> report = build_report(load_scenario("delta", ["repetitions=2"]))
>>> report.title, report.method, report.phase is None
('delta', 'exact', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..limits import check
from ..io.html import Phase
from .emergence import check_definition, evaluate_points, roster_matrices

__all__ = [
    "PHASE_CONTINUATIONS", "PHASE_OVERLAPS", "PHASE_STRENGTHS", "Phase", "Report", "ScenarioHeading", "build_report",
    "phase_diagram",
    "phase_rows",
]

#: The phase diagram's range of continuation probabilities (inclusive).
PHASE_CONTINUATIONS = (0.5, 0.98)
#: The phase diagram's range of power strengths (inclusive).
PHASE_STRENGTHS = (0.0, 1.0)
#: The phase diagram's range of competitive overlaps (inclusive), its rows when
#: power cannot act (:func:`phase_rows`).
PHASE_OVERLAPS = (0.0, 1.0)


class ScenarioHeading:
    """What every report page heads with, read from its ``scenario`` (tournament or network)."""

    @property
    def title(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @property
    def description(self) -> str:
        """The scenario's one-line description."""
        return self.scenario.description

    @property
    def settings(self) -> list[tuple[str, object]]:
        """The scenario's values as ``(key, value)`` rows."""
        return self.scenario.settings()


@dataclass
class Report(ScenarioHeading):
    """Everything a scenario's report shows.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario reported on.
    results : TournamentResults
        Its tournament.
    evolution : EvolutionReport
        The evolutionary dynamics on the roster's payoff matrix
        (:func:`learning_dilemma.dynamics.evolve`).
    method : str
        How that matrix was found: ``"exact"`` or ``"simulated"``.
    phase : Phase or None
        The evolved give rate over continuation and power strength (or
        overlap: :func:`phase_rows`).
    """

    scenario: Any
    results: Any
    evolution: Any
    method: str
    phase: Phase | None = None



def build_report(scenario, *, phase: bool = False, phase_points: int = 8, progress=None):
    """Run a scenario's tournament and evolution (and phase diagram).

    A network scenario's report is :func:`learning_dilemma.experiments.networks.network_report`'s
    (its play; no phase diagram).

    Parameters
    ----------
    scenario : Scenario or NetworkScenario
        A validated scenario (:func:`learning_dilemma.io.scenarios.load_scenario`),
        or a network scenario (:func:`learning_dilemma.io.scenarios.network.load_network_scenario`).
    phase : bool
        Also compute a phase diagram (:func:`phase_diagram`).
    phase_points : int
        Grid points per phase-diagram axis (at least 2).
    progress : callable, optional
        ``progress(done, total)`` as the tournament's pairings finish.

    Returns
    -------
    Report or NetworkReport
    """
    from ..dynamics import evolve
    from .networks import is_network_scenario, network_report

    if is_network_scenario(scenario):
        if phase:
            raise ParameterError("--phase: a network scenario has no phase diagram; sweep its values with "
                                 "`learning-dilemma sweep SCENARIO --vary KEY=START:STOP:COUNT`")
        return network_report(scenario)
    if phase:  # before the tournament runs
        _check_phase_points(phase_points)
        phase_rows(scenario)
    results = scenario.tournament(processes=1, progress=progress).play()
    payoffs, gives, names, method = roster_matrices(scenario)
    evolution = evolve(payoffs, gives, names, seed=scenario.seed)
    diagram = phase_diagram(scenario, phase_points) if phase else None
    return Report(scenario, results, evolution, method, diagram)


def phase_rows(scenario) -> tuple[str, tuple[float, float]]:
    """The key and range along a phase diagram's rows.

    Power strength (:data:`PHASE_STRENGTHS`) when the scenario has knowledge
    stakes. Without them (``game.knowledge.levels = 0``) power cannot act:
    it comes from dependence, what each side still has to learn
    (``docs/model.md``), so every strength would give the same row; the rows
    are then the competitive overlap ``game.overlap`` (:data:`PHASE_OVERLAPS`).

    Raises
    ------
    ParameterError
        Without knowledge stakes in a scenario whose overlap is set per
        domain (``[[game.domains]]``): there is no single overlap to vary.
    """
    game = scenario.game
    if game.knowledge.active:
        return "game.power.strength", PHASE_STRENGTHS
    if not game.domains:
        return "game.overlap", PHASE_OVERLAPS
    raise ParameterError(
        "--phase: power strength does nothing without knowledge stakes (game.knowledge.levels = 0) and the overlap "
        "is set per domain; set game.knowledge.levels, or sweep a domain's overlap with `learning-dilemma sweep`")


def phase_diagram(scenario, points: int = 8) -> Phase:
    """The evolved give rate (replicator dynamics from equal shares) over a
    ``points`` x ``points`` grid of :data:`PHASE_CONTINUATIONS` and the rows of
    :func:`phase_rows` (power strength, or overlap where power cannot act),
    evaluated as one shared grid where the exact engine can share work
    (``docs/emergence.md``).

    Returns
    -------
    Phase
        ``values[i, j]`` at row value ``y_values[i]`` and continuation ``x_values[j]``.
    """
    _check_phase_points(points)
    key, span = phase_rows(scenario)
    check_definition(scenario)
    continuations = np.linspace(*PHASE_CONTINUATIONS, points)
    rows = np.linspace(*span, points)
    grid = [{"continuation": float(c), key: float(y)} for y in rows for c in continuations]
    records = evaluate_points(scenario, grid)
    values = np.array([r["evolved_give_rate"] for r in records]).reshape(len(rows), len(continuations))
    return Phase("continuation", list(continuations), key, list(rows), values, label="evolved give rate")


def _check_phase_points(points: int) -> None:
    """At least 2 points an axis, and the grid within the ``grid_points`` limit."""
    if points < 2:
        raise ParameterError(f"--phase-points must be >= 2, got {points}")
    check("grid_points", points * points, f"--phase-points {points}")
