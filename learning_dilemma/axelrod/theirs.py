"""axelrod's strategies as players of the learning game.

:class:`AxelrodStrategy` wraps any :class:`axelrod.Player` so it plays in our
matches and tournaments under the learning game, power dynamics (Hamel 1991),
receptivity and tacitness included (Larsson et al. 1998). The wrapped player
sees exactly what it would see in an axelrod match: its own and its partner's
histories as axelrod actions, kept by axelrod's own ``update_history``, and the
match attributes axelrod gives (the game, the length when known, no noise). It
draws its randomness from axelrod's generator, seeded from the match seed.
"""

from __future__ import annotations

import axelrod as axl

from ..players.automaton import MatchContext
from ..moves import GIVE, TAKE
from ..players.player import Player
from ..players.view import underlying
from .games import UNKNOWN_CLASSIFIER, C, axelrod_game, to_action

__all__ = ["AxelrodStrategy", "match_length", "PartnerView", "UNKNOWN_LENGTH"]

UNKNOWN_LENGTH = -1  # axelrod's convention for a player not told the length


def match_length(context: MatchContext):
    """The length axelrod players are told: the number of turns of a
    fixed-length match when the context carries it, else unknown (-1)."""
    turns = getattr(context, "turns", None)
    return int(turns) if turns else UNKNOWN_LENGTH


class PartnerView(axl.Player):
    """What an axelrod strategy sees of a partner that is not an axelrod player:
    its name and the two histories from the partner's side."""

    name = "learning-dilemma partner"
    classifier = dict(UNKNOWN_CLASSIFIER)

    def strategy(self, opponent):
        raise NotImplementedError("a partner view only records what the partner played")


class AxelrodStrategy(Player):
    """An axelrod strategy playing the learning game.

    Build one with :func:`learning_dilemma.axelrod.from_axelrod`. Its label is
    ``axelrod:`` followed by axelrod's name for the player (with axelrod's
    parameters) and any of our parameters that differ from the defaults.

    Parameters
    ----------
    player : axelrod.Player
        The strategy; it is cloned for every match, as axelrod does.
    receptivity, tacitness : float
        Ours (Larsson et al. 1998): receptivity scales what it learns; tacitness
        is the probability that a give (axelrod's C) fails to transfer, less
        over a strong tie (``game.ties``). A failed give is still its C; the
        partner sees a take.
    """

    family = "axelrod"
    description = "A strategy from the axelrod library."
    source = "Knight et al. (2016), the axelrod library"

    def __init__(self, player: axl.Player, **parameters):
        self.prototype = player
        self.name = f"axelrod:{player}"
        super().__init__(**parameters)

    def clone(self) -> "AxelrodStrategy":
        return type(self)(self.prototype.clone(), **self.parameters)

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and self.prototype == other.prototype

    def __hash__(self) -> int:
        return hash((type(self), self.label))

    def begin(self, context, rng, power, prior_rounds):
        super().begin(context, rng, power, prior_rounds)
        self.player = self.prototype.clone()
        self.player.set_match_attributes(length=match_length(context), game=axelrod_game(context.game), noise=0)
        # axelrod's generator takes a 32-bit seed; draw it from our seeded stream.
        self.player.set_seed(int(rng.integers(2**32)))
        self.partner = PartnerView()
        self._opponent = self._seen = None
        for _ in range(prior_rounds):
            self.player.update_history(C, C)
            self.partner.update_history(C, C)

    def strategy(self, opponent):
        if opponent is not self._opponent:
            self._opponent, self._seen = opponent, self._partner_for(opponent)
        return GIVE if self.player.strategy(self._seen) == C else TAKE

    def _partner_for(self, opponent) -> axl.Player:
        """What the axelrod player sees of ``opponent`` (our read-only view of it)."""
        other = underlying(opponent)
        if isinstance(other, AxelrodStrategy) and other.tacitness == 0:
            # Two axelrod players meet as in axelrod: each sees the other itself
            # (strategies that inspect or manipulate their opponent are refused),
            # whose history is what this one sees when every give transfers.
            return other.player
        self.partner.name = opponent.label
        return self.partner

    def update(self, own, partner, power):
        super().update(own, partner, power)
        own, partner = to_action(own), to_action(partner)
        self.player.update_history(own, partner)
        self.partner.update_history(partner, own)
