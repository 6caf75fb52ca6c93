"""The exact engine against simulation on pairings that use the second edition's
relation: knowledge stakes (and the race over), exit, partial overlap and
domains, ties and tacit transfer, power, noise, prior rounds and initial power.

Each pairing is played by the simulator (``Match(...).play_batch()``) with its
own seed, and every figure the exact engine reports is compared with its
estimate within 4 standard errors: per-round figures with the ratio estimator
``E[total] / E[length]`` (what ``averaging="ratio"`` computes) and its
delta-method standard error, the expected duration with the plain mean. The
simulated figures are counted here from the raw rounds (moves, transfers,
lengths), and the joint value from the stage game's formula written out
(``docs/model.md``, "Metrics"), not from the engine's reward columns.
"""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match
from learning_dilemma.exact import expected_payoffs
from learning_dilemma.games import Domain, Knowledge, Ties
from learning_dilemma.moves import EXIT, GIVE
from learning_dilemma.strategies import (
    GTFT,
    BoundarySpanner,
    Calculative,
    ContractualReciprocator,
    HabitualAvoidance,
    Peer,
    RaceToLearn,
    TrustBuilder,
)

from .helpers import POWER, RELATION

LARSSON = LearningGame(knowledge=Knowledge(levels=4, pace=0.3), ties=Ties(levels=3)).with_power(strength=0.5)

# seed 000's ITCOM: complementary hardware and software, competing services
ITCOM = LearningGame(domains=(Domain("hardware", 0.3, 0.1), Domain("software", 0.3, 0.1),
                              Domain("services", 0.4, 1.0)),
                     knowledge=Knowledge(levels=4, pace=0.3), ties=Ties(levels=3)).with_power(strength=0.5)

CASES = {
    # stakes, exits, ties with tacit transfer, overlap 0.7, power, noise
    "race to learn vs trust": dict(
        a=RaceToLearn(tacitness=0.2, receptivity=0.7), b=TrustBuilder(tacitness=0.15, receptivity=0.9),
        game=RELATION, length={"continuation": 0.85}, noise=0.03, seed=101),
    # domains, a fixed length, a table that reads the game
    "domains, fixed turns": dict(
        a=Calculative(tacitness=0.2), b=GTFT(tacitness=0.1, receptivity=0.6),
        game=ITCOM, length={"turns": 25}, seed=202),
    # prior rounds (the tie starts strong) and initial power: A starts two levels ahead
    "prior rounds, initial power": dict(
        a=HabitualAvoidance(tacitness=0.4), b=RaceToLearn(receptivity=0.5, tacitness=0.4),
        game=LARSSON, length={"continuation": 0.9}, prior_rounds=3, initial_power=2, seed=303),
    # a composite strategy and a power-reading peer, with noise
    "spanner vs peer": dict(
        a=BoundarySpanner(tacitness=0.1), b=Peer(tacitness=0.2, receptivity=0.8),
        game=LARSSON, length={"continuation": 0.9}, noise=0.05, seed=404),
    # two race-to-learners: either, or both in one round, may leave; or the race ends
    "two racers": dict(
        a=RaceToLearn(receptivity=0.9), b=RaceToLearn(receptivity=0.4, probe=0.5),
        game=POWER, length={"continuation": 0.8}, seed=505),
    # the first edition's endless flow: no stakes, no exit, tacit gives only
    "no stakes": dict(
        a=ContractualReciprocator(tacitness=0.2), b=GTFT(receptivity=0.5),
        game=LearningGame(overlap=0.6), length={"continuation": 0.9}, noise=0.02, seed=606),
}

REPETITIONS = 20_000


def _ratio(totals: np.ndarray, lengths: np.ndarray):
    """``E[total] / E[length]`` per column and its delta-method standard error."""
    totals = totals.reshape(len(lengths), -1)
    estimate = totals.mean(axis=0) / lengths.mean()
    residual = totals - estimate * lengths[:, None]
    return estimate, residual.std(axis=0, ddof=1) / (np.sqrt(len(lengths)) * lengths.mean())


def _simulated(case: dict):
    """Per-repetition totals of every figure, counted from the raw rounds."""
    a, b, game = case["a"], case["b"], case["game"]
    match = Match(a, b, game=game, repetitions=REPETITIONS, seed=case["seed"], noise=case.get("noise", 0.0),
                  prior_rounds=case.get("prior_rounds", 0), initial_power=case.get("initial_power", 0),
                  **case["length"])
    batch = match.play_batch()
    raw = batch.raw
    played = np.arange(raw.moves.shape[2])[None, :] < raw.lengths[:, None]
    gave = (raw.moves == GIVE) & played
    moved = (raw.transfers == 1) & played
    r_a, r_b = a.receptivity, b.receptivity
    joint = (game.learning_value * (r_a * moved[1] + r_b * moved[0])
             + game.synergy * (r_a + r_b) * (moved[0] & moved[1]))
    opened = (raw.moves[0] != EXIT) & played
    totals = {
        "per_round": batch.totals,
        "give_rates": gave.sum(axis=2).T,
        "mutual_giving": (gave[0] & gave[1]).sum(axis=1),
        "learning": np.column_stack([r_a * moved[1].sum(axis=1), r_b * moved[0].sum(axis=1)]),
        "joint_learning": joint.sum(axis=1),
        "open_share": opened.sum(axis=1),
    }
    return totals, raw.lengths.astype(float), opened.sum(axis=1)


@pytest.mark.parametrize("name", list(CASES))
def test_exact_figures_agree_with_simulation_within_four_standard_errors(name):
    case = CASES[name]
    exact = expected_payoffs(case["a"], case["b"], case["game"], noise=case.get("noise", 0.0),
                             prior_rounds=case.get("prior_rounds", 0), initial_power=case.get("initial_power", 0),
                             **case["length"])
    totals, lengths, open_rounds = _simulated(case)
    for field, values in totals.items():
        estimate, error = _ratio(values, lengths)
        analytic = np.atleast_1d(getattr(exact, field))
        assert np.all(np.abs(estimate - analytic) <= 4 * error + 1e-12), (field, estimate, analytic, error)
    error = open_rounds.std(ddof=1) / np.sqrt(len(open_rounds))
    assert abs(open_rounds.mean() - exact.duration) <= 4 * error + 1e-12
    if "turns" in case["length"]:
        assert exact.length == case["length"]["turns"]


def test_the_cases_use_what_they_claim():
    """Each case exercises its mechanism (so agreement is not agreement on nothing)."""
    figures = {name: expected_payoffs(case["a"], case["b"], case["game"], noise=case.get("noise", 0.0),
                                      prior_rounds=case.get("prior_rounds", 0),
                                      initial_power=case.get("initial_power", 0), **case["length"])
               for name, case in CASES.items()}
    for name in ("race to learn vs trust", "prior rounds, initial power", "two racers"):
        assert figures[name].open_share < 0.9  # exits or the race over close the alliance
    assert figures["no stakes"].open_share == 1.0
    assert figures["domains, fixed turns"].learning.min() > 0.05
    assert 0.0 < figures["spanner vs peer"].mutual_giving < 1.0
    # learning is asymmetric where receptivities are
    learning = figures["race to learn vs trust"].learning
    assert abs(learning[0] - learning[1]) > 0.02
