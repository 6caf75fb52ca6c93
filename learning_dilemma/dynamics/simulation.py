"""A seeded stochastic run of a finite population with mutation.

The frequency-dependent Moran process (Moran 1958; Nowak, Sasaki, Taylor &
Fudenberg 2004) or the pairwise-comparison process with the Fermi rule
(Traulsen, Nowak & Pacheco 2006), each with mutation (exploration). Steps that
change nothing are skipped exactly: the run is the *jump chain* of the
process, the waiting time to the next change drawn from its geometric
distribution, so a monomorphic population between rare mutations costs almost
nothing. With rare mutations the time averages approach the small-mutation
limit of :mod:`.fixation` (Fudenberg & Imhof 2006).

References
----------
Moran, P. A. P. (1958). Random processes in genetics. Proceedings of the
Cambridge Philosophical Society 54, 60-71.
Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of
cooperation and evolutionary stability in finite populations. Nature 428,
646-650.
Traulsen, A., Nowak, M. A. & Pacheco, J. M. (2006). Stochastic dynamics of
invasion and fixation. Physical Review E 74, 011909.
Fudenberg, D. & Imhof, L. A. (2006). Imitation processes with small mutations.
Journal of Economic Theory 131, 251-262.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._compat import deprecated_alias
from .._validation import check_count, check_probability
from ..errors import ParameterError
from ..limits import check
from ..seeding import root_entropy
from .measures import ABUNDANCE_THRESHOLD, population_give_rate, surviving
from .validation import (
    check_give_rates,
    check_intensity,
    check_payoffs,
    check_population,
    check_process,
    check_threshold,
)

__all__ = ["SimulationResult", "simulate"]

#: Uniform draws fetched from the generator at a time by :func:`simulate`.
_DRAW_BLOCK = 3 * 4096
#: Changes between two calls of :func:`simulate`'s ``progress``.
_PROGRESS_EVERY = 1 << 16


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """A simulated finite-population run.

    Attributes
    ----------
    counts : ndarray of int, shape (generations + 1, n)
        Counts of each strategy at the start and after each generation (``N``
        elementary birth-death or imitation steps).
    population : int
    mean_shares : ndarray, shape (n,)
        Shares averaged over every elementary step of the run.
    give_rate : float or None
        Give rate averaged over every step (each individual meets the
        ``N - 1`` others).
    survivors : tuple of int
        Strategies whose time-averaged share is at least the threshold.
    events : int
        Elementary steps that changed the counts.
    entropy : int
        The seed's entropy; the same entropy repeats the run exactly.

    ``give_share`` is a deprecated name of ``give_rate``.
    """

    counts: np.ndarray
    population: int
    mean_shares: np.ndarray
    give_rate: float | None
    survivors: tuple
    events: int
    entropy: int

    give_share = deprecated_alias("give_share", "give_rate")

    @property
    def times(self) -> np.ndarray:
        """Generations ``0, 1, ..., G``."""
        return np.arange(len(self.counts))

    @property
    def shares(self) -> np.ndarray:
        """Shares after each generation, shape (generations + 1, n)."""
        return self.counts / self.population

    @property
    def final(self) -> np.ndarray:
        return self.shares[-1]


def simulate(
    payoffs,
    population: int = 50,
    generations: int = 1000,
    mutation: float = 0.01,
    process: str = "moran",
    intensity=None,
    seed=None,
    start=None,
    give_rates=None,
    threshold: float = ABUNDANCE_THRESHOLD,
    progress=None,
) -> SimulationResult:
    """Simulate the Moran or pairwise-comparison process with mutation.

    Each elementary step (``N`` per generation):

    - Moran (Moran 1958; Nowak et al. 2004): an individual is chosen to
      reproduce with probability proportional to its fitness ``1 - w + w f``,
      its offspring replaces a uniformly chosen individual (possibly the
      parent); with probability ``mutation`` the offspring is a uniformly chosen
      other strategy.
    - Pairwise comparison (Traulsen, Nowak & Pacheco 2006): a uniformly chosen
      focal individual compares itself with a uniformly chosen other one and
      adopts its strategy with probability ``1 / (1 + exp(-beta (f_model -
      f_focal)))``; with probability ``mutation`` it switches instead to a
      uniformly chosen other strategy (exploration).

    ``f`` is the mean payoff against the ``N - 1`` others. Steps that change
    nothing are skipped exactly: the number of steps to the next change is
    drawn from its geometric distribution, so a population that is
    monomorphic between rare mutations costs almost nothing.

    Parameters
    ----------
    payoffs : array_like, shape (n, n)
    population : int
        ``N >= 2``.
    generations : int
        Length of the run, ``N`` steps each.
    mutation : float
        Mutation (exploration) probability per step, in [0, 1]. 0 makes
        monomorphic states absorbing.
    process : {"moran", "pairwise"}
    intensity : float, optional
        As in :func:`~.fixation.fixation_probabilities`.
    seed : int, optional
        Seed of every draw (a numpy Generator); ``None`` draws fresh entropy,
        kept in :attr:`SimulationResult.entropy`.
    start : array_like of int, shape (n,), optional
        Initial counts summing to ``N``; by default as equal as possible.
    give_rates : array_like, shape (n, n), optional
    threshold : float
        Time-averaged share a survivor needs.
    progress : callable, optional
        Called as ``progress(done_steps, total_steps)`` now and then during the
        run (every few ten thousand changes) and once at its end; a
        :class:`~learning_dilemma.io.progress.ProgressBar` fits.

    The run's elementary steps (``generations x population``) and the counts it
    records (``(generations + 1) x strategies``) are refused above the
    ``generations`` resource limit (:mod:`learning_dilemma.limits`) before
    anything is allocated.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> run = simulate([[3, 0], [5, 1]], population=20, generations=200, mutation=0.0, seed=1)
    >>> run.final.tolist()
    [0.0, 1.0]
    """
    A = check_payoffs(payoffs)
    n = len(A)
    N = check_population(population)
    generations = check_run(generations, N, n)
    if progress is not None and not callable(progress):
        raise ParameterError(f"progress must be a function of (done, total), got {progress!r}")
    mutation = check_probability("mutation", mutation)
    process = check_process(process)
    intensity = check_intensity(process, intensity, A)
    G = check_give_rates(give_rates, n)
    threshold = check_threshold(threshold)
    counts = _check_start(start, n, N)
    entropy = root_entropy(seed)
    rng = np.random.default_rng(np.random.SeedSequence(entropy))

    steps = generations * N
    times, losers, gainers = _jump_chain(A, counts, steps, process, intensity, mutation, rng, progress)
    if progress is not None:
        progress(steps, steps)
    # Counts after each change, then at each generation boundary.
    change = np.zeros((len(times), n), dtype=np.int64)
    change[np.arange(len(times)), gainers] += 1
    change[np.arange(len(times)), losers] -= 1
    states = np.vstack([counts, counts + np.cumsum(change, axis=0)])
    boundaries = np.arange(generations + 1) * N
    recorded = states[np.searchsorted(times, boundaries, side="right")]
    # Each state holds from its change to the next one (steps 0..steps-1).
    dwell = np.diff(np.concatenate([[0], times, [steps]])).astype(float)
    mean_shares = dwell @ states / (steps * N)
    rate = None if G is None else float(dwell @ population_give_rate(states, G) / steps)
    return SimulationResult(recorded, N, mean_shares, rate, surviving(mean_shares, threshold), len(times), entropy)


def check_run(generations, N: int, n: int) -> int:
    """Whole ``generations >= 1``; the run's elementary steps (``generations x
    N``) and recorded counts (``(generations + 1) x n``) within the
    ``generations`` resource limit. Returns ``generations``."""
    generations = check_count("generations", generations, 1)
    check("generations", generations * N, f"generations={generations} x population={N} elementary steps")
    check("generations", (generations + 1) * n, f"generations={generations} x {n} strategies of recorded counts")
    return generations


def _check_start(start, n: int, N: int) -> np.ndarray:
    if start is None:
        counts = np.full(n, N // n, dtype=np.int64)
        counts[: N % n] += 1
        return counts
    counts = np.asarray(start)
    if (
        counts.shape != (n,) or not np.issubdtype(counts.dtype, np.integer)
        or np.any(counts < 0) or counts.sum() != N
    ):
        raise ParameterError(f"start must be {n} whole-number counts summing to the population {N}, got {start!r}")
    return counts.astype(np.int64)


def _jump_chain(A, counts, steps, process, intensity, mutation, rng, progress=None):
    """The changes of a run: step numbers (1-based) and, for each, the strategy
    that lost an individual and the one that gained it.

    Pure Python on lists: with a handful of strategies a step costs a few
    microseconds, far less than numpy's per-call overhead.
    """
    A = A.tolist()
    n, N = len(A), int(sum(counts))
    c = [int(x) for x in counts]
    totals = [sum(A[i][j] * c[j] for j in range(n)) for i in range(n)]  # payoff sums, self included
    rates = _moran_rates if process == "moran" else _pairwise_rates
    draws, used = [], 0
    step, times, losers, gainers = 0, [], [], []
    while True:
        fitness = [(totals[i] - A[i][i]) / (N - 1) for i in range(n)]
        p_change, choose = rates(c, fitness, N, intensity, mutation)
        if p_change <= 0:
            break  # absorbed: nothing can change any more
        if used + 3 > len(draws):
            draws, used = rng.random(_DRAW_BLOCK).tolist(), 0
        u_wait, u_first, u_second = draws[used : used + 3]
        used += 3
        # Steps until the next change: 1 + a geometric number of idle steps
        # (a float first, so a near-absorbed population cannot overflow int).
        idle = math.log1p(-u_wait) / math.log1p(-p_change) if p_change < 1 else 0.0
        if idle >= steps - step:
            break
        step += 1 + int(idle)
        loser, gainer = choose(u_first, u_second)
        c[loser] -= 1
        c[gainer] += 1
        for i in range(n):
            totals[i] += A[i][gainer] - A[i][loser]
        times.append(step)
        losers.append(loser)
        gainers.append(gainer)
        if progress is not None and not len(times) % _PROGRESS_EVERY:
            progress(step, steps)
    return np.array(times, dtype=np.int64), np.array(losers, dtype=np.intp), np.array(gainers, dtype=np.intp)


def _pick(weights, total, u, skip=-1) -> int:
    """Index drawn with probability ``weights / total`` by the uniform ``u``."""
    target, last = u * total, -1
    for i, weight in enumerate(weights):
        if i == skip or weight <= 0:
            continue
        last = i
        target -= weight
        if target < 0:
            return i
    return last  # rounding at the top end


def _moran_rates(c, fitness, N, w, mutation):
    """Probability that a Moran step changes the counts, and a chooser of the
    change. Offspring type ``b`` has probability ``q_b = (1 - mu) p_b + mu (1 -
    p_b) / (n - 1)`` with ``p_b`` the fitness-weighted share of ``b``; the
    change ``d -> b`` has probability ``(c_d / N) q_b``, ``b != d``."""
    n = len(c)
    weights = [c[i] * (1 - w + w * fitness[i]) for i in range(n)]
    total = sum(weights)
    offspring = [(1 - mutation) * x / total + mutation * (1 - x / total) / (n - 1) for x in weights]
    leaving = [c[d] * (1 - offspring[d]) for d in range(n)]
    p_change = sum(leaving) / N

    def choose(u_first, u_second):
        loser = _pick(leaving, sum(leaving), u_first)
        return loser, _pick(offspring, 1 - offspring[loser], u_second, skip=loser)

    return p_change, choose


def _pairwise_rates(c, fitness, N, beta, mutation):
    """Probability that a pairwise-comparison step changes the counts, and a
    chooser of the change: imitation ``d -> b`` with probability ``(1 - mu)
    (c_d / N) (c_b / (N - 1)) fermi(beta (f_b - f_d))``, or exploration with
    probability ``mu``."""
    n = len(c)
    present = [i for i in range(n) if c[i]]
    pairs, weights = [], []
    for d in present:
        for b in present:
            if b != d:
                pairs.append((d, b))
                weights.append(c[d] * c[b] * 0.5 * (1 + math.tanh(0.5 * beta * (fitness[b] - fitness[d]))))
    imitation = (1 - mutation) * sum(weights) / (N * (N - 1))
    p_change = mutation + imitation

    def choose(u_first, u_second):
        target = u_first * p_change
        if target < mutation:  # exploration: a uniform individual turns into another strategy
            loser = _pick(c, N, target / mutation)
            gainer = int(u_second * (n - 1))
            return loser, gainer + (gainer >= loser)
        return pairs[_pick(weights, sum(weights), u_second)]

    return p_change, choose
