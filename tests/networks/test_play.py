"""The pairwise game along ties (networks/play.py): reductions to the bit, each payoff term's
effect with its ablation, and seeds.

Issue 16 is judged by the reduction: one person per organisation, with full
identification and absorption and no recognition or identity weight, is the
second edition's pairwise game. Every tie is checked against the standalone
``Match(..., key=tie_key(u, v))`` with ``np.array_equal``. The numbers of the
ablations are derived by hand from the default game (``P, b, c, s, e = 1, 2,
1, 1, 2``: Axelrod's 3, 0, 5, 1) and the rule of ``games/levels.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from leaving import Wanderer, WalksOut
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Knowledge, LearningGame, Power, Ties, stage_payoff
from learning_dilemma.limits import ResourceLimitError, raised
from learning_dilemma.match import Match
from learning_dilemma.moves import GIVE
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.play import play_network, play_ties, tie_chunks, tie_payoffs
from learning_dilemma.players.player import Player
from learning_dilemma.seeding import tie_key
from learning_dilemma.strategies import (
    GTFT, Calculative, Cooperator, Defector, Opportunist, RandomPlayer, TitForTat, TrustBuilder,
)

GAMES = {
    "first edition": LearningGame(),
    "stakes": LearningGame(knowledge=Knowledge(levels=3, pace=0.5), power=Power(0.8)),
    "ties": LearningGame(ties=Ties(levels=4)),
    "stakes, ties, overlap": LearningGame(overlap=0.6, knowledge=Knowledge(levels=2), ties=Ties(levels=3)),
}


class MyTitForTat(Player):
    """An imperative Tit For Tat (the round-by-round engine)."""

    name = "My Tit For Tat"

    def strategy(self, opponent):
        return opponent.history[-1] if opponent.history else GIVE


class Coin(Player):
    """An imperative player that answers with a probability (drawn from its own seeded stream)."""

    name = "Coin"

    def strategy(self, opponent):
        return 0.6


def cast(receptivities=(1.0,) * 9):
    """Strategies of several kinds: leaving, tacit, stochastic, stakes-aware."""
    r = iter(receptivities)
    return [
        TitForTat(tacitness=0.3, receptivity=next(r)), Defector(receptivity=next(r)),
        Wanderer(p=0.8, q=0.05, receptivity=next(r)), RandomPlayer(p=0.6, tacitness=0.5, receptivity=next(r)),
        WalksOut(receptivity=next(r)), GTFT(receptivity=next(r)), Calculative(receptivity=next(r)),
        Opportunist(receptivity=next(r)), TrustBuilder(tacitness=0.2, receptivity=next(r)),
    ]


def one_each(players, ties, **person):
    """One person per organisation: person ``p<k>`` of organisation ``O<k>`` plays ``players[k]``."""
    organisations = [Organisation(f"O{k}") for k in range(len(players))]
    people = [Person(f"p{k}", (f"O{k}",), strategy=s, **person) for k, s in enumerate(players)]
    return Population(organisations, people, [(f"p{u}", f"p{v}", *rest) for u, v, *rest in ties])


def match_of(population, game, k, rounds, seed, repetitions, noise):
    u, v = (int(i) for i in population.tie_people[k])
    players = population.players()
    return Match(players[u], players[v], game, turns=rounds, seed=seed, key=tie_key(u, v),
                 prior_rounds=int(population.tie_prior[k]), repetitions=repetitions, noise=noise).play_batch()


def per_tie(population, game, rounds, seed, repetitions, noise, budget=None):
    """Every tie's raw play and two-level payoffs, by tie index."""
    out = {}
    for chunk in tie_chunks(population, game, rounds, seed, repetitions, noise, budget):
        person, organisation = tie_payoffs(population, game, chunk)
        for i, k in enumerate(chunk.ties):
            rows = slice(i * repetitions, (i + 1) * repetitions)
            out[int(k)] = (chunk.raw, rows, person[:, rows], organisation[:, rows])
    return out


# --- the reduction -----------------------------------------------------------------

