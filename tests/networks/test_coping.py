"""Identity coping as structure (learning_dilemma.networks.coping; issue 17 item 1, seed 000 s.5.3).

Each mechanism has its own documented effect and a test that fails when it is
removed (the ablation), and with every coping value off a network plays as in
part 1, bit for bit:

- Chinese wall: the walled side's inflow overlap falls (payoffs derived by
  hand); its partner's strategies perceive it and share more (Calculative,
  GTFT); the walled side does not;
- avoidance for efficiency: attention in a group moves to receptive members,
  who are attended more and learn more (weights derived by hand);
- meta-identity: a Calculative person gives where one without takes; payoffs
  for given moves do not change;
- multi-vocality: a private value in every round both gave (person and
  organisation), and a Calculative pair reading it gives.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Domain, GroupGame, Knowledge, LearningGame, Power, Ties
from learning_dilemma.games.group import Pairs, attention, efficient_attention
from learning_dilemma.match import Match
from learning_dilemma.moves import GIVE
from learning_dilemma.networks import Organisation, Person, Population, play_network
from learning_dilemma.networks.coping import (
    Coping, inflow_overlap, perceived_context, perceived_inflow, retention, wall_values,
)
from learning_dilemma.networks.groups import play_group_rounds
from learning_dilemma.players.automaton import MatchContext
from learning_dilemma.players.player import Player
from learning_dilemma.seeding import group_key, tie_key
from learning_dilemma.strategies import (
    GTFT, Calculative, Cooperator, Grudger, RandomPlayer, TitForTat, TrustBuilder,
)

# A dilemma whose reciprocity condition sits at a long horizon: R, S, T, P = 6.5, -3.5, 16, 1, so
# (T - R)/(R - S) = 9.5/10 and a Calculative person takes after a give at w = 1 - 1/10 = 0.9 (and gives at
# w >= 0.95). A wall omega on the partner lowers T - R by c gamma omega = 4.5 omega (R - S stays 10): at
# omega = 0.5, 7.25 <= 9 and it gives.
HARD = LearningGame(status_quo=1.0, learning_benefit=9.0, leak=4.5, synergy=1.0, race_premium=6.0)
ROUNDS = 10
SEED_000 = (Domain("hardware and software", 0.6, 0.1), Domain("services", 0.4, 1.0))


def tie(first, second, walls=(0.0, 0.0), people=({}, {}), organisations=({}, {})):
    """Two organisations W and Q, one person each (w, q), one tie."""
    orgs = [Organisation("W", policy=first, walls=walls[0], **organisations[0]),
            Organisation("Q", policy=second, walls=walls[1], **organisations[1])]
    return Population(orgs, [Person("w", "W", **people[0]), Person("q", "Q", **people[1])], ties=[("w", "q")])


def same_results(a, b):
    """Every array of two NetworkResults equal, bit for bit."""
    ca, cb = a.contributions, b.contributions
    for field in dataclasses.fields(ca):
        assert np.array_equal(getattr(ca, field.name), getattr(cb, field.name), equal_nan=True), field.name
    for part in ("ties", "groups"):
        x, y = getattr(a, part), getattr(b, part)
        assert (x is None) == (y is None)
        if x is not None:
            for field in dataclasses.fields(x):
                u, v = getattr(x, field.name), getattr(y, field.name)
                if isinstance(u, list):
                    assert all(np.array_equal(p, q) for p, q in zip(u, v)), field.name
                else:
                    assert np.array_equal(u, v, equal_nan=True), field.name


# --- reduction: every coping value off is part 1 -------------------------------------------------------

RICH = LearningGame(knowledge=Knowledge(3, 0.6), ties=Ties(3), power=Power(0.7), overlap=0.8)


def mixed(**coping):
    """Three organisations, six people (one in two organisations), ties and two groups, a mix of
    strategies that read the game (Calculative, GTFT) and that do not; ``coping`` keys are set on
    every organisation (``walls``) or person (the others)."""
    walls = coping.pop("walls", None)
    extra = {} if walls is None else {"walls": walls}
    orgs = [Organisation("A", policy=Calculative(receptivity=0.7), absorption=0.6, **extra),
            Organisation("B", policy=GTFT(tacitness=0.3), **extra),
            Organisation("C", policy=TrustBuilder(receptivity=0.9), **extra)]
    people = [Person("a1", "A", identification=0.4, recognition=0.3, **coping),
              Person("a2", "A", strategy=TitForTat(receptivity=0.5), **coping),
              Person("b1", "B", identity="profession", identity_weight=0.2, **coping),
              Person("b2", ("B", "C"), **coping),
              Person("c1", "C", strategy=Grudger(receptivity=0.6, tacitness=0.2), **coping),
              Person("c2", "C", strategy=RandomPlayer(p=0.7), **coping)]
    ties = [("a1", "b1", 2), ("a1", "c1"), ("a2", "b2"), ("b1", "c2"), ("b2", "c1", 1), ("a2", "c2")]
    groups = [("g1", ["a1", "b1", "c1", "b2"]), ("g2", ["a2", "c2", "b1"])]
    return Population(orgs, people, ties=ties, groups=groups)


OFF = {"walls": 0.0, "efficiency": 0.0, "meta_horizon": 0.0, "meta_synergy": 0.0, "multivocality": 0.0}
INERT = {"walls": 0.0, "meta_horizon": 0.5, "meta_synergy": 0.5}   # a meta-identity perceiving less than the game
CASES = [(RICH, 0.05, OFF), (RICH, 0.0, INERT), (HARD, 0.02, OFF), (LearningGame(domains=SEED_000), 0.0, OFF),
         (LearningGame(domains=SEED_000), 0.03, {**OFF, "walls": {"services": 0.0}})]


@pytest.mark.parametrize("game, noise, off", CASES, ids=["rich", "inert meta-identity", "hard", "domains",
                                                         "zero wall per domain"])
def test_every_coping_value_off_is_part_one_bit_for_bit(game, noise, off):
    """Walls 0 (one value or per domain), efficiency 0, no meta-identity (or one that perceives less than
    the game: it only ever lengthens the horizon or raises the synergy), no multi-vocality: the same
    bytes as the population without the new attributes, ties and groups."""
    settings = dict(rounds=30, seed=5, repetitions=3, noise=noise, group_game=GroupGame(0.6))
    same_results(play_network(mixed(), game, **settings), play_network(mixed(**dict(off)), game, **settings))


@pytest.mark.parametrize("game", [RICH, HARD])
def test_with_coping_off_each_tie_is_still_its_match(game):
    """Part 1's key reduction holds with the coping values given and off: one person per organisation,
    every person and organisation payoff is its match's, to the bit."""
    players = [Calculative(receptivity=0.7), GTFT(tacitness=0.3), TitForTat(), RandomPlayer(p=0.6)]
    orgs = [Organisation(f"O{k}", walls=0.0) for k in range(4)]
    people = [Person(f"p{k}", f"O{k}", strategy=s, **{k: v for k, v in OFF.items() if k != "walls"})
              for k, s in enumerate(players)]
    population = Population(orgs, people, ties=[("p0", "p1", 2), ("p2", "p3")])
    result = play_network(population, game, rounds=20, seed=4, repetitions=3, noise=0.05)
    for k, (u, v) in enumerate(population.tie_people):
        batch = Match(players[u], players[v], game, turns=20, seed=4, key=tie_key(int(u), int(v)), repetitions=3,
                      noise=0.05, prior_rounds=int(population.tie_prior[k])).play_batch()
        for side, person in enumerate((u, v)):
            assert np.array_equal(result.contributions.person_payoffs[:, person], batch.raw.payoffs[side])
            assert np.array_equal(result.contributions.organisation_payoffs[:, person], batch.raw.payoffs[side])


