"""Tables and chains shared across contexts (exact.tables)."""

from __future__ import annotations

import numpy as np

import learning_dilemma.exact.chain as chain_module
from learning_dilemma import Automaton, LearningGame
from learning_dilemma.exact import expected_payoffs, payoff_matrices
from learning_dilemma.exact.tables import CompiledTables
from learning_dilemma.players.automaton import table
from learning_dilemma.strategies import Calculative, Defector, TitForTat

from .helpers import P, S


class _CountedTitForTat(TitForTat):
    compilations = 0

    def table(self, context):
        type(self).compilations += 1
        return super().table(context)


def test_payoff_matrices_share_tables_and_chains_across_the_grid(monkeypatch):
    """A table that reads neither game nor shadow is compiled once; a chain is built
    once per pairing, pair of distinct tables and power on or off."""
    built = []
    original = chain_module.build_chain

    def counting(*args, **kwargs):
        built.append(args[:2])
        return original(*args, **kwargs)

    monkeypatch.setattr(chain_module, "build_chain", counting)
    _CountedTitForTat.compilations = 0
    roster = [_CountedTitForTat(), Defector()]
    grid = payoff_matrices(roster, LearningGame(), [0.2, 0.5, 0.9, 0.99], [0.0, 0.3, 0.6, 1.0])
    assert _CountedTitForTat.compilations == 1
    assert len(built) == 3 * 2  # three pairings (with self-play), power off and on
    # Still right: with power off TFT vs always-take earns S, then P.
    np.testing.assert_allclose(grid.payoffs[:, 0, 0, 1], [(1 - w) * S + w * P for w in (0.2, 0.5, 0.9, 0.99)],
                               rtol=0, atol=1e-12)
    # Calculative's table reads game and shadow: one table on each side of 2/3, and
    # a chain per distinct pair of tables.
    built.clear()
    payoff_matrices([Calculative()], LearningGame(), [0.2, 0.5, 0.9, 0.99], [0.0])
    assert len(built) == 2  # below and above 2/3


class _LengthAware(Automaton):
    """Gives in fixed-length matches, takes in continuation matches: its table reads only the turns."""

    name = "Length Aware"

    def table(self, context):
        return table(context, [1.0 if context.turns is not None else 0.0], np.zeros((1, 2, 2), dtype=int), 0)


def test_a_table_that_reads_the_turns_is_compiled_for_each_length():
    tables = CompiledTables(_LengthAware(), "a")
    game = LearningGame()
    endless, ten = tables.at(game, 0.9), tables.at(game, 0.9, turns=10)
    assert endless != ten
    assert tables.tables[endless].give.max() == 0.0 and tables.tables[ten].give.min() == 1.0
    # One player in both kinds of match (ten turns have the shadow 0.9 as well).
    player = _LengthAware()
    assert expected_payoffs(player, Defector(), turns=10).give_rates[0] == 1.0
    assert expected_payoffs(player, Defector(), continuation=0.9).give_rates[0] == 0.0
