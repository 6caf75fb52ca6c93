"""Reputation and indirect reciprocity (learning_dilemma.networks.reputation).

What is checked, and against what:

- the norms as published: the leading eight's assessment tables and action
  rules (Ohtsuki & Iwasa 2004, 2006; the same table in two independent public
  implementations), image scoring, standing, simple standing, stern judging,
  shunning, written out here by hand;
- closed forms: the equilibrium good share of a population of discriminators
  under public assessment with execution error ``e`` and assessment error
  ``mu``, derived by hand from Ohtsuki & Iwasa's (2004) reputation dynamics
  (``g' = mu + (1 - 2 mu) sum_ij P(i) P(j) D(i, j)``), against
  :func:`public_equilibrium` and against the simulation within sampling error;
- the published results: with errors, discriminators keep cooperating under
  standing, stern judging and the leading eight but not under image scoring
  (Panchanathan & Boyd 2003, J Theor Biol 224: 115: "when errors are added,
  indirect reciprocity cannot be based on an image-scoring strategy. However,
  if individuals use a standing strategy, then cooperation through indirect
  reciprocity is evolutionarily stable"); ALLD invading discriminators does
  worse under standing, while under image scoring unconditional cooperators
  out-earn discriminators (the discriminator's justified refusal is judged
  bad) and, once common, are out-earned by ALLD; under private assessment with
  assessment errors stern judging loses its cooperation while simple standing
  keeps it (Hilbe et al. 2018, PNAS 115: 12241; Fujimoto & Ohtsuki);
- reductions: observation off is unconditional giving (the part-1 game),
  bit for bit along a tie with ``play_ties``; private assessment without
  assessment errors is public assessment, bit for bit;
- seeds (same bytes), one-line errors, resource limits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, LearningGame
from learning_dilemma.limits import ResourceLimitError, raised
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.play import play_ties
from learning_dilemma.networks.reputation import (
    NORMS, STRATEGIES, Norm, as_norm, donation_game, public_equilibrium, simulate_reputation,
)
from learning_dilemma.strategies import Cooperator

GAME = donation_game()  # P, b, c = 1, 2, 1
DISC = STRATEGIES.index("DISC")

# --- the norms as published ----------------------------------------------------------------

# Ohtsuki & Iwasa (2006), Table 1 (the leading eight): the assessment of a donor's act
# by (donor image, recipient image, action), G/B, and the action rule by (donor, recipient).
# Columns: GGC GGD GBC GBD BGC BGD BBC BBD | action GG GB BG BB
LEADING_EIGHT = {
    "L1": ("G B G G G B G B", "C D C C"),
    "L2": ("G B B G G B G B", "C D C C"),
    "L3": ("G B G G G B G G", "C D C D"),
    "L4": ("G B G G G B B G", "C D C D"),
    "L5": ("G B B G G B G G", "C D C D"),
    "L6": ("G B B G G B B G", "C D C D"),
    "L7": ("G B G G G B B B", "C D C D"),
    "L8": ("G B B G G B B B", "C D C D"),
}
WORD = {"G": "good", "B": "bad", "C": "give", "D": "take"}
CASES = [(donor, recipient, action) for donor in "GB" for recipient in "GB" for action in "CD"]


def table_of(norm):
    """A norm's assessment as a string in the column order above, and its action rule."""
    judged = " ".join(norm.judge(WORD[a], WORD[r], WORD[d])[0].upper() for d, r, a in CASES)
    acts = " ".join("C" if norm.acts(WORD[r], WORD[d]) == "give" else "D" for d in "GB" for r in "GB")
    return judged, acts


@pytest.mark.parametrize("name", list(LEADING_EIGHT))
def test_the_leading_eight_are_ohtsuki_and_iwasas_tables(name):
    assert table_of(as_norm(name)) == LEADING_EIGHT[name]


