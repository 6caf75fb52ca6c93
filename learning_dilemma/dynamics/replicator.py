"""The replicator dynamics of an infinite population, one payoff matrix at a time.

``x_i' = x_i ((A x)_i - x . A x)`` (Taylor & Jonker 1978; Hofbauer & Sigmund
1998, ch. 7), integrated in log shares with :func:`scipy.integrate.solve_ivp`
until the shares rest at a *saturated* rest point (a Nash equilibrium of the
strategies present at the start: Hofbauer & Sigmund 1998, Theorem 7.2.1) or
``t_max``.

Why there are two replicator integrators
----------------------------------------
:func:`.batch.replicator_endpoints` integrates the same equation with the same
stopping rule for a stack of matrices, with a hand-written Dormand & Prince
(1980) 5(4) pair. It cannot serve :func:`replicator` (a stack of one) without
changing what :func:`replicator` returns:

- :func:`replicator` returns the *trajectory* at ``points`` evenly spaced
  times from 0 to the stopping time, read off the integrator's dense output
  (DOP853's interpolant). The batched integrator keeps only each point's
  current state; a sweep of thousands of points needs no trajectory, and
  carrying dense output for every point of the stack would cost memory and
  time it is written to save. The trajectory is what the tests of the
  conserved product ``x1 x2 x3`` in rock-paper-scissors, the quiet saddle of
  the larsson roster at ``t = 1263`` and :func:`~learning_dilemma.io.plots.plot_shares`
  read.
- :func:`replicator` stops at the root of the stopping condition, located on
  the dense output by :func:`~scipy.integrate.solve_ivp`'s event search; the
  batched integrator stops at the end of the first accepted step at which the
  condition holds. Stopping times, and so the final shares, differ (by up to
  ``1e-6`` in the shares, ``tests/dynamics/test_batch.py``).
- :func:`replicator` (DOP853, ``rtol = atol = 1e-10``) is the reference the
  batched integrator is tested against; replacing it with the batched one
  would change every number it returns and leave the batched integrator with
  nothing independent to be checked against.

What the two share is kept in one place: the equation in log shares
(:func:`log_replicator_field`), the stopping rule (:func:`rest_excess` against
:data:`CONVERGED_SPEED` times the spread of the payoffs), the time limit and
the survivor threshold.

References
----------
Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and game
dynamics. Mathematical Biosciences 40, 145-156.
Hofbauer, J. & Sigmund, K. (1998). Evolutionary Games and Population Dynamics.
Cambridge University Press.
Dormand, J. R. & Prince, P. J. (1980). A family of embedded Runge-Kutta
formulae. Journal of Computational and Applied Mathematics 6, 19-26.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._compat import deprecated_alias
from .._validation import check_count, check_number
from ..errors import ParameterError
from .measures import REPLICATOR_THRESHOLD, give_rate, surviving
from .validation import check_give_rates, check_payoffs, check_shares, check_threshold

__all__ = [
    "CONVERGED_SPEED",
    "REPLICATOR_T_MAX",
    "ReplicatorResult",
    "log_replicator_field",
    "replicator",
    "replicator_field",
    "rest_excess",
]

#: The replicator run stops once no share moves faster than this, relative to
#: the spread of the payoffs.
CONVERGED_SPEED = 1e-9
#: Default time limit of a replicator run. A rare strategy that can invade a
#: rest point may have fallen to a share of 1e-20 or less on the way there, and
#: at a growth rate of 0.02 it needs over 2,000 time units to come back
#: (docs/evolution.md).
REPLICATOR_T_MAX = 10_000.0


@dataclass(frozen=True, eq=False)
class ReplicatorResult:
    """A replicator-dynamics trajectory.

    Attributes
    ----------
    times : ndarray, shape (T,)
        Evenly spaced from 0 to the time the run stopped, or the requested
        ``t_eval``.
    shares : ndarray, shape (T, n)
        Population shares at those times (rows sum to 1).
    final : ndarray, shape (n,)
    survivors : tuple of int
        Strategies whose final share is at least the threshold.
    give_rate : float or None
        Give rate of the final population, ``x^T G x``.
    settled : bool
        Whether the run settled at a saturated rest point before ``t_max``:
        no share moving, and no strategy present at the start growing, faster
        than the tolerance (:func:`replicator`).

    ``give_share`` and ``converged`` are deprecated names of ``give_rate``
    and ``settled``.
    """

    times: np.ndarray
    shares: np.ndarray
    final: np.ndarray
    survivors: tuple
    give_rate: float | None
    settled: bool

    give_share = deprecated_alias("give_share", "give_rate")
    converged = deprecated_alias("converged", "settled")


def replicator_field(payoffs: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """The replicator equation ``x_i' = x_i ((A x)_i - x . A x)`` (Taylor &
    Jonker 1978). Shares are clipped at 0 and renormalised first, so rounding
    never drives the integration off the simplex."""
    x = np.clip(shares, 0.0, None)
    x = x / x.sum()
    fitness = payoffs @ x
    return x * (fitness - x @ fitness)


def log_replicator_field(payoffs: np.ndarray, log_shares: np.ndarray) -> np.ndarray:
    """The replicator equation in log shares, ``y_i' = (A x)_i - x . A x`` with
    ``x = softmax(y)``. A dying strategy's log share falls at a nearly steady
    rate where its share decays exponentially, so an adaptive integrator keeps
    long steps, and the shares can never leave the simplex."""
    x = np.exp(log_shares - log_shares.max())
    x /= x.sum()
    fitness = payoffs @ x
    return fitness - x @ fitness


def rest_excess(shares: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """How far shares are from a saturated rest point, along the last axis:
    the larger of the fastest share speed ``|x_i g_i|`` and the highest growth
    rate ``g_i`` of any strategy present, however rare (``g`` is the log-share
    field). A run has settled where this is at most its tolerance."""
    return np.maximum(np.abs(shares * growth).max(axis=-1), growth.max(axis=-1))


def replicator(
    payoffs,
    x0=None,
    t_max: float = REPLICATOR_T_MAX,
    points: int = 201,
    give_rates=None,
    threshold: float = REPLICATOR_THRESHOLD,
    t_eval=None,
) -> ReplicatorResult:
    """Integrate the replicator dynamics on a payoff matrix.

    ``x_i' = x_i ((A x)_i - x . A x)``: a strategy grows at the rate by which its
    payoff against the population exceeds the population's mean payoff (Taylor
    & Jonker 1978; Hofbauer & Sigmund 1998, ch. 7). Integrated in log shares
    (:func:`log_replicator_field`) with :func:`scipy.integrate.solve_ivp`
    (DOP853, ``rtol = atol = 1e-10``).

    The run stops early at a *saturated* rest point: no share moves faster,
    and no strategy present at the start grows at a higher rate (however rare
    it has become), than ``1e-9`` times the spread of the payoffs. The second
    condition matters: a trajectory can slow down next to a rest point that a
    nearly extinct strategy can invade, and only a saturated rest point (a
    Nash equilibrium of the strategies present at the start) can be the limit
    of a trajectory from the interior (Hofbauer & Sigmund 1998, Theorem
    7.2.1). Log shares keep the rare strategy's share exact however small it
    gets. For many matrices at once see
    :func:`.batch.replicator_endpoints`.

    Parameters
    ----------
    payoffs : array_like, shape (n, n)
        ``A[i, j]``: mean payoff per round of strategy ``i`` against ``j``.
    x0 : array_like, shape (n,), optional
        Initial shares (normalised to sum 1); uniform by default. Strategies
        starting at 0 stay at 0.
    t_max : float
        Longest integration time.
    points : int
        Number of evenly spaced times reported, from 0 to the stopping time.
    give_rates : array_like, shape (n, n), optional
        ``G[i, j]``: ``i``'s share of giving against ``j``.
    threshold : float
        Final share a survivor needs.
    t_eval : array_like, optional
        Report the shares at these times instead (non-decreasing, from 0), e.g.
        to compare a trajectory with another package's. The run then goes on to
        the last of them without stopping at a rest point, and ``points`` is
        ignored; ``settled`` still says whether it ends at a saturated rest point.

    Returns
    -------
    ReplicatorResult

    Examples
    --------
    The prisoner's dilemma: the defector takes over.

    >>> result = replicator([[3, 0], [5, 1]], give_rates=[[1, 1], [0, 0]])
    >>> result.survivors, round(result.give_rate, 6), result.settled
    ((1,), 0.0, True)
    """
    from scipy.integrate import solve_ivp

    A = check_payoffs(payoffs)
    n = len(A)
    G = check_give_rates(give_rates, n)
    x = check_shares(x0, n)
    t_max = check_number("t_max", t_max, 0.0, low_open=True)
    points = check_count("points", points, 2)
    threshold = check_threshold(threshold)
    requested = _check_times(t_eval, t_max)
    tolerance = CONVERGED_SPEED * max(float(np.ptp(A)), 1e-12)
    alive = np.flatnonzero(x > 0)  # absent strategies stay absent
    sub = A[np.ix_(alive, alive)]

    def shares_of(y):
        """Shares from log shares (the last axis), on the simplex."""
        full = np.zeros(y.shape[:-1] + (n,))
        e = np.exp(y - y.max(axis=-1, keepdims=True))
        full[..., alive] = e / e.sum(axis=-1, keepdims=True)
        return full

    def growth(t, y):
        return log_replicator_field(sub, y)

    def unsettled(t, y):
        """Positive until the shares rest at a saturated rest point (see above)."""
        rates = log_replicator_field(sub, y)
        present = np.exp(y - y.max())
        present /= present.sum()
        return rest_excess(present, rates) - tolerance

    unsettled.terminal, unsettled.direction = True, -1
    y0 = np.log(x[alive])
    if requested is not None:  # the trajectory at the requested times, no early stop
        end = float(requested[-1])
        if end == 0.0:
            shares = np.tile(x, (len(requested), 1))
            settled = unsettled(0.0, y0) <= 0
        else:
            solution = solve_ivp(growth, (0.0, end), y0, method="DOP853", rtol=1e-10, atol=1e-10, dense_output=True)
            if not solution.success:
                raise ParameterError(f"the replicator integration failed: {solution.message}")
            shares = shares_of(solution.sol(requested).T)
            settled = unsettled(end, solution.sol(end)) <= 0
        final = shares[-1]
        return ReplicatorResult(requested, shares, final, surviving(final, threshold), give_rate(final, G),
                                bool(settled))
    if unsettled(0.0, y0) <= 0:  # already settled: nothing to integrate
        times = np.linspace(0.0, 0.0, points)
        shares = np.tile(x, (points, 1))
        settled = True
    else:
        solution = solve_ivp(growth, (0.0, t_max), y0, method="DOP853", rtol=1e-10, atol=1e-10,
                             dense_output=True, events=unsettled)
        if not solution.success:
            raise ParameterError(f"the replicator integration failed: {solution.message}")
        times = np.linspace(0.0, solution.t[-1], points)
        shares = shares_of(solution.sol(times).T)
        settled = solution.status == 1 or unsettled(times[-1], solution.sol(times[-1])) <= 0
    final = shares[-1]
    return ReplicatorResult(times, shares, final, surviving(final, threshold), give_rate(final, G), bool(settled))


def _check_times(t_eval, t_max: float):
    """Requested report times: a non-empty, non-decreasing list of finite times in [0, t_max]."""
    if t_eval is None:
        return None
    try:
        times = np.asarray(t_eval, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"t_eval must be numbers, got {t_eval!r}") from None
    times = times.reshape(-1) if times.ndim == 0 else times
    if times.ndim != 1 or times.size == 0 or not np.all(np.isfinite(times)) or times.min() < 0 \
            or np.any(np.diff(times) < 0):
        raise ParameterError("t_eval must be a non-empty, non-decreasing list of finite times >= 0")
    if times[-1] > t_max:
        raise ParameterError(f"t_eval reaches {times[-1]:g}, beyond t_max={t_max:g}; raise t_max to integrate that long")
    return times
