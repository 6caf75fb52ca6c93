"""The moves of the learning dilemma.

Each round an organisation either GIVES (is transparent: shares its knowledge) or
TAKES (absorbs what the partner shares and shares nothing), after Larsson,
Bengtsson, Henriksson & Sparks (1998) and Hamel (1991). GIVE corresponds to
axelrod's C (cooperate), TAKE to D (defect). EXIT leaves the alliance (the loner
of Hauert et al. 2002): a strategy may play it, and every round after the
alliance has closed is recorded as EXIT for both. axelrod has no third action:
inside axelrod an exit is played as D (``docs/axelrod.md``).
"""

from enum import IntEnum

__all__ = ["EXIT", "GIVE", "Move", "TAKE"]


class Move(IntEnum):
    """A move. ``int(Move.GIVE) == 1`` so a give or take is its own give indicator;
    ``EXIT`` (2) is not one: count gives with ``move == GIVE`` where exits can occur."""

    TAKE = 0
    GIVE = 1
    EXIT = 2

    def flip(self) -> "Move":
        """The other of GIVE and TAKE (an exit has none)."""
        if self is Move.EXIT:
            raise ValueError("EXIT has no opposite move")
        return Move(1 - self)

    @property
    def letter(self) -> str:
        """``"G"``, ``"T"`` or ``"X"``, as used in compact match transcripts."""
        return "GTX"[(1, 0, 2).index(int(self))]

    def __str__(self) -> str:
        return self.letter

    @classmethod
    def from_letter(cls, letter: str) -> "Move":
        """Parse ``G``/``T`` (also axelrod's ``C``/``D``)."""
        try:
            return {"G": cls.GIVE, "C": cls.GIVE, "T": cls.TAKE, "D": cls.TAKE, "X": cls.EXIT}[letter.upper()]
        except KeyError:
            raise ValueError(f"unknown move {letter!r}: expected G, T or X") from None


EXIT = Move.EXIT
GIVE = Move.GIVE
TAKE = Move.TAKE
