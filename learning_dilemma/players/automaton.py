"""Stochastic finite-state automata: the one form every built-in strategy takes.

An automaton has states, a start state, the probability of GIVE in each state
(which may depend on the relation the player observes: its own knowledge stakes
and its partner's, whose difference is its power position ``z``), the
probability of leaving the alliance in each state (0 unless the strategy exits)
and a deterministic next state for each (own move, partner's move as seen: a
give that failed to transfer is seen by the partner as a take).
One form serves two engines: the vectorised simulator in :mod:`.engine` and the
exact Markov-chain solver in :mod:`learning_dilemma.exact`.

Moves index tables as integers: ``TAKE = 0``, ``GIVE = 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..errors import ParameterError
from ..limits import check
from .._compat import deprecated_alias
from ..moves import Move

__all__ = [
    "AutomatonTable", "give_row", "GiveSpec", "MatchContext", "memory_one", "MEMORY_ONE_STATES",
    "memoryless", "outcome_state", "reactive", "table", "view_index",
]


@dataclass(frozen=True)
class MatchContext:
    """What a strategy may know about the match before it starts.

    Attributes
    ----------
    game : LearningGame
    continuation : float
        The shadow of the future (Axelrod 1984): the probability that the match
        goes on after a round, or ``1 - 1/turns`` for a fixed-length match (the
        same expected length). ``shadow`` is a deprecated alias.
    turns : int or None
        The length of a fixed-length match (axelrod tells its strategies the
        same); ``None`` for a continuation match, whose horizon is never revealed.
    """

    game: object
    continuation: float
    turns: int | None = None

    shadow = deprecated_alias("shadow", "continuation")

    @property
    def levels(self) -> int:
        """``M``, the knowledge levels (tables have ``(M + 1)^2`` columns, the views)."""
        return self.game.knowledge.levels

    @property
    def own_stakes(self) -> np.ndarray:
        """The player's own stakes ``K_own`` in each view (column) of a table."""
        return np.repeat(np.arange(self.levels + 1), self.levels + 1)

    @property
    def partner_stakes(self) -> np.ndarray:
        """The partner's stakes ``K_partner`` in each view (column) of a table."""
        return np.tile(np.arange(self.levels + 1), self.levels + 1)

    @property
    def positions(self) -> np.ndarray:
        """The power position ``z = K_partner - K_own`` in each view (column) of a table."""
        return self.partner_stakes - self.own_stakes


def view_index(own_stakes, partner_stakes, levels: int):
    """The table column of a view: ``K_own (M + 1) + K_partner``."""
    return own_stakes * (levels + 1) + partner_stakes


@dataclass(frozen=True, eq=False)
class AutomatonTable:
    """A compiled automaton.

    Attributes
    ----------
    give : ndarray, shape (n_states, (M + 1)^2)
        Probability of GIVE in each state in each view (:func:`view_index`).
    next_state : ndarray of int, shape (n_states, 2, 2)
        ``next_state[s, own, partner]`` with moves as ``TAKE = 0, GIVE = 1``
        (the partner's move as seen).
    start : int
        The start state.
    state_names : tuple of str
    leave : ndarray, shape (n_states, (M + 1)^2), optional
        Probability of leaving the alliance in each state and view; zeros
        (never) when left out.
    """

    give: np.ndarray
    next_state: np.ndarray
    start: int
    state_names: tuple
    leave: np.ndarray | None = None

    def __post_init__(self):
        give = np.asarray(self.give, dtype=float)
        nxt = np.asarray(self.next_state, dtype=np.intp)
        n = give.shape[0]
        if give.ndim != 2 or nxt.shape != (n, 2, 2):
            raise ParameterError(
                f"automaton tables have shapes {give.shape} and {nxt.shape}; "
                f"expected (n_states, (M+1)^2) and (n_states, 2, 2)"
            )
        if np.any((give < 0) | (give > 1)) or not np.all(np.isfinite(give)):
            raise ParameterError("automaton give probabilities must lie in [0, 1]")
        leave = np.zeros_like(give) if self.leave is None else np.asarray(self.leave, dtype=float)
        if leave.shape != give.shape:
            raise ParameterError(f"automaton leave table has shape {leave.shape}; expected {give.shape}")
        if np.any((leave < 0) | (leave > 1)) or not np.all(np.isfinite(leave)):
            raise ParameterError("automaton leave probabilities must lie in [0, 1]")
        leave.setflags(write=False)
        object.__setattr__(self, "leave", leave)
        if np.any((nxt < 0) | (nxt >= n)) or not 0 <= self.start < n:
            raise ParameterError("automaton next states must name existing states")
        if len(self.state_names) != n:
            raise ParameterError(f"automaton has {n} states but {len(self.state_names)} names")
        give.setflags(write=False)
        nxt.setflags(write=False)
        object.__setattr__(self, "give", give)
        object.__setattr__(self, "next_state", nxt)

    @property
    def n_states(self) -> int:
        return self.give.shape[0]

    def after_prior_rounds(self, rounds: int) -> int:
        """The state reached from the start after ``rounds`` of mutual giving."""
        state = self.start
        for _ in range(rounds):
            state = int(self.next_state[state, Move.GIVE, Move.GIVE])
        return state

    @property
    def is_deterministic(self) -> bool:
        return bool(np.all((self.give == 0) | (self.give == 1)) and np.all((self.leave == 0) | (self.leave == 1)))

    @property
    def leaves(self) -> bool:
        """Whether the automaton ever leaves the alliance."""
        return bool(self.leave.any())


