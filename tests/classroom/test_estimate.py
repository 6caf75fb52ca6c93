"""Tests of learning_dilemma/classroom/estimate.py: strategy frequency estimation
(Dal Bo & Frechette 2011) on classroom play, and how the estimated mix fares.

The likelihood is checked against numbers worked out by hand; the replay against
play recorded by the engines (Match); the estimator against synthetic classes of
known composition; identification where the data cannot tell strategies apart;
mix_outcomes against the toolkit's own functions called directly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from learning_dilemma.classroom.estimate import (
    DEFAULT_CANDIDATES, EXIT_CANDIDATES, Estimate, estimate_strategies, log_likelihood, mix_outcomes, replay,
)
from learning_dilemma.dynamics import replicator
from learning_dilemma.errors import ParameterError
from learning_dilemma.exact import roster_payoffs
from learning_dilemma.games import Knowledge, LearningGame, Power
from learning_dilemma.match import Match
from learning_dilemma.moves import EXIT, GIVE, TAKE
from learning_dilemma.players.automaton import MatchContext
from learning_dilemma.players.player import Player
from learning_dilemma.strategies import make_strategy, strategy_class
from learning_dilemma.tournament import Tournament

G, T, X = int(GIVE), int(TAKE), int(EXIT)
W = 0.8
CONTEXT = MatchContext(LearningGame(), W)


# --- synthetic classes -------------------------------------------------------------------------------------------

def simulate_class(seed, mix, n=60, error=0.1, matches=5, continuation=W):
    """A class of ``n`` subjects, each following a strategy drawn from ``mix``
    (name -> share) and trembling to the other choice with probability ``error``,
    paired at random in each of ``matches`` matches whose length is geometric and
    the same for every pair (as in the classroom: Dal Bo & Frechette 2011).

    Written from the automaton's definition (give probability of the state, next
    state on the own move as played and the partner's as seen), independently of
    the estimator's replay. Returns the subjects' data and their strategies.
    """
    rng = np.random.default_rng(seed)
    names = list(mix)
    kinds = rng.choice(len(names), size=n, p=list(mix.values()))
    tables = [make_strategy(name).compiled(CONTEXT) for name in names]
    data = [[] for _ in range(n)]
    for _ in range(matches):
        length = int(rng.geometric(1 - continuation))
        for a, b in rng.permutation(n).reshape(-1, 2):
            state = {a: tables[kinds[a]].start, b: tables[kinds[b]].start}
            record = {a: [], b: []}
            for _ in range(length):
                choice = {}
                for s in (a, b):
                    intended = int(rng.random() < tables[kinds[s]].give[state[s], 0])
                    choice[s] = 1 - intended if rng.random() < error else intended
                for s, o in ((a, b), (b, a)):
                    record[s].append((choice[s], choice[o]))
                    state[s] = int(tables[kinds[s]].next_state[state[s], choice[s], choice[o]])
            data[a].append(record[a])
            data[b].append(record[b])
    return data, [names[k] for k in kinds]


def subject_from(result, side):
    """One side's rounds of a MatchResult as the estimator takes them: its move, the
    partner's move as seen (what transferred), the view, up to the alliance's closing.

    The engines record EXIT for both sides in the round one of them left, so the
    closing round is this side's decision only where it left (FIRST_LEFT = 1,
    SECOND_LEFT = 2, BOTH_LEFT = 3); otherwise its choice there is unknown and the
    match ends before it (as classroom data must give the choice as made)."""
    left = {1: (0,), 2: (1,), 3: (0, 1)}.get(result.ended_by, ())
    rounds = []
    for t in range(result.turns):
        own, other = int(result.moves[side, t]), int(result.moves[1 - side, t])
        view = (int(result.stakes[side, t]), int(result.stakes[1 - side, t]))
        if own == X:
            if side in left:
                rounds.append((X, X, *view))
            break
        rounds.append((own, int(result.transfers[1 - side, t]), *view))
    return rounds


# --- the likelihood by hand --------------------------------------------------------------------------------------

def test_likelihood_of_a_tiny_class_by_hand():
    """Two subjects, Tit For Tat and Defector, phi = (0.6, 0.4), eps = 0.1.

    S1 plays G, G, T against G, T, T: Tit For Tat prescribes G (start), G (the
    partner gave), T (the partner took): three hits, 0.9^3 = 0.729; the
    Defector prescribes T, T, T: two misses and a hit, 0.1^2 * 0.9 = 0.009.
    S2 plays T, T against G, T, then G against G in a new match: Tit For Tat
    prescribes G, G, then G again (a new match starts afresh): 0.1 * 0.1 * 0.9 =
    0.009; the Defector T, T, T: 0.9 * 0.9 * 0.1 = 0.081.
    l = log(0.6 * 0.729 + 0.4 * 0.009) + log(0.6 * 0.009 + 0.4 * 0.081)
      = log(0.441) + log(0.0378). It is Dal Bo & Frechette's beta^C (1 - beta)^E
    with beta = 0.9.
    """
    subjects = {"S1": [[(G, G), (G, T), (T, T)]], "S2": [[(T, G), (T, T)], [(G, G)]]}
    candidates = ["Tit For Tat", "Defector"]
    ll = log_likelihood(subjects, [0.6, 0.4], 0.1, candidates, CONTEXT)
    assert ll == pytest.approx(math.log(0.441) + math.log(0.0378), rel=1e-13)
    beta = 0.9
    by_counts = math.log(0.6 * beta**3 + 0.4 * beta * (1 - beta) ** 2) \
        + math.log(0.6 * beta * (1 - beta) ** 2 + 0.4 * beta**2 * (1 - beta))
    assert ll == pytest.approx(by_counts, rel=1e-13)
    # letters and mappings are the same data
    letters = {"S1": [["GG", "GT", "TT"]], "S2": [["TG", "TT"], ["GG"]]}
    letters = {k: [[tuple(r) for r in m] for m in v] for k, v in letters.items()}
    assert log_likelihood(letters, [0.6, 0.4], 0.1, candidates, CONTEXT) == ll
    mapped = {k: [[{"own": o, "partner": p} for o, p in m] for m in v] for k, v in subjects.items()}
    assert log_likelihood(mapped, [0.6, 0.4], 0.1, candidates, CONTEXT) == ll


def test_likelihood_with_exit_views_and_a_stochastic_strategy_by_hand():
    """Three choices (exit allowed): a tremble goes to each other choice with eps / 2.

    Game with 2 knowledge levels. Race To Learn (probe 0.2, target 1) gives with
    0.8 and takes with 0.2 while z = K_partner - K_own < 1, and leaves once z >= 1;
    Avoidance (withdrawal 1) always leaves. One subject: G at view (2, 2) (z = 0),
    T at (1, 2) (z = 1), EXIT at (1, 1) (z = 0), then a closed round (left out).
    eps = 0.2:
    Race To Learn: (0.8 * 0.8 + 0.2 * 0.2 / 2) * (0.2 / 2) * (0.2 / 2) = 0.66 * 0.01 = 0.0066;
    Avoidance: (0.2 / 2) * (0.2 / 2) * 0.8 = 0.008;
    l = log(0.5 * 0.0066 + 0.5 * 0.008) = log(0.0073).
    """
    context = MatchContext(LearningGame(knowledge=Knowledge(levels=2)), W)
    subjects = [[[(G, G, 2, 2), (T, G, 1, 2), (X, G, (1, 1)), (X, X, 1, 1)]]]
    ll = log_likelihood(subjects, [0.5, 0.5], 0.2, ["Race To Learn", "Avoidance"], context, exit_allowed=True)
    assert ll == pytest.approx(math.log(0.0073), rel=1e-13)
    # exit_allowed is read from the data where not given
    assert log_likelihood(subjects, [0.5, 0.5], 0.2, ["Race To Learn", "Avoidance"], context) == ll
    probabilities, choices = replay(subjects[0], "Race To Learn", context, exit_allowed=True)
    np.testing.assert_allclose(probabilities, [[0.2, 0.8, 0.0], [0.0, 0.0, 1.0], [0.2, 0.8, 0.0]], atol=1e-15)
    assert choices.tolist() == [G, T, X]


def test_closed_form_estimate_with_one_candidate():
    """With the Defector alone, phi = 1 and the likelihood is (1 - eps)^takes (eps / (A - 1))^gives:
    eps = gives / decisions; l = takes log(1 - eps) + gives log(eps / (A - 1)); Dal Bo &
    Frechette's gamma = 1 / log(beta / (1 - beta)), with three choices 1 / log(2 beta / (1 - beta))."""
    subjects = [[[(T, G), (G, T), (T, T)], [(T, T), (T, G)]], [[(G, G), (T, G), (T, T), (T, T)]]]
    estimate = estimate_strategies(subjects, ["Defector"], CONTEXT, bootstrap=0)
    assert estimate.decisions == 9 and estimate.actions == 2
    assert estimate.error == pytest.approx(2 / 9, rel=1e-12)
    assert estimate.log_likelihood == pytest.approx(7 * math.log(7 / 9) + 2 * math.log(2 / 9), rel=1e-12)
    assert estimate.beta == pytest.approx(7 / 9)
    assert estimate.gamma == pytest.approx(1 / math.log(7 / 2), rel=1e-12)
    assert estimate.shares.tolist() == [1.0] and np.isnan(estimate.standard_errors).all()
    np.testing.assert_allclose(estimate.posterior, 1.0)
    # three choices: one exit among the decisions
    subjects[1][0].append((X, T))
    estimate = estimate_strategies(subjects, ["Defector"], CONTEXT, bootstrap=0)
    assert estimate.actions == 3 and estimate.decisions == 10
    assert estimate.error == pytest.approx(3 / 10, rel=1e-12)
    assert estimate.log_likelihood == pytest.approx(7 * math.log(0.7) + 3 * math.log(0.3 / 2), rel=1e-12)
    assert estimate.gamma == pytest.approx(1 / math.log(2 * 0.7 / 0.3), rel=1e-12)


