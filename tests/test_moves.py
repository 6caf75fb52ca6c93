"""The two moves (learning_dilemma.moves)."""

from __future__ import annotations

import pytest

from learning_dilemma import GIVE, TAKE, Move


def test_a_move_is_its_own_give_indicator():
    assert int(GIVE) == 1 and int(TAKE) == 0
    assert Move(1) is GIVE and Move(0) is TAKE
    assert sum([GIVE, TAKE, GIVE]) == 2  # counting gives needs no conversion


def test_flip_and_letters():
    assert GIVE.flip() is TAKE and TAKE.flip() is GIVE
    assert (GIVE.letter, TAKE.letter) == ("G", "T")
    assert f"{GIVE}{TAKE}" == "GT"


@pytest.mark.parametrize("letter, move", [("G", GIVE), ("g", GIVE), ("C", GIVE), ("T", TAKE), ("t", TAKE), ("D", TAKE)])
def test_from_letter_reads_our_letters_and_axelrods(letter, move):
    assert Move.from_letter(letter) is move


def test_from_letter_rejects_other_letters():
    with pytest.raises(ValueError, match="unknown move 'X': expected G or T"):
        Move.from_letter("X")
