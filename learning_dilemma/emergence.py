"""When does cooperation emerge? A scenario's payoff matrix, its evolution, and
the evaluation of one point of a parameter sweep.

The payoff matrix is exact (:mod:`.analytic`) when every player is an automaton
and the scenario has no prior rounds it cannot express; otherwise it is
simulated with the tournament runner, self-play included (evolutionary dynamics
need each strategy's payoff against its own kind).
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError


def roster_matrices(scenario, exact: bool | None = None):
    """``(payoffs, gives, names, method)`` for a scenario's roster.

    ``payoffs[i, j]`` is the per-round payoff of player ``i`` against ``j``,
    ``gives[i, j]`` its give rate; ``method`` is ``"exact"`` or ``"simulated"``.
    """
    from .results import unique_labels

    names = unique_labels([p.label for p in scenario.players])
    automata = all(p.is_automaton for p in scenario.players)
    if exact is None:
        exact = automata
    if exact and not automata:
        raise ParameterError("the exact engine needs every player to be an automaton strategy")
    if exact:
        from .analytic import payoff_matrix

        payoffs, gives = payoff_matrix(
            scenario.players, scenario.game, scenario.continuation, scenario.turns,
            scenario.prior_rounds, scenario.initial_power,
        )
        return payoffs, gives, names, "exact"
    results = scenario.tournament(self_play=True, processes=1).play()
    return results.payoff_matrix, results.give_matrix, names, "simulated"


def evaluate_point(source: str, overrides: tuple, point: dict) -> dict:
    """One sweep point: the scenario with ``point``'s values, its ranking by mean
    payoff against the roster and the evolved share of giving (replicator
    dynamics from equal shares, and the small-mutation limit)."""
    from .evolution import replicator, small_mutation_limit
    from .scenario import load_scenario, override

    changes = list(overrides) + [override(key, value) for key, value in point.items()]
    scenario = load_scenario(source, changes)
    payoffs, gives, names, method = roster_matrices(scenario)
    score = payoffs.mean(axis=1)
    flow = replicator(payoffs, give_rates=gives)
    limit = small_mutation_limit(payoffs, 50, give_rates=gives)
    return {
        "method": method,
        "winner": names[int(np.argmax(score))],
        "winner_payoff": float(score.max()),
        "give_rate": float(gives.mean()),
        "evolved_giving": float(flow.give_share),
        "evolved_giving_small_mutations": float(limit.give_share),
        "survivors": ";".join(names[i] for i in flow.survivors),
    }