def test_estimate_maximises_the_likelihood():
    """The estimate's likelihood is log_likelihood at its parameters, and no nearby
    point of the simplex or error rate does better (the first-order conditions)."""
    data, _ = simulate_class(5, {"Tit For Tat": 0.5, "Defector": 0.3, "Cooperator": 0.2}, n=30)
    candidates = ["Cooperator", "Defector", "Tit For Tat", "Win-Stay Lose-Shift"]
    estimate = estimate_strategies(data, candidates, CONTEXT, bootstrap=0)
    assert estimate.identified
    best = log_likelihood(data, estimate.shares, estimate.error, candidates, CONTEXT)
    assert best == pytest.approx(estimate.log_likelihood, rel=1e-12)
    rng = np.random.default_rng(0)
    for _ in range(50):
        shares = np.clip(estimate.shares + rng.normal(0, 0.01, 4), 0, None)
        error = float(np.clip(estimate.error + rng.normal(0, 0.005), 0, 0.5))
        assert log_likelihood(data, shares / shares.sum(), error, candidates, CONTEXT) <= best + 1e-9


# --- the replay ---------------------------------------------------------------------------------------------------

def test_replay_follows_the_engines_play_with_views_tacit_failures_and_exits():
    """Play recorded by Match (knowledge stakes on, power on, tacit knowledge) replays
    with probability 1 for the deterministic strategy that played it (Peer, whose give
    depends on the view), and with positive probability at every decision for the
    stochastic one (Race To Learn, who leaves once ahead, with probability 1 then).
    Replayed on the partner's move as played rather than as seen, or with every view
    at parity, Peer's own play gets probability 0 somewhere: both matter."""
    game = LearningGame(knowledge=Knowledge(levels=4, pace=0.4), power=Power(strength=0.5))
    racer, peer = make_strategy("Race To Learn", tacitness=0.5), make_strategy("Peer", tacitness=0.5)
    batch = Match(racer, peer, game, continuation=0.95, seed=7, repetitions=30).play_batch()
    context = MatchContext(game, 0.95)
    racer_rounds = [subject_from(result, 0) for result in batch]
    peer_rounds = [subject_from(result, 1) for result in batch]
    # the play exercises what the replay must get right: failed gives, views away from parity, exits
    assert any(np.any((r.moves[0] == G) & (r.transfers[0] == 0)) for r in batch)
    assert any(own_k != k for rounds in peer_rounds for _, _, own_k, k in rounds)
    assert any(r.ended_by == 1 for r in batch)
    probabilities, choices = replay(peer_rounds, "Peer", context)
    assert np.all(probabilities[np.arange(len(choices)), choices] == 1.0)
    assert probabilities[:, X].max() == 0.0
    probabilities, choices = replay(racer_rounds, "Race To Learn", context, exit_allowed=True)
    chosen = probabilities[np.arange(len(choices)), choices]
    assert np.all(chosen > 0)
    left = choices == X
    assert left.any() and np.all(chosen[left] == 1.0)
    # decisions: rounds up to the alliance's closing, each match's own
    open_rounds = sum(int(np.count_nonzero(result.moves[0] != X)) for result in batch)
    closing = sum(result.ended_by in (1, 3) for result in batch)  # the racer left: that round is its decision
    assert len(choices) == open_rounds + closing
    # ablations
    as_played = [[(own, other if other == X else int(result.moves[0, t]), k_own, k_other)
                  for t, (own, other, k_own, k_other) in enumerate(rounds)]
                 for rounds, result in zip(peer_rounds, batch)]
    probabilities, choices = replay(as_played, "Peer", context)
    assert np.any(probabilities[np.arange(len(choices)), choices] == 0.0)
    at_parity = [[(own, other, k, k) if min(k_own, k_other) > 0 else (own, other, k_own, k_other)
                  for own, other, k_own, k_other in rounds for k in [max(k_own, 1)]] for rounds in peer_rounds]
    probabilities, choices = replay(at_parity, "Peer", context)
    assert np.any(probabilities[np.arange(len(choices)), choices] == 0.0)


