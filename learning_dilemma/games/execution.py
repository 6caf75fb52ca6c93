"""How an intended move is played: intention, noise, then tacit knowledge.

A round's move goes through three steps (``docs/model.md``, "One round, in order"):

1. **Intention.** The strategy gives with its probability ``p``: a give where a
   uniform draw falls below ``p``.
2. **Noise**, axelrod's ``noise=``: the intention is flipped with probability
   ``noise`` (Selten 1975's trembling hand; Axelrod 1984, ch. 8 on
   misunderstanding). The seeds are silent on noise; it is here so that noisy
   axelrod tournaments can be reproduced.
3. **Tacit knowledge** (Larsson et al. 1998): an intended give fails to transfer
   and is played as a take with the player's ``tacitness``. (The second edition
   makes tacit transfer partial and private, issue 15.)

Each step is written once, in its sampled form for both simulation engines
(:func:`intends_give`, :func:`flip`, :func:`transfers`, for Python numbers and
numpy arrays alike) and in its exact form for the exact engine
(:func:`give_probability`, the probability that the move played is a give).
``tests/contracts/test_execution.py`` checks that the forms agree.
"""

from __future__ import annotations

__all__ = ["flip", "give_probability", "intends_give", "noisy_give_probability", "transfers"]


def intends_give(draw, probability):
    """Step 1: the strategy intends to give where ``draw < probability``."""
    return draw < probability


def flip(intended, draw, noise):
    """Step 2: the intention after noise, flipped where ``draw < noise``."""
    return intended ^ (draw < noise)


def transfers(give, draw, tacitness):
    """Step 3: an intended give is played as a give where ``draw >= tacitness``."""
    return give & (draw >= tacitness)


def noisy_give_probability(give, noise):
    """Steps 1-2 exactly: ``give (1 - noise) + (1 - give) noise``."""
    return give * (1.0 - noise) + (1.0 - give) * noise


def give_probability(give, noise, tacitness):
    """Steps 1-3 exactly: the probability that the move played is a give."""
    return noisy_give_probability(give, noise) * (1.0 - tacitness)