@pytest.mark.parametrize("noise", [0.0, 0.1])
@pytest.mark.parametrize("name", list(GAMES))
@pytest.mark.parametrize("budget", [None, 1])
def test_every_tie_plays_bit_for_bit_as_its_match(name, noise, budget):
    game = GAMES[name]
    players = cast()
    ties = [(u, v, (u + v) % 4) for u, v in itertools.combinations(range(len(players)), 2)]
    population = one_each(players, ties)
    rounds, seed, reps = 30, 7, 3
    plays = per_tie(population, game, rounds, seed, reps, noise, budget)
    assert sorted(plays) == list(range(population.n_ties))
    for k in range(population.n_ties):
        batch = match_of(population, game, k, rounds, seed, reps, noise)
        raw, rows, person, organisation = plays[k]
        for field in ("moves", "payoffs", "transfers", "ties", "ended_by"):
            assert np.array_equal(getattr(raw, field)[..., rows, :] if getattr(raw, field).ndim == 3
                                  else getattr(raw, field)[rows], getattr(batch.raw, field)), (k, field)
        assert np.array_equal(raw.stakes[:, rows], batch.raw.stakes)
        assert np.array_equal(raw.power[rows], batch.raw.power)
        assert np.array_equal(person, batch.raw.payoffs), k
        assert np.array_equal(organisation, batch.raw.payoffs), k


@pytest.mark.parametrize("noise", [0.0, 0.2])
@pytest.mark.parametrize("name", ["first edition", "stakes, ties, overlap"])
def test_one_person_per_organisation_earns_the_match_payoffs(name, noise):
    """Disjoint ties: each person's and organisation's payoffs are their match's, to the bit."""
    game = GAMES[name]
    players = cast()[:8]
    population = one_each(players, [(0, 1), (2, 3, 2), (4, 5), (6, 7, 5)])
    rounds, seed, reps = 25, 3, 4
    results = play_network(population, game, rounds, seed, reps, noise)
    c = results.contributions
    for k, (u, v) in enumerate(population.tie_people):
        payoffs = match_of(population, game, k, rounds, seed, reps, noise).raw.payoffs
        for side, person in enumerate((u, v)):
            assert np.array_equal(c.person_payoffs[:, person], payoffs[side])
            assert np.array_equal(c.organisation_payoffs[:, person], payoffs[side])
            assert np.array_equal(results.organisation_payoffs[:, person], payoffs[side])
    assert np.array_equal(c.absorbed, c.learning)


def test_imperative_players_go_through_match_and_agree_with_the_automaton():
    """A round-by-round player plays its ties as its Match; an imperative Tit For Tat
    gives what the automaton gives (the two engines draw the same numbers)."""
    game = LearningGame(knowledge=Knowledge(levels=2), ties=Ties(levels=3))
    partners = [RandomPlayer(p=0.6, tacitness=0.3), Wanderer(p=0.9, q=0.05), Coin()]
    ties = [(0, 1, 2), (0, 2), (0, 3)]
    imperative = one_each([MyTitForTat(), *partners], ties)
    automaton = one_each([TitForTat(), *partners], ties)
    rounds, seed, reps, noise = 40, 11, 3, 0.05
    plays = per_tie(imperative, game, rounds, seed, reps, noise)
    for k in range(imperative.n_ties):
        batch = match_of(imperative, game, k, rounds, seed, reps, noise)
        raw, rows, person, organisation = plays[k]
        assert np.array_equal(raw.moves[:, rows], batch.raw.moves)
        assert np.array_equal(person, batch.raw.payoffs)
        assert np.array_equal(organisation, batch.raw.payoffs)
    mine = play_network(imperative, game, rounds, seed, reps, noise)
    theirs = play_network(automaton, game, rounds, seed, reps, noise)
    for k in (0, 1):  # the ties whose partners are automata
        assert np.array_equal(mine.ties.gives[:, k], theirs.ties.gives[:, k])
    assert np.array_equal(mine.contributions.person_payoffs[:, 1:3], theirs.contributions.person_payoffs[:, 1:3])


