"""Partner choice, exit and the hot stove (networks/partner_choice.py).

The learners here mostly play Cooperator (always give) against a partner who
gives at random, in engagements of one round: the learner's payoff of an
opportunity is then ``R = 3`` when the partner gives and ``S = 0`` when it
takes (Axelrod's payoffs, the default game), and the loner's option pays
``P = 1`` for sure. That is Denrell & March's (2001) choice between a risky and a
safe alternative. The long-run probabilities the tests compare with are derived
in the module docstring (the stationary law ``1 / E_f[1 / p(X)]``) and worked out
by hand below for these two-point payoffs; the simulation never enters them.
Sampling error: learners are independent (their draws are keyed by person), so a
share over learners is compared with its standard error, ``4.5`` of them allowed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from leaving import Wanderer
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, LearningGame, Power, Ties
from learning_dilemma.limits import ResourceLimitError, raised
from learning_dilemma.match import Match
from learning_dilemma.moves import GIVE
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.partner_choice import (
    NO_OPPORTUNITY, NOBODY, PARTNER_STREAM, choice_draws, choose_partners, engagement_key, play_engagements,
)
from learning_dilemma.players.player import Player
from learning_dilemma.strategies import (
    GTFT, ContractualReciprocator, Cooperator, Defector, Opportunist, RandomPlayer, TitForTat, TrustBuilder,
)

P = 1.0  # the default game's loner payoff
Z = 4.5  # standard errors allowed


class MyTitForTat(Player):
    """An imperative Tit For Tat: its engagements go through Match's round-by-round engine."""

    name = "My Tit For Tat"

    def strategy(self, opponent):
        return opponent.history[-1] if opponent.history else GIVE


def learners(n, partner, learner=None, **person):
    """``n`` learners (``l0``, ``l1``, ...) each tied to one partner ``x`` playing ``partner``."""
    organisations = [Organisation("Learners", learner or Cooperator()), Organisation("Partner", partner)]
    people = [Person(f"l{k}", ("Learners",), **person) for k in range(n)] + [Person("x", ("Partner",))]
    population = Population(organisations, people, [(f"l{k}", "x") for k in range(n)])
    return population, [f"l{k}" for k in range(n)]


def two_candidates(n):
    """``n`` decision-makers ``d<k>`` (Cooperator), each tied to the same two Cooperators ``q1``, ``q2``."""
    people = [Person(f"d{k}", ("A",)) for k in range(n)] + [Person("q1", ("B",)), Person("q2", ("B",))]
    population = Population([Organisation("A", Cooperator()), Organisation("B", Cooperator())], people,
                            [(f"d{k}", q) for k in range(n) for q in ("q1", "q2")])
    return population, [f"d{k}" for k in range(n)]


def within(estimate, expected, se, what):
    assert abs(estimate - expected) <= Z * se, f"{what}: {estimate:.4f} vs {expected:.4f} (se {se:.4f})"


def per_learner_share(result, first):
    """Each learner's share of rounds ``first..`` in which it chose the partner (independent across learners)."""
    return (result.chosen[:, first:] >= 0).mean(axis=1)


# --- the reduction: the engagements are the pairwise game ------------------------------------

GAMES = {
    "first edition": LearningGame(),
    "stakes": LearningGame(knowledge=Knowledge(levels=3, pace=0.5), power=Power(0.8)),
    "ties": LearningGame(ties=Ties(levels=4)),
    "stakes, ties, overlap": LearningGame(overlap=0.6, knowledge=Knowledge(levels=2), ties=Ties(levels=3)),
}
PAIRS = {
    "automata": (GTFT(receptivity=0.7), RandomPlayer(p=0.6, tacitness=0.5)),
    "leaving": (Wanderer(p=0.8, q=0.1), TrustBuilder(tacitness=0.2)),
    "imperative partner": (TitForTat(tacitness=0.3), MyTitForTat()),
}


