"""The session's tidy CSV (learning_dilemma.classroom.export)."""

from __future__ import annotations

import csv
import io
import os

import pytest

from learning_dilemma.classroom import export
from learning_dilemma.classroom.export import DECISION_COLUMNS, decision_rows, decisions_csv, write_decisions
from learning_dilemma.classroom.session import Classroom


def small_session():
    """Two students, two fixed rounds of Axelrod's game (the defaults): round 1 both give,
    round 2 S1 takes and S2 gives."""
    room = Classroom()
    session = room.create_session({"turns": 2}, seed=1, now=0.0)
    tokens = dict(session.join(now=1.0) for _ in range(2))
    session.start_match(now=2.0)
    session.choose(tokens["S1"], 1, 1, "GIVE", now=3.0)
    session.choose(tokens["S2"], 1, 1, "GIVE", now=4.0)
    session.choose(tokens["S2"], 1, 2, "GIVE", now=5.0)
    session.choose(tokens["S1"], 1, 2, "TAKE", now=6.0)
    return session


def read(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_columns_and_values_of_a_small_session():
    session = small_session()
    rows = read(decisions_csv(session))
    assert list(rows[0]) == list(DECISION_COLUMNS)
    assert len(rows) == 4
    by = {(r["seat"], int(r["round"])): r for r in rows}
    # Axelrod's payoffs (R, S, T, P) = (3, 0, 5, 1): mutual giving 3 each; S1 takes from a giver: T = 5, S2: S = 0
    assert [by[("S1", 1)]["payoff"], by[("S2", 1)]["payoff"]] == ["3.0", "3.0"]
    assert [by[("S1", 2)]["payoff"], by[("S2", 2)]["payoff"]] == ["5.0", "0.0"]
    assert by[("S1", 2)]["choice"] == by[("S1", 2)]["move"] == "TAKE"
    assert (by[("S2", 2)]["reached"], by[("S2", 2)]["received"], by[("S2", 2)]["seen"]) == ("1", "0", "0")
    assert (by[("S1", 2)]["reached"], by[("S1", 2)]["received"], by[("S1", 2)]["seen"]) == ("0", "1", "1")
    assert by[("S1", 2)]["time"] == "6.0" and by[("S2", 2)]["time"] == "5.0"
    assert {r["session"] for r in rows} == {session.id}
    assert {(r["student"], r["substitute"], r["alliance_open"], r["ended_by"]) for r in rows} == {
        ("1", "0", "1", "open")}


def test_csv_reads_back_to_the_rows_exactly():
    room = Classroom()
    session = room.create_session({"continuation": 0.9, "knowledge_levels": 3, "pace": 0.7, "power": 0.6,
                                   "overlap": 0.37, "tacitness": 0.2, "ties": 2, "exit": True}, seed=4, now=0.0)
    tokens = dict(session.join(now=1.0) for _ in range(5))
    session.start_match(now=2.0)
    now = 3.0
    while session.current is not None:
        for label, token in tokens.items():
            view = session.student_view(token, now=now)
            if view["status"] == "choose":
                session.choose(token, view["match"], view["round"], "GIVE" if now % 3 else "TAKE", now=now)
            now += 1
    rows = decision_rows(session)
    back = read(decisions_csv(rows))
    assert len(back) == len(rows) > 0
    for original, row in zip(rows, back):
        for key in DECISION_COLUMNS:
            value = original[key]
            assert type(value)(row[key]) == value if not isinstance(value, float) else float(row[key]) == value
    # the substitute's seat (five students) is in the data, marked
    assert {(r["seat"], r["student"], r["substitute"]) for r in rows if r["student"] == 0} == {("substitute", 0, 1)}


def test_write_is_atomic(tmp_path, monkeypatch):
    session = small_session()
    target = tmp_path / "decisions.csv"
    assert write_decisions(session, target) == target
    text = target.read_text()
    assert text == decisions_csv(session)
    # a failure at the rename leaves the previous file whole and no temporary file behind
    target.write_text("previous export\n")

    def broken(source, destination):
        raise OSError("disk gone")

    monkeypatch.setattr(export.os, "replace", broken)
    with pytest.raises(OSError, match="disk gone"):
        write_decisions(session, target)
    monkeypatch.undo()
    assert target.read_text() == "previous export\n"
    assert os.listdir(tmp_path) == ["decisions.csv"]

    # a failure while writing the temporary file: the same
    def no_sync(fd):
        raise OSError("fsync failed")

    monkeypatch.setattr(export.os, "fsync", no_sync)
    with pytest.raises(OSError, match="fsync"):
        write_decisions(session, target)
    monkeypatch.undo()
    assert target.read_text() == "previous export\n" and os.listdir(tmp_path) == ["decisions.csv"]
    # the rename is what puts the file in place: it is written into the target's folder first
    names = []
    real = os.replace

    def spy(source, destination):
        names.append((os.path.dirname(source), os.path.basename(source) != target.name))
        return real(source, destination)

    monkeypatch.setattr(export.os, "replace", spy)
    write_decisions(session, target)
    assert names == [(str(tmp_path), True)] and target.read_text() == decisions_csv(session)


def test_columns_are_documented():
    for column in DECISION_COLUMNS:
        assert f"\n{column}\n" in export.__doc__ or f"\n{column}, " in export.__doc__ or f", {column}\n" in \
            export.__doc__, column