def test_a_shared_imperative_policy_is_fresh_in_every_tie():
    """An organisation's imperative policy serves three people: each tie starts it afresh."""
    policy = MyTitForTat()
    organisations = [Organisation("A", policy), Organisation("B")]
    people = [Person(f"a{k}", ("A",)) for k in range(3)] + [Person("b", ("B",), strategy=RandomPlayer(p=0.5))]
    population = Population(organisations, people, [("a0", "b"), ("a1", "b"), ("a2", "b")])
    plays = per_tie(population, LearningGame(), 20, 5, 2, 0.0)
    for k in range(3):
        batch = match_of(population, LearningGame(), k, 20, 5, 2, 0.0)
        raw, rows, person, _ = plays[k]
        assert np.array_equal(raw.moves[:, rows], batch.raw.moves)
        assert np.array_equal(person, batch.raw.payoffs)
    assert policy.history == []


# --- each payoff term, with its ablation -------------------------------------------

def pair(first, second, first_org=None, second_org=None, organisations=None, **people):
    """Two people, ``a`` (first) and ``b`` (second), tied; each person's keywords as dicts."""
    organisations = organisations or [Organisation("A", absorption=people.pop("alpha_a", 1.0)),
                                      Organisation("B", absorption=people.pop("alpha_b", 1.0))]
    a = Person("a", first_org or ("A",), strategy=first, **people.get("a", {}))
    b = Person("b", second_org or ("B",), strategy=second, **people.get("b", {}))
    return Population(organisations, [a, b], [("a", "b")])


def run(population, rounds=4, game=None, **kwargs):
    return play_network(population, game or LearningGame(), rounds, seed=1, **kwargs)


def per_round(results, array, index):
    """The value of ``array[:, index, :]`` in every round, checked constant, as a float."""
    values = np.asarray(array)[:, index, :]
    assert np.all(values == values.flat[0]), values
    return float(values.flat[0])


def test_absorption_keeps_learning_with_the_person():
    """alpha < 1: the organisations earn alpha of the value learned (Pi = P + alpha A, A = R - P = 2
    between two givers) and organisation_learning is alpha r x; the people still learn and earn R
    (seed 001 s.6/s.7: KITe's learning "stayed individual"). At alpha = 1 absorbed == learning."""
    low = run(pair(Cooperator(), Cooperator(), alpha_a=0.3, alpha_b=0.3))
    full = run(pair(Cooperator(), Cooperator()))
    assert per_round(low, low.organisation_payoffs, 0) == pytest.approx(1 + 0.3 * 2)
    assert per_round(full, full.organisation_payoffs, 0) == 3.0
    assert per_round(low, low.organisation_learning, 0) == pytest.approx(0.3)
    assert per_round(full, full.organisation_learning, 0) == 1.0
    for results in (low, full):
        assert per_round(results, results.contributions.person_payoffs, 0) == 3.0
        assert per_round(results, results.contributions.learning, 0) == 1.0
    assert np.array_equal(full.contributions.absorbed, full.contributions.learning)
    assert not np.array_equal(low.contributions.absorbed, low.contributions.learning)


def test_identification_is_the_share_of_the_leak_the_person_feels():
    """A giver facing a taker: its person earns S = 1 - lambda (games.levels.person_rstp):
    1 at lambda 0, the stage payoff 0 at lambda 1; its organisation earns S = 0 either way."""
    payoffs = {}
    for lam in (0.0, 0.5, 1.0):
        results = run(pair(Cooperator(), Defector(), a={"identification": lam}))
        payoffs[lam] = per_round(results, results.contributions.person_payoffs, 0)
        assert per_round(results, results.organisation_payoffs, 0) == 0.0
        assert per_round(results, results.contributions.person_payoffs, 1) == 5.0
    assert payoffs == {0.0: 1.0, 0.5: 0.5, 1.0: 0.0}
    assert payoffs[1.0] == float(stage_payoff(LearningGame(), 1, 0, 1, 0, 1.0, 1.0, 0))


