"""The event store (learning_dilemma.classroom.store) and restarting a classroom from it.

A session's state is a fold over its stored events: a server killed at any
point and started again on the same file carries on with nothing lost and
nothing duplicated, and its export is the one an uninterrupted run gives.
"""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from learning_dilemma.classroom import session as session_module
from learning_dilemma.classroom.export import decisions_csv
from learning_dilemma.classroom.session import Classroom, Session
from learning_dilemma.classroom.store import EVENT_KINDS, Event, Store, StoreError

TREATMENT = {"power": 0.5, "knowledge_levels": 3, "pace": 0.6, "ties": 2, "tacitness": 0.3, "continuation": 0.8,
             "exit": True}


def test_append_numbers_events_per_session_and_reads_them_back(tmp_path):
    store = Store(tmp_path / "class.db")
    stored = store.append([Event("a", 0, "create", {"x": 1}, 1.0), Event("b", 0, "create", {}, 2.0),
                           Event("a", 0, "join", {"label": "S1", "nested": [1.5, None, "é"]}, 3.0)])
    assert [(e.session, e.seq) for e in stored] == [("a", 1), ("b", 1), ("a", 2)]
    store.append([Event("a", 0, "end", {}, 4.0)])
    assert [(e.seq, e.kind, e.payload, e.time) for e in store.events("a")] == [
        (1, "create", {"x": 1}, 1.0), (2, "join", {"label": "S1", "nested": [1.5, None, "é"]}, 3.0),
        (3, "end", {}, 4.0)]
    assert store.sessions() == ["a", "b"]
    assert store.count() == 4 and store.count("a", "end") == 1
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.events()


def test_durability_settings(tmp_path):
    store = Store(tmp_path / "class.db")
    connection = store._connection
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_batch_is_all_or_nothing(tmp_path):
    store = Store(tmp_path / "class.db")
    store.append([Event("a", 0, "create", {}, 0.0)])
    with pytest.raises(ValueError):  # NaN is not JSON: the whole batch is refused
        store.append([Event("a", 0, "join", {"label": "S1"}, 1.0), Event("a", 0, "join", {"x": float("nan")}, 1.0)])
    with pytest.raises(StoreError, match="event kind"):
        store.append([Event("a", 0, "join", {}, 1.0), Event("a", 0, "party", {}, 1.0)])
    assert [e.kind for e in store.events("a")] == ["create"]
    assert set(EVENT_KINDS) >= {"create", "join", "start_match", "choice", "resolve", "dropout", "reconnect", "end"}


def test_appends_from_many_threads_lose_nothing(tmp_path):
    store = Store(tmp_path / "class.db")

    def work(k):
        for i in range(50):
            store.append([Event(f"s{k % 3}", 0, "choice", {"k": k, "i": i}, float(i))])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for s in ("s0", "s1", "s2"):
        seqs = [e.seq for e in store.events(s)]
        assert seqs == list(range(1, len(seqs) + 1))
    assert sorted((e.payload["k"], e.payload["i"]) for e in store.events()) == [
        (k, i) for k in range(8) for i in range(50)]


def test_the_teacher_secret_survives_a_restart(tmp_path):
    first = Store(tmp_path / "class.db").secret()
    assert len(first) >= 24
    again = Store(tmp_path / "class.db")
    assert again.secret() == first and again.secret("other") != first
    again.set_meta("k", "v")
    assert Store(tmp_path / "class.db").get_meta("k") == "v"


