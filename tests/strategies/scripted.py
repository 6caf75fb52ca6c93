"""A scripted opponent for pinning strategies' moves."""

from __future__ import annotations

from learning_dilemma import Match, Player
from learning_dilemma.moves import Move


class Scripted(Player):
    """Plays a fixed sequence of moves given as letters, e.g. ``"GGTG"`` (``X`` leaves)."""

    name = "Scripted"
    defaults = {"script": "G"}

    def strategy(self, opponent):
        script = self.parameters["script"]
        return Move.from_letter(script[(len(self.history) - self._prior) % len(script)])

    def begin(self, context, rng, power, prior_rounds):
        super().begin(context, rng, power, prior_rounds)
        self._prior = prior_rounds


def moves(player, script: str, partner: dict | None = None, **match) -> str:
    """The player's moves, as letters (``X`` once the alliance has closed), against a
    scripted opponent with parameters ``partner`` (e.g. its receptivity)."""
    result = Match(player, Scripted(script=script, **(partner or {})), turns=len(script), seed=1, **match).play()
    return "".join(Move(int(m)).letter for m in result.moves[0])
