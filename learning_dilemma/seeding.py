"""Seeds: every random draw comes from a numpy Generator derived from the user's seed.

Each repetition of each pairing gets its own :class:`numpy.random.SeedSequence`,
addressed by a key (pairing indices, repetition index) rather than by the order
in which work is done, so results do not depend on batching or on the number of
processes.
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError

__all__ = [
    "BOOTSTRAP_STREAM", "CLASSROOM_STREAM", "DYNAMICS_STREAM", "FIXATION_ADDRESS", "FIXATION_STREAM", "LENGTH_STREAM",
    "MATCHING_STREAM", "PARTNER_STREAM", "REPUTATION_STREAM", "SELECTION_STREAM",
    "DRAWS_PER_ROUND", "GIVE_DRAWS", "GROUP_STREAM", "LADDER_DRAW", "NOISE_DRAWS", "STRUCTURE_STREAM", "TACIT_DRAWS",
    "TIE_STREAM", "group_draws", "group_key", "learn_draws", "player_generators", "repetition_draws",
    "repetition_sequence", "root_entropy", "structure_generator", "tie_key",
]

# Per round the engine draws, addressed by player: each player's give draw (which
# also decides an exit), each player's tacit-transfer draw, and column 4, the
# first edition's ladder step, still drawn (and unused) so that seeded runs of
# the first edition's game are unchanged.
DRAWS_PER_ROUND = 5
GIVE_DRAWS = (0, 1)
TACIT_DRAWS = (2, 3)
LADDER_DRAW = 4
# With noise on, each player's noise draw follows, from a stream of its own
# (so a noiseless match draws exactly what it drew before noise existed).
NOISE_DRAWS = (5, 6)
NOISE_STREAM = 3
# With knowledge stakes on, each player's learning draw (does a transferred give
# teach it a level?) follows the noise columns, from a stream of its own.
LEARN_STREAM = 4


def learn_draws(noise: bool) -> tuple[int, int]:
    """The columns of the two players' learning draws (after the noise columns, if any)."""
    first = DRAWS_PER_ROUND + (2 if noise else 0)
    return first, first + 1


# Networks (learning_dilemma.networks) address their draws by what is drawn for:
# a tie by its two people, a group by its index, a random structure by its own
# stream; the first element keeps these keys apart from tournament pairings (i, j).
TIE_STREAM = 101
GROUP_STREAM = 102
STRUCTURE_STREAM = 103
# The other addresses of the network layer and the classroom, listed here so no two collide:
DYNAMICS_STREAM = 104        # networks.dynamics: (seed, 104, repetition, round)
FIXATION_STREAM = 104        # networks.coalescence: (seed, 104, FIXATION_ADDRESS, run), apart from
FIXATION_ADDRESS = 2**31     # every repetition index of the dynamics
SELECTION_STREAM = 105       # networks.selection
REPUTATION_STREAM = 106      # networks.reputation
PARTNER_STREAM = 107         # networks.partner_choice
CLASSROOM_STREAM = 201       # classroom: a unit's round draws
LENGTH_STREAM = 202          # classroom: match lengths
MATCHING_STREAM = 203        # classroom: who meets whom
BOOTSTRAP_STREAM = 19        # classroom.estimate: the bootstrap over subjects (under the seed's own key)


def tie_key(first: int, second: int) -> tuple:
    """The key of the tie between people ``first`` and ``second`` (indices, either order).

    A tie's repetition draws are a match's (:func:`repetition_draws` with this
    key), so a tie plays bit for bit as ``Match(..., key=tie_key(u, v))``.
    """
    return (TIE_STREAM, min(first, second), max(first, second))


def group_key(members) -> tuple:
    """The key of the group of these people (indices, in slot order).

    Like a tie's, a group's draws depend only on who is in it (and in which
    slot), never on the other groups or the order groups were listed in.
    """
    members = tuple(int(m) for m in members)
    return (GROUP_STREAM, len(members), *members)


