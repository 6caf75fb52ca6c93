"""axelrod's classifier of one of our automata, computed from its table.

axelrod describes every strategy by a classifier (Knight et al. 2016): its
memory depth (how many past rounds its next move can depend on), whether it is
stochastic, and which match attributes it makes use of. Tournaments trust these
claims (a deterministic pair's match is cached and replayed), so we compute
them from the automaton rather than declare them: the memory depth and
stochasticity from the table, the attributes from what the table reads
(:mod:`learning_dilemma.players.reads`).

They describe the automaton as it plays inside axelrod (:mod:`.players`):

- in the one column of its table axelrod lets it see, the view of full stakes
  ``(M, M)``, power position ``z = 0``: nobody learns inside axelrod
  (:func:`~learning_dilemma.axelrod.games.axelrod_view`);
- with its exits: once it leaves the alliance it plays D for the rest of the
  match, so a state it leaves with certainty acts as an absorbing state that
  plays D (:func:`as_played`). A random exit makes the automaton stochastic and
  its memory depth is then claimed infinite, a safe upper bound (whether it has
  left is not always readable from the last rounds);
- tacitness does not enter: a give that fails to transfer is still a give, played
  and recorded as C (second edition); only the learning game's scoring
  (:mod:`.scoring`) sees what transferred.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..players.automaton import AutomatonTable, MatchContext
from ..players.reads import fields_read
from ..games import LearningGame
from .._validation import DEFAULT_TURNS, continuation_of
from .games import axelrod_view

__all__ = [
    "DEFAULT_CONTEXT", "MATCH_ATTRIBUTES", "OUTCOMES", "as_played", "behaviour_classes", "classify",
    "is_stochastic", "makes_use_of", "memory_depth", "reachable_states",
]

# Every (own, partner) outcome can follow any state: axelrod's noise flips
# intended moves.
OUTCOMES = tuple(itertools.product((0, 1), repeat=2))


def _reachable(next_state: np.ndarray, start: int) -> list[int]:
    seen, frontier = [start], [start]
    while frontier:
        state = frontier.pop()
        for own, partner in OUTCOMES:
            successor = int(next_state[state, own, partner])
            if successor not in seen:
                seen.append(successor)
                frontier.append(successor)
    return seen


def reachable_states(table: AutomatonTable) -> list[int]:
    """States reachable from the start under any outcomes, in order of discovery."""
    return _reachable(table.next_state, table.start)


def as_played(table: AutomatonTable, column: int):
    """The automaton as axelrod sees it play in one column of its table.

    A state it leaves with certainty (leave probability 1) becomes an extra,
    absorbing state that plays D (once it has left it plays D for the rest of
    the match); elsewhere it plays C with probability ``(1 - q) p`` (leave
    probability ``q``, give probability ``p``).

    Returns
    -------
    give : ndarray, shape (n_states + 1,)
        Probability of playing C in each state; the last state is "left".
    next_state : ndarray of int, shape (n_states + 1, 2, 2)
    random_exit : bool
        Whether some reachable state leaves with a probability strictly
        between 0 and 1 (the exit is then a hidden random event).

    Examples
    --------
    >>> from learning_dilemma import MatchContext, LearningGame
    >>> from learning_dilemma.players.automaton import table
    >>> context = MatchContext(LearningGame(), 0.9)
    >>> leaves_second = table(context, [1.0, 1.0], [[[1, 1], [1, 1]]] * 2, leave=[0.0, 1.0])
    >>> give, next_state, random_exit = as_played(leaves_second, 0)
    >>> give.tolist(), int(next_state[1, 1, 1]), random_exit
    ([1.0, 0.0, 0.0], 2, False)
    """
    n = table.n_states
    leave = table.leave[:, column]
    left = n
    certain = leave >= 1.0
    give = np.append(np.where(certain, 0.0, (1.0 - leave) * table.give[:, column]), 0.0)
    next_state = np.concatenate([table.next_state, np.full((1, 2, 2), left, dtype=table.next_state.dtype)])
    next_state[:n][certain] = left
    reached = [s for s in _reachable(next_state, table.start) if s < n]
    random_exit = bool(np.any((leave[reached] > 0) & (leave[reached] < 1)))
    return give, next_state, random_exit


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


def memory_depth(table: AutomatonTable, column: int) -> int | float:
    """The fewest past rounds the automaton's next move depends on, as it plays in axelrod.

    The smallest ``k`` such that, from every reachable state, any ``k`` rounds
    of outcomes lead to states that behave alike (play alike now and after any
    further outcomes); ``float("inf")`` when no ``k`` does, as for a grim
    trigger that remembers one take for ever, and for an automaton that may
    leave at random (:func:`as_played`). This is axelrod's ``memory_depth``:
    the move is a function of the last ``k`` rounds.

    Parameters
    ----------
    table : AutomatonTable
    column : int
        The view column played (:func:`~learning_dilemma.axelrod.games.axelrod_view`).
    """
    give, next_state, random_exit = as_played(table, column)
    if random_exit:
        return float("inf")
    states = _reachable(next_state, table.start)
    classes = behaviour_classes(give, next_state, states)
    successor = {(classes[s], o, p): classes[int(next_state[s, o, p])] for s in states for o, p in OUTCOMES}
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


def is_stochastic(table: AutomatonTable, column: int) -> bool:
    """Whether, as it plays in axelrod, some reachable state plays C with a
    probability strictly between 0 and 1, or leaves the alliance at random."""
    give, next_state, random_exit = as_played(table, column)
    played = give[_reachable(next_state, table.start)]
    return random_exit or bool(np.any((played > 0) & (played < 1)))


# The context of axelrod's default match (R, S, T, P = 3, 0, 5, 1; 200 turns).
DEFAULT_CONTEXT = MatchContext(LearningGame(), continuation_of(DEFAULT_TURNS, None))

# axelrod's match attributes, by the context fields that carry them.
MATCH_ATTRIBUTES = {"game": "game", "continuation": "length", "turns": "length"}


def makes_use_of(strategy) -> set:
    """axelrod's ``makes_use_of``: ``"game"`` if the automaton's table reads the
    game (its stage payoffs or power), ``"length"`` if it reads the continuation
    probability (the shadow of the future, Axelrod 1984) or the number of turns.
    The knowledge levels (the size of the views) do not count: inside axelrod
    nobody learns.
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
    column = axelrod_view(context)
    return {
        "memory_depth": memory_depth(table, column),
        "stochastic": is_stochastic(table, column),
        "makes_use_of": makes_use_of(strategy),
        "long_run_time": False,
        "inspects_source": False,
        "manipulates_source": False,
        "manipulates_state": False,
    }