@pytest.mark.parametrize("length", [{"turns": 7}, {"continuation": 0.8}])
@pytest.mark.parametrize("noise", [0.0, 0.1])
@pytest.mark.parametrize("pair", list(PAIRS))
@pytest.mark.parametrize("name", list(GAMES))
def test_one_candidate_no_loner_every_round_is_match_bit_for_bit(name, pair, noise, length):
    """One fixed partner, no loner's option, an opportunity every round: engagement ``t`` is
    ``Match(..., key=engagement_key(d, q, t)).play()`` to the bit (payoffs of both sides and
    lengths), and the estimate moves by the fractional adjustment of its payoff."""
    game = GAMES[name]
    a, b = PAIRS[pair]
    population = Population([Organisation("A"), Organisation("B")],
                            [Person("d", ("A",), strategy=a), Person("q", ("B",), strategy=b)], [("d", "q", 2)])
    rounds, seed = 12, 5
    result = choose_partners(population, game, rounds, seed, loner=False, decision_makers=["d"], adjustment=0.3,
                             noise=noise, **length)
    assert result.opportunity.all() and (result.chosen == 1).all() and not result.explored.any()
    for t in range(rounds):
        match = Match(a, b, game, seed=seed, key=engagement_key(0, 1, t), prior_rounds=2, noise=noise, **length)
        played = match.play()
        assert result.lengths[0, t] == played.turns
        assert result.payoff[0, t] == played.mean_payoffs[0]
        assert result.partner_payoff[0, t] == played.mean_payoffs[1]
        assert result.organisation_payoff[0, t] == played.mean_payoffs[0]  # full absorption: the stage payoff
        before = result.estimates[t, 0, 0]
        assert result.estimates[t + 1, 0, 0] == (1 - 0.3) * before + 0.3 * played.mean_payoffs[0]
    # the raw plays themselves, through whichever engine played them
    t = np.arange(rounds)
    engagements = play_engagements(population, game, np.zeros(rounds, int), np.ones(rounds, int), t, 5,
                                   noise=noise, **{"turns": None, **length})
    assert sorted(np.concatenate([rows for rows, _ in engagements.plays]).tolist()) == list(range(rounds))
    for rows, raw in engagements.plays:
        for i, row in enumerate(rows):
            n = int(raw.lengths[i])
            batch = Match(a, b, game, seed=seed, key=engagement_key(0, 1, int(row)), prior_rounds=2, noise=noise,
                          **length).play_batch().raw
            for field in ("moves", "transfers", "payoffs"):
                assert np.array_equal(getattr(raw, field)[:, i, :n], getattr(batch, field)[:, 0, :n]), field
            assert np.array_equal(raw.stakes[:, i, : n + 1], batch.stakes[:, 0, : n + 1])
            assert np.array_equal(raw.ties[i, : n + 1], batch.ties[0, : n + 1])
            assert raw.ended_by[i] == batch.ended_by[0]


def test_engagements_with_several_partners_in_one_round_are_each_their_match():
    """A round's engagements run together (one engine call) yet each is its own match."""
    players = [Cooperator(), GTFT(), RandomPlayer(p=0.3), Defector(), MyTitForTat()]
    population = Population([Organisation(f"O{k}") for k in range(5)],
                            [Person(f"p{k}", (f"O{k}",), strategy=s) for k, s in enumerate(players)],
                            [("p0", "p1"), ("p0", "p2"), ("p1", "p2"), ("p3", "p4"), ("p2", "p4")])
    d, q = np.array([0, 1, 2, 3, 2, 4]), np.array([2, 2, 1, 4, 4, 3])
    played = play_engagements(population, LearningGame(), d, q, np.full(6, 3), 11, turns=9)
    for i in range(6):
        expected = Match(players[d[i]], players[q[i]], turns=9, seed=11, key=engagement_key(d[i], q[i], 3)).play()
        assert (played.person[0, i], played.person[1, i]) == expected.mean_payoffs


def test_the_decision_makers_payoff_is_their_two_level_person_payoff():
    """A learner who identifies half with its organisation (lambda = 0.5) and gives to a taker earns
    the person's ``S = 1 - lambda = 0.5`` a round (games/levels.py, person_rstp), its partner ``T = 5``."""
    population, names = learners(1, Defector(), identification=0.5)
    result = choose_partners(population, rounds=3, seed=1, turns=4, decision_makers=names, loner=False)
    assert np.array_equal(result.payoff, np.full((1, 3), 0.5))
    assert np.array_equal(result.partner_payoff, np.full((1, 3), 5.0))
    assert np.array_equal(result.organisation_payoff, np.zeros((1, 3)))  # the organisation's S


