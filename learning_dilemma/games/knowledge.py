"""Knowledge stakes, tie strength and the end of the race: the state of a relation.

A relation between two organisations carries, besides the strategies' own
states (``docs/model.md``, "The relation"):

- **stakes** ``K_i`` in ``0..M``: how many levels of the partner's knowledge
  organisation *i* still lacks. Each starts at ``M``. A give of the partner that
  transfers teaches *i* one level with probability ``r_i * pace`` (absorptive
  capacity, Cohen & Levinthal 1990: the faster learner's stakes run down
  faster). What is learned stays learned: stakes never rise. ``M = 0`` switches
  stocks off: knowledge is the first edition's endless flow.
- **the end of the race**: when one side's stakes are exhausted it has learned
  all it came for and the alliance ends (Hamel 1991: the slower learner becomes
  dispensable; Inkpen & Beamish 1997 on unstable alliances).
- **tie strength** ``t`` in ``0..H``: the number of rounds of mutual giving so
  far, up to ``H`` (Hansen 1999: strong ties are built by frequent, close
  interaction; Inkpen & Dinur 1998 on personnel exchange). A give of a player
  with tacitness ``tau`` fails to transfer with probability
  ``tau (1 - t / H)``: tacit knowledge moves through strong ties (Hansen 1999).
  Ties do not decay within a match (the seeds are silent on decay; a monotone
  tie keeps the exact engine's chain triangular). Prior rounds of mutual
  giving (a prior relation: Axelrod 1984; Larsson et al. 1998) count toward
  the tie, so a match starts at ``t = min(prior rounds, H)``
  (:func:`initial_tie`). ``H = 0`` switches ties off:
  a give then fails with probability ``tau``, as in the first edition.

Each rule is written once, as plain arithmetic that serves Python numbers (the
round-by-round engine) and numpy arrays (the vectorised and exact engines):
:func:`stakes_move` (with its sampled form :func:`stakes_step` and exact form
:func:`stakes_transitions`), :func:`tie_step`, :func:`failure_probability` and
:func:`race_over`. ``tests/contracts/test_relation.py`` checks that the forms agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_number
from ..errors import ParameterError
from ..limits import check

__all__ = [
    "Knowledge", "Ties", "failure_probability", "initial_tie", "race_over", "stakes_move", "stakes_step",
    "stakes_transitions", "tie_step",
]


def _whole(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ParameterError(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class Knowledge:
    """Knowledge stocks: the learning stakes and how fast they run down.

    Parameters
    ----------
    levels : int
        ``M``: levels of the partner's knowledge each organisation starts out
        lacking; 0 (the default) switches stocks off (an endless flow, the first
        edition). At most the ``ladder_levels`` resource limit.
    pace : float
        In (0, 1]: a transferred give teaches one level with probability
        ``receptivity * pace``. Smaller paces make a long race of the same levels.
    """

    levels: int = 0
    pace: float = 1.0

    def __post_init__(self):
        _whole("game.knowledge.levels", self.levels)
        check("ladder_levels", self.levels, f"game.knowledge.levels={self.levels}")
        check_number("game.knowledge.pace", self.pace, 0.0, 1.0, low_open=True)

    @property
    def active(self) -> bool:
        """Whether stakes run down (and so whether power and the end of the race exist)."""
        return self.levels > 0


@dataclass(frozen=True)
class Ties:
    """Tie strength built by mutual giving (Hansen 1999).

    Parameters
    ----------
    levels : int
        ``H``: rounds of mutual giving that make a full-strength tie, over
        which all tacit knowledge transfers; 0 (the default) switches ties off.
    """

    levels: int = 0

    def __post_init__(self):
        _whole("game.ties.levels", self.levels)
        check("ladder_levels", self.levels, f"game.ties.levels={self.levels}")

    @property
    def active(self) -> bool:
        return self.levels > 0


def initial_tie(prior_rounds: int, ties: Ties) -> int:
    """The tie at the start of a match: its prior rounds of mutual giving, up to ``H``."""
    return min(int(prior_rounds), ties.levels)


def failure_probability(tacitness, tie, ties: Ties):
    """Probability ``tau (1 - t / H)`` that a give fails to transfer (``tau`` with ties off)."""
    if not ties.active:
        return tacitness * (1.0 + 0.0 * np.asarray(tie, dtype=float))
    return tacitness * (1.0 - np.asarray(tie, dtype=float) / ties.levels)


def tie_step(tie, give_first, give_second, ties: Ties):
    """The tie after a round: one level stronger after mutual giving, up to ``H``."""
    both = (give_first == 1) & (give_second == 1)
    return np.minimum(tie + both * 1, ties.levels)


def stakes_move(stakes, learned, receptivity, knowledge: Knowledge):
    """The one stakes rule: ``(moved, probability)``.

    With ``probability`` the stakes become ``moved = stakes - 1``, otherwise
    they stay. ``learned`` is 1 where the partner's give transferred; in a
    group it is the attention-weighted share of the others' gives that reached
    the member, in [0, 1] (:func:`learning_dilemma.games.group.group_learned`).
    """
    probability = receptivity * knowledge.pace * learned * (stakes > 0) * knowledge.active
    return stakes - 1, probability


def stakes_step(stakes, learned, draw, receptivity, knowledge: Knowledge):
    """The sampled form: the stakes after a round, one uniform ``draw`` each."""
    if not knowledge.active:
        return stakes
    moved, probability = stakes_move(stakes, learned, receptivity, knowledge)
    return np.where(draw < probability, moved, stakes)


def stakes_transitions(stakes, learned, receptivity, knowledge: Knowledge):
    """The exact form: ``[(next stakes, probability), ...]``, the entries summing to one."""
    if not knowledge.active:
        return [(stakes, 1.0)]
    moved, probability = stakes_move(stakes, learned, receptivity, knowledge)
    return [(moved, probability), (stakes, 1.0 - probability)]


def race_over(stakes_first, stakes_second, knowledge: Knowledge):
    """Whether one side has learned all it came for (stakes on and one side's at 0)."""
    return knowledge.active & ((stakes_first == 0) | (stakes_second == 0))