def test_the_off_values_do_not_switch_the_engines_on():
    """The gate itself: nothing is perceived, no overlap is directional, attention is even."""
    coping = Coping(mixed(**OFF), RICH, 30)
    assert not (coping.walls or coping.efficiency or coping.meta or coping.multivocal or coping.perceives)
    population = mixed(**OFF)
    overlap = coping.pair_overlap(population.tie_people[:, 0], population.tie_people[:, 1])
    assert not isinstance(overlap, tuple)
    assert np.array_equal(overlap, population.pair_overlap(population.tie_people[:, 0], population.tie_people[:, 1],
                                                           RICH))
    base = MatchContext(RICH, 1 - 1 / 30, 30)
    assert coping.context(0, np.nan) == base and perceived_context(RICH, 30, None, 0.5, 0.5, 0.0) == base


# --- 1. Chinese walls ------------------------------------------------------------------------------------

def test_a_wall_lowers_what_flows_into_the_walled_side_payoffs_by_hand():
    """Two Cooperators, default game (R = 3): a full wall on W (omega = 1, gamma = 1) makes
    gamma_in(W) = 0, so W's positional part is c (0 r g_q - 1 r g_w) = -1 and Q's +1:
    W earns 3 - 1 = 2 a round and Q 3 + 1 = 4 (the positional value still sums to zero).
    The cost of the wall is W's: what it learns no longer moves its standing."""
    result = play_network(tie(Cooperator(), Cooperator(), walls=(1.0, 0.0)), rounds=5, seed=1)
    assert np.array_equal(result.contributions.organisation_payoffs[0, :, 0], [2.0, 4.0])
    assert np.array_equal(result.contributions.person_payoffs[0, :, 0], [2.0, 4.0])
    # half a wall: gamma_in(W) = 0.5, W's positional part c (0.5 - 1) = -0.5
    half = play_network(tie(Cooperator(), Cooperator(), walls=(0.5, 0.0)), rounds=5, seed=1)
    assert np.array_equal(half.contributions.organisation_payoffs[0, :, 0], [2.5, 3.5])


