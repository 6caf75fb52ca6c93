"""Evolutionary outcomes of many payoff matrices at once, for parameter sweeps.

A sweep asks, at each of thousands of grid points, where the replicator
dynamics lead from equal shares and where a finite population with rare
mutations spends its time. :mod:`.replicator` and :mod:`.fixation` answer that
for one matrix (:func:`~.replicator.replicator` with
:func:`scipy.integrate.solve_ivp`, :func:`~.fixation.small_mutation_limit`);
this module answers it for a stack
of matrices ``(P, n, n)`` in a few numpy calls per step, with the same
equations, stopping rule and thresholds:

- :func:`replicator_endpoints` integrates the replicator dynamics (Taylor &
  Jonker 1978) of every matrix with its own adaptive step. It works in log
  shares ``y = log x``, where the equation reads ``y_i' = (A x)_i - x . A x``
  with ``x = softmax(y)``: a dying strategy's log share falls at a nearly
  constant rate, so steps can grow long where the shares themselves shrink
  exponentially, and the shares never leave the simplex. The integrator is
  the Dormand & Prince (1980) 5(4) pair with the usual error control (Hairer,
  Norsett & Wanner 1993, II.4). A point stops, as in
  :func:`~.replicator.replicator`, at a saturated rest point (no share moves,
  and no strategy present at the start grows, faster than
  :data:`~.replicator.CONVERGED_SPEED` times the spread of its payoffs:
  :func:`~.replicator.rest_excess`), or at ``t_max``. Why
  :func:`~.replicator.replicator` keeps its own integrator is written in
  :mod:`.replicator`.
- :func:`small_mutation_limits` computes the exact fixation probabilities
  (Nowak et al. 2004; Traulsen et al. 2006) and the stationary distribution
  over monomorphic states (Fudenberg & Imhof 2006) of every matrix.

Each point's result depends only on its own matrix, never on the other points
in the stack, so a sweep gives the same numbers however it is split into
chunks or processes. ``tests/dynamics/test_batch.py`` checks both functions
against their one-matrix counterparts.

Results name quantities as the one-matrix results do: ``settled`` (a saturated
rest point was reached) and ``give_rates`` (one give rate per matrix); the old
names ``converged`` and ``give_shares`` still work and warn.

References
----------
Dormand, J. R. & Prince, P. J. (1980). A family of embedded Runge-Kutta
formulae. Journal of Computational and Applied Mathematics 6, 19-26.
Hairer, E., Norsett, S. P. & Wanner, G. (1993). Solving Ordinary Differential
Equations I, 2nd ed. Springer.
Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and game
dynamics. Mathematical Biosciences 40, 145-156.
Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of
cooperation and evolutionary stability in finite populations. Nature 428,
646-650.
Traulsen, A., Nowak, M. A. & Pacheco, J. M. (2006). Stochastic dynamics of
invasion and fixation. Physical Review E 74, 011909.
Fudenberg, D. & Imhof, L. A. (2006). Imitation processes with small mutations.
Journal of Economic Theory 131, 251-262.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._compat import deprecated_alias
from .._validation import check_number
from ..errors import ParameterError
from ..markov import stationary
from .fixation import embedded_generator, fixation_from_log_ratios, payoffs_with_mutants
from .measures import ABUNDANCE_THRESHOLD, REPLICATOR_THRESHOLD
from .replicator import CONVERGED_SPEED, REPLICATOR_T_MAX, rest_excess
from ..limits import LIMITS
from .validation import (
    check_fixation_work, check_intensity, check_payoffs, check_population, check_process, check_threshold,
)

__all__ = [
    "LOG_ATOL",
    "LOG_RTOL",
    "ReplicatorEndpoints",
    "SmallMutationLimits",
    "check_stack",
    "replicator_endpoints",
    "small_mutation_limits",
]

# Dormand & Prince (1980) 5(4) tableau; the 5th-order row doubles as the last
# stage's weights (first same as last).
_C = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0])
_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
]
_B = np.array([35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0])
# 5th minus 4th order weights: the local error estimate.
_E = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])

#: Error tolerances on the log shares (absolute, and relative to their size).
LOG_ATOL = 1e-9
LOG_RTOL = 1e-9
# Step-size controller: safety factor and the bounds on one change.
_SAFETY, _SHRINK, _GROW = 0.9, 0.2, 5.0
# Stacks are compacted to the points still running once at most this share runs.
_COMPACT = 0.5


def check_stack(payoffs, name: str = "payoffs") -> np.ndarray:
    """A stack of square payoff matrices ``(P, n, n)`` (one matrix is a stack of
    one), finite, at least 2 x 2, in C order."""
    return check_payoffs(payoffs, name, stacked=True)


def _check_rates(give_rates, shape) -> np.ndarray | None:
    if give_rates is None:
        return None
    rates = check_stack(give_rates, "give_rates")
    if rates.shape[0] == 1 and rates.shape[1:] == shape[1:]:
        rates = np.broadcast_to(rates, shape)
    if rates.shape != shape:
        raise ParameterError(f"give_rates must have the payoffs' shape {shape}, got {rates.shape}")
    if np.any(rates < 0) or np.any(rates > 1):
        raise ParameterError("give_rates must be shares of rounds, in [0, 1]")
    return rates


def _survivors(shares: np.ndarray, threshold: float) -> list[tuple]:
    return [tuple(int(i) for i in np.flatnonzero(row >= threshold)) for row in shares]


# --- replicator dynamics ---------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ReplicatorEndpoints:
    """Where the replicator dynamics of each matrix in a stack stopped.

    Attributes
    ----------
    final : ndarray, shape (P, n)
        Shares when the run stopped (rows sum to 1).
    stop_times : ndarray, shape (P,)
    settled : ndarray of bool, shape (P,)
        Whether the run settled at a saturated rest point before ``t_max``.
    survivors : list of tuple of int
        Per matrix, the strategies whose final share is at least the threshold.
    give_rates : ndarray, shape (P,), or None
        Give rate ``x^T G x`` at the final shares.
    steps : ndarray of int, shape (P,)
        Accepted integration steps.

    ``converged`` and ``give_shares`` are deprecated names of ``settled`` and
    ``give_rates``.
    """

    final: np.ndarray
    stop_times: np.ndarray
    settled: np.ndarray
    survivors: list
    give_rates: np.ndarray | None
    steps: np.ndarray

    converged = deprecated_alias("converged", "settled")
    give_shares = deprecated_alias("give_shares", "give_rates")


def _log_field(A: np.ndarray, y: np.ndarray, alive: np.ndarray | None):
    """``(dy/dt, x)``: the replicator equation in log shares, and the shares.

    Shifting by the largest log share keeps ``exp`` from overflowing; the
    field does not change when all log shares move together.
    ``alive`` (``None``: all) masks strategies absent from the start.
    """
    x = np.exp(y - y.max(axis=1, keepdims=True))
    x /= x.sum(axis=1, keepdims=True)
    fitness = np.matmul(A, x[:, :, None])[:, :, 0]
    growth = fitness - np.einsum("pi,pi->p", x, fitness)[:, None]
    if alive is not None:
        growth *= alive
    return growth, x


def _at_rest(x: np.ndarray, growth: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """Rows at a saturated rest point: no share moves (``|x_i g_i|``) and no
    strategy, however rare, grows (``g_i``), both within ``tolerance``
    (:func:`~.replicator.rest_excess`)."""
    return rest_excess(x, growth) <= tolerance


def _log_total(y: np.ndarray) -> np.ndarray:
    """``log(sum(exp(y)))`` of each row, as a column, without overflow."""
    top = y.max(axis=1, keepdims=True)
    return top + np.log(np.exp(y - top).sum(axis=1, keepdims=True))


def replicator_endpoints(
    payoffs,
    x0=None,
    t_max: float = REPLICATOR_T_MAX,
    give_rates=None,
    threshold: float = REPLICATOR_THRESHOLD,
) -> ReplicatorEndpoints:
    """Integrate the replicator dynamics of a stack of payoff matrices to rest.

    The same dynamics and stopping rule as :func:`.replicator.replicator`
    (which also returns the trajectory), for many matrices at once: each point
    stops at a saturated rest point (no share moves, and no strategy present
    at the start grows, faster than ``CONVERGED_SPEED`` times the spread of its
    payoffs), or at ``t_max``. Final shares agree with ``replicator``'s
    within ``1e-6`` (``tests/dynamics/test_batch.py``; typically ``1e-7``, the
    difference being mostly where each stops).

    Parameters
    ----------
    payoffs : array_like, shape (P, n, n) or (n, n)
    x0 : array_like, shape (n,) or (P, n), optional
        Initial shares (uniform by default); strategies starting at 0 stay at 0.
    t_max : float
    give_rates : array_like, shape (P, n, n) or (n, n), optional
    threshold : float
        Final share a survivor needs.

    Returns
    -------
    ReplicatorEndpoints

    Examples
    --------
    The prisoner's dilemma, and the same game with a bonus for mutual giving
    large enough to make giving a rest point that attracts equal shares.

    >>> ends = replicator_endpoints([[[3, 0], [5, 1]], [[7, 0], [5, 1]]], give_rates=[[1, 1], [0, 0]])
    >>> ends.survivors, ends.give_rates.round(6).tolist(), ends.settled.tolist()
    ([(1,), (0,)], [0.0, 1.0], [True, True])
    """
    A = check_stack(payoffs)
    count, n = A.shape[:2]
    G = _check_rates(give_rates, A.shape)
    t_max = check_number("t_max", t_max, 0.0, low_open=True)
    threshold = check_threshold(threshold)
    start = _start_shares(x0, count, n)
    alive = start > 0
    # Absent strategies get a huge negative log share instead of -inf, which
    # keeps the arithmetic free of inf - inf; their growth is masked to 0.
    y = np.where(alive, np.log(np.where(alive, start, 1.0)), np.finfo(float).min / 4)
    tolerance = CONVERGED_SPEED * np.maximum(np.ptp(A.reshape(count, -1), axis=1), 1e-12)

    final = np.empty((count, n))
    stop_times = np.zeros(count)
    settled = np.zeros(count, dtype=bool)
    steps = np.zeros(count, dtype=np.int64)
    mask = None if alive.all() else alive
    k, x = _log_field(A, y, mask)
    at_rest = _at_rest(x, k, tolerance)
    final[at_rest], settled[at_rest] = x[at_rest], True

    run = np.flatnonzero(~at_rest)  # original index of each row still integrated
    A, y, k, tolerance = A[run], y[run], k[run], tolerance[run]
    mask = None if mask is None else mask[run]
    live = np.ones(len(run), dtype=bool)  # rows not yet finished (kept until compaction)
    t = np.zeros(len(run))
    h = np.minimum(t_max, 0.1 / np.maximum(np.abs(k).max(axis=1), 1e-12))
    taken = np.zeros(len(run), dtype=np.int64)
    while live.any():
        if not np.all(h[live] > 1e-12 * np.maximum(t[live], 1.0)):  # also catches nan
            raise ParameterError("the replicator integration failed: the step size vanished")
        last = h >= t_max - t  # this step reaches t_max
        h = np.where(live, np.minimum(h, t_max - t), 0.0)
        stages = [k]
        for row in _A[1:]:
            increment = sum(a * s for a, s in zip(row, stages))
            stages.append(_log_field(A, y + h[:, None] * increment, mask)[0])
        y_new = y + h[:, None] * sum(b * s for b, s in zip(_B, stages) if b)
        k_new, x_new = _log_field(A, y_new, mask)
        stages.append(k_new)
        error = h[:, None] * sum(e * s for e, s in zip(_E, stages) if e)
        scale = LOG_ATOL + LOG_RTOL * np.maximum(np.abs(y), np.abs(y_new))
        norm = (np.abs(error) / scale).max(axis=1)  # absent strategies: no error, huge scale
        accept = live & (norm <= 1.0)
        with np.errstate(divide="ignore"):
            factor = np.clip(_SAFETY * norm ** -0.2, _SHRINK, _GROW)
        t = np.where(accept, np.where(last, t_max, t + h), t)
        # The flow keeps sum(exp(y)) = 1; restoring it removes the drift a long run accumulates.
        y = np.where(accept[:, None], y_new - _log_total(y_new), y)
        k = np.where(accept[:, None], k_new, k)
        taken += accept
        h = h * np.where(accept, factor, np.minimum(factor, 1.0))  # nan if the error is: stops the loop above
        rest = accept & _at_rest(x_new, k_new, tolerance)
        finished = rest | (accept & (t >= t_max))
        if finished.any():
            done = run[finished]
            final[done], stop_times[done] = x_new[finished], t[finished]
            settled[done], steps[done] = rest[finished], taken[finished]
            live &= ~finished
            if live.sum() <= _COMPACT * len(live):  # drop finished rows once they are the majority
                mask = None if mask is None else mask[live]
                run, A, y, k, tolerance, t, h, taken, live = (
                    v[live] for v in (run, A, y, k, tolerance, t, h, taken, live))
    final = np.clip(final, 0.0, None)
    final /= final.sum(axis=1, keepdims=True)
    rates = None if G is None else np.einsum("pi,pij,pj->p", final, G, final)
    return ReplicatorEndpoints(final, stop_times, settled, _survivors(final, threshold), rates, steps)


def _start_shares(x0, count: int, n: int) -> np.ndarray:
    if x0 is None:
        return np.full((count, n), 1.0 / n)
    try:
        x = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"x0 must be {n} shares per point, got {x0!r}") from None
    x = np.broadcast_to(x, (count, n)) if x.shape == (n,) else x
    if x.shape != (count, n) or not np.all(np.isfinite(x)) or np.any(x < 0) or np.any(x.sum(axis=1) <= 0):
        raise ParameterError(f"x0 must be {n} non-negative shares with a positive sum (per point), got shape "
                             f"{np.shape(x0)}")
    return x / x.sum(axis=1, keepdims=True)


# --- the small-mutation limit ------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SmallMutationLimits:
    """Stationary abundances under rare mutations, for each matrix in a stack.

    Attributes
    ----------
    distribution : ndarray, shape (P, n)
        Stationary distribution over the monomorphic states.
    survivors : list of tuple of int
        Per matrix, the strategies with abundance at least the threshold.
    give_rates : ndarray, shape (P,), or None
        ``sum_i pi_i G[i, i]``.

    ``give_shares`` is a deprecated name of ``give_rates``.
    """

    distribution: np.ndarray
    survivors: list
    give_rates: np.ndarray | None

    give_shares = deprecated_alias("give_shares", "give_rates")


#: Matrices per chunk of the fixation computation (bounds memory: a chunk holds
#: ``chunk * n * n * (N - 1)`` floats).
_FIXATION_CHUNK = 256
# Products of fitness ratios are formed directly (no logarithms) while the
# largest possible one stays below exp(_LINEAR_SAFE).
_LINEAR_SAFE = 600.0


def small_mutation_limits(
    payoffs,
    population: int,
    process: str = "moran",
    intensity=None,
    give_rates=None,
    threshold: float = ABUNDANCE_THRESHOLD,
) -> SmallMutationLimits:
    """:func:`.fixation.small_mutation_limit` for a stack of payoff matrices.

    The same exact fixation probabilities (in log space) and the same
    stationary distribution of the embedded chain over monomorphic states
    (Fudenberg & Imhof 2006), batched. A point whose distribution is not
    unique (selection so strong that fixation probabilities underflow) gets
    ``nan`` abundances instead of failing the stack.

    Examples
    --------
    >>> limits = small_mutation_limits([[3, 0], [5, 1]], 20, "pairwise", 1.0, give_rates=[[1, 1], [0, 0]])
    >>> limits.survivors, limits.give_rates.round(4).tolist()
    ([(1,)], [0.0])
    """
    A = check_stack(payoffs)
    count, n = A.shape[:2]
    G = _check_rates(give_rates, A.shape)
    N = check_population(population)
    cells = check_fixation_work(n, N)
    process = check_process(process)
    intensity = check_intensity(process, intensity, A)
    threshold = check_threshold(threshold)
    distribution = np.empty((count, n))
    # As many matrices at a time as keep a chunk's arrays within one matrix's limit
    # (a point's numbers never depend on its chunk).
    size = max(1, min(_FIXATION_CHUNK, LIMITS.chain_states // cells))
    for first in range(0, count, size):
        chunk = A[first:first + size]
        distribution[first:first + len(chunk)] = _stationary(_fixation(chunk, N, process, intensity))
    rates = None if G is None else np.einsum("pi,pii->p", distribution, G)
    return SmallMutationLimits(distribution, _survivors(np.nan_to_num(distribution, nan=-1.0), threshold), rates)


def _fixation(A: np.ndarray, N: int, process: str, intensity: float) -> np.ndarray:
    """``rho[p, i, j]``: fixation of one ``j`` among ``N - 1`` of ``i``
    (:func:`.fixation.fixation_probabilities`, batched)."""
    mutant, resident = payoffs_with_mutants(A, N)
    if process == "moran":
        resident = 1.0 - intensity + intensity * resident
        mutant = 1.0 - intensity + intensity * mutant
        # Decided per matrix, so a point's numbers never depend on its chunk.
        high = np.maximum(resident.max(axis=(1, 2, 3)), mutant.max(axis=(1, 2, 3)))
        low = np.minimum(resident.min(axis=(1, 2, 3)), mutant.min(axis=(1, 2, 3)))
        linear = (N - 1) * np.log(high / low) < _LINEAR_SAFE  # no product can overflow: skip the logarithms
        rho = np.empty(A.shape)
        if linear.any():
            ratios = np.cumprod(resident[linear] / mutant[linear], axis=-1)
            rho[linear] = 1.0 / (1.0 + ratios.sum(axis=-1))
        if linear.all():
            return rho
        log_ratios = np.log(resident[~linear]) - np.log(mutant[~linear])
        rho[~linear] = fixation_from_log_ratios(log_ratios)
        return rho
    return fixation_from_log_ratios(-intensity * (mutant - resident))


def _stationary(rho: np.ndarray) -> np.ndarray:
    """Stationary distributions of the embedded chains (:func:`.fixation.stationary_distribution`);
    NaN rows where no mutant can take over or the distribution is not unique."""
    generator, usable = embedded_generator(rho)
    pi = np.full(rho.shape[:2], np.nan)
    pi[usable] = stationary(generator[usable])
    return pi
