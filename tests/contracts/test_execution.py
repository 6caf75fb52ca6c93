"""Contract: how an intended move is played (learning_dilemma.games.execution:
intention, noise, tacitness) is one rule whose sampled form (both simulation
engines) and exact form (the exact engine) agree."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma.games.execution import flip, give_probability, intends_give, noisy_give_probability, transfers


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
