"""Evolutionary dynamics on a payoff matrix: does giving emerge?

Strategies compete in a population; the more a strategy earns against the
population, the more it spreads. The input is a payoff matrix ``A`` where
``A[i, j]`` is the mean payoff per round of strategy ``i`` against ``j`` (for
example :attr:`learning_dilemma.results.TournamentResults.payoff_matrix` of a tournament
with self-play) and, optionally, a give-rate matrix ``G`` where ``G[i, j]`` is
``i``'s share of rounds in which it gave against ``j``
(:attr:`~learning_dilemma.results.TournamentResults.give_matrix`). Four views of the same
question:

- :func:`replicator`: the replicator dynamics of an infinite population (Taylor
  & Jonker 1978; Hofbauer & Sigmund 1998), integrated in log shares with
  :func:`scipy.integrate.solve_ivp`
  (:mod:`.evolution_batch` does it for a whole sweep's matrices at once).
- :func:`fixation_probabilities`: the exact probability that a single mutant
  takes over a finite population of ``N``, under the frequency-dependent Moran
  process (Moran 1958; Nowak, Sasaki, Taylor & Fudenberg 2004; Taylor,
  Fudenberg, Sasaki & Nowak 2004) or the pairwise-comparison process with the
  Fermi rule (Traulsen, Nowak & Pacheco 2006).
- :func:`small_mutation_limit`: where the population spends its time when
  mutations are rare (Fudenberg & Imhof 2006).
- :func:`simulate`: a seeded stochastic run of either process with mutation.

:func:`evolve` runs all of them and returns an :class:`EvolutionReport` whose
headline is the share of giving in the evolved population. The equations and
choices are documented in ``docs/evolution.md``.

References
----------
Taylor, P. D. & Jonker, L. B. (1978). Evolutionarily stable strategies and game
dynamics. Mathematical Biosciences 40, 145-156.
Hofbauer, J. & Sigmund, K. (1998). Evolutionary Games and Population Dynamics.
Cambridge University Press.
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

import math
import os
from dataclasses import dataclass, field

import numpy as np

from ..errors import ParameterError
from ..markov import stationary
from .._validation import check_count, check_number, check_probability
from ..seeding import root_entropy

#: The finite-population processes: the frequency-dependent Moran process
#: (birth proportional to fitness, random death) and the pairwise-comparison
#: process (imitation of a random model with the Fermi probability).
PROCESSES = ("moran", "pairwise")
#: Selection intensity when none is given: Moran ``w`` (fitness ``1 - w + w *
#: payoff``) and pairwise-comparison ``beta``.
DEFAULT_INTENSITY = {"moran": 0.5, "pairwise": 1.0}
#: Replicator shares above this survive (dying strategies decay to about 1e-8).
REPLICATOR_THRESHOLD = 1e-3
#: Finite-population abundances at or above this count as surviving. Mutation
#: alone keeps every strategy at a share of the order of the mutation
#: probability, so this must sit well above it.
ABUNDANCE_THRESHOLD = 0.05
#: The replicator run stops once no share moves faster than this, relative to
#: the spread of the payoffs.
CONVERGED_SPEED = 1e-9
#: Default time limit of a replicator run. A rare strategy that can invade a
#: rest point may have fallen to a share of 1e-20 or less on the way there, and
#: at a growth rate of 0.02 it needs over 2,000 time units to come back
#: (docs/evolution.md).
REPLICATOR_T_MAX = 10_000.0
#: Uniform draws fetched from the generator at a time by :func:`simulate`.
_DRAW_BLOCK = 3 * 4096


# --- validation ---------------------------------------------------------------

def check_payoffs(payoffs, name: str = "payoffs", stacked: bool = False) -> np.ndarray:
    """The payoff matrix as a float array, or a :class:`ParameterError`.

    It must be square, at least 2 x 2 and finite. With ``stacked``, a stack of
    such matrices ``(P, n, n)`` is accepted too (one matrix becomes a stack of
    one), returned in C order so that sums over it run in the same order
    whatever the caller's layout.
    """
    try:
        matrix = np.array(payoffs, dtype=float, order="C")
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a square matrix of numbers, got {payoffs!r}") from None
    if stacked and matrix.ndim == 2:
        matrix = matrix[None]
    square = matrix.ndim == (3 if stacked else 2) and matrix.shape[-1] == matrix.shape[-2]
    if not square:
        expected = "(n, n) or (points, n, n)" if stacked else "(n, n)"
        raise ParameterError(f"{name} must be a square {expected} matrix, got shape {matrix.shape}")
    if matrix.shape[-1] < 2:
        raise ParameterError(f"{name} needs at least 2 strategies, got {matrix.shape[-1]}")
    if not np.all(np.isfinite(matrix)):
        raise ParameterError(f"{name} must be finite, got nan or inf at {tuple(np.argwhere(~np.isfinite(matrix))[0])}")
    return matrix


def check_give_rates(give_rates, n: int) -> np.ndarray | None:
    """The give-rate matrix (``None`` stays ``None``): (n, n), entries in [0, 1]."""
    if give_rates is None:
        return None
    matrix = check_payoffs(give_rates, "give_rates")
    if matrix.shape != (n, n):
        raise ParameterError(f"give_rates must have the payoffs' shape {(n, n)}, got {matrix.shape}")
    if np.any(matrix < 0) or np.any(matrix > 1):
        raise ParameterError("give_rates must be shares of rounds, in [0, 1]")
    return matrix


def check_names(names, n: int) -> tuple:
    """Strategy names, ``strategy 1``... when ``None``."""
    if names is None:
        return tuple(f"strategy {i + 1}" for i in range(n))
    names = tuple(str(name) for name in names)
    if len(names) != n:
        raise ParameterError(f"names must name the {n} strategies of the payoff matrix, got {len(names)}")
    return names


def check_process(process) -> str:
    if process not in PROCESSES:
        raise ParameterError(f"process must be one of {', '.join(PROCESSES)}, got {process!r}")
    return process


def check_intensity(process: str, intensity, payoffs: np.ndarray) -> float:
    """Selection intensity: Moran ``w`` in [0, 1] with positive fitness, or
    pairwise-comparison ``beta >= 0``; ``None`` gives the process default."""
    if intensity is None:
        intensity = DEFAULT_INTENSITY[process]
    if process == "pairwise":
        return check_number("intensity (beta)", intensity, 0.0)
    w = check_number("intensity (w)", intensity, 0.0, 1.0)
    lowest = float(payoffs.min())
    if 1 - w + w * lowest <= 0:
        limit = 1 / (1 - lowest)
        raise ParameterError(
            f"Moran fitness 1 - w + w*payoff must be positive: the lowest payoff {lowest:g} needs "
            f"w < {limit:.3g}, got w={w:g}; lower the intensity or use process='pairwise'"
        )
    return w


def check_population(population) -> int:
    return check_count("population", population, 2)


def check_threshold(threshold) -> float:
    return check_number("threshold", threshold, 0.0, 1.0)


def surviving(shares, threshold: float) -> tuple:
    """Indices of the strategies whose share is at least ``threshold``."""
    return tuple(int(i) for i in np.flatnonzero(np.asarray(shares) >= threshold))


def give_share(shares, give_rates) -> float | None:
    """Share of giving in a well-mixed infinite population, ``x^T G x``."""
    if give_rates is None:
        return None
    shares = np.asarray(shares, dtype=float)
    return float(shares @ give_rates @ shares)


def population_give_share(counts, give_rates) -> np.ndarray | None:
    """Share of giving in finite populations of counts ``c`` (rows): each
    individual meets the ``N - 1`` others, ``(c^T G c - c . diag G) / (N (N - 1))``."""
    if give_rates is None:
        return None
    counts = np.asarray(counts, dtype=float)
    size = counts.sum(axis=-1)
    pairs = np.einsum("...i,ij,...j->...", counts, give_rates, counts) - counts @ np.diag(give_rates)
    return pairs / (size * (size - 1))


# --- replicator dynamics --------------------------------------------------------

@dataclass(frozen=True, eq=False)
class ReplicatorResult:
    """A replicator-dynamics trajectory.

    Attributes
    ----------
    times : ndarray, shape (T,)
        Evenly spaced from 0 to the time the run stopped.
    shares : ndarray, shape (T, n)
        Population shares at those times (rows sum to 1).
    final : ndarray, shape (n,)
    survivors : tuple of int
        Strategies whose final share is at least the threshold.
    give_share : float or None
        Share of giving in the final population, ``x^T G x``.
    converged : bool
        Whether the run settled at a saturated rest point before ``t_max``:
        no share moving, and no strategy present at the start growing, faster
        than the tolerance (:func:`replicator`).
    """

    times: np.ndarray
    shares: np.ndarray
    final: np.ndarray
    survivors: tuple
    give_share: float | None
    converged: bool


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


def replicator(
    payoffs,
    x0=None,
    t_max: float = REPLICATOR_T_MAX,
    points: int = 201,
    give_rates=None,
    threshold: float = REPLICATOR_THRESHOLD,
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
    :func:`.evolution_batch.replicator_endpoints`.

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

    Returns
    -------
    ReplicatorResult

    Examples
    --------
    The prisoner's dilemma: the defector takes over.

    >>> result = replicator([[3, 0], [5, 1]], give_rates=[[1, 1], [0, 0]])
    >>> result.survivors, round(result.give_share, 6)
    ((1,), 0.0)
    """
    from scipy.integrate import solve_ivp

    A = check_payoffs(payoffs)
    n = len(A)
    G = check_give_rates(give_rates, n)
    x = _check_shares(x0, n)
    t_max = check_number("t_max", t_max, 0.0, low_open=True)
    points = check_count("points", points, 2)
    threshold = check_threshold(threshold)
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
        return max(np.abs(present * rates).max(), rates.max()) - tolerance

    unsettled.terminal, unsettled.direction = True, -1
    y0 = np.log(x[alive])
    if unsettled(0.0, y0) <= 0:  # already settled: nothing to integrate
        times = np.linspace(0.0, 0.0, points)
        shares = np.tile(x, (points, 1))
        converged = True
    else:
        solution = solve_ivp(growth, (0.0, t_max), y0, method="DOP853", rtol=1e-10, atol=1e-10,
                             dense_output=True, events=unsettled)
        if not solution.success:
            raise ParameterError(f"the replicator integration failed: {solution.message}")
        times = np.linspace(0.0, solution.t[-1], points)
        shares = shares_of(solution.sol(times).T)
        converged = solution.status == 1 or unsettled(times[-1], solution.sol(times[-1])) <= 0
    final = shares[-1]
    return ReplicatorResult(times, shares, final, surviving(final, threshold), give_share(final, G), bool(converged))