# --- learning: the fractional adjustment -----------------------------------------------------

def test_only_the_chosen_candidates_estimate_moves_by_the_fractional_adjustment():
    population = Population(
        [Organisation("A", ContractualReciprocator()), Organisation("B", RandomPlayer(p=0.5))],
        [Person("d", ("A",)), Person("q1", ("B",)), Person("q2", ("B",)), Person("q3", ("A",))],
        [("d", "q1"), ("d", "q2"), ("d", "q3")])
    b = 0.4
    result = choose_partners(population, rounds=40, seed=3, turns=5, exploration=0.5, decision_makers=["d"],
                             adjustment=b, arrival=0.7)
    for t in range(40):
        before, after = result.estimates[t, 0], result.estimates[t + 1, 0]
        k = result.slot[0, t]
        for slot in range(3):
            if slot == k:
                assert after[slot] == (1 - b) * before[slot] + b * result.payoff[0, t]
            else:
                assert after[slot] == before[slot]
    assert (result.slot[0] >= 0).sum() > 10


@pytest.mark.parametrize("adjustment", [0.0, 1.0])
def test_adjustment_limits_keep_the_prior_or_take_the_last_payoff(adjustment):
    population, names = learners(20, RandomPlayer(p=0.5))
    result = choose_partners(population, rounds=15, seed=2, turns=3, decision_makers=names, loner=False,
                             adjustment=adjustment, prior=2.0)
    if adjustment == 0.0:
        assert (result.estimates == 2.0).all()
    else:
        assert np.array_equal(result.estimates[1:, :, 0], result.payoff.T)


# --- Denrell & March (2001): learning is biased against the risky alternative -----------------

def softmax_share(values, probabilities, b, temperature, status_quo=P, terms=400):
    """Long-run probability that a softmax learner chooses a risky candidate over the sure loner
    payoff: ``1 / (1 + E_f[exp(-(X - P) / tau)])`` with ``X = sum_k b (1 - b)^k Y_k``, whose
    moment generating function is the product over ``k`` of ``Y``'s."""
    values, probabilities = np.asarray(values, float), np.asarray(probabilities, float)
    log_mgf = status_quo / temperature
    for k in range(terms):
        log_mgf += math.log(float(np.sum(probabilities * np.exp(-b * (1 - b) ** k * values / temperature))))
    return 1.0 / (1.0 + math.exp(log_mgf))


def test_hot_stove_softmax_learner_avoids_a_risky_partner_of_equal_mean():
    """Denrell & March's result. The partner gives with probability 1/3, so an opportunity with it pays
    3 or 0, mean 1 = P: risky and safe have equal means. The softmax learner (tau = 1, b = 0.5)
    chooses the risky partner with the long-run probability derived by hand (0.43), below 1/2.
    The paper's own tables were not available to us (docs: the search found its abstract and
    third-party replications only), so the comparison is with the derived law."""
    expected = softmax_share([3.0, 0.0], [1 / 3, 2 / 3], 0.5, 1.0)
    assert 0.42 < expected < 0.44  # by hand: 1 / (1 + e * prod_k (2/3 + exp(-1.5 / 2^k) / 3)) = 0.431
    population, names = learners(400, RandomPlayer(p=1 / 3))
    result = choose_partners(population, rounds=150, seed=2001, turns=1, decision_makers=names, rule="softmax",
                             temperature=1.0, adjustment=0.5)
    share = per_learner_share(result, 50)
    se = share.std(ddof=1) / math.sqrt(len(share))
    within(share.mean(), expected, se, "share choosing the risky partner")
    assert share.mean() + Z * se < 0.5
    # the partner does pay P on average: the bias is in the sampling, not in the partner
    paid = result.payoff[result.chosen >= 0]
    within(paid.mean(), 1.0, math.sqrt(2.0 / len(paid)), "mean payoff of the risky partner")  # Var Y = 2