def test_a_wall_per_domain_weighs_each_domains_overlap():
    """Seed 000's domains: hardware and software (share 0.6, overlap 0.1) and services (0.4, 1.0);
    ITCOM's wall on services only: gamma_in = 0.6 x 0.1 = 0.06 against 0.46 (by hand), so
    W earns 3 + c (0.06 - 0.46) = 2.6 and Q 3.4 in a round of mutual giving."""
    game = LearningGame(domains=SEED_000)
    population = tie(Cooperator(), Cooperator(), walls=({"services": 1.0}, 0.0))
    assert np.allclose(wall_values(population.organisations[0], game), [0.0, 1.0])
    assert retention(population, game) == pytest.approx([0.06 / 0.46, 1.0])
    assert inflow_overlap(population, game, [0, 1], [1, 0]) == pytest.approx([0.06, 0.46])
    assert perceived_inflow(population, game)[0] == pytest.approx(0.06) and np.isnan(perceived_inflow(population,
                                                                                                       game)[1])
    result = play_network(population, game, rounds=3, seed=1)
    assert result.contributions.organisation_payoffs[0, :, 0] == pytest.approx([2.6, 3.4])


def test_a_wall_on_one_organisation_raises_its_partners_sharing():
    """The judged-by line: a Calculative partner of a walled organisation perceives its leak into it
    counting less (T - R falls from 9.5 to 7.25 at omega = 0.5, R - S stays 10) and keeps giving at
    w = 0.9, where it took after every give without the wall. Ablation: wall 0 is no change at all."""
    def share(wall):
        return play_network(tie(TitForTat(), Calculative(), walls=(wall, 0.0)), HARD, ROUNDS, seed=3,
                            repetitions=5).giving_share

    plain, walled = share(0.0), share(0.5)
    assert walled[1] == 1.0 and plain[1] < 0.5 and walled[1] > plain[1] + 0.5
    same_results(play_network(tie(TitForTat(), Calculative(), walls=(0.0, 0.0)), HARD, ROUNDS, seed=3, repetitions=5),
                 play_network(tie(TitForTat(), Calculative()), HARD, ROUNDS, seed=3, repetitions=5))


