"""The round-by-round engine: any player, one round at a time.

It calls each player's ``strategy(opponent)`` and follows the same rules of a
round as :mod:`.vectorised`, consuming the same pre-drawn uniforms, so an
automaton gives identical results through either engine.
"""

from __future__ import annotations

import numpy as np

from ..games import ladder_step_scalar
from ..games.noise import flip
from ..moves import Move
from ..players.automaton import MatchContext
from ..players.player import Player
from ..seeding import GIVE_DRAWS, LADDER_DRAW, NOISE_DRAWS, TACIT_DRAWS

__all__ = ["intend", "play_generic"]


def play_generic(
    players: tuple[Player, Player],
    context: MatchContext,
    draws: np.ndarray,
    rngs: tuple[np.random.Generator, np.random.Generator],
    prior_rounds: int = 0,
    initial_power: int = 0,
    noise: float = 0.0,
):
    """Play one repetition round by round, calling each player's ``strategy``.

    The players must be fresh (see :func:`learning_dilemma.players.player.fresh`).
    Returns the moves, shape (players, rounds), with 1 for GIVE, and the power
    trajectory. With ``noise > 0`` each intention is flipped with that
    probability (:mod:`learning_dilemma.games.noise`) before tacitness.
    """
    first, second = players
    power = context.game.power
    length = draws.shape[0]
    moves = np.empty((2, length), dtype=np.int8)
    trajectory = np.empty(length + 1, dtype=np.int64)
    z = int(initial_power)
    trajectory[0] = z
    first.begin(context, rngs[0], z, prior_rounds)
    second.begin(context, rngs[1], -z, prior_rounds)
    for t in range(length):
        step = draws[t]
        intend_first = intend(first.strategy(second), step[GIVE_DRAWS[0]])
        intend_second = intend(second.strategy(first), step[GIVE_DRAWS[1]])
        if noise:
            intend_first = bool(flip(intend_first, step[NOISE_DRAWS[0]], noise))
            intend_second = bool(flip(intend_second, step[NOISE_DRAWS[1]], noise))
        give_first = intend_first and step[TACIT_DRAWS[0]] >= first.tacitness
        give_second = intend_second and step[TACIT_DRAWS[1]] >= second.tacitness
        move_first, move_second = Move(int(give_first)), Move(int(give_second))
        if power.active:
            z = ladder_step_scalar(z, move_first, move_second, step[LADDER_DRAW],
                                   first.receptivity, second.receptivity, power)
        moves[:, t] = move_first, move_second
        trajectory[t + 1] = z
        first.update(move_first, move_second, z)
        second.update(move_second, move_first, -z)
    return moves, trajectory


def intend(choice, draw: float) -> bool:
    """Resolve a strategy's answer (a move or a give probability) to a bool."""
    if isinstance(choice, Move):
        return choice is Move.GIVE
    if isinstance(choice, (bool, np.bool_)):
        return bool(choice)
    probability = float(choice)
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"strategy returned {choice!r}: expected a Move or a probability in [0, 1]")
    return draw < probability