def test_substitute_rounds_move_the_automaton_but_are_not_the_subjects_decisions():
    """Win-Stay Lose-Shift moves on its own move: after (take, give) it takes. A round
    played by the substitute (a take) is the history the strategy sees next round
    but not a decision of the subject's: two decisions, and WSLS takes in the third round."""
    rounds = [[(G, G), {"own": T, "partner": G, "substitute": True}, (T, G)]]
    probabilities, choices = replay(rounds, "Win-Stay Lose-Shift", CONTEXT)
    assert choices.tolist() == [G, T]
    np.testing.assert_array_equal(probabilities[:, G], [1.0, 0.0])
    estimate = estimate_strategies({"S1": rounds}, ["Win-Stay Lose-Shift", "Cooperator"], CONTEXT, bootstrap=0)
    assert estimate.decisions == 2
    assert estimate.posterior[0, 0] == pytest.approx(1.0)
    # a subject the substitute played throughout is left out, and said
    estimate = estimate_strategies({"S1": rounds, "S2": [[{"own": G, "partner": G, "substitute": True}]]},
                                   ["Win-Stay Lose-Shift", "Cooperator"], CONTEXT, bootstrap=0)
    assert estimate.subjects == ("S1",) and any("S2" in w for w in estimate.warnings)


# --- recovering a known mix ---------------------------------------------------------------------------------------

