"""The second edition's stage game (learning_dilemma.games.learning), judged by issue 15:
its stated limits reproduce the first edition exactly, the positional part is a
transfer between rivals, the competitive overlap sets the dilemma, domains are one
effective overlap, and seeded first-edition runs are unchanged."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learning_dilemma import LearningGame, Match, Player
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Domain, Knowledge, Power, Ties, payoff_parts, stage_payoff, stage_payoffs
from learning_dilemma.games.learning import joint_value
from learning_dilemma.games.learning import PAYOFF_PARTS
from learning_dilemma.moves import GIVE
from learning_dilemma.strategies import (
    GTFT, Calculative, Collaboration, Competition, Grudger, RandomPlayer, TitForTat, TrustBuilder, WinStayLoseShift,
)

# reproducible examples, no example database written to disk (as tests/test_cli_contract.py)
SETTINGS = settings(deadline=None, derandomize=True, database=None)
values = st.floats(0.0, 5.0, allow_nan=False)
receptivities = st.floats(0.0, 1.0, allow_nan=False)
moves = st.integers(0, 1)


def first_edition_payoff(P, b, c, s, e, g_i, g_j, r_i, r_j):
    """The first edition's stage payoff with power off (docs/model.md of commit 1017640;
    issue 15, "What to build"): u_i = b r_i g_j + e r_i g_j (1 - g_i) - c r_j g_i
    + (2P + s (r_i + r_j) g_i g_j) / 2."""
    return b * r_i * g_j + e * r_i * g_j * (1 - g_i) - c * r_j * g_i + (2 * P + s * (r_i + r_j) * g_i * g_j) / 2


def second_edition_parts(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, gamma):
    """The five parts as issue 15 and docs/model.md state them, written out here."""
    P, b, c, s, e = game.status_quo, game.learning_benefit, game.leak, game.synergy, game.race_premium
    M, strength = game.knowledge.levels, game.power.strength
    w_i = 0.5 if M == 0 else 0.5 + strength * z_i / (2 * M)
    learned = r_i * x_j
    return {"status quo": P, "absolute": (b - c) * learned, "positional": gamma * c * (r_i * g_j - r_j * g_i),
            "race premium": gamma * e * learned * (1 - g_i), "created": w_i * s * (r_i + r_j) * x_i * x_j}


# --- stated limits ------------------------------------------------------------------


@settings(SETTINGS, max_examples=300)
@given(P=st.floats(-3.0, 3.0), b=values, c=values, s=values, e=values, g_i=moves, g_j=moves, r_i=receptivities,
       r_j=receptivities, z=st.integers(-4, 4))
def test_at_the_stated_limits_the_stage_payoff_is_the_first_editions(P, b, c, s, e, g_i, g_j, r_i, r_j, z):
    """Overlap 1, power 0 (or stakes off), no tacitness (x = g): the first edition's u_i,
    here to the bit (stage_payoff sums in the first edition's order)."""
    expected = first_edition_payoff(P, b, c, s, e, g_i, g_j, r_i, r_j)
    plain = LearningGame(status_quo=P, learning_benefit=b, leak=c, synergy=s, race_premium=e)
    limits = [
        (plain, 0),
        (plain.with_power(strength=0.7), 0),  # stakes off: M = 0, nobody depends more
        (LearningGame(status_quo=P, learning_benefit=b, leak=c, synergy=s, race_premium=e,
                      knowledge=Knowledge(levels=4, pace=0.3), ties=Ties(levels=2)), z),  # power 0 at any position
    ]
    for game, position in limits:
        assert stage_payoff(game, g_i, g_j, g_i, g_j, r_i, r_j, position) == pytest.approx(expected, rel=1e-12,
                                                                                           abs=1e-12)
    # the first edition's own grouping, w (2P + s ...) + b r_i g_j + e ... - c r_j g_i, to the bit
    old_order = 0.5 * (2 * P + s * (r_i + r_j) * g_i * g_j) + b * r_i * g_j + e * r_i * g_j * (1 - g_i) - c * r_j * g_i
    assert float(stage_payoff(plain, g_i, g_j, g_i, g_j, r_i, r_j, 0)) == old_order


def test_the_defaults_are_axelrods_3_0_5_1():
    assert LearningGame().rstp() == (3.0, 0.0, 5.0, 1.0)
    assert LearningGame(knowledge=Knowledge(levels=4, pace=0.3), ties=Ties(levels=3)).rstp() == (3.0, 0.0, 5.0, 1.0)
    assert LearningGame().is_prisoners_dilemma()


@settings(SETTINGS, max_examples=200)
@given(P=st.floats(-5, 5), gap=st.floats(0.1, 5), reward=st.floats(0.1, 5), temptation=st.floats(0.1, 5))
def test_from_payoffs_round_trips_any_strict_dilemma(P, gap, reward, temptation):
    """S < P < R < T with 2R > T + S: build the game, read R, S, T, P back."""
    S, R = P - gap, P + reward
    T = R + min(temptation, R - S - 1e-3)  # keeps 2R > T + S
    game = LearningGame.from_payoffs(R, S, T, P, synergy=max(0.0, R + P - T - S))
    assert game.rstp() == pytest.approx((R, S, T, P), abs=1e-9)
    assert game.effective_overlap == 1.0 and not game.knowledge.active


# --- the five parts --------------------------------------------------------------------


@settings(SETTINGS, max_examples=300)
@given(g_i=moves, g_j=moves, fail_i=st.booleans(), fail_j=st.booleans(), r_i=receptivities, r_j=receptivities,
       z=st.integers(-3, 3), strength=st.floats(0, 1), gamma=st.floats(0, 1), c=values, e=values)
def test_the_parts_are_the_stated_terms_the_positional_part_sums_to_zero_and_the_parts_sum_to_the_payoff(
        g_i, g_j, fail_i, fail_j, r_i, r_j, z, strength, gamma, c, e):
    game = LearningGame(leak=c, race_premium=e, overlap=gamma, knowledge=Knowledge(levels=3)).with_power(
        strength=strength)
    x_i, x_j = g_i * (not fail_i), g_j * (not fail_j)  # a give may fail to transfer; a take never transfers
    mine = payoff_parts(game, g_i, g_j, x_i, x_j, r_i, r_j, z)
    theirs = payoff_parts(game, g_j, g_i, x_j, x_i, r_j, r_i, -z)
    assert tuple(mine) == PAYOFF_PARTS
    expected = second_edition_parts(game, g_i, g_j, x_i, x_j, r_i, r_j, z, gamma)
    assert {k: float(v) for k, v in mine.items()} == pytest.approx(expected, abs=1e-12)
    assert float(mine["positional"] + theirs["positional"]) == pytest.approx(0.0, abs=1e-12)
    # the created value is split, not duplicated: the two shares add up to it
    assert float(mine["created"] + theirs["created"]) == pytest.approx(game.synergy * (r_i + r_j) * x_i * x_j)
    for parts, args in ((mine, (g_i, g_j, x_i, x_j, r_i, r_j, z)), (theirs, (g_j, g_i, x_j, x_i, r_j, r_i, -z))):
        assert float(sum(parts.values())) == pytest.approx(float(stage_payoff(game, *args)), abs=1e-12)


def test_joint_value_is_the_absolute_and_created_parts_of_both_sides():
    """What the alliance creates: both sides' absolute and created parts (the positional
    transfer and the race premium left out); a one-sided round creates only what the taker
    learned, far less than mutual giving (Larsson et al. 1998: taking reduces joint learning)."""
    game = LearningGame(overlap=0.7, knowledge=Knowledge(levels=2)).with_power(strength=0.6)
    for g_a, g_b, fail_a, fail_b, z in itertools.product((0, 1), (0, 1), (False, True), (False, True), (-2, 0, 1)):
        x_a, x_b = g_a * (not fail_a), g_b * (not fail_b)
        mine = payoff_parts(game, g_a, g_b, x_a, x_b, 0.8, 0.3, z)
        theirs = payoff_parts(game, g_b, g_a, x_b, x_a, 0.3, 0.8, -z)
        expected = sum(float(parts[k]) for parts in (mine, theirs) for k in ("absolute", "created"))
        assert float(joint_value(game, x_a, x_b, 0.8, 0.3)) == pytest.approx(expected, abs=1e-12)
    defaults = LearningGame()
    assert float(joint_value(defaults, 1, 1, 1.0, 1.0)) == 4.0 and float(joint_value(defaults, 0, 1, 1.0, 1.0)) == 1.0
    assert float(joint_value(defaults, 0, 0, 1.0, 1.0)) == 0.0


def test_the_parts_and_payoffs_work_on_arrays():
    game = LearningGame(overlap=0.4, knowledge=Knowledge(levels=2)).with_power(strength=0.5)
    g_a, g_b = np.array([[1, 1, 0, 0]]), np.array([[1, 0, 1, 0]])
    x_a, x_b = np.array([[0, 1, 0, 0]]), g_b
    z = np.array([[2, -1, 0, 1]])
    u_a, u_b = stage_payoffs(game, g_a, g_b, x_a, x_b, 0.7, 0.4, z)
    assert u_a.shape == (1, 4)
    for k in range(4):
        args = (int(g_a[0, k]), int(g_b[0, k]), int(x_a[0, k]), int(x_b[0, k]))
        assert u_a[0, k] == pytest.approx(float(stage_payoff(game, *args, 0.7, 0.4, int(z[0, k]))))
        assert u_b[0, k] == pytest.approx(float(stage_payoff(game, args[1], args[0], args[3], args[2], 0.4, 0.7,
                                                             -int(z[0, k]))))
    parts = payoff_parts(game, g_a, g_b, x_a, x_b, 0.7, 0.4, z)
    assert all(np.shape(v) == (1, 4) for v in parts.values())


# --- competitive overlap -------------------------------------------------------------


@pytest.mark.parametrize("r_i, r_j", [(1.0, 1.0), (0.3, 0.9), (0.0, 0.5)])
def test_without_overlap_giving_is_weakly_dominant_and_the_premium_and_leak_vanish(r_i, r_j):
    """gamma = 0 (pre-competitive, academic): nothing positional is at stake, so giving
    never pays less than taking, whatever the partner does (no dilemma)."""
    game = LearningGame(overlap=0.0, knowledge=Knowledge(levels=2)).with_power(strength=0.6)
    for g_j, fails, z in itertools.product((0, 1), (False, True), range(-2, 3)):
        x_j = g_j * (not fails)
        give = stage_payoff(game, 1, g_j, 1, x_j, r_i, r_j, z)
        take = stage_payoff(game, 0, g_j, 0, x_j, r_i, r_j, z)
        assert give >= take
        parts = payoff_parts(game, 0, g_j, 0, x_j, r_i, r_j, z)
        assert parts["race premium"] == 0.0 and parts["positional"] == 0.0
        assert payoff_parts(game, 1, g_j, 1, x_j, r_i, r_j, z)["positional"] == 0.0
    R, S, T, P = game.rstp()
    assert (R, S, T, P) == (3.0, 1.0, 2.0, 1.0) and not game.is_prisoners_dilemma()


def test_the_overlap_is_what_makes_the_dilemma():
    """Defaults: T = 2 + 3 gamma, R = 3, S = 1 - gamma, P = 1 (the positional part c and
    the premium e scale with gamma); taking a give pays more than mutual giving iff gamma > 1/3."""
    for gamma in (0.0, 0.2, 1 / 3, 0.5, 0.9, 1.0):
        R, S, T, P = LearningGame(overlap=gamma).rstp()
        assert (R, S, T, P) == pytest.approx((3.0, 1.0 - gamma, 2.0 + 3.0 * gamma, 1.0))
        assert LearningGame(overlap=gamma).is_prisoners_dilemma() == (gamma > 1 / 3 + 1e-12)


DOMAINS = (Domain("hardware and software", 0.6, 0.1), Domain("services", 0.4, 1.0))


def test_domains_pay_what_their_single_effective_overlap_pays():
    """Payoffs are linear in gamma: domains with shares and overlaps are one overlap
    sum_d share_d gamma_d (0.6 x 0.1 + 0.4 x 1.0 = 0.46 for ITCOM's domains, seed 000)."""
    with_domains = LearningGame(domains=DOMAINS, knowledge=Knowledge(levels=2)).with_power(strength=0.5)
    single = LearningGame(overlap=0.46, knowledge=Knowledge(levels=2)).with_power(strength=0.5)
    assert with_domains.effective_overlap == pytest.approx(0.46)
    for g_i, g_j, x_i, x_j in itertools.product((0, 1), repeat=4):
        if x_i > g_i or x_j > g_j:
            continue
        for r_i, r_j, z in ((1.0, 1.0, 0), (0.3, 0.8, 2), (0.9, 0.1, -1)):
            assert stage_payoff(with_domains, g_i, g_j, x_i, x_j, r_i, r_j, z) == pytest.approx(
                stage_payoff(single, g_i, g_j, x_i, x_j, r_i, r_j, z), abs=1e-12)
    a, b = TitForTat(receptivity=0.7), RandomPlayer(receptivity=0.4, tacitness=0.2)
    played = [Match(a, b, game=g, continuation=0.9, seed=3, repetitions=5).play_batch() for g in (with_domains, single)]
    assert np.array_equal(played[0].raw.moves, played[1].raw.moves)
    assert np.allclose(played[0].totals, played[1].totals, rtol=1e-12)
    # a single domain is its overlap
    assert LearningGame(domains=(Domain("all", 1.0, 0.3),)).rstp() == LearningGame(overlap=0.3).rstp()


@pytest.mark.parametrize("make, message", [
    (lambda: LearningGame(domains=(Domain("a", 0.5, 1.0), Domain("b", 0.3, 0.0))),
     "game.domains: the shares must sum to 1, got 0.8"),
    (lambda: LearningGame(domains=(Domain("a", 0.5, 1.0), Domain("a", 0.5, 0.0))),
     "game.domains: names must differ, got a, a"),
    (lambda: LearningGame(overlap=0.5, domains=DOMAINS),
     "give either game.overlap or game.domains (each domain has its own overlap)"),
    (lambda: LearningGame(domains=({"name": "a", "share": 1.0, "overlap": 0.5},)),
     "game.domains must hold Domain entries, got ({'name': 'a', 'share': 1.0, 'overlap': 0.5},)"),
    (lambda: Domain("", 1.0, 0.5), "game.domains: a domain needs a name, got ''"),
    (lambda: Domain("services", 0.0, 0.5), "game.domains.services.share must be in (0, 1], got 0"),
    (lambda: Domain("services", 1.0, 1.5), "game.domains.services.overlap must be in [0, 1], got 1.5"),
    (lambda: Domain("services", 1.0, "high"), "game.domains.services.overlap must be a number, got 'high'"),
    (lambda: LearningGame(overlap=-0.1), "game.overlap must be in [0, 1], got -0.1"),
])
def test_overlap_and_domain_errors_are_one_line_and_name_the_key(make, message):
    with pytest.raises(ParameterError) as error:
        make()
    assert str(error.value) == message


# --- seeded first-edition runs ---------------------------------------------------------


class MyTitForTat(Player):
    """Tit for tat written as a Python strategy (the round-by-round engine)."""

    name = "My Tit For Tat"

    def strategy(self, opponent):
        return opponent.history[-1] if opponent.history else GIVE


# Totals of Match(a, b, game=game, seed=2024, repetitions=4, noise=noise, **length).play_batch(),
# produced by the FIRST edition's code (commit 1017640, checked out in a temporary git worktree
# and run with PYTHONPATH pointing at it; tacitness 0 everywhere, since tacitness changed meaning,
# and power off, since the ladder is gone), printed with repr and pasted here. They are that
# code's output, not this code's: the second edition must reproduce them to the bit.
FIRST_EDITION = {
    ("tft-random", 0.0): ([29, 3, 26, 4], [[73.44999999999999, 54.25], [6.6000000000000005, 8.3], [68.3, 50.0],
                                           [12.600000000000001, 9.0]]),
    ("tft-random", 0.05): ([29, 3, 26, 4], [[76.45, 52.55], [5.6, 7.6], [69.85, 44.25],
                                            [12.600000000000001, 9.0]]),
    ("trust-gtft", 0.0): ([60, 60, 60, 60], [[232.5, 157.5]] * 4),
    ("trust-gtft", 0.05): ([60, 60, 60, 60], [[225.375, 154.375], [224.5, 150.5], [226.5, 152.25],
                                              [231.625, 153.625]]),
    ("calc-collab", 0.0): ([14, 2, 13, 2], [[41.699999999999996, 37.6], [6.1000000000000005, 5.5], [39.65, 35.75],
                                            [6.1000000000000005, 5.5]]),
    ("calc-collab", 0.05): ([14, 2, 13, 2], [[39.65, 35.85], [5.1, 4.6], [41.599999999999994, 33.0],
                                             [6.1000000000000005, 5.5]]),
    ("wsls-competition", 0.0): ([40, 40, 40, 40], [[40.600000000000016, 101.69999999999999],
                                                   [45.450000000000024, 98.24999999999999],
                                                   [37.30000000000002, 106.99999999999997],
                                                   [42.15000000000001, 103.54999999999997]]),
    ("wsls-competition", 0.05): ([40, 40, 40, 40], [[40.40000000000001, 110.69999999999996],
                                                    [38.750000000000014, 113.34999999999997],
                                                    [46.10000000000002, 103.69999999999997],
                                                    [38.85000000000001, 108.84999999999995]]),
    ("mytft-grudger", 0.0): ([30, 30, 30, 30], [[96.00000000000004, 60.0]] * 4),
    ("mytft-grudger", 0.05): ([30, 30, 30, 30], [[40.0, 39.6], [31.6, 38.6], [54.99999999999999, 43.599999999999994],
                                                 [62.0, 44.4]]),
}


def first_edition_pairings():
    yield "tft-random", TitForTat(), RandomPlayer(p=0.6, receptivity=0.7), LearningGame(), {"continuation": 0.95}
    yield "trust-gtft", TrustBuilder(), GTFT(receptivity=0.5), LearningGame(synergy=1.5, leak=0.5), {"turns": 60}
    yield "calc-collab", Calculative(), Collaboration(), LearningGame(), {"continuation": 0.9}
    yield "wsls-competition", WinStayLoseShift(receptivity=0.8), Competition(), LearningGame(), {"turns": 40}
    yield "mytft-grudger", MyTitForTat(), Grudger(receptivity=0.6), LearningGame(), {"turns": 30}


@pytest.mark.parametrize("noise", [0.0, 0.05])
def test_seeded_first_edition_runs_are_unchanged_to_the_bit(noise):
    """Stakes off and no exits: the second edition draws what the first drew and pays what it paid."""
    for name, a, b, game, length in first_edition_pairings():
        lengths, totals = FIRST_EDITION[name, noise]
        batch = Match(a, b, game=game, seed=2024, repetitions=4, noise=noise, **length).play_batch()
        assert batch.lengths.tolist() == lengths, name
        assert batch.totals.tolist() == totals, name  # exact equality of floats
        assert (batch.raw.moves[batch.raw.moves >= 0] != 2).all() and (batch.raw.ended_by == 0).all()
        if name != "mytft-grudger":  # the automata agree through the round-by-round engine too
            assert np.array_equal(batch.totals, Match(a, b, game=game, seed=2024, repetitions=4, noise=noise,
                                                      **length).play_batch(vectorised=False).totals)


def test_power_without_stakes_leaves_the_first_editions_runs_alone():
    """Power strength alone (stakes off) is not a mechanism: the first edition's power-off numbers."""
    game = LearningGame().with_power(strength=0.9)
    lengths, totals = FIRST_EDITION["tft-random", 0.05]
    batch = Match(TitForTat(), RandomPlayer(p=0.6, receptivity=0.7), game=game, seed=2024, repetitions=4, noise=0.05,
                  continuation=0.95).play_batch()
    assert batch.totals.tolist() == totals and set(batch.raw.power.ravel().tolist()) == {0}


def test_power_is_a_power_and_stakes_off_is_the_default():
    game = LearningGame()
    assert isinstance(game.power, Power) and not game.knowledge.active and not game.ties.active
    assert game.effective_overlap == 1.0 and game.initial_stakes() == (0, 0)


def test_only_a_give_can_transfer():
    from learning_dilemma.errors import ParameterError
    from learning_dilemma.games import LearningGame

    game = LearningGame()
    # a give that failed to a taker: the giver's exposure still costs it the positional c (S = 0),
    # the taker gains that standing but learns nothing (P + c = 2, not T = 5)
    assert game.payoffs(1, 0, transfer_a=0) == (0.0, 2.0)
    with pytest.raises(ParameterError, match="^transfer_b: only a give can transfer"):
        game.payoffs(1, 0, transfer_b=1)


def test_a_directional_overlap_weighs_what_flows_into_each_side():
    """A Chinese wall on the partner's side (seed 000) lowers the overlap of what flows into
    it: the player's leak counts less, its own gain as before; symmetric values are the
    one-overlap game exactly."""
    from learning_dilemma.games.learning import payoff_parts, stage_payoff, stage_payoffs

    game = LearningGame()
    # gives into a walled partner: its leak counts gamma_into_partner c, in R and S alike
    # (R = P + (b - c) + c (1 - gamma_into_partner) + s, S = P - gamma_into_partner c)
    assert LearningGame(partner_overlap=0.0).rstp() == (4.0, 1.0, 5.0, 1.0)
    assert LearningGame(partner_overlap=0.4).rstp() == pytest.approx((3.6, 0.6, 5.0, 1.0))
    assert LearningGame(partner_overlap=1.0).rstp() == game.rstp()
    outcomes = np.array([(g_i, g_j) for g_i in (0, 1) for g_j in (0, 1)], dtype=float)
    g_i, g_j = outcomes.T
    r_i, r_j = 0.7, 0.9
    # the pair form with equal values is the one-overlap form
    for gamma in (0.0, 0.35, 1.0):
        one = stage_payoff(game, g_i, g_j, g_i, g_j, r_i, r_j, 0, gamma)
        two = stage_payoff(game, g_i, g_j, g_i, g_j, r_i, r_j, 0, (gamma, gamma))
        assert np.array_equal(one, two)
    # parts: the positional part is c (into_i r_i g_j - into_j r_j g_i), the race premium scales by into_i
    parts = payoff_parts(game, g_i, g_j, g_i, g_j, r_i, r_j, 0, (0.8, 0.2))
    np.testing.assert_allclose(parts["positional"], game.leak * (0.8 * r_i * g_j - 0.2 * r_j * g_i))
    np.testing.assert_allclose(parts["race premium"], 0.8 * game.race_premium * r_i * g_j * (1 - g_i))
    total = sum(parts.values())
    np.testing.assert_allclose(stage_payoff(game, g_i, g_j, g_i, g_j, r_i, r_j, 0, (0.8, 0.2)), total, rtol=1e-12)
    # both sides: B reads the pair the other way round, and the positional parts still sum to zero
    u_a, u_b = stage_payoffs(LearningGame(race_premium=0.0, synergy=0.0), g_i, g_j, g_i, g_j, r_i, r_j, 0, (0.8, 0.2))
    a = payoff_parts(game, g_i, g_j, g_i, g_j, r_i, r_j, 0, (0.8, 0.2))["positional"]
    b = payoff_parts(game, g_j, g_i, g_j, g_i, r_j, r_i, 0, (0.2, 0.8))["positional"]
    np.testing.assert_allclose(a + b, 0.0, atol=1e-15)
    with pytest.raises(ParameterError, match="game.partner_overlap"):
        LearningGame(partner_overlap=1.5)
