"""The live classroom protocol (learning_dilemma.classroom.session).

Scripted students play whole sessions through the public methods only (join,
student_view, choose, and the teacher's start_match, mark_absent, tick, ...),
with time passed in (nothing sleeps). The contract: pairs of students who
choose what library strategies played get exactly ``Match``'s play with the
session's key and the match's length drawn from the seed.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from learning_dilemma.classroom.rounds import CHOICES, Rules, match_length, unit_key
from learning_dilemma.classroom.session import (
    CODE_ALPHABET, Classroom, ClassroomError, Conflict, Forbidden, NotFound,
)
from learning_dilemma.engine.vectorised import BOTH_LEFT, FIRST_LEFT, SECOND_LEFT
from learning_dilemma.errors import ParameterError
from learning_dilemma.match import Match
from learning_dilemma.strategies import make_strategy

RICH = {"power": 0.7, "knowledge_levels": 3, "pace": 0.6, "ties": 3, "tacitness": 0.3, "receptivity": 0.8,
        "overlap": 0.8, "continuation": 0.85, "exit": True}


def new_session(treatment=None, seed=7, students=4, timeout=30.0, substitute="Tit For Tat", room=None):
    room = room if room is not None else Classroom()
    session = room.create_session(treatment, seed=seed, substitute=substitute, timeout=timeout, now=0.0)
    seats = dict(session.join(now=1.0 + k) for k in range(students))
    return room, session, seats


class Script:
    """Students who each play a library strategy's moves: for every unit of a match, the
    choices come from ``Match(a, b, game, turns=L, seed, key=unit_key(m, u))``."""

    def __init__(self, session, strategies):
        self.session = session
        self.strategies = strategies  # label -> strategy name
        self.results = {}

    def player(self, name, treatment):
        return make_strategy(name, receptivity=treatment.receptivity, tacitness=treatment.tacitness)

    def result(self, match, unit, slots):
        key = (match, unit)
        if key not in self.results:
            session = self.session
            treatment = session.treatment
            names = [self.strategies[s] if s is not None else session.substitute for s in slots]
            length = match_length(session.entropy, match, treatment)
            self.results[key] = Match(*(self.player(n, treatment) for n in names), treatment.game(), turns=length,
                                      seed=session.seed, key=unit_key(match, unit)).play()
        return self.results[key]

    def choice(self, label, view, units):
        match, t = view["match"], view["round"] - 1
        unit = next(u for u in units if label in u["seats"])
        slot = unit["seats"].index(label)
        result = self.result(match, unit["unit"], unit["seats"])
        move = result.moves[slot, t]
        if move != 2:
            return CHOICES[move]
        left = {FIRST_LEFT: (0,), SECOND_LEFT: (1,), BOTH_LEFT: (0, 1)}.get(result.ended_by, ())
        return "LEAVE" if slot in left else "GIVE"


def play_out(session, seats, choose, start=10.0, step=1.0, skip=(), limit=100_000):
    """Every student with a round to choose chooses (``choose(label, view)``), until none has; returns the time."""
    now = start
    for _ in range(limit):
        moved = False
        for label, token in seats.items():
            if label in skip:
                continue
            view = session.student_view(token, now=now)
            if view["status"] == "choose":
                session.choose(token, view["match"], view["round"], choose(label, view), now=now)
                moved = True
        now += step
        if not moved:
            return now
    raise AssertionError("the session did not finish")


def rows_of(session, match, unit):
    rows = [r for r in session.decisions() if r["match"] == match and r["unit"] == unit]
    slots = 1 + max(r["slot"] for r in rows)
    return [[r for r in rows if r["slot"] == s] for s in range(slots)]


def assert_unit_is_match(session, match, unit, result):
    per_slot = rows_of(session, match, unit)
    moves = np.array([[CHOICES.index(r["move"]) for r in rows] for rows in per_slot])
    np.testing.assert_array_equal(moves, result.moves)
    np.testing.assert_array_equal([[r["reached"] for r in rows] for rows in per_slot], result.transfers)
    np.testing.assert_array_equal([[rows[0]["stakes_before"]] + [r["stakes_after"] for r in rows]
                                   for rows in per_slot], result.stakes)
    np.testing.assert_array_equal([per_slot[0][0]["tie_before"]] + [r["tie_after"] for r in per_slot[0]], result.ties)
    payoffs = np.array([[r["payoff"] for r in rows] for rows in per_slot])
    assert payoffs.tobytes() == np.ascontiguousarray(result.payoffs, dtype=float).tobytes()


STRATEGIES = ["Grudger", "GTFT", "Race To Learn", "Random", "Win-Stay Lose-Shift", "Avoidance", "Defector"]


@pytest.mark.parametrize("students", [6, 7])
def test_scripted_class_plays_exactly_the_matches(students):
    """A class scripted as library strategies over three matches: each pair's decisions are
    ``Match``'s play with key (201, m, u) and the match's drawn length; the odd student's pair is
    a Match against the substitute strategy."""
    room, session, seats = new_session(RICH, seed=31, students=students)
    strategies = {label: STRATEGIES[k % len(STRATEGIES)] for k, label in enumerate(sorted(seats))}
    script = Script(session, strategies)
    now = 10.0
    for m in (1, 2, 3):
        session.start_match(now=now)
        units = session.teacher_view(now=now)["units"]
        assert sum(None in u["seats"] for u in units) == students % 2
        now = play_out(session, seats, lambda label, view: script.choice(label, view, units), start=now + 1)
        assert session.status == "between matches"
        for unit in units:
            assert_unit_is_match(session, m, unit["unit"], script.result(m, unit["unit"], unit["seats"]))
    decisions = session.decisions()
    assert {r["substitute"] for r in decisions if r["student"]} == {0}
    assert all(r["substitute"] == 1 for r in decisions if not r["student"])
    # the cases covered exits and the race, not only open alliances
    assert {r["ended_by"] for r in decisions} >= {"race over", "open"}


def test_match_length_is_drawn_in_advance_shared_and_hidden():
    room, session, seats = new_session({"continuation": 0.8}, seed=12, students=8)
    for m in range(1, 5):
        session.start_match(now=10.0 * m)
        view = session.teacher_view(now=10.0 * m)
        assert view["lengths"] == [{"match": k, "length": match_length(session.entropy, k, session.treatment)}
                                   for k in range(1, m)]
        seen = []

        def choose(label, view):
            seen.append(view)
            return "GIVE"

        play_out(session, seats, choose, start=10.0 * m + 1)
        length = match_length(session.entropy, m, session.treatment)
        rounds = {(r["unit"]): r["round"] for r in session.decisions() if r["match"] == m}
        assert len(rounds) == 4 and set(rounds.values()) == {length}  # every pair played L_m rounds
        for view in seen:  # no student view has the length in it
            assert "length" not in json.dumps(view)
    lengths = [match_length(session.entropy, m, session.treatment) for m in range(1, 5)]
    assert len(set(lengths)) > 1  # drawn, not fixed
    # the same seed draws the same lengths and matching in another session
    other = new_session({"continuation": 0.8}, seed=12, students=8)[1]
    other.start_match(now=0.0)
    first = [[r["seat"] for r in session.decisions() if r["match"] == 1 and r["unit"] == u and r["round"] == 1]
             for u in range(4)]
    assert [u["seats"] for u in other.teacher_view(now=0.0)["units"]] == first


def test_rematching_avoids_the_previous_partner():
    room, session, seats = new_session({"turns": 2}, seed=3, students=8)
    previous = None
    for m in range(1, 8):
        session.start_match(now=100.0 * m)
        units = [tuple(u["seats"]) for u in session.teacher_view(now=100.0 * m)["units"]]
        pairs = {frozenset(u) for u in units}
        assert sorted(x for u in units for x in u) == sorted(seats)
        if previous is not None:
            assert not pairs & previous, m
        previous = pairs
        play_out(session, seats, lambda label, view: "GIVE", start=100.0 * m + 1)


def test_odd_class_meets_the_substitute_and_the_data_mark_it():
    room, session, seats = new_session({"turns": 5}, seed=4, students=3, substitute="Defector")
    session.start_match(now=5.0)
    play_out(session, seats, lambda label, view: "GIVE")
    robot = [r for r in session.decisions() if r["seat"] == "substitute"]
    assert len(robot) == 5 and all(r["student"] == 0 and r["substitute"] == 1 for r in robot)
    assert {r["move"] for r in robot} == {"TAKE"}  # the Defector substitute
    partner = [r for r in session.decisions() if r["unit"] == robot[0]["unit"] and r["student"]]
    assert [r["payoff"] for r in partner] == [0.0] * 5  # S: gave to a taker, Axelrod's sucker's payoff


def test_dropout_after_the_timeout_substitute_plays_on_and_is_marked():
    """S-x stops choosing after round 2: nothing happens before the timeout, then the substitute
    (Tit For Tat) plays the seat from the state its history leads to; the partner finishes."""
    room, session, seats = new_session({"turns": 8}, seed=5, students=2, timeout=30.0)
    session.start_match(now=10.0)
    labels = sorted(seats)
    quitter, partner = labels
    partner_moves = ["TAKE", "GIVE", "TAKE", "TAKE", "GIVE", "GIVE", "TAKE", "GIVE"]
    now = 11.0
    for t in range(2):
        for label in labels:
            move = "GIVE" if label == quitter else partner_moves[t]
            session.choose(seats[label], 1, t + 1, move, now=now)
    # round 3 opened at `now`; the partner chooses, the quitter does not
    session.choose(seats[partner], 1, 3, partner_moves[2], now=now + 1)
    assert session.tick(now=now + 29.0) == 0
    assert session.teacher_view(now=now + 29.0)["units"][0]["waiting_for"] == [quitter]
    assert session.tick(now=now + 30.0) == 1
    later = now + 31.0
    for t in range(3, 8):
        view = session.student_view(seats[partner], now=later)
        assert view["status"] == "choose" and view["round"] == t + 1
        session.choose(seats[partner], 1, t + 1, partner_moves[t], now=later)
        later += 1
    rows = rows_of(session, 1, 0)
    slot = 0 if rows[0][0]["seat"] == quitter else 1
    mine, theirs = rows[slot], rows[1 - slot]
    assert [r["substitute"] for r in mine] == [0, 0] + [1] * 6
    assert [r["substitute"] for r in theirs] == [0] * 8
    # Tit For Tat from the seat's history: each substitute move is the partner's previous move
    assert [r["move"] for r in mine[2:]] == partner_moves[1:7]
    assert [r["move"] for r in theirs] == partner_moves
    assert session.teacher_view(now=later)["seats"][labels.index(quitter)]["dropped"]


def test_reconnect_takes_the_seat_back_from_the_next_round():
    room, session, seats = new_session({"turns": 6}, seed=6, students=2, timeout=20.0)
    session.start_match(now=0.0)
    a, b = sorted(seats)
    session.choose(seats[b], 1, 1, "GIVE", now=1.0)
    session.tick(now=25.0)  # a timed out in round 1: the substitute chose for it, the round resolved
    assert session.teacher_view(now=25.0)["seats"][0]["dropped"]
    session.choose(seats[b], 1, 2, "TAKE", now=26.0)
    # round 3 is open and the substitute has chosen for a; a comes back
    view = session.student_view(seats[a], now=27.0)
    assert view["status"] == "substitute" and view["round"] == 3 and view["chosen"] is None
    assert not session.teacher_view(now=27.0)["seats"][0]["dropped"]
    with pytest.raises(Conflict):
        session.choose(seats[a], 1, 3, "TAKE", now=27.5)  # round 3 is the substitute's
    session.choose(seats[b], 1, 3, "GIVE", now=28.0)
    view = session.student_view(seats[a], now=29.0)
    assert view["status"] == "choose" and view["round"] == 4
    session.choose(seats[a], 1, 4, "TAKE", now=30.0)
    session.choose(seats[b], 1, 4, "TAKE", now=30.0)
    rows = {r["round"]: r for r in session.decisions() if r["seat"] == a}
    assert [rows[t]["substitute"] for t in (1, 2, 3, 4)] == [1, 1, 1, 0]
    assert rows[4]["choice"] == "TAKE"
    assert [e.kind for e in session.store.events(session.id)].count("reconnect") == 1


def test_absent_seat_is_played_by_the_substitute_and_sits_out_the_next_match():
    room, session, seats = new_session({"turns": 3}, seed=8, students=4)
    session.start_match(now=0.0)
    gone = sorted(seats)[0]
    session.mark_absent(gone, now=1.0)
    play_out(session, seats, lambda label, view: "GIVE", skip={gone}, start=2.0)
    assert session.status == "between matches"
    mine = [r for r in session.decisions() if r["seat"] == gone]
    assert len(mine) == 3 and {r["substitute"] for r in mine} == {1}
    session.start_match(now=50.0)
    assert gone not in {s for u in session.teacher_view(now=50.0)["units"] for s in u["seats"]}
    view = session.student_view(seats[gone], now=51.0)  # back: waits for the next match
    assert view["status"] in ("waiting", "match over") and view["round"] is None
    play_out(session, seats, lambda label, view: "TAKE", start=52.0)
    session.start_match(now=90.0)
    assert gone in {s for u in session.teacher_view(now=90.0)["units"] for s in u["seats"]}
    with pytest.raises(NotFound):
        session.mark_absent("S99", now=91.0)


def test_a_student_sees_only_their_own_seat():
    room, session, seats = new_session(RICH, seed=9, students=4)
    other_room, other, other_seats = new_session(RICH, seed=9, students=2, room=room)
    session.start_match(now=5.0)
    play_out(session, seats, lambda label, view: "GIVE" if view["round"] % 2 else "TAKE", start=6.0)
    for label, token in seats.items():
        view = session.student_view(token, now=500.0)
        assert view["label"] == label
        text = json.dumps(view)
        for other_label, other_token in seats.items():
            if other_label != label:
                assert f'"{other_label}"' not in text
            assert other_token not in text
        assert room.seat(token) == (session, label)
        assert session.label_of(token) == label
    # a token is the seat's only: not a seat of another session, nor any made-up token
    for token in other_seats.values():
        with pytest.raises(Forbidden):
            session.student_view(token, now=501.0)
        with pytest.raises(Forbidden):
            session.choose(token, 1, 1, "GIVE", now=501.0)
    for bad in ("", "x" * 500, None, 3, "S1", list(seats.values())[0][:-1]):
        with pytest.raises(Forbidden):
            session.student_view(bad, now=502.0)
        with pytest.raises(Forbidden):
            room.seat(bad)
    # the store holds only hashes of tokens
    stored = json.dumps([e.payload for e in room.store.events()])
    assert not any(token in stored for token in seats.values())


def test_resubmission_is_idempotent_and_a_change_is_refused():
    room, session, seats = new_session({"turns": 3}, seed=10, students=2)
    session.start_match(now=0.0)
    a, b = sorted(seats)
    first = session.choose(seats[a], 1, 1, "GIVE", now=1.0)
    count = room.store.count(session.id)
    again = session.choose(seats[a], 1, 1, "give", now=2.0)
    assert room.store.count(session.id) == count and again == session.student_view(seats[a], now=2.0)
    assert first["status"] == again["status"] == "chosen" and again["chosen"] == "GIVE"
    with pytest.raises(Conflict, match="already chosen"):
        session.choose(seats[a], 1, 1, "TAKE", now=3.0)
    session.choose(seats[b], 1, 1, "TAKE", now=4.0)
    count = room.store.count(session.id)
    session.choose(seats[b], 1, 1, "TAKE", now=5.0)  # a resolved round, sent again: nothing new
    assert room.store.count(session.id) == count
    with pytest.raises(Conflict):
        session.choose(seats[b], 1, 3, "TAKE", now=5.0)  # not the open round
    with pytest.raises(Conflict):
        session.choose(seats[b], 2, 1, "TAKE", now=5.0)  # no such match
    with pytest.raises(ParameterError, match="exit is off"):
        session.choose(seats[b], 1, 2, "LEAVE", now=5.0)
    with pytest.raises(ClassroomError):
        session.choose(seats[b], 1, "2", "TAKE", now=5.0)
    assert len([r for r in session.decisions() if r["round"] == 1]) == 2


def test_exits_close_the_pair_and_later_rounds_are_recorded_as_exit():
    room, session, seats = new_session({"turns": 6, "exit": True}, seed=11, students=2)
    session.start_match(now=0.0)
    a, b = sorted(seats)
    session.choose(seats[a], 1, 1, "GIVE", now=1.0)
    session.choose(seats[b], 1, 1, "GIVE", now=1.0)
    session.choose(seats[a], 1, 2, "LEAVE", now=2.0)
    view = session.student_view(seats[a], now=2.5)
    assert view["status"] == "chosen" and view["chosen"] == "LEAVE"
    session.choose(seats[b], 1, 2, "TAKE", now=3.0)
    assert session.status == "between matches"
    rows = rows_of(session, 1, 0)
    assert [r["move"] for r in rows[0]] == ["GIVE"] + ["EXIT"] * 5
    assert [r["choice"] for r in rows[0]] == ["GIVE", "EXIT", "", "", "", ""]
    assert [r["payoff"] for r in rows[1]] == [3.0] + [1.0] * 5
    exits = session.teacher_view(now=4.0)["exits"]
    assert exits == [{"match": 1, "unit": 0, "round": 2, "ended_by": "first left" if rows[0][0]["seat"] == a
                      else "second left", "seats": [rows[0][0]["seat"], rows[1][0]["seat"]]}]


def test_group_mode_plays_groups_of_n_through_the_group_rules():
    """Groups of three with the remainder filled by substitutes; each group's decisions are the
    group rules' resolution of what its students chose, with the group's draws keyed (201, m, u)."""
    treatment = {"group_size": 3, "knowledge_levels": 3, "pace": 0.7, "ties": 2, "tacitness": 0.4, "exit": True,
                 "turns": 12}
    room, session, seats = new_session(treatment, seed=13, students=7)
    session.start_match(now=0.0)
    units = session.teacher_view(now=0.0)["units"]
    assert [len(u["seats"]) for u in units] == [3, 3, 3]
    assert sum(s is None for u in units for s in u["seats"]) == 2
    plan = {label: ["GIVE", "TAKE", "GIVE", "GIVE", "LEAVE"][k % 5] for k, label in enumerate(sorted(seats))}
    play_out(session, seats, lambda label, view: plan[label] if view["round"] > 2 else "GIVE", start=1.0)
    rules = Rules.for_treatment(session.treatment, session.rules.table)
    for unit in units:
        per_slot = rows_of(session, 1, unit["unit"])
        draws = rules.draws(session.entropy, unit_key(1, unit["unit"]), 12)
        relation = rules.start()
        for t in range(12):
            if not relation.open:
                break
            choices = [per_slot[s][t]["choice"] or None for s in range(3)]
            outcome, relation = rules.resolve(relation, choices, draws[t])
            assert [per_slot[s][t]["move"] for s in range(3)] == [CHOICES[m] for m in outcome["moves"]]
            assert [per_slot[s][t]["payoff"] for s in range(3)] == outcome["payoffs"]
            assert [per_slot[s][t]["received"] for s in range(3)] == outcome["received"]
    view = session.student_view(seats[sorted(seats)[0]], now=999.0)
    assert view["group_size"] == 3 and all(set(h) >= {"received", "partner"} for h in view["history"])


def test_teacher_view_dashboard_numbers():
    room, session, seats = new_session({"turns": 2}, seed=14, students=4)
    session.start_match(now=0.0)
    units = session.teacher_view(now=0.0)["units"]
    # round 1: pair 0 both give, pair 1 one gives; round 2: everybody takes
    first, second = units[0]["seats"], units[1]["seats"]
    for label, move in [(first[0], "GIVE"), (first[1], "GIVE"), (second[0], "GIVE"), (second[1], "TAKE")]:
        session.choose(seats[label], 1, 1, move, now=1.0)
    for label in seats:
        session.choose(seats[label], 1, 2, "TAKE", now=2.0)
    view = session.teacher_view(now=3.0)
    assert view["giving_by_round"] == [{"match": 1, "round": 1, "gives": 3, "moves": 4, "share": 0.75},
                                       {"match": 1, "round": 2, "gives": 0, "moves": 4, "share": 0.0}]
    assert view["mutual_giving"][0] == {"match": 1, "round": 1, "mutual": 1, "pairs": 2, "share": 0.5}
    assert view["power_gaps"][0]["max"] == 0  # stakes off: no gap
    assert view["lengths"] == [{"match": 1, "length": 2}]
    assert {s["label"] for s in view["seats"]} == set(seats)
    assert all(s["connected"] for s in view["seats"])  # all seen within the window
    assert not any(s["connected"] for s in session.teacher_view(now=1000.0)["seats"])
    json.dumps(view)


def test_session_controls_refuse_what_does_not_fit():
    room, session, seats = new_session({"turns": 2}, seed=15, students=2)
    assert len(session.code) == 6 and set(session.code) <= set(CODE_ALPHABET)
    assert room.find(session.code.lower()) is session
    with pytest.raises(NotFound):
        room.find("ZZZZZZ" if session.code != "ZZZZZZ" else "YYYYYY")
    session.start_match(now=1.0)
    with pytest.raises(Conflict, match="still running"):
        session.start_match(now=2.0)
    late_label, late_token = session.join(now=2.0)  # joins during a match: plays from the next
    assert session.student_view(late_token, now=2.0)["status"] == "waiting"
    session.end_match(now=3.0)
    assert session.status == "between matches"
    session.start_match(now=4.0)
    assert late_label in {s for u in session.teacher_view(now=4.0)["units"] for s in u["seats"]}
    session.end_session(now=5.0)
    assert session.status == "ended"
    for call in (lambda: session.start_match(now=6.0), lambda: session.join(now=6.0)):
        with pytest.raises(Conflict):
            call()
    with pytest.raises(NotFound):
        room.join(session.code, now=6.0)
    assert session.student_view(late_token, now=6.0)["status"] == "ended"
    with pytest.raises(ParameterError, match="timeout"):
        room.create_session(timeout=-1)
    with pytest.raises(ParameterError, match="substitute"):
        room.create_session(substitute="Nobody")
    with pytest.raises(ParameterError, match="treatment.power"):
        room.create_session({"power": 3})
    with pytest.raises(ParameterError, match="now"):
        session.teacher_view(now=float("nan"))
    empty = room.create_session(now=0.0)
    with pytest.raises(Conflict, match="no student"):
        empty.start_match(now=1.0)