def test_the_second_order_norms_as_their_sources_state_them():
    # second order: the same verdict whatever the donor's image; GC GD BC BD by recipient
    second = {
        "image scoring": "G B G B",    # Nowak & Sigmund 1998: giving is good, refusing bad
        "simple standing": "G B G G",  # refusing the bad is justified
        "stern judging": "G B B G",    # helping the bad is bad too
        "shunning": "G B B B",         # only helping the good is good
    }
    for name, verdicts in second.items():
        n = as_norm(name)
        for donor in ("good", "bad"):
            got = " ".join(n.judge(a, r, donor)[0].upper() for r in ("good", "bad") for a in ("give", "take"))
            assert got == verdicts, (name, donor)
        assert [n.acts(r, d) for d in ("good", "bad") for r in ("good", "bad")] == ["give", "take"] * 2
    assert as_norm("image scoring").order == 1
    assert as_norm("stern judging").order == 2 and as_norm("L8").order == 3
    # simple standing is L3 and stern judging L6 (Ohtsuki & Iwasa 2004)
    assert as_norm("simple standing").assessment == as_norm("L3").assessment
    assert as_norm("simple standing").action == as_norm("L3").action
    assert as_norm("stern judging").assessment == as_norm("L6").assessment
    assert (as_norm("staying").assessment, as_norm("staying").action) == (as_norm("L7").assessment,
                                                                           as_norm("L7").action)


def test_standing_keeps_the_donors_standing_after_a_justified_refusal():
    # Sugden's standing (Leimar & Hammerstein 2001; Panchanathan & Boyd 2003): lost by
    # refusing someone in good standing, regained by helping anyone
    n = as_norm("standing")
    for donor in ("good", "bad"):
        assert n.judge("take", "good", donor) == "bad"
        assert n.judge("give", "good", donor) == n.judge("give", "bad", donor) == "good"
        assert n.judge("take", "bad", donor) == donor
    assert n.order == 3


def test_a_norm_is_data_built_from_readable_tables():
    lenient = Norm.from_table("lenient", {("give", "good"): "good", ("take", "good"): "good",
                                          ("give", "bad"): "good", ("take", "bad"): "good"},
                              {"good": "give", "bad": "give"})
    assert lenient.assessment == (1,) * 8 and lenient.action == (1,) * 4
    assert as_norm(lenient) is lenient
    assert as_norm("Stern_Judging") is NORMS["stern judging"] and as_norm("l7") is NORMS["l7"]


@pytest.mark.parametrize("build, key", [
    (lambda: Norm.from_table("x", {("give", "good"): "good"}), "must cover every case"),
    (lambda: Norm.from_table("x", {("give", "good"): "good", ("take", "good"): "bad", ("give", "bad"): "good",
                                   ("take", "bad", "good"): "good", ("take", "bad", "bad"): "bad"}),
     "every key with the donor's image or every key without"),
    (lambda: Norm.from_table("x", {("hug", "good"): "good"}), "key ('hug', 'good')"),
    (lambda: Norm.from_table("x", {("give", "good"): "fine"}), "assessment[('give', 'good')]"),
    (lambda: Norm("x", (1, 0), (1, 0, 1, 0)), "assessment must be 8 entries"),
    (lambda: as_norm("golden rule"), "norm: unknown norm 'golden rule'"),
])
def test_bad_norms_are_refused_in_one_line(build, key):
    with pytest.raises(ParameterError) as caught:
        build()
    assert key in str(caught.value) and "\n" not in str(caught.value)


# --- closed forms ------------------------------------------------------------------------------