def test_recognition_pays_a_giver_per_give_and_takers_nothing():
    """rho per act of giving (von Hippel 1987): the giver earns S + rho, the taker T whatever its rho;
    the organisations' payoffs do not move; rho = 0 gives the stage payoffs."""
    on = run(pair(Cooperator(), Defector(), a={"recognition": 0.5}, b={"recognition": 0.5}))
    off = run(pair(Cooperator(), Defector()))
    assert per_round(on, on.contributions.person_payoffs, 0) == 0.5
    assert per_round(off, off.contributions.person_payoffs, 0) == 0.0
    assert per_round(on, on.contributions.person_payoffs, 1) == 5.0
    assert np.array_equal(on.organisation_payoffs, off.organisation_payoffs)


@pytest.mark.parametrize("identity, giver_loss, taker_loss", [("profession", 0.0, 0.4), ("organisation", 0.4, 0.0)])
def test_the_salient_identity_penalises_acting_against_it(identity, giver_loss, taker_loss):
    """kappa |g - x*| (Akerlof & Kranton 2000): the professional identity (x* = 1) costs a take,
    the organisation's (x* = 0) a give; kappa = 0 costs nothing."""
    for kappa in (0.4, 0.0):
        keywords = {"identity": identity, "identity_weight": kappa}
        results = run(pair(Cooperator(), Defector(), a=keywords, b=keywords))
        scale = kappa / 0.4
        assert per_round(results, results.contributions.person_payoffs, 0) == pytest.approx(0.0 - scale * giver_loss)
        assert per_round(results, results.contributions.person_payoffs, 1) == pytest.approx(5.0 - scale * taker_loss)
        assert per_round(results, results.organisation_payoffs, 1) == 5.0


def test_a_closed_tie_pays_the_status_quo_and_has_no_act():
    """Walks Out gives in round 1, sees a take and leaves: from round 2 the tie is closed and both
    earn P = 1 with no recognition and no identity loss (no act happened)."""
    keywords = {"recognition": 0.5, "identity": "organisation", "identity_weight": 0.4}
    results = run(pair(WalksOut(), Defector(), a=keywords, b=keywords), rounds=5)
    c = results.contributions
    assert np.allclose(c.person_payoffs[0, 0], [0.0 + 0.5 - 0.4, 1, 1, 1, 1])
    assert np.array_equal(c.person_payoffs[0, 1], [5.0, 1, 1, 1, 1])
    assert np.array_equal(c.acts[0], [[1, 0, 0, 0, 0], [1, 0, 0, 0, 0]])
    assert np.array_equal(c.gives[0], [[1, 0, 0, 0, 0], [0, 0, 0, 0, 0]])
    assert np.array_equal(results.organisation_payoffs[0], [[0.0, 1, 1, 1, 1], [5.0, 1, 1, 1, 1]])
    assert results.ties.open_rounds[0, 0] == 1 and results.ties.ended_by[0, 0] == 1  # first left


def test_colleagues_are_not_rivals():
    """Two people of one organisation: gamma = 0, no positional part or race premium. The taker earns
    P + (b - c) = 2, not T = 5; the giver P = 1, not S = 0 (stage payoff at overlap 0). People of
    rival organisations earn T and S."""
    colleagues = run(pair(Cooperator(), Defector(), second_org=("A",)))
    rivals = run(pair(Cooperator(), Defector()))
    assert per_round(colleagues, colleagues.contributions.person_payoffs, 1) == 2.0
    assert per_round(colleagues, colleagues.contributions.person_payoffs, 0) == 1.0
    assert per_round(rivals, rivals.contributions.person_payoffs, 1) == 5.0
    assert per_round(rivals, rivals.contributions.person_payoffs, 0) == 0.0
    # the organisation both work for earns both people's relation: 1 + 2 a round
    assert per_round(colleagues, colleagues.organisation_payoffs, 0) == 3.0
    assert per_round(colleagues, colleagues.organisation_payoffs, 1) == 0.0  # B has nobody
    # a person of A and B tied to a colleague of A: overlap (0 + 1) / 2, T = P + b - c (1 - gamma) + gamma e
    half = run(pair(Cooperator(), Defector(), first_org=("A",), second_org=("A", "B")))
    assert per_round(half, half.contributions.person_payoffs, 1) == pytest.approx(1 + 2 - 0.5 + 0.5 * 2)