GiveSpec = float | np.ndarray | Callable[[np.ndarray], np.ndarray]


def give_row(spec: GiveSpec, context: MatchContext) -> np.ndarray:
    """A row of probabilities over the views, from a number, a row, or a function
    of the array of power positions ``z`` of the views (:attr:`MatchContext.positions`;
    a function that needs the stakes reads ``context.own_stakes`` and
    ``context.partner_stakes``)."""
    positions = context.positions
    row = spec(positions) if callable(spec) else spec
    return np.broadcast_to(np.asarray(row, dtype=float), positions.shape).copy()


def table(
    context: MatchContext,
    give: Sequence[GiveSpec],
    next_state: Sequence[Sequence[Sequence[int]]] | np.ndarray,
    start: int = 0,
    state_names: Sequence[str] | None = None,
    leave: Sequence[GiveSpec] | None = None,
) -> AutomatonTable:
    """Build an :class:`AutomatonTable` from per-state give (and leave) specs.

    Its size, states times the ``(M + 1)^2`` views, is held to the
    ``chain_states`` resource limit before anything is allocated (no pairing
    with a larger table could be solved exactly either).
    """
    views = (context.levels + 1) ** 2
    check("chain_states", len(give) * views, f"an automaton of {len(give)} states x {views} views",
          hint="or fewer knowledge levels")
    rows = np.array([give_row(spec, context) for spec in give])
    names = tuple(state_names) if state_names is not None else tuple(f"s{i}" for i in range(len(rows)))
    exits = None if leave is None else np.array([give_row(spec, context) for spec in leave])
    return AutomatonTable(rows, np.asarray(next_state), start, names, exits)


# Memory-one automata: state 0 is the opening, states 1..4 remember the last
# outcome (own, partner) in axelrod's order GG, GT, TG, TT (CC, CD, DC, DD).
MEMORY_ONE_STATES = ("start", "GG", "GT", "TG", "TT")


def outcome_state(own: int, partner: int) -> int:
    """Memory-one state index after a round with these moves."""
    return 1 + 2 * (1 - own) + (1 - partner)


_MEMORY_ONE_NEXT = np.array(
    [[[outcome_state(own, partner) for partner in (0, 1)] for own in (0, 1)] for _ in range(5)]
)


def memory_one(
    context: MatchContext,
    first: GiveSpec,
    after_gg: GiveSpec,
    after_gt: GiveSpec,
    after_tg: GiveSpec,
    after_tt: GiveSpec,
) -> AutomatonTable:
    """A memory-one strategy: the give probability after each outcome.

    ``after_gt`` applies after the player gave and the partner took, and so on;
    this is the ``(p_CC, p_CD, p_DC, p_DD)`` vector of Nowak & Sigmund (1993).
    """
    return table(context, [first, after_gg, after_gt, after_tg, after_tt], _MEMORY_ONE_NEXT, 0, MEMORY_ONE_STATES)


def reactive(context: MatchContext, first: GiveSpec, after_give: GiveSpec, after_take: GiveSpec) -> AutomatonTable:
    """A reactive strategy: the give probability depends on the partner's last
    move only (Nowak & Sigmund 1992). States: start, partner gave, partner took."""
    next_state = np.array([[[2, 1], [2, 1]]] * 3)
    return table(context, [first, after_give, after_take], next_state, 0, ("start", "partner gave", "partner took"))


def memoryless(context: MatchContext, give: GiveSpec) -> AutomatonTable:
    """One state: give with a fixed (possibly power-dependent) probability."""
    return table(context, [give], np.zeros((1, 2, 2), dtype=int), 0, ("only",))