def positive_root(a, b, c):
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def hand_good_share(name, e, mu):
    """The equilibrium good share of a discriminator population, derived by hand.

    With D(i, j) the chance the act of a donor of image i to a recipient of image j is
    judged good: D(., G) = 1 - e for every norm here (give, or fail and be judged bad).
    """
    if name in ("image scoring", "shunning"):        # D(., B) = 0: refusing the bad is bad
        return mu / (1 - (1 - 2 * mu) * (1 - e))
    if name in ("simple standing", "stern judging", "L3", "L4", "L5", "L6"):  # D(., B) = 1
        return (1 - mu) / (1 + e * (1 - 2 * mu))
    if name in ("standing", "L7", "L8"):  # D(G, B) = 1, D(B, B) = 0: g = mu + (1-2mu) g (2 - e - g)
        k = 1 - 2 * mu
        return positive_root(k, 1 - k * (2 - e), -mu)
    if name in ("L1", "L2"):  # D(B, B) = 1 - e (a bad donor helps the bad, which is good)
        # g = mu + k [g (1-e) + g (1-g) + (1-g)^2 (1-e)] = mu + k [(1-e) + g (e - 1 + 1) - e g^2 ... ]
        k = 1 - 2 * mu
        # expand: g(1-e) + g - g^2 + (1-e)(1 - 2g + g^2) = (1-e) + g(1 - e + 1 - 2 + 2e) + g^2 (-1 + 1 - e)
        #       = (1-e) + e g - e g^2
        return positive_root(k * e, 1 - k * e, -(mu + k * (1 - e)))
    raise KeyError(name)


NAMES = ["image scoring", "shunning", "simple standing", "stern judging", "standing", *LEADING_EIGHT]


@pytest.mark.parametrize("e, mu", [(0.05, 0.05), (0.02, 0.0), (0.1, 0.01)])
def test_public_equilibrium_is_the_hand_derived_closed_form(e, mu):
    for name in NAMES:
        got = public_equilibrium(name, "DISC", execution_error=e, assessment_error=mu)
        g = hand_good_share(name, e, mu)
        assert got["good"] == pytest.approx(g, abs=1e-9), name
        assert got["cooperation"] == pytest.approx(
            (1 - e) * (g if as_norm(name).action[0] == 0 else g + (1 - g) ** 2), abs=1e-9), name


def test_public_equilibrium_when_the_dynamics_contract_slowly():
    # image scoring with a tiny assessment error only: g' = mu + (1 - 2 mu) g, so g = 1/2, reached
    # at a rate 1 - 2 mu per round (Newton's method finishes the job)
    got = public_equilibrium("image scoring", "DISC", assessment_error=1e-7)
    assert got["good"] == pytest.approx(0.5, abs=1e-8)
    assert public_equilibrium("L8", "DISC", observation="none", execution_error=0.5)["good"] == 1.0


def test_public_equilibrium_of_a_mixture_by_hand():
    # image scoring: ALLC are good unless they fail or are misjudged, ALLD good only when misjudged,
    # discriminators good when they met someone good and gave
    e, mu, x = 0.05, 0.01, {"DISC": 0.8, "ALLC": 0.1, "ALLD": 0.1}
    got = public_equilibrium("image scoring", x, execution_error=e, assessment_error=mu)
    k = 1 - 2 * mu
    g_c, g_d = mu + k * (1 - e), mu
    g = (x["ALLC"] * g_c + x["ALLD"] * g_d + x["DISC"] * mu) / (1 - x["DISC"] * k * (1 - e))
    assert got["good"] == pytest.approx(g, abs=1e-12)
    assert got["good_share"] == pytest.approx({"ALLC": g_c, "ALLD": g_d, "DISC": mu + k * (1 - e) * g}, abs=1e-12)
    # payoffs, P + b (gives received) - c (gives made): a recipient of image j is helped by ALLC
    # always and by discriminators iff j is good, each asking once a round on average
    P, b, c = 1.0, 2.0, 1.0
    for s, own in got["good_share"].items():
        received = (1 - e) * (x["ALLC"] + x["DISC"] * own)
        given = (1 - e) * {"ALLC": 1.0, "ALLD": 0.0, "DISC": g}[s]
        assert got["payoff"][s] == pytest.approx(P + b * received - c * given, abs=1e-12), s