def test_hot_stove_ablation_a_sure_partner_of_equal_mean_is_chosen_half_the_time():
    """Switch off the risk (a Defector facing a Defector pays P = 1 for sure): the same learner is
    then indifferent in the long run, 1/2, so the bias above comes from the payoff's spread."""
    assert softmax_share([1.0], [1.0], 0.5, 1.0) == pytest.approx(0.5, abs=1e-12)
    population, names = learners(400, Defector(), learner=Defector())
    result = choose_partners(population, rounds=150, seed=2001, turns=1, decision_makers=names, rule="softmax")
    share = per_learner_share(result, 50)
    within(share.mean(), 0.5, share.std(ddof=1) / math.sqrt(len(share)), "share choosing the sure partner")


@pytest.mark.parametrize("temperature", [0.5, 2.0])
def test_softmax_chooses_by_luces_rule_over_the_estimates_and_the_loner_payoff(temperature):
    """First choices of 1,000 decision-makers with priors 2 and 1.5 for two candidates and the loner's
    P = 1: probabilities proportional to ``exp(2 / tau), exp(1.5 / tau), exp(1 / tau)``."""
    n = 1000
    population, names = two_candidates(n)
    result = choose_partners(population, rounds=1, seed=5, turns=1, decision_makers=names,
                             rule="softmax", temperature=temperature, prior={"q1": 2.0, "q2": 1.5})
    weights = np.exp(np.array([2.0, 1.5, 1.0]) / temperature)
    expected = weights / weights.sum()
    for code, p in zip((n, n + 1, NOBODY), expected):
        within((result.chosen[:, 0] == code).mean(), p, math.sqrt(p * (1 - p) / n), f"share of {code}")


def test_greedy_learner_with_exploration_avoids_a_risky_partner_of_equal_mean():
    """Greedy choice with exploration epsilon, one risky candidate (3 or 0, mean 1 = P), b = 1/2.
    Updated at every step the estimate would be ``X = 3 U``, ``U = sum_k B_k / 2^(k+1)`` with
    ``B_k`` Bernoulli(1/3); by the first binary digit ``A = P(U <= 1/3) = (2/3) P(U <= 2/3)`` and
    ``P(U <= 2/3) = 2/3 + A/3``, so ``A = 4/7``. The candidate is chosen with probability 1 above P
    and epsilon below, so in the long run with probability ``1 / (3/7 + 4/(7 epsilon)) =
    7 epsilon / (3 epsilon + 4)``: 0.304 at epsilon = 0.2, below 1/2."""
    epsilon = 0.2
    expected = 7 * epsilon / (3 * epsilon + 4)
    population, names = learners(400, RandomPlayer(p=1 / 3))
    result = choose_partners(population, rounds=150, seed=7, turns=1, decision_makers=names, exploration=epsilon)
    share = per_learner_share(result, 50)
    se = share.std(ddof=1) / math.sqrt(len(share))
    within(share.mean(), expected, se, "share choosing the risky partner")
    assert share.mean() + Z * se < 0.5


# --- habitual avoidance: the hot-stove lock-in and its ablation --------------------------------

def test_lock_in_a_partner_ruled_out_after_bad_early_draws_stays_ruled_out():
    """Exploration off. The partner gives with probability 1/2: an opportunity with it pays 3 or 0,
    mean 1.5, better than working alone (P = 1). From the prior R = 3 with b = 1/2 a good draw
    leaves the estimate at 2 or more and one bad draw after it leaves it above 1, but two bad draws
    in a row bring it to at most 0.75: by hand, the learner rules the partner out exactly at its first
    two consecutive bad draws, and then never works with it again, so the estimate is never corrected."""
    population, names = learners(300, RandomPlayer(p=0.5))
    rounds = 100
    result = choose_partners(population, rounds=rounds, seed=11, turns=1, decision_makers=names)
    locked = 0
    for i in range(len(names)):
        engaged = np.flatnonzero(result.chosen[i] >= 0)
        draws = result.payoff[i, engaged]
        bad = np.flatnonzero((draws[1:] == 0.0) & (draws[:-1] == 0.0))
        if len(bad) == 0:  # no two bad draws in a row: still working with the partner at every opportunity
            assert len(engaged) == rounds
            continue
        locked += 1
        last = engaged[bad[0] + 1]  # the round of the second bad draw
        assert np.array_equal(engaged, np.arange(last + 1))        # worked with it every round until then
        assert (result.chosen[i, last + 1:] == NOBODY).all()       # and never again
        frozen = result.estimates[last + 1:, i, 0]
        assert (frozen == frozen[0]).all() and frozen[0] <= 0.75   # the low estimate is never corrected
        assert not result.ties[last + 1:, i, 0].any()              # the tie is broken for good
    # two bad draws in a row within 100 draws: all but a fraction 1e-9 of learners
    assert locked == len(names)
    assert (result.estimates[-1, :, 0] <= 0.75).all()
    engaged_payoffs = result.payoff[result.chosen >= 0]
    within(engaged_payoffs.mean(), 1.5, 1.5 / math.sqrt(len(engaged_payoffs)), "what the partner paid")
    assert result.summary()["ruled_out"] == len(names)


