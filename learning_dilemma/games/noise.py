"""Noise: the trembling hand, as axelrod's ``noise=`` means it.

Each intended move is flipped with probability ``noise`` (Selten 1975's
trembling hand; Axelrod 1984, ch. 8 on misunderstanding; axelrod's
``Match(noise=...)``), and both players see the move as played. In a round the
order is: the strategy's intention (``u < p``), then noise, then tacitness (a
give that fails to transfer, :mod:`learning_dilemma.engine`). The seeds are
silent on noise; it is here so that noisy axelrod tournaments can be reproduced.

One rule, three forms (checked against each other by
``tests/contracts/test_noise.py``):

- :func:`flip`: a sampled intention flipped where a uniform draw falls below
  ``noise``, for Python booleans and numpy arrays alike (both simulation engines);
- :func:`noisy_give_probability`: the probability that the move played is a give,
  for the exact engine.
"""

from __future__ import annotations

__all__ = ["flip", "noisy_give_probability"]


def flip(intended, draw, noise):
    """The intention after noise: flipped where ``draw < noise``."""
    return intended ^ (draw < noise)


def noisy_give_probability(give, noise):
    """The probability that a player who intends to give with probability
    ``give`` plays a give: ``give (1 - noise) + (1 - give) noise``."""
    return give * (1.0 - noise) + (1.0 - give) * noise
