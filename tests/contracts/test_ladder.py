"""Contract: the power ladder is one rule (learning_dilemma.games.ladder) and its
three forms, the vectorised step, the scalar step and the exact transition law,
agree with it and with each other in every case."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from learning_dilemma import Power
from learning_dilemma.games import ladder_step, ladder_step_scalar, ladder_transitions

POWER = Power(strength=0.5, levels=2, rebalance=0.4)
POSITIONS = range(-2, 3)
OUTCOMES = ((0, 0), (0, 1), (1, 0), (1, 1))
RECEPTIVITIES = ((0.3, 1.0), (1.0, 0.6), (0.0, 0.0))


def expected_step(z, give_a, give_b, draw, r_a, r_b, rebalance, m):
    """The ladder rule of docs/model.md, written out case by case."""
    if (give_a, give_b) == (0, 1) and draw < r_a:
        z += 1  # A took and could absorb: toward A
    elif (give_a, give_b) == (1, 0) and draw < r_b:
        z -= 1
    elif (give_a, give_b) == (1, 1) and draw < rebalance:
        z -= int(np.sign(z))  # one step toward parity
    return max(-m, min(m, z))


def expected_law(z, give_a, give_b, r_a, r_b, power):
    """The law as a dict {next position: probability}, from the written-out rule."""
    law = {}
    if not power.active:
        return {z: 1.0}
    chance = {(0, 1): r_a, (1, 0): r_b, (1, 1): power.rebalance}.get((give_a, give_b), 0.0)
    moved = expected_step(z, give_a, give_b, -1.0, 1.0, 1.0, 1.0, power.levels)  # where it goes if it moves
    law[moved] = law.get(moved, 0.0) + chance
    law[z] = law.get(z, 0.0) + 1.0 - chance
    return {k: v for k, v in law.items() if v > 0}


CASES = list(itertools.product(POSITIONS, (0, 1), (0, 1), (0.1, 0.35, 0.5, 0.9), (0.3, 1.0), (0.0, 0.6)))


def test_the_vectorised_and_scalar_steps_follow_the_written_rule_in_every_case():
    z, give_a, give_b, draw, r_a, r_b = (np.array(column) for column in zip(*CASES))
    vectorised = ladder_step(z, give_a, give_b, draw, r_a, r_b, POWER)
    for k, case in enumerate(CASES):
        expected = expected_step(*case, POWER.rebalance, POWER.levels)
        assert vectorised[k] == expected, case
        assert ladder_step_scalar(*case, POWER) == expected, case


@pytest.mark.parametrize("power", [POWER, Power(strength=0.0, levels=2), Power(strength=1.0, levels=1, rebalance=1.0)])
def test_the_exact_law_is_the_distribution_of_the_sampled_step(power):
    """The transition law gives each next position the measure of the draws that lead there."""
    grid = (np.arange(10_000) + 0.5) / 10_000  # evenly spaced draws: exact frequencies to 1e-4
    for z, (give_a, give_b), (r_a, r_b) in itertools.product(range(-power.levels, power.levels + 1), OUTCOMES,
                                                               RECEPTIVITIES):
        law = {}
        for following, chance in ladder_transitions(np.array([z]), give_a, give_b, r_a, r_b, power):
            law[int(following[0])] = law.get(int(following[0]), 0.0) + float(np.asarray(chance))
        law = {k: v for k, v in law.items() if v > 0}
        assert law == pytest.approx(expected_law(z, give_a, give_b, r_a, r_b, power)), (z, give_a, give_b)
        sampled = ladder_step(np.full(grid.size, z), give_a, give_b, grid, r_a, r_b, power)
        frequencies = {int(k): c / grid.size for k, c in zip(*np.unique(sampled, return_counts=True))}
        assert frequencies == pytest.approx(law, abs=1e-4)
        scalar = [ladder_step_scalar(z, give_a, give_b, d, r_a, r_b, power) for d in grid[::50]]
        assert scalar == sampled[::50].tolist()


def test_power_off_freezes_the_ladder_in_every_form():
    off = Power(strength=0.0, levels=2)
    z = np.arange(-2, 3)
    assert np.array_equal(ladder_step(z, 0, 1, np.zeros(5), 1.0, 1.0, off), z)
    assert ladder_step_scalar(1, 0, 1, 0.0, 1.0, 1.0, off) == 1
    for following, chance in ladder_transitions(z, 0, 1, 1.0, 1.0, off):  # all the mass stays at z
        assert np.all((np.asarray(following) == z) | (np.asarray(chance) == 0))
