"""Tidy data of a classroom session: one row per seat and round, as CSV.

Each decision of a live session (:mod:`.session`) is stored as it happens
(:mod:`.store`); these rows are derived from the replayed session, so the file
a teacher exports after a crash and restart is the one an uninterrupted
session would give. The CSV is written to a temporary file in the target's
folder and renamed over the target (:func:`os.replace`, atomic on one file
system): a reader never sees half a file, and a failed write leaves the old
file (or none) in place.

Columns (:data:`DECISION_COLUMNS`)
----------------------------------
session
    The session's id.
match, round
    1-based; every pair (group) of a match plays the same number of rounds.
unit
    The pair (group) within the match, 0-based; its draws are keyed
    ``(201, match, unit)`` (:func:`.rounds.unit_key`).
slot
    The seat's place in the unit (0 is side A of a pair).
seat
    The student's anonymous label (``S1``, ...), or ``substitute`` for a seat
    no student holds (an odd class, or a group filled up).
student
    1 for a student's seat, 0 for a substitute's seat.
substitute
    1 where the substitute strategy made the decision (a substitute's seat,
    or a student's seat after a dropout: timeout or marked absent).
choice
    What was submitted: ``GIVE``, ``TAKE`` or ``EXIT`` (LEAVE); empty for the
    rounds recorded after the alliance closed (or the member left), when
    nobody chooses.
move
    The move as the engines record it: ``GIVE``, ``TAKE`` or ``EXIT`` (a pair
    records EXIT for both in the round one leaves, and in every later round).
reached
    How many others the seat's give reached (a pair: 1 if it transferred; a
    give of tacit knowledge may fail, Hansen 1999).
received
    How many gives of others reached the seat.
seen
    1 if the seat saw GIVE: its partner's give reached it (a group: enough of
    the others' gives, the quorum rule of Boyd & Richerson 1988).
payoff
    The stage payoff (the status quo after the alliance closed).
stakes_before, stakes_after
    Knowledge the seat still lacked before and after the round.
power_before
    The seat's power position ``z`` at the start of the round: the partner's
    stakes (a group: the active others' mean, rounded) less its own.
tie_before, tie_after
    Tie strength (a group: the mean over the seat's relations).
alliance_open
    1 if the pair's (group's) alliance was still open after the round.
ended_by
    ``open``, or how the alliance ended (``first left``, ``second left``,
    ``both left``, ``race over``; a group: ``left``, ``race over``).
time
    Seconds since the epoch when the decision was stored (for rounds after a
    close, when the closing round was).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from .rounds import CHOICES

__all__ = ["DECISION_COLUMNS", "decision_rows", "decisions_csv", "write_decisions"]

DECISION_COLUMNS = (
    "session", "match", "round", "unit", "slot", "seat", "student", "substitute", "choice", "move", "reached",
    "received", "seen", "payoff", "stakes_before", "stakes_after", "power_before", "tie_before", "tie_after",
    "alliance_open", "ended_by", "time",
)


def decision_rows(session) -> list[dict]:
    """The rows of :data:`DECISION_COLUMNS` of a :class:`~.session.Session`, by match, unit, round, slot."""
    rules = session.rules
    rows = []
    for match in session.matches:
        for unit in match.units:
            n = len(unit.slots)
            for t, (outcome, choices, substitutes, times, _) in enumerate(unit.rows):
                for slot in range(n):
                    label = unit.slots[slot]
                    rows.append({
                        "session": session.id, "match": match.number, "round": t + 1, "unit": unit.index,
                        "slot": slot, "seat": label if label is not None else "substitute",
                        "student": int(label is not None), "substitute": int(bool(substitutes[slot])),
                        "choice": choices[slot] or "", "move": CHOICES[outcome["moves"][slot]],
                        "reached": int(outcome["reached"][slot]), "received": int(outcome["received"][slot]),
                        "seen": int(outcome["seen"][slot]), "payoff": float(outcome["payoffs"][slot]),
                        "stakes_before": int(outcome["stakes_before"][slot]),
                        "stakes_after": int(outcome["stakes_after"][slot]),
                        "power_before": int(outcome["power_before"][slot]),
                        "tie_before": session._seat_tie(outcome["ties_before"], slot) if rules.is_group
                        else int(outcome["ties_before"][0]),
                        "tie_after": session._seat_tie(outcome["ties_after"], slot) if rules.is_group
                        else int(outcome["ties_after"][0]),
                        "alliance_open": int(bool(outcome["open_after"])), "ended_by": outcome["ended_by"],
                        "time": float(times[slot]),
                    })
    return rows


def decisions_csv(rows) -> str:
    """The rows (or a session's :func:`decision_rows`) as CSV text with a header of :data:`DECISION_COLUMNS`.

    Numbers are written by :func:`repr`, so a float payoff reads back to the same bits.
    """
    if not isinstance(rows, list):
        rows = decision_rows(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DECISION_COLUMNS, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: repr(value) if isinstance(value, float) else value for key, value in row.items()})
    return buffer.getvalue()


def write_decisions(session_or_rows, path) -> Path:
    """Write the decisions as CSV to ``path`` atomically (a temporary file in its folder, then
    :func:`os.replace`); returns the path. On failure the temporary file is removed and
    ``path`` is untouched."""
    path = Path(path)
    text = decisions_csv(session_or_rows)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    return path
