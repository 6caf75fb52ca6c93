"""axelrod's classifier of one of our automata, computed from its table.

axelrod describes every strategy by a classifier (Knight et al. 2016): its
memory depth (how many past rounds its next move can depend on), whether it is
stochastic, and which match attributes it makes use of. Tournaments trust these
claims (a deterministic pair's match is cached and replayed), so we compute
them from the automaton rather than declare them.

Inside axelrod the power ladder never moves, so an automaton plays the column
of its table at parity, ``z = 0``.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..players.automaton import AutomatonTable, MatchContext
from ..errors import ParameterError
from ..games import LearningGame
from .._validation import DEFAULT_TURNS, continuation_of

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


def _same_table(first: AutomatonTable, second: AutomatonTable) -> bool:
    return (
        first.give.shape == second.give.shape
        and np.array_equal(first.give, second.give)
        and np.array_equal(first.next_state, second.next_state)
        and first.start == second.start
    )


# The context of axelrod's default match (R, S, T, P = 3, 0, 5, 1; 200 turns), and
# others that differ from it in the game only or in the length only. The two
# games pull in opposite directions (mutual giving worth more; the temptation
# nearly worth two rewards), so game-dependent choices change under one of them.
DEFAULT_CONTEXT = MatchContext(LearningGame(), continuation_of(DEFAULT_TURNS, None))
OTHER_GAMES = tuple(
    MatchContext(LearningGame.from_payoffs(*payoffs), DEFAULT_CONTEXT.continuation)
    for payoffs in ((4, 0, 5, 1), (3, 0, 5.99, 1))
)
OTHER_LENGTHS = (MatchContext(LearningGame(), continuation_of(2, None)),)


def _depends_on(strategy, table: AutomatonTable, others) -> bool:
    for context in others:
        try:
            if not _same_table(table, strategy.compiled(context)):
                return True
        except ParameterError:  # the strategy cannot be built for that game
            return True
    return False


def makes_use_of(strategy) -> set:
    """axelrod's ``makes_use_of``: ``"game"`` if the automaton's table changes
    with the stage payoffs, ``"length"`` if it changes with the match length
    (through the shadow of the future, Axelrod 1984). Found by compiling the
    table in the alternative contexts above."""
    table = strategy.compiled(DEFAULT_CONTEXT)
    used = set()
    if _depends_on(strategy, table, OTHER_GAMES):
        used.add("game")
    if _depends_on(strategy, table, OTHER_LENGTHS):
        used.add("length")
    return used


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