def batch_means(series, batch=50):
    """Means of consecutive batches of rounds, over every repetition (for a standard error)."""
    reps, rounds = series.shape
    usable = rounds - rounds % batch
    return series[:, :usable].reshape(reps, -1, batch).mean(axis=2).ravel()


@pytest.mark.parametrize("name", ["image scoring", "simple standing", "standing", "L1", "L8"])
def test_the_simulated_good_share_agrees_with_the_closed_form(name):
    e, mu = 0.05, 0.05
    run = simulate_reputation(200, name, "DISC", GAME, rounds=400, execution_error=e, assessment_error=mu,
                              seed=11, repetitions=4)
    means = batch_means(run.good_share[:, 100:, DISC])
    error = means.std(ddof=1) / math.sqrt(len(means))
    assert error < 0.01  # the test can tell the closed form from one without errors
    # second-order norms: the dynamics are linear, so the mean is exact; third-order ones carry a
    # finite-population bias of the order of the variance of g (about 1e-3 at N = 200)
    assert abs(means.mean() - hand_good_share(name, e, mu)) < 4 * error + 0.002
    coop = batch_means(run.cooperation[:, 100:])
    expected = public_equilibrium(name, "DISC", execution_error=e, assessment_error=mu)["cooperation"]
    assert abs(coop.mean() - expected) < 4 * coop.std(ddof=1) / math.sqrt(len(coop)) + 0.002


# --- the published results ------------------------------------------------------------------------


def test_with_errors_discriminators_cooperate_under_standing_but_not_under_image_scoring():
    # Panchanathan & Boyd 2003 (execution errors): image scoring collapses (a discriminator who
    # refuses a bad recipient is judged bad, g_t = (1 - e)^t -> 0); standing, stern judging and
    # the leading eight keep cooperating (Ohtsuki & Iwasa 2004)
    e = 0.02
    coop = {name: simulate_reputation(100, name, "DISC", GAME, rounds=400, execution_error=e, seed=3)
            .mean_cooperation(burn_in=300) for name in NAMES}
    assert coop["image scoring"] < 0.01 and coop["shunning"] < 0.01
    for name in ("standing", "simple standing", "stern judging", *LEADING_EIGHT):
        assert coop[name] > 0.93, name
    # with assessment errors too, image scoring keeps only its closed-form level, about a third
    mixed = simulate_reputation(200, "image scoring", "DISC", GAME, rounds=300, execution_error=0.05,
                                assessment_error=0.05, seed=3, repetitions=2).mean_cooperation(100)
    assert 0.25 < mixed < 0.41
    assert public_equilibrium("image scoring", "DISC", execution_error=0.05, assessment_error=0.05)[
        "cooperation"] == pytest.approx(0.328, abs=0.001)


ERRORS = {"execution_error": 0.05, "assessment_error": 0.01}
INVADED = {"DISC": 0.8, "ALLC": 0.1, "ALLD": 0.1}


def payoffs(name, mix, observation="all", n=200, rounds=300, seed=5):
    run = simulate_reputation(n, name, mix, GAME, rounds=rounds, observation=observation, seed=seed,
                              repetitions=2, **ERRORS)
    return run.mean_payoffs(burn_in=50)


def agrees_with_the_closed_form(name, mix, seed=5):
    """The simulated payoffs per strategy, checked to be within 4 standard errors (batch means) of
    public_equilibrium's plus 0.01 for the finite population (nobody meets themselves: O(b / N))."""
    run = simulate_reputation(200, name, mix, GAME, rounds=300, seed=seed, repetitions=2, **ERRORS)
    expected = public_equilibrium(name, mix, **ERRORS)["payoff"]
    for s in mix:
        means = batch_means(run.payoffs[:, 50:, STRATEGIES.index(s)], batch=25)
        error = means.std(ddof=1) / math.sqrt(len(means))
        assert error < 0.03 and abs(means.mean() - expected[s]) < 4 * error + 0.01, (name, s)
    return run.mean_payoffs(burn_in=50)