def test_lock_in_ablation_exploration_corrects_the_estimate_and_the_partner_is_chosen_again():
    """Exploration on (epsilon = 1/2). Updated at every step the estimate would be ``X = 3 U`` with
    ``U`` uniform (fair binary digits), so ``P(X <= 1) = 1/3``; the partner is chosen with probability
    1 above P and epsilon below, so in the long run with probability ``1 / (2/3 + 1/(3 epsilon)) =
    3 epsilon / (2 epsilon + 1) = 3/4``, and the mean estimate is ``(E[X; X > 1] + E[X; X <= 1] /
    epsilon) / (2/3 + 1/(3 epsilon)) = (4/3 + 1/3) / (4/3) = 1.25``. Learners who had ruled the
    partner out are brought back by exploration, their estimate rises above P, and they choose it
    again by their own choice (not exploring)."""
    epsilon = 0.5
    population, names = learners(300, RandomPlayer(p=0.5))
    result = choose_partners(population, rounds=150, seed=11, turns=1, decision_makers=names, exploration=epsilon)
    share = per_learner_share(result, 50)
    within(share.mean(), 3 * epsilon / (2 * epsilon + 1), share.std(ddof=1) / math.sqrt(len(share)), "share")
    estimate = result.estimates[51:, :, 0].mean(axis=0)
    within(estimate.mean(), 1.25, estimate.std(ddof=1) / math.sqrt(len(estimate)), "mean estimate")
    # corrected: ruled out (estimate <= P) at some round, later above P and chosen greedily again
    came_back = 0
    for i in range(len(names)):
        out = np.flatnonzero(result.estimates[1:, i, 0] <= P)
        if len(out) == 0:
            continue
        t = out[0]
        later = np.flatnonzero((result.estimates[t + 1:-1, i, 0] > P) & (result.chosen[i, t + 1:] >= 0)
                               & ~result.explored[i, t + 1:])
        came_back += len(later) > 0
    assert came_back > 0.9 * len(names)
    # the same learners without exploration are all locked out (the previous test's mechanism)
    off = choose_partners(population, rounds=150, seed=11, turns=1, decision_makers=names)
    assert (off.chosen[:, 100:] == NOBODY).all()


# --- seed 000: ITCOM's client managers, Insys and Bencons -------------------------------------

def itcom(managers, bencons, prior=None, rounds=100, **kwargs):
    organisations = [Organisation("ITCOM", ContractualReciprocator()), Organisation("Insys", ContractualReciprocator()),
                     Organisation("Bencons", bencons)]
    people = ([Person(f"client manager {k}", ("ITCOM",)) for k in range(managers)]
              + [Person("Insys", ("Insys",)), Person("Bencons", ("Bencons",))])
    ties = [(f"client manager {k}", partner) for k in range(managers) for partner in ("Insys", "Bencons")]
    population = Population(organisations, people, ties)
    names = [f"client manager {k}" for k in range(managers)]
    return choose_partners(population, rounds=rounds, seed=2008, turns=10, decision_makers=names, prior=prior,
                           **kwargs)


