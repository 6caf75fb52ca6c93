"""Compiled tables and chains reused across match contexts.

A roster solved over a grid of continuation values and power strengths
(:func:`~.roster.payoff_matrices`), a per-round curve
(:func:`~.expected.per_round_curve`) and the critical shadow of the future
(:mod:`.stability`) evaluate the same pairings in many contexts. Two caches
share the work:

- :class:`CompiledTables` compiles one player's table per context and numbers
  each distinct table once. A table that reads neither the game, the
  continuation probability nor the turns (found out by
  :mod:`learning_dilemma.players.reads`) is the same for every game with
  those knowledge levels (its views) and every match length, so it is
  compiled once for the whole grid.
- :class:`PairingChains` builds a pairing's chain once per pair of distinct
  tables and power on or off, and solves all continuation values that share a
  chain in one batch.

These are engine internals: :mod:`learning_dilemma.exact` does not re-export them.
"""

from __future__ import annotations

import numpy as np

from ..games import LearningGame
from ..players.automaton import AutomatonTable, MatchContext
from ..players.player import Player
from ..players.reads import table_and_reads
from .chain import REWARD_COLUMNS, Chain, _automaton, _chain_of
from .solve import averaged_occupancy

__all__ = ["CompiledTables", "PairingChains"]


class CompiledTables:
    """One player's compiled tables across contexts, each distinct table numbered once.

    Attributes
    ----------
    player : Player
    tables : list of AutomatonTable
        The distinct tables, by number.
    fixed : tuple (levels, number) or None
        Set once the table is known to read no game, continuation or turns:
        the knowledge levels it was compiled for and its number.
    """

    def __init__(self, player: Player, name: str):
        self.player = _automaton(player, name)
        self.fixed = None  # (levels, number) if the table reads no game, continuation or turns
        self.known = {}
        self.tables = []

    def at(self, game: LearningGame, continuation: float, turns: int | None = None) -> int:
        """The number of the player's table in this context."""
        levels = game.knowledge.levels  # the table's views: (M + 1)^2 columns
        if self.fixed is not None and self.fixed[0] == levels:
            return self.fixed[1]
        if not self.known:
            table, reads = table_and_reads(self.player, MatchContext(game, continuation, turns))
            if not reads:
                self.fixed = (levels, self._number(table))
                return self.fixed[1]
        return self._number(self.player.compiled(MatchContext(game, continuation, turns)))

    def over_grid(self, games, ws) -> np.ndarray:
        """Table numbers at every ``(w, game)`` point, shape (len(ws), len(games))."""
        numbers = np.empty((len(ws), len(games)), dtype=np.int64)
        numbers[0, 0] = self.at(games[0], float(ws[0]))
        if self.fixed is not None and all(g.knowledge.levels == self.fixed[0] for g in games):
            numbers[:] = self.fixed[1]
            return numbers
        for s, game in enumerate(games):
            for k, w in enumerate(ws):
                numbers[k, s] = self.at(game, float(w))
        return numbers

    def _number(self, table: AutomatonTable) -> int:
        key = (table.give.tobytes(), table.give.shape, table.leave.tobytes(), table.next_state.tobytes(), table.start)
        if key not in self.known:
            self.known[key] = len(self.tables)
            self.tables.append(table)
        return self.known[key]


class PairingChains:
    """A pairing's chains across continuation values, built once per pair of distinct tables."""

    def __init__(self, a: Player, b: Player, game: LearningGame, prior_rounds: int, initial_power: int,
                 tables=None, noise: float = 0.0):
        self.a, self.b, self.game = a, b, game
        self.prior_rounds, self.initial_power, self.noise = prior_rounds, initial_power, noise
        self.tables = tables if tables is not None else (CompiledTables(a, "a"), CompiledTables(b, "b"))
        self.chains = {}

    def key(self, continuation: float, game: LearningGame | None = None, turns: int | None = None):
        """``(table number of A, table number of B, power on)`` in this context."""
        game = game if game is not None else self.game
        return (self.tables[0].at(game, continuation, turns), self.tables[1].at(game, continuation, turns),
                game.power.active)

    def chain(self, key, game: LearningGame | None = None) -> Chain:
        """The chain of a key from :meth:`key`, built on first use."""
        if key not in self.chains:
            table_a, table_b = self.tables[0].tables[key[0]], self.tables[1].tables[key[1]]
            self.chains[key] = _chain_of(self.a, self.b, table_a, table_b, game or self.game,
                                         self.prior_rounds, self.initial_power, self.noise)
        return self.chains[key]

    def per_round(self, continuations, averaging: str = "ratio") -> np.ndarray:
        """Per-round values of every reward column, shape (len(continuations), len(REWARD_COLUMNS)),
        grouping values that share a chain."""
        ws = np.asarray(continuations, dtype=float)
        out = np.empty((len(ws), len(REWARD_COLUMNS)))
        groups = {}
        for index, w in enumerate(ws):
            groups.setdefault(self.key(float(w)), []).append(index)
        for key, indices in groups.items():
            chain = self.chain(key)
            out[indices] = averaged_occupancy(chain, ws[indices], averaging) @ chain.rewards
        return out
