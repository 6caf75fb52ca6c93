"""The group game engine (learning_dilemma.networks.groups).

The key reduction: a group of two plays bit for bit as a Match keyed by the
group. Then the group rules at n > 2, each with its ablation: attention,
the quorum, stakes and the race, exit, non-rival knowledge, the group-size
effect of threshold reciprocity, and the seeding guarantees.
"""

from __future__ import annotations

import numpy as np
import pytest

from leaving import WalksOut, Wanderer
from learning_dilemma import limits
from learning_dilemma.engine.vectorised import BOTH_LEFT, FIRST_LEFT, OPEN, RACE_OVER, SECOND_LEFT
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import GroupGame, Knowledge, LearningGame, Power, Ties
from learning_dilemma.limits import ResourceLimitError
from learning_dilemma.match import Match
from learning_dilemma.moves import EXIT, GIVE, TAKE, Move
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.groups import group_keys, play_group_rounds, play_groups
from learning_dilemma.networks.results import GROUP_ENDINGS
from learning_dilemma.players.automaton import table
from learning_dilemma.seeding import group_key
from learning_dilemma.players.player import Automaton, Player
from learning_dilemma.strategies import (
    ALL_STRATEGIES, GTFT, Cooperator, Defector, Grudger, RaceToLearn, TitForTat,
)

LEFT, RACE = GROUP_ENDINGS.index("left"), GROUP_ENDINGS.index("race over")


def population(groups, strategies, ties=(), **person):
    """One organisation a person (every pair of people are rivals at the game's overlap).

    ``strategies`` maps person names to players; ``groups`` is a list of (name, members).
    """
    organisations = [Organisation(f"O-{name}") for name in strategies]
    people = [Person(name, f"O-{name}", strategy=s, **person) for name, s in strategies.items()]
    return Population(organisations, people, ties=ties, groups=groups)


def one_group(players, **kwargs):
    names = [f"p{k}" for k in range(len(players))]
    return population([("g", names)], dict(zip(names, players)), **kwargs)


# --- the key reduction: a group of two is a match ----------------------------------------------------

RICH = LearningGame(knowledge=Knowledge(3, 0.6), ties=Ties(3), power=Power(0.7), overlap=0.8)
# values that are not small whole numbers, so that any regrouping of the payoff's arithmetic shows
ODD = LearningGame(status_quo=0.37, learning_benefit=2.3, leak=0.9, synergy=1.3, race_premium=1.7,
                   knowledge=Knowledge(2, 0.8), ties=Ties(2), power=Power(0.4), overlap=0.6)
OPPONENTS = [TitForTat(receptivity=0.6, tacitness=0.5), RaceToLearn(receptivity=0.9),
             GTFT(receptivity=0.5, tacitness=0.2), Wanderer(q=0.03)]
# Match ended_by -> group ended_by
ENDED = {OPEN: 0, FIRST_LEFT: LEFT, SECOND_LEFT: LEFT, BOTH_LEFT: LEFT, RACE_OVER: RACE}


def pairs_population():
    """Every library strategy (and the test leavers) against each opponent, each pair a group of two."""
    library = [cls(receptivity=0.8, tacitness=0.3) for cls in ALL_STRATEGIES] + [WalksOut(tacitness=0.4), Wanderer()]
    assert all(p.is_automaton for p in library)
    strategies, groups = {}, []
    for a, first in enumerate(library):
        for b, second in enumerate(OPPONENTS):
            u, v = f"a{a}-{b}", f"b{a}-{b}"
            strategies[u], strategies[v] = first, second
            groups.append((f"g{a}-{b}", [u, v]))
    return population(groups, strategies)


@pytest.mark.parametrize("game, noise", [(RICH, 0.05), (RICH, 0.0), (ODD, 0.03), (LearningGame(), 0.1),
                                         (LearningGame(knowledge=Knowledge(2)), 0.0)])
