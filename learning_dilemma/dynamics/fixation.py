"""Finite populations: exact fixation probabilities and the small-mutation limit.

A single mutant ``j`` among ``N - 1`` residents ``i`` takes over with the
probability of a birth-death chain in the number of mutants (Nowak, Sasaki,
Taylor & Fudenberg 2004; Taylor, Fudenberg, Sasaki & Nowak 2004), under the
frequency-dependent Moran process (Moran 1958) or the pairwise-comparison
process with the Fermi rule (Traulsen, Nowak & Pacheco 2006). When mutations
are rare the population is almost always monomorphic and moves between
monomorphic states at rates proportional to those probabilities; the
stationary distribution of that embedded chain is where it spends its time
(Fudenberg & Imhof 2006). The stationary distribution is solved by
:func:`learning_dilemma.markov.stationary`, the package's one solver.

References
----------
Moran, P. A. P. (1958). Random processes in genetics. Proceedings of the
Cambridge Philosophical Society 54, 60-71.
Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of
cooperation and evolutionary stability in finite populations. Nature 428,
646-650.
Taylor, C., Fudenberg, D., Sasaki, A. & Nowak, M. A. (2004). Evolutionary game
dynamics in finite populations. Bulletin of Mathematical Biology 66, 1621-1644.
Traulsen, A., Nowak, M. A. & Pacheco, J. M. (2006). Stochastic dynamics of
invasion and fixation. Physical Review E 74, 011909.
Fudenberg, D. & Imhof, L. A. (2006). Imitation processes with small mutations.
Journal of Economic Theory 131, 251-262.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._compat import deprecated_alias
from ..errors import ParameterError
from ..markov import stationary
from .measures import ABUNDANCE_THRESHOLD, surviving
from .validation import (
    check_fixation_work,
    check_give_rates,
    check_intensity,
    check_payoffs,
    check_population,
    check_process,
    check_threshold,
)

__all__ = [
    "SmallMutationResult",
    "embedded_generator",
    "fixation_from_log_ratios",
    "fixation_probabilities",
    "log_transition_ratios",
    "payoffs_with_mutants",
    "small_mutation_limit",
    "stationary_distribution",
]


def payoffs_with_mutants(A: np.ndarray, N: int):
    """Mean payoffs of mutants and residents, excluding self-interaction, with
    ``k = 1..N-1`` mutants: arrays of shape (..., resident i, mutant j, k) for
    matrices ``A`` of shape (..., n, n) (Nowak et al. 2004; Taylor et al. 2004)."""
    k = np.arange(1, N, dtype=float)
    diagonal = np.diagonal(A, axis1=-2, axis2=-1)
    resident_self, mutant_self = diagonal[..., :, None, None], diagonal[..., None, :, None]
    mutant = (mutant_self * (k - 1) + np.swapaxes(A, -1, -2)[..., None] * (N - k)) / (N - 1)
    resident = (A[..., None] * k + resident_self * (N - k - 1)) / (N - 1)
    return mutant, resident


def log_transition_ratios(payoffs, population: int, process: str = "moran", intensity=None) -> np.ndarray:
    """``log(T-(k) / T+(k))`` for ``k = 1..N-1`` mutants, shape (n, n, N-1),
    indexed [resident, mutant, k - 1].

    Moran process (Nowak et al. 2004): fitness ``F = 1 - w + w * payoff`` and
    ``T-/T+ = F_resident / F_mutant``. Pairwise comparison with the Fermi rule
    (Traulsen, Nowak & Pacheco 2006): ``T-/T+ = exp(-beta (f_mutant -
    f_resident))``.
    """
    A = check_payoffs(payoffs)
    N = check_population(population)
    check_fixation_work(len(A), N)
    process = check_process(process)
    intensity = check_intensity(process, intensity, A)
    mutant, resident = payoffs_with_mutants(A, N)
    if process == "moran":
        return np.log1p(intensity * (resident - 1)) - np.log1p(intensity * (mutant - 1))
    return -intensity * (mutant - resident)


def fixation_from_log_ratios(log_ratios: np.ndarray) -> np.ndarray:
    """``1 / (1 + sum_k prod_{m <= k} r_m)`` from ``log r`` (the last axis),
    without overflow: cumulative sums and a log-sum-exp."""
    partial = np.cumsum(log_ratios, axis=-1)
    # log(1 + sum exp(partial)) without overflow.
    top = np.maximum(partial.max(axis=-1), 0.0)
    log_sum = top + np.log(np.exp(-top) + np.exp(partial - top[..., None]).sum(axis=-1))
    return np.exp(-log_sum)


def fixation_probabilities(payoffs, population: int, process: str = "moran", intensity=None) -> np.ndarray:
    """Exact probability that one mutant takes over a population of residents.

    For a birth-death chain in the number ``k`` of mutants, the fixation
    probability of a single mutant is (Nowak et al. 2004; Taylor et al. 2004;
    Traulsen et al. 2006)::

        rho = 1 / (1 + sum_{k=1}^{N-1} prod_{m=1}^{k} T-(m) / T+(m))

    computed in log space (cumulative sums and a log-sum-exp) so strong
    selection neither overflows nor loses precision. Payoffs exclude
    self-interaction: with ``k`` mutants ``j`` among residents ``i``, a mutant
    earns ``(A[j, j] (k - 1) + A[j, i] (N - k)) / (N - 1)``.

    Parameters
    ----------
    payoffs : array_like, shape (n, n)
        ``A[i, j]``: mean payoff per round of ``i`` against ``j``.
    population : int
        Population size ``N >= 2``.
    process : {"moran", "pairwise"}
        Frequency-dependent Moran process (Moran 1958; Nowak et al. 2004) or
        pairwise comparison with the Fermi rule (Traulsen et al. 2006).
    intensity : float, optional
        Moran: ``w`` in [0, 1], fitness ``1 - w + w * payoff`` (must stay
        positive). Pairwise: ``beta >= 0``. Defaults:
        :data:`~.validation.DEFAULT_INTENSITY`.

    Returns
    -------
    ndarray, shape (n, n)
        ``rho[i, j]``: fixation probability of a single ``j`` among ``N - 1``
        of ``i``; ``1 / N`` (neutral) on the diagonal.

    Examples
    --------
    A defector invades cooperators; a cooperator does not invade defectors.

    >>> rho = fixation_probabilities([[3, 0], [5, 1]], population=10, intensity=0.1)
    >>> bool(rho[0, 1] > 1 / 10 > rho[1, 0])
    True
    """
    return fixation_from_log_ratios(log_transition_ratios(payoffs, population, process, intensity))


@dataclass(frozen=True, eq=False)
class SmallMutationResult:
    """Where a finite population spends its time when mutations are rare.

    Attributes
    ----------
    fixation : ndarray, shape (n, n)
        ``rho[i, j]``: fixation probability of one ``j`` mutant among ``i``.
    distribution : ndarray, shape (n,)
        Stationary distribution over the monomorphic states.
    survivors : tuple of int
        Strategies with stationary abundance at least the threshold.
    give_rate : float or None
        ``sum_i pi_i G[i, i]``: the resident's give rate against itself,
        averaged over the stationary distribution.

    ``give_share`` is a deprecated name of ``give_rate``.
    """

    fixation: np.ndarray
    distribution: np.ndarray
    survivors: tuple
    give_rate: float | None

    give_share = deprecated_alias("give_share", "give_rate")


def embedded_generator(fixation: np.ndarray):
    """Generators of the embedded chains over monomorphic states, for a stack of
    fixation matrices ``(count, n, n)``: ``i -> j`` at rate ``rho[i, j] / (n - 1)``,
    rescaled by the largest rate (the scale cancels; it avoids tiny pivots).

    Returns ``(generators, usable)``; ``usable`` is False where no mutant can
    ever take over (no rate is positive).
    """
    count, n = fixation.shape[:2]
    rates = fixation / (n - 1)
    rates[:, np.arange(n), np.arange(n)] = 0.0
    scale = rates.max(axis=(1, 2))
    usable = scale > 0
    generator = rates / np.where(usable, scale, 1.0)[:, None, None]
    generator[:, np.arange(n), np.arange(n)] = -generator.sum(axis=2)
    return generator, usable


def stationary_distribution(fixation) -> np.ndarray:
    """Stationary distribution of the embedded chain over monomorphic states.

    With rare mutations the population is almost always monomorphic; a mutant
    of a uniformly chosen other strategy ``j`` arises in a population of ``i``
    and takes over with probability ``rho[i, j]`` (Fudenberg & Imhof 2006). The
    chain moves ``i -> j`` at rate ``rho[i, j] / (n - 1)``; its stationary
    distribution solves ``pi Q = 0``, ``sum pi = 1``.

    Parameters
    ----------
    fixation : array_like, shape (n, n)
        From :func:`fixation_probabilities`.

    Examples
    --------
    Two strategies: ``pi_0 / pi_1 = rho[1, 0] / rho[0, 1]``.

    >>> stationary_distribution([[0.5, 0.1], [0.3, 0.5]]).tolist()
    [0.75, 0.25]
    """
    rho = check_payoffs(fixation, "fixation")
    if np.any(rho < 0) or np.any(rho > 1):
        raise ParameterError("fixation must hold probabilities, in [0, 1]")
    generator, usable = embedded_generator(rho[None])
    if not usable[0]:
        raise ParameterError("no mutant can ever take over: the stationary distribution is not unique")
    pi = stationary(generator[0])
    if np.isnan(pi).any():
        raise ParameterError(
            "the stationary distribution is not unique: some fixation probabilities underflow to 0 "
            "(selection too strong for this population); lower the intensity or the population"
        )
    return pi


def small_mutation_limit(
    payoffs,
    population: int,
    process: str = "moran",
    intensity=None,
    give_rates=None,
    threshold: float = ABUNDANCE_THRESHOLD,
) -> SmallMutationResult:
    """Stationary abundances of the strategies when mutations are rare
    (Fudenberg & Imhof 2006), from the exact fixation probabilities.

    Parameters are those of :func:`fixation_probabilities`, plus
    ``give_rates`` (``G[i, j]``) and the ``threshold`` abundance of a survivor.

    Examples
    --------
    >>> limit = small_mutation_limit([[3, 0], [5, 1]], 20, "pairwise", 1.0, give_rates=[[1, 1], [0, 0]])
    >>> limit.survivors, round(limit.give_rate, 4)
    ((1,), 0.0)
    """
    A = check_payoffs(payoffs)
    G = check_give_rates(give_rates, len(A))
    threshold = check_threshold(threshold)
    rho = fixation_probabilities(A, population, process, intensity)
    pi = stationary_distribution(rho)
    rate = None if G is None else float(pi @ np.diag(G))
    return SmallMutationResult(rho, pi, surviving(pi, threshold), rate)
