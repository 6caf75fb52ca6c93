"""What a strategy's table reads (players.reads), which the exact engine's table
cache and the axelrod classifier both rely on."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import Automaton, LearningGame, MatchContext
from learning_dilemma.axelrod.classifier import makes_use_of
from learning_dilemma.players.automaton import table
from learning_dilemma.players.reads import CONTEXT_FIELDS, ReadTracking, fields_read, table_and_reads
from learning_dilemma.strategies import ALL_STRATEGIES, GTFT, Calculative, TitForTat, ZDExtort2

CONTEXT = MatchContext(LearningGame().with_power(strength=0.5), 0.9)


class _ReadsTheContinuationOnly(Automaton):
    """Gives when the shadow of the future is long, whatever the game."""

    name = "Reads The Continuation"

    def table(self, context):
        return table(context, [float(context.continuation >= 0.5)], np.zeros((1, 2, 2), dtype=int), 0)


class _ReadsTheDeprecatedShadow(Automaton):
    name = "Reads The Shadow"

    def table(self, context):
        return table(context, [float(context.shadow >= 0.5)], np.zeros((1, 2, 2), dtype=int), 0)


class _ReadsTheTurnsOnly(Automaton):
    name = "Reads The Turns"

    def table(self, context):
        return table(context, [float(context.turns is not None)], np.zeros((1, 2, 2), dtype=int), 0)


def test_a_table_that_reads_the_game():
    assert fields_read(GTFT(), CONTEXT) == {"game"}  # its generosity comes from the payoffs
    assert fields_read(ZDExtort2(), CONTEXT) == {"game"}


def test_a_table_that_reads_the_continuation():
    assert fields_read(_ReadsTheContinuationOnly(), CONTEXT) == {"continuation"}
    with pytest.warns(DeprecationWarning):
        assert fields_read(_ReadsTheDeprecatedShadow(), CONTEXT) == {"continuation"}
    assert fields_read(_ReadsTheTurnsOnly(), CONTEXT) == {"turns"}
    assert fields_read(Calculative(), CONTEXT) == {"game", "continuation"}


def test_a_table_that_reads_nothing():
    """The ladder size (``levels``, ``positions``) is not a read of the game."""
    assert fields_read(TitForTat(), CONTEXT) == frozenset()
    assert fields_read(GTFT(p=0.2), CONTEXT) == frozenset()


def test_the_table_is_the_one_the_context_gives():
    built, reads = table_and_reads(Calculative(), CONTEXT)
    compiled = Calculative().compiled(CONTEXT)
    assert reads <= set(CONTEXT_FIELDS)
    np.testing.assert_array_equal(built.give, compiled.give)
    np.testing.assert_array_equal(built.next_state, compiled.next_state)
    probe = ReadTracking.like(CONTEXT)
    assert probe.levels == CONTEXT.levels and probe.reads == set()  # levels is not a read
    assert probe.game is CONTEXT.game and probe.reads == {"game"}


@pytest.mark.parametrize("strategy", ALL_STRATEGIES, ids=lambda cls: cls.__name__)
def test_axelrods_makes_use_of_follows_the_reads(strategy):
    """One mechanism: the classifier's ``makes_use_of`` translates the fields read."""
    player = strategy()
    reads = fields_read(player, MatchContext(LearningGame(), 1 - 1 / 200))
    expected = ({"game"} & reads) | ({"length"} if reads & {"continuation", "turns"} else set())
    assert makes_use_of(player) == expected


def test_a_composite_strategy_reads_only_what_its_parts_read():
    """Compiling the parts on a recording context must not count the table
    cache's own look-up as a read (it once made every composite read everything)."""
    from learning_dilemma.axelrod.classifier import makes_use_of
    from learning_dilemma.strategies import GTFT, BoundarySpanner, ChineseWall, Defector, TitForTat

    assert makes_use_of(BoundarySpanner(organisation=TitForTat(), person=Defector())) == set()
    assert makes_use_of(ChineseWall(organisation=TitForTat(), person=GTFT())) == {"game"}  # GTFT's generosity
