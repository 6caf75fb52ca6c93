"""Contract: the two-level payoff rule (learning_dilemma.games.levels, as one payoff rule
per level: networks.exact.two_level_payoffs) is written once and paid the same per
outcome everywhere: it is the rule written out below from games/levels.py's
docstring, the exact chain pays it per outcome of a round (one-round chains of
players whose outcome is certain), and applied to Match's plays, vectorised and round
by round, it pays each round what the chain pays for that round's outcome and power
position. At the limits it is the plays' own stage payoffs to the bit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from leaving import Wanderer
from learning_dilemma import LearningGame, Match
from learning_dilemma.exact import PAY_A, PAY_B, expected_payoffs, pairing_chain
from learning_dilemma.games import Knowledge
from learning_dilemma.moves import EXIT, GIVE
from learning_dilemma.networks.exact import LEVELS, two_level_payoffs
from learning_dilemma.strategies import GTFT, Cooperator, Defector

GAMES = {
    "axelrod": LearningGame(),
    "stakes, power, overlap": LearningGame(knowledge=Knowledge(levels=3, pace=0.5), overlap=0.6)
    .with_power(strength=0.6),
}
LIMITS = dict(absorption=(1.0, 1.0), identification=(1.0, 1.0), recognition=(0.0, 0.0),
              identity_weight=(0.0, 0.0), prescribed=(0.0, 0.0), overlap=None)
AWAY = dict(absorption=(0.6, 0.3), identification=(0.2, 0.9), recognition=(0.5, 0.1),
            identity_weight=(0.3, 0.7), prescribed=(1.0, 0.0), overlap=0.45)
SETTINGS = {"limits": LIMITS, "away": AWAY}
RECEPTIVITY = (0.7, 0.4)
# each side's outcome of an open round, (gave, transferred), and a player certain to produce it
OUTCOMES = {(0, 0): lambda r: Defector(receptivity=r),
            (1, 1): lambda r: Cooperator(receptivity=r),
            (1, 0): lambda r: Cooperator(receptivity=r, tacitness=1.0)}  # ties off: a give fails with tau = 1


def positions(game):
    """The power positions of an open alliance, A's view: K_B - K_A with both stakes in 1..M."""
    return range(-(game.knowledge.levels - 1), game.knowledge.levels) if game.knowledge.active else [0]


def written(game, level, setting, side, g, x, r, z):
    """Side ``side``'s payoff written out from games/levels.py's docstring:
    A_i = (b - c) r_i x_j + w_i s (r_i + r_j) x_i x_j, w_i = 1/2 + strength z_i / (2M);
    C_i^alpha = gamma c (alpha_i r_i g_j - alpha_j r_j g_i) + gamma e alpha_i r_i x_j (1 - g_i);
    organisation P + alpha_i A_i + C_i^alpha; person P + A_i + lambda_i C_i^alpha + rho_i g_i - kappa_i |g_i - x*_i|."""
    i, j = side, 1 - side
    z_i = z if side == 0 else -z
    gamma = game.effective_overlap if setting["overlap"] is None else setting["overlap"]
    alpha = setting["absorption"]
    levels = game.knowledge.levels
    share = 0.5 + (game.power.strength * z_i / (2 * levels) if levels else 0.0)
    own = game.learning_value * r[i] * x[j] + share * game.synergy * (r[i] + r[j]) * x[i] * x[j]
    held = (gamma * game.leak * (alpha[i] * r[i] * g[j] - alpha[j] * r[j] * g[i])
            + gamma * game.race_premium * alpha[i] * r[i] * x[j] * (1 - g[i]))
    if level == "organisation":
        return game.status_quo + alpha[i] * own + held
    return (game.status_quo + own + setting["identification"][i] * held + setting["recognition"][i] * g[i]
            - setting["identity_weight"][i] * abs(g[i] - setting["prescribed"][i]))


def chain_table(game, level, setting):
    """What the exact chain pays per outcome ``(g_a, x_a, g_b, x_b, z)``: the one-round
    expected payoffs of two players certain of their outcomes, started at power z."""
    rule = two_level_payoffs(level, **setting)
    table = {}
    for (out_a, make_a), (out_b, make_b), z in itertools.product(OUTCOMES.items(), OUTCOMES.items(),
                                                                 positions(game)):
        a, b = make_a(RECEPTIVITY[0]), make_b(RECEPTIVITY[1])
        assert pairing_chain(a, b, game, 0.5, initial_power=z).power[0] == z
        paid = expected_payoffs(a, b, game, turns=1, initial_power=z, payoffs=rule).per_round
        table[(*out_a, *out_b, z)] = tuple(paid)
    return table


