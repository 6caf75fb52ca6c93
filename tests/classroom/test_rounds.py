"""The live round resolver (learning_dilemma.classroom.rounds): one rule in one place.

The contract: scripted "students" who choose exactly the moves library
strategies played in a ``Match`` (or in a group of the group engine) get
exactly that play back from the resolver, keyed the same way: moves,
transfers, stakes, ties, payoffs, how the alliance ended. The resolver has no
rules of its own; if it computed any step differently, or read a draw from
another column, these comparisons fail.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from leaving import WalksOut, Wanderer
from learning_dilemma.classroom.rounds import (
    CHOICES, CLASSROOM_STREAM, Practice, Relation, Rules, Treatment, match_length, match_units, parse_choice,
    unit_key,
)
from learning_dilemma.engine.vectorised import ENDINGS, FIRST_LEFT, SECOND_LEFT
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import GroupGame, Knowledge, LearningGame, Power, Ties
from learning_dilemma.match import Match
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.groups import group_keys, play_group_rounds
from learning_dilemma.networks.results import GROUP_ENDINGS
from learning_dilemma.players.automaton import MatchContext
from learning_dilemma.strategies import (
    GTFT, Avoidance, Cooperator, Defector, Grudger, RaceToLearn, RandomPlayer, TitForTat, WinStayLoseShift,
    make_strategy,
)

RICH = LearningGame(knowledge=Knowledge(3, 0.6), ties=Ties(3), power=Power(0.7), overlap=0.8)
# values that are not small whole numbers, so any regrouping of the payoffs' arithmetic shows
ODD = LearningGame(status_quo=0.37, learning_benefit=2.3, leak=0.9, synergy=1.3, race_premium=1.7,
                   knowledge=Knowledge(2, 0.8), ties=Ties(2), power=Power(0.4), overlap=0.6)
GAMES = {"plain": LearningGame(), "rich": RICH, "odd": ODD, "stakes only": LearningGame(knowledge=Knowledge(4, 0.3))}
FIRSTS = [TitForTat(receptivity=0.6, tacitness=0.5), RaceToLearn(receptivity=0.9), GTFT(receptivity=0.5, tacitness=0.2),
          Wanderer(q=0.05), Avoidance(), RandomPlayer(tacitness=0.3)]
SECONDS = [Defector(), WinStayLoseShift(tacitness=0.4), Grudger(receptivity=0.7), WalksOut(), Cooperator(tacitness=0.6)]


def replay_match(result, game, a, b, seed, key, length, table=None, substitute_slot=None):
    """Resolve a match's rounds with scripted students who choose what ``result`` records.

    In a round where the alliance closed by an exit, the leaver(s) chose EXIT
    (``result.ended_by`` says who) and the other whatever (GIVE here: it does not
    matter, as in the engines). With ``substitute_slot`` that slot is played by
    the substitute of ``table`` instead of replayed.
    """
    rules = Rules(game, 2, [a.receptivity, b.receptivity], [a.tacitness, b.tacitness], table=table)
    draws = rules.draws(seed, key, length)
    relation = rules.start()
    outcomes = []
    for t in range(length):
        if not relation.open:
            outcomes.append(rules.closed_outcome(relation))
            continue
        moves = result.moves[:, t]
        if moves[0] == 2:  # the round someone left
            choices = ["EXIT" if result.ended_by in (FIRST_LEFT, 3) else "GIVE",
                       "EXIT" if result.ended_by in (SECOND_LEFT, 3) else "GIVE"]
        else:
            choices = [CHOICES[m] for m in moves]
        if substitute_slot is not None:
            choices[substitute_slot] = rules.substitute_choice(relation, substitute_slot, draws[t])
        outcome, relation = rules.resolve(relation, choices, draws[t])
        outcomes.append(outcome)
    return outcomes, relation


def assert_same_play(outcomes, relation, result):
    moves = np.array([o["moves"] for o in outcomes]).T
    transfers = np.array([o["reached"] for o in outcomes]).T
    payoffs = np.array([o["payoffs"] for o in outcomes]).T
    stakes = np.array([outcomes[0]["stakes_before"]] + [o["stakes_after"] for o in outcomes]).T
    ties = np.array([outcomes[0]["ties_before"][0]] + [o["ties_after"][0] for o in outcomes])
    power = np.array([outcomes[0]["power_before"][0]] + [o["stakes_after"][1] - o["stakes_after"][0]
                                                         for o in outcomes])
    np.testing.assert_array_equal(moves, result.moves)
    np.testing.assert_array_equal(transfers, result.transfers)
    np.testing.assert_array_equal(stakes, result.stakes)
    np.testing.assert_array_equal(ties, result.ties)
    np.testing.assert_array_equal(power, result.power)
    # payoffs to the bit, not to rounding
    assert payoffs.tobytes() == np.ascontiguousarray(result.payoffs, dtype=float).tobytes()
    assert relation.ended_by == ENDINGS[result.ended_by]


@pytest.mark.parametrize("game_name", sorted(GAMES))
def test_scripted_students_replay_matches_exactly(game_name):
    """Many pairs, stakes, ties, tacitness, power and exits: the resolver gives Match's play."""
    game = GAMES[game_name]
    seen_endings = set()
    for k, (a, b) in enumerate(itertools.product(FIRSTS, SECONDS)):
        seed, key, length = 1000 + k, unit_key(3, k), 25
        result = Match(a, b, game, turns=length, seed=seed, key=key).play()
        outcomes, relation = replay_match(result, game, a, b, seed, key, length)
        assert_same_play(outcomes, relation, result)
        seen_endings.add(result.ended_by)
    if game.knowledge.active:
        # the comparisons covered the race ending and exits, not only open alliances
        assert len(seen_endings) >= 3, seen_endings