@pytest.mark.parametrize("name", ["standing", "simple standing", "stern judging", "L1", "L3", "L7", "L8"])
def test_alld_and_allc_invading_discriminators_earn_less_under_standing_and_the_leading_eight(name):
    got = agrees_with_the_closed_form(name, INVADED)
    assert got["DISC"] > got["ALLD"] + 0.2
    # with errors some people are bad, and the unconditional cooperator pays to help them without a
    # better image: discriminators resist the neutral drift to ALLC (Panchanathan & Boyd 2003)
    assert got["DISC"] > got["ALLC"] + 0.05


def test_under_image_scoring_cooperators_outearn_discriminators_and_then_alld_outearns_them():
    # Panchanathan & Boyd 2003: under image scoring the discriminator's justified refusal costs it
    # its image, so unconditional cooperators do better and can replace it; among cooperators
    # ALLD does better still
    got = agrees_with_the_closed_form("image scoring", INVADED)
    assert got["ALLC"] > got["DISC"] + 0.15 and got["DISC"] > got["ALLD"]
    drifted = payoffs("image scoring", {"ALLC": 0.8, "DISC": 0.1, "ALLD": 0.1})
    assert drifted["ALLD"] > drifted["ALLC"] + 0.5
    # under standing the first step fails: discriminators out-earn cooperators
    standing = payoffs("standing", INVADED)
    assert standing["DISC"] > standing["ALLC"]


def test_the_protection_is_the_reputation_ablation_observation_off():
    # switch observation off: nobody is ever judged, discriminators give to everyone and ALLD,
    # who never pays, earns most under every norm
    for name in ("standing", "L3"):
        got = payoffs(name, INVADED, observation="none")
        assert got["ALLD"] > got["DISC"] + 0.5 and got["DISC"] == pytest.approx(got["ALLC"], abs=0.05)


def test_private_assessment_with_errors_undoes_stern_judging_but_not_simple_standing():
    # private views with perception errors drift apart; under stern judging an observer judges a
    # donor good iff their views of the recipient agree, so with independent views the good share
    # g solves g = g^2 + (1 - g)^2: g = 1/2 and discriminators give half the time (our derivation;
    # Hilbe et al. 2018 and Fujimoto & Ohtsuki report the collapse). Simple standing forgives
    # every give and so keeps the views together.
    kwargs = dict(rounds=300, assessment_error=0.02, seed=7)
    stern = simulate_reputation(100, "stern judging", "DISC", GAME, assessment="private", **kwargs)
    simple = simulate_reputation(100, "simple standing", "DISC", GAME, assessment="private", **kwargs)
    public = simulate_reputation(100, "stern judging", "DISC", GAME, assessment="public", **kwargs)
    assert abs(stern.mean_cooperation(150) - 0.5) < 0.05
    assert simple.mean_cooperation(150) > 0.9 and public.mean_cooperation(150) > 0.95


def test_private_assessment_without_assessment_errors_is_public_assessment_bit_for_bit():
    # every observer judges the same act the same way from the same start, so all views agree
    for name in ("L1", "stern judging", "standing"):
        kwargs = dict(rounds=60, execution_error=0.1, seed=9, repetitions=2)
        mix = {"DISC": 0.7, "ALLC": 0.15, "ALLD": 0.15}
        public = simulate_reputation(40, name, mix, GAME, assessment="public", **kwargs)
        private = simulate_reputation(40, name, mix, GAME, assessment="private", **kwargs)
        for field in ("cooperation", "give_rate", "payoffs", "person_payoffs"):
            assert np.array_equal(getattr(public, field), getattr(private, field), equal_nan=True), (name, field)
        assert np.array_equal(private.final_images, np.repeat(public.final_images[:, None, :], 40, axis=1))


