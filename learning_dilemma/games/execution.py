"""How an intended move is played: exit, intention, noise, then tacit transfer.

A round's move goes through four steps (``docs/model.md``, "One round, in order"):

1. **Exit.** A strategy may leave the alliance, with its probability ``q`` in
   the state it is in (Hauert et al. 2002's loner; Larsson et al. 1998's
   avoidance as not partnering). One uniform draw serves steps 1 and 2: it
   leaves where ``draw < q``.
2. **Intention.** Otherwise it intends to give with its probability ``p``:
   where ``draw < q + (1 - q) p`` (with ``q = 0``, the first edition's
   ``draw < p``, so seeded runs without exits are unchanged).
3. **Noise**, axelrod's ``noise=``: the give-or-take intention is flipped with
   probability ``noise`` (Selten 1975's trembling hand; Axelrod 1984, ch. 8).
   The seeds are silent on noise; it is here so that noisy axelrod tournaments
   can be reproduced. An exit is not flipped.
4. **Tacit transfer** (Larsson et al. 1998; Hansen 1999): a give fails to
   transfer with the failure probability of :func:`.knowledge.failure_probability`.
   It is still a give: the giver played and recorded it and is paid as a giver
   (``x <= g`` in :mod:`.learning`); only the receiver sees nothing learned.

Each step is written once, in its sampled form for both simulation engines
(:func:`chooses`, :func:`flip`, :func:`transfers`, for Python numbers and numpy
arrays alike) and in its exact form for the exact engine
(:func:`played_give_probability`, :func:`noisy_give_probability`).
``tests/contracts/test_execution.py`` checks that the forms agree.
"""

from __future__ import annotations

__all__ = [
    "chooses", "flip", "give_probability", "intends_give", "noisy_give_probability", "played_give_probability",
    "transfers",
]


def chooses(draw, leave, give):
    """Steps 1-2: ``(leaves, gives)`` from one uniform ``draw``.

    Leaves where ``draw < leave``; otherwise gives where ``draw < leave + (1 - leave) give``.
    """
    leaves = draw < leave
    return leaves, (draw < leave + (1.0 - leave) * give) & ~leaves


def intends_give(draw, probability):
    """Step 2 without an exit: gives where ``draw < probability``."""
    return draw < probability


def flip(intended, draw, noise):
    """Step 3: the intention after noise, flipped where ``draw < noise``."""
    return intended ^ (draw < noise)


def transfers(give, draw, failure):
    """Step 4: a give transfers where ``draw >= failure`` (the failure probability)."""
    return give & (draw >= failure)


def noisy_give_probability(give, noise):
    """Steps 2-3 exactly, given no exit: ``give (1 - noise) + (1 - give) noise``."""
    return give * (1.0 - noise) + (1.0 - give) * noise


def played_give_probability(leave, give, noise):
    """Steps 1-3 exactly: the probability that the move played is a give."""
    return (1.0 - leave) * noisy_give_probability(give, noise)


def give_probability(give, noise, failure):
    """Steps 2-4 exactly, given no exit: the probability of a give that transfers."""
    return noisy_give_probability(give, noise) * (1.0 - failure)