TRUE_MIX = {"Tit For Tat": 0.5, "Defector": 0.3, "Cooperator": 0.2}


def test_synthetic_class_is_recovered_within_sampling_error():
    """60 subjects (0.5 Tit For Tat, 0.3 Defector, 0.2 Cooperator, error 0.1), 5 matches
    of geometric length (w = 0.8), the default six candidates.

    Each true share lies within 3 bootstrap standard errors of the estimate, and so
    does the error rate. The three strategies absent from the class share at most
    0.13 between them: a Monte Carlo of 200 such classes (seeds 1000-1199, 50
    bootstrap replicates each) gave a 99% quantile of 0.126 for that sum (a mean of
    0.008), bootstrap standard errors of (0.053, 0.058, 0.069) against a spread of
    the estimates of (0.055, 0.061, 0.076) for (Cooperator, Defector, Tit For Tat),
    an error rate of 0.099 +- 0.008 (bootstrap 0.008), and Tit For Tat and Grudger
    indistinguishable in 2 of the 200 classes.
    """
    data, kinds = simulate_class(2024, TRUE_MIX)
    estimate = estimate_strategies(data, context=CONTEXT, bootstrap=100, seed=1)
    assert estimate.names == DEFAULT_CANDIDATES and estimate.identified and not estimate.warnings
    for name, share in TRUE_MIX.items():
        k = estimate.names.index(name)
        assert abs(estimate.shares[k] - share) < 3 * estimate.standard_errors[k], name
        assert 0.02 < estimate.standard_errors[k] < 0.15
    absent = [estimate.names.index(n) for n in DEFAULT_CANDIDATES if n not in TRUE_MIX]
    assert estimate.shares[absent].sum() < 0.13
    assert abs(estimate.error - 0.1) < 3 * estimate.error_se and 0.003 < estimate.error_se < 0.02
    assert estimate.shares.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(estimate.posterior.sum(axis=1), 1.0)
    # most subjects are assigned (posterior > 0.5) to the strategy they followed
    assigned = [estimate.names[k] for k in estimate.posterior.argmax(axis=1)]
    assert np.mean([a == b for a, b in zip(assigned, kinds)]) > 0.8


def test_bootstrap_standard_errors_match_the_estimators_spread():
    """The bootstrap standard error of one class against the spread of the estimates
    over 40 independent classes of the same design: within a factor of two."""
    estimates = [estimate_strategies(simulate_class(3000 + s, TRUE_MIX)[0], ["Cooperator", "Defector", "Tit For Tat"],
                                     CONTEXT, bootstrap=0) for s in range(40)]
    spread = np.std([e.shares for e in estimates], axis=0, ddof=1)
    one = estimate_strategies(simulate_class(2999, TRUE_MIX)[0], ["Cooperator", "Defector", "Tit For Tat"], CONTEXT,
                              bootstrap=200, seed=2)
    ratio = one.standard_errors / spread
    assert np.all((ratio > 0.5) & (ratio < 2.0)), ratio
    error_ratio = one.error_se / np.std([e.error for e in estimates], ddof=1)
    assert 0.5 < error_ratio < 2.0


def test_bootstrap_is_seeded():
    data, _ = simulate_class(11, TRUE_MIX, n=20)
    first = estimate_strategies(data, context=CONTEXT, bootstrap=20, seed=5)
    again = estimate_strategies(data, context=CONTEXT, bootstrap=20, seed=5)
    other = estimate_strategies(data, context=CONTEXT, bootstrap=20, seed=6)
    np.testing.assert_array_equal(first.replicates, again.replicates)
    assert first.entropy == 5 and first.replicates.shape == (20, len(first.classes) + 1)
    assert not np.array_equal(first.replicates, other.replicates)
    np.testing.assert_array_equal(first.shares, other.shares)  # the estimate itself draws nothing
    assert estimate_strategies(data, context=CONTEXT, bootstrap=20).entropy > 0