def _check_shares(x0, n: int) -> np.ndarray:
    if x0 is None:
        return np.full(n, 1.0 / n)
    try:
        x = np.array(x0, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"x0 must be {n} shares, got {x0!r}") from None
    if x.shape != (n,) or not np.all(np.isfinite(x)) or np.any(x < 0) or x.sum() <= 0:
        raise ParameterError(f"x0 must be {n} non-negative shares with a positive sum, got {x0!r}")
    return x / x.sum()


# --- exact fixation probabilities -------------------------------------------------

def _payoffs_with_mutants(A: np.ndarray, N: int):
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
    process = check_process(process)
    strength = check_intensity(process, intensity, A)
    mutant, resident = _payoffs_with_mutants(A, N)
    if process == "moran":
        return np.log1p(strength * (resident - 1)) - np.log1p(strength * (mutant - 1))
    return -strength * (mutant - resident)


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
        positive). Pairwise: ``beta >= 0``. Defaults: :data:`DEFAULT_INTENSITY`.

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
    log_ratios = log_transition_ratios(payoffs, population, process, intensity)
    partial = np.cumsum(log_ratios, axis=-1)
    # log(1 + sum exp(partial)) without overflow.
    top = np.maximum(partial.max(axis=-1), 0.0)
    log_sum = top + np.log(np.exp(-top) + np.exp(partial - top[..., None]).sum(axis=-1))
    return np.exp(-log_sum)


