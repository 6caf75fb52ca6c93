"""Seeds: per-repetition streams addressed by key (learning_dilemma.seeding)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import Match
from learning_dilemma.errors import ParameterError
from learning_dilemma.seeding import (
    DRAWS_PER_ROUND,
    GIVE_DRAWS,
    NOISE_DRAWS,
    TACIT_DRAWS,
    learn_draws,
    player_generators,
    repetition_draws,
    repetition_sequence,
    root_entropy,
)
from learning_dilemma.strategies import RandomPlayer, TrustBuilder


def test_root_entropy_keeps_a_seed_and_draws_fresh_entropy_for_none():
    assert root_entropy(42) == 42 and root_entropy(np.int64(7)) == 7
    assert root_entropy(None) != root_entropy(None)


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_root_entropy_rejects_anything_but_a_non_negative_whole_number(seed):
    with pytest.raises(ParameterError, match="seed must be a non-negative whole number"):
        root_entropy(seed)


def test_each_repetition_and_key_has_its_own_reproducible_stream():
    def first_draws(key, repetition):
        return repetition_draws(repetition_sequence(5, key, repetition), 4, None)[1]

    assert np.array_equal(first_draws((0, 1), 2), first_draws((0, 1), 2))
    distinct = [first_draws((0, 1), 2), first_draws((0, 1), 3), first_draws((1, 0), 2), first_draws((), 2)]
    for i in range(len(distinct)):
        for j in range(i):
            assert not np.array_equal(distinct[i], distinct[j])


def test_draws_have_five_uniforms_a_round():
    length, draws = repetition_draws(repetition_sequence(1, (), 0), 7, None)
    assert length == 7 and draws.shape == (7, DRAWS_PER_ROUND) == (7, 5)
    assert draws.min() >= 0 and draws.max() < 1


def test_noise_and_learning_columns_follow_the_first_editions_five_unchanged():
    """Columns 0-4 are the first edition's whatever is switched on (so seeded runs of the
    first-edition game are unchanged); noise adds columns 5-6 and knowledge stakes two
    learning columns after them, each from a stream of its own."""
    sequence = lambda: repetition_sequence(4, (1, 2), 3)  # noqa: E731
    plain = repetition_draws(sequence(), 6, None)[1]
    noisy = repetition_draws(sequence(), 6, None, noise=True)[1]
    learning = repetition_draws(sequence(), 6, None, learning=True)[1]
    both = repetition_draws(sequence(), 6, None, noise=True, learning=True)[1]
    assert (noisy.shape, learning.shape, both.shape) == ((6, 7), (6, 7), (6, 9))
    for draws in (noisy, learning, both):
        assert np.array_equal(draws[:, :DRAWS_PER_ROUND], plain)
    assert np.array_equal(both[:, NOISE_DRAWS[0]:NOISE_DRAWS[1] + 1], noisy[:, 5:7])
    assert np.array_equal(both[:, list(learn_draws(True))], learning[:, list(learn_draws(False))])
    assert learn_draws(False) == (5, 6) and learn_draws(True) == (7, 8)
    # every column of a round is a separate draw, addressed by player
    assert GIVE_DRAWS == (0, 1) and TACIT_DRAWS == (2, 3) and NOISE_DRAWS == (5, 6)
    assert len({float(v) for v in both[0]}) == 9


def test_continuation_lengths_are_geometric():
    """P(length = n) = (1 - w) w^(n - 1) (Axelrod 1984): check P(1) and P(2) for w = 0.6."""
    lengths = np.array([repetition_draws(repetition_sequence(3, (), k), None, 0.6)[0] for k in range(20000)])
    for n, expected in ((1, 0.4), (2, 0.24)):
        error = np.sqrt(expected * (1 - expected) / len(lengths))
        assert abs((lengths == n).mean() - expected) < 4 * error
    assert all(repetition_draws(repetition_sequence(3, (), k), None, 0.0)[0] == 1 for k in range(20))


def test_player_generators_are_distinct_and_reproducible():
    sequence = repetition_sequence(9, (2,), 0)
    a, b = player_generators(sequence)
    again_a, _ = player_generators(repetition_sequence(9, (2,), 0))
    first = a.random(3)
    assert np.array_equal(first, again_a.random(3)) and not np.array_equal(first, b.random(3))


def test_a_match_key_addresses_its_stream():
    """A tournament gives each pairing its own key: same key, same play; another key, another."""
    players = TrustBuilder(tacitness=0.2), RandomPlayer()
    play = lambda key: Match(*players, turns=50, seed=3, key=key, repetitions=4).play_batch().raw.moves[0]  # noqa: E731
    assert np.array_equal(play((0, 1)), play((0, 1)))
    assert not np.array_equal(play((0, 1)), play((1, 0)))