def test_a_group_of_two_plays_bit_for_bit_as_a_match(game, noise):
    pop = pairs_population()
    rounds, repetitions, seed = 40, 3, 11
    play = play_group_rounds(pop, game, rounds, seed, repetitions, noise, GroupGame(0.4, 0.3), record=True)
    keys = group_keys(pop)
    players = pop.players()
    assert len(pop.groups) > 100                                   # many groups: g > 0 too
    assert keys == [group_key(group.members) for group in pop.groups]   # keyed by the members
    for g, group in enumerate(pop.groups):
        u, v = group.members
        raw = Match(players[u], players[v], game, turns=rounds, seed=seed, key=keys[g], repetitions=repetitions,
                    noise=noise).play_batch().raw
        members, pairs = play.members(g), play.group_pairs(g)     # pairs: (a -> b), (b -> a)
        for mine, theirs in ((play.moves[:, members], raw.moves), (play.transfers[:, pairs], raw.transfers),
                             (play.stakes[:, members], raw.stakes), (play.payoffs[:, members], raw.payoffs),
                             (play.person_payoffs[:, members], raw.payoffs),
                             (play.organisation_payoffs[:, members], raw.payoffs)):
            assert np.array_equal(mine.transpose(1, 0, 2), theirs), group.name
        assert np.array_equal(play.ties[:, pairs.start], raw.ties)
        assert np.array_equal(play.ties[:, pairs.start], play.ties[:, pairs.start + 1])
        assert [ENDED[int(e)] for e in raw.ended_by] == play.ended_by[:, g].tolist()
    # the run is not trivial: exits, races and both moves happen
    assert {0, LEFT, RACE} <= set(play.ended_by.ravel().tolist()) or not game.knowledge.active
    assert {0, 1, 2} <= set(np.unique(play.moves).tolist())


def test_a_group_is_keyed_by_its_members_in_slot_order():
    pop = one_group([Cooperator(), Defector()])
    assert group_keys(pop) == [(102, 2, 0, 1)]


def test_at_two_members_the_quorum_and_congestion_do_not_matter():
    pop = pairs_population()
    plays = [play_group_rounds(pop, RICH, 30, 2, 2, 0.05, GroupGame(theta, q), record=True)
             for theta, q in ((1.0, 0.5), (0.0, 1e-6), (0.5, 1.0))]
    for other in plays[1:]:
        for name in ("moves", "transfers", "stakes", "payoffs", "person_payoffs", "ties"):
            assert np.array_equal(getattr(plays[0], name), getattr(other, name))


# --- attention ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 5, 8])
def test_a_takers_payoff_from_k_gives_scales_with_congestion_as_documented(n):
    game = LearningGame()
    R, S, T, P = game.rstp()
    for k in range(n):
        players = [Defector()] + [Cooperator() if m <= k else Defector() for m in range(1, n)]
        pop = one_group(players)
        off = play_group_rounds(pop, game, 3, 1, group_game=GroupGame(congestion=0.0))
        on = play_group_rounds(pop, game, 3, 1, group_game=GroupGame(congestion=1.0))
        assert np.allclose(off.payoffs[0, 0], P + k * (T - P))             # each give received counts in full
        assert np.allclose(on.payoffs[0, 0], P + k / (n - 1) * (T - P))   # the share of the others that gave


@pytest.mark.parametrize("theta", [0.0, 0.4, 1.0])
def test_a_group_where_nobody_gives_pays_everyone_exactly_p(theta):
    for n in (2, 3, 6, 15):
        play = play_group_rounds(one_group([Defector()] * n), LearningGame(), 5, 3, 2, group_game=GroupGame(theta))
        for values in (play.payoffs, play.person_payoffs, play.organisation_payoffs):
            assert np.array_equal(values, np.ones_like(values))