def test_a_wall_raises_a_generous_partners_forgiveness():
    """GTFT forgives a take with p = min(1 - (T - R)/(R - S), (R - P)/(T - P)) of the game it perceives:
    0.05 in HARD; facing a fully walled partner R rises to 11 (positional loss gone), p = 0.5. Against a
    partner who gives with 0.2 it gives in the rounds after a take with those probabilities."""
    context = MatchContext(HARD, 0.9, ROUNDS)
    walled = MatchContext(dataclasses.replace(HARD, partner_overlap=0.0), 0.9, ROUNDS)
    assert GTFT().generosity(context) == pytest.approx(0.05) and GTFT().generosity(walled) == pytest.approx(0.5)

    def gives(wall):
        return play_network(tie(RandomPlayer(p=0.2), GTFT(), walls=(wall, 0.0)), HARD, ROUNDS, seed=4,
                            repetitions=400).giving_share[1]

    plain, full = gives(0.0), gives(1.0)
    # expected share: first round 1, then 0.2 x 1 + 0.8 x p: (1 + 9 (0.2 + 0.8 p)) / 10
    for observed, p in ((plain, 0.05), (full, 0.5)):
        expected = (1 + 9 * (0.2 + 0.8 * p)) / 10
        assert abs(observed - expected) < 4 * np.sqrt(expected * (1 - expected) / 4000)
    assert full > plain + 0.25


def test_the_walled_side_does_not_perceive_its_own_wall():
    """A walled Calculative keeps its calculation (it takes after a give: T - R = 9.5 > 0.9 x 10) and
    plays exactly as without its wall; its Calculative partner, perceiving it, gives every round."""
    coping = Coping(tie(Calculative(), Calculative(), walls=(0.5, 0.0)), HARD, ROUNDS)
    assert coping.context(0, coping.inflow[1]) == MatchContext(HARD, 0.9, ROUNDS)
    assert coping.context(1, coping.inflow[0]).game == dataclasses.replace(HARD, partner_overlap=0.5)
    walled = play_network(tie(Calculative(), TitForTat(), walls=(0.5, 0.0)), HARD, ROUNDS, seed=1)
    plain = play_network(tie(Calculative(), TitForTat()), HARD, ROUNDS, seed=1)
    assert np.array_equal(walled.contributions.gives[0, 0], plain.contributions.gives[0, 0])
    assert np.array_equal(walled.contributions.gives[0, 0], [1] + [0] * (ROUNDS - 1))
    partner = play_network(tie(TitForTat(), Calculative(), walls=(0.5, 0.0)), HARD, ROUNDS, seed=1)
    assert partner.contributions.gives[0, 1].all()


def test_one_person_perceives_each_partner_apart():
    """Tables are compiled per (player, perceived game): the same Calculative person gives along
    the tie to a walled partner and takes along the tie to an unwalled one, in one vectorised run."""
    orgs = [Organisation("W", policy=TitForTat(), walls=0.5), Organisation("U", policy=TitForTat()),
            Organisation("Q", policy=Calculative())]
    people = [Person("w", "W"), Person("u", "U"), Person("q", "Q")]
    result = play_network(Population(orgs, people, ties=[("w", "q"), ("u", "q")]), HARD, ROUNDS, seed=2)
    gives = result.ties.gives[0]           # (ties, 2): ties sorted (q, u)? rows are (smaller index, larger)
    tie_people = result.population.tie_people.tolist()
    walled, plain = tie_people.index([0, 2]), tie_people.index([1, 2])
    assert gives[walled, 1] == 1.0 and gives[plain, 1] < 0.5


def test_a_wall_in_a_group_raises_the_others_sharing():
    """In a group each member perceives the others' mean inflow overlap: with W (omega = 1) and two
    Calculative members, each sees (0 + 1)/2 = 0.5 and gives (T - R = 7.25 <= 9); without the wall
    they take after the first round (the majority quorum sees gives)."""
    def play(wall):
        orgs = [Organisation("W", policy=Cooperator(), walls=wall), Organisation("Q1", policy=Calculative()),
                Organisation("Q2", policy=Calculative())]
        people = [Person("w", "W"), Person("q1", "Q1"), Person("q2", "Q2")]
        return play_network(Population(orgs, people, groups=[("g", ["w", "q1", "q2"])]), HARD, ROUNDS, seed=1)

    coping = Coping(play(1.0).population, HARD, ROUNDS)
    assert np.allclose(coping.group_partner_overlap([0, 1, 2]), [np.nan, 0.5, 0.5], equal_nan=True)
    assert np.array_equal(play(1.0).giving_share, [1.0, 1.0, 1.0])
    assert np.array_equal(play(0.0).giving_share, [1.0, 0.1, 0.1])


