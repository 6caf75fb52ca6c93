"""When does cooperation emerge? A scenario's payoff matrix, its evolution, and
the evaluation of the points of a parameter sweep.

The payoff matrix is exact (:mod:`learning_dilemma.exact`) when every player is
an automaton and the scenario has no prior rounds it cannot express; otherwise
it is simulated with the tournament runner, self-play included (evolutionary
dynamics need each strategy's payoff against its own kind).

The point evaluators take a validated :class:`~learning_dilemma.io.scenarios.Scenario`
(picklable), never a file: each point's scenario is rebuilt from the
scenario's validated definition (``Scenario.raw``) with the point's values,
so a sweep reads its file once, and editing the file during a run changes
nothing.
"""

from __future__ import annotations

import os

import numpy as np

from ..errors import ParameterError

__all__ = [
    "GRID_KEYS", "SWEEP_POPULATION", "check_definition", "evaluate_point", "evaluate_points", "outcomes",
    "roster_matrices", "scenario_at",
]

#: Sweep keys the exact engine can share work across: chains do not depend on
#: the continuation probability, and stage payoffs are linear in power strength
#: (power splits only the created value, with shares ``1/2 + strength z / 2M``;
#: :func:`learning_dilemma.exact.payoff_matrices`). Other keys (the overlap, the
#: knowledge and tie levels, ...) change the chains or the tables the strategies
#: compile, and each point is solved on its own.
GRID_KEYS = ("continuation", "game.power.strength")
#: Population size of the small-mutation limit reported at each sweep point.
SWEEP_POPULATION = 50


def roster_matrices(scenario, exact: bool | None = None, progress=None):
    """``(payoffs, gives, names, method)`` for a scenario's roster.

    Parameters
    ----------
    scenario : Scenario
    exact : bool, optional
        Force the exact engine (True) or simulation (False); by default exact
        when every player is an automaton.
    progress : callable, optional
        ``progress(done, total)`` as the simulated tournament's pairings finish.

    Returns
    -------
    payoffs, gives : ndarray, shape (n, n)
        ``payoffs[i, j]`` is the per-round payoff of player ``i`` against
        ``j``, ``gives[i, j]`` its give rate.
    names : list of str
    method : str
        ``"exact"`` or ``"simulated"``.
    """
    names = _names(scenario)
    automata = all(p.is_automaton for p in scenario.players)
    if exact is None:
        exact = automata
    if exact and not automata:
        raise ParameterError("the exact engine needs every player to be an automaton strategy")
    if exact:
        from .. import exact

        payoffs, gives = exact.roster_payoffs(
            scenario.players, scenario.game, scenario.continuation, scenario.turns,
            scenario.prior_rounds, scenario.initial_power, noise=scenario.noise,
        )
        return payoffs, gives, names, "exact"
    results = scenario.tournament(self_play=True, processes=1, progress=progress).play()
    return results.payoff_matrix, results.give_rate_matrix, names, "simulated"


def check_definition(scenario) -> None:
    """Check that ``scenario.raw`` still describes ``scenario``.

    Sweep points are rebuilt from the validated definition, so a scenario
    changed in Python after it was read (``scenario.seed = 5``), or built
    without a definition, would silently be swept as its file says.

    Raises
    ------
    ParameterError
        Saying to pass changes as overrides instead.
    """
    from ..io.scenarios import build

    if not scenario.raw:
        raise ParameterError(f"scenario {scenario.name}: has no definition (Scenario.raw) to sweep; "
                             "read it with load_scenario or build it with io.scenarios.build")
    try:
        same = build(scenario.raw, scenario.path) == scenario
    except ParameterError:
        same = False
    if not same:
        raise ParameterError(f"scenario {scenario.name}: was changed after it was read, and its definition "
                             "(Scenario.raw) no longer describes it; pass changes as overrides "
                             "(load_scenario(name, ['seed=5']) or Sweep(..., overrides=[...]))")


def scenario_at(scenario, point: dict):
    """The scenario with ``point``'s values (``{dotted key: value}``), validated.

    Rebuilt from ``scenario.raw``; the file (``scenario.path``) is never read,
    only named in error messages.
    """
    from ..io.scenarios import apply_overrides, build, override

    where = str(scenario.path) if scenario.path is not None else scenario.name
    raw = apply_overrides(scenario.raw, [override(key, value) for key, value in point.items()], where)
    return build(raw, scenario.path)


def evaluate_point(scenario, point: dict, *legacy) -> dict:
    """One sweep point (see :func:`evaluate_points`)."""
    if legacy or isinstance(scenario, (str, os.PathLike)):
        scenario, point = _legacy("evaluate_point", scenario, point, *legacy)
    return evaluate_points(scenario, [point])[0]


