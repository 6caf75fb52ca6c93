"""Exact expected payoffs of automaton pairings, as Markov chains.

A match between two automata is a Markov chain over the joint state
``(state of A, state of B, K_A, K_B, tie)`` while the alliance is open (the
automata's states and the relation: each side's knowledge stakes and the tie
strength, ``docs/model.md``), plus one absorbing state once it has closed (an
exit, or the race over). Each round, exactly as the simulator plays it
(:mod:`.engine`): each side leaves with its table's exit probability, otherwise
gives with its (noisy) give probability; a give transfers unless its tacit
knowledge fails at the tie's strength; the stage payoffs are paid at the power
position ``K_B - K_A`` of the start of the round; then the stakes run down
where a give transferred, the tie grows after mutual giving, the alliance
closes when one side has learned all it came for, and both automata move on
their own move and the partner's move as seen.

With ``M`` the one-round transition matrix, ``u`` the expected stage payoffs of
each joint state and ``e_0`` the start, a match with continuation probability
``w`` (Axelrod 1984: round 1 is always played, then each further round with
probability ``w``) has the expected total

    V(w) = sum_t w^t e_0 M^t u = e_0 (I - w M)^{-1} u,

and the expected number of rounds is ``1 / (1 - w)``. The engine works with the
normalised discounted occupation of the joint states,

    d(w) = (1 - w) e_0 (I - w M)^{-1},      d(w) 1 = 1,

found from ``d ((1 - w) I + w (I - M)) = (1 - w) e_0`` (never by inverting),
with the diagonal of ``I - M`` formed from the off-diagonal row sums so that
nothing cancels as ``w -> 1``. Stakes only fall, the tie only grows and the
closed state absorbs, so ``M`` is block upper triangular in the relation and
``d(w)`` is found relation state by relation state (block forward
substitution); close to ``w = 1`` a bordered system with the chain's Cesaro
limit keeps the solve exact. The payoff per round ``d(w) u`` stays of the
order of the stage payoffs for every ``w`` and tends to the limit of means
``e_0 Pi u`` (``Pi`` the Cesaro limit of ``M^t``), which
:func:`limit_of_means` computes separately from the chain's closed classes.
A fixed-length match of ``T`` rounds sums ``e_0 M^t u`` over ``t < T``.
Besides payoffs and give rates the engine reports what each side learns, the
joint value the alliance creates, the share of rounds it is open and its
expected duration.

"Per round" means, by default, the expected total over the expected length,
``E[total] / E[rounds]`` (``averaging="ratio"``). A simulated tournament
reports the mean over repetitions of each match's total over its own length,
``E[total / rounds]``, which differs for continuation matches;
``averaging="match"`` computes that exactly, as the integral
``E[X_L / L] = int_0^1 v(w q / (1 - w + w q)) dq`` of per-round values ``v`` at
smaller discounts (derived in ``docs/analytic.md``).

The package is split along its jobs:

- :mod:`.chain`: the chain of a pairing (:class:`Chain`, :func:`build_chain`,
  :func:`pairing_chain`) and the columns of its reward matrix;
- :mod:`.solve`: the discounted occupation ``d(w)`` (block forward
  substitution, and the bordered system with the Cesaro limit), visits of a
  fixed-length match and the two averagings;
- :mod:`.tables`: compiled tables and chains reused across contexts (what a
  table reads is found by :mod:`learning_dilemma.players.reads`);
- :mod:`.expected`: the expected outcome of one pairing (:class:`Expected`,
  :func:`expected_payoffs`, :func:`limit_of_means`, :func:`per_round_curve`);
- :mod:`.roster`: every pairing of a roster (:func:`roster_payoffs`), alone or
  over a grid of continuation values and power strengths
  (:func:`payoff_matrices`);
- :mod:`.stability`: :func:`resistance` and :func:`critical_continuation`.

Every public name is importable from here. Module-level settings are read
where they are used: patch ``exact.chain.DENSE_LIMIT``,
``exact.solve.DENSE_BATCH_BYTES``, ``exact.solve.TRIANGULAR_LIMIT`` and
``exact.solve.BLOCK_LIMIT``, not the copies here.
"""

from .chain import (
    DENSE_LIMIT,
    GIVE_A,
    GIVE_B,
    JOINT,
    LEARN_A,
    LEARN_B,
    MUTUAL,
    OPEN,
    PAY_A,
    PAY_B,
    REWARD_COLUMNS,
    Chain,
    build_chain,
    joint_value,
    pairing_chain,
)
from .expected import Expected, expected_payoffs, limit_of_means, per_round_curve
from .roster import RosterGrid, RosterPayoffs, payoff_matrices, payoff_matrix, roster_payoffs
from .solve import (
    AVERAGINGS,
    BLOCK_LIMIT,
    DENSE_BATCH_BYTES,
    TRIANGULAR_LIMIT,
    averaged_occupancy,
    averaging_plan,
    bordered_occupancy,
    ergodic_projector,
    limit_occupancy,
    occupancy,
    triangular_blocks,
    visits,
)
from .stability import critical_continuation, resistance

__all__ = [
    # chain
    "DENSE_LIMIT", "GIVE_A", "GIVE_B", "JOINT", "LEARN_A", "LEARN_B", "MUTUAL", "OPEN", "PAY_A", "PAY_B",
    "REWARD_COLUMNS", "Chain", "build_chain", "joint_value", "pairing_chain",
    # solve
    "AVERAGINGS", "BLOCK_LIMIT", "DENSE_BATCH_BYTES", "TRIANGULAR_LIMIT", "averaged_occupancy", "averaging_plan",
    "bordered_occupancy", "ergodic_projector", "limit_occupancy", "occupancy", "triangular_blocks", "visits",
    # expected
    "Expected", "expected_payoffs", "limit_of_means", "per_round_curve",
    # roster
    "RosterGrid", "RosterPayoffs", "payoff_matrices", "payoff_matrix", "roster_payoffs",
    # stability
    "critical_continuation", "resistance",
]


def __getattr__(name):
    # first-edition names of this module (CHANGELOG.md)
    from .._compat import moved_name

    return moved_name(__name__, name)