def test_an_imperative_player_pays_the_walled_overlap_but_sees_the_game():
    """Only compiled strategies perceive; payoffs apply to every tie (through Match)."""
    class Giver(Player):
        def strategy(self, opponent):
            return GIVE

    result = play_network(tie(Cooperator(), Giver(), walls=(1.0, 0.0)), rounds=4, seed=1)
    assert np.array_equal(result.contributions.organisation_payoffs[0, :, 0], [2.0, 4.0])


# --- 2. avoidance for efficiency ----------------------------------------------------------------------

RECEPTIVITIES = [0.2, 0.4, 0.8, 1.0]


def efficient_group(efficiency, strategy=Cooperator):
    orgs = [Organisation(f"O{k}") for k in range(4)]
    people = [Person(f"p{k}", f"O{k}", strategy=strategy(receptivity=r), efficiency=efficiency)
              for k, r in enumerate(RECEPTIVITIES)]
    return Population(orgs, people, groups=[("g", [f"p{k}" for k in range(4)])])


def hand_weights(efficiency):
    """w_ij = (a_ij + a_ji)/2, a_ij = a (1 - e + e (n - 1) r_j / sum_{k != i} r_k), a = 1/3, by loops."""
    n, a = 4, 1 / 3
    own = np.zeros((n, n))
    for i in range(n):
        pool = sum(RECEPTIVITIES[k] for k in range(n) if k != i)
        for j in range(n):
            if j != i:
                own[i, j] = a * (1 - efficiency + efficiency * (n - 1) * RECEPTIVITIES[j] / pool)
    return (own + own.T) / 2


def test_efficient_attention_weights_by_hand():
    pairs = Pairs.of_sizes([4])
    weight = attention(np.full(4, 4), 1.0)
    got = efficient_attention(pairs, weight, np.full(4, 4), RECEPTIVITIES, np.ones(4, bool), np.ones(4))
    expected = hand_weights(1.0)
    assert got == pytest.approx(expected[pairs.first, pairs.second])
    assert got.sum() == pytest.approx(4.0)        # the group's attention is kept (four budgets of one)
    even = efficient_attention(pairs, weight, np.full(4, 4), RECEPTIVITIES, np.ones(4, bool), np.zeros(4))
    assert np.array_equal(even, np.full(12, weight[0]))  # efficiency 0: exactly a


def test_avoidance_for_efficiency_moves_attention_and_learning_to_receptive_members():
    """Everyone gives every round: member i learns r_i sum_j w_ij. Evenly that is r_i (three gives at a
    third each); with efficiency the receptive are attended more and learn more, the least receptive
    less, by the hand weights; the total attention is the same. Ablation: efficiency 0 is part 1."""
    coped = play_network(efficient_group(1.0), rounds=3, seed=1)
    plain = play_network(efficient_group(0.0), rounds=3, seed=1)
    attended = hand_weights(1.0).sum(axis=0)
    assert np.all(np.diff(attended) > 0)           # attended more, the more receptive
    learned = np.array(RECEPTIVITIES) * hand_weights(1.0).sum(axis=1)
    assert coped.contributions.learning[0, :, 0] == pytest.approx(learned)
    assert plain.contributions.learning[0, :, 0] == pytest.approx(RECEPTIVITIES)
    assert learned[-1] > RECEPTIVITIES[-1] and learned[0] < RECEPTIVITIES[0]
    same_results(plain, play_network(efficient_group(0.0), rounds=3, seed=1))
    people = [dataclasses.replace(p, efficiency=0.0) for p in efficient_group(1.0).people]
    same_results(plain, play_network(Population(efficient_group(1.0).organisations, people,
                                                groups=[("g", [p.name for p in people])]), rounds=3, seed=1))


