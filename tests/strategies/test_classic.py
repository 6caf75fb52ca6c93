"""Classic strategies pinned to their textbook definitions."""

from __future__ import annotations

import pytest

from learning_dilemma import LearningGame, MatchContext
from learning_dilemma.strategies import (
    GTFT,
    Alternator,
    Cooperator,
    Defector,
    Grudger,
    HardTitForTat,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
    ZDExtort2,
)

from scripted import moves

CONTEXT = MatchContext(LearningGame(), 0.9)


@pytest.mark.parametrize(
    "player, script, expected",
    [
        (Cooperator(), "TTG", "GGG"),
        (Defector(), "GGG", "TTT"),
        (TitForTat(), "GTTG", "GGTT"),
        (SuspiciousTitForTat(), "GGT", "TGG"),
        (Grudger(), "GTGGG", "GGTTT"),
        (TitForTwoTats(), "TGTTGG", "GGGGTG"),
        (HardTitForTat(), "TGGGG", "GTTTG"),
        (WinStayLoseShift(), "GTTGG", "GGTGG"),
        (Alternator(), "GGGG", "GTGT"),
    ],
)
def test_moves(player, script, expected):
    assert moves(player, script) == expected


def test_alternator_plays_the_opposite_of_its_own_last_move():
    table = Alternator().compiled(CONTEXT)
    assert table.next_state[0, 0, 1] == 0 and table.next_state[0, 1, 0] == 1  # own move decides


def test_gtft_default_generosity_is_one_third_with_classic_payoffs():
    table = GTFT().compiled(CONTEXT)
    assert table.give[:, 0].tolist() == pytest.approx([1.0, 1.0, 1 / 3])


def test_zd_extort_two_four_vector():
    table = ZDExtort2().compiled(CONTEXT)
    assert table.give[1:, 0].tolist() == pytest.approx([8 / 9, 1 / 2, 1 / 3, 0.0])