def test_seed_000_client_managers_disqualify_an_exploiting_partner_at_every_free_opportunity():
    """A year is 20 rounds with an opportunity in half of them (ten opportunities a year), for ten
    years. Insys reciprocates (an engagement pays R = 3 a round to a manager who plays tit for tat);
    Bencons always takes (S = 0 in the first round, then P = 1: 0.9 a round). A client demands a
    random partner on a share epsilon = 0.2 of the opportunities (seed 000: "merely due to the
    explicit demands of a client"); otherwise the manager chooses. By hand: Insys' estimate stays at
    3 and Bencons' is ``0.9 + 2.1 / 2^n`` after ``n`` engagements, so once Bencons has been tried
    it is chosen only on a client's demand, a share epsilon/2 = 0.1 of the opportunities, and is
    disqualified at 10 (1 - epsilon/2) = 9 opportunities a year; its fifth engagement brings it to
    0.966 < P and breaks the tie: the partner network keeps Insys only."""
    epsilon, managers = 0.2, 60
    result = itcom(managers, Opportunist(), rounds=200, exploration=epsilon, arrival=0.5)
    names = [result.population.people[c].name for c in result.candidates[0]]
    insys, bencons = names.index("Insys"), names.index("Bencons")
    assert np.array_equal(result.estimates[:, :, insys], np.full((201, managers), 3.0))
    engagements = (result.slot == bencons).sum(axis=1)
    assert np.allclose(result.estimates[-1, :, bencons], 0.9 + 2.1 / 2.0 ** engagements, rtol=0, atol=1e-12)
    assert (result.payoff[result.slot == bencons] == 0.9).all()
    assert (result.payoff[result.slot == insys] == 3.0).all()
    assert not (result.chosen == NOBODY).any()  # Insys always beats working alone
    # once tried, Bencons is never the manager's own choice: only a client's demand brings it back
    tried = result.estimates[:-1, :, bencons].T < 3.0   # before each round
    free = result.opportunity & ~result.explored
    assert (result.slot[free & tried] == insys).all()
    after = result.opportunity & tried
    share = (result.slot[after] == bencons).mean()
    within(share, epsilon / 2, math.sqrt(epsilon / 2 * (1 - epsilon / 2) / after.sum()), "Bencons' share")
    # disqualified about nine times a year (years 2 to 10; Bencons is tried in the first year but
    # for a chance of about 1/1000)
    disqualified = (result.opportunity & (result.slot != bencons)).reshape(managers, 10, 20).sum(axis=2)[:, 1:]
    within(disqualified.mean(), 10 * (1 - epsilon / 2), disqualified.std(ddof=1) / math.sqrt(disqualified.size),
           "disqualifications a year")
    # the partner network: the tie to Bencons forms at its first engagement and breaks at its fifth
    ties = result.ties[-1]
    assert ties[:, insys].all()
    assert np.array_equal(ties[:, bencons], (engagements >= 1) & (engagements < 5))
    broken = engagements >= 5
    assert broken.sum() > 0.9 * managers
    assert sum(partner == "Bencons" for _, partner in result.network()) == int(ties[:, bencons].sum())
    events = [e for e in result.tie_table() if e["partner"] == "Bencons"]
    assert sum(e["event"] == "broken" for e in events) == int(broken.sum())
    assert sum(e["event"] == "formed" for e in events) == int((engagements >= 1).sum())


def test_seed_000_habit_by_reputation_is_never_corrected_without_a_clients_demand():
    """Bencons reciprocates like Insys, but its reputation starts its estimate at 0.5 < P (seed 000:
    Bencons "envisaged to target ITCOM as their worst competitor"). With exploration off, no manager
    ever works with Bencons and its estimate stays 0.5 for all 100 rounds, though it would pay 3 a
    round. Ablation: with clients' demands (epsilon = 0.2) Bencons is tried, its estimate is corrected
    to ``3 - 2.5 / 2^n`` after ``n`` engagements (above P from the first), and the tie forms."""
    habit = itcom(20, ContractualReciprocator(), prior={"Bencons": 0.5})
    names = [habit.population.people[c].name for c in habit.candidates[0]]
    bencons = names.index("Bencons")
    assert not (habit.slot == bencons).any()
    assert (habit.estimates[:, :, bencons] == 0.5).all()
    assert not habit.ties[:, :, bencons].any()
    assert habit.summary()["never_tried"] == 20
    demanded = itcom(20, ContractualReciprocator(), prior={"Bencons": 0.5}, exploration=0.2)
    n = (demanded.slot == bencons).sum(axis=1)
    assert (n > 0).all()
    assert np.array_equal(demanded.estimates[-1, :, bencons], 3.0 - 2.5 / 2.0 ** n)
    assert demanded.ties[-1, :, bencons].all()


