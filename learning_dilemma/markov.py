"""Stationary distributions of Markov chains: the one solver every engine uses.

The exact engine needs the stationary distribution of each closed class of a
pairing's chain; the evolutionary dynamics need that of the embedded chain over
monomorphic populations (Fudenberg & Imhof 2006), one matrix at a time or a
whole grid stacked. All three solve ``pi G = 0, sum(pi) = 1`` for an
irreducible generator ``G`` (``I - M`` of a transition matrix ``M``, or a rate
matrix with its diagonal the negative row sums) by replacing the last balance
equation with the normalisation, a well-posed square system (Stewart 1994,
*Introduction to the Numerical Solution of Markov Chains*, s. 2.3.1).
"""

from __future__ import annotations

import numpy as np

__all__ = ["NEGATIVE_TOLERANCE", "stationary"]

# A solution with a component below this is not a distribution: the generator
# was not irreducible (its stationary distribution is not unique).
NEGATIVE_TOLERANCE = 1e-9


def stationary(generator) -> np.ndarray:
    """The stationary distribution of an irreducible generator, or of a stack of them.

    Parameters
    ----------
    generator : ndarray, shape (n, n) or (..., n, n), or scipy sparse (n, n)
        ``pi @ generator = 0``; its sign does not matter.

    Returns
    -------
    ndarray, shape (n,) or (..., n)
        Non-negative, summing to one; NaN where the system is singular or the
        solution is not a distribution (the generator is reducible).

    Examples
    --------
    >>> stationary(np.array([[0.1, -0.1], [-0.3, 0.3]])).tolist()
    [0.75, 0.25]
    """
    if not isinstance(generator, np.ndarray):
        return _sparse(generator)
    n = generator.shape[-1]
    if n == 1:
        return np.ones(generator.shape[:-1])
    system = np.swapaxes(generator, -1, -2).copy()
    system[..., -1, :] = 1.0
    target = np.zeros(generator.shape[:-1])
    target[..., -1] = 1.0
    if generator.ndim == 2:  # one chain: the common case of the exact engine, kept lean
        try:
            return _as_distribution(np.linalg.solve(system, target)[None])[0]
        except np.linalg.LinAlgError:
            return np.full(n, np.nan)
    stack = system.reshape(-1, n, n)
    flat_target = target.reshape(-1, n)
    pi = np.full(flat_target.shape, np.nan)
    try:
        pi[:] = np.linalg.solve(stack, flat_target[..., None])[..., 0]
    except np.linalg.LinAlgError:  # some system is singular: solve one by one to find it
        for k in range(len(stack)):
            try:
                pi[k] = np.linalg.solve(stack[k], flat_target[k])
            except np.linalg.LinAlgError:
                pass
    return _as_distribution(pi).reshape(target.shape)


def _sparse(generator) -> np.ndarray:
    from scipy.sparse.linalg import spsolve

    n = generator.shape[0]
    if n == 1:
        return np.ones(1)
    system = generator.T.tolil()
    system[n - 1, :] = np.ones(n)
    target = np.zeros(n)
    target[-1] = 1.0
    pi = np.asarray(spsolve(system.tocsc(), target)).reshape(1, n)
    return _as_distribution(pi)[0]


def _as_distribution(pi: np.ndarray) -> np.ndarray:
    """Rows clipped at 0 and normalised; NaN rows where the solve did not give a distribution."""
    lowest = pi.min(axis=1)
    bad = ~(lowest >= -NEGATIVE_TOLERANCE) | ~np.isfinite(pi.max(axis=1))  # NaN fails the first test
    pi = np.maximum(pi, 0.0)
    pi[bad] = np.nan
    return pi / pi.sum(axis=1, keepdims=True)