@pytest.mark.parametrize("n", [4, 10])
def test_congestion_caps_a_groups_total_learning_at_one_relation_a_member(n):
    # everyone gives and every give reaches everyone: without congestion each member learns from all n - 1
    # others (total n (n - 1) r a round); with a fixed budget each learns one relation's worth (total n r)
    r = 0.6
    pop = one_group([Cooperator(receptivity=r)] * n)
    totals = {theta: play_group_rounds(pop, LearningGame(), 10, 1, group_game=GroupGame(theta)).learning.sum(axis=1)
              for theta in (0.0, 1.0)}
    assert np.allclose(totals[0.0], n * (n - 1) * r) and np.allclose(totals[1.0], n * r)


def test_congestion_slows_the_race_when_few_give():
    # one giver among eight: without congestion the seven takers learn a level every round; with a fixed
    # budget each learns 1/7 of a level's chance a round
    game = LearningGame(knowledge=Knowledge(3))
    pop = one_group([Cooperator()] + [Defector()] * 7)
    off = play_group_rounds(pop, game, 40, 5, 20, group_game=GroupGame(0.0))
    on = play_group_rounds(pop, game, 40, 5, 20, group_game=GroupGame(1.0))
    assert np.all(off.stakes[:, 1:, 3] == 0)                              # done after three rounds
    # each level comes with chance 1/7 a round: after three rounds 3 - 3/7 = 2.57 levels are left on
    # average, and all three are learned with chance (1/7)^3 = 0.003
    assert (on.stakes[:, 1:, 3] == 0).mean() < 0.05 and on.stakes[:, 1:, 3].mean() > 2


# --- the quorum (Boyd & Richerson 1988) ------------------------------------------------------------------


@pytest.mark.parametrize("quorum, seen", [(0.5, GIVE), (0.75, TAKE), (0.25, GIVE), (1.0, TAKE)])
def test_tit_for_tat_in_a_group_of_five_where_two_of_four_give(quorum, seen):
    pop = one_group([TitForTat(), Cooperator(), Cooperator(), Defector(), Defector()])
    play = play_group_rounds(pop, LearningGame(), 3, 1, group_game=GroupGame(quorum=quorum))
    assert play.moves[0, 0, 0] == GIVE                                    # Tit For Tat opens with a give
    assert play.moves[0, 0, 1] == seen and play.moves[0, 0, 2] == seen   # then answers what it sees


def test_the_quorum_counts_the_members_active_in_the_round():
    # the Wanderer leaves at once: Tit For Tat's others are then two, one of whom gave (a majority's 1 of 2);
    # counted with the leaver it would need 2 of 3
    pop = one_group([TitForTat(), Cooperator(), Defector(), Wanderer(q=1.0)])
    play = play_group_rounds(pop, LearningGame(), 3, 1, group_game=GroupGame(quorum=0.5))
    assert play.moves[0, 3].tolist() == [EXIT] * 3 and play.active[0, 0].tolist() == [3, 3, 3]
    assert play.moves[0, 0].tolist() == [GIVE, GIVE, GIVE]


class Watcher(Automaton):
    """Gives while the partner (in a group: the others, on average) still lacks at least two levels."""

    name = "Watcher"

    def table(self, context):
        return table(context, [(context.partner_stakes >= 2) * 1.0], np.zeros((1, 2, 2), dtype=int))


def test_an_automaton_sees_the_mean_stakes_of_the_active_others():
    game = LearningGame(knowledge=Knowledge(2))
    # the fast learner's stakes go 2, 1, 0 and it leaves; the slow one's stay at 2
    pop = one_group([Watcher(receptivity=0.0), Cooperator(receptivity=1.0), Cooperator(receptivity=0.0)])
    play = play_group_rounds(pop, game, 5, 1)
    assert play.stakes[0, 1].tolist() == [2, 1, 0, 0, 0, 0] and play.moves[0, 1, 2] == EXIT
    # the others' mean: 2, then 1.5 (rounds half to even: 2), then only the slow learner's 2 (not (0 + 2) / 2)
    assert play.moves[0, 0].tolist() == [GIVE] * 5