def ring(n, strategy=Cooperator()):
    organisations = [Organisation(f"O{k}", policy=strategy) for k in range(n)]
    people = [Person(f"p{k}", (f"O{k}",)) for k in range(n)]
    ties = [(f"p{k}", f"p{(k + 1) % n}") for k in range(n if n > 2 else 1)]
    return Population(organisations, people, ties)


def test_only_the_neighbours_who_saw_it_stop_trusting_a_defector():
    # KITe: the member who went behind the others' backs lost the trust of those who saw it;
    # with observation along the ties only the defector's two neighbours see it, the rest keep
    # the good image they started with
    n, defector = 12, 5
    strategies = ["DISC"] * n
    strategies[defector] = "ALLD"
    run = simulate_reputation(ring(n), "simple standing", strategies, GAME, rounds=20, pairing="ties",
                              observation="neighbours", assessment="private", seed=2)
    views = run.final_images[0][:, defector]
    neighbours = [defector - 1, defector + 1]
    assert views[neighbours].tolist() == [0, 0]
    others = [k for k in range(n) if k not in (defector, *neighbours)]
    assert views[others].tolist() == [1] * len(others)
    # watched by everyone, it loses everyone's trust
    everyone = simulate_reputation(ring(n), "simple standing", strategies, GAME, rounds=20, pairing="ties",
                                   observation="all", assessment="private", seed=2)
    assert everyone.final_images[0][:, defector].tolist() == [0] * n


def test_in_a_small_world_reputation_along_the_ties_keeps_people_honest():
    # Delta (seed 001): in a small world personal reputation keeps people honest. Donations and
    # observations run along the ties of a Watts-Strogatz small world; ALLD invaders earn less
    # than the discriminators under standing and simple standing, and the ablation (nobody
    # observes) hands ALLD the most
    from learning_dilemma.networks.structures import small_world

    names = [f"p{k}" for k in range(60)]
    population = Population([Organisation(f"O{k}", policy=Cooperator()) for k in range(60)],
                            [Person(name, (f"O{k}",)) for k, name in enumerate(names)],
                            small_world(names, 6, 0.1, seed=3))
    strategies = ["ALLD" if k % 10 == 0 else "DISC" for k in range(60)]
    kwargs = dict(rounds=200, pairing="ties", assessment="private", execution_error=0.02,
                  assessment_error=0.01, seed=1)
    for name in ("standing", "simple standing"):
        watched = simulate_reputation(population, name, strategies, GAME, observation="neighbours", **kwargs)
        got = watched.mean_payoffs(burn_in=50)
        assert got["DISC"] > got["ALLD"] + 0.3, name
        unwatched = simulate_reputation(population, name, strategies, GAME, observation="none", **kwargs)
        got = unwatched.mean_payoffs(burn_in=50)
        assert got["ALLD"] > got["DISC"] + 0.5, name


@pytest.mark.parametrize("assessment", ["public", "private"])
def test_observation_with_probability_q_judges_that_share_of_acts(assessment):
    # ALLD taking from a good recipient is bad under simple standing: after one round the good share
    # is the share of observers who did not see it, 1 - q (each observation a Bernoulli(q) draw)
    q, n = 0.3, 400 if assessment == "private" else 4000
    run = simulate_reputation(n, "simple standing", "ALLD", GAME, rounds=1, observation=q,
                              assessment=assessment, seed=4)
    good = run.good_share[0, 0, STRATEGIES.index("ALLD")]
    samples = n * (n - 1) if assessment == "private" else n
    assert abs(good - (1 - q)) < 4 * math.sqrt(q * (1 - q) / samples)


