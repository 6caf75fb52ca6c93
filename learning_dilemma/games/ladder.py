"""The power ladder (Hamel 1991): one rule, three forms.

Power lives on a bounded ladder ``z`` in ``[-m, m]``, seen from the first
organisation's side (``z > 0``: it holds power). Its bargaining share of the
joint rents is ``w_1 = 1/2 + strength * z / (2m)``.

The rule of a round (``docs/model.md``, "Power"):

- (TAKE, GIVE): the taker absorbed what the giver exposed, and Hamel's race to
  learn moves ``z`` one step toward the taker, with probability equal to the
  taker's receptivity;
- (GIVE, TAKE): the same toward the other side;
- (GIVE, GIVE): one step toward parity with probability ``rebalance``
  (reciprocity restores balance; the seeds are silent here, this is the first
  edition's choice and the second edition replaces it);
- (TAKE, TAKE) and power off: no move.

The rule is written once, in :func:`ladder_move`, as plain arithmetic that works
on Python numbers and on numpy arrays alike. The three engines read it through
the forms below, and ``tests/contracts/test_ladder.py`` checks that they agree:

- :func:`ladder_step`: vectorised, for the simulator (one uniform draw a row);
- :func:`ladder_step_scalar`: one round in plain Python, for the round-by-round
  engine's hot loop;
- :func:`ladder_transitions`: the transition law, for the exact engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_number, check_probability
from ..errors import ParameterError
from ..limits import check
from ..moves import GIVE, TAKE

__all__ = ["Power", "bargaining_share", "ladder_move", "ladder_step", "ladder_step_scalar", "ladder_transitions"]

# The move codes as plain ints: numpy compares an array with an IntEnum member
# a hundred times more slowly than with an int.
_GIVE, _TAKE = int(GIVE), int(TAKE)


@dataclass(frozen=True)
class Power:
    """Power dynamics on a bounded ladder, after Hamel (1991).

    The ladder position ``z`` lies in ``[-levels, levels]``; ``z > 0`` means the
    first organisation holds power. Its bargaining share of the joint rents is
    ``w_1 = 1/2 + strength * z / (2 * levels)``.

    Parameters
    ----------
    strength : float
        How much a full power advantage shifts the split, in [0, 1]; 0 switches
        power off.
    levels : int
        Half-width ``m`` of the ladder; 0 switches power off. At most the
        ``ladder_levels`` resource limit (:mod:`learning_dilemma.limits`).
    rebalance : float
        Probability that a round of mutual giving moves ``z`` one step toward
        parity (reciprocity restores balance).
    """

    strength: float = 0.0
    levels: int = 3
    rebalance: float = 0.5

    def __post_init__(self):
        check_number("game.power.strength", self.strength, 0.0, 1.0)
        if isinstance(self.levels, bool) or not isinstance(self.levels, (int, np.integer)):
            raise ParameterError(f"game.power.levels must be a whole number, got {self.levels!r}")
        if self.levels < 0:
            raise ParameterError(f"game.power.levels (m) must be >= 0, got {self.levels}")
        check("ladder_levels", self.levels, f"game.power.levels={self.levels}")
        check_probability("game.power.rebalance", self.rebalance)

    @property
    def active(self) -> bool:
        """Whether power shifts payoffs at all."""
        return self.strength > 0 and self.levels > 0

    @property
    def ladder_size(self) -> int:
        """Number of ladder positions, ``2m + 1``."""
        return 2 * self.levels + 1


def bargaining_share(z, strength: float, levels: int):
    """Share of the joint rents held by the organisation at ladder position ``z``.

    ``z`` is taken from that organisation's own point of view (positive means it
    holds power). Hamel (1991): the taker's bargaining position improves.
    """
    if levels == 0:
        return 0.5 + 0.0 * np.asarray(z, dtype=float)
    return 0.5 + strength * np.asarray(z, dtype=float) / (2 * levels)


def ladder_move(z, move_first, move_second, receptivity_first, receptivity_second, power: Power):
    """The one ladder rule: where ``z`` may move after a round, and how likely.

    Returns ``(moved, probability)``: with ``probability`` the position becomes
    ``moved``, otherwise it stays at ``z``. Written in plain arithmetic so that
    it serves Python numbers (the round-by-round engine) and numpy arrays (the
    vectorised and exact engines) alike; the moves are compared with the move
    codes, not assumed binary.

    Parameters
    ----------
    z : int or ndarray
        Ladder position before the round, the first organisation's view.
    move_first, move_second : int or ndarray
        The moves played (after tacitness).
    receptivity_first, receptivity_second : float or ndarray
    power : Power
    """
    first_took = (move_first == _TAKE) & (move_second == _GIVE)
    second_took = (move_first == _GIVE) & (move_second == _TAKE)
    both_gave = (move_first == _GIVE) & (move_second == _GIVE)
    toward_parity = (z < 0) * 1 - (z > 0) * 1
    step = first_took * 1 - second_took * 1 + both_gave * toward_parity
    inside = (z + step <= power.levels) & (z + step >= -power.levels)
    moved = z + step * inside
    probability = (
        first_took * receptivity_first + second_took * receptivity_second + both_gave * power.rebalance
    ) * power.active
    return moved, probability


def ladder_step(z, move_first, move_second, draw, receptivity_first, receptivity_second, power: Power):
    """The vectorised form: the positions after a round, one uniform ``draw`` a row."""
    if not power.active:
        return z
    moved, probability = ladder_move(z, move_first, move_second, receptivity_first, receptivity_second, power)
    return np.where(draw < probability, moved, z)


def ladder_step_scalar(z: int, move_first: int, move_second: int, draw: float,
                       receptivity_first: float, receptivity_second: float, power: Power) -> int:
    """The round-by-round form: one position, one draw, plain Python numbers."""
    moved, probability = ladder_move(z, move_first, move_second, receptivity_first, receptivity_second, power)
    return int(moved) if draw < probability else z


def ladder_transitions(z, move_first, move_second, receptivity_first, receptivity_second, power: Power):
    """The exact form: ``[(next position, probability), ...]`` after one outcome.

    ``z`` may be an array of positions; the probabilities then are arrays too.
    The two entries sum to one; they coincide when the ladder cannot move.
    """
    if not power.active:  # the rule's probability is 0: skip the arithmetic
        return [(z, 1.0)]
    moved, probability = ladder_move(z, move_first, move_second, receptivity_first, receptivity_second, power)
    return [(moved, probability), (z, 1.0 - probability)]