def test_grudger_never_forgives_a_group_that_falls_below_its_quorum():
    pop = one_group([Grudger(), Cooperator(), Cooperator(), Defector()])
    lenient = play_group_rounds(pop, LearningGame(), 6, 1, group_game=GroupGame(quorum=0.5))
    strict = play_group_rounds(pop, LearningGame(), 6, 1, group_game=GroupGame(quorum=1.0))
    assert lenient.moves[0, 0].tolist() == [GIVE] * 6
    assert strict.moves[0, 0].tolist() == [GIVE] + [TAKE] * 5


# --- stakes, the race and exit ---------------------------------------------------------------------------


def test_a_member_who_has_learned_all_leaves_and_the_others_play_on():
    game = LearningGame(knowledge=Knowledge(2))
    pop = one_group([Cooperator(receptivity=1.0), Cooperator(receptivity=0.0), Cooperator(receptivity=0.0)])
    play = play_group_rounds(pop, game, 6, 1)
    # member 0 learns a level a round (r pace learned = 1) and leaves with nothing left to learn
    assert play.stakes[0, 0].tolist() == [2, 1, 0, 0, 0, 0, 0]
    assert play.moves[0, 0].tolist() == [GIVE, GIVE, EXIT, EXIT, EXIT, EXIT]
    assert play.moves[0, 1].tolist() == [GIVE] * 6 and play.stakes[0, 1].tolist() == [2] * 7
    assert play.active[0, 0].tolist() == [3, 3, 2, 2, 2, 2] and play.ended_by[0, 0] == 0
    assert np.all(play.person_payoffs[0, 0, 2:] == game.status_quo)      # out: the status quo


def test_a_group_falls_closed_when_learning_leaves_fewer_than_two():
    game = LearningGame(knowledge=Knowledge(2))
    pop = one_group([Cooperator(receptivity=1.0), Cooperator(receptivity=1.0), Cooperator(receptivity=0.0)])
    play = play_group_rounds(pop, game, 5, 1)
    assert play.ended_by[0, 0] == RACE
    assert play.moves[0].tolist() == [[GIVE, GIVE, EXIT, EXIT, EXIT]] * 3    # closed for everyone
    assert play.active[0, 0].tolist() == [3, 3, 0, 0, 0]
    assert np.all(play.payoffs[0, :, 2:] == game.status_quo)
    assert play.stakes[0, 2, -1] == 2                                       # the last member learned nothing


def test_stakes_are_per_membership():
    game = LearningGame(knowledge=Knowledge(2))
    strategies = {"x": Cooperator(receptivity=1.0), "y": Cooperator(receptivity=0.0), "z": Defector()}
    pop = population([("learns", ["x", "y"]), ("silent", ["x", "z"])], strategies)
    play = play_group_rounds(pop, game, 4, 1)
    assert play.stakes[0, play.members(0)][:, -1].tolist() == [0, 2]       # x learned all from y
    assert play.stakes[0, play.members(1)][:, -1].tolist() == [2, 0]       # but nothing from z (z learned)
    contributions, summary = play_groups(pop, game, 4, 1)
    assert [s.tolist() for s in summary.final_stakes] == [[[0, 2]], [[2, 0]]]
    # x's person payoff is its two memberships' sum
    assert np.array_equal(contributions.person_payoffs[0, 0],
                          play.person_payoffs[0, 0] + play.person_payoffs[0, 2])


def test_exit_by_a_leaving_strategy():
    # Walks Out leaves after it sees a take: with a strict quorum one taker among its two others is enough
    pop = one_group([WalksOut(), Cooperator(), Defector()])
    strict = play_group_rounds(pop, LearningGame(), 4, 1, group_game=GroupGame(quorum=1.0))
    assert strict.moves[0, 0].tolist() == [GIVE, EXIT, EXIT, EXIT]
    assert strict.active[0, 0].tolist() == [3, 2, 2, 2] and strict.ended_by[0, 0] == 0   # the others play on
    # ... as a pair, each relation weighted in full again (n_a = 2): the giver earns S, the taker T
    R, S, T, P = LearningGame().rstp()
    assert strict.payoffs[0, 1:, 1:].tolist() == [[S] * 3, [T] * 3]
    assert strict.payoffs[0, 0, 1:].tolist() == [P] * 3
    lenient = play_group_rounds(pop, LearningGame(), 4, 1, group_game=GroupGame(quorum=0.5))
    assert lenient.moves[0, 0].tolist() == [GIVE] * 4                      # one give of two is a give seen