def test_the_classroom_key_is_a_match_key():
    """``unit_key`` is (201, match, unit), the key a Match takes (`key=`), apart from networks' 101-103."""
    assert unit_key(4, 7) == (CLASSROOM_STREAM, 4, 7) == (201, 4, 7)
    a, b, game = GTFT(tacitness=0.4), RandomPlayer(), RICH
    keyed = Match(a, b, game, turns=30, seed=5, key=unit_key(1, 0)).play()
    other = Match(a, b, game, turns=30, seed=5, key=unit_key(1, 1)).play()
    outcomes, relation = replay_match(keyed, game, a, b, 5, unit_key(1, 0), 30)
    assert_same_play(outcomes, relation, keyed)
    # another unit's draws are another play (so the key is what the equality rests on)
    with pytest.raises(AssertionError):
        outcomes, relation = replay_match(other, game, a, b, 5, unit_key(1, 0), 30)
        assert_same_play(outcomes, relation, other)


@pytest.mark.parametrize("substitute", [GTFT(), RaceToLearn(), Avoidance(), RandomPlayer(), TitForTat()])
@pytest.mark.parametrize("slot", [0, 1])
def test_substitute_plays_as_the_strategy_in_a_match(substitute, slot):
    """A substitute seat chooses with its own give draw and its table's state from the seat's history:
    a student against a substitute plays exactly as the student's strategy against that strategy."""
    game = RICH
    student = [TitForTat(tacitness=0.3), Grudger(), RandomPlayer(tacitness=0.2)]
    for k, other in enumerate(student):
        pair = (substitute, other) if slot == 0 else (other, substitute)
        length, seed, key = 40, 77 + k, unit_key(2, k)
        result = Match(*pair, game, turns=length, seed=seed, key=key).play()
        table = substitute.compiled(MatchContext(game, 1.0 - 1.0 / length, length))
        outcomes, relation = replay_match(result, game, *pair, seed, key, length, table=table, substitute_slot=slot)
        assert_same_play(outcomes, relation, result)