# --- reductions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("assessment", ["public", "private"])
@pytest.mark.parametrize("name", ["image scoring", "stern judging", "L8"])
def test_observation_off_makes_discriminators_unconditional_givers(name, assessment):
    kwargs = dict(rounds=40, execution_error=0.1, observation="none", assessment=assessment, seed=8,
                  repetitions=2)
    disc = simulate_reputation(30, name, "DISC", GAME, **kwargs)
    allc = simulate_reputation(30, name, "ALLC", GAME, **kwargs)
    assert (disc.final_images == 1).all() and (disc.good_share[..., DISC] == 1).all()
    for field in ("cooperation", "person_payoffs"):
        assert np.array_equal(getattr(disc, field), getattr(allc, field))
    assert np.array_equal(disc.payoffs[..., DISC], allc.payoffs[..., STRATEGIES.index("ALLC")])
    # without execution errors everyone gives every round and earns the part-1 game's R on average
    sure = simulate_reputation(30, name, "DISC", GAME, rounds=40, observation="none", assessment=assessment)
    assert (sure.cooperation == 1).all()
    assert np.allclose(sure.payoffs[..., DISC], GAME.rstp()[0], rtol=0, atol=1e-12)


def test_two_people_along_one_tie_earn_the_pairwise_game_bit_for_bit():
    # one tie, two discriminators, no errors: each gives the other every round, which is the
    # part-1 game of two unconditional givers (play_ties) to the bit
    population = ring(2)  # one tie: p0 - p1
    assert population.n_ties == 1
    run = simulate_reputation(population, "L2", "DISC", GAME, rounds=25, pairing="ties", seed=1, repetitions=2)
    contributions, _ = play_ties(population, GAME, 25, seed=1, repetitions=2)
    for k in range(2):
        for person in range(2):
            assert np.array_equal(run.payoffs[k, :, DISC], contributions.person_payoffs[k, person])
    assert np.allclose(run.person_payoffs, contributions.person_payoffs.sum(axis=2))


def test_random_pairs_are_with_someone_else_chosen_uniformly():
    # two people: each can only give to the other, so both earn R every round
    pair = simulate_reputation(2, "L1", "ALLC", GAME, rounds=50, seed=6)
    assert np.array_equal(pair.person_payoffs[0], [50 * GAME.rstp()[0]] * 2)
    # four: everyone is asked once a round on average, so each earns R on average
    # (received gives per round: a sum of three Bernoulli(1/3), variance 2/3)
    rounds = 2000
    four = simulate_reputation(4, "L1", "ALLC", GAME, rounds=rounds, seed=6)
    mean = four.person_payoffs[0] / rounds
    assert np.all(np.abs(mean - GAME.rstp()[0]) < 4 * 2.0 * math.sqrt(2 / 3 / rounds))


def test_a_person_without_ties_neither_gives_nor_is_asked():
    organisations = [Organisation(f"O{k}", policy=Cooperator()) for k in range(3)]
    people = [Person(f"p{k}", (f"O{k}",)) for k in range(3)]
    population = Population(organisations, people, [("p0", "p1")])
    run = simulate_reputation(population, "simple standing", "ALLC", GAME, rounds=10, pairing="ties", seed=3)
    assert np.array_equal(run.person_payoffs[0], [10 * GAME.rstp()[0]] * 2 + [10 * GAME.status_quo])
    assert (run.cooperation == 1).all()  # of the two who donate


# --- seeds, errors, limits --------------------------------------------------------------------------


def arrays(run):
    return [getattr(run, f).tobytes() for f in ("cooperation", "give_rate", "good_share", "payoffs",
                                                 "person_payoffs", "final_images")]