# --- identification ------------------------------------------------------------------------------------------------

def test_strategies_that_prescribe_the_same_choices_are_one_class_not_arbitrary_shares():
    """Where nobody is ever met with a take, Cooperator, Tit For Tat and Grudger
    prescribe the same choice in every decision: the likelihood is flat along any
    exchange of their shares. They are estimated as one class; their own shares are
    nan, and a warning names them. (S10, who takes now and then against givers,
    tells Win-Stay Lose-Shift apart: it shifts after a take that met a give.)"""
    rng = np.random.default_rng(3)
    subjects = {f"S{i}": [[(G, G)] * int(rng.integers(1, 6)) for _ in range(4)] for i in range(10)}
    subjects["S10"] = [[(T, G), (G, G), (T, G), (G, G)]]
    estimate = estimate_strategies(subjects, context=CONTEXT, bootstrap=10, seed=1)
    pooled = ("Cooperator", "Tit For Tat", "Grudger")
    assert estimate.classes == (pooled, ("Defector",), ("Suspicious Tit For Tat",), ("Win-Stay Lose-Shift",))
    assert not estimate.identified and estimate.error > 0
    for name in pooled:
        k = estimate.names.index(name)
        assert np.isnan(estimate.shares[k]) and np.isnan(estimate.standard_errors[k])
        assert np.isnan(estimate.posterior[:, k]).all()
    assert estimate.class_shares.sum() == pytest.approx(1.0)
    assert estimate.class_shares[0] > 0.9 and estimate.class_standard_errors[0] > 0
    assert estimate.warnings == (
        "not identified: Cooperator, Tit For Tat, Grudger prescribe the same choices in every decision recorded; "
        f"only their summed share ({estimate.class_shares[0]:.3g}) is estimated",)
    assert estimate.table()[0]["strategy"] == " / ".join(pooled)
    # the flat direction is real: any split of the class's share has the same likelihood
    k = [estimate.names.index(n) for n in pooled]
    for split in ([1, 0, 0], [0.2, 0.3, 0.5]):
        shares = np.nan_to_num(estimate.shares)
        shares[k] = estimate.class_shares[0] * np.array(split)
        assert log_likelihood(subjects, shares, estimate.error, None, CONTEXT) == pytest.approx(
            estimate.log_likelihood, rel=1e-12)
    # how the mix fares needs a split: even by default (said), or refused
    outcome = mix_outcomes(estimate, field=list(DEFAULT_CANDIDATES))
    np.testing.assert_allclose(outcome["shares"][k], estimate.class_shares[0] / 3)
    assert any("split evenly" in note for note in outcome["notes"])
    with pytest.raises(ParameterError, match="unidentified"):
        mix_outcomes(estimate, field=list(DEFAULT_CANDIDATES), unidentified="refuse")


def test_strategies_equal_at_a_zero_error_rate_are_one_class():
    """With no tremble needed (every subject fits some candidate exactly, eps = 0), a
    candidate that fails the same subjects entirely is as good as another: S10 always
    takes against givers, which the Defector fits; Win-Stay Lose-Shift and the
    never-tested givers' strategies both fail S10 at eps = 0, so their split is
    open. Only at eps > 0 would S10 tell them apart."""
    rng = np.random.default_rng(3)
    subjects = {f"S{i}": [[(G, G)] * int(rng.integers(1, 6)) for _ in range(4)] for i in range(10)}
    subjects["S10"] = [[(T, G), (T, G)], [(T, G)]]
    estimate = estimate_strategies(subjects, context=CONTEXT, bootstrap=0)
    assert estimate.error == 0.0
    assert estimate.classes[0] == ("Cooperator", "Tit For Tat", "Grudger", "Win-Stay Lose-Shift")
    assert estimate.class_shares[0] == pytest.approx(10 / 11)
    assert estimate.shares[estimate.names.index("Defector")] == pytest.approx(1 / 11)
    assert any("equally well at the estimated error rate 0" in w for w in estimate.warnings)