def test_substitute_never_leaves_without_exit():
    """With the treatment's exit off, the substitute's exit probability is read as 0."""
    game = LearningGame(knowledge=Knowledge(3, 0.5))
    table = Avoidance().compiled(MatchContext(game, 0.9, None))
    assert table.leaves
    rules = Rules(game, table=table, exit_allowed=False)
    leaving = Rules(game, table=table, exit_allowed=True)
    draws = rules.draws(3, unit_key(1, 0), 200)
    choices = {rules.substitute_choice(rules.start(), 0, row) for row in draws}
    assert "EXIT" not in choices
    assert "EXIT" in {leaving.substitute_choice(leaving.start(), 0, row) for row in draws}


# --- group mode against the group engine ------------------------------------------------------------------

def group_population(players):
    names = [f"p{k}" for k in range(len(players))]
    organisations = [Organisation(f"O-{n}") for n in names]
    people = [Person(n, f"O-{n}", strategy=s) for n, s in zip(names, players)]
    return Population(organisations, people, groups=[("g", names)])


GROUP_CASES = [
    ([TitForTat(), Defector(), GTFT(tacitness=0.3), Cooperator()], RICH, GroupGame()),
    ([RaceToLearn(receptivity=0.8), Wanderer(q=0.08), Grudger(), TitForTat(tacitness=0.5), RandomPlayer()],
     ODD, GroupGame(congestion=0.5, quorum=0.7)),
    ([Cooperator(), Cooperator(), Wanderer(q=0.2)], LearningGame(knowledge=Knowledge(4, 0.4), ties=Ties(3)),
     GroupGame(congestion=0.0, quorum=1.0)),
    ([GTFT(tacitness=0.6), WinStayLoseShift(), RandomPlayer(tacitness=0.4), Avoidance(), Defector(), TitForTat()],
     LearningGame(knowledge=Knowledge(3, 0.8), ties=Ties(2), power=Power(1.0), overlap=0.5), GroupGame()),
]


@pytest.mark.parametrize("case", range(len(GROUP_CASES)))
def test_scripted_group_replays_the_group_engine(case):
    """A group of n scripted students who choose what the group engine's members played get its play:
    moves, every ordered pair's transfers and ties, stakes and stage payoffs, how the group ended.
    The resolver is keyed as the engine keys the group (``group_key`` of its members)."""
    players, game, group_game = GROUP_CASES[case]
    n, rounds, seed = len(players), 30, 400 + case
    population = group_population(players)
    play = play_group_rounds(population, game, rounds, seed, group_game=group_game, record=True)
    key = group_keys(population)[0]
    rules = Rules(game, n, [p.receptivity for p in players], [p.tacitness for p in players], group_game)
    draws = rules.draws(seed, key, rounds)
    relation = rules.start()
    moves, payoffs, stakes, transfers, ties = [], [], [relation.stakes], [], [relation.ties]
    left = set()
    for t in range(rounds):
        if not relation.open:
            outcome = rules.closed_outcome(relation)
        else:
            recorded = play.moves[0, :, t]
            # a present member recorded EXIT left this round (or the group closed around it:
            # then every member records EXIT whatever it chose, and choosing EXIT closes it the same)
            choices = [None if not relation.present[m] else CHOICES[recorded[m]] for m in range(n)]
            outcome, relation = rules.resolve(relation, choices, draws[t])
        moves.append(outcome["moves"])
        payoffs.append(outcome["payoffs"])
        stakes.append(outcome["stakes_after"])
        transfers.append(outcome["transfers"])
        ties.append(outcome["ties_after"])
        left |= {m for m in range(n) if outcome["moves"][m] == 2}
    np.testing.assert_array_equal(np.array(moves).T, play.moves[0])
    np.testing.assert_array_equal(np.array(stakes).T, play.stakes[0])
    np.testing.assert_array_equal(np.array(transfers).T, play.transfers[0])
    np.testing.assert_array_equal(np.array(ties).T, play.ties[0])
    assert np.array(payoffs).T.tobytes() == np.ascontiguousarray(play.payoffs[0]).tobytes()
    assert relation.ended_by == GROUP_ENDINGS[play.ended_by[0, 0]]
    assert left, "the case should show members leaving or the group closing"


