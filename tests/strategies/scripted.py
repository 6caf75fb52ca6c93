"""A scripted opponent for pinning strategies' moves."""

from __future__ import annotations

from learning_dilemma import Match, Player
from learning_dilemma.moves import Move


class Scripted(Player):
    """Plays a fixed sequence of moves given as letters, e.g. ``"GGTG"``."""

    name = "Scripted"
    defaults = {"script": "G"}

    def strategy(self, opponent):
        script = self.parameters["script"]
        return Move.from_letter(script[(len(self.history) - self._prior) % len(script)])

    def begin(self, context, rng, power, prior_rounds):
        super().begin(context, rng, power, prior_rounds)
        self._prior = prior_rounds


def moves(player, script: str, **match) -> str:
    """The player's moves, as letters, against a scripted opponent."""
    result = Match(player, Scripted(script=script), turns=len(script), seed=1, **match).play()
    return "".join("G" if m else "T" for m in result.moves[0])
