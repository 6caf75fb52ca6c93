"""axelrod's classifier of one of our automata, computed from its table.

axelrod describes every strategy by a classifier (Knight et al. 2016): its
memory depth (how many past rounds its next move can depend on), whether it is
stochastic, and which match attributes it makes use of. Tournaments trust these
claims (a deterministic pair's match is cached and replayed), so we compute
them from the automaton rather than declare them: the memory depth and
stochasticity from the table, the attributes from what the table reads
(:mod:`learning_dilemma.players.reads`).

Inside axelrod the power ladder never moves, so an automaton plays the column
of its table at parity, ``z = 0``.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..players.automaton import AutomatonTable, MatchContext
from ..players.reads import fields_read
from ..games import LearningGame
from .._validation import DEFAULT_TURNS, continuation_of

__all__ = [
    "DEFAULT_CONTEXT", "MATCH_ATTRIBUTES", "OUTCOMES", "behaviour_classes", "classify", "is_stochastic",
    "makes_use_of", "memory_depth", "reachable_states",
]

# Every (own, partner) outcome can follow any state: axelrod's noise and our
# tacitness flip intended moves.
OUTCOMES = tuple(itertools.product((0, 1), repeat=2))


def reachable_states(table: AutomatonTable) -> list[int]:
    """States reachable from the start under any outcomes, in order of discovery."""
    seen, frontier = [table.start], [table.start]
    while frontier:
        state = frontier.pop()
        for own, partner in OUTCOMES:
            successor = int(table.next_state[state, own, partner])
            if successor not in seen:
                seen.append(successor)
                frontier.append(successor)
    return seen


def behaviour_classes(give: np.ndarray, next_state: np.ndarray, states: list[int]) -> dict[int, int]:
    """Moore-machine minimisation: states that give with the same probability
    now and after every sequence of outcomes share a class."""
    classes = {s: give[s] for s in states}
    while True:
        signature = {
            s: (classes[s], tuple(classes[int(next_state[s, o, p])] for o, p in OUTCOMES)) for s in states
        }
        labels = {sig: k for k, sig in enumerate(dict.fromkeys(signature[s] for s in states))}
        refined = {s: labels[signature[s]] for s in states}
        if len(set(refined.values())) == len(set(classes.values())):
            return refined
        classes = refined


def memory_depth(table: AutomatonTable, column: int, tacitness: float = 0.0) -> int | float:
    """The fewest past rounds the automaton's next move depends on.

    The smallest ``k`` such that, from every reachable state, any ``k`` rounds
    of outcomes lead to states that behave alike (play alike now and after any
    further outcomes); ``float("inf")`` when no ``k`` does, as for a grim
    trigger that remembers one take for ever. This is axelrod's
    ``memory_depth``: the move is a function of the last ``k`` rounds.

    Parameters
    ----------
    table : AutomatonTable
    column : int
        The ladder column played (``m`` for parity, ``z = 0``).
    tacitness : float
        Probability that an intended give is played as a take.
    """
    give = table.give[:, column] * (1.0 - tacitness)
    states = reachable_states(table)
    classes = behaviour_classes(give, table.next_state, states)
    successor = {(classes[s], o, p): classes[int(table.next_state[s, o, p])] for s in states for o, p in OUTCOMES}
    # The sets of classes the automaton may be in after k rounds of each outcome
    # sequence; only the sets not yet narrowed to one class matter.
    undecided = {frozenset(classes.values())} - {frozenset([c]) for c in classes.values()}
    seen = set()
    depth = 0
    while undecided:
        key = frozenset(undecided)
        if key in seen:
            return float("inf")
        seen.add(key)
        following = (frozenset(successor[c, o, p] for c in group) for group in undecided for o, p in OUTCOMES)
        undecided = {group for group in following if len(group) > 1}
        depth += 1
    return depth


def is_stochastic(table: AutomatonTable, column: int, tacitness: float = 0.0) -> bool:
    """Whether any reachable state gives with a probability strictly between 0 and 1
    (tacitness turns an intended give into a take with its probability)."""
    give = table.give[reachable_states(table), column] * (1.0 - tacitness)
    return bool(np.any((give > 0) & (give < 1)))


# The context of axelrod's default match (R, S, T, P = 3, 0, 5, 1; 200 turns).
DEFAULT_CONTEXT = MatchContext(LearningGame(), continuation_of(DEFAULT_TURNS, None))

# axelrod's match attributes, by the context fields that carry them.
MATCH_ATTRIBUTES = {"game": "game", "continuation": "length", "turns": "length"}


def makes_use_of(strategy) -> set:
    """axelrod's ``makes_use_of``: ``"game"`` if the automaton's table reads the
    game (its stage payoffs or power), ``"length"`` if it reads the continuation
    probability (the shadow of the future, Axelrod 1984) or the number of turns.
    The size of the power ladder does not count: inside axelrod it never moves.
    Found by compiling the table once in axelrod's default context and recording
    what it reads (:func:`learning_dilemma.players.reads.fields_read`).

    Examples
    --------
    >>> from learning_dilemma.strategies import GTFT, Calculative, TitForTat
    >>> makes_use_of(TitForTat()), makes_use_of(GTFT()), sorted(makes_use_of(Calculative()))
    (set(), {'game'}, ['game', 'length'])
    """
    return {MATCH_ATTRIBUTES[field] for field in fields_read(strategy, DEFAULT_CONTEXT)}


def classify(strategy, context: MatchContext = DEFAULT_CONTEXT) -> dict:
    """axelrod's classifier dictionary for one of our automata.

    Examples
    --------
    >>> from learning_dilemma.strategies import Grudger, HardTitForTat, TitForTat
    >>> classify(TitForTat())["memory_depth"], classify(HardTitForTat())["memory_depth"]
    (1, 3)
    >>> classify(Grudger())["memory_depth"]
    inf
    """
    table = strategy.compiled(context)
    column = context.levels
    return {
        "memory_depth": memory_depth(table, column, strategy.tacitness),
        "stochastic": is_stochastic(table, column, strategy.tacitness),
        "makes_use_of": makes_use_of(strategy),
        "long_run_time": False,
        "inspects_source": False,
        "manipulates_source": False,
        "manipulates_state": False,
    }
