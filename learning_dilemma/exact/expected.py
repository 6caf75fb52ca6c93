"""Expected outcomes of one pairing: totals, per-round payoffs, give rates.

With ``M`` the one-round transition matrix of the pairing's chain, ``u`` the
expected stage payoffs of each joint state and ``e_0`` the start, a match with
continuation probability ``w`` (Axelrod 1984: round 1 is always played, then
each further round with probability ``w``) has the expected total

    V(w) = sum_t w^t e_0 M^t u = e_0 (I - w M)^{-1} u,

and the expected number of rounds is ``1 / (1 - w)``; a fixed-length match of
``T`` rounds sums ``e_0 M^t u`` over ``t < T``. :func:`expected_payoffs`
returns these as an :class:`Expected`, :func:`limit_of_means` the limit of the
per-round values as ``w -> 1`` (``e_0 Pi u``, ``Pi`` the Cesaro limit of
``M^t``), and :func:`per_round_curve` the per-round values for many ``w`` at
once. Besides payoffs and give rates, an :class:`Expected` carries the second
edition's metrics (``docs/model.md``, "Metrics"): what each organisation
learns, the joint value the alliance creates, the share of rounds it is open
and its expected duration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._compat import UNSET, renamed_argument
from .._validation import (
    check_continuation, check_count, check_initial_power, check_length, check_probability, continuation_of,
)
from ..errors import ParameterError
from ..games import LearningGame
from ..players.player import Player
from .chain import GIVE_A, GIVE_B, JOINT, LEARN_A, LEARN_B, MUTUAL, OPEN, PAY_A, PAY_B, _game, pairing_chain
from .solve import _check_averaging, _rate, averaged_occupancy, limit_occupancy, occupancy, visits
from .tables import PairingChains

__all__ = ["Expected", "expected_payoffs", "limit_of_means", "per_round_curve"]


@dataclass(frozen=True)
class Expected:
    """Expected outcome of a pairing.

    Attributes
    ----------
    totals : ndarray, shape (2,)
        Expected total payoffs of A and B over the match (all rounds count
        fully; with continuation ``w`` that is ``sum_t w^t E[u_t]``). ``nan``
        for the limit of means.
    per_round : ndarray, shape (2,)
        Expected payoff per round: ``totals / length`` (``averaging="ratio"``)
        or the expectation of each match's own mean (``"match"``).
    give_rates : ndarray, shape (2,)
        Share of rounds in which each gave, weighted the same way.
    mutual_giving : float
        Share of rounds in which both gave.
    length : float
        Expected number of rounds.
    learning : ndarray, shape (2,)
        What A and B learn per round, ``r_A x_B`` and ``r_B x_A`` (what
        actually transferred, times the learner's receptivity), weighted as
        ``per_round``.
    joint_learning : float
        The value the alliance creates per round,
        ``(b - c)(r_A x_B + r_B x_A) + s (r_A + r_B) x_A x_B``
        (:func:`learning_dilemma.games.learning.joint_value`: positional transfers and the race premium
        are competition, not joint learning), weighted as ``per_round``.
    open_share : float
        Share of rounds in which the alliance was open (``1 -`` the share
        closed: left in that round or before, or the race over), weighted as
        ``per_round``.
    duration : float
        Expected number of rounds the alliance was open, ``E[open rounds]``
        (whatever the averaging); ``nan`` for the limit of means.
    """

    totals: np.ndarray
    per_round: np.ndarray
    give_rates: np.ndarray
    mutual_giving: float
    length: float
    learning: np.ndarray | None = None
    joint_learning: float = float("nan")
    open_share: float = float("nan")
    duration: float = float("nan")


def _expected(shares: np.ndarray, length: float, totals=None, plain=None) -> Expected:
    """An :class:`Expected` from the per-round shares of every reward column.

    ``plain`` are the "ratio" shares where ``shares`` are averaged otherwise
    (they give the expected totals and duration)."""
    plain = shares if plain is None else plain
    totals = length * plain[[PAY_A, PAY_B]] if totals is None else totals
    duration = length * _rate(plain[OPEN]) if np.isfinite(length) else float("nan")
    return Expected(totals, shares[[PAY_A, PAY_B]], _rate(shares[[GIVE_A, GIVE_B]]), float(_rate(shares[MUTUAL])),
                    length, shares[[LEARN_A, LEARN_B]], float(shares[JOINT]), float(_rate(shares[OPEN])),
                    float(duration))


def expected_payoffs(a: Player, b: Player, game: LearningGame | None = None, continuation: float | None = None,
                     turns: int | None = None, prior_rounds: int = 0, initial_power: int = 0,
                     averaging: str = "ratio", noise: float = 0.0, *, payoffs=None) -> Expected:
    """The exact expected outcome of ``a`` (as A) against ``b``.

    Parameters
    ----------
    a, b : Player
        Automaton strategies.
    game : LearningGame, optional
    continuation, turns
        As for :class:`~learning_dilemma.match.Match` (200 turns by default).
    prior_rounds, initial_power, noise
        As for :class:`~learning_dilemma.match.Match`.
    averaging : {"ratio", "match"}
        How per-round values average over continuation matches of random
        length: ``E[total] / E[rounds]`` or ``E[total / rounds]`` (what a
        simulated tournament's payoff matrix estimates). Equal for fixed turns.
    payoffs : callable, optional
        ``payoffs(game, g_a, g_b, x_a, x_b, r_a, r_b, z) -> (u_a, u_b)``: what
        an open round pays instead of the stage payoffs (the payoff hook of
        :func:`~.chain.build_chain`); ``totals`` and ``per_round`` are then
        expectations of this rule, every other field is unchanged. Default
        :func:`~learning_dilemma.games.stage_payoffs`.

    Examples
    --------
    >>> from learning_dilemma.strategies import Defector, TitForTat
    >>> result = expected_payoffs(TitForTat(), Defector(), continuation=0.5)
    >>> result.totals  # TFT gets S + w P/(1-w), the defector T + w P/(1-w)
    array([1., 6.])
    >>> result.per_round  # (1 - w) times the totals
    array([0.5, 3. ])
    """
    game = _game(game)
    turns, continuation = check_length(turns, continuation)
    prior_rounds = check_count("prior_rounds", prior_rounds)
    initial_power = check_initial_power(initial_power, game)
    _check_averaging(averaging)
    noise = check_probability("noise", noise)
    chain = pairing_chain(a, b, game, continuation_of(turns, continuation), turns, prior_rounds, initial_power,
                          noise, payoffs=payoffs)
    if turns is not None:
        return _expected(visits(chain, turns) @ chain.rewards / turns, float(turns))
    length = 1.0 / (1.0 - continuation)
    shares = averaged_occupancy(chain, [continuation], averaging)[0] @ chain.rewards
    if averaging == "ratio":
        return _expected(shares, length)
    return _expected(shares, length, plain=occupancy(chain, [continuation])[0] @ chain.rewards)


def limit_of_means(a: Player, b: Player, game: LearningGame | None = None, continuation: float = UNSET,
                   prior_rounds: int = 0, initial_power: int = 0, *, noise: float = 0.0,
                   shadow: float = UNSET) -> Expected:
    """The long-run payoffs per round of an endless match (the limit of means).

    The Cesaro limit of the chain (:func:`~.solve.limit_occupancy`), which is
    also the limit of the per-round values as the continuation probability
    tends to 1 (Abel's theorem). Tables are compiled for the given
    ``continuation`` (what a strategy such as Calculative sees; 1 by default).
    ``shadow=`` is the deprecated name of ``continuation``.
    """
    continuation = renamed_argument("limit_of_means", "continuation", continuation, "shadow", shadow, 1.0)
    game = _game(game)
    prior_rounds = check_count("prior_rounds", prior_rounds)
    initial_power = check_initial_power(initial_power, game)
    chain = pairing_chain(a, b, game, float(continuation), None, prior_rounds, initial_power,
                          check_probability("noise", noise))
    shares = limit_occupancy(chain) @ chain.rewards
    return _expected(shares, np.inf, np.full(2, np.nan))


def per_round_curve(a: Player, b: Player, game: LearningGame | None, continuations, prior_rounds: int = 0,
                    initial_power: int = 0, averaging: str = "ratio", noise: float = 0.0,
                    columns: str = "payoffs") -> np.ndarray:
    """Per-round values for many continuation probabilities at once.

    Returns shape (len(continuations), 5): A's and B's payoff, A's and B's
    give rate and mutual giving, per round (the first five
    :data:`~.chain.REWARD_COLUMNS`; ``columns="all"`` returns all nine,
    learning, joint value and the alliance's open share included). Tables that
    depend on the continuation probability (e.g. Calculative) are compiled for
    each ``w``; values sharing a chain are solved in one batch.
    """
    game = _game(game)
    ws = [check_continuation(w) for w in np.atleast_1d(continuations)]
    _check_averaging(averaging)
    if columns not in ("payoffs", "all"):
        raise ParameterError(f"columns must be 'payoffs' or 'all', got {columns!r}")
    pairing = PairingChains(a, b, game, check_count("prior_rounds", prior_rounds),
                            check_initial_power(initial_power, game), noise=check_probability("noise", noise))
    values = pairing.per_round(ws, averaging)
    return values if columns == "all" else values[:, :5]