def test_a_group_of_two_is_still_its_match_with_efficiency_on():
    """At n_a = 2 every weight is a = 1 whatever the efficiency (the one counterpart has all the
    receptivity there is), so part 1's key reduction survives the mechanism: bit for bit a Match."""
    game = LearningGame(knowledge=Knowledge(2, 0.7), ties=Ties(2))
    players = [TitForTat(receptivity=0.4, tacitness=0.3), RandomPlayer(p=0.6, receptivity=0.9)]
    orgs = [Organisation("A"), Organisation("B")]
    people = [Person("a", "A", strategy=players[0], efficiency=1.0), Person("b", "B", strategy=players[1],
                                                                           efficiency=0.5)]
    population = Population(orgs, people, groups=[("g", ["a", "b"])])
    play = play_group_rounds(population, game, 25, 3, repetitions=4, noise=0.05)
    batch = Match(players[0], players[1], game, turns=25, seed=3, key=group_key((0, 1)), repetitions=4,
                  noise=0.05).play_batch()
    for side in (0, 1):
        assert np.array_equal(play.payoffs[:, side], batch.raw.payoffs[side])
        assert np.array_equal(play.person_payoffs[:, side], batch.raw.payoffs[side])


def test_efficiency_pays_each_relation_by_its_weight():
    """u_i = sum_j w_ij u_ij + (1 - sum_j w_ij) P, with u_ij the pairwise stage payoff (both gave)."""
    from learning_dilemma.games.learning import stage_payoff

    game = LearningGame()
    coped = play_network(efficient_group(1.0), game, rounds=1, seed=1)
    w = hand_weights(1.0)
    r = RECEPTIVITIES
    for i in range(4):
        expected = sum(w[i, j] * stage_payoff(game, 1, 1, 1, 1, r[i], r[j], 0) for j in range(4) if j != i)
        expected += (1 - w[i].sum()) * game.status_quo
        assert coped.contributions.person_payoffs[0, i, 0] == pytest.approx(float(expected))


def test_efficiency_with_knowledge_stakes_speeds_the_receptive():
    """The stakes fall with the weighted learning, min(1, sum_j w_ij x_ji): among members who give half
    the time, after four rounds the most receptive has less left to learn with efficiency than without,
    the least receptive more (means over 1,000 repetitions; standard errors about 0.02 and 0.04, the
    margins four of them). Ablation: efficiency 0 is the even attention's race."""
    game = LearningGame(knowledge=Knowledge(3, 0.8))

    def stakes_after_four(efficiency):
        play = play_group_rounds(efficient_group(efficiency, lambda receptivity: RandomPlayer(
            p=0.5, receptivity=receptivity)), game, 8, 9, repetitions=1000)
        return play.stakes[:, :, 4].mean(axis=0)

    plain, coped = stakes_after_four(0.0), stakes_after_four(1.0)
    assert coped[-1] < plain[-1] - 0.16 and coped[0] > plain[0] + 0.05


# --- 3. meta-identity ---------------------------------------------------------------------------------

def test_a_meta_identity_makes_a_calculative_person_give_where_one_without_takes():
    """At w = 0.9 Calculative takes after a give (9.5 > 0.9 x 10); its meta-identity perceives
    w_id = 0.96 (9.5 <= 9.6) or s' = 2 (T - R = 8.5 <= 0.9 x 11): it gives every round."""
    def share(**person):
        return play_network(tie(TitForTat(), Calculative(), people=({}, person)), HARD, ROUNDS, seed=1).giving_share

    assert share()[1] == pytest.approx(0.1)
    assert share(meta_horizon=0.96)[1] == 1.0 and share(meta_synergy=2.0)[1] == 1.0
    # ablation: a horizon at or below the match's (or a synergy at or below the game's) is no meta-identity
    same_results(play_network(tie(TitForTat(), Calculative(), people=({}, {"meta_horizon": 0.9})), HARD, ROUNDS,
                              seed=1),
                 play_network(tie(TitForTat(), Calculative()), HARD, ROUNDS, seed=1))


def test_a_meta_identity_changes_behaviour_not_payoffs():
    """With the same moves, a person with a meta-identity earns what one without earns: the Calculative
    with w_id = 0.96 gives every round, as a Cooperator does, and both ties pay the same bytes."""
    meta = play_network(tie(TitForTat(), Calculative(), people=({}, {"meta_horizon": 0.96})), HARD, ROUNDS, seed=1)
    plain = play_network(tie(TitForTat(), Cooperator()), HARD, ROUNDS, seed=1)
    same_results(meta, plain)
    coping = Coping(meta.population, HARD, ROUNDS)
    assert coping.context(1, np.nan) == MatchContext(HARD, 0.96, None)   # no fixed end: the story has none
    assert coping.context(0, np.nan) == MatchContext(HARD, 0.9, ROUNDS)