# --- the small-mutation limit ---------------------------------------------------

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
    give_share : float or None
        ``sum_i pi_i G[i, i]``: the resident's give rate against itself,
        averaged over the stationary distribution.
    """

    fixation: np.ndarray
    distribution: np.ndarray
    survivors: tuple
    give_share: float | None


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
    >>> limit.survivors, round(limit.give_share, 4)
    ((1,), 0.0)
    """
    A = check_payoffs(payoffs)
    G = check_give_rates(give_rates, len(A))
    threshold = check_threshold(threshold)
    rho = fixation_probabilities(A, population, process, intensity)
    pi = stationary_distribution(rho)
    share = None if G is None else float(pi @ np.diag(G))
    return SmallMutationResult(rho, pi, surviving(pi, threshold), share)


# --- a simulated run with mutation ------------------------------------------------

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
    give_share : float or None
        Share of giving averaged over every step (each individual meets the
        ``N - 1`` others).
    survivors : tuple of int
        Strategies whose time-averaged share is at least the threshold.
    events : int
        Elementary steps that changed the counts.
    entropy : int
        The seed's entropy; the same entropy repeats the run exactly.
    """

    counts: np.ndarray
    population: int
    mean_shares: np.ndarray
    give_share: float | None
    survivors: tuple
    events: int
    entropy: int

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
        As in :func:`fixation_probabilities`.
    seed : int, optional
        Seed of every draw (a numpy Generator); ``None`` draws fresh entropy,
        kept in :attr:`SimulationResult.entropy`.
    start : array_like of int, shape (n,), optional
        Initial counts summing to ``N``; by default as equal as possible.
    give_rates : array_like, shape (n, n), optional
    threshold : float
        Time-averaged share a survivor needs.

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
    generations = check_count("generations", generations, 1)
    mutation = check_probability("mutation", mutation)
    process = check_process(process)
    strength = check_intensity(process, intensity, A)
    G = check_give_rates(give_rates, n)
    threshold = check_threshold(threshold)
    counts = _check_start(start, n, N)
    entropy = root_entropy(seed)
    rng = np.random.default_rng(np.random.SeedSequence(entropy))

    steps = generations * N
    times, losers, gainers = _jump_chain(A, counts, steps, process, strength, mutation, rng)
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
    share = None if G is None else float(dwell @ population_give_share(states, G) / steps)
    return SimulationResult(recorded, N, mean_shares, share, surviving(mean_shares, threshold), len(times), entropy)


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


def _jump_chain(A, counts, steps, process, strength, mutation, rng):
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
        p_change, choose = rates(c, fitness, N, strength, mutation)
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


# --- the report -------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class EvolutionReport:
    """Does giving emerge? The evolutionary dynamics of a payoff matrix.

    Attributes
    ----------
    names : tuple of str
    replicator : ReplicatorResult
        Infinite population from ``x0`` (uniform by default).
    limit : SmallMutationResult
        Finite population of ``N``, rare mutations.
    simulation : SimulationResult
        Finite population of ``N``, mutation probability ``mutation``.
    settings : dict
        ``population``, ``process``, ``intensity``, ``mutation``,
        ``generations`` and the seed's ``entropy``.
    """

    names: tuple
    replicator: ReplicatorResult
    limit: SmallMutationResult
    simulation: SimulationResult
    settings: dict = field(default_factory=dict)

    @property
    def give_shares(self) -> dict:
        """The evolved share of giving under each method (``None`` without give rates)."""
        return {
            "replicator": self.replicator.give_share,
            "small mutations": self.limit.give_share,
            "simulation": self.simulation.give_share,
        }

    @property
    def survivors(self) -> dict:
        """Names of the surviving strategies under each method."""
        return {
            "replicator": [self.names[i] for i in self.replicator.survivors],
            "small mutations": [self.names[i] for i in self.limit.survivors],
            "simulation": [self.names[i] for i in self.simulation.survivors],
        }


def evolve(
    payoffs,
    give_rates=None,
    names=None,
    *,
    population: int = 50,
    process: str = "moran",
    intensity=None,
    mutation: float = 0.01,
    generations: int = 1000,
    seed=None,
    x0=None,
    t_max: float = REPLICATOR_T_MAX,
) -> EvolutionReport:
    """Run the replicator dynamics, the small-mutation limit and a simulated
    run on one payoff matrix; see :func:`replicator`,
    :func:`small_mutation_limit` and :func:`simulate` for the parameters.

    Examples
    --------
    >>> report = evolve([[3, 0], [5, 1]], [[1, 1], [0, 0]], ["Giver", "Taker"], population=20, seed=1)
    >>> report.survivors["replicator"], report.survivors["small mutations"]
    (['Taker'], ['Taker'])
    """
    A = check_payoffs(payoffs)
    n = len(A)
    names = check_names(names, n)
    process = check_process(process)
    strength = check_intensity(process, intensity, A)
    G = check_give_rates(give_rates, n)
    flow = replicator(A, x0=x0, t_max=t_max, give_rates=G)
    limit = small_mutation_limit(A, population, process, strength, give_rates=G)
    run = simulate(A, population, generations, mutation, process, strength, seed=seed, give_rates=G)
    settings = {
        "population": int(population), "process": process, "intensity": strength, "mutation": float(mutation),
        "generations": int(generations), "entropy": run.entropy,
    }
    return EvolutionReport(names, flow, limit, run, settings)


def plot_shares(trajectory, names, path, *, title: str | None = None) -> None:
    """Draw population shares over time to ``path`` (PNG or SVG by extension),
    written atomically (a temporary file, then :func:`os.replace`).

    Parameters
    ----------
    trajectory : ReplicatorResult or SimulationResult
        Anything with ``times`` (T,) and ``shares`` (T, n).
    names : sequence of str
    path : str or path-like
    title : str, optional
    """
    times = np.asarray(trajectory.times)
    shares = np.asarray(trajectory.shares)
    names = check_names(names, shares.shape[1])
    extension = str(path).rsplit(".", 1)[-1].lower()
    if extension not in ("png", "svg"):
        raise ParameterError(f"plot path must end in .png or .svg, got {str(path)!r}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    simulated = isinstance(trajectory, SimulationResult)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for k, name in enumerate(names):
        ax.plot(times, shares[:, k], label=name, linewidth=1.0 if simulated else 1.6)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("generation" if simulated else "time")
    ax.set_ylabel("population share")
    ax.set_title(title or ("Simulated population" if simulated else "Replicator dynamics"))
    ax.legend(fontsize=8)
    fig.tight_layout()
    tmp = f"{path}.tmp"
    try:
        fig.savefig(tmp, format=extension)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.remove(tmp)
