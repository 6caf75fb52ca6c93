"""The two-level payoff rule (games/levels.py): reductions to the bit, and each term's effect.

Every test of an effect also switches its term off and checks that the effect
is gone (the ablation), so it fails if the mechanism is missing.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from learning_dilemma.games import Knowledge, LearningGame, Power, stage_payoff
from learning_dilemma.games.levels import (
    IDENTITIES, act_value, competitive_value, organisation_payoff, person_payoff, person_rstp, prescription,
)
from learning_dilemma.games.learning import payoff_parts

GAMES = [
    LearningGame(),
    LearningGame(overlap=0.4),
    LearningGame(status_quo=0.7, learning_benefit=3.1, leak=1.3, synergy=0.9, race_premium=1.7,
                 power=Power(0.8), knowledge=Knowledge(levels=3, pace=0.5)),
]

# every outcome of a round: (g_i, g_j, x_i, x_j), a transfer only where there was a give
OUTCOMES = [(g_i, g_j, x_i, x_j) for g_i, g_j, x_i, x_j in itertools.product((0, 1), repeat=4)
            if x_i <= g_i and x_j <= g_j]


def _grid():
    """Vectorised arguments: every outcome at several receptivities and positions."""
    rows = [(*o, r_i, r_j, z) for o in OUTCOMES for r_i in (0.2, 1.0) for r_j in (0.55, 1.0) for z in (-2, 0, 3)]
    return [np.array(column, dtype=float) for column in zip(*rows)]


@pytest.mark.parametrize("game", GAMES)
def test_both_levels_are_the_stage_payoff_to_the_bit_at_the_limits(game):
    g_i, g_j, x_i, x_j, r_i, r_j, z = _grid()
    stage = stage_payoff(game, g_i, g_j, x_i, x_j, r_i, r_j, z)
    person = person_payoff(game, g_i, g_j, x_i, x_j, r_i, r_j, z, 1.0, 1.0, 1.0)
    person = person + act_value(g_i, 0.0, 0.0, prescription("organisation"))
    organisation = organisation_payoff(game, g_i, g_j, x_i, x_j, r_i, r_j, z, 1.0, 1.0)
    assert np.array_equal(person, stage)
    assert np.array_equal(organisation, stage)


def test_the_defaults_reduce_to_axelrods_payoffs():
    game = LearningGame()
    assert person_rstp(game) == (3.0, 0.0, 5.0, 1.0)


@pytest.mark.parametrize("game", GAMES)
def test_levels_are_sums_of_the_documented_parts(game):
    """U = P + A + lambda C^alpha and Pi = P + alpha A + C^alpha, from the parts of the stage payoff."""
    g_i, g_j, x_i, x_j, r_i, r_j, z = _grid()
    a_i, a_j, lam = 0.3, 0.8, 0.45
    parts = payoff_parts(game, g_i, g_j, x_i, x_j, r_i, r_j, z)
    own = parts["absolute"] + parts["created"]
    held = payoff_parts(game, g_i, g_j, x_i, x_j, a_i * r_i, a_j * r_j, z)
    competitive = held["positional"] + held["race premium"]
    person = person_payoff(game, g_i, g_j, x_i, x_j, r_i, r_j, z, a_i, a_j, lam)
    organisation = organisation_payoff(game, g_i, g_j, x_i, x_j, r_i, r_j, z, a_i, a_j)
    np.testing.assert_allclose(person, game.status_quo + own + lam * competitive, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(organisation, game.status_quo + a_i * own + competitive, rtol=1e-12, atol=1e-12)


def test_absorbed_standing_still_sums_to_zero_between_the_organisations():
    """The positional part with absorbed receptivities is a transfer between the two organisations."""
    game = LearningGame(race_premium=0.0)
    g_i, g_j, x_i, x_j, r_i, r_j, z = _grid()
    first = competitive_value(game, g_i, g_j, x_i, x_j, 0.3 * r_i, 0.9 * r_j, z)
    second = competitive_value(game, g_j, g_i, x_j, x_i, 0.9 * r_j, 0.3 * r_i, -z)
    np.testing.assert_allclose(first + second, 0.0, atol=1e-15)


def test_absorption_keeps_learning_from_the_organisation():
    """KITe (seed 001 s.6): what the person learned stayed individual. A take against a
    give pays the organisation what its person learned times alpha; at alpha = 0 nothing
    of the learning reaches it (ablation: alpha = 1 gives the whole value)."""
    game = LearningGame()
    learned = {alpha: float(organisation_payoff(game, 0, 1, 0, 1, 1.0, 1.0, 0, alpha, 1.0))
               for alpha in (0.0, 0.5, 1.0)}
    # absolute (b - c) = 1, positional gain c = 1 and race premium e = 2, all scaled by alpha
    assert learned == {0.0: 1.0, 0.5: 1.0 + 0.5 * 4.0, 1.0: 5.0}
    # the person's own learning does not depend on the organisation's absorption
    person = [float(person_payoff(game, 0, 1, 0, 1, 1.0, 1.0, 0, alpha, 1.0, 0.0)) for alpha in (0.0, 1.0)]
    assert person[0] == person[1] == 2.0


def test_a_rivals_absorption_limits_the_leak_an_organisation_suffers():
    game = LearningGame()
    leak = {alpha: float(organisation_payoff(game, 1, 0, 1, 0, 1.0, 1.0, 0, 1.0, alpha)) for alpha in (0.0, 1.0)}
    assert leak == {0.0: 1.0, 1.0: 0.0}  # S = 0 when the rival holds what leaked, P when it never reaches it


def test_identification_is_the_share_of_the_leak_a_person_feels():
    """A giver facing a taker: the person feels lambda of the organisation's leak c."""
    game = LearningGame()
    felt = {lam: float(person_payoff(game, 1, 0, 1, 0, 1.0, 1.0, 0, 1.0, 1.0, lam)) for lam in (0.0, 0.5, 1.0)}
    assert felt == {0.0: 1.0, 0.5: 0.5, 1.0: 0.0}