def test_a_person_in_two_organisations_pays_each_half():
    """Overlapping membership (Delta): the relations of a person of A and B pay A and B 1/2 each."""
    organisations = [Organisation("A"), Organisation("B"), Organisation("C")]
    results = run(pair(Defector(), Cooperator(), first_org=("A", "B"), second_org=("C",),
                       organisations=organisations))
    person = results.contributions.organisation_payoffs[:, 0]
    assert np.all(person == 5.0)  # rivals on both sides: overlap 1, T
    assert np.array_equal(results.organisation_payoffs[:, 0], 0.5 * person)
    assert np.array_equal(results.organisation_payoffs[:, 1], 0.5 * person)
    assert np.all(results.organisation_payoffs[:, 2] == 0.0)
    # one organisation only: all of it
    single = run(pair(Defector(), Cooperator(), first_org=("A",), second_org=("C",), organisations=organisations))
    assert np.all(single.organisation_payoffs[:, 0] == 5.0) and np.all(single.organisation_payoffs[:, 1] == 0.0)


def test_contributions_sum_over_a_persons_ties():
    """A taking hub (receptivity 1/2) tied to three givers (receptivity 0.8) earns three relations'
    payoffs a round and acts three times. Each relation pays the hub P + r_h b + e r_h = 3 and
    teaches it r_h = 1/2; each giver earns P - c r_h = 1/2 and learns nothing."""
    organisations = [Organisation(n) for n in "HABC"]
    people = ([Person("h", ("H",), Defector(receptivity=0.5))]
              + [Person(n.lower(), (n,), Cooperator(receptivity=0.8)) for n in "ABC"])
    population = Population(organisations, people, [("h", "a"), ("b", "h"), ("h", "c")])
    results = run(population)
    c = results.contributions
    assert np.all(c.person_payoffs[:, 0] == 9.0)
    assert np.all(c.acts[:, 0] == 3) and np.all(c.gives[:, 0] == 0)
    assert np.all(c.learning[:, 0] == 1.5)
    assert np.all(c.person_payoffs[:, 1:] == 0.5) and np.all(c.gives[:, 1:] == 1) and np.all(c.acts[:, 1:] == 1)
    assert not c.learning[:, 1:].any()


# --- seeds -------------------------------------------------------------------------

def mixed(order=1):
    """A network of automata and imperative players with uneven receptivities and person
    parameters (so that sums in another order would differ in the last bits), ties with prior
    rounds, listed in some order."""
    players = [*cast([0.3 + 0.07 * k for k in range(9)]), MyTitForTat(receptivity=0.45), Coin(receptivity=0.7)]
    ties = [(u, v, (3 * u + v) % 5) for u, v in itertools.combinations(range(len(players)), 2) if (u * v) % 3 != 1]
    ties = [(v, u, k) if (u + v) % 2 else (u, v, k) for u, v, k in ties[::order]]
    organisations = [Organisation(f"O{k}", absorption=0.3 + 0.05 * k) for k in range(4)]
    people = [Person(f"p{k}", (f"O{k % 4}",) if k % 3 else (f"O{k % 4}", f"O{(k + 1) % 4}"), strategy=s,
                     identification=0.9 - 0.07 * k, recognition=0.13 * (k % 3),
                     identity=("organisation", "profession")[k % 2], identity_weight=0.11 * (k % 4))
              for k, s in enumerate(players)]
    return Population(organisations, people, [(f"p{u}", f"p{v}", k) for u, v, k in ties],
                      overlaps={("O0", "O1"): 0.35, ("O2", "O3"): 0.8})


GAME = LearningGame(overlap=0.6, knowledge=Knowledge(levels=2, pace=0.7), ties=Ties(levels=3), power=Power(0.5))