def test_a_file_that_is_not_a_store_is_one_line(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as error:
        Store(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


# --- kill and restart ------------------------------------------------------------------------------------

def moves(label, match, round):
    """A student's fixed script: deterministic, varied (gives, takes, a few exits)."""
    k = int(label[1:])
    value = (k * 7 + match * 3 + round * 5) % 11
    return "LEAVE" if value == 10 and round > 2 else ("GIVE" if value < 6 else "TAKE")


class Run:
    """A classroom session driven by a script, one step at a time (start a match, one student's
    choice, or a tick). Time is a function of the stored events (20 s an event), so a run resumed
    after a restart calls at the times the uninterrupted run does."""

    def __init__(self, room, session=None, tokens=None):
        self.room = room
        self.session = session or room.create_session(TREATMENT, seed=2024, timeout=15.0, now=0.0)
        self.tokens = tokens if tokens is not None else dict(self.session.join(now=1.0) for _ in range(5))

    @property
    def now(self) -> float:
        return 10.0 + 20.0 * self.room.store.count(self.session.id)

    def steps(self):
        """Each step plays one thing, chosen from the session's state alone (so a resumed run
        takes the steps the uninterrupted one takes), and yields."""
        session = self.session
        while True:
            if session.current is None:
                if len(session.matches) == 2:
                    return
                session.start_match(now=self.now)
                yield
                continue
            match = session.current.number
            for label in sorted(self.tokens, key=lambda x: int(x[1:])):
                if label == "S3" and match == 2:
                    continue  # S3 stops playing in match 2: the timeout hands the seat to the substitute
                view = session.student_view(self.tokens[label], now=self.now)
                if view["status"] == "choose":
                    session.choose(self.tokens[label], match, view["round"], moves(label, match, view["round"]),
                                   now=self.now)
                    break
            else:
                assert session.tick(now=self.now) >= 1
            yield

    def finish(self):
        for _ in self.steps():
            pass


def next_chooser(run):
    """The student :meth:`Run.steps` lets choose next (without calling as the student)."""
    session = run.session
    if session.current is None:
        return None
    for label in sorted(run.tokens, key=lambda x: int(x[1:])):
        if label == "S3" and session.current.number == 2:
            continue
        place = session._place(label)
        if place is not None and place[2] in session.rules.expected(place[1].relation) \
                and place[2] not in place[1].pending and place[1].relation.round < place[0].length:
            return label
    return None


def comparable(session):
    """The session's state as data, without what differs between two runs by design (ids, codes)."""
    view = session.teacher_view(now=10_000.0)
    for key in ("session", "code"):
        view.pop(key)
    for seat in view["seats"]:  # who is connected now is not data: it is not stored (a restart forgets it)
        seat.pop("connected")
        seat.pop("last_seen")
    rows = [{k: v for k, v in r.items() if k != "session"} for r in session.decisions()]
    return json.dumps(view, sort_keys=True), json.dumps(rows, sort_keys=True)


def uninterrupted():
    run = Run(Classroom())
    steps = sum(1 for _ in run.steps())
    assert steps == 38  # the stops below fall inside the run: before and after the dropout (step 34)
    return comparable(run.session)


@pytest.mark.parametrize("stop", [1, 3, 11, 26, 34, 37])
def test_kill_and_restart_resumes_with_nothing_lost(tmp_path, stop):
    """Play ``stop`` steps on a file, drop the classroom without closing it (a kill), start a new
    one on the file: the session is there with its seats and state; playing on gives exactly the
    uninterrupted run's session and export."""
    expected = uninterrupted()
    path = tmp_path / "class.db"
    run = Run(Classroom(path))
    steps = run.steps()
    for _ in range(stop):
        next(steps)
    # (S3 is not asked: a call from a dropped student would take the seat back, another session)
    before_views = {label: run.session.student_view(token, now=run.now) for label, token in run.tokens.items()
                    if label != "S3"}
    events_before = run.room.store.count()
    session_id, tokens, now = run.session.id, run.tokens, run.now
    del run, steps  # killed: nothing closed, nothing flushed beyond what was committed

    room = Classroom(path)
    session = room.session(session_id)
    assert room.store.count() == events_before
    for label, token in tokens.items():  # each student's token still opens their seat, as it was
        assert room.seat(token) == (session, label)
        if label in before_views:
            assert session.student_view(token, now=now) == before_views[label]
    Run(room, session, tokens).finish()
    assert comparable(session) == expected
    # and the data re-read from the file once more are the same (nothing duplicated on the way)
    assert comparable(Classroom(path).session(session_id)) == expected


@pytest.mark.parametrize("dies_at", ["choice", "resolve"])
def test_crash_between_commit_and_apply_is_replayed(tmp_path, monkeypatch, dies_at):
    """The server dies after the events of a choice were committed but before memory changed
    (before the choice is applied, or after it and before the round it completed): the restarted
    classroom has the choice and the round; the student, who got no answer, sends the choice
    again: it is not recorded twice; playing on gives the uninterrupted run's session."""
    expected = uninterrupted()
    path = tmp_path / "class.db"
    run = Run(Classroom(path))
    steps = run.steps()
    session = run.session
    for _ in range(9):
        next(steps)
    while True:  # play on until the next step is a choice that completes its round (choice, resolve, ...)
        label = next_chooser(run)
        units = session.teacher_view(now=run.now)["units"]
        if label is not None and any(u["waiting_for"] == [label] for u in units):
            break
        next(steps)
    view = session.student_view(run.tokens[label], now=run.now)
    assert view["status"] == "choose"
    real_apply = Session.apply

    def dying(self, event):
        if event.kind == dies_at:
            raise SystemExit("killed")
        return real_apply(self, event)

    monkeypatch.setattr(Session, "apply", dying)
    count = run.room.store.count()
    with pytest.raises(SystemExit):
        session.choose(run.tokens[label], view["match"], view["round"], moves(label, view["match"], view["round"]),
                       now=run.now)
    monkeypatch.setattr(Session, "apply", real_apply)
    assert run.room.store.count() > count + 1  # committed: the choice and the round it completed
    tokens, now, session_id = run.tokens, run.now, session.id
    del run, steps, session

    room = Classroom(path)
    session = room.session(session_id)
    count = room.store.count()
    again = session.choose(tokens[label], view["match"], view["round"], moves(label, view["match"], view["round"]),
                           now=now)
    assert room.store.count() == count  # the re-sent choice is idempotent
    assert again == session.student_view(tokens[label], now=now)  # and answered with the seat's view
    Run(room, session, tokens).finish()
    assert comparable(session) == expected


def test_a_failed_commit_changes_nothing(tmp_path, monkeypatch):
    """The store refuses (disk full, say): the call fails and memory is as before; a retry works."""
    room = Classroom(tmp_path / "class.db")
    session = room.create_session({"turns": 3}, seed=1, now=0.0)
    tokens = dict(session.join(now=1.0) for _ in range(2))
    session.start_match(now=2.0)
    token = tokens["S1"]
    before = session.student_view(token, now=3.0)
    decisions = session.decisions()

    def full(self, events):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "append", full)
    with pytest.raises(sqlite3.OperationalError):
        session.choose(token, 1, 1, "GIVE", now=3.0)
    monkeypatch.undo()
    assert session.student_view(token, now=3.0) == before and session.decisions() == decisions
    assert session.choose(token, 1, 1, "GIVE", now=4.0)["status"] == "chosen"
    assert Classroom(tmp_path / "class.db").session(session.id).student_view(token, now=5.0)["chosen"] == "GIVE"


def test_every_decision_is_an_event_once(tmp_path):
    """The store holds each student decision as one choice event; the export derives one row per
    decision from them (the load test's check, on a small class)."""
    room = Classroom(tmp_path / "class.db")
    run = Run(room)
    run.finish()
    choices = [e.payload for e in room.store.events(run.session.id) if e.kind == "choice"]
    keys = [(c["match"], c["unit"], c["round"], c["slot"]) for c in choices]
    assert len(keys) == len(set(keys))
    rows = [r for r in run.session.decisions() if r["choice"]]
    assert sorted(keys) == sorted((r["match"], r["unit"], r["round"], r["slot"]) for r in rows)
    assert {(c["label"], c["substitute"]) for c in choices if c["substitute"]} >= {("S3", True)}
    # the CSV from the file equals the CSV from memory
    assert decisions_csv(Classroom(tmp_path / "class.db").session(run.session.id)) == decisions_csv(run.session)


def test_a_store_that_does_not_start_with_create_is_refused(tmp_path):
    store = Store(tmp_path / "class.db")
    store.append([Event("x", 0, "join", {"label": "S1", "token_hash": "0" * 64}, 0.0)])
    with pytest.raises(session_module.ClassroomError, match="create"):
        Classroom(store)