# --- the partner network, tables, arrival ----------------------------------------------------

def test_the_partner_network_forms_when_a_partner_is_chosen_and_breaks_when_ruled_out():
    population, names = learners(50, RandomPlayer(p=0.5))
    result = choose_partners(population, rounds=40, seed=4, turns=1, decision_makers=names, exploration=0.3)
    engaged = np.zeros((50, 1), dtype=bool)
    assert not result.ties[0].any()
    for t in range(40):
        engaged |= (result.slot[:, t] == 0)[:, None]
        assert np.array_equal(result.ties[t + 1], engaged & (result.estimates[t + 1] > P))
    events = result.tie_table()
    formed = sum(e["event"] == "formed" for e in events)
    broken = sum(e["event"] == "broken" for e in events)
    assert formed - broken == result.ties[-1].sum() == len(result.network())
    assert np.array_equal(result.network_sizes(), result.ties.sum(axis=(1, 2)))
    assert len(result.network(after=0)) == result.ties[1].sum()


def test_tables_and_summary():
    population, names = learners(5, RandomPlayer(p=0.5))
    result = choose_partners(population, rounds=12, seed=4, turns=2, decision_makers=names, exploration=0.3,
                             arrival=0.6)
    rows = result.opportunity_table()
    assert len(rows) == result.opportunity.sum()
    assert set(rows[0]) == {"round", "decision_maker", "partner", "explored", "length", "payoff",
                            "organisation_payoff", "partner_payoff", "estimate"}
    for row in rows:
        assert (row["partner"] == "") == (row["length"] == 0)
        if row["partner"] == "":
            assert row["payoff"] == P and math.isnan(row["estimate"])
    assert len(result.estimate_table()) == 13 * 5
    shares = result.choice_shares()
    assert all(abs(sum(v.values()) - 1.0) < 1e-12 for v in shares.values())
    summary = result.summary()
    assert summary["opportunities"] == len(rows)
    assert summary["engaged_share"] + summary["alone_share"] == pytest.approx(1.0)


def test_arrival_sets_the_share_of_rounds_with_an_opportunity():
    population, names = learners(100, Cooperator())
    result = choose_partners(population, rounds=50, seed=9, turns=1, decision_makers=names, arrival=0.3)
    within(result.opportunity.mean(), 0.3, math.sqrt(0.21 / 5000), "opportunities")
    assert (result.chosen[~result.opportunity] == NO_OPPORTUNITY).all()
    assert np.isnan(result.payoff[~result.opportunity]).all()
    none = choose_partners(population, rounds=5, seed=9, turns=1, decision_makers=names, arrival=0.0)
    assert not none.opportunity.any() and (none.estimates == 3.0).all()


def test_greedy_breaks_ties_at_random_and_without_a_loner_option_engages_below_p():
    """Two identical reciprocating candidates at the same prior: the first choice splits evenly.
    Without the loner's option a learner keeps working with a partner it rates below P."""
    population, names = two_candidates(400)
    result = choose_partners(population, rounds=1, seed=3, turns=1, decision_makers=names)
    within((result.slot[:, 0] == 0).mean(), 0.5, math.sqrt(0.25 / 400), "first choices of q1")
    population, names = learners(10, Defector())
    stuck = choose_partners(population, rounds=10, seed=3, turns=1, decision_makers=names, loner=False)
    assert (stuck.chosen == 10).all() and (stuck.estimates[-1] < P).all()
    alone = choose_partners(population, rounds=10, seed=3, turns=1, decision_makers=names)
    assert (alone.chosen[:, 2:] == NOBODY).all()  # 3 -> 1.5 -> 0.75: ruled out after two takes


# --- seeds -----------------------------------------------------------------------------------

def _arrays(result):
    return [getattr(result, name).tobytes() for name in ("opportunity", "chosen", "slot", "explored", "payoff",
                                                          "organisation_payoff", "partner_payoff", "lengths",
                                                          "estimates", "ties")]


