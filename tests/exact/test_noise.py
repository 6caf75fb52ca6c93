"""Noise in the exact engine: the exact form of the one noise rule
(learning_dilemma.games.execution) agrees with simulation (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match
from learning_dilemma.exact import critical_continuation, expected_payoffs, resistance, roster_payoffs
from learning_dilemma.strategies import GTFT, Alternator, Defector, Grudger, TitForTat, TrustBuilder

from .helpers import POWER


@pytest.mark.parametrize("a, b", [(TitForTat(), TitForTat()), (GTFT(tacitness=0.05), Grudger()),
                                  (TrustBuilder(receptivity=0.8), TitForTat(tacitness=0.1))])
def test_noisy_pairings_agree_with_monte_carlo(a, b):
    exact = expected_payoffs(a, b, POWER, turns=30, noise=0.08)
    batch = Match(a, b, game=POWER, turns=30, seed=5, repetitions=20000, noise=0.08).play_batch()
    sample = batch.mean_payoffs
    error = sample.std(axis=0, ddof=1) / np.sqrt(len(sample))
    assert np.all(np.abs(sample.mean(axis=0) - exact.per_round) < 4 * error + 1e-12)


def test_noise_zero_is_the_noiseless_engine_and_noise_matters():
    players = [TitForTat(), GTFT(), Defector()]
    plain, quiet = roster_payoffs(players, continuation=0.9), roster_payoffs(players, continuation=0.9, noise=0.0)
    assert np.array_equal(plain.payoffs, quiet.payoffs)
    noisy = roster_payoffs(players, continuation=0.9, noise=0.05)
    assert noisy.payoffs[0, 0] < plain.payoffs[0, 0] - 0.1  # tit for tat's echoes of retaliation


def test_critical_continuation_against_a_set_is_against_every_invader():
    """Axelrod's thresholds: 1/2 against always-take, 2/3 against the alternator; against both, the larger."""
    alone = [critical_continuation(TitForTat(), invader) for invader in (Defector(), Alternator())]
    assert alone == pytest.approx([0.5, 2 / 3])
    assert critical_continuation(TitForTat(), [Defector(), Alternator()]) == pytest.approx(2 / 3)
    ws = np.linspace(0.1, 0.95, 12)
    both = resistance(TitForTat(), [Defector(), Alternator()], continuation=ws)
    separate = [resistance(TitForTat(), invader, continuation=ws) for invader in (Defector(), Alternator())]
    np.testing.assert_allclose(both, np.minimum(*separate), atol=1e-14)


def test_the_invaders_are_checked():
    from learning_dilemma.errors import ParameterError

    with pytest.raises(ParameterError, match="invaders must name at least one strategy"):
        critical_continuation(TitForTat(), [])
    with pytest.raises(ParameterError, match="invaders must be a Player or a list of Players"):
        critical_continuation(TitForTat(), "Defector")


def test_a_scenarios_noise_reaches_the_exact_roster():
    from learning_dilemma import load_scenario
    from learning_dilemma.experiments.emergence import roster_matrices

    plain = roster_matrices(load_scenario("larsson"))[0]
    noisy = roster_matrices(load_scenario("larsson", ["noise=0.05"]))[0]
    assert not np.allclose(plain, noisy)


def test_renamed_arguments_warn_and_both_names_together_are_refused():
    from learning_dilemma.errors import ParameterError
    from learning_dilemma.exact import limit_of_means

    with pytest.warns(DeprecationWarning, match=r"critical_continuation\(invader=...\) is deprecated"):
        assert critical_continuation(TitForTat(), invader=Defector()) == pytest.approx(0.5)
    with pytest.warns(DeprecationWarning, match=r"resistance\(continuations=...\) is deprecated"):
        old = resistance(TitForTat(), Defector(), continuations=0.3)
    assert old == resistance(TitForTat(), Defector(), continuation=0.3)
    with pytest.raises(ParameterError, match="give continuation or its deprecated name continuations, not both"):
        resistance(TitForTat(), Defector(), continuation=0.9, continuations=0.3)
    with pytest.raises(ParameterError, match="give continuation or its deprecated name shadow, not both"):
        limit_of_means(TitForTat(), Defector(), None, 1.0, shadow=0.9)


def test_noise_is_checked_where_a_chain_is_built():
    from learning_dilemma.errors import ParameterError
    from learning_dilemma.exact import pairing_chain

    with pytest.raises(ParameterError, match=r"noise must be in \[0, 1\], got 1.5"):
        pairing_chain(TitForTat(), Defector(), LearningGame(), 0.9, noise=1.5)
