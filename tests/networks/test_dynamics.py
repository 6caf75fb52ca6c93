"""Play and imitation on the structure (networks/dynamics.py): reductions, neutral drift,
Ohtsuki et al.'s rule at the donation-game limit, the bookkeeping, seeds and refusals.

The reduction is issue 18's anchor: without updates (``rate = 0``) the dynamics are
the play of :func:`~learning_dilemma.networks.play.play_ties`, bit for bit when the
play's draws are keyed by tie as ``play_ties`` keys them, and in distribution (to the
bit for deterministic strategies) with the default keying by round. The donation-game
limit of the learning game (``synergy = race_premium = 0``: ``u_i = P + b g_j - c g_i``
with ``b = learning_benefit``, ``c = leak``) carries the published results: under
death-birth updating cooperators spread when ``b/c`` is well above the degree ``k`` and
decline well below it (Ohtsuki, Hauert, Lieberman & Nowak 2006); under birth-death
updating, and on a complete graph, they decline whatever ``b/c``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from leaving import Wanderer, WalksOut
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, LearningGame, Power, Ties
from learning_dilemma.limits import ResourceLimitError, raised
from learning_dilemma.networks import Organisation, Person, Population, structures
from learning_dilemma.networks import dynamics
from learning_dilemma.networks.dynamics import NetworkEvolution, _Memory, evolve_network
from learning_dilemma.networks.play import play_ties
from learning_dilemma.players.player import Player
from learning_dilemma.strategies import (
    GTFT, Cooperator, Defector, Grudger, RandomPlayer, SuspiciousTitForTat, TitForTat, TrustBuilder,
)

GAMES = {
    "first edition": LearningGame(),
    "stakes and power": LearningGame(knowledge=Knowledge(levels=3, pace=0.5), power=Power(0.8)),
    "ties": LearningGame(ties=Ties(levels=4)),
    "stakes, ties, overlap": LearningGame(overlap=0.6, knowledge=Knowledge(levels=2), ties=Ties(levels=3)),
}


def roster():
    """Strategies of several kinds: tacit, stochastic, leaving, stakes-aware, with receptivities below 1."""
    return [TitForTat(tacitness=0.3), Defector(receptivity=0.7), RandomPlayer(p=0.6, tacitness=0.5),
            Wanderer(p=0.8, q=0.05, receptivity=0.9), WalksOut(), GTFT(receptivity=0.8), TrustBuilder(tacitness=0.2)]


def people_of(players, n_organisations, **person):
    """Person ``p<i>`` of organisation ``O<i mod n>`` plays ``players[i]``; varied person-level values."""
    organisations = [Organisation(f"O{k}", absorption=1.0 - 0.15 * k) for k in range(n_organisations)]
    people = [Person(f"p{i:02d}", (f"O{i % n_organisations}",), strategy=s,
                     identification=1.0 - 0.1 * (i % 3), recognition=0.2 * (i % 2),
                     identity="profession" if i % 4 == 0 else "organisation", identity_weight=0.1 * (i % 3 == 1),
                     **person)
              for i, s in enumerate(players)]
    return organisations, people


def one_each(players, ties):
    """One person per organisation (every pair of people rivals), ties by index."""
    organisations = [Organisation(f"O{k}") for k in range(len(players))]
    people = [Person(f"p{k:02d}", (f"O{k}",), strategy=s) for k, s in enumerate(players)]
    return Population(organisations, people, [(f"p{u:02d}", f"p{v:02d}", *rest) for u, v, *rest in ties])


def mixed_population(prior_of, n_people=21, degree=4):
    """21 people of 4 organisations on a small world, each playing one of the roster."""
    players = roster()
    organisations, people = people_of([players[i % len(players)] for i in range(n_people)], 4)
    names = [p.name for p in people]
    ties = [(u, v, prior_of(k)) for k, (u, v) in enumerate(structures.small_world(names, degree, 0.3, seed=5))]
    return Population(organisations, people, ties), players


# --- the reduction: no updates, the play of play_ties -----------------------------------------

@pytest.mark.parametrize("noise", [0.0, 0.1])
@pytest.mark.parametrize("name", list(GAMES))
def test_without_updates_the_play_is_play_ties_bit_for_bit(name, noise):
    """rate = 0 (whatever the intensity and mutation): strategies never change, and with the
    draws keyed by tie every person's payoff, gives and acts in every round are play_ties' to the bit.
    (Where ties grow, every tie starts at one strength, so play_ties adds each person's ties in
    tie order as the dynamics do; without ties the prior rounds still set the automata's start.)"""
    game = GAMES[name]
    population, players = mixed_population((lambda k: 2) if game.ties.active else (lambda k: k % 3))
    rounds, seed, reps = 40, 11, 3
    contributions, _ = play_ties(population, game, rounds, seed, repetitions=reps, noise=noise)
    evolution = evolve_network(population, game, players, rounds, seed, intensity=5.0, mutation=0.5, rate=0.0,
                               repetitions=reps, noise=noise, keying="tie", record=True)
    assert np.array_equal(evolution.person_payoffs, contributions.person_payoffs)
    assert np.array_equal(evolution.person_gives, contributions.gives)
    assert np.array_equal(evolution.person_acts, contributions.acts)
    assert np.array_equal(evolution.gives, contributions.gives.sum(axis=1))
    assert np.array_equal(evolution.acts, contributions.acts.sum(axis=1))
    assert np.all(evolution.final == evolution.start) and not evolution.changes.any()
    assert np.all(evolution.counts == evolution.counts[:, :1])
    assert contributions.acts[..., -1].sum() < contributions.acts[..., 0].sum() or not (
        game.knowledge.active)  # relations did close: the closed rounds are covered


@pytest.mark.parametrize("coping", [
    {"walls": 0.6}, {"meta_horizon": 0.97, "meta_synergy": 2.0}, {"multivocality": 1.5},
    {"walls": 0.3, "meta_horizon": 0.95, "multivocality": 0.5},
])
def test_without_updates_identity_coping_plays_as_play_ties(coping):
    """Identity coping (networks/coping.py): Chinese walls (directional overlaps, partners perceive
    them), a meta-identity (a perceived horizon and synergy), multi-vocality (a private value of
    mutual giving): the dynamics read the same structure, so without updates they are play_ties
    bit for bit, strategies that read the game (Calculative, Generous Tit For Tat) included."""
    from learning_dilemma.strategies import Calculative

    game = LearningGame(status_quo=1.0, learning_benefit=9.0, leak=4.5, synergy=1.0, race_premium=6.0,
                        ties=Ties(levels=2))
    players = [Calculative(receptivity=0.8), GTFT(tacitness=0.2), TitForTat(), RandomPlayer(p=0.6), Defector()]
    walls = coping.get("walls", 0.0)
    organisations = [Organisation(f"O{k}", walls=walls if k % 2 else 0.0, absorption=0.5 + 0.1 * k)
                     for k in range(4)]
    person = {key: value for key, value in coping.items() if key != "walls"}
    people = [Person(f"p{i:02d}", (f"O{i % 4}",), strategy=players[i % 5], identification=0.7 + 0.1 * (i % 3),
                     **(person if i % 3 else {})) for i in range(16)]
    names = [p.name for p in people]
    population = Population(organisations, people,
                            [(u, v, 1) for u, v in structures.small_world(names, 4, 0.3, seed=9)])
    contributions, _ = play_ties(population, game, 30, 12, repetitions=2, noise=0.05)
    evolution = evolve_network(population, game, players, 30, 12, rate=0.0, repetitions=2, noise=0.05,
                               keying="tie", record=True)
    assert np.array_equal(evolution.person_payoffs, contributions.person_payoffs)
    assert np.array_equal(evolution.person_gives, contributions.gives)
    # and the coping does act: the population without it plays otherwise
    plain = Population([Organisation(o.name, absorption=o.absorption) for o in organisations],
                       [Person(p.name, p.organisations, strategy=p.strategy, identification=p.identification)
                        for p in people], [(names[u], names[v], 1) for u, v in population.tie_people])
    without = evolve_network(plain, game, players, 30, 12, rate=0.0, repetitions=2, noise=0.05, keying="tie",
                             record=True)
    assert not np.array_equal(without.person_payoffs, evolution.person_payoffs)


def test_deterministic_strategies_need_no_draws_and_play_as_play_ties_under_either_keying():
    """Tit For Tat, Grudger, Cooperator, Defector, Suspicious Tit For Tat without noise or tacitness:
    the play does not depend on the draws, so the default keying gives play_ties' payoffs to the bit."""
    game = LearningGame(ties=Ties(levels=3))
    players = [TitForTat(), Grudger(), Cooperator(), Defector(), SuspiciousTitForTat()]
    population = one_each([players[i % 5] for i in range(12)],
                          [(u, v, 1) for u, v in itertools.combinations(range(12), 2) if (u * v) % 3 != 1])
    contributions, _ = play_ties(population, game, 30, 4)
    evolution = evolve_network(population, game, players, 30, 99, rate=0.0, record=True)
    assert np.array_equal(evolution.person_payoffs, contributions.person_payoffs)
    assert np.array_equal(evolution.person_gives, contributions.gives)


def test_round_keying_plays_play_ties_in_distribution():
    """Stochastic, tacit and leaving strategies with stakes and ties: the default keying draws other
    numbers, from the same distribution. Per repetition, the giving share over the run and the mean
    person payoff per round agree with play_ties' within four standard errors."""
    game = GAMES["stakes, ties, overlap"]
    population, players = mixed_population(lambda k: 1)
    rounds, reps = 30, 200
    contributions, _ = play_ties(population, game, rounds, 3, repetitions=reps, noise=0.05)
    evolution = evolve_network(population, game, players, rounds, 8, rate=0.0, repetitions=reps, noise=0.05,
                               record=True)
    ours = (evolution.person_gives.sum(axis=(1, 2)) / evolution.person_acts.sum(axis=(1, 2)),
            evolution.person_payoffs.mean(axis=(1, 2)))
    theirs = (contributions.gives.sum(axis=(1, 2)) / contributions.acts.sum(axis=(1, 2)),
              contributions.person_payoffs.mean(axis=(1, 2)))
    for a, b in zip(ours, theirs):
        error = np.sqrt(a.var(ddof=1) / reps + b.var(ddof=1) / reps)
        assert abs(a.mean() - b.mean()) < 4 * error, (a.mean(), b.mean(), error)
    # and the draws are other numbers: the plays differ
    assert not np.array_equal(evolution.person_payoffs, contributions.person_payoffs)


def test_the_payoff_table_is_the_rule_round_by_round(monkeypatch):
    """Above the table budget the payoffs are evaluated each round with the same rule: same bytes."""
    game = GAMES["stakes and power"]
    population, players = mixed_population(lambda k: 0)
    kwargs = dict(rate=0.2, mutation=0.05, repetitions=2, memory=3, noise=0.05, record=True)
    table = evolve_network(population, game, players, 40, 5, **kwargs)
    monkeypatch.setattr(dynamics, "PAYOFF_TABLE_ENTRIES", 0)
    direct = evolve_network(population, game, players, 40, 5, **kwargs)
    assert table.changes.any()
    for name in ("person_payoffs", "person_gives", "counts", "payoff", "final"):
        assert np.array_equal(getattr(table, name), getattr(direct, name)), name


# --- neutral drift -------------------------------------------------------------------------

@pytest.mark.parametrize("rule", ["pairwise", "death_birth", "birth_death"])
def test_neutral_drift_keeps_the_mean_share(rule):
    """intensity = 0, no mutation: on a regular graph each rule is a voter-like process whose
    share of a strategy is a martingale (an update copies a uniformly chosen neighbour, or a
    uniformly chosen parent's offspring lands on a uniformly chosen neighbour; every site is as
    likely to be updated), so its mean over repetitions stays at the start within sampling error,
    while single runs drift (some fix)."""
    n, reps = 24, 250
    population = one_each([Cooperator()] * n, [])  # replaced below with the regular graph's ties
    names = [p.name for p in population.people]
    population = Population(population.organisations, population.people, structures.regular(names, 4, seed=2))
    start = np.zeros(n, dtype=int)
    start[np.random.default_rng(0).permutation(n)[:6]] = 1   # a quarter Defectors
    game = LearningGame(learning_benefit=3.0, synergy=0.0, race_premium=0.0)
    evolution = evolve_network(population, game, [Cooperator(), Defector()], 120, 21, rule=rule, intensity=0.0,
                               rate=0.1, repetitions=reps, start=start)
    share = evolution.shares[:, -1, 1]
    error = share.std(ddof=1) / np.sqrt(reps)
    assert abs(share.mean() - 0.25) < 4 * error, (share.mean(), error)
    assert np.any(share == 0.0) and np.any(share > 0.5)   # it did drift
    assert evolution.changes.sum() > reps * 10


# --- the donation-game limit: Ohtsuki et al. (2006) ---------------------------------------------

def donation(b, c=1.0):
    """The donation game inside the learning game: R = P + b - c, S = P - c, T = P + b, P."""
    return LearningGame(status_quo=c, learning_benefit=b, leak=c, synergy=0.0, race_premium=0.0)


def test_the_donation_game_limit():
    R, S, T, P = donation(6.0).rstp()
    assert (R, S, T, P) == (6.0, 0.0, 7.0, 1.0) and T - R == P - S == 1.0


def cooperation_after(population, game, rule, reps=60, rounds=300, seed=3):
    """Mean share of Cooperators at the end, from half Cooperators placed at random, and its standard error."""
    n = population.n_people
    start = np.zeros(n, dtype=int)
    start[np.random.default_rng(1).permutation(n)[: n // 2]] = 1
    evolution = evolve_network(population, game, [Cooperator(), Defector()], rounds, seed, rule=rule,
                               intensity=1.0, rate=0.05, repetitions=reps, start=start)
    share = evolution.shares[:, -1, 0]
    return share.mean(), share.std(ddof=1) / np.sqrt(reps)


def cycle(n):
    population = one_each([Cooperator()] * n, [])
    names = [p.name for p in population.people]
    ties = structures.small_world(names, 2, 0.0, seed=1)   # no rewiring: the ring, k = 2
    return Population(population.organisations, population.people, ties)


def test_death_birth_on_a_cycle_follows_b_over_c_against_k():
    """k = 2, N = 30 (finite-N threshold (N - 2)/(N/k - 2) = 2.15): cooperators spread at
    b/c = 6 (well above) and decline at b/c = 1.2 (well below)."""
    population = cycle(30)
    assert set(np.bincount(population.tie_people.reshape(-1))) == {2}
    high, high_error = cooperation_after(population, donation(6.0), "death_birth")
    low, low_error = cooperation_after(population, donation(1.2), "death_birth")
    assert high > 0.5 + 4 * high_error, (high, high_error)
    assert low < 0.5 - 4 * low_error, (low, low_error)


def test_without_the_structure_or_with_birth_death_cooperators_decline():
    """The same b/c = 6 that lets cooperators spread on the cycle under death-birth: on a complete
    graph (well mixed) or under birth-death updating (Ohtsuki et al. 2006: never favoured) they decline."""
    n = 30
    complete = one_each([Cooperator()] * n, list(itertools.combinations(range(n), 2)))
    for population, rule in ((complete, "death_birth"), (cycle(n), "birth_death")):
        share, error = cooperation_after(population, donation(6.0), rule)
        assert share < 0.5 - 4 * error, (rule, share, error)


# --- the imitation's own rules -----------------------------------------------------------------

def test_fitness_is_the_mean_over_ties_not_the_sum():
    """A Defector tied only to a Cooperator who has three other Cooperator ties: per tie the Defector
    earns T = 5 and the Cooperator (0 + 3 + 3 + 3)/4 = 2.25 (a sum would be 9): with strong
    selection the Defector never copies the Cooperator (Allen et al. 2017's edge-weighted payoff)."""
    players = [Defector(), Cooperator(), Cooperator(), Cooperator(), Cooperator()]
    population = one_each(players, [(0, 1), (1, 2), (1, 3), (1, 4)])
    for seed in range(20):
        evolution = evolve_network(population, LearningGame(), [Cooperator(), Defector()], 1, seed,
                                   intensity=50.0, rate=1.0)
        assert evolution.final[0, 0] == 1


def test_a_changed_strategy_restarts_its_relations():
    """A (Grudger, recognised for sharing) -- B (Defector) -- C (Cooperator, recognised). Round 1:
    B takes from both, so A holds a grudge; A and C earn 0 + 10 per tie, B 5: B copies A or C and
    nobody else changes. Round 2: with restart='relation' the tie A-B is a new match and A gives
    again; with restart='side' only B's automaton restarts and A keeps its grudge."""
    organisations = [Organisation(name, policy=Cooperator()) for name in "ABC"]
    people = [Person("A", ("A",), recognition=10.0), Person("B", ("B",)), Person("C", ("C",), recognition=10.0)]
    population = Population(organisations, people, [("A", "B"), ("B", "C")])
    strategies = [Grudger(), Defector(), Cooperator()]
    for restart, a_gives in (("relation", 1), ("side", 0)):
        evolution = evolve_network(population, LearningGame(), strategies, 2, 4, intensity=50.0, rate=1.0,
                                   start=[0, 1, 2], restart=restart, record=True)
        assert evolution.changes[0].tolist() == [1, 0]
        assert evolution.final[0, 0] == 0 and evolution.final[0, 1] in (0, 2) and evolution.final[0, 2] == 2
        assert evolution.person_gives[0, :, 0].tolist() == [1, 0, 1]
        assert evolution.person_gives[0, 0, 1] == a_gives
        assert evolution.person_gives[0, 1, 1] == 2    # B's new strategy starts by giving, either way


def test_a_changed_strategy_reopens_relations_a_finished_race_closed():
    """One level of stakes learned at once: every tie of two givers closes after round 1. Under
    restart='relation' a person who changes strategy opens their ties again; under 'side' closed
    ties stay closed."""
    game = LearningGame(knowledge=Knowledge(levels=1, pace=1.0))
    population = one_each([Cooperator()] * 6, list(itertools.combinations(range(6), 2)))
    strategies = [Cooperator(), TitForTat()]
    acts = {}
    for restart in ("relation", "side"):
        evolution = evolve_network(population, game, strategies, 30, 2, rate=0.3, mutation=1.0, restart=restart)
        assert evolution.acts[0, 0] == 30 and evolution.changes.sum() > 5
        acts[restart] = evolution.acts[0, 1:]
    assert not acts["side"].any()
    assert acts["relation"].sum() > 0


def test_the_memory_averages_the_rounds_since_the_last_change():
    """_Memory against a list of each person's payoffs since their last change, randomly cleared."""
    rng = np.random.default_rng(8)
    for memory in (1, 2, 5):
        remembered, since = _Memory(memory, 7), [[] for _ in range(7)]
        for t in range(40):
            payoff = rng.normal(size=7)
            mean = remembered.add(payoff, t)
            for i in range(7):
                since[i].append(payoff[i])
                assert mean[i] == pytest.approx(np.mean(since[i][-memory:]), rel=1e-12, abs=1e-12)
            cleared = np.flatnonzero(rng.random(7) < 0.2)
            remembered.clear(cleared)
            for i in cleared:
                since[i] = []


def test_mutation_alone_draws_strategies_uniformly():
    """intensity = 0 and mutation = 1 with every person updating each round: each person's
    strategy each round is uniform over the roster, whatever it was."""
    players = [Cooperator(), Defector(), TitForTat(), Grudger()]
    population = one_each([Cooperator()] * 40, [(k, k + 1) for k in range(39)])
    evolution = evolve_network(population, LearningGame(), players, 50, 6, intensity=0.0, mutation=1.0, rate=1.0)
    counts = evolution.counts[0, 1:].sum(axis=0)   # 2,000 draws
    expected = 40 * 50 / 4
    assert np.all(np.abs(counts - expected) < 4 * np.sqrt(expected * 0.75)), counts


# --- bookkeeping --------------------------------------------------------------------------------

def test_shares_per_organisation_and_group_add_up():
    """With a person in two organisations and overlapping groups: each organisation's and group's
    shares sum to one at every time; organisations' membership-weighted counts add up to the
    network's; gives and acts split over membership add up to the network's."""
    players = [TitForTat(), Defector(), Cooperator(), RandomPlayer()]
    organisations = [Organisation(f"O{k}", policy=players[k]) for k in range(4)]
    people = [Person(f"p{i:02d}", (f"O{i % 4}",)) for i in range(15)] + [Person("shared", ("O0", "O3"))]
    names = [p.name for p in people]
    groups = [("g1", names[:6]), ("g2", names[4:12]), ("g3", [names[-1], names[0]])]
    population = Population(organisations, people, structures.small_world(names, 4, 0.2, seed=3), groups)
    evolution = evolve_network(population, LearningGame(), players, 60, 3, intensity=2.0, mutation=0.05,
                               rate=0.2, repetitions=3)
    assert evolution.changes.sum() > 0
    assert np.allclose(evolution.organisation_shares.sum(axis=-1), 1.0)
    assert np.allclose(evolution.group_shares.sum(axis=-1), 1.0)
    assert np.allclose(evolution.shares.sum(axis=-1), 1.0)
    assert np.allclose(evolution.organisation_counts.sum(axis=2), evolution.counts)
    assert np.allclose(evolution.organisation_gives.sum(axis=2), evolution.gives)
    assert np.allclose(evolution.organisation_acts.sum(axis=2), evolution.acts)
    # the shared person counts half in each of O0 and O3
    size = population.membership.sum(axis=0)
    assert size.tolist() == [4.5, 4.0, 4.0, 3.5]
    # a group's counts are its members' strategies
    final = evolution.final
    for k, (_, members) in enumerate(groups):
        index = [population.person_index[m] for m in members]
        expected = np.stack([np.bincount(final[r, index], minlength=4) for r in range(3)])
        assert np.array_equal(evolution.group_counts[:, -1, k], expected)
    tables = (evolution.share_table(every=20), evolution.giving_table(every=20), evolution.round_table(every=20),
              evolution.person_table())
    assert {row["round"] for row in tables[0]} == {0, 20, 40, 60}
    assert {row["level"] for row in tables[1]} == {"network", "organisation", "group"}
    network = [row for row in tables[1] if row["level"] == "network" and row["round"] == 60][0]
    assert network["giving_share"] == pytest.approx(float(np.mean(evolution.giving_share[:, -1])))
    assert len(tables[3]) == 16 and tables[3][-1]["organisations"] == "O0+O3"
    summary = evolution.summary()
    assert sum(summary["final_shares"].values()) == pytest.approx(1.0)


def test_seeds_give_the_same_bytes():
    population, players = mixed_population(lambda k: 0)
    game = GAMES["stakes, ties, overlap"]
    for rule in ("pairwise", "death_birth", "birth_death"):
        kwargs = dict(rule=rule, intensity=0.5, mutation=0.02, rate=0.2, repetitions=3, memory=2, noise=0.02)
        first, again = (evolve_network(population, game, players, 50, 17, **kwargs) for _ in range(2))
        other = evolve_network(population, game, players, 50, 18, **kwargs)
        for name in ("counts", "organisation_counts", "gives", "acts", "payoff", "changes", "final"):
            assert getattr(first, name).tobytes() == getattr(again, name).tobytes(), (rule, name)
        assert not np.array_equal(first.counts, other.counts)
        # draws are addressed by repetition: the first repetition does not depend on how many there are
        alone = evolve_network(population, game, players, 50, 17, **{**kwargs, "repetitions": 1})
        assert np.array_equal(alone.counts[0], first.counts[0]) and np.array_equal(alone.payoff[0], first.payoff[0])


def test_imitation_draws_do_not_depend_on_whether_the_play_drew():
    """Cooperators and Defectors need no play draws; a roster that also holds Random (played by
    nobody, no mutation) makes the play draw. The play and the imitation are the same either way."""
    population = cycle(20)
    start = np.arange(20) % 2
    game = donation(4.0)
    kwargs = dict(rule="pairwise", intensity=1.0, rate=0.3, repetitions=2, start=start)
    lean = evolve_network(population, game, [Cooperator(), Defector()], 40, 5, **kwargs)
    drawn = evolve_network(population, game, [Cooperator(), Defector(), RandomPlayer()], 40, 5, **kwargs)
    assert lean.changes.sum() > 0
    assert np.array_equal(lean.counts, drawn.counts[..., :2]) and not drawn.counts[..., 2].any()
    assert np.array_equal(lean.payoff, drawn.payoff)


def test_default_roster_and_start_come_from_the_population():
    population, players = mixed_population(lambda k: 0)
    evolution = evolve_network(population, rounds=5, seed=1, rate=0.0)
    assert isinstance(evolution, NetworkEvolution)
    assert [s.label for s in evolution.strategies] == [p.label for p in players]
    assert evolution.start.tolist() == [i % len(players) for i in range(population.n_people)]


# --- refusals ---------------------------------------------------------------------------------

class Imperative(Player):
    name = "Imperative"

    def strategy(self, opponent):
        return 1.0


@pytest.mark.parametrize("kwargs, key", [
    ({"rule": "moran"}, "rule"),
    ({"fitness": "square"}, "fitness"),
    ({"keying": "pair"}, "keying"),
    ({"restart": "never"}, "restart"),
    ({"intensity": -1.0}, "intensity"),
    ({"mutation": 1.5}, "mutation"),
    ({"rate": -0.1}, "rate"),
    ({"memory": 0}, "memory"),
    ({"rounds": 0}, "rounds"),
    ({"repetitions": 0}, "repetitions"),
    ({"noise": 2.0}, "noise"),
    ({"record": 1}, "record"),
    ({"start": [0, 1]}, "start"),
    ({"start": [0] * 20 + [9]}, "start"),
    ({"strategies": [Cooperator(), Imperative()]}, "strategies[1]"),
    ({"strategies": [Cooperator(), Cooperator()]}, "strategies[1]"),
    ({"strategies": [Cooperator(), Defector()], "start": None}, "person"),
    ({"rule": "death_birth", "intensity": 2.0}, "intensity"),
])
def test_bad_input_is_refused_in_one_line_naming_the_key(kwargs, key):
    population, players = mixed_population(lambda k: 0)
    arguments = {"strategies": players, "rounds": 5, "seed": 1, "start": np.zeros(21, dtype=int)}
    arguments.update(kwargs)
    if arguments.get("start") is None:
        arguments.pop("start")
    game = LearningGame()
    if kwargs.get("rule") == "death_birth":   # S = P - c = -2: the fitness 1 + 2 S would be negative
        game = LearningGame(status_quo=-1.0, learning_benefit=1.0, leak=1.0, synergy=0.0, race_premium=0.0)
    with pytest.raises(ParameterError) as error:
        evolve_network(population, game, **arguments)
    message = str(error.value)
    assert "\n" not in message and key in message, message


def test_resource_limits_refuse_before_allocating():
    """60 people on a ring (60 ties), two strategies, 500 rounds: the tie keying's draws
    (30,000 tie-rounds) and the record (30,000 person-rounds) are refused at a limit of 20,000,
    which the shares over time (501 times x 3 units x 2 strategies) pass; all tie-rounds at 20,000."""
    people = [Person(f"p{i:02d}", ("O",)) for i in range(60)]
    ties = [(people[i].name, people[(i + 1) % 60].name) for i in range(60)]
    population = Population([Organisation("O", policy=Cooperator())], people, ties)
    strategies = [Cooperator(), Defector()]
    with raised(match_rounds=20_000):
        evolve_network(population, None, strategies, 500, 1, rate=0.0)
        with pytest.raises(ResourceLimitError, match="keying='tie'"):
            evolve_network(population, None, strategies, 500, 1, rate=0.0, keying="tie")
        with pytest.raises(ResourceLimitError, match="record"):
            evolve_network(population, None, strategies, 500, 1, rate=0.0, record=True)
    with raised(rounds=20_000):
        with pytest.raises(ResourceLimitError, match="ties"):
            evolve_network(population, None, strategies, 500, 1)