def test_a_split_resting_on_two_subjects_is_weakly_identified():
    """Twenty givers never met with a take fit Cooperator and Tit For Tat alike; one
    subject reciprocated a take and one kept giving. The split rests on those two:
    the warning's standard error (from the likelihood's curvature) is about the
    bootstrap's, above 0.25. With ten of each tested the warning goes."""
    subjects = {f"U{i}": [[(G, G), (G, G), (G, G)]] for i in range(20)}
    tested = {"tft": [[(G, G), (G, T), (T, G), (G, G)]], "coop": [[(G, G), (G, T), (G, G), (G, G)]],
              "noisy": [[(G, G), (T, G), (G, G), (G, G)]]}
    estimate = estimate_strategies(subjects | tested, ["Cooperator", "Tit For Tat"], CONTEXT, bootstrap=200, seed=1)
    assert estimate.identified
    weak = [w for w in estimate.warnings if w.startswith("weakly identified")]
    assert len(weak) == 1 and "Tit For Tat against Cooperator" in weak[0]
    stated = float(weak[0].split("standard error of about ")[1].split(" ")[0])
    assert stated > 0.25 and stated == pytest.approx(estimate.standard_errors[0], rel=0.2)
    many = subjects | {f"{name}{i}": rounds for name, rounds in tested.items() for i in range(10)}
    estimate = estimate_strategies(many, ["Cooperator", "Tit For Tat"], CONTEXT, bootstrap=0)
    assert estimate.identified and not estimate.warnings


def test_strategies_that_fit_every_subject_equally_are_one_class():
    """Different prescriptions can fit equally well: a subject who gave once and took
    once is one hit and one miss for Cooperator and Defector alike."""
    estimate = estimate_strategies([[[(G, T), (T, G)]]], ["Cooperator", "Defector"], CONTEXT, bootstrap=0)
    assert estimate.classes == (("Cooperator", "Defector"),)
    assert any("equally well" in w for w in estimate.warnings)


def test_an_always_giver_is_told_from_tit_for_tat_only_where_a_take_tested_it():
    """What is and is not identified for one subject.

    The class: subjects who reciprocate a take (Tit For Tat), who keep giving after
    one (Cooperator), who always take (Defector); one tremble. Subject "tested"
    always gave though the partner took: only Cooperator fits, posterior near 1.
    Subject "untested" always gave and never met a take: Cooperator, Tit For Tat
    and Grudger fit alike, so its posterior is the class's shares among them, not
    near 1 for any (the shares are identified by the other subjects).
    """
    reciprocator = [[(G, G), (G, T), (T, G), (G, G)], [(G, T), (T, T), (T, G), (G, G)]]
    giver = [[(G, G), (G, T), (G, G), (G, T)], [(G, T), (G, G)]]
    taker = [[(T, G), (T, T), (T, T)], [(T, G), (T, G)]]
    subjects = {f"R{i}": reciprocator for i in range(8)}
    subjects |= {f"C{i}": giver for i in range(4)}
    subjects |= {f"D{i}": taker for i in range(5)}
    subjects["D5"] = [[(T, G), (G, T), (T, T)]]  # one tremble
    subjects["tested"] = [[(G, T), (G, T), (G, G)], [(G, G), (G, T)]]
    subjects["untested"] = [[(G, G), (G, G), (G, G)], [(G, G)]]
    candidates = ["Cooperator", "Defector", "Tit For Tat", "Grudger"]
    estimate = estimate_strategies(subjects, candidates, CONTEXT, bootstrap=0)
    assert estimate.identified and 0 < estimate.error < 0.05
    post = dict(zip(estimate.subjects, estimate.posterior))
    cooperator, tft, grudger = (candidates.index(n) for n in ("Cooperator", "Tit For Tat", "Grudger"))
    assert post["tested"][cooperator] > 0.99
    untested = post["untested"]
    fitting = [cooperator, tft, grudger]
    np.testing.assert_allclose(untested[fitting] / untested[fitting].sum(),
                               estimate.shares[fitting] / estimate.shares[fitting].sum(), rtol=1e-9)
    assert untested.max() < 0.8
    assert estimate.shares[tft] > estimate.shares[cooperator] > 0.2


# --- how the mix fares -------------------------------------------------------------------------------------------