# --- 4. multi-vocality -------------------------------------------------------------------------------

def test_multivocality_pays_each_side_its_private_value_when_both_gave():
    """Person and organisation payoffs rise by v_i in exactly the rounds both gave, each side its own."""
    def run(v):
        return play_network(tie(Cooperator(), RandomPlayer(p=0.5), people=({"multivocality": v[0]},
                                                                          {"multivocality": v[1]})),
                            rounds=40, seed=7, repetitions=3)

    plain, voiced = run((0.0, 0.0)), run((0.5, 0.25))
    both = plain.contributions.gives[:, 0] * plain.contributions.gives[:, 1]
    assert 0 < both.mean() < 1
    for level in ("person_payoffs", "organisation_payoffs"):
        extra = getattr(voiced.contributions, level) - getattr(plain.contributions, level)
        assert np.allclose(extra[:, 0], 0.5 * both) and np.allclose(extra[:, 1], 0.25 * both)
    same_results(plain, play_network(tie(Cooperator(), RandomPlayer(p=0.5)), rounds=40, seed=7, repetitions=3))


def test_multivocality_makes_a_calculative_pair_give():
    """Perceived as synergy s + v: T - R = 9.5 - v <= 0.9 (10 + v) from v = 0.263; at v = 0.5 both
    Calculative people give every round, at v = 0.2 (or on one side only) not."""
    def shares(v):
        return play_network(tie(Calculative(), Calculative(), people=({"multivocality": v[0]},
                                                                      {"multivocality": v[1]})),
                            HARD, ROUNDS, seed=1).giving_share

    assert np.array_equal(shares((0.5, 0.5)), [1.0, 1.0])
    assert np.array_equal(shares((0.2, 0.2)), [0.1, 0.1])
    one = shares((0.5, 0.0))
    assert one[1] == pytest.approx(0.1) and one[0] < 1.0


def test_multivocality_in_a_group_is_paid_per_relation():
    """Three Cooperators (a = 1/2): a member with v earns v x a x 2 = v more a round."""
    def run(v):
        orgs = [Organisation(f"O{k}") for k in range(3)]
        people = [Person(f"p{k}", f"O{k}", strategy=Cooperator(), multivocality=v if k == 0 else 0.0)
                  for k in range(3)]
        return play_network(Population(orgs, people, groups=[("g", ["p0", "p1", "p2"])]), rounds=2, seed=1)

    extra = run(0.6).contributions.person_payoffs - run(0.0).contributions.person_payoffs
    assert extra[0, 0] == pytest.approx([0.6, 0.6]) and np.allclose(extra[0, 1:], 0.0)


# --- the four are different mechanisms --------------------------------------------------------------------

def test_each_mechanism_leaves_its_own_signature():
    """Who perceives, and whether payoffs change for fixed moves (two Cooperators):
    wall: the partner's game changes, both sides' payoffs change; meta-identity: the person's own game
    changes, no payoff does; multi-vocality: the own game changes and the own payoffs; efficiency: no
    game changes (attention in groups only; a tie is untouched)."""
    base = play_network(tie(Cooperator(), Cooperator()), rounds=2, seed=1).contributions.person_payoffs
    cases = {"wall": {"walls": (0.5, 0.0)}, "meta": {"people": ({"meta_horizon": 0.99}, {})},
             "voice": {"people": ({"multivocality": 1.0}, {})}, "efficiency": {"people": ({"efficiency": 1.0}, {})}}
    seen, paid = {}, {}
    for name, kwargs in cases.items():
        population = tie(Cooperator(), Cooperator(), **kwargs)
        coping = Coping(population, LearningGame(), 2)
        plain = MatchContext(LearningGame(), 0.5, 2)
        seen[name] = (coping.context(0, coping.inflow[1]) != plain, coping.context(1, coping.inflow[0]) != plain)
        change = play_network(population, rounds=2, seed=1).contributions.person_payoffs - base
        paid[name] = (bool(np.any(change[0, 0])), bool(np.any(change[0, 1])))
    assert seen == {"wall": (False, True), "meta": (True, False), "voice": (True, False),
                    "efficiency": (False, False)}
    assert paid == {"wall": (True, True), "meta": (False, False), "voice": (True, False),
                    "efficiency": (False, False)}


