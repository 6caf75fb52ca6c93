"""Multilevel selection: groups that share grow and split (Traulsen & Nowak 2006).

Traulsen & Nowak's minimalist model of group selection, played with the
learning game's donation-game limit. A population is subdivided into ``m``
groups of at most ``n`` individuals; individuals interact with the other
members of their group and reproduce in proportion to their fitness; the
offspring joins the parent's group, and a group that grows too large splits in
two while another group dies. Selection between groups "emerges as a
byproduct of individual reproduction and population structure": groups of
givers grow faster and so split more often, while inside any group takers do
better. The paper's condition for the group structure to favour cooperation is

    b / c > 1 + n / m

(its abstract). Read for knowledge-sharing networks: a network whose people
share prospers, attracts newcomers who learn its ways (the paper's cultural
reading: "successful groups attract new individuals, which learn the strategies
of others in the same group") and spawns new networks, while networks of
takers fade; inside every network the taker still gains on the giver.

The process (one step)
----------------------
1. **Birth.** One individual of the whole population is chosen to reproduce
   with probability proportional to its fitness (fitness ``1 - w + w * payoff``,
   the paper's; or ``exp(w * payoff)``, Traulsen, Shoresh & Nowak 2008, with
   ``fitness="exponential"``). Its offspring, of its strategy, joins its group.
2. **Nothing else** if the group now has at most ``n`` members.
3. If the group exceeds ``n`` (it has ``n + 1``): with probability ``q`` it
   **splits**: each member goes to either daughter with probability 1/2, drawn
   again until neither daughter is empty (so the split is uniform over the
   ``2^(n+1) - 2`` ways with two non-empty daughters); one daughter keeps the
   group's place and the other replaces a group chosen uniformly from the other
   ``m - 1``, which dies, so there are always ``m`` groups. With probability
   ``1 - q`` a member of the group chosen uniformly (the newborn included)
   **dies** instead.

The model's text is the paper's, as paraphrased in the docstrings of
EGTtools' ``MLS`` and ``TraulsenMoran`` classes (Fernández Domingos et al.),
which implement it: a group splits when it *exceeds* ``n`` (so groups hold at
most ``n`` between steps and the population at most ``N = n m``), and the
group that dies is another than the one that split (EGTtools' reading, ours
too; the paper says "a randomly chosen group is eliminated"). At rare
splitting, which group dies changes nothing: either reading gives the same
ratio of the group-level transition probabilities.

Payoffs (the donation-game limit)
---------------------------------
The within-group game is the learning game's stage game at full receptivity,
every give transferring and no power (``z = 0``): ``R, S, T, P`` from
:func:`~learning_dilemma.games.stage_payoff`. At ``synergy = 0`` and
``race_premium = 0`` (:func:`donation_game`) it is the donation game
``R = P + b - c``, ``S = P - c``, ``T = P + b`` with ``b = learning_benefit``
and ``c = leak`` (``T - R = c = P - S``); at ``P = 0`` (``status_quo=0``, our
default here) it is the paper's matrix ``(b - c, -c; b, 0)``. Other learning
games give other 2 x 2 games, which the simulation and the exact chain handle;
the critical ratios are the donation game's.

Each member plays every other member of its group once and its payoff is the
**mean** over them (a cooperator among ``i`` cooperators of ``k`` earns
``((i - 1) R + (k - i) S) / (k - 1)``, a defector ``(i T + (k - 1 - i) P) /
(k - 1)``), as the spec's convention (the mean over a person's relations) and
Nowak et al. (2004) have it. Summing instead multiplies the payoffs by ``k -
1``: a rescaling of ``w``, which leaves the weak-selection condition unchanged.
A lone member (a daughter group of one) has nobody to exchange with and earns
``P``, the learning game's closed payoff (our choice).

Rare splitting and weak selection
---------------------------------
For ``q -> 0`` a mixed group settles (all givers or all takers) long before it
splits, so a single cooperator fixes with probability (the paper's
decomposition)

    rho_C = rho_within * rho_between

``rho_within``: a single cooperator takes over its group of ``n`` (a Moran
process: whichever member dies, the ratio of the probabilities that the
cooperators lose or gain one is ``f_D / f_C``); ``rho_between``: one group of
cooperators takes over ``m`` groups, a Moran process with constant relative
fitness ``r = f_C(all C) / f_D(all D)`` (a group splits in proportion to its
members' total fitness). :func:`rare_splitting_fixation` computes both exactly,
for any ``w``. Cooperation is favoured when ``rho_C > 1/N``, the neutral
fixation probability (a single mutant's chance when fitness plays no role),
``N = n m``. For weak selection (``w -> 0``), with mean payoffs:

    rho_within  ~ (1/n) [1 - (w/2) ((n - 1) c + b)]
    rho_between ~ (1/m) [1 + (w/2) (m - 1) (b - c)]

so ``rho_C > 1/N`` iff ``(m - 1)(b - c) > (n - 1) c + b``, that is

    b / c > 1 + n / (m - 2)        (:func:`weak_selection_ratio`, m > 2)

whose large-``m`` form is the paper's ``b / c > 1 + n / m``
(:func:`critical_ratio`). The donation game has equal gains from switching, so
the same condition gives ``rho_C > rho_D``. With two groups cooperation is
never favoured at weak selection. The tests check the derivation against the
full Markov chain (:func:`exact_fixation_probability`) at small ``q`` and
``w`` on both sides of the ratio, and the simulation against the chain.

Two engines
-----------
The fixation probabilities only need the sequence of states, so
:meth:`MultilevelSelection.outcomes` runs the process's *jump chain* by
default: it leaves out the steps that change nothing (in a full group, a birth
and a death of the same strategy) and draws each step from the remaining
events with probabilities proportional to theirs in the process (exactly the
law of the states visited; ``_Jumps`` lists the events). Far fewer steps:
with rare splitting most steps of the process are such null steps.
``method="steps"`` runs every step with each individual's lineage held, as
:func:`simulate_population` does to report shares per person, organisation
and group. The tests check both against the full Markov chain.

Draws
-----
Every draw comes from a numpy Generator keyed by the seed and the draw's
address: stream :data:`SELECTION_STREAM` (105), the engine (0 the jump chain,
1 every step), then the run's block and the step's chunk. Keying each (run,
step) by its own Generator is far too slow (a Generator costs more to build
than a step costs to play), so runs come in fixed blocks of
:data:`BLOCK_RUNS` and steps in chunks of :data:`CHUNK_STEPS`: the Generator
of (block, chunk) draws :data:`DRAWS_PER_STEP` (:data:`DRAWS_PER_JUMP` for the
jump chain) 64-bit numbers for every run of the block and every step of the
chunk, and run ``r`` at step ``t`` reads row ``r mod BLOCK_RUNS`` and step ``t
mod CHUNK_STEPS`` of the Generator ``(seed, 105, engine, r // BLOCK_RUNS, t //
CHUNK_STEPS)``. A run's draws thus depend only on the seed, its index and the
step: not on how many runs there are, how they are batched, or how many
processes share them (``first_run`` lets a process take any range of runs).

References
----------
Traulsen, A. & Nowak, M. A. (2006). Evolution of cooperation by multilevel
selection. PNAS 103(29), 10952-10955.
Traulsen, A., Shoresh, N. & Nowak, M. A. (2008). Analytical results for
individual and group selection of any intensity. Bulletin of Mathematical
Biology 70, 1410-1424.
Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of
cooperation and evolutionary stability in finite populations. Nature 428,
646-650.
Moran, P. A. P. (1958). Random processes in genetics. Proceedings of the
Cambridge Philosophical Society 54, 60-71.
Fernández Domingos, E. et al. EGTtools (``MLS``, ``TraulsenMoran``): an
implementation of the same process, https://github.com/Socrats/EGTTools.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_count, check_number, check_probability
from ..dynamics.fixation import fixation_probabilities
from ..errors import ParameterError
from ..games import LearningGame, stage_payoff
from ..limits import check
from ..seeding import root_entropy
from ..strategies.classic import Cooperator, Defector

__all__ = [
    "BLOCK_RUNS", "CHUNK_STEPS", "DRAWS_PER_JUMP", "DRAWS_PER_STEP", "FITNESS", "FixationEstimate", "MAX_GROUP_SIZE",
    "METHODS", "MultilevelSelection", "SELECTION_STREAM", "SelectionHistory", "critical_ratio", "donation_game",
    "exact_fixation_probability", "fixation_probability", "game_payoffs", "rare_splitting_fixation",
    "simulate_population", "weak_selection_ratio",
]

from ..seeding import SELECTION_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
#: Runs that share one Generator per chunk of steps (a fixed number, so a run's
#: draws never depend on how many runs there are or who plays them).
BLOCK_RUNS = 64
#: Steps drawn at once by one Generator.
CHUNK_STEPS = 64
#: 64-bit numbers drawn per run and step: the parent's group, its strategy,
#: which member of that strategy, split or death, who dies, how the group
#: splits, which group dies.
DRAWS_PER_STEP = 7
#: The largest ``n``: a split draws one of the ``2^(n+1) - 2`` ways to cut the
#: group from one 64-bit number, which stays unbiased to 1e-7 up to here.
MAX_GROUP_SIZE = 40
#: The fitness maps: Traulsen & Nowak's ``1 - w + w * payoff`` and the
#: exponential ``exp(w * payoff)`` of Traulsen, Shoresh & Nowak (2008).
FITNESS = ("linear", "exponential")

_GROUP, _TYPE, _WHICH, _SPLIT, _VICTIM, _CUT, _DIES = range(DRAWS_PER_STEP)
#: 64-bit numbers drawn per run and step of the jump chain: the event, how a
#: group splits, which group dies.
DRAWS_PER_JUMP = 3
_EVENT, _JUMP_CUT, _JUMP_DIES = range(DRAWS_PER_JUMP)
# The engines' tags in the draws' keys, so they never share a stream.
_JUMP_ENGINE, _STEP_ENGINE = 0, 1
METHODS = ("jumps", "steps")
_TO_UNIT = 2.0 ** -53
# Slots of run state held at once (int32 each: 16 MB), runs cut in batches to fit.
_BATCH_SLOTS = 4_000_000
_BATCH_RUNS = 4096
# The exact chain refuses more joint states than this (a dense solve).
_EXACT_STATES = 5000


# --- the game ---------------------------------------------------------------------------


def donation_game(b, c, status_quo: float = 0.0) -> LearningGame:
    """The learning game's donation-game limit: benefit ``b``, cost ``c``.

    ``LearningGame(status_quo=P, learning_benefit=b, leak=c, synergy=0,
    race_premium=0)``: ``R = P + b - c``, ``S = P - c``, ``T = P + b``, ``P``
    (spec of issue 18). ``status_quo = 0`` gives Traulsen & Nowak's matrix
    ``(b - c, -c; b, 0)``.

    Examples
    --------
    >>> donation_game(3.0, 1.0).rstp()
    (2.0, -1.0, 3.0, 0.0)
    """
    b = check_number("b", b, 0.0)
    c = check_number("c", c, 0.0)
    return LearningGame(status_quo=check_number("status_quo", status_quo), learning_benefit=b, leak=c,
                        synergy=0.0, race_premium=0.0)


def game_payoffs(game: LearningGame) -> tuple:
    """``(R, S, T, P)`` of the within-group game, from :func:`~learning_dilemma.games.stage_payoff`.

    Receptivity 1, every give transferring, power position 0, the game's
    (effective) overlap: the stage payoff of a giver or taker against a giver
    or taker.
    """
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")

    def u(g_i, g_j):
        return float(stage_payoff(game, g_i, g_j, g_i, g_j, 1.0, 1.0, 0))

    return u(1, 1), u(1, 0), u(0, 1), u(0, 0)


def critical_ratio(n, m) -> float:
    """Traulsen & Nowak's condition: group selection favours cooperation if ``b / c > 1 + n / m``.

    ``n`` the largest group, ``m`` the number of groups (the paper's abstract;
    the large-``m`` form of :func:`weak_selection_ratio`).

    Examples
    --------
    >>> critical_ratio(10, 5)
    3.0
    """
    n = check_count("n", n, 1)
    m = check_count("m", m, 1)
    return 1.0 + n / m


def weak_selection_ratio(n, m) -> float:
    """The critical ``b / c`` at weak selection and rare splitting: ``1 + n / (m - 2)``.

    Derived in the module docstring from the rare-splitting decomposition
    ``rho_C = rho_within * rho_between`` with mean payoffs; ``rho_C > 1/N``
    iff ``b / c`` exceeds it. Infinite for ``m <= 2`` (two groups never favour
    cooperation at weak selection). Tends to :func:`critical_ratio` as ``m``
    grows.

    Examples
    --------
    >>> weak_selection_ratio(4, 6)
    2.0
    """
    n = check_count("n", n, 1)
    m = check_count("m", m, 1)
    return math.inf if m <= 2 else 1.0 + n / (m - 2)


# --- the model --------------------------------------------------------------------------


@dataclass(frozen=True)
class FixationEstimate:
    """A simulated fixation probability and its sampling error.

    Attributes
    ----------
    probability : float
        Share of the runs in which cooperators took over (``fixed / runs``).
    standard_error : float
        ``sqrt(p (1 - p) / runs)`` (binomial).
    runs, fixed, lost, unresolved : int
        Runs in all; runs that ended all cooperators, all defectors; runs still
        mixed after ``max_steps`` (counted as not fixed: the true probability
        lies in :attr:`bounds`).
    neutral : float
        The fixation probability without selection, ``cooperators / N``.
    """

    probability: float
    standard_error: float
    runs: int
    fixed: int
    lost: int
    unresolved: int
    neutral: float

    @property
    def z(self) -> float:
        """``(probability - neutral) / standard_error`` (0 when the error is 0)."""
        if self.standard_error == 0:
            return 0.0
        return (self.probability - self.neutral) / self.standard_error

    @property
    def bounds(self) -> tuple:
        """``(fixed / runs, (fixed + unresolved) / runs)``: where the estimate lies whatever the unresolved runs do."""
        return self.fixed / self.runs, (self.fixed + self.unresolved) / self.runs


@dataclass(frozen=True, eq=False)
class SelectionHistory:
    """Multilevel selection on a population's groups, recorded every ``record_every`` steps.

    Attributes
    ----------
    steps : ndarray of int, shape (T,)
        The recorded steps (0 is the start).
    cooperator_share : ndarray, shape (runs, T)
        Share of cooperators (givers) in the population.
    group_share : ndarray, shape (runs, T, m)
        Share of cooperators in each group's place.
    group_origin : ndarray of int, shape (runs, T, m)
        The starting group each place's group descends from (a daughter
        inherits its parent's origin).
    organisation_share : ndarray, shape (runs, T, organisations)
        Share of cooperators among the living descendants of each
        organisation's people (a person of ``k`` organisations counts ``1/k``
        in each); NaN where none is left.
    organisation_size : ndarray, shape (runs, T, organisations)
        How many living descendants each organisation's people have (weighted).
    descendants : ndarray of int, shape (runs, people)
        At the end: how many living individuals descend from each person.
    outcome : ndarray of int8, shape (runs,)
        1 where cooperators took over, 0 defectors, -1 still mixed at the end.
    group_names, organisation_names, person_names : tuple of str
    """

    steps: np.ndarray
    cooperator_share: np.ndarray
    group_share: np.ndarray
    group_origin: np.ndarray
    organisation_share: np.ndarray
    organisation_size: np.ndarray
    descendants: np.ndarray
    outcome: np.ndarray
    group_names: tuple
    organisation_names: tuple
    person_names: tuple


class MultilevelSelection:
    """Traulsen & Nowak's (2006) multilevel selection process, vectorised over runs.

    Parameters
    ----------
    n : int
        The largest group (``>= 2``, at most :data:`MAX_GROUP_SIZE`): a group
        that exceeds it splits or loses a member.
    m : int
        The number of groups (``>= 2``).
    q : float
        The probability that a group exceeding ``n`` splits, in [0, 1].
    w : float
        Selection intensity, ``>= 0``; with linear fitness at most 1 and small
        enough that ``1 - w + w * payoff`` stays positive.
    game : LearningGame, optional
        The within-group game; default :func:`donation_game` ``(b=2, c=1)``.
    fitness : {"linear", "exponential"}
        ``1 - w + w * payoff`` (the paper's) or ``exp(w * payoff)``.

    Notes
    -----
    The process, payoffs, limits and draws are the module's (see its
    docstring). Each run holds its groups as ``m x (n + 1)`` slots labelled by
    the lineage each individual descends from (a starting individual or
    person), so shares per lineage and per group can be read at any step.

    Examples
    --------
    >>> model = MultilevelSelection(n=4, m=6, q=0.01, w=0.1, game=donation_game(3, 1))
    >>> model.population_size
    24
    >>> round(model.rare_splitting_fixation() * 24, 3)  # above 1: favoured (3 > 1 + 4/4)
    1.111
    """

    def __init__(self, n, m, q, w, game: LearningGame | None = None, fitness: str = "linear"):
        self.n = check_count("n", n, 2)
        if self.n > MAX_GROUP_SIZE:
            raise ParameterError(f"n must be at most {MAX_GROUP_SIZE} (a split draws one of 2^(n+1) cuts), got {n}")
        self.m = check_count("m", m, 2)
        check("group_size", self.n, f"n={self.n}")
        check("population", self.n * self.m, f"n x m = {self.n} x {self.m}")
        self.q = check_probability("q", q)
        if fitness not in FITNESS:
            raise ParameterError(f"fitness must be one of {', '.join(FITNESS)}, got {fitness!r}")
        self.fitness = fitness
        self.game = donation_game(2.0, 1.0) if game is None else game
        self.payoffs = game_payoffs(self.game)
        if fitness == "linear":
            self.w = check_number("w", w, 0.0, 1.0)
            lowest = min(self.payoffs)
            if 1 - self.w + self.w * lowest <= 0:
                raise ParameterError(f"w: fitness 1 - w + w * payoff must be positive; the lowest payoff {lowest:g} "
                                     f"needs w < {1 / (1 - lowest):.3g}, got w={self.w:g}")
        else:
            self.w = check_number("w", w, 0.0)
            if not np.isfinite(np.exp(self.w * max(abs(p) for p in self.payoffs))):
                raise ParameterError(f"w: exp(w * payoff) overflows at w={self.w:g}")

    @property
    def population_size(self) -> int:
        """``N = n m``: the population when every group is full (the start)."""
        return self.n * self.m

    def __repr__(self) -> str:
        return f"MultilevelSelection(n={self.n}, m={self.m}, q={self.q:g}, w={self.w:g}, fitness={self.fitness!r})"

    # --- fitness ------------------------------------------------------------------

    def _fit(self, payoff):
        payoff = np.asarray(payoff, dtype=float)
        if self.fitness == "linear":
            return 1.0 - self.w + self.w * payoff
        return np.exp(self.w * payoff)

    def fitness_table(self) -> tuple:
        """Fitness of a cooperator and of a defector in a group of ``k`` members with ``i`` cooperators.

        Returns
        -------
        cooperator, defector : ndarray, shape (n + 2, n + 2)
            ``[k, i]`` for ``k, i`` in ``0..n+1`` (mean payoff over the other
            ``k - 1`` members; ``P`` alone; entries with no such member are
            the formula's value and never used).
        """
        R, S, T, P = self.payoffs
        k = np.arange(self.n + 2, dtype=float)[:, None]
        i = np.arange(self.n + 2, dtype=float)[None, :]
        others = np.maximum(k - 1, 1)
        alone = k <= 1
        coop = np.where(alone, P, ((i - 1) * R + (k - i) * S) / others)
        defect = np.where(alone, P, (i * T + (k - 1 - i) * P) / others)
        return self._fit(coop), self._fit(defect)

    # --- analytic and exact ---------------------------------------------------------

    def rare_splitting_fixation(self) -> float:
        """``rho_within * rho_between``: a single cooperator's fixation probability as ``q -> 0``.

        Exact for any ``w`` in that limit (module docstring): the Moran
        fixation probability of one cooperator in a group of ``n``
        (:func:`~learning_dilemma.dynamics.fixation.fixation_probabilities`,
        Nowak et al. 2004) times that of one all-cooperator group among ``m``
        groups with constant relative fitness ``f_C(all C) / f_D(all D)``.
        """
        R, S, T, P = self.payoffs
        process = "moran" if self.fitness == "linear" else "pairwise"
        within = fixation_probabilities([[P, T], [S, R]], self.n, process, self.w)[0, 1]
        between = fixation_probabilities([[P, P], [R, R]], self.m, process, self.w)[0, 1]
        return float(within * between)

    def exact_fixation_probability(self, cooperators: int = 1) -> float:
        """The fixation probability of cooperators by the full Markov chain (tiny ``n`` and ``m`` only).

        States are the multisets of ``m`` group compositions ``(i cooperators,
        k members)``, ``1 <= k <= n``; each step's transitions are the process's
        (birth, then death or split and a group's death), and the absorption
        probabilities solve one linear system. The start: every group full, the
        first ``cooperators`` individuals cooperators (filling the first groups).
        Refused above 5,000 states.
        """
        n, m = self.n, self.m
        cooperators = check_count("cooperators", cooperators, 1)
        if cooperators > n * m:
            raise ParameterError(f"cooperators must be at most n x m = {n * m}, got {cooperators}")
        kinds = sorted((i, k) for k in range(1, n + 1) for i in range(k + 1))
        count = math.comb(len(kinds) + m - 1, m)
        check("chain_states", count, f"the exact chain of n={n}, m={m}")
        if count > _EXACT_STATES:
            raise ParameterError(f"the exact chain of n={n}, m={m} has {count:,} states; at most {_EXACT_STATES:,} "
                                 "are solved (use the simulation)")
        states = list(itertools.combinations_with_replacement(kinds, m))
        index = {s: k for k, s in enumerate(states)}
        fc, fd = self.fitness_table()
        cuts = 2.0 ** (n + 1) - 2.0
        # daughter compositions of a group of n + 1 with i cooperators: (j, s) with 1 <= s <= n
        split_law = {}
        for i in range(n + 2):
            law = []
            for s in range(1, n + 1):
                for j in range(max(0, s - (n + 1 - i)), min(i, s) + 1):
                    p = math.comb(i, j) * math.comb(n + 1 - i, s - j) / cuts
                    if p > 0:
                        law.append((p, (j, s), (i - j, n + 1 - s)))
            split_law[i] = law
        size = len(states)
        matrix = np.zeros((size, size))
        for row, state in enumerate(states):
            if all(i == 0 for i, _ in state) or all(i == k for i, k in state):
                matrix[row, row] = 1.0
                continue
            total = sum(i * fc[k, i] + (k - i) * fd[k, i] for i, k in state)
            for g, (i, k) in enumerate(state):
                rest = state[:g] + state[g + 1:]
                for born, weight in ((1, i * fc[k, i]), (0, (k - i) * fd[k, i])):
                    if weight == 0:
                        continue
                    p = weight / total
                    grown = (i + born, k + 1)
                    if k + 1 <= n:
                        matrix[row, index[_sorted(rest + (grown,))]] += p
                        continue
                    i1 = grown[0]
                    if 1 - self.q > 0:
                        for dead, share in ((1, i1 / (n + 1)), (0, (n + 1 - i1) / (n + 1))):
                            if share > 0:
                                matrix[row, index[_sorted(rest + ((i1 - dead, n),))]] += p * (1 - self.q) * share
                    if self.q > 0:
                        for h in range(m - 1):
                            others = rest[:h] + rest[h + 1:]
                            for share, first, second in split_law[i1]:
                                target = index[_sorted(others + (first, second))]
                                matrix[row, target] += p * self.q * share / (m - 1)
        start = []
        left = cooperators
        for _ in range(m):
            take = min(left, n)
            start.append((take, n))
            left -= take
        absorbing = np.array([all(i == k for i, k in s) for s in states])
        transient = ~np.array([all(i == 0 for i, _ in s) or all(i == k for i, k in s) for s in states])
        s0 = index[_sorted(tuple(start))]
        if not transient[s0]:
            return float(absorbing[s0])
        Q = matrix[np.ix_(transient, transient)]
        b = matrix[np.ix_(transient, absorbing)].sum(axis=1)
        x = np.linalg.solve(np.eye(Q.shape[0]) - Q, b)
        return float(x[np.flatnonzero(transient).tolist().index(s0)])

    # --- simulation -----------------------------------------------------------------

    def _start(self, cooperators: int):
        cooperators = check_count("cooperators", cooperators, 1)
        if cooperators >= self.population_size:
            raise ParameterError(f"cooperators must be below n x m = {self.population_size} (a start with "
                                 f"defectors), got {cooperators}")
        slots = np.full((self.m, self.n + 1), 2, dtype=np.int32)  # label 2: a defector's lineage
        slots[:, self.n] = 0
        flat = slots[:, : self.n].reshape(-1)
        flat[:cooperators] = 1                                   # label 1: a cooperator's lineage
        slots[:, : self.n] = flat.reshape(self.m, self.n)
        gives = np.array([False, True, False])
        return slots, np.arange(self.m), gives

    def outcomes(self, runs, seed, cooperators: int = 1, first_run: int = 0, max_steps: int = 1_000_000,
                 method: str = "jumps") -> np.ndarray:
        """How each run ended, from every group full and ``cooperators`` cooperators in the first group(s).

        Parameters
        ----------
        runs : int
            Number of runs (``>= 1``).
        seed : int
            The seed (every draw keyed by it; module docstring, "Draws").
        cooperators : int
            Starting cooperators, filling the first group(s); the rest defect.
        first_run : int
            Index of the first run: runs ``first_run .. first_run + runs - 1``
            draw what they draw in any other range (split work across processes).
        max_steps : int
            Steps after which a run still mixed is left unresolved (at most the
            ``generations`` limit).
        method : {"jumps", "steps"}
            ``"jumps"``: the jump chain, which leaves out the steps that change
            nothing (a birth and a death of the same strategy in a full group);
            the same outcomes in law, in far fewer steps (``max_steps`` counts
            its steps). ``"steps"``: every step of the process, individuals
            and their lineages held (the engine of :func:`simulate_population`).

        Returns
        -------
        ndarray of int8, shape (runs,)
            1 cooperators took over, 0 defectors did, -1 unresolved.
        """
        runs = check_count("runs", runs, 1)
        first_run = check_count("first_run", first_run, 0)
        max_steps = _check_steps("max_steps", max_steps)
        if method not in METHODS:
            raise ParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
        slots, origin, gives = self._start(cooperators)
        entropy = root_entropy(seed)
        if method == "steps":
            return _Engine(self, slots, origin, gives, entropy, max_steps).run(first_run, runs).outcome
        coop = gives[slots].sum(axis=1)
        size = (slots > 0).sum(axis=1)
        return _Jumps(self, coop, size, entropy, max_steps).run(first_run, runs)

    def fixation_probability(self, runs, seed, cooperators: int = 1, max_steps: int = 1_000_000,
                             first_run: int = 0, method: str = "jumps") -> FixationEstimate:
        """Estimate the probability that ``cooperators`` cooperators (one by default) take over.

        Compare :attr:`FixationEstimate.probability` with
        :attr:`FixationEstimate.neutral` (``cooperators / N``): above it,
        selection favours cooperators (Traulsen & Nowak's criterion
        ``rho_C > 1/N``).
        """
        outcome = self.outcomes(runs, seed, cooperators, first_run, max_steps, method)
        fixed, lost = int(np.sum(outcome == 1)), int(np.sum(outcome == 0))
        runs = len(outcome)
        p = fixed / runs
        return FixationEstimate(probability=p, standard_error=math.sqrt(p * (1 - p) / runs), runs=runs,
                                fixed=fixed, lost=lost, unresolved=runs - fixed - lost,
                                neutral=cooperators / self.population_size)


def _sorted(groups: tuple) -> tuple:
    return tuple(sorted(groups))


def _check_steps(name: str, steps) -> int:
    steps = check_count(name, steps, 1)
    check("generations", steps, f"{name}={steps} steps of one run")
    return steps


# --- the engine -------------------------------------------------------------------------


@dataclass
class _Result:
    outcome: np.ndarray
    steps: np.ndarray | None = None
    records: dict | None = None


class _Draws:
    """The draws of a batch of runs, addressed by (seed, stream, engine, run block, step chunk).

    Run ``r`` at step ``t`` reads row ``r mod BLOCK_RUNS``, step ``t mod
    CHUNK_STEPS`` of what the Generator keyed ``(SELECTION_STREAM, engine,
    r // BLOCK_RUNS, t // CHUNK_STEPS)`` draws: ``CHUNK_STEPS x BLOCK_RUNS x
    columns`` 64-bit numbers, in that order.
    """

    def __init__(self, entropy: int, engine: int, columns: int, runs: np.ndarray):
        self.entropy, self.engine, self.columns = entropy, engine, columns
        self.block = runs // BLOCK_RUNS
        self.row = runs % BLOCK_RUNS
        self.first = int(self.block[0])
        self.chunk = -1

    def at(self, step: int, active: np.ndarray) -> np.ndarray:
        """The raw draws of the active runs (indices into the batch) at ``step``: (active, columns)."""
        chunk, offset = divmod(step, CHUNK_STEPS)
        if chunk != self.chunk:
            blocks = np.unique(self.block[active])
            self.raw = np.empty((len(blocks), CHUNK_STEPS, BLOCK_RUNS, self.columns), dtype=np.uint64)
            for k, block in enumerate(blocks.tolist()):
                sequence = np.random.SeedSequence(self.entropy, spawn_key=(SELECTION_STREAM, self.engine, block, chunk))
                self.raw[k] = np.random.PCG64(sequence).random_raw(
                    CHUNK_STEPS * BLOCK_RUNS * self.columns).reshape(CHUNK_STEPS, BLOCK_RUNS, self.columns)
            self.position = np.full(int(self.block[-1]) - self.first + 1, -1, dtype=np.int64)
            self.position[blocks - self.first] = np.arange(len(blocks))
            self.chunk = chunk
        return self.raw[self.position[self.block[active] - self.first], offset, self.row[active]]


def _unit(raw: np.ndarray) -> np.ndarray:
    """Uniforms in [0, 1) from 64-bit draws (their top 53 bits)."""
    return (raw >> np.uint64(11)).astype(np.float64) * _TO_UNIT


class _Engine:
    """Runs of one model from one start, vectorised over the runs of a batch.

    State per run: ``slots`` (m, n + 1) of lineage labels (0 empty), and per
    group its size, cooperators and origin. A step touches one group (two at a
    split); the group choice reads every group's total fitness.
    """

    def __init__(self, model: MultilevelSelection, slots, origin, gives, entropy, max_steps, record_every=None,
                 recorder=None):
        self.model = model
        self.start_slots = slots
        self.start_origin = origin
        self.gives = gives.astype(np.int64)
        self.entropy = entropy
        self.max_steps = max_steps
        self.record_every = record_every
        self.recorder = recorder
        fc, fd = model.fitness_table()
        self.fc, self.fd = fc, fd
        k = np.arange(model.n + 2)[:, None]
        i = np.arange(model.n + 2)[None, :]
        # a group's total fitness, [k, i]; zero where i > k (never reached)
        self.weight = np.where(i <= k, i * fc + (k - i) * fd, 0.0)
        self.coop_weight = np.where(i <= k, i * fc, 0.0)

    def run(self, first_run: int, runs: int) -> _Result:
        m, width = self.model.m, self.model.n + 1
        batch = int(max(1, min(_BATCH_RUNS, _BATCH_SLOTS // (m * width))))
        outcomes, records = [], []
        for start in range(first_run, first_run + runs, batch):
            count = min(batch, first_run + runs - start)
            outcome, record = self._batch(start, count)
            outcomes.append(outcome)
            records.append(record)
        outcome = np.concatenate(outcomes)
        if self.recorder is None:
            return _Result(outcome)
        steps = records[0][0]
        merged = {key: np.concatenate([r[1][key] for r in records]) for key in records[0][1]}
        return _Result(outcome, steps, merged)

    def _batch(self, start: int, count: int):
        model = self.model
        n, m, q = model.n, model.m, model.q
        width = n + 1
        cuts = np.uint64(2 ** (n + 1) - 2)
        shifts = np.arange(width, dtype=np.uint64)
        slots = np.broadcast_to(self.start_slots, (count, m, width)).copy()
        labels_gives = self.gives
        size = (slots > 0).sum(axis=2).astype(np.int64)
        coop = labels_gives[slots].sum(axis=2)
        origin = np.broadcast_to(self.start_origin, (count, m)).copy()
        outcome = np.full(count, -1, dtype=np.int8)
        draws = _Draws(self.entropy, _STEP_ENGINE, DRAWS_PER_STEP, np.arange(start, start + count))
        recording = self.recorder is not None
        record_steps, record_data = [], None
        if recording:
            record_data = self.recorder.empty(count)
        total_c, total_s = coop.sum(axis=1), size.sum(axis=1)
        finished = (total_c == 0) | (total_c == total_s)
        outcome[finished] = (total_c[finished] > 0).astype(np.int8)
        active = np.flatnonzero(~finished)
        step = 0
        while True:
            if recording and step % self.record_every == 0:
                record_steps.append(step)
                self.recorder.record(record_data, slots, size, coop, origin)
            if step >= self.max_steps:
                break
            if active.size == 0:
                if not recording:
                    break
                step = (step // self.record_every + 1) * self.record_every  # settled: record as it stays
                continue
            raw = draws.at(step, active)                               # (A, DRAWS_PER_STEP)
            unit = _unit(raw)
            A = active.size
            rows = np.arange(A)
            g_size, g_coop = size[active], coop[active]
            weight = self.weight[g_size, g_coop]                       # (A, m)
            cumulative = np.cumsum(weight, axis=1)
            target = unit[:, _GROUP] * cumulative[:, -1]
            g = np.minimum((cumulative <= target[:, None]).sum(axis=1), m - 1)
            k, i = g_size[rows, g], g_coop[rows, g]
            born_c = unit[:, _TYPE] * weight[rows, g] < self.coop_weight[k, i]
            of_kind = np.where(born_c, i, k - i)
            which = np.minimum((unit[:, _WHICH] * of_kind).astype(np.int64), of_kind - 1)
            row = slots[active, g]                                      # (A, width) copy
            match = (row > 0) & (labels_gives[row].astype(bool) == born_c[:, None])
            parent = np.argmax(np.cumsum(match, axis=1) > which[:, None], axis=1)
            empty = np.argmax(row == 0, axis=1)
            row[rows, empty] = row[rows, parent]
            k = k + 1
            i = i + born_c
            over = k > n
            split = over & (unit[:, _SPLIT] < q)
            death = over & ~split
            if death.any():
                d = np.flatnonzero(death)
                victim = np.minimum((unit[d, _VICTIM] * width).astype(np.int64), width - 1)
                i[d] -= labels_gives[row[d, victim]]
                row[d, victim] = 0
                k[d] -= 1
            slots[active, g] = row
            size[active, g] = k
            coop[active, g] = i
            if split.any():
                s = np.flatnonzero(split)
                runs_s, g_s = active[s], g[s]
                cut = raw[s, _CUT] % cuts + np.uint64(1)
                stays = ((cut[:, None] >> shifts[None, :]) & np.uint64(1)).astype(bool)
                parent_row = row[s]
                kept = np.where(stays, parent_row, 0)
                moved = np.where(stays, 0, parent_row)
                h = (g_s + 1 + np.minimum((unit[s, _DIES] * (m - 1)).astype(np.int64), m - 2)) % m
                slots[runs_s, g_s] = kept
                slots[runs_s, h] = moved
                size[runs_s, g_s] = (kept > 0).sum(axis=1)
                size[runs_s, h] = (moved > 0).sum(axis=1)
                coop[runs_s, g_s] = labels_gives[kept].sum(axis=1)
                coop[runs_s, h] = labels_gives[moved].sum(axis=1)
                origin[runs_s, h] = origin[runs_s, g_s]
            total_c, total_s = coop[active].sum(axis=1), size[active].sum(axis=1)
            done = (total_c == 0) | (total_c == total_s)
            if done.any():
                outcome[active[done]] = (total_c[done] > 0).astype(np.int8)
                active = active[~done]
            step += 1
        if recording:
            self.recorder.finish(record_data, slots)
        return outcome, (np.array(record_steps), record_data)


class _Jumps:
    """The jump chain of the two-strategy process, vectorised over the runs of a batch.

    The state of a run is each group's ``(cooperators, members)``. A step of
    the process that changes nothing (in a full group, a birth and a death of
    the same strategy) is left out: each step of this chain is drawn from the
    other events with probabilities proportional to their probabilities in
    the process, which leaves the absorption probabilities (and the sequence
    of states visited) unchanged. Per group ``g`` with ``i`` cooperators of
    ``k`` members, ``w_C = i f_C`` and ``w_D = (k - i) f_D``:

    - ``k < n``: a cooperator is born (weight ``w_C``) or a defector (``w_D``);
    - ``k = n``: a cooperator is born and a defector dies, ``(1 - q) w_C (n - i) / (n + 1)``;
      a defector is born and a cooperator dies, ``(1 - q) w_D i / (n + 1)``;
      the group splits after a cooperator's birth, ``q w_C``, or a defector's, ``q w_D``.

    A run whose events all have weight zero (``q = 0`` with every group settled
    but both strategies left) can never end: it is left unresolved.
    """

    def __init__(self, model: MultilevelSelection, coop, size, entropy, max_steps):
        self.model = model
        self.start_coop, self.start_size = coop, size
        self.entropy, self.max_steps = entropy, max_steps
        fc, fd = model.fitness_table()
        n, q = model.n, model.q
        k = np.arange(n + 2)[:, None]
        i = np.arange(n + 2)[None, :]
        valid = (i <= k) & (k >= 1) & (k <= n)
        w_c = np.where(valid, i * fc, 0.0)
        w_d = np.where(valid, (k - i) * fd, 0.0)
        full = k == n
        # [k, i, event]: grow C, grow D, C replaces D, D replaces C, split after C, split after D
        self.events = np.stack([
            np.where(full, 0.0, w_c), np.where(full, 0.0, w_d),
            np.where(full, (1 - q) * w_c * (n - i) / (n + 1), 0.0),
            np.where(full, (1 - q) * w_d * i / (n + 1), 0.0),
            np.where(full, q * w_c, 0.0), np.where(full, q * w_d, 0.0),
        ], axis=-1)

    def run(self, first_run: int, runs: int) -> np.ndarray:
        batch = int(max(1, min(_BATCH_RUNS, _BATCH_SLOTS // (self.model.m * 2))))
        return np.concatenate([self._batch(start, min(batch, first_run + runs - start))
                               for start in range(first_run, first_run + runs, batch)])

    def _batch(self, start: int, count: int) -> np.ndarray:
        n, m = self.model.n, self.model.m
        cuts = np.uint64(2 ** (n + 1) - 2)
        shifts = np.arange(n + 1, dtype=np.uint64)
        position = np.arange(n + 1)
        coop = np.broadcast_to(self.start_coop, (count, m)).astype(np.int64)
        size = np.broadcast_to(self.start_size, (count, m)).astype(np.int64)
        outcome = np.full(count, -1, dtype=np.int8)
        draws = _Draws(self.entropy, _JUMP_ENGINE, DRAWS_PER_JUMP, np.arange(start, start + count))
        total_c, total_s = coop.sum(axis=1), size.sum(axis=1)
        finished = (total_c == 0) | (total_c == total_s)
        outcome[finished] = (total_c[finished] > 0).astype(np.int8)
        active = np.flatnonzero(~finished)
        step = 0
        while active.size and step < self.max_steps:
            raw = draws.at(step, active)
            c, k = coop[active], size[active]
            weights = self.events[k, c].reshape(active.size, m * 6)   # group-major: [g, event]
            cumulative = np.cumsum(weights, axis=1)
            total = cumulative[:, -1]
            stuck = total <= 0
            if stuck.any():                                   # nothing can ever happen: unresolved
                active, raw, c, k, cumulative, total = (x[~stuck] for x in (active, raw, c, k, cumulative, total))
                if not active.size:
                    break
            target = _unit(raw[:, _EVENT]) * total
            chosen = np.minimum((cumulative <= target[:, None]).sum(axis=1), m * 6 - 1)
            g, event = np.divmod(chosen, 6)
            rows = np.arange(active.size)
            i, size_g = c[rows, g], k[rows, g]
            i = i + ((event == 0) | (event == 2)) - (event == 3)
            size_g = size_g + (event <= 1)
            coop[active, g] = i
            size[active, g] = size_g
            split = event >= 4
            if split.any():
                s = np.flatnonzero(split)
                runs_s, g_s = active[s], g[s]
                members_c = c[s, g_s] + (event[s] == 4)          # cooperators among the n + 1
                cut = raw[s, _JUMP_CUT] % cuts + np.uint64(1)
                stays = ((cut[:, None] >> shifts[None, :]) & np.uint64(1)).astype(bool)
                kept_size = stays.sum(axis=1)
                kept_c = (stays & (position[None, :] < members_c[:, None])).sum(axis=1)
                h = (g_s + 1 + np.minimum((_unit(raw[s, _JUMP_DIES]) * (m - 1)).astype(np.int64), m - 2)) % m
                coop[runs_s, g_s], size[runs_s, g_s] = kept_c, kept_size
                coop[runs_s, h], size[runs_s, h] = members_c - kept_c, n + 1 - kept_size
            total_c, total_s = coop[active].sum(axis=1), size[active].sum(axis=1)
            done = (total_c == 0) | (total_c == total_s)
            if done.any():
                outcome[active[done]] = (total_c[done] > 0).astype(np.int8)
                active = active[~done]
            step += 1
        return outcome


class _Recorder:
    """Shares per group, per organisation and overall, for a population's lineages."""

    def __init__(self, membership: np.ndarray, gives: np.ndarray, records: int):
        self.membership = membership            # (labels, organisations), row 0 (empty) zeros
        self.gives = gives.astype(float)
        self.records = records

    def empty(self, count: int) -> dict:
        m_orgs = self.membership.shape[1]
        return {"k": 0, "cooperator_share": np.empty((count, self.records)),
                "group_share": None, "group_origin": None,
                "organisation_share": np.empty((count, self.records, m_orgs)),
                "organisation_size": np.empty((count, self.records, m_orgs)),
                "descendants": None}

    def record(self, data, slots, size, coop, origin):
        k = data["k"]
        count, m, _ = slots.shape
        if data["group_share"] is None:
            data["group_share"] = np.empty((count, self.records, m))
            data["group_origin"] = np.empty((count, self.records, m), dtype=np.int64)
        data["cooperator_share"][:, k] = coop.sum(axis=1) / size.sum(axis=1)
        data["group_share"][:, k] = coop / size
        data["group_origin"][:, k] = origin
        labels = self.membership.shape[0]
        counts = _label_counts(slots, labels)                     # (count, labels)
        org_size = counts @ self.membership
        org_coop = (counts * self.gives[None, :]) @ self.membership
        data["organisation_size"][:, k] = org_size
        with np.errstate(invalid="ignore", divide="ignore"):
            data["organisation_share"][:, k] = np.where(org_size > 0, org_coop / np.where(org_size > 0, org_size, 1),
                                                        np.nan)
        data["k"] = k + 1

    def finish(self, data, slots):
        data["descendants"] = _label_counts(slots, self.membership.shape[0])[:, 1:]
        for key in ("cooperator_share", "group_share", "group_origin", "organisation_share", "organisation_size"):
            data[key] = data[key][:, : data["k"]]
        del data["k"]


def _label_counts(slots: np.ndarray, labels: int) -> np.ndarray:
    count = slots.shape[0]
    flat = slots.reshape(count, -1)
    offsets = (np.arange(count) * labels)[:, None]
    return np.bincount((flat + offsets).ravel(), minlength=count * labels).reshape(count, labels)


# --- populations ------------------------------------------------------------------------


def _gives_of(population) -> np.ndarray:
    gives = []
    for person, player in zip(population.people, population.players()):
        if isinstance(player, Cooperator):
            gives.append(True)
        elif isinstance(player, Defector):
            gives.append(False)
        else:
            raise ParameterError(f"person {person.name!r}: multilevel selection plays the donation game's two "
                                 f"strategies, Cooperator and Defector; got {player.name!r}")
    return np.array(gives)


def simulate_population(population, q, w, steps, seed, game: LearningGame | None = None, n=None, runs: int = 1,
                        record_every: int = 1, fitness: str = "linear") -> SelectionHistory:
    """Multilevel selection on a population's groups, with its people and organisations kept.

    The groups of ``population`` are the ``m`` starting groups (a person in
    two groups starts two lineages, one in each); every person plays
    :class:`~learning_dilemma.strategies.Cooperator` (gives) or
    :class:`~learning_dilemma.strategies.Defector` (takes). Offspring inherit
    their parent's strategy and lineage, so the history reports cooperation
    per starting person, per organisation (through the lineage's person) and
    per group's place and origin.

    Parameters
    ----------
    population : Population
        With at least two groups.
    q, w, game, fitness
        As :class:`MultilevelSelection`.
    steps : int
        Steps to run (a run that settles earlier stays as it is).
    seed : int
    n : int, optional
        The largest group; default the population's largest group (a group
        that exceeds it splits or loses a member).
    runs : int
        Independent runs from the same start.
    record_every : int
        Record the shares every this many steps (and at the start).

    Returns
    -------
    SelectionHistory
    """
    from .population import Population

    if not isinstance(population, Population):
        raise ParameterError(f"population must be a Population, got {population!r}")
    groups = population.groups
    if len(groups) < 2:
        raise ParameterError(f"population: multilevel selection needs at least two groups, got {len(groups)}")
    largest = max(len(g.members) for g in groups)
    n = largest if n is None else check_count("n", n, 2)
    if n < largest:
        raise ParameterError(f"n must be at least the largest group ({largest} members), got {n}")
    model = MultilevelSelection(n, len(groups), q, w, game, fitness)
    steps = _check_steps("steps", steps)
    runs = check_count("runs", runs, 1)
    record_every = check_count("record_every", record_every, 1)
    records = steps // record_every + 1
    organisations = population.n_organisations
    check("generations", runs * records * (len(groups) * 2 + organisations * 2 + 1),
          f"runs={runs} x {records} records of the shares")
    slots = np.zeros((model.m, n + 1), dtype=np.int32)
    for g, group in enumerate(groups):
        slots[g, : len(group.members)] = np.asarray(group.members) + 1
    gives = np.concatenate([[False], _gives_of(population)])
    membership = np.vstack([np.zeros((1, organisations)), population.membership])
    recorder = _Recorder(membership, gives, records)
    engine = _Engine(model, slots, np.arange(model.m), gives, root_entropy(seed), steps, record_every, recorder)
    result = engine.run(0, runs)
    data = result.records
    return SelectionHistory(
        steps=result.steps, cooperator_share=data["cooperator_share"], group_share=data["group_share"],
        group_origin=data["group_origin"], organisation_share=data["organisation_share"],
        organisation_size=data["organisation_size"], descendants=data["descendants"], outcome=result.outcome,
        group_names=tuple(g.name for g in groups), organisation_names=tuple(o.name for o in population.organisations),
        person_names=tuple(p.name for p in population.people))


# --- the donation game, by b and c --------------------------------------------------------


def fixation_probability(b, c, n, m, q, w, runs, seed, *, cooperators: int = 1, status_quo: float = 0.0,
                         fitness: str = "linear", max_steps: int = 1_000_000,
                         method: str = "jumps") -> FixationEstimate:
    """Simulated fixation probability of cooperators in the donation game under multilevel selection.

    :class:`MultilevelSelection` with :func:`donation_game` ``(b, c,
    status_quo)``; every group starts full (``N = n m``), ``cooperators``
    cooperators (one by default) in the first group. Traulsen & Nowak's
    criterion: cooperation is favoured when the estimate exceeds
    ``cooperators / N`` (:attr:`FixationEstimate.neutral`).

    Parameters
    ----------
    b, c : float
        Benefit (``learning_benefit``) and cost (``leak``), ``>= 0``.
    n, m, q, w : int, int, float, float
        Largest group, number of groups, splitting probability, selection
        intensity (:class:`MultilevelSelection`).
    runs : int
        Independent runs; the standard error falls as ``1 / sqrt(runs)``.
    seed : int
    cooperators : int
        Starting cooperators, filling the first group(s).
    status_quo : float
        ``P`` (0: the paper's matrix).
    fitness : {"linear", "exponential"}
    max_steps : int
        Steps after which a run still mixed is left unresolved.
    method : {"jumps", "steps"}
        The engine (:meth:`MultilevelSelection.outcomes`).

    Returns
    -------
    FixationEstimate

    Examples
    --------
    >>> est = fixation_probability(b=3, c=1, n=4, m=6, q=0.5, w=0.0, runs=200, seed=1)
    >>> est.neutral
    0.041666666666666664
    """
    model = MultilevelSelection(n, m, q, w, donation_game(b, c, status_quo), fitness)
    return model.fixation_probability(runs, seed, cooperators, max_steps, method=method)


def rare_splitting_fixation(b, c, n, m, w, *, status_quo: float = 0.0, fitness: str = "linear") -> float:
    """``rho_within * rho_between`` for the donation game: one cooperator's fixation probability as ``q -> 0``.

    Parameters as :func:`fixation_probability`; see
    :meth:`MultilevelSelection.rare_splitting_fixation`.

    Examples
    --------
    >>> round(rare_splitting_fixation(4, 1, 4, 10, 0.05) * 40, 3)  # above 1: favoured, 4 > 1 + 4/8
    1.476
    """
    return MultilevelSelection(n, m, 0.0, w, donation_game(b, c, status_quo), fitness).rare_splitting_fixation()


def exact_fixation_probability(b, c, n, m, q, w, *, cooperators: int = 1, status_quo: float = 0.0,
                               fitness: str = "linear") -> float:
    """The donation game's fixation probability of cooperators by the full Markov chain (tiny cases).

    Parameters as :func:`fixation_probability`; see
    :meth:`MultilevelSelection.exact_fixation_probability`.

    Examples
    --------
    >>> round(exact_fixation_probability(3, 1, 2, 3, 0.3, 0.0) * 6, 12)  # no selection: 1/N
    1.0
    """
    model = MultilevelSelection(n, m, q, w, donation_game(b, c, status_quo), fitness)
    return model.exact_fixation_probability(cooperators)
