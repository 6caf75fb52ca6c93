"""Contract: how an intended move is played (learning_dilemma.games.execution:
exit, intention, noise, tacitness) is one rule whose sampled form (both simulation
engines) and exact form (the exact engine) agree."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma.games.execution import (
    chooses, flip, give_probability, intends_give, noisy_give_probability, played_give_probability, transfers,
)


@pytest.mark.parametrize("give", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("noise", [0.0, 0.05, 0.5, 1.0])
def test_the_sampled_flip_has_the_exact_give_probability(give, noise):
    """Evenly spaced draws give exact frequencies: intention u < give, flip where v < noise."""
    grid = (np.arange(200) + 0.5) / 200
    u, v = np.meshgrid(grid, grid, indexing="ij")
    played = flip(u < give, v, noise)
    assert played.mean() == pytest.approx(noisy_give_probability(give, noise), abs=1e-12)


def test_the_scalar_and_array_forms_agree():
    draws = np.linspace(0, 1, 11)
    for intended in (False, True):
        arrays = flip(np.full(11, intended), draws, 0.35)
        assert [bool(flip(intended, d, 0.35)) for d in draws] == arrays.tolist()
    assert flip(True, 0.2, 0.2) and not flip(True, 0.1999, 0.2)  # flipped iff draw < noise


@pytest.mark.parametrize("give", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("noise", [0.0, 0.1])
@pytest.mark.parametrize("tacitness", [0.0, 0.25, 1.0])
def test_the_three_sampled_steps_have_the_exact_give_probability(give, noise, tacitness):
    grid = (np.arange(40) + 0.5) / 40  # evenly spaced draws: exact frequencies
    u, v, t = np.meshgrid(grid, grid, grid, indexing="ij")
    played = transfers(flip(intends_give(u, give), v, noise), t, tacitness)
    assert played.mean() == pytest.approx(give_probability(give, noise, tacitness), abs=1e-12)


@pytest.mark.parametrize("leave", [0.0, 0.1, 0.5, 1.0])
@pytest.mark.parametrize("give", [0.0, 0.3, 1.0])
def test_one_draw_splits_into_exit_then_give(leave, give):
    """P(exit) = q and P(give) = (1 - q) p from one uniform: leave below q, give below
    q + (1 - q) p (Hauert et al. 2002's loner before the intention)."""
    grid = (np.arange(10_000) + 0.5) / 10_000
    leaves, gives = chooses(grid, leave, give)
    assert not (leaves & gives).any()
    assert leaves.mean() == pytest.approx(leave, abs=1e-4)
    assert gives.mean() == pytest.approx((1 - leave) * give, abs=1e-4)
    scalar = [tuple(map(bool, chooses(float(d), leave, give))) for d in grid[::101]]
    assert scalar == list(zip(leaves[::101].tolist(), gives[::101].tolist()))


def test_without_exit_the_draw_decides_exactly_as_the_first_edition_did():
    """q = 0 gives exactly draw < p (not only in distribution): seeded runs are unchanged."""
    rng = np.random.default_rng(1)
    draws, probabilities = rng.random(100_000), rng.random(100_000)
    probabilities[:5] = (0.0, 1.0, 0.5, 0.3, 0.7)
    draws[:5] = (0.0, 0.999, 0.5, 0.3, 0.6999999999999)
    leaves, gives = chooses(draws, 0.0, probabilities)
    assert not leaves.any() and np.array_equal(gives, draws < probabilities)
    assert np.array_equal(gives, intends_give(draws, probabilities))


@pytest.mark.parametrize("leave", [0.0, 0.2, 1.0])
@pytest.mark.parametrize("give", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("noise", [0.0, 0.1, 1.0])
def test_the_sampled_exit_intention_and_noise_have_the_exact_played_give_probability(leave, give, noise):
    """An exit is not flipped: the played give is (not left) and the flipped intention."""
    grid = (np.arange(200) + 0.5) / 200
    u, v = np.meshgrid(grid, grid, indexing="ij")
    leaves, gives = chooses(u, leave, give)
    played = flip(gives, v, noise) & ~leaves
    assert played.mean() == pytest.approx(played_give_probability(leave, give, noise), abs=1e-12)
    assert leaves.mean() == pytest.approx(leave, abs=1e-12)
