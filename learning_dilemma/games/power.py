"""Bargaining power from dependence (Emerson 1962; Hamel 1991).

Power is the other side's dependence (Emerson 1962): here, what it still has to
learn from you. With knowledge stakes on (:mod:`.knowledge`), organisation *i*'s
power position is

    z_i = K_j - K_i,        in [-M, M],

the partner's remaining stakes minus its own, so the side that has learned more
(the faster learner of Hamel's race, whatever the moves that taught it) holds
power. Its bargaining share of **the value the alliance creates** (the synergy of
joint giving, never what each earns on its own: Hamel 1991) is

    w_i = 1/2 + strength * z_i / (2 M).

With stakes off (``M = 0``) nobody depends more than the other and ``w_i = 1/2``.
The first edition's ladder (a step toward a taker, a ``rebalance`` toward parity
under mutual giving, a split of the status quo too) is gone: it is not a limit of
this rule (``docs/model.md``, "What changed in the second edition").
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass

import numpy as np

from .._validation import check_number
from ..errors import ParameterError

__all__ = ["Power", "bargaining_share", "power_position"]


@dataclass(frozen=True)
class Power:
    """How strongly dependence shifts the split of the created value.

    Parameters
    ----------
    strength : float
        In [0, 1]: how far a full power advantage (``z = M``) moves the split of
        the created value away from half; 0 switches power off.

    The first edition's ``levels`` and ``rebalance`` are refused with a one-line
    error: power now comes from the knowledge stakes (``game.knowledge``).
    """

    strength: float = 0.0
    levels: InitVar[object] = None
    rebalance: InitVar[object] = None

    def __post_init__(self, levels, rebalance):
        check_number("game.power.strength", self.strength, 0.0, 1.0)
        for name, value in (("levels", levels), ("rebalance", rebalance)):
            if value is not None:
                raise ParameterError(
                    f"game.power.{name} was removed in the second edition: power now comes from dependence, "
                    "the knowledge each side still has to learn (set game.knowledge.levels; CHANGELOG.md)"
                )

    @property
    def active(self) -> bool:
        """Whether power can shift a payoff (it also needs knowledge stakes)."""
        return self.strength > 0


def power_position(own_stakes, partner_stakes):
    """``z_i = K_j - K_i``: how much more the partner still needs (Emerson 1962)."""
    return partner_stakes - own_stakes


def bargaining_share(z, strength: float, levels: int):
    """Share ``w_i = 1/2 + strength z_i / (2M)`` of the created value at power position ``z_i``.

    ``levels`` is ``M``, the knowledge levels; with ``M = 0`` the share is 1/2.
    """
    z = np.asarray(z, dtype=float)
    if levels == 0:
        return 0.5 + 0.0 * z
    return 0.5 + strength * z / (2 * levels)
