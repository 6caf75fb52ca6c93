"""When does cooperation emerge? A scenario's payoff matrix, its evolution, and
the evaluation of one point of a parameter sweep.

The payoff matrix is exact (:mod:`.analytic`) when every player is an automaton
and the scenario has no prior rounds it cannot express; otherwise it is
simulated with the tournament runner, self-play included (evolutionary dynamics
need each strategy's payoff against its own kind).
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError


def roster_matrices(scenario, exact: bool | None = None):
    """``(payoffs, gives, names, method)`` for a scenario's roster.

    ``payoffs[i, j]`` is the per-round payoff of player ``i`` against ``j``,
    ``gives[i, j]`` its give rate; ``method`` is ``"exact"`` or ``"simulated"``.
    """
    from ..results import unique_labels

    names = unique_labels([p.label for p in scenario.players])
    automata = all(p.is_automaton for p in scenario.players)
    if exact is None:
        exact = automata
    if exact and not automata:
        raise ParameterError("the exact engine needs every player to be an automaton strategy")
    if exact:
        from ..exact import payoff_matrix

        payoffs, gives = payoff_matrix(
            scenario.players, scenario.game, scenario.continuation, scenario.turns,
            scenario.prior_rounds, scenario.initial_power,
        )
        return payoffs, gives, names, "exact"
    results = scenario.tournament(self_play=True, processes=1).play()
    return results.payoff_matrix, results.give_matrix, names, "simulated"


#: Sweep keys the exact engine can share work across: chains do not depend on
#: the continuation probability, and stage payoffs are linear in power strength
#: (:func:`.analytic.payoff_matrices`).
GRID_KEYS = ("continuation", "game.power.strength")
#: Population size of the small-mutation limit reported at each sweep point.
SWEEP_POPULATION = 50


def evaluate_point(source: str, overrides: tuple, point: dict) -> dict:
    """One sweep point: the scenario with ``point``'s values, its ranking by mean
    payoff against the roster and the evolved share of giving (replicator
    dynamics from equal shares, and the small-mutation limit)."""
    return evaluate_points(source, overrides, [point])[0]


def evaluate_points(source: str, overrides: tuple, points: list[dict]) -> list[dict]:
    """Several sweep points at once, in their order.

    Where only the continuation probability and the power strength vary and
    every player is an automaton, the exact payoff matrices of all the points
    come from one :func:`.analytic.payoff_matrices` call over the grid they
    span; otherwise each point's scenario is solved (or simulated) on its own.
    Either way the evolutionary outcomes of all the points are computed in
    one batch (:mod:`.evolution_batch`); each point's numbers depend only on
    its own matrix.
    """
    from threadpoolctl import threadpool_limits

    # One BLAS thread, as in worker processes (learning_dilemma.pool): LAPACK's
    # rounding depends on its thread count, and a sweep's numbers must not
    # depend on the number of processes.
    with threadpool_limits(limits=1, user_api="blas"):
        return _evaluate_points(source, overrides, points)


def _evaluate_points(source: str, overrides: tuple, points: list[dict]) -> list[dict]:
    from ..io.scenarios import load_scenario, override

    def scenario_at(point):
        return load_scenario(source, list(overrides) + [override(key, value) for key, value in point.items()])

    first = scenario_at(points[0])
    if set().union(*points) <= set(GRID_KEYS) and first.turns is None and all(p.is_automaton for p in first.players):
        payoffs, gives = _grid_matrices(first, points)
        methods = ["exact"] * len(points)
    else:
        matrices = [roster_matrices(scenario_at(point)) for point in points]
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
    ws, w_index = np.unique(continuations, return_inverse=True)
    ss, s_index = np.unique(strengths, return_inverse=True)
    grid = payoff_matrices(scenario.players, scenario.game, ws, ss, scenario.prior_rounds, scenario.initial_power)
    return grid.payoffs[w_index, s_index], grid.gives[w_index, s_index]


def outcomes(payoffs, gives, names, methods) -> list[dict]:
    """Sweep records for a stack of payoff and give-rate matrices ``(P, n, n)``:
    the winner by mean payoff against the roster, the give rate, and the
    evolved share of giving under the replicator dynamics from equal shares
    (``settled``: whether the run came to rest at a saturated rest point
    before ``t_max``; if not, the shares are those at ``t_max``) and under
    rare mutations (population :data:`SWEEP_POPULATION`, Moran).
    ``methods`` says how each point's matrices were found ("exact" or
    "simulated")."""
    from ..dynamics.batch import replicator_endpoints, small_mutation_limits

    score = payoffs.mean(axis=2)
    flow = replicator_endpoints(payoffs, give_rates=gives)
    limit = small_mutation_limits(payoffs, SWEEP_POPULATION, give_rates=gives)
    records = []
    for p in range(len(payoffs)):
        best = int(np.argmax(score[p]))
        records.append({
            "method": methods[p],
            "winner": names[best],
            "winner_payoff": float(score[p, best]),
            "give_rate": float(gives[p].mean()),
            "evolved_giving": float(flow.give_shares[p]),
            "settled": bool(flow.converged[p]),
            "evolved_giving_small_mutations": float(limit.give_shares[p]),
            "survivors": ";".join(names[i] for i in flow.survivors[p]),
        })
    return records