def evaluate_points(scenario, points: list[dict], *legacy) -> list[dict]:
    """Several sweep points at once, in their order.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario the points vary (picklable; the file it came
        from is not read again).
    points : list of dict
        ``{dotted key: value}`` each.

    Returns
    -------
    list of dict
        A record per point (:func:`outcomes`).

    Notes
    -----
    Where only the continuation probability and the power strength vary and
    every player is an automaton, the exact payoff matrices of all the points
    come from one :func:`learning_dilemma.exact.payoff_matrices` call over the
    grid they span; otherwise each point's scenario is solved (or simulated)
    on its own. Either way the evolutionary outcomes of all the points are
    computed in one batch (:mod:`learning_dilemma.dynamics.batch`); each
    point's numbers depend only on its own matrix.

    The old call ``evaluate_points(source, overrides, points)`` with a file
    or scenario name still works, with a :class:`DeprecationWarning`.
    """
    if legacy or isinstance(scenario, (str, os.PathLike)):
        scenario, points = _legacy("evaluate_points", scenario, points, *legacy)
    from threadpoolctl import threadpool_limits

    # One BLAS thread, as in worker processes (engine.executors): LAPACK's
    # rounding depends on its thread count, and a sweep's numbers must not
    # depend on the number of processes.
    with threadpool_limits(limits=1, user_api="blas"):
        return _evaluate_points(scenario, points)


def _legacy(name, source, overrides, *rest):
    """``(scenario, points)`` of the deprecated ``name(source, overrides, points)``."""
    from .._compat import warn_renamed
    from ..io.scenarios import load_scenario

    if len(rest) != 1:
        raise TypeError(f"{name}() takes a scenario and points")
    warn_renamed(f"{name}(source, overrides, ...)", f"{name}(load_scenario(source, overrides), ...)", stacklevel=4)
    return load_scenario(source, list(overrides)), rest[0]


def _evaluate_points(scenario, points: list[dict]) -> list[dict]:
    first = scenario_at(scenario, points[0])
    if set().union(*points) <= set(GRID_KEYS) and first.turns is None and all(p.is_automaton for p in first.players):
        payoffs, gives = _grid_matrices(first, points)
        methods = ["exact"] * len(points)
    else:
        matrices = [roster_matrices(scenario_at(scenario, point)) for point in points]
        payoffs = np.stack([m[0] for m in matrices])
        gives = np.stack([m[1] for m in matrices])
        methods = [m[3] for m in matrices]
    return outcomes(payoffs, gives, _names(first), methods)


def _names(scenario) -> list[str]:
    from ..results import unique_labels

    return unique_labels([p.label for p in scenario.players])


def _grid_matrices(scenario, points):
    """Exact ``(payoffs, gives)`` stacks of the points, over the grid of their
    continuation values and power strengths."""
    from ..exact import payoff_matrices

    def values(key, default):
        return [float(point.get(key, default)) for point in points]

    continuations = values("continuation", scenario.continuation)
    strengths = values("game.power.strength", scenario.game.power.strength)
    cs, c_index = np.unique(continuations, return_inverse=True)
    ss, s_index = np.unique(strengths, return_inverse=True)
    grid = payoff_matrices(scenario.players, scenario.game, cs, ss, scenario.prior_rounds, scenario.initial_power,
                           noise=scenario.noise)
    return grid.payoffs[c_index, s_index], grid.give_rates[c_index, s_index]


def outcomes(payoffs, gives, names, methods) -> list[dict]:
    """Sweep records for a stack of payoff and give-rate matrices.

    Parameters
    ----------
    payoffs, gives : ndarray, shape (P, n, n)
    names : list of str
    methods : list of str
        How each point's matrices were found (``"exact"`` or ``"simulated"``).

    Returns
    -------
    list of dict
        Per point: ``method``; ``winner`` and ``winner_payoff`` (by mean
        payoff against the roster); ``give_rate`` (the roster's mean);
        ``evolved_give_rate`` under the replicator dynamics from equal shares,
        with ``settled`` (whether the run came to rest at a saturated rest
        point before ``t_max``; if not, the give rate then) and
        ``survivors``; ``evolved_give_rate_small_mutations`` under rare
        mutations (population :data:`SWEEP_POPULATION`, Moran).
    """
    from ..dynamics.batch import replicator_endpoints, small_mutation_limits

    score = payoffs.mean(axis=2)
    flow = replicator_endpoints(payoffs, give_rates=gives)
    limit = small_mutation_limits(payoffs, SWEEP_POPULATION, give_rates=gives)
    flow_rates = flow.give_rates
    flow_settled = flow.settled
    limit_rates = limit.give_rates
    records = []
    for p in range(len(payoffs)):
        best = int(np.argmax(score[p]))
        records.append({
            "method": methods[p],
            "winner": names[best],
            "winner_payoff": float(score[p, best]),
            "give_rate": float(gives[p].mean()),
            "evolved_give_rate": float(flow_rates[p]),
            "settled": bool(flow_settled[p]),
            "evolved_give_rate_small_mutations": float(limit_rates[p]),
            "survivors": ";".join(names[i] for i in flow.survivors[p]),
        })
    return records