def test_seeds_repeat_to_the_byte_and_draws_are_keyed_by_person_and_round():
    population, names = learners(30, RandomPlayer(p=0.5))
    kwargs = dict(turns=3, decision_makers=names, exploration=0.2, arrival=0.8)
    first = choose_partners(population, rounds=20, seed=99, **kwargs)
    assert _arrays(first) == _arrays(choose_partners(population, rounds=20, seed=99, **kwargs))
    assert _arrays(first) != _arrays(choose_partners(population, rounds=20, seed=100, **kwargs))
    # a shorter run is the start of a longer one; a decision-maker's run does not depend on the others
    longer = choose_partners(population, rounds=30, seed=99, **kwargs)
    assert np.array_equal(longer.chosen[:, :20], first.chosen)
    assert np.array_equal(longer.payoff[:, :20], first.payoff, equal_nan=True)
    alone = choose_partners(population, rounds=20, seed=99, **{**kwargs, "decision_makers": names[7:8]})
    assert np.array_equal(alone.chosen[0], first.chosen[7])
    assert np.array_equal(alone.payoff[0], first.payoff[7], equal_nan=True)
    # the choice draws are the documented stream
    draws = choice_draws(99, 7, 20)
    assert np.array_equal(first.opportunity[7], draws[:, 0] < 0.8)
    assert engagement_key(7, 30, 4) == (PARTNER_STREAM, 7, 30, 4) and PARTNER_STREAM == 107
    unseeded = choose_partners(population, rounds=5, seed=None, **kwargs)
    assert _arrays(unseeded) == _arrays(choose_partners(population, rounds=5, seed=unseeded.seed, **kwargs))


# --- errors and resource guards ---------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"arrival": 1.5}, "arrival must be in"),
    ({"exploration": -0.1}, "exploration must be in"),
    ({"adjustment": 2}, "adjustment must be in"),
    ({"rule": "boltzmann"}, "rule must be one of greedy, softmax"),
    ({"temperature": 0.0}, "temperature must be in"),
    ({"turns": 3, "continuation": 0.5}, "give either turns or continuation"),
    ({"turns": 0}, "turns must be a whole number"),
    ({"rounds": 0}, "rounds must be a whole number"),
    ({"prior": "high"}, "prior must be a number"),
    ({"prior": {"nobody": 1.0}}, "prior: unknown person 'nobody'"),
    ({"decision_makers": ["ghost"]}, "decision_makers: unknown person 'ghost'"),
    ({"decision_makers": ["x", "x"]}, "decision_makers: a person is listed twice"),
    ({"candidates": {"l0": ["l0"]}}, "cannot choose themselves"),
    ({"candidates": {"l0": ["x", "x"]}}, "a candidate is listed twice"),
    ({"candidates": ["l0"]}, "candidates must be a mapping"),
    ({"loner": "yes"}, "loner must be True or False"),
    ({"noise": 1.2}, "noise must be in"),
    ({"seed": -1}, "seed must be a non-negative whole number"),
])
def test_bad_input_gives_a_one_line_error_naming_the_key(kwargs, message):
    population, _ = learners(2, Cooperator())
    arguments = {"rounds": 3, "seed": 1, **kwargs}
    with pytest.raises(ParameterError, match=message) as error:
        choose_partners(population, **arguments)
    assert "\n" not in str(error.value)


def test_someone_without_candidates_cannot_decide():
    population = Population([Organisation("A", Cooperator())], [Person("a", ("A",)), Person("b", ("A",))])
    with pytest.raises(ParameterError, match="nobody has a candidate"):
        choose_partners(population, rounds=2)
    with pytest.raises(ParameterError, match="'a' has no candidates"):
        choose_partners(population, rounds=2, decision_makers=["a"])
    with pytest.raises(ParameterError, match="population must be a Population"):
        choose_partners("network")


def test_resource_guards_refuse_before_playing():
    population, names = learners(4, Cooperator())
    with raised(rounds=1000):
        with pytest.raises(ResourceLimitError, match="5 decision-makers x rounds=21 x 10 rounds an engagement"):
            choose_partners(population, rounds=21)
    with raised(match_rounds=100):
        with pytest.raises(ResourceLimitError, match="rounds=101"):
            choose_partners(population, rounds=101, turns=1)
        with pytest.raises(ResourceLimitError, match="mean engagement length"):
            choose_partners(population, rounds=5, continuation=0.999)
        with pytest.raises(ResourceLimitError, match="estimates held in memory"):
            choose_partners(population, rounds=30, turns=1)