def test_group_rules_at_two_are_the_pair_rules():
    """A group rule set of size two is never used (a pair is a pair); the resolver's pair and group
    forms agree at n = 2 through the engines' own reduction: the group engine at n = 2 is Match."""
    a, b = GTFT(tacitness=0.3), RaceToLearn()
    population = group_population([a, b])
    play = play_group_rounds(population, RICH, 30, 9, record=True)
    result = Match(a, b, RICH, turns=30, seed=9, key=group_keys(population)[0]).play()
    outcomes, relation = replay_match(result, RICH, a, b, 9, group_keys(population)[0], 30)
    assert_same_play(outcomes, relation, result)
    np.testing.assert_array_equal(np.array([o["moves"] for o in outcomes]).T, play.moves[0])


# --- lengths, matching, choices, treatments ------------------------------------------------------------

def test_match_lengths_are_geometric_and_keyed_by_the_match():
    treatment = Treatment(continuation=0.8)
    lengths = [match_length(11, m, treatment) for m in range(1, 4001)]
    assert lengths[:5] == [match_length(11, m, treatment) for m in range(1, 6)]  # drawn again: the same
    assert min(lengths) == 1
    # mean 1 / (1 - w) = 5, standard error sqrt(w) / (1 - w) / sqrt(4000) = 0.071
    assert abs(np.mean(lengths) - 5.0) < 4 * 0.0708
    # P(L = 1) = 1 - w
    assert abs(np.mean(np.array(lengths) == 1) - 0.2) < 4 * np.sqrt(0.2 * 0.8 / 4000)
    assert match_length(12, 1, treatment) != match_length(11, 1, treatment) or \
        [match_length(12, m, treatment) for m in range(1, 20)] != lengths[:19]
    assert match_length(11, 3, Treatment(turns=7)) == 7


def test_pairs_avoid_the_previous_partner_and_meet_the_substitute_when_odd():
    labels = [f"S{k}" for k in range(1, 12)]  # odd: one meets the substitute
    first = match_units(5, 1, labels)
    assert sorted(x for u in first for x in u if x) == sorted(labels)
    assert sum(None in u for u in first) == 1 and all(len(u) == 2 for u in first)
    assert all(u[1] is None for u in first if None in u)  # the student is side A
    assert first == match_units(5, 1, list(reversed(labels)))  # seeded, whatever the order given
    assert first != match_units(6, 1, labels)
    previous = {}
    for unit in first:
        for x in unit:
            previous.setdefault(x, set()).update(o for o in unit if o != x)
    for match in range(2, 40):
        units = match_units(5, match, labels, previous=previous)
        for a, b in units:
            assert b not in previous.get(a, ()), (match, a, b)
        previous = {}
        for unit in units:
            for x in unit:
                previous.setdefault(x, set()).update(o for o in unit if o != x)


def test_rematching_cannot_avoid_a_repeat_with_two_students():
    assert match_units(1, 2, ["S1", "S2"], previous={"S1": {"S2"}, "S2": {"S1"}}) in (
        [["S1", "S2"]], [["S2", "S1"]])


def test_groups_are_filled_with_substitutes_and_avoid_previous_members():
    labels = [f"S{k}" for k in range(1, 11)]
    units = match_units(3, 1, labels, size=4)
    assert [len(u) for u in units] == [4, 4, 4]
    assert sum(x is None for u in units for x in u) == 2
    previous = {x: {o for o in u if o != x} for u in units for x in u if x}
    again = match_units(3, 2, labels, size=4, previous=previous)
    repeats = sum(b in previous.get(a, ()) for u in again for i, a in enumerate(u) for b in u[i + 1:] if a)
    # the best of the shuffles: no more repeats than a plain shuffle of the same match gives
    plain = match_units(3, 2, labels, size=4)
    assert repeats <= sum(b in previous.get(a, ()) for u in plain for i, a in enumerate(u) for b in u[i + 1:] if a)