def test_recognition_pays_each_act_of_sharing_and_nothing_for_a_take():
    gives, takes = act_value(np.array([1.0, 1.0]), 0.7, 0.0, 0.0), act_value(np.array([0.0]), 0.7, 0.0, 0.0)
    assert gives.tolist() == [0.7, 0.7] and takes.tolist() == [0.0]
    assert act_value(1, 0.0, 0.0, 0.0) == 0.0  # ablation


@pytest.mark.parametrize("identity", sorted(IDENTITIES))
def test_identity_penalises_acting_against_its_prescription(identity):
    """Akerlof & Kranton (2000): the loss kappa falls on the act the salient identity forbids."""
    xstar = prescription(identity)
    forbidden = 1 - xstar
    assert act_value(forbidden, 0.0, 0.4, xstar) == -0.4
    assert act_value(xstar, 0.0, 0.4, xstar) == 0.0
    assert act_value(forbidden, 0.0, 0.0, xstar) == 0.0  # ablation


def test_low_identification_means_the_person_does_not_feel_torn():
    """Seed 001 s.7: people do not feel the dilemma as their organisations do.
    Hand-derived at the defaults: R = 3 + rho, S = 1 - lambda + rho, T = 2 + 3 lambda, P = 1."""
    game = LearningGame()
    for lam in (0.0, 0.2, 0.5, 0.9):
        for rho in (0.0, 0.3):
            R, S, T, P = person_rstp(game, lam, recognition=rho)
            assert (R, S, T, P) == pytest.approx((3 + rho, 1 - lam + rho, 2 + 3 * lam, 1.0), abs=1e-12)
    # the threshold lambda* = (1 + rho) / 3: torn above, not below
    R, S, T, P = person_rstp(game, 0.3)
    assert R > T  # not tempted to take a giver's knowledge
    R, S, T, P = person_rstp(game, 0.4)
    assert T > R > P > S  # the dilemma, felt
    # ablation: recognition raises the threshold; without it 0.4 is torn, with rho = 0.3 it is not
    R, S, T, P = person_rstp(game, 0.4, recognition=0.3)
    assert R > T
    # and the organisation, whatever its person feels, keeps Axelrod's dilemma
    assert person_rstp(game, 1.0) == (3.0, 0.0, 5.0, 1.0)


def test_a_professional_identity_makes_sharing_the_persons_best_reply():
    game = LearningGame()
    R, S, T, P = person_rstp(game, 1.0, identity="profession", identity_weight=2.5)
    assert R > T and S > P  # giving dominates
    R, S, T, P = person_rstp(game, 1.0, identity="profession", identity_weight=0.0)
    assert T > R and P > S  # ablation: the dilemma again