def arrays(contributions, summary):
    out = {name: getattr(contributions, name) for name in contributions.__dataclass_fields__}
    out.update({f"tie {name}": getattr(summary, name) for name in summary.__dataclass_fields__})
    return out


def assert_same(first, second):
    assert first.keys() == second.keys()
    for name in first:
        assert first[name].dtype == second[name].dtype, name
        assert first[name].tobytes() == second[name].tobytes(), name


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not():
    first = arrays(*play_ties(mixed(), GAME, 30, 4, 3, 0.05))
    again = arrays(*play_ties(mixed(), GAME, 30, 4, 3, 0.05))
    other = arrays(*play_ties(mixed(), GAME, 30, 5, 3, 0.05))
    assert_same(first, again)
    assert not np.array_equal(first["person_payoffs"], other["person_payoffs"])


def test_results_do_not_depend_on_the_chunk_size():
    small = arrays(*play_ties(mixed(), GAME, 30, 4, 3, 0.05, budget=1))
    large = arrays(*play_ties(mixed(), GAME, 30, 4, 3, 0.05, budget=10**9))
    middle = arrays(*play_ties(mixed(), GAME, 30, 4, 3, 0.05, budget=3 * 30 * 11 * 8 * 4))  # four ties a chunk
    assert_same(small, large)
    assert_same(small, middle)


def test_results_do_not_depend_on_the_order_ties_were_listed():
    forward, backward = mixed(1), mixed(-1)
    assert np.array_equal(forward.tie_people, backward.tie_people)
    assert_same(arrays(*play_ties(forward, GAME, 20, 8, 2, 0.0)), arrays(*play_ties(backward, GAME, 20, 8, 2, 0.0)))


def test_a_network_without_a_seed_keeps_its_entropy():
    population = one_each([RandomPlayer(), RandomPlayer()], [(0, 1)])
    results = play_network(population, rounds=10)
    again = play_network(population, rounds=10, seed=results.seed)
    assert np.array_equal(results.contributions.person_payoffs, again.contributions.person_payoffs)


# --- input -------------------------------------------------------------------------

@pytest.mark.parametrize("key, kwargs", [
    ("rounds", {"rounds": 0}), ("rounds", {"rounds": 2.5}), ("rounds", {"rounds": True}),
    ("repetitions", {"repetitions": 0}), ("noise", {"noise": 1.5}), ("noise", {"noise": "x"}),
    ("game", {"game": "prisoners"}), ("budget", {"budget": 0}),
])
def test_bad_arguments_are_refused_in_one_line_naming_the_key(key, kwargs):
    population = one_each([Cooperator(), Defector()], [(0, 1)])
    arguments = {"game": LearningGame(), "rounds": 5, "seed": 1, **kwargs}
    with pytest.raises(ParameterError, match=key) as error:
        play_ties(population, **arguments)
    assert "\n" not in str(error.value)
    if key != "budget":
        with pytest.raises(ParameterError, match=key):
            play_network(population, **arguments)


def test_a_population_is_required():
    with pytest.raises(ParameterError, match="population must be a Population"):
        play_network([Cooperator(), Defector()])


def test_the_resource_guard_refuses_before_playing():
    population = one_each([Cooperator(), Defector(), TitForTat()], [(0, 1), (1, 2), (0, 2)])
    with raised(rounds=100):
        play_network(population, rounds=10, repetitions=3)  # 3 ties x 3 x 10 = 90 rounds
        with pytest.raises(ResourceLimitError, match="3 ties x repetitions=4 x rounds=10") as error:
            play_network(population, rounds=10, repetitions=4)
    assert "--limit rounds=120" in str(error.value)
    with raised(match_rounds=50):
        with pytest.raises(ResourceLimitError, match="held in memory"):
            play_network(population, rounds=10, repetitions=2)  # 2 x 3 people x 10 rounds


def test_a_network_without_relations_pays_nothing():
    population = one_each([Cooperator(), Defector()], [])
    results = play_network(population, rounds=3, seed=1)
    assert results.ties is None and results.groups is None
    assert results.contributions.shape == (1, 2, 3)
    assert not results.contributions.person_payoffs.any()