def test_choices_and_treatments_are_checked_in_one_line():
    assert parse_choice("give") == "GIVE" and parse_choice(" Leave ") == "EXIT" and parse_choice("TAKE") == "TAKE"
    for bad in ("share", 1, None, ""):
        with pytest.raises(ParameterError, match="choice must be"):
            parse_choice(bad)
    with pytest.raises(ParameterError, match="exit is off"):
        parse_choice("LEAVE", exit_allowed=False)
    for key, value in [("power", 2.0), ("continuation", 1.0), ("group_size", 1), ("tacitness", -0.1),
                       ("knowledge_levels", 1.5), ("exit", "yes"), ("quorum", 0.0), ("pace", 0.0)]:
        with pytest.raises(ParameterError) as error:
            Treatment.from_dict({key: value})
        assert f"treatment.{key}" in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(ParameterError, match="treatment.colour"):
        Treatment.from_dict({"colour": "red"})
    with pytest.raises(ParameterError, match="match rounds"):
        Treatment(continuation=0.9999999999)
    # a class plays at most MAX_CLASS_ROUNDS rounds a match on average, in groups of at most MAX_CLASS_GROUP
    assert Treatment(continuation=0.999).continuation == 0.999 and Treatment(turns=1000).turns == 1000
    for key, value in [("continuation", 0.9995), ("turns", 1001), ("group_size", 51)]:
        with pytest.raises(ParameterError, match=f"treatment.{key} must be at most"):
            Treatment.from_dict({key: value})
    treatment = Treatment(power=0.5, knowledge_levels=3, ties=2, exit=True, group_size=4)
    assert Treatment.from_dict(treatment.to_dict()) == treatment
    assert treatment.game() == LearningGame(power=Power(0.5), knowledge=Knowledge(3), ties=Ties(2))


def test_relation_round_trips_through_json():
    import json

    rules = Rules(RICH, 4, table=TitForTat().compiled(MatchContext(RICH, 0.9, None)))
    relation = rules.start()
    outcome, after = rules.resolve(relation, ["GIVE", "TAKE", "GIVE", "EXIT"], rules.draws(1, unit_key(1, 0), 1)[0])
    assert Relation.from_dict(json.loads(json.dumps(after.to_dict()))) == after
    assert json.loads(json.dumps(outcome)) == outcome


# --- the explorable's practice game --------------------------------------------------------------------

def test_practice_is_a_match_against_the_strategy():
    """A person's choices against a library strategy through Practice give the match
    ``Match(person's moves, strategy)`` keyed as match 0, unit 0."""
    treatment = Treatment(power=0.5, knowledge_levels=3, pace=0.5, ties=2, tacitness=0.2, continuation=0.9,
                          exit=True)
    practice = Practice("GTFT", treatment, seed=21)
    script = GTFT(tacitness=0.2)  # the person plays like GTFT; the match must come out as GTFT vs GTFT
    result = Match(script, GTFT(tacitness=0.2), treatment.game(), turns=practice.length, seed=21,
                   key=unit_key(0, 0)).play()
    view = practice.view()
    assert view["length"] is None and view["round"] == 1 and "length" not in str(view["history"])
    t = 0
    while not practice.over:
        view = practice.choose(CHOICES[result.moves[0, t]] if result.moves[0, t] != 2 else "LEAVE")
        t += 1
    assert view["over"] and view["length"] == practice.length
    np.testing.assert_array_equal([[h["you"] for h in view["history"]], [h["strategy"] for h in view["history"]]],
                                  [[CHOICES[m] for m in row] for row in result.moves])
    assert view["totals"] == pytest.approx(list(result.totals), abs=1e-12)
    with pytest.raises(ParameterError, match="over"):
        practice.choose("GIVE")


def test_practice_refuses_what_is_not_a_library_automaton():
    with pytest.raises(ParameterError, match="strategy"):
        Practice("No Such Strategy")
    with pytest.raises(ParameterError, match="group_size"):
        Practice("Tit For Tat", {"group_size": 3})
    practice = Practice("Tit For Tat", {"exit": False}, seed=1)
    with pytest.raises(ParameterError, match="exit is off"):
        practice.choose("LEAVE")
    assert make_strategy("Tit For Tat").label == practice.view()["strategy"]
