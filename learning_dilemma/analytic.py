"""Exact expected payoffs of automaton pairings, as Markov chains.

A match between two automata is a Markov chain over the joint state
(state of A, state of B, power position z). Each round the chain draws both
moves (give probabilities, then tacitness), pays the stage payoffs at the
current ``z`` and moves the ladder and both automata (``docs/model.md``). With
continuation probability ``w`` (Axelrod 1984) the expected total is

    V = e_0 (I - w M)^{-1} u,

with ``M`` the one-round transition matrix, ``u`` the expected stage payoffs of
each joint state and ``e_0`` the start. We solve the linear system (never
invert), restricted to the states reachable from the start; the value per round
``(1 - w) V`` tends to the limit-of-means payoff as ``w -> 1``. Fixed-length
matches sum ``e_0 M^t u`` over the rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .automaton import MatchContext
from .errors import ParameterError
from .game import LearningGame, check_continuation, stage_payoffs
from .match import check_initial_power, check_length, shadow_of
from .player import Player

# Columns of the per-state reward matrix: A's payoff, B's payoff, A gives,
# B gives, both give.
PAY_A, PAY_B, GIVE_A, GIVE_B, MUTUAL = range(5)


@dataclass(frozen=True)
class Expected:
    """Expected outcome of a pairing.

    Attributes
    ----------
    totals : ndarray, shape (2,)
        Expected (discounted, for continuation) total payoffs of A and B.
    per_round : ndarray, shape (2,)
        Totals divided by the expected number of rounds: ``(1 - w) totals`` for
        continuation matches, ``totals / turns`` for fixed ones.
    give_rates : ndarray, shape (2,)
        Expected share of rounds each gives (same weighting).
    mutual_giving : float
    """

    totals: np.ndarray
    per_round: np.ndarray
    give_rates: np.ndarray
    mutual_giving: float


def chain(table_a, table_b, game: LearningGame, receptivity=(1.0, 1.0), tacitness=(0.0, 0.0)):
    """The one-round transition matrix and per-state rewards of a pairing.

    Returns
    -------
    M : ndarray, shape (N, N)
        Over joint states ``(sa, sb, k)`` flattened, ``k = z + m``.
    rewards : ndarray, shape (N, 5)
        Expected A payoff, B payoff, A gives, B gives, both give, per state.
    """
    m = game.power.levels
    L = 2 * m + 1
    Sa, Sb = table_a.n_states, table_b.n_states
    sa, sb, k = (g.ravel() for g in np.meshgrid(np.arange(Sa), np.arange(Sb), np.arange(L), indexing="ij"))
    z = k - m
    n = sa.size
    give_a = table_a.give[sa, k] * (1 - tacitness[0])
    give_b = table_b.give[sb, L - 1 - k] * (1 - tacitness[1])
    rewards = np.zeros((n, 5))
    M = np.zeros((n, n))
    power = game.power
    for move_a in (0, 1):
        for move_b in (0, 1):
            p = (give_a if move_a else 1 - give_a) * (give_b if move_b else 1 - give_b)
            u_a, u_b = stage_payoffs(game, move_a, move_b, receptivity[0], receptivity[1], z)
            rewards[:, PAY_A] += p * u_a
            rewards[:, PAY_B] += p * u_b
            rewards[:, GIVE_A] += p * move_a
            rewards[:, GIVE_B] += p * move_b
            rewards[:, MUTUAL] += p * move_a * move_b
            next_a = table_a.next_state[sa, move_a, move_b]
            next_b = table_b.next_state[sb, move_b, move_a]
            for step, chance in _ladder_moves(move_a, move_b, z, receptivity, power):
                z_next = np.clip(z + step, -m, m)
                target = (next_a * Sb + next_b) * L + (z_next + m)
                np.add.at(M, (np.arange(n), target), p * chance)
    return M, rewards


def _ladder_moves(move_a, move_b, z, receptivity, power):
    """``(step, probability)`` pairs of the ladder after one outcome (Hamel 1991)."""
    if not power.active or move_a == move_b == 0:
        return [(0, 1.0)]
    if move_a == 0:  # A took what B gave
        return [(1, receptivity[0]), (0, 1 - receptivity[0])]
    if move_b == 0:
        return [(-1, receptivity[1]), (0, 1 - receptivity[1])]
    return [(-np.sign(z), power.rebalance), (0, 1 - power.rebalance)]


def reachable(M: np.ndarray, start: int) -> np.ndarray:
    """Indices of the states reachable from ``start`` (breadth first)."""
    seen = np.zeros(len(M), dtype=bool)
    seen[start] = True
    frontier = np.array([start])
    while frontier.size:
        successors = np.unique(np.nonzero(M[frontier] > 0)[1])
        frontier = successors[~seen[successors]]
        seen[frontier] = True
    return np.nonzero(seen)[0]


def discounted(M, rewards, start: int, continuations) -> np.ndarray:
    """Expected discounted sums ``e_start (I - wM)^{-1} rewards`` for each ``w``.

    Returns an array of shape (len(continuations), rewards.shape[1]).
    """
    states = reachable(M, start)
    sub = M[np.ix_(states, states)]
    r = rewards[states]
    first = int(np.searchsorted(states, start))
    ws = np.asarray(continuations, dtype=float)
    identity = np.eye(len(states))
    systems = identity[None] - ws[:, None, None] * sub[None]
    values = np.linalg.solve(systems, np.broadcast_to(r, (len(ws),) + r.shape))
    return values[:, first, :]


def finite(M, rewards, start: int, turns: int) -> np.ndarray:
    """Expected sums of ``rewards`` over exactly ``turns`` rounds from ``start``."""
    distribution = np.zeros(len(M))
    distribution[start] = 1.0
    total = np.zeros(rewards.shape[1])
    for _ in range(turns):
        total += distribution @ rewards
        distribution = distribution @ M
    return total


def _pairing(a: Player, b: Player, game, shadow, turns, prior_rounds, initial_power):
    for name, player in (("a", a), ("b", b)):
        if not player.is_automaton:
            raise ParameterError(f"the analytic engine needs automaton strategies; player {name} is {player.label}")
    context = MatchContext(game, shadow, turns)
    table_a, table_b = a.compiled(context), b.compiled(context)
    M, rewards = chain(table_a, table_b, game, (a.receptivity, b.receptivity), (a.tacitness, b.tacitness))
    L = game.power.ladder_size
    start = ((table_a.after_prior_rounds(prior_rounds) * table_b.n_states
              + table_b.after_prior_rounds(prior_rounds)) * L + initial_power + game.power.levels)
    return M, rewards, start


def expected_payoffs(a: Player, b: Player, game: LearningGame | None = None, continuation: float | None = None,
                     turns: int | None = None, prior_rounds: int = 0, initial_power: int = 0) -> Expected:
    """The exact expected outcome of ``a`` against ``b``.

    Examples
    --------
    >>> from learning_dilemma.strategies import Defector, TitForTat
    >>> result = expected_payoffs(TitForTat(), Defector(), continuation=0.5)
    >>> result.totals  # TFT gets S + w P/(1-w), the defector T + w P/(1-w)
    array([1., 6.])
    """
    game = game if game is not None else LearningGame()
    turns, continuation = check_length(turns, continuation)
    initial_power = check_initial_power(initial_power, game)
    M, rewards, start = _pairing(a, b, game, shadow_of(turns, continuation), turns, prior_rounds, initial_power)
    if continuation is not None:
        sums = discounted(M, rewards, start, [continuation])[0]
        scale = 1 - continuation
    else:
        sums = finite(M, rewards, start, turns)
        scale = 1 / turns
    return Expected(sums[[PAY_A, PAY_B]], scale * sums[[PAY_A, PAY_B]], scale * sums[[GIVE_A, GIVE_B]],
                    float(scale * sums[MUTUAL]))


def per_round_curve(a: Player, b: Player, game: LearningGame, continuations, prior_rounds: int = 0,
                    initial_power: int = 0) -> np.ndarray:
    """Per-round values for many continuation probabilities at once.

    Returns shape (len(continuations), 5): A's and B's payoff, A's and B's give
    rate and mutual giving, per round. Strategies whose tables depend on the
    shadow (e.g. Calculative) are compiled for each ``w``.
    """
    ws = np.array([check_continuation(w) for w in continuations])
    out = np.empty((len(ws), 5))
    groups = {}
    for k, w in enumerate(ws):
        M, rewards, start = _pairing(a, b, game, float(w), None, prior_rounds, initial_power)
        key = (M.tobytes(), rewards.tobytes(), start)
        groups.setdefault(key, (M, rewards, start, []))[3].append(k)
    for M, rewards, start, indices in groups.values():
        sums = discounted(M, rewards, start, ws[indices])
        out[indices] = (1 - ws[indices])[:, None] * sums
    return out


def payoff_matrix(players, game: LearningGame | None = None, continuation: float | None = None,
                  turns: int | None = None, prior_rounds: int = 0, initial_power: int = 0):
    """Per-round payoffs and give rates of every ordered pairing of a roster.

    Returns
    -------
    payoffs : ndarray, shape (n, n)
        ``payoffs[i, j]``: the per-round payoff of ``players[i]`` against ``players[j]``.
    gives : ndarray, shape (n, n)
        ``gives[i, j]``: the give rate of ``players[i]`` against ``players[j]``.
    """
    game = game if game is not None else LearningGame()
    n = len(players)
    payoffs, gives = np.empty((n, n)), np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            result = expected_payoffs(players[i], players[j], game, continuation, turns, prior_rounds, initial_power)
            payoffs[i, j], payoffs[j, i] = result.per_round
            gives[i, j], gives[j, i] = result.give_rates
    return payoffs, gives


def resistance(resident: Player, invader: Player, game: LearningGame, continuation: float) -> float:
    """How much better the resident does against itself than the invader does
    against it, per round; resists where this is >= 0 (Axelrod 1984's collective
    stability, against this invader)."""
    home = per_round_curve(resident, resident.clone(), game, [continuation])[0, PAY_A]
    away = per_round_curve(invader, resident, game, [continuation])[0, PAY_A]
    return float(home - away)


def critical_continuation(resident: Player, invader: Player, game: LearningGame | None = None,
                          grid: int = 400, tolerance: float = 1e-10) -> float | None:
    """The smallest continuation probability from which the resident resists the invader.

    Scans ``w`` on ``[0, 1)`` for the last sign change of :func:`resistance`
    and refines it with Brent's method (scipy). Returns 0.0 if it always
    resists, ``None`` if it never does below ``w = 1 - 1e-6``.

    Examples
    --------
    >>> from learning_dilemma.strategies import Defector, TitForTat
    >>> round(critical_continuation(TitForTat(), Defector()), 9)  # (T - R) / (T - P)
    0.5
    """
    from scipy.optimize import brentq

    game = game if game is not None else LearningGame()
    ws = np.linspace(0.0, 1 - 1e-6, grid)
    home = per_round_curve(resident, resident.clone(), game, ws)[:, PAY_A]
    away = per_round_curve(invader, resident, game, ws)[:, PAY_A]
    margin = home - away
    resists = margin >= -tolerance
    if resists.all():
        return 0.0
    if not resists[-1]:
        return None
    last_fail = int(np.nonzero(~resists)[0][-1])
    low, high = ws[last_fail], ws[last_fail + 1]
    f = lambda w: resistance(resident, invader, game, w)  # noqa: E731
    if f(high) == 0:
        return float(high)
    try:
        return float(brentq(f, low, high, xtol=1e-12))
    except ValueError:  # a jump (a strategy's table changes with w) rather than a crossing
        return float(high)