CASES = [(g, level, s) for g in GAMES for level in LEVELS for s in SETTINGS]


@pytest.mark.parametrize("game_name, level, setting_name", CASES)
def test_the_chain_pays_the_written_rule_per_outcome(game_name, level, setting_name):
    game, setting = GAMES[game_name], SETTINGS[setting_name]
    rule = two_level_payoffs(level, **setting)
    for (g_a, x_a, g_b, x_b, z), paid in chain_table(game, level, setting).items():
        g, x = (g_a, g_b), (x_a, x_b)
        by_hand = tuple(written(game, level, setting, side, g, x, RECEPTIVITY, z) for side in (0, 1))
        assert paid == pytest.approx(by_hand, abs=1e-12)
        direct = rule(game, g_a, g_b, x_a, x_b, *RECEPTIVITY, z)
        assert paid == tuple(float(u) for u in direct)  # the chain pays the rule itself, to the bit


def play(game, vectorised):
    """Stochastic, tacit, leaving players with noise: every outcome, closed rounds."""
    a = GTFT(receptivity=RECEPTIVITY[0], tacitness=0.3)
    b = Wanderer(p=0.5, q=0.02, receptivity=RECEPTIVITY[1], tacitness=0.5)
    return Match(a, b, game, turns=40, seed=77, repetitions=30, noise=0.1).play_batch(vectorised=vectorised).raw


def paid_on(raw, game, rule):
    """The rule applied to a play: per round, side and repetition; P in closed rounds."""
    closed = raw.moves[0] == EXIT
    g = [np.where(closed, 0, raw.moves[s] == GIVE).astype(float) for s in (0, 1)]
    x = [np.where(closed, 0, raw.transfers[s] == 1).astype(float) for s in (0, 1)]
    paid = rule(game, g[0], g[1], x[0], x[1], *RECEPTIVITY, raw.power[:, :-1])
    return np.where(closed, game.status_quo, np.stack(paid)), closed, g, x


@pytest.mark.parametrize("game_name, level, setting_name", CASES)
def test_plays_pay_each_round_what_the_chain_pays_for_its_outcome(game_name, level, setting_name):
    game, setting = GAMES[game_name], SETTINGS[setting_name]
    rule = two_level_payoffs(level, **setting)
    fast, slow = play(game, True), play(game, False)
    for name in ("moves", "transfers", "power"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name))
    paid_fast, closed, g, x = paid_on(fast, game, rule)
    paid_slow = paid_on(slow, game, rule)[0]
    np.testing.assert_array_equal(paid_fast, paid_slow)
    # each open round is paid the chain's per-outcome value
    table = chain_table(game, level, setting)
    z = fast.power[:, :-1]
    matched = np.zeros(closed.shape, dtype=bool)
    for (g_a, x_a, g_b, x_b, position), value in table.items():
        here = ~closed & (g[0] == g_a) & (x[0] == x_a) & (g[1] == g_b) & (x[1] == x_b) & (z == position)
        matched |= here
        for side in (0, 1):
            assert np.all(paid_fast[side][here] == value[side])
    assert np.array_equal(matched, ~closed)
    # the plays visit many outcomes and close (race over or a leave), so the check is not empty
    assert closed.any() and len({(a, b, c, d) for a, b, c, d in zip(g[0][~closed], x[0][~closed],
                                                                     g[1][~closed], x[1][~closed])}) >= 6
    assert len(np.unique(z[~closed])) >= (3 if game.knowledge.active else 1)
    # a closed round pays P at both levels, as the chain's closed state does
    chain = pairing_chain(GTFT(tacitness=0.3), Wanderer(p=0.5, q=0.02), game, 0.9, payoffs=rule)
    shut = chain.states[:, 5] == 0
    assert np.all(chain.rewards[shut][:, [PAY_A, PAY_B]] == game.status_quo)
    assert np.all(paid_fast[:, closed] == game.status_quo)


@pytest.mark.parametrize("game_name", GAMES)
@pytest.mark.parametrize("level", LEVELS)
def test_at_the_limits_the_rule_is_the_plays_stage_payoff_to_the_bit(game_name, level):
    game = GAMES[game_name]
    for vectorised in (True, False):
        raw = play(game, vectorised)
        paid = paid_on(raw, game, two_level_payoffs(level, **LIMITS))[0]
        np.testing.assert_array_equal(paid, raw.payoffs)
