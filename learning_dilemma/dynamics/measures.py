"""What the dynamics read off a population: its survivors and its give rate.

A well-mixed infinite population of shares ``x`` gives at the rate ``x^T G x``
(each individual meets the population, itself included, as in the replicator
dynamics: Taylor & Jonker 1978; Hofbauer & Sigmund 1998). In a finite
population of counts ``c`` each individual meets the ``N - 1`` others (no
self-interaction, as in Nowak, Sasaki, Taylor & Fudenberg 2004), so the rate is
``(c^T G c - c . diag G) / (N (N - 1))``. Give rates are ``give_rate`` for one
population and ``give_rates`` for arrays of them; the old names
``give_share`` and ``population_give_share`` still work and warn.

References
----------
Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and game
dynamics. Mathematical Biosciences 40, 145-156.
Hofbauer, J. & Sigmund, K. (1998). Evolutionary Games and Population Dynamics.
Cambridge University Press.
Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of
cooperation and evolutionary stability in finite populations. Nature 428,
646-650.
"""

from __future__ import annotations

import numpy as np

from .._compat import warn_renamed

__all__ = [
    "ABUNDANCE_THRESHOLD",
    "REPLICATOR_THRESHOLD",
    "give_rate",
    "give_share",
    "population_give_rate",
    "population_give_share",
    "surviving",
]

#: Replicator shares above this survive (dying strategies decay to about 1e-8).
REPLICATOR_THRESHOLD = 1e-3
#: Finite-population abundances at or above this count as surviving. Mutation
#: alone keeps every strategy at a share of the order of the mutation
#: probability, so this must sit well above it.
ABUNDANCE_THRESHOLD = 0.05


def surviving(shares, threshold: float) -> tuple:
    """Indices of the strategies whose share is at least ``threshold``."""
    return tuple(int(i) for i in np.flatnonzero(np.asarray(shares) >= threshold))


def give_rate(shares, give_rates) -> float | None:
    """Give rate of a well-mixed infinite population, ``x^T G x``.

    Examples
    --------
    >>> give_rate([0.5, 0.5], [[1, 1], [0, 0]])
    0.5
    """
    if give_rates is None:
        return None
    shares = np.asarray(shares, dtype=float)
    return float(shares @ give_rates @ shares)


def population_give_rate(counts, give_rates) -> np.ndarray | None:
    """Give rates of finite populations of counts ``c`` (rows): each
    individual meets the ``N - 1`` others, ``(c^T G c - c . diag G) / (N (N - 1))``."""
    if give_rates is None:
        return None
    counts = np.asarray(counts, dtype=float)
    size = counts.sum(axis=-1)
    pairs = np.einsum("...i,ij,...j->...", counts, give_rates, counts) - counts @ np.diag(give_rates)
    return pairs / (size * (size - 1))


def give_share(shares, give_rates) -> float | None:
    """Deprecated: use :func:`give_rate`."""
    warn_renamed("give_share", "give_rate")
    return give_rate(shares, give_rates)


def population_give_share(counts, give_rates) -> np.ndarray | None:
    """Deprecated: use :func:`population_give_rate`."""
    warn_renamed("population_give_share", "population_give_rate")
    return population_give_rate(counts, give_rates)