# --- one-line errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, match", [
    (lambda: Organisation("W", walls=1.5), r"organisation 'W': walls must be in \[0, 1\]"),
    (lambda: Organisation("W", walls={"services": -0.1}), r"organisation 'W': walls.services must be in"),
    (lambda: Organisation("W", walls="high"), r"organisation 'W': walls must be a number"),
    (lambda: Person("p", "W", efficiency=2), r"person 'p': efficiency must be in \[0, 1\]"),
    (lambda: Person("p", "W", meta_horizon=1.0), r"person 'p': meta_horizon must be in \[0, 1\)"),
    (lambda: Person("p", "W", meta_synergy=-1), r"person 'p': meta_synergy"),
    (lambda: Person("p", "W", multivocality="x"), r"person 'p': multivocality must be a number"),
])
def test_bad_coping_values_are_refused_in_one_line(make, match):
    with pytest.raises(ParameterError, match=match) as error:
        make()
    assert "\n" not in str(error.value)


def test_a_wall_per_domain_must_fit_the_game():
    population = tie(Cooperator(), Cooperator(), walls=({"services": 1.0}, 0.0))
    with pytest.raises(ParameterError, match=r"organisation 'W': walls per domain need game.domains"):
        play_network(population, LearningGame(), rounds=2, seed=1)
    with pytest.raises(ParameterError, match=r"organisation 'W': walls.services: not a domain of the game"):
        play_network(population, LearningGame(domains=(Domain("a", 0.5, 1.0), Domain("b", 0.5, 0.2))), rounds=2,
                     seed=1)


def test_walls_are_organisations_and_hashable():
    a, b = Organisation("W", walls={"services": 0.5}), Organisation("W", walls=(("services", 0.5),))
    assert a == b and hash(a) == hash(b) and a.walled and not Organisation("U").walled


def test_with_coping_on_the_results_do_not_depend_on_the_chunks_or_the_tie_order():
    """Every mechanism at once, ties and groups: engine runs cut differently, and ties listed in
    another order, give the same bytes (draws stay keyed by the people, tables by what is perceived)."""
    from learning_dilemma.networks.groups import play_groups
    from learning_dilemma.networks.play import play_ties

    coping = {"efficiency": 0.7, "meta_horizon": 0.97, "multivocality": 0.3}
    population = mixed(walls=0.4, **coping)
    game = RICH
    whole = play_ties(population, game, 20, 8, 2, 0.05)
    cut = play_ties(population, game, 20, 8, 2, 0.05, budget=1)
    for field in dataclasses.fields(whole[0]):
        assert np.array_equal(getattr(whole[0], field.name), getattr(cut[0], field.name)), field.name
    groups_whole = play_groups(population, game, 20, 8, 2, 0.05, GroupGame(0.6))
    groups_cut = play_groups(population, game, 20, 8, 2, 0.05, GroupGame(0.6), budget=1)
    for field in dataclasses.fields(groups_whole[0]):
        assert np.array_equal(getattr(groups_whole[0], field.name), getattr(groups_cut[0], field.name))
    reordered = Population(population.organisations, population.people,
                           ties=[(population.people[u].name, population.people[v].name, int(k))
                                 for (u, v), k in reversed(list(zip(population.tie_people, population.tie_prior)))],
                           groups=[(g.name, [population.people[m].name for m in g.members]) for g in population.groups])
    same_results(play_network(population, game, 20, 8, 2, 0.05, GroupGame(0.6)),
                 play_network(reordered, game, 20, 8, 2, 0.05, GroupGame(0.6)))
    # and the mechanisms were on: something differs from the plain population
    plain = play_network(mixed(), game, 20, 8, 2, 0.05, GroupGame(0.6))
    assert not np.array_equal(plain.contributions.person_payoffs,
                              play_network(population, game, 20, 8, 2, 0.05, GroupGame(0.6)).contributions.person_payoffs)