def test_exits_that_leave_fewer_than_two_close_the_group():
    pop = one_group([Wanderer(q=1.0), Wanderer(q=1.0), Cooperator()])
    play = play_group_rounds(pop, LearningGame(), 3, 1)
    assert play.ended_by[0, 0] == LEFT and np.all(play.moves == EXIT)
    assert np.all(play.person_payoffs == LearningGame().status_quo) and np.all(play.active == 0)
    contributions, summary = play_groups(pop, LearningGame(), 3, 1)
    assert np.all(np.isnan(summary.gives)) and np.all(contributions.acts == 0)


def test_a_race_to_learn_member_leaves_a_group_once_ahead():
    game = LearningGame(knowledge=Knowledge(4, 0.5))
    pop = one_group([RaceToLearn(), Cooperator(), Cooperator(), Cooperator()])
    play = play_group_rounds(pop, game, 60, 3, 10)
    left = play.moves[:, 0] == EXIT
    assert left.any(axis=1).mean() > 0.5
    first = left.argmax(axis=1)
    assert all(np.all(left[k, first[k]:]) for k in range(10) if left[k].any())   # out for good


# --- non-rival knowledge ----------------------------------------------------------------------------------


def test_one_give_reaches_every_other_member():
    r = 0.8
    pop = one_group([Cooperator()] + [Defector(receptivity=r)] * 4)
    play = play_group_rounds(pop, LearningGame(), 5, 1, group_game=GroupGame(congestion=0.0), record=True)
    pairs = play.pairs
    from_giver = pairs.first == 0
    assert np.all(play.transfers[0, from_giver] == 1) and np.all(play.transfers[0, ~from_giver] == 0)
    assert np.allclose(play.learning[0, 1:], r)                            # each of the four learns
    contributions, _ = play_groups(pop, LearningGame(), 5, 1, group_game=GroupGame(congestion=0.0))
    assert contributions.gives[0, 0].tolist() == [1] * 5                   # one act a round
    assert np.allclose(contributions.learning[0, 1:].sum(axis=0), 4 * r)  # taught four at once
    # a tie carries a give to one partner: one act teaches one person
    match = Match(Cooperator(), Defector(receptivity=r), turns=5, seed=1).play()
    assert match.learning == (0.0, r)


# --- the group-size effect of threshold reciprocity -------------------------------------------------------


def _decay(n, quorum, noise, repetitions=200, rounds=100):
    """Mean rounds until fewer than half of a group of Tit For Tats give (``rounds`` if never)."""
    pop = one_group([TitForTat()] * n)
    _, summary = play_groups(pop, LearningGame(), rounds, 1, repetitions, noise, GroupGame(quorum=quorum))
    below = summary.gives[:, 0] < 0.5
    return float(np.where(below.any(axis=1), below.argmax(axis=1), rounds).mean())


def test_with_a_unanimous_threshold_and_noise_giving_decays_faster_in_larger_groups():
    # Boyd & Richerson (1988): reciprocators who need every other to have given retaliate against any one
    # error, and the more members the likelier an error somewhere: giving collapses sooner in larger groups
    sizes = (3, 5, 8, 12)
    unanimous = [_decay(n, 1.0, 0.02) for n in sizes]
    assert all(a > 1.2 * b for a, b in zip(unanimous, unanimous[1:])), unanimous
    # without noise nobody errs: no decay at any size
    assert [_decay(n, 1.0, 0.0, 5) for n in sizes] == [100.0] * 4
    # a majority threshold absorbs one member's error: the effect disappears (larger groups hold on as long)
    majority = [_decay(n, 0.5, 0.02) for n in sizes]
    assert min(majority) > 90 and all(b >= a for a, b in zip(majority, majority[1:])), majority