def test_mix_outcomes_agree_with_the_toolkit_called_directly():
    data, _ = simulate_class(8, TRUE_MIX, n=40)
    estimate = estimate_strategies(data, context=CONTEXT, bootstrap=0)
    game = LearningGame(knowledge=Knowledge(levels=2), power=Power(strength=0.5))
    field = ["Opportunist", "Peer", "Trust Builder", "Tit For Tat"]
    outcome = mix_outcomes(estimate, game, 0.9, field=field)
    roster = [make_strategy(n) for n in field] + [make_strategy(n) for n in DEFAULT_CANDIDATES if n != "Tit For Tat"]
    labels = [p.label for p in roster]
    assert outcome["tournament"]["roster"] == tuple(labels)
    direct = roster_payoffs(roster, game, continuation=0.9)
    np.testing.assert_array_equal(outcome["tournament"]["payoffs"], direct.payoffs)
    where = [labels.index(n) for n in estimate.names]
    alone = roster_payoffs(list(estimate.candidates), game, continuation=0.9)
    np.testing.assert_allclose(outcome["payoffs"], alone.payoffs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(outcome["give_rates"], alone.give_rates, rtol=1e-12, atol=1e-14)
    scores = direct.payoffs.mean(axis=1)
    np.testing.assert_array_equal(outcome["tournament"]["scores"], scores)
    x = np.where(estimate.shares > 1e-6, estimate.shares, 0.0)  # EM's remainder of an absent strategy is 0
    x /= x.sum()
    np.testing.assert_allclose(outcome["shares"], x, rtol=1e-12, atol=0)
    assert outcome["tournament"]["mix_score"] == pytest.approx(float(x @ scores[where]), rel=1e-14)
    assert outcome["tournament"]["mix_rank"] == 1 + int(np.sum(scores > x @ scores[where]))
    assert outcome["mix_payoff"] == pytest.approx(float(x @ alone.payoffs @ x), rel=1e-12)
    np.testing.assert_allclose(outcome["against_mix"], alone.payoffs @ x, rtol=1e-12)
    flow = replicator(direct.payoffs[np.ix_(where, where)], x0=x, give_rates=direct.give_rates[np.ix_(where, where)])
    np.testing.assert_array_equal(outcome["replicator"]["final"], flow.final)
    assert outcome["replicator"]["survivors"] == [estimate.names[i] for i in flow.survivors]
    assert outcome["replicator"]["give_rate"] == flow.give_rate
    # the simulated tournament: the same numbers as Tournament itself
    simulated = mix_outcomes(estimate, game, 0.9, field=field, method="tournament", repetitions=3, seed=4)
    results = Tournament(roster, game, continuation=0.9, repetitions=3, seed=4, self_play=True).play()
    np.testing.assert_array_equal(simulated["tournament"]["payoffs"], results.payoff_matrix)
    np.testing.assert_array_equal(simulated["tournament"]["scores"], results.mean_payoff)
    np.testing.assert_array_equal(simulated["payoffs"], results.payoff_matrix[np.ix_(where, where)])


def test_mix_outcomes_in_the_library_by_default():
    """The whole library plays (with the estimate's game and length by default); the
    replicator starts from the estimated shares, where an absent candidate stays absent."""
    data, _ = simulate_class(9, TRUE_MIX, n=30)
    estimate = estimate_strategies(data, ["Cooperator", "Defector", "Tit For Tat"], CONTEXT, bootstrap=0)
    outcome = mix_outcomes(estimate)
    roster = outcome["tournament"]["roster"]
    assert set(roster) >= {cls().label for cls in map(strategy_class, ["Calculative", "Peer", "GTFT"])}
    assert len(roster) + len(outcome["tournament"]["left_out"]) >= 30
    assert outcome["replicator"]["shares"][0].tolist() == pytest.approx(estimate.shares.tolist(), abs=1e-6)
    # Tit For Tat and Cooperator against the Defector at w = 0.8: the reciprocators take over
    assert "Defector" not in outcome["replicator"]["survivors"]
    assert 1 <= outcome["tournament"]["mix_rank"] <= len(roster)


# --- the default candidates and bad input --------------------------------------------------------------------------

def test_default_candidates_are_library_automata():
    for name in DEFAULT_CANDIDATES + EXIT_CANDIDATES:
        player = make_strategy(name)
        assert player.is_automaton and player.label == name
    assert make_strategy("Avoidance").compiled(CONTEXT).leaves
    stakes = MatchContext(LearningGame(knowledge=Knowledge(levels=2)), W)
    assert make_strategy("Race To Learn").compiled(stakes).leaves  # once ahead in the race
    assert not make_strategy("Race To Learn").compiled(CONTEXT).leaves  # without stakes it is never ahead
    exits = estimate_strategies([[[(G, G), (X, G)]]], context=CONTEXT, bootstrap=0)
    assert exits.names == DEFAULT_CANDIDATES + EXIT_CANDIDATES and exits.actions == 3


class _Imperative(Player):
    name = "Imperative"

    def strategy(self, opponent):
        return GIVE


@pytest.mark.parametrize("subjects, kwargs, key", [
    ("GGT", {}, "subjects must be"),
    ({}, {}, "no subjects"),
    ({"S1": "GG"}, {}, "subjects['S1']: a subject's play"),
    ({"S1": [[(G, 5)]]}, {}, "subjects['S1'][0][0]: the partner's move"),
    ({"S1": [[(G, G)], [(G, G), (7, G)]]}, {}, "subjects['S1'][1][1]: the own choice"),
    ([[[(G,)]]], {}, "subjects[0][0][0]: a round must be"),
    ([[[{"own": G}]]], {}, "needs 'own' and 'partner'"),
    ([[[{"own": G, "partner": G, "mood": 1}]]], {}, "unknown key 'mood'"),
    ([[[(X, G), (G, G)]]], {}, "subjects[0][0][1]: a give or take after the alliance closed"),
    ([[[(X, G)]]], {"exit_allowed": False}, "subjects[0][0][0]: an exit, but exit_allowed is false"),
    ([[[(G, G)]]], {"candidates": ["Nobody Known"]}, "Nobody Known"),
    ([[[(G, G)]]], {"candidates": [_Imperative()]}, "candidates[0]"),
    ([[[(G, G)]]], {"candidates": ["Defector", "Defector"]}, "candidates[1]: Defector is listed twice"),
    ([[[(G, G)]]], {"candidates": ["Avoidance"]}, "candidates[0]: Avoidance leaves the alliance"),
    ([[[(G, G)]]], {"candidates": "Defector"}, "candidates must be"),
    ([[[(G, G)]]], {"bootstrap": -1}, "bootstrap"),
    ([[[(G, G)]]], {"seed": -3}, "seed"),
    ([[[(G, G)]]], {"context": 0.9}, "context must be"),
    ([[[(G, G)]]], {"exit_allowed": "yes"}, "exit_allowed"),
    ([[[{"own": G, "partner": G, "substitute": True}]]], {}, "no decision"),
])
def test_bad_input_is_one_line_naming_the_key(subjects, kwargs, key):
    with pytest.raises(ParameterError) as error:
        estimate_strategies(subjects, **{"context": CONTEXT, "bootstrap": 0, **kwargs})
    assert key in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("rounds, key", [
    ([(G, G)], "subjects[0][0][0]: the view (own stakes, partner stakes) is needed"),
    ([(G, G, 3, 1)], "subjects[0][0][0]: own stakes must be a whole number in [0, 2]"),
    ([(G, G, 1, -1)], "partner stakes"),
    ([(G, G, (1,))], "the view must be"),
    ([(G, G, 2, 2), (G, G, 0, 2)], "subjects[0][0][1]: a give or take after the race was over"),
])
def test_bad_views_are_one_line(rounds, key):
    context = MatchContext(LearningGame(knowledge=Knowledge(levels=2)), W)
    with pytest.raises(ParameterError) as error:
        estimate_strategies([[rounds]], ["Peer"], context, bootstrap=0)
    assert key in str(error.value) and "\n" not in str(error.value)


def test_candidates_are_held_to_the_players_limit():
    from learning_dilemma.limits import ResourceLimitError, raised

    with raised(players=2), pytest.raises(ResourceLimitError, match="3 candidates"):
        estimate_strategies([[[(G, G)]]], ["Cooperator", "Defector", "Tit For Tat"], CONTEXT, bootstrap=0)


def test_the_race_over_closes_the_match():
    """With stakes on, a round at which a side's stakes are 0 is after the race: no decision."""
    context = MatchContext(LearningGame(knowledge=Knowledge(levels=2)), W)
    probabilities, choices = replay([[(G, G, 2, 2), (G, G, 1, 1), (X, X, 0, 1), (X, X, 0, 1)]], "Peer", context)
    assert len(choices) == 2


@pytest.mark.parametrize("shares, error, key", [
    ([0.5, 0.6], 0.1, "shares must be 2 non-negative numbers summing to 1"),
    ([1.0], 0.1, "shares must be 2"),
    ("ab", 0.1, "shares must be"),
    ([0.5, 0.5], 0.7, "error must be at most 0.5"),
    ([0.5, 0.5], -0.1, "error must be in"),
])
def test_bad_likelihood_parameters(shares, error, key):
    with pytest.raises(ParameterError) as error_info:
        log_likelihood([[[(G, G)]]], shares, error, ["Cooperator", "Defector"], CONTEXT)
    assert key in str(error_info.value) and "\n" not in str(error_info.value)


@pytest.mark.parametrize("kwargs, key", [
    ({"method": "guess"}, "method must be one of exact, tournament"),
    ({"unidentified": "coin"}, "unidentified must be one of"),
    ({"field": "Defector"}, "field must be"),
    ({"field": [_Imperative()]}, "field[0]"),
    ({"game": "chess"}, "game must be a LearningGame"),
    ({"continuation": 1.0}, "continuation"),
    ({"noise": 2}, "noise"),
])
def test_bad_mix_outcomes_input(kwargs, key):
    estimate = estimate_strategies([[[(G, G), (G, T), (T, T)]], [[(T, T)]]], ["Tit For Tat", "Defector"], CONTEXT,
                                   bootstrap=0)
    with pytest.raises(ParameterError) as error:
        mix_outcomes(estimate, **kwargs)
    assert key in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(ParameterError, match="estimate must be an Estimate"):
        mix_outcomes({"shares": [1.0]})


def test_estimate_is_a_frozen_record():
    estimate = estimate_strategies([[[(G, G)]]], ["Cooperator", "Defector"], CONTEXT, bootstrap=0)
    assert isinstance(estimate, Estimate)
    with pytest.raises(AttributeError):
        estimate.error = 0.5