@pytest.mark.parametrize("assessment, observation", [("public", 0.5), ("private", 0.5), ("private", "all")])
def test_the_same_seed_gives_the_same_bytes(assessment, observation):
    kwargs = dict(rounds=30, execution_error=0.05, assessment_error=0.05, observation=observation,
                  assessment=assessment, repetitions=3)
    mix = {"DISC": 0.6, "ALLC": 0.2, "ALLD": 0.2}
    first = simulate_reputation(50, "L4", mix, GAME, seed=21, **kwargs)
    assert arrays(first) == arrays(simulate_reputation(50, "L4", mix, GAME, seed=21, **kwargs))
    assert arrays(first) != arrays(simulate_reputation(50, "L4", mix, GAME, seed=22, **kwargs))
    # a repetition's draws are keyed by its index, not by how many repetitions were asked for
    fewer = simulate_reputation(50, "L4", mix, GAME, seed=21, **{**kwargs, "repetitions": 2})
    assert np.array_equal(fewer.payoffs, first.payoffs[:2], equal_nan=True)
    assert np.array_equal(fewer.final_images, first.final_images[:2])


def test_the_summary_and_round_table_read_the_run():
    run = simulate_reputation(20, "L3", {"DISC": 0.5, "ALLD": 0.5}, GAME, rounds=5, seed=1)
    summary = run.summary()
    assert summary["share_disc"] == 0.5 and summary["share_alld"] == 0.5 and "payoff_allc" not in summary
    assert summary["cooperation"] == pytest.approx(run.cooperation.mean())
    rows = run.round_table()
    assert [row["round"] for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["give_rate_alld"] == 0.0 and rows[0]["good_share_disc"] == run.good_share[0, 0, DISC]


@pytest.mark.parametrize("call, key", [
    (lambda: simulate_reputation(10, "kindness"), "norm: unknown norm"),
    (lambda: simulate_reputation(10, strategies={"TFT": 1.0}), "strategies: unknown strategy 'TFT'"),
    (lambda: simulate_reputation(10, strategies={"DISC": 0.5}), "strategies: the shares must sum to 1"),
    (lambda: simulate_reputation(10, strategies=["DISC"] * 9), "strategies: one per person needs 10"),
    (lambda: simulate_reputation(10, execution_error=1.5), "execution_error must be in [0, 1]"),
    (lambda: simulate_reputation(10, assessment_error=-0.1), "assessment_error must be in [0, 1]"),
    (lambda: simulate_reputation(10, assessment="secret"), "assessment must be one of public, private"),
    (lambda: simulate_reputation(10, pairing="ring"), "pairing must be one of random, ties"),
    (lambda: simulate_reputation(10, observation="some"), "observation must be one of"),
    (lambda: simulate_reputation(ring(4), observation="neighbours"), "observation='neighbours' needs assessment"),
    (lambda: simulate_reputation(10, pairing="ties"), "pairing='ties' needs a Population"),
    (lambda: simulate_reputation(10, game=LearningGame()), "game.synergy must be 0"),
    (lambda: simulate_reputation(10, game=donation_game(knowledge=Knowledge(levels=2))), "game.knowledge"),
    (lambda: simulate_reputation(10, rounds=0), "rounds must be a whole number >= 1"),
    (lambda: simulate_reputation(1), "at least 2 people"),
    (lambda: simulate_reputation("ten"), "population must be a number of people or a Population"),
    (lambda: simulate_reputation(10, seed=-1), "seed must be a non-negative whole number"),
    (lambda: simulate_reputation(10, rounds=3).mean_payoffs(burn_in=3), "burn_in must be below rounds=3"),
    (lambda: public_equilibrium("L1", {"DISC": 0.2}), "strategies: the shares must sum to 1"),
])
def test_bad_input_gives_a_one_line_error_naming_the_key(call, key):
    with pytest.raises(ParameterError) as caught:
        call()
    assert key in str(caught.value) and "\n" not in str(caught.value)


def test_the_image_matrix_and_the_donations_are_held_to_the_resource_limits():
    with raised(ties=19):  # 5 people: 20 ordered pairs
        with pytest.raises(ResourceLimitError, match="private assessment of 5 people"):
            simulate_reputation(5, assessment="private")
        simulate_reputation(5, assessment="public")
    with raised(rounds=99):
        with pytest.raises(ResourceLimitError, match="repetitions x 10 rounds x 10 donors"):
            simulate_reputation(10, rounds=10)