# --- seeds and order ------------------------------------------------------------------------------------------


def mixed_population(order=(0, 1, 2)):
    strategies = {f"p{k}": s for k, s in enumerate(
        [TitForTat(tacitness=0.3), GTFT(), RaceToLearn(), Cooperator(receptivity=0.5), Defector(), Wanderer(q=0.05),
         Grudger(), TitForTat()])}
    groups = [("big", ["p0", "p1", "p2", "p3", "p4"]), ("small", ["p5", "p6"]), ("mid", ["p7", "p0", "p3"])]
    return population([groups[k] for k in order], strategies, ties=[("p0", "p3", 2)])


GAME = LearningGame(knowledge=Knowledge(3, 0.5), ties=Ties(3), power=Power(0.5))


def test_same_seed_same_bytes_and_another_seed_differs():
    plays = [play_group_rounds(mixed_population(), GAME, 50, seed, 4, 0.05, record=True) for seed in (9, 9, 10)]
    names = ("moves", "stakes", "payoffs", "person_payoffs", "organisation_payoffs", "learning", "active",
             "ended_by", "transfers", "ties")
    assert all(getattr(plays[0], n).tobytes() == getattr(plays[1], n).tobytes() for n in names)
    assert plays[0].moves.tobytes() != plays[2].moves.tobytes()


def test_results_do_not_depend_on_the_order_groups_are_listed():
    order = (2, 0, 1)
    first = play_group_rounds(mixed_population(), GAME, 50, 4, 3, 0.05, record=True)
    second = play_group_rounds(mixed_population(order), GAME, 50, 4, 3, 0.05, record=True)
    for g_new, g_old in enumerate(order):
        for name in ("moves", "stakes", "payoffs", "person_payoffs", "learning"):
            assert np.array_equal(getattr(second, name)[:, second.members(g_new)],
                                  getattr(first, name)[:, first.members(g_old)])
        assert np.array_equal(second.transfers[:, second.group_pairs(g_new)],
                              first.transfers[:, first.group_pairs(g_old)])
        assert np.array_equal(second.ended_by[:, g_new], first.ended_by[:, g_old])
    a = play_groups(mixed_population(), GAME, 50, 4, 3, 0.05)[0]
    b = play_groups(mixed_population(order), GAME, 50, 4, 3, 0.05)[0]
    assert np.array_equal(a.gives, b.gives) and np.allclose(a.person_payoffs, b.person_payoffs, rtol=0, atol=1e-12)


def test_results_do_not_depend_on_repetitions_or_engine_runs():
    many = play_group_rounds(mixed_population(), GAME, 40, 8, 5, 0.05, record=True)
    few = play_group_rounds(mixed_population(), GAME, 40, 8, 2, 0.05, record=True)
    alone = play_group_rounds(mixed_population(), GAME, 40, 8, 5, 0.05, record=True, budget=1)  # one play a run
    for name in ("moves", "stakes", "payoffs", "person_payoffs", "organisation_payoffs", "transfers", "ties"):
        assert np.array_equal(getattr(many, name)[:2], getattr(few, name))
        assert np.array_equal(getattr(many, name), getattr(alone, name))


def test_the_tie_between_two_members_starts_at_the_populations_prior():
    play = play_group_rounds(mixed_population(), GAME, 5, 1, record=True)
    big = play.group_pairs(0)
    first, second = play.pairs.first[big], play.pairs.second[big]
    tied = ((first == 0) & (second == 3)) | ((first == 3) & (second == 0))
    assert np.all(play.ties[0, big][tied, 0] == 2) and np.all(play.ties[0, big][~tied, 0] == 0)


# --- contributions and summary ------------------------------------------------------------------------------


