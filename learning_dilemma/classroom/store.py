"""The classroom's event store: every decision in SQLite as it happens.

A live session is event-sourced (:mod:`.session`): its state is a fold over
the events stored here, so a restart after a crash replays them and carries on
with nothing lost and nothing duplicated. The store is one SQLite file
(:mod:`sqlite3`, the standard library) with

- ``events(session, seq, kind, payload, time)``: the events of each session,
  numbered ``seq = 1, 2, ...`` per session, ``payload`` a JSON object, ``time``
  seconds since the epoch as the server saw it; primary key ``(session, seq)``,
  so an event can never be stored twice under one number;
- ``meta(key, value)``: a few server-wide values, such as the teacher's secret
  (:meth:`Store.secret`), kept so that a restart keeps them.

Durability (our choice, for data a researcher will analyse): the journal is
WAL and ``synchronous=FULL``, and :meth:`Store.append` commits before it
returns, so an event the server has answered for is on disk. Several events
appended together (a choice and the round it completes) are one transaction:
all or none.

Thread safety: one connection guarded by a lock, so a single-process server
(an async event loop, or a thread pool running sync handlers) may call it from
any thread.
"""

from __future__ import annotations

import json
import math
import secrets
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParameterError

__all__ = ["EVENT_KINDS", "Event", "Store", "StoreError"]

#: The kinds of event a session is folded from (:mod:`.session` documents each payload).
EVENT_KINDS = (
    "create", "join", "start_match", "choice", "resolve", "dropout", "reconnect", "end_match", "end",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    session TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    time REAL NOT NULL,
    PRIMARY KEY (session, seq)
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class StoreError(ParameterError):
    """The store cannot be opened or holds something it cannot read (one line, naming the file)."""


@dataclass(frozen=True)
class Event:
    """One stored event.

    Attributes
    ----------
    session : str
        The session's id.
    seq : int
        Its number in the session (1, 2, ...); 0 before it is stored.
    kind : str
        One of :data:`EVENT_KINDS`.
    payload : dict
        JSON-able data of the event.
    time : float
        Seconds since the epoch, as passed in by the caller (tests pass their own).
    """

    session: str
    seq: int
    kind: str
    payload: dict = field(default_factory=dict)
    time: float = 0.0


class Store:
    """An SQLite file of session events (``":memory:"`` for a store that lives only as long as the object).

    Parameters
    ----------
    path : str or Path
        The database file; created with its tables if missing.

    Raises
    ------
    StoreError
        When the file cannot be opened as the store.
    """

    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        self._lock = threading.RLock()
        try:
            self._connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open the classroom store: {error}") from None
        self._closed = False

    # --- writing ---------------------------------------------------------------
    def append(self, events: list[Event]) -> list[Event]:
        """Store ``events`` in one transaction, numbering them after each session's last event.

        Returns the events with their ``seq`` set. Nothing is stored if any
        fails (the caller then changes nothing either).
        """
        events = list(events)
        for event in events:
            if event.kind not in EVENT_KINDS:
                raise StoreError(f"event kind must be one of {', '.join(EVENT_KINDS)}, got {event.kind!r}")
            if not (isinstance(event.time, (int, float)) and math.isfinite(event.time)):
                raise StoreError(f"event time must be a finite number, got {event.time!r}")
        with self._lock:
            self._check_open()
            stored = []
            cursor = self._connection.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
                last = {}
                for event in events:
                    if event.session not in last:
                        row = cursor.execute("SELECT MAX(seq) FROM events WHERE session = ?",
                                             (event.session,)).fetchone()
                        last[event.session] = row[0] or 0
                    last[event.session] += 1
                    seq = last[event.session]
                    cursor.execute(
                        "INSERT INTO events (session, seq, kind, payload, time) VALUES (?, ?, ?, ?, ?)",
                        (event.session, seq, event.kind, json.dumps(event.payload, allow_nan=False,
                                                                     separators=(",", ":")), float(event.time)))
                    stored.append(Event(event.session, seq, event.kind, event.payload, float(event.time)))
                cursor.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    cursor.execute("ROLLBACK")
                raise
            return stored

    # --- reading ---------------------------------------------------------------
    def events(self, session: str | None = None) -> list[Event]:
        """The stored events, of one session or of all (by session, then ``seq``)."""
        with self._lock:
            self._check_open()
            if session is None:
                rows = self._connection.execute(
                    "SELECT session, seq, kind, payload, time FROM events ORDER BY session, seq").fetchall()
            else:
                rows = self._connection.execute(
                    "SELECT session, seq, kind, payload, time FROM events WHERE session = ? ORDER BY seq",
                    (session,)).fetchall()
        out = []
        for session_id, seq, kind, payload, time in rows:
            try:
                data = json.loads(payload)
            except ValueError:
                raise StoreError(f"{self.path}: event {seq} of session {session_id} is not JSON") from None
            out.append(Event(session_id, int(seq), kind, data, float(time)))
        return out

    def sessions(self) -> list[str]:
        """The ids of the stored sessions, in the order they were created."""
        with self._lock:
            self._check_open()
            rows = self._connection.execute(
                "SELECT session FROM events WHERE seq = 1 ORDER BY time, rowid").fetchall()
        return [row[0] for row in rows]

    def count(self, session: str | None = None, kind: str | None = None) -> int:
        """How many events are stored (of one session, of one kind)."""
        query, arguments = "SELECT COUNT(*) FROM events WHERE 1 = 1", []
        if session is not None:
            query, arguments = query + " AND session = ?", arguments + [session]
        if kind is not None:
            query, arguments = query + " AND kind = ?", arguments + [kind]
        with self._lock:
            self._check_open()
            return int(self._connection.execute(query, arguments).fetchone()[0])

    # --- server-wide values ------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """A stored server-wide value, or ``None``."""
        with self._lock:
            self._check_open()
            row = self._connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        """Store a server-wide value (committed at once)."""
        with self._lock:
            self._check_open()
            self._connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))

    def secret(self, name: str = "teacher") -> str:
        """The secret called ``name``, made once (:func:`secrets.token_urlsafe`) and kept in the file,
        so a restarted server keeps the teacher's link."""
        with self._lock:
            value = self.get_meta(f"secret:{name}")
            if value is None:
                value = secrets.token_urlsafe(24)
                self.set_meta(f"secret:{name}", value)
            return value

    # --- life ------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (later calls raise :class:`StoreError`)."""
        with self._lock:
            if not self._closed:
                self._connection.close()
                self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: the classroom store is closed")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