def structure_generator(entropy: int, *address) -> np.random.Generator:
    """The Generator of a random network structure, keyed by the seed and the structure's address."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(STRUCTURE_STREAM, *address))))


def group_draws(sequence: np.random.SeedSequence, rounds: int, size: int, noise: bool = False,
                learning: bool = False) -> np.ndarray:
    """The uniform draws of one repetition of a group of ``size`` members.

    Columns, per round: each member's give draw (``size``), each ordered pair's
    tacit-transfer draw, giver-major (``size (size - 1)``: giver 0 to 1, 2, ...,
    then giver 1 to 0, 2, ...), one unused column (a match's ladder column),
    then with ``noise`` each member's noise draw and with ``learning`` each
    member's learning draw, each from its own child stream. At ``size = 2``
    this is :func:`repetition_draws` of a fixed-length match, column for
    column, so a group of two plays bit for bit as a tie.

    Returns
    -------
    ndarray, shape (rounds, size + size (size - 1) + 1 [+ size] [+ size])
    """
    rng = np.random.Generator(np.random.PCG64(sequence))
    draws = rng.random((rounds, size * size + 1))
    parts = [draws]
    for on, stream in ((noise, NOISE_STREAM), (learning, LEARN_STREAM)):
        if on:
            child = np.random.SeedSequence(sequence.entropy, spawn_key=sequence.spawn_key + (stream,))
            parts.append(np.random.Generator(np.random.PCG64(child)).random((rounds, size)))
    return np.concatenate(parts, axis=1) if len(parts) > 1 else draws


def root_entropy(seed) -> int:
    """The entropy behind a user seed; ``None`` draws fresh entropy."""
    if seed is None:
        return int(np.random.SeedSequence().entropy)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"seed must be a non-negative whole number, got {seed!r}")
    return int(seed)


def repetition_sequence(entropy: int, key: tuple, repetition: int) -> np.random.SeedSequence:
    """The seed sequence of one repetition of the match addressed by ``key``."""
    return np.random.SeedSequence(entropy, spawn_key=tuple(key) + (repetition,))


def repetition_draws(sequence: np.random.SeedSequence, turns: int | None, continuation: float | None,
                     noise: bool = False, learning: bool = False):
    """The match length and the uniform draws of one repetition.

    The length of a continuation match is geometric: after each round the match
    goes on with probability ``continuation`` (Axelrod 1984). With ``noise``,
    two more columns (:data:`NOISE_DRAWS`) come from the repetition's noise
    stream, a child of its sequence; with ``learning`` (knowledge stakes on),
    two more (:func:`learn_draws`) from its learning stream.

    Returns
    -------
    length : int
    draws : ndarray, shape (length, DRAWS_PER_ROUND + 2 noise + 2 learning)
    """
    rng = np.random.Generator(np.random.PCG64(sequence))
    length = turns if turns is not None else int(rng.geometric(1.0 - continuation))
    draws = rng.random((length, DRAWS_PER_ROUND))
    if noise:
        child = np.random.SeedSequence(sequence.entropy, spawn_key=sequence.spawn_key + (NOISE_STREAM,))
        draws = np.concatenate([draws, np.random.Generator(np.random.PCG64(child)).random((length, 2))], axis=1)
    if learning:
        child = np.random.SeedSequence(sequence.entropy, spawn_key=sequence.spawn_key + (LEARN_STREAM,))
        draws = np.concatenate([draws, np.random.Generator(np.random.PCG64(child)).random((length, 2))], axis=1)
    return length, draws


def player_generators(sequence: np.random.SeedSequence):
    """Generators for the two players' own randomness in one repetition."""
    child_a, child_b = (
        np.random.SeedSequence(sequence.entropy, spawn_key=sequence.spawn_key + (k,)) for k in (1, 2)
    )
    return np.random.default_rng(child_a), np.random.default_rng(child_b)