def test_contributions_and_summary_read_the_play():
    pop = mixed_population()
    play = play_group_rounds(pop, GAME, 30, 2, 3, 0.05)
    contributions, summary = play_groups(pop, GAME, 30, 2, 3, 0.05)
    assert contributions.shape == (3, pop.n_people, 30)
    person = play.person
    for p in range(pop.n_people):
        mine = person == p
        assert np.allclose(contributions.person_payoffs[:, p], play.person_payoffs[:, mine].sum(axis=1))
        assert np.array_equal(contributions.acts[:, p], (play.moves[:, mine] != EXIT).sum(axis=1))
        assert np.array_equal(contributions.gives[:, p], (play.moves[:, mine] == GIVE).sum(axis=1))
        assert np.allclose(contributions.absorbed[:, p], pop.absorption[p] * contributions.learning[:, p])
    for g in range(len(pop.groups)):
        moves = play.moves[:, play.members(g)]
        active = (moves != EXIT).sum(axis=1)
        assert np.array_equal(summary.active[:, g], active)
        with np.errstate(invalid="ignore"):
            assert np.allclose(summary.gives[:, g], (moves == GIVE).sum(axis=1) / active, equal_nan=True)
        assert summary.final_stakes[g].shape == (3, len(pop.groups[g].members))
    assert summary.ended_by.shape == (3, 3) and summary.gives.shape == (3, 3, 30)


def test_absorption_and_identification_reach_the_two_levels():
    organisations = [Organisation("A", absorption=0.2), Organisation("B")]
    people = [Person("a", "A", strategy=Defector(), identification=0.0), Person("b", "B", strategy=Cooperator())]
    pop = Population(organisations, people, groups=[("g", ["a", "b"])])
    play = play_group_rounds(pop, LearningGame(), 3, 1)
    R, S, T, P = LearningGame().rstp()
    assert np.allclose(play.payoffs[0, 0], T)
    # the taker's organisation absorbs a fifth of what its person learned; the person feels none of the standing
    assert np.all(play.organisation_payoffs[0, 0] < play.payoffs[0, 0])
    assert np.all(play.person_payoffs[0, 0] != play.payoffs[0, 0])


def test_a_population_without_groups_plays_nothing():
    pop = population([], {"a": Cooperator(), "b": Defector()})
    contributions, summary = play_groups(pop, None, 5, 1, 2)
    assert contributions.shape == (2, 2, 5) and not contributions.acts.any()
    assert summary.gives.shape == (2, 0, 5) and summary.final_stakes == []


# --- refusals ------------------------------------------------------------------------------------------------


class Imperative(Player):
    name = "Imperative"

    def strategy(self, opponent):
        return Move.GIVE


def test_a_non_automaton_is_refused_naming_the_person_and_the_group():
    pop = one_group([Cooperator(), Imperative()])
    with pytest.raises(ParameterError) as error:
        play_groups(pop, None, 5, 1)
    message = str(error.value)
    assert "'p1'" in message and "'g'" in message and "automat" in message and "\n" not in message


@pytest.mark.parametrize("kwargs, key", [
    ({"rounds": 0}, "rounds"), ({"repetitions": 0}, "repetitions"), ({"noise": 1.5}, "noise"),
    ({"group_game": 0.5}, "group_game"), ({"game": "game"}, "game"), ({"budget": 0}, "budget"),
])
def test_bad_arguments_give_one_line_naming_the_key(kwargs, key):
    arguments = {"game": None, "rounds": 5, "seed": 1, **kwargs}
    with pytest.raises(ParameterError) as error:
        play_groups(one_group([Cooperator(), Defector()]), **arguments)
    assert key in str(error.value) and "\n" not in str(error.value)


def test_resource_limits_are_checked_before_anything_is_played():
    pop = one_group([Cooperator()] * 10)
    with limits.raised(rounds=1_000):
        with pytest.raises(ResourceLimitError, match="memberships"):
            play_groups(pop, None, 50, 1, 3)             # 10 x 50 x 3 = 1,500 member-rounds
    with limits.raised(match_rounds=1_000):
        with pytest.raises(ResourceLimitError, match="held in memory"):
            play_groups(pop, None, 50, 1)                # 45 relations x 50 rounds of draws
    play_groups(pop, None, 20, 1)                        # within every limit
