"""The live classroom game: sessions of students playing the learning game, event-sourced.

A teacher opens a :class:`Session` with a :class:`~.rounds.Treatment` (power,
knowledge stakes, overlap, tacitness, ties, the shadow of the future, exit,
group size), a seed, a substitute strategy and a dropout timeout. Students join
with the session's code and get an anonymous label (``S1``, ``S2``, ...) and a
secret token; every student call carries the token, and a token maps to its
own seat only, so a student can see and change nothing but their own seat.

Protocol (laboratory practice, Dal Bo & Frechette 2011)
-------------------------------------------------------
- **Matches.** The teacher starts match ``m = 1, 2, ...``. Its length
  ``L_m ~ geometric(1 - w)`` is drawn in advance from the session's seed
  (a Generator keyed by ``(seed, m)``, :func:`.rounds.match_length`), the same
  for every pair of the match, and never shown to a student: the shadow of the
  future (Axelrod 1984) is the continuation probability ``w``, not a known
  horizon (Dal Bo & Frechette 2011 draw supergame lengths in advance and share
  them across pairs so that sessions are comparable).
- **Rematching.** At the start of each match the present students are shuffled
  by a Generator keyed by ``(seed, m)`` and paired (or grouped), avoiding the
  previous match's partners where possible (random rematching between
  supergames, Dal Bo & Frechette 2011). An odd student meets the substitute
  library strategy; in group mode (``group_size = n > 2``) groups have exactly
  ``n`` seats and the remainder's group is filled with substitute strategies
  (our choice: every group then plays the same game; extra members would change
  its size). :func:`.rounds.match_units` does this.
- **Rounds.** Each seat of a pair (group) submits GIVE, TAKE, or LEAVE when the
  treatment allows exit; each submission is stored at once. When every seat
  of the unit has chosen, the round is resolved by the engines' rules
  (:mod:`.rounds`) and stored, and the next round opens, until ``L_m`` rounds
  or the alliance closed (its remaining rounds are then recorded as EXIT, as
  the engines record them). A choice re-submitted for the same seat and round
  is idempotent.
- **Dropout.** A seat that has not chosen within ``timeout`` seconds of its
  round opening (:meth:`Session.tick`), or that the teacher marks absent, is
  played by the substitute strategy from then on in this match, its automaton
  state being the one the seat's history leads to; each such decision is marked
  ``substitute = 1``. The partner finishes against it. A dropped seat sits out
  later matches until the student comes back.
- **Reconnect.** A student whose seat was dropped and who calls again with the
  same token takes the seat back from the next round that opens (the
  substitute has already chosen in the current one).

Event sourcing
--------------
The session's state is a fold over its events (:class:`~.store.Event`): every
mutating method first computes its events from the current state, appends them
to the store (committed), and only then applies them to the in-memory state
with :meth:`Session.apply`, the one place state changes. A crash after the
commit is replayed on restart; a crash before it loses nothing a client was
told about. Kinds and payloads:

- ``create``: ``{"code", "treatment", "seed", "entropy", "substitute", "timeout"}``;
- ``join``: ``{"label", "token_hash"}`` (the token itself is never stored, only
  its SHA-256);
- ``start_match``: ``{"match", "length", "units": [[label or null, ...], ...]}``
  (``null`` is a substitute-played seat);
- ``choice``: ``{"match", "unit", "round", "slot", "label", "choice", "substitute"}``;
- ``resolve``: ``{"match", "unit", "round", "outcome", "after"}``: the outcome of
  :meth:`.rounds.Rules.resolve` and the unit's :class:`~.rounds.Relation` after it
  (a substitute's choices are ``choice`` events with ``"substitute": true``,
  stored in the same transaction as the round they complete);
- ``dropout``: ``{"label", "reason"}`` (``"timeout"`` or ``"absent"``);
- ``reconnect``: ``{"label"}``;
- ``end_match``: ``{"match"}`` (the teacher stopped it early);
- ``end``: ``{}``.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time as _time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ParameterError
from ..seeding import root_entropy
from .rounds import (
    CHOICES, SUBSTITUTE, Relation, Rules, Treatment, _library_player, match_length, match_units, parse_choice,
    unit_key,
)
from .store import Event, Store

__all__ = [
    "CODE_ALPHABET", "Classroom", "ClassroomError", "Conflict", "Forbidden", "NotFound", "Seat", "Session",
]

#: Join codes: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3469"

#: A student counts as connected in the teacher's view if seen within this many seconds.
CONNECTED_WINDOW = 10.0
#: The longest dropout timeout (a day), and the most seats a session takes.
MAX_TIMEOUT = 86_400.0
MAX_SEATS = 10_000
CODE_LENGTH = 6


class ClassroomError(ParameterError):
    """A classroom request that cannot be done, in one line; ``status`` is the HTTP status a server
    should answer with (400 unless a subclass says otherwise)."""

    status = 400


class Forbidden(ClassroomError):
    """A token that is not a seat's (or a seat asking for what is not its own)."""

    status = 403


class NotFound(ClassroomError):
    """An unknown session, join code or seat label."""

    status = 404


class Conflict(ClassroomError):
    """A request that does not fit the session's state (a round already resolved, a match running, ...)."""

    status = 409


def token_hash(token: str) -> str:
    """The SHA-256 of a token: what the store keeps (a stolen database file does not give seats away)."""
    return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).hexdigest()


def _now(now) -> float:
    if now is None:
        return _time.time()
    if isinstance(now, bool) or not isinstance(now, (int, float)) or not math.isfinite(now):
        raise ParameterError(f"now must be a finite number of seconds, got {now!r}")
    return float(now)


@dataclass
class Seat:
    """A student's seat (in memory; rebuilt from the events).

    Attributes
    ----------
    label : str
        ``S1``, ``S2``, ...: the anonymous name the data and the dashboard use.
    token_hash : str
        SHA-256 of the seat's secret token.
    joined : float
    dropped : bool
        Played by the substitute (after a timeout or being marked absent) until the student is back.
    reason : str or None
        ``"timeout"`` or ``"absent"`` while dropped.
    last_seen : float or None
        When the student last called (not stored: after a restart nobody is connected until they call).
    partners : dict
        Match number -> the labels met (``None`` for a substitute seat).
    """

    label: str
    token_hash: str
    joined: float
    dropped: bool = False
    reason: str | None = None
    last_seen: float | None = None
    partners: dict = field(default_factory=dict)


@dataclass
class _Unit:
    """A pair or group of one match (in memory)."""

    index: int
    slots: list
    relation: Relation
    opened: float
    pending: dict = field(default_factory=dict)      # slot -> (choice, substitute, time)
    rows: list = field(default_factory=list)         # per round: (outcome, choices, substitutes, times, time)
    last_substitute: dict = field(default_factory=dict)


@dataclass
class _Match:
    number: int
    length: int
    units: list
    started: float
    stopped: bool = False
    draws: dict = field(default_factory=dict)

    def finished(self) -> bool:
        return self.stopped or all(u.relation.round >= self.length for u in self.units)


class Session:
    """One live classroom session (see the module's docstring for the protocol).

    Made by :meth:`Classroom.create_session` or replayed from a store
    (:meth:`Classroom.__init__`); not constructed directly. Every public method
    is synchronous and fast, takes ``now`` (seconds; default the clock) for
    the record, and answers with plain JSON-able dicts.

    Attributes
    ----------
    id : str
    code : str
        The join code (6 characters of :data:`CODE_ALPHABET`).
    treatment : Treatment
    entropy : int
        The seed behind every draw of the session.
    substitute : str
        The substitute strategy's name.
    timeout : float or None
        Seconds a seat may take to choose before the substitute takes over (``None``: never).
    """

    def __init__(self, session_id: str, store: Store, lock=None):
        self.id = session_id
        self.store = store
        self._lock = lock if lock is not None else threading.RLock()
        self.code = ""
        self.treatment = Treatment()
        self.seed = None
        self.entropy = 0
        self.substitute = SUBSTITUTE
        self.timeout = None
        self.created = 0.0
        self.ended: float | None = None
        self.seats: dict[str, Seat] = {}
        self._by_token: dict[str, str] = {}
        self.matches: list[_Match] = []
        self.rules: Rules | None = None
        self.events_applied = 0

    # --- the fold -----------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        """Apply one stored event to the in-memory state: the only place state changes."""
        handler = getattr(self, f"_on_{event.kind}", None)
        if handler is None:
            raise ClassroomError(f"session {self.id}: unknown event kind {event.kind!r} (seq {event.seq})")
        handler(event.payload, event.time)
        self.events_applied += 1

    def _on_create(self, p, t):
        self.code = p["code"]
        self.treatment = Treatment.from_dict(p["treatment"])
        self.seed, self.entropy = p["seed"], int(p["entropy"])
        self.substitute = p["substitute"]
        self.timeout = p["timeout"]
        self.created = t
        table = _library_player(self.substitute, "substitute").compiled(self.treatment.context())
        self.rules = Rules.for_treatment(self.treatment, table)

    def _on_join(self, p, t):
        seat = Seat(p["label"], p["token_hash"], t)
        self.seats[seat.label] = seat
        self._by_token[seat.token_hash] = seat.label

    def _on_start_match(self, p, t):
        units = [_Unit(u, list(slots), self.rules.start(), t) for u, slots in enumerate(p["units"])]
        match = _Match(int(p["match"]), int(p["length"]), units, t)
        self.matches.append(match)
        for unit in units:
            for label in unit.slots:
                if label is not None:
                    self.seats[label].partners[match.number] = [o for o in unit.slots if o != label]

    def _on_choice(self, p, t):
        unit = self.matches[p["match"] - 1].units[p["unit"]]
        if p["round"] != unit.relation.round + 1:
            raise ClassroomError(f"session {self.id}: a choice for round {p['round']} of unit {p['unit']} "
                                 f"does not follow round {unit.relation.round}")
        unit.pending[int(p["slot"])] = (p["choice"], bool(p["substitute"]), t)
        unit.last_substitute[int(p["slot"])] = bool(p["substitute"])

    def _on_resolve(self, p, t):
        match = self.matches[p["match"] - 1]
        unit = match.units[p["unit"]]
        n = len(unit.slots)
        choices = [unit.pending.get(s, (None, unit.last_substitute.get(s, unit.slots[s] is None), t))
                   for s in range(n)]
        unit.rows.append((p["outcome"], [c[0] for c in choices], [c[1] for c in choices], [c[2] for c in choices], t))
        unit.relation = Relation.from_dict(p["after"])
        unit.pending = {}
        unit.opened = t
        if not unit.relation.open:
            # the engines record every later round of a closed alliance as EXIT
            closed = self.rules.closed_outcome(unit.relation)
            flags = [unit.last_substitute.get(s, unit.slots[s] is None) for s in range(n)]
            while len(unit.rows) < match.length:
                unit.rows.append((closed, [None] * n, flags, [t] * n, t))
            unit.relation = Relation(match.length, *[getattr(unit.relation, f) for f in
                                                     ("stakes", "ties", "present", "open", "ended_by", "states")])

    def _on_dropout(self, p, t):
        seat = self.seats[p["label"]]
        seat.dropped, seat.reason = True, p["reason"]

    def _on_reconnect(self, p, t):
        seat = self.seats[p["label"]]
        seat.dropped, seat.reason = False, None

    def _on_end_match(self, p, t):
        self.matches[p["match"] - 1].stopped = True

    def _on_end(self, p, t):
        self.ended = t

    def _commit(self, events: list[Event]) -> None:
        """Store the events (one transaction), then apply them: commit first, then change."""
        if not events:
            return
        stored = self.store.append(events)
        for event in stored:
            self.apply(event)

    def _event(self, kind: str, payload: dict, now: float) -> Event:
        return Event(self.id, 0, kind, payload, now)

    # --- where things are ---------------------------------------------------------------------
    @property
    def current(self) -> _Match | None:
        """The match in progress, or ``None``."""
        if self.matches and not self.matches[-1].finished():
            return self.matches[-1]
        return None

    @property
    def status(self) -> str:
        """``"ended"``, ``"playing"`` (a match runs), ``"between matches"`` or ``"waiting"`` (none yet)."""
        if self.ended is not None:
            return "ended"
        if self.current is not None:
            return "playing"
        return "between matches" if self.matches else "waiting"

    def _place(self, label: str):
        """``(match, unit, slot)`` of a seat in the current match, or ``None``."""
        match = self.current
        if match is None:
            return None
        for unit in match.units:
            for slot, other in enumerate(unit.slots):
                if other == label:
                    return match, unit, slot
        return None

    def _draw_row(self, match: _Match, unit: _Unit, round_index: int):
        draws = match.draws.get(unit.index)
        if draws is None:
            draws = self.rules.draws(self.entropy, unit_key(match.number, unit.index), match.length)
            match.draws[unit.index] = draws
        return draws[round_index]

    def _is_substitute(self, unit: _Unit, slot: int, dropped=()) -> bool:
        label = unit.slots[slot]
        return label is None or label in dropped or self.seats[label].dropped

    def _plan(self, match: _Match, unit: _Unit, now: float, pending=None, dropped=()) -> list[Event]:
        """The substitute choices and resolutions that follow from a unit's pending choices.

        Pure: reads the state, changes nothing. Loops while every slot that must
        choose has chosen: resolves the round, then lets substitute seats choose
        in the next (a unit of substitutes only plays on to its end at once).
        """
        events = []
        relation = unit.relation
        if pending is None:
            pending = {slot: chosen[0] for slot, chosen in unit.pending.items()}
        pending = dict(pending)
        while relation.open and relation.round < match.length:
            expected = self.rules.expected(relation)
            row = self._draw_row(match, unit, relation.round)
            for slot in expected:
                if slot not in pending and self._is_substitute(unit, slot, dropped):
                    choice = self.rules.substitute_choice(relation, slot, row)
                    pending[slot] = choice
                    events.append(self._event("choice", {
                        "match": match.number, "unit": unit.index, "round": relation.round + 1, "slot": slot,
                        "label": unit.slots[slot], "choice": choice, "substitute": True}, now))
            if not all(slot in pending for slot in expected):
                break
            outcome, relation = self.rules.resolve(relation, [pending.get(s) for s in range(len(unit.slots))], row)
            events.append(self._event("resolve", {
                "match": match.number, "unit": unit.index, "round": relation.round, "outcome": outcome,
                "after": relation.to_dict()}, now))
            pending = {}
        return events

    def _seat(self, token) -> Seat:
        if not isinstance(token, str) or not token or len(token) > 200:
            raise Forbidden("unknown student token")
        label = self._by_token.get(token_hash(token))
        if label is None:
            raise Forbidden("unknown student token")
        return self.seats[label]

    def label_of(self, token: str) -> str:
        """The label of the seat this token belongs to (:class:`Forbidden` for any other token)."""
        with self._lock:
            return self._seat(token).label

    # --- students -----------------------------------------------------------------------------
    def join(self, now=None) -> tuple[str, str]:
        """A new seat: ``(label, token)``. The token (:func:`secrets.token_urlsafe`) is the student's
        key to their seat; only its hash is stored. A student who joins during a match plays
        from the next one."""
        with self._lock:
            now = _now(now)
            if self.ended is not None:
                raise Conflict("this session has ended")
            if len(self.seats) >= MAX_SEATS:
                raise Conflict(f"this session is full ({MAX_SEATS:,} seats)")
            token = secrets.token_urlsafe(24)
            label = f"S{len(self.seats) + 1}"
            self._commit([self._event("join", {"label": label, "token_hash": token_hash(token)}, now)])
            self.seats[label].last_seen = now
            return label, token

    def _touch(self, seat: Seat, now: float) -> None:
        """A call from the student: they are connected; a dropped seat is taken back."""
        seat.last_seen = now
        if seat.dropped and self.ended is None:
            self._commit([self._event("reconnect", {"label": seat.label}, now)])

    def student_view(self, token: str, now=None) -> dict:
        """What the student with this token sees (their seat only), as a JSON-able dict.

        Keys: ``session``, ``label``, ``status`` (``"waiting"``: no match for
        this seat yet; ``"match over"``: the seat's match has ended and the next
        has not started (``history`` is that match's); ``"choose"``: a round waits for the seat's choice;
        ``"chosen"``: waiting for the others; ``"substitute"``: the substitute
        plays this round for the seat, which is the student's again from the
        next; ``"left"``: the seat's alliance is closed (or it left its group)
        and the match goes on for others; ``"ended"``: the session is over),
        ``match`` and ``round`` (1-based, the round to choose, or ``None``),
        ``chosen`` (this round's choice or ``None``), ``choices``,
        ``exit_allowed``, ``group_size``, ``stakes`` (``{"you", "partner"}``:
        knowledge each still lacks; a group's partner value is the others'
        mean), ``power`` (``partner - you``), ``tie`` (a pair's tie strength,
        a group's mean over the seat's relations), ``open``, ``history`` (this
        match's rounds: ``round``, ``you`` (your move), ``partner`` (what you
        saw: GIVE if knowledge reached you, EXIT after the alliance closed;
        in a group GIVE when enough of the others' gives reached you),
        ``received`` (gives that reached you), ``payoff``, ``stakes_after``),
        ``match_total``, ``total`` (all matches) and ``matches`` (each
        finished match's rounds and total). The match length is never in it
        (Dal Bo & Frechette 2011: the horizon is unknown); nothing of another
        seat but what this seat saw.

        Raises
        ------
        Forbidden
            For a token that is not a seat's.
        """
        with self._lock:
            now = _now(now)
            seat = self._seat(token)
            self._touch(seat, now)
            return self._student_view(seat)

    def choose(self, token: str, match: int, round: int, choice, now=None) -> dict:
        """Submit the seat's choice for round ``round`` of match ``match``; returns :meth:`student_view`.

        Idempotent: the same choice sent again for a round already chosen (or
        already resolved) changes nothing. A different choice for a round
        already chosen, a round that is not open for the seat, or an exit when
        the treatment has none, is refused in one line.

        Raises
        ------
        Forbidden
            For a token that is not a seat's.
        Conflict
            The round is not the seat's open round, or it chose otherwise already.
        ParameterError
            A choice that is not GIVE, TAKE or LEAVE.
        """
        with self._lock:
            now = _now(now)
            seat = self._seat(token)
            choice = parse_choice(choice, self.treatment.exit)
            for name, value in (("match", match), ("round", round)):
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ClassroomError(f"{name} must be a whole number >= 1, got {value!r}"[:200])
            self._touch(seat, now)
            recorded = self._recorded_choice(seat.label, match, round)
            if recorded is not None:
                if recorded == choice:
                    return self._student_view(seat)
                raise Conflict(f"round {round} of match {match} is already chosen ({_shown(recorded)})")
            place = self._place(seat.label)
            if self.ended is not None:
                raise Conflict("this session has ended")
            if place is None or place[0].number != match:
                raise Conflict(f"match {match} is not running for {seat.label}")
            current, unit, slot = place
            relation = unit.relation
            if not relation.open or relation.round >= current.length or slot not in self.rules.expected(relation):
                raise Conflict(f"{seat.label} has no round to choose in match {match}")
            if round != relation.round + 1:
                raise Conflict(f"round {round} is not open (the open round is {relation.round + 1})")
            if slot in unit.pending:  # the substitute chose this round for the seat (before it came back)
                raise Conflict(f"round {round} of match {match} was played by the substitute; "
                               f"{seat.label} plays again from round {round + 1}")
            pending = {s: chosen[0] for s, chosen in unit.pending.items()}
            pending[slot] = choice
            events = [self._event("choice", {"match": match, "unit": unit.index, "round": round, "slot": slot,
                                             "label": seat.label, "choice": choice, "substitute": False}, now)]
            events += self._plan(current, unit, now, pending)
            self._commit(events)
            return self._student_view(seat)

    def _recorded_choice(self, label: str, match: int, round: int):
        """The choice the seat made itself for that round, if any (pending or resolved)."""
        if not 1 <= match <= len(self.matches):
            return None
        m = self.matches[match - 1]
        for unit in m.units:
            if label in unit.slots:
                slot = unit.slots.index(label)
                if round == unit.relation.round + 1 and slot in unit.pending:
                    choice, substitute, _ = unit.pending[slot]
                    return None if substitute else choice
                if 1 <= round <= len(unit.rows):
                    _, choices, substitutes, _, _ = unit.rows[round - 1]
                    return None if substitutes[slot] else choices[slot]
        return None

    def _student_view(self, seat: Seat) -> dict:
        n = self.treatment.group_size
        view = {
            "session": self.id, "label": seat.label, "status": "waiting", "match": None, "round": None,
            "chosen": None, "choices": ["GIVE", "TAKE", "LEAVE"] if self.treatment.exit else ["GIVE", "TAKE"],
            "exit_allowed": self.treatment.exit, "group_size": n, "stakes": None, "power": None, "tie": None,
            "open": None, "history": [], "match_total": 0.0, "total": 0.0, "matches": [],
        }
        totals = []
        for match in self.matches:
            for unit in match.units:
                if seat.label in unit.slots:
                    slot = unit.slots.index(seat.label)
                    total = math.fsum(row[0]["payoffs"][slot] for row in unit.rows)
                    if match is not self.current:
                        view["matches"].append({"match": match.number, "rounds": len(unit.rows), "total": total})
                    totals.append(total)
        view["total"] = math.fsum(totals)
        if self.ended is not None:
            view["status"] = "ended"
            return view
        place = self._place(seat.label)
        finished = place is None
        if finished:
            # between matches: the seat's last match, if it was in the session's latest one
            if not self.matches or seat.label not in self.seats or self.matches[-1].number not in seat.partners:
                return view
            match = self.matches[-1]
            unit = next(u for u in match.units if seat.label in u.slots)
            place = (match, unit, unit.slots.index(seat.label))
        match, unit, slot = place
        relation = unit.relation
        view["match"] = match.number
        stakes = relation.stakes
        partner = self.rules._powers(relation)[slot] + stakes[slot]
        view["stakes"] = {"you": int(stakes[slot]), "partner": int(partner)}
        view["power"] = int(partner - stakes[slot])
        view["tie"] = self._seat_tie(relation.ties, slot)
        view["open"] = bool(relation.open)
        history = []
        for t, (outcome, choices, substitutes, _, _) in enumerate(unit.rows):
            moves = outcome["moves"]
            if moves[slot] == 2 and not outcome.get("open_after", True) and choices[slot] is None:
                seen = "EXIT"
            elif n == 2 and moves[1 - slot] == 2:
                seen = "EXIT"
            else:
                seen = "GIVE" if outcome["seen"][slot] else "TAKE"
            history.append({"round": t + 1, "you": CHOICES[moves[slot]], "partner": seen,
                            "received": int(outcome["received"][slot]), "payoff": outcome["payoffs"][slot],
                            "stakes_after": int(outcome["stakes_after"][slot]), "substitute": bool(substitutes[slot])})
        view["history"] = history
        view["match_total"] = math.fsum(h["payoff"] for h in history)
        if finished:
            view["status"] = "match over"
            return view
        expected = self.rules.expected(relation) if relation.round < match.length else []
        if slot not in expected:
            view["status"] = "left"
            return view
        view["round"] = relation.round + 1
        if slot in unit.pending:
            choice, substitute, _ = unit.pending[slot]
            view["status"] = "substitute" if substitute else "chosen"
            view["chosen"] = None if substitute else ("LEAVE" if choice == "EXIT" else choice)
        else:
            view["status"] = "choose"
        return view

    def _seat_tie(self, ties, slot: int):
        if not self.rules.is_group:
            return int(ties[0])
        pairs = self.rules.pairs
        mine = [ties[q] for q in range(len(ties)) if pairs.first[q] == slot]
        return float(np.mean(mine)) if mine else 0.0

    # --- the teacher ----------------------------------------------------------------------------
    def start_match(self, now=None) -> dict:
        """Start the next match: draw its seats' pairs (groups), its length, and let substitutes choose.

        The present seats (joined, not dropped) are matched by :func:`.rounds.match_units`
        (seeded, avoiding the previous match's partners); the length is
        :func:`.rounds.match_length` of the seed. Returns ``{"match", "units", "seats"}``
        (no length: it stays hidden while the match runs).

        Raises
        ------
        Conflict
            A match is running, the session has ended, or no student is present.
        """
        with self._lock:
            now = _now(now)
            if self.ended is not None:
                raise Conflict("this session has ended")
            if self.current is not None:
                raise Conflict(f"match {self.current.number} is still running")
            present = [label for label, seat in self.seats.items() if not seat.dropped]
            if not present:
                raise Conflict("no student is present to play")
            number = len(self.matches) + 1
            length = match_length(self.entropy, number, self.treatment)
            previous = {}
            if self.matches:
                last = self.matches[-1].number
                previous = {label: set(seat.partners.get(last, ())) for label, seat in self.seats.items()}
                robots = {label for label, met in previous.items() if None in met}
                previous[None] = robots
            units = match_units(self.entropy, number, present, self.treatment.group_size, previous)
            events = [self._event("start_match", {"match": number, "length": length, "units": units}, now)]
            # substitutes choose round 1 (their seats' slots); a unit of substitutes only plays out
            planned = self._preview_match(number, length, units, now)
            self._commit(events + planned)
            return {"match": number, "units": len(units), "seats": len(present)}

    def _preview_match(self, number, length, units, now) -> list[Event]:
        match = _Match(number, length, [_Unit(u, list(s), self.rules.start(), now) for u, s in enumerate(units)], now)
        events = []
        for unit in match.units:
            events += self._plan(match, unit, now)
        return events

    def end_match(self, now=None) -> dict:
        """Stop the running match early; returns the teacher view.

        Its unplayed rounds are not recorded; choices already made in a round
        that no longer resolves stay in the store (``choice`` events) but are
        not decisions of the export (no round was played)."""
        with self._lock:
            now = _now(now)
            match = self.current
            if match is None:
                raise Conflict("no match is running")
            self._commit([self._event("end_match", {"match": match.number}, now)])
            return self.teacher_view(now)

    def end_session(self, now=None) -> dict:
        """End the session (a running match is stopped first); returns the teacher view."""
        with self._lock:
            now = _now(now)
            if self.ended is not None:
                return self.teacher_view(now)
            events = []
            if self.current is not None:
                events.append(self._event("end_match", {"match": self.current.number}, now))
            events.append(self._event("end", {}, now))
            self._commit(events)
            return self.teacher_view(now)

    def mark_absent(self, label: str, now=None) -> dict:
        """The teacher marks seat ``label`` absent: the substitute plays it from now on in this match
        (and its pending round, if it has not chosen), and it sits out later matches until the
        student calls again. Returns the teacher view."""
        with self._lock:
            now = _now(now)
            if not isinstance(label, str) or label not in self.seats:
                raise NotFound(f"no seat {label!r} in this session"[:200])
            if self.ended is not None:
                raise Conflict("this session has ended")
            if not self.seats[label].dropped:
                self._commit(self._dropout_events(label, "absent", now))
            return self.teacher_view(now)

    def _dropout_events(self, label: str, reason: str, now: float) -> list[Event]:
        events = [self._event("dropout", {"label": label, "reason": reason}, now)]
        place = self._place(label)
        if place is not None:
            match, unit, _ = place
            events += self._plan(match, unit, now, dropped={label})
        return events

    def tick(self, now=None) -> int:
        """Apply dropout timeouts: each seat that has not chosen within :attr:`timeout` seconds of its
        round opening is dropped (the substitute chooses for it). The server calls this
        periodically; returns how many seats were dropped."""
        with self._lock:
            now = _now(now)
            match = self.current
            if self.timeout is None or match is None or self.ended is not None:
                return 0
            dropped = 0
            for unit in match.units:
                while unit.relation.round < match.length and now - unit.opened >= self.timeout:
                    late = [unit.slots[s] for s in self.rules.expected(unit.relation)
                            if unit.slots[s] is not None and s not in unit.pending
                            and not self.seats[unit.slots[s]].dropped]
                    if not late:
                        break
                    self._commit(self._dropout_events(late[0], "timeout", now))
                    dropped += 1
            return dropped

    def teacher_view(self, now=None) -> dict:
        """The dashboard's data, as a JSON-able dict.

        Keys: ``session``, ``code``, ``status`` (:attr:`status`), ``treatment``,
        ``seed``, ``substitute``, ``timeout``, ``match`` (the running match's
        number or ``None``), ``matches`` (number of matches started), ``seats``
        (per seat: ``label``, ``connected``, ``last_seen`` (seconds ago or
        ``None``), ``dropped``, ``reason``, ``unit``, ``slot``, ``status`` as the
        student sees it), ``units`` (the running match: per pair/group
        ``unit``, ``seats`` (labels, ``None`` for a substitute), ``round``
        (rounds played), ``open``, ``ended_by``, ``waiting_for`` (labels)),
        ``giving_by_round`` (per match and round: ``gives``, ``moves`` (GIVE or
        TAKE played), ``share``), ``mutual_giving`` (per match and round:
        ``mutual`` pairs of seats that both gave, ``pairs`` open pairs of
        seats, ``share``), ``power_gaps`` (per match and round: ``mean`` and
        ``max`` of ``|K_i - K_j|`` over the pairs of seats after the round),
        ``exits`` (per unit that closed: ``match``, ``unit``, ``round``,
        ``ended_by``, ``seats``), and ``lengths`` (the lengths of finished
        matches only). Seats played by substitutes count in the figures (the
        data mark them).
        """
        with self._lock:
            now = _time.time() if now is None else _now(now)
            current = self.current
            seats = []
            for label, seat in self.seats.items():
                place = self._place(label)
                seats.append({
                    "label": label, "connected": seat.last_seen is not None and now - seat.last_seen
                    <= CONNECTED_WINDOW, "last_seen": None if seat.last_seen is None else max(0.0, now -
                                                                                               seat.last_seen),
                    "dropped": seat.dropped, "reason": seat.reason,
                    "unit": place[1].index if place else None, "slot": place[2] if place else None,
                    "status": self._student_view(seat)["status"],
                })
            units = []
            if current is not None:
                for unit in current.units:
                    relation = unit.relation
                    expected = self.rules.expected(relation) if relation.round < current.length else []
                    units.append({
                        "unit": unit.index, "seats": list(unit.slots), "round": len(unit.rows),
                        "open": relation.open and relation.round < current.length, "ended_by": relation.ended_by,
                        "stakes": list(relation.stakes),
                        "waiting_for": [unit.slots[s] for s in expected if s not in unit.pending],
                    })
            giving, mutual, gaps, exits = [], [], [], []
            for match in self.matches:
                rounds = max((len(u.rows) for u in match.units), default=0)
                for t in range(rounds):
                    gives = moves = both = relations = 0
                    spread = []
                    for unit in match.units:
                        if t >= len(unit.rows):
                            continue
                        outcome = unit.rows[t][0]
                        played = [m for m in outcome["moves"] if m != 2]
                        gives += sum(played)
                        moves += len(played)
                        n = len(outcome["moves"])
                        after = outcome["stakes_after"]
                        for i in range(n):
                            for j in range(i + 1, n):
                                if outcome["moves"][i] != 2 and outcome["moves"][j] != 2:
                                    relations += 1
                                    both += outcome["moves"][i] == 1 and outcome["moves"][j] == 1
                                    spread.append(abs(after[i] - after[j]))
                    giving.append({"match": match.number, "round": t + 1, "gives": gives, "moves": moves,
                                   "share": gives / moves if moves else None})
                    mutual.append({"match": match.number, "round": t + 1, "mutual": both, "pairs": relations,
                                   "share": both / relations if relations else None})
                    gaps.append({"match": match.number, "round": t + 1,
                                 "mean": float(np.mean(spread)) if spread else None,
                                 "max": int(max(spread)) if spread else None})
                for unit in match.units:
                    for t, row in enumerate(unit.rows):
                        if not row[0]["open_after"] and (t == 0 or unit.rows[t - 1][0]["open_after"]):
                            exits.append({"match": match.number, "unit": unit.index, "round": t + 1,
                                          "ended_by": row[0]["ended_by"], "seats": list(unit.slots)})
                            break
            return {
                "session": self.id, "code": self.code, "status": self.status, "treatment": self.treatment.to_dict(),
                "seed": self.seed, "substitute": self.substitute, "timeout": self.timeout,
                "match": current.number if current is not None else None, "matches": len(self.matches),
                "seats": seats, "units": units, "giving_by_round": giving, "mutual_giving": mutual,
                "power_gaps": gaps, "exits": exits,
                "lengths": [{"match": m.number, "length": m.length} for m in self.matches if m.finished()],
            }

    # --- data ---------------------------------------------------------------------------------
    def decisions(self) -> list[dict]:
        """One row per seat and round played (EXIT rows after an alliance closed, as the engines
        record them), the columns of :data:`.export.DECISION_COLUMNS`, in the order match,
        unit, round, slot."""
        from .export import decision_rows

        with self._lock:
            return decision_rows(self)


def _shown(choice: str) -> str:
    return "LEAVE" if choice == "EXIT" else choice


class Classroom:
    """Every session of a server, kept in one store and rebuilt from it.

    Parameters
    ----------
    store : Store, str or Path, optional
        The store (or its file); default an in-memory store. Its sessions are
        replayed from their events, so a server restarted on the same file
        carries on where it was.

    Examples
    --------
    >>> room = Classroom()
    >>> session = room.create_session({"continuation": 0.5}, seed=1, now=0.0)
    >>> label, token = session.join(now=1.0)
    >>> label
    'S1'
    """

    def __init__(self, store: Store | str | Path | None = None):
        self.store = store if isinstance(store, Store) else Store(":memory:" if store is None else store)
        self._lock = threading.RLock()
        self.sessions: dict[str, Session] = {}
        events = self.store.events()
        for event in events:
            session = self.sessions.get(event.session)
            if session is None:
                if event.kind != "create":
                    raise ClassroomError(f"{self.store.path}: session {event.session} does not start with 'create'")
                session = self.sessions[event.session] = Session(event.session, self.store, self._lock)
            session.apply(event)

    def create_session(self, treatment=None, seed=None, substitute: str = SUBSTITUTE, timeout=60.0,
                       now=None) -> Session:
        """Open a session.

        Parameters
        ----------
        treatment : Treatment or dict, optional
            The game and protocol (:class:`~.rounds.Treatment`); default its defaults.
        seed : int, optional
            ``None`` draws fresh entropy (stored, so the session can be replayed).
        substitute : str
            The library strategy that plays odd seats and dropped seats (default Tit For Tat).
        timeout : float or None
            Seconds before a seat that has not chosen is dropped; ``None`` never.
        now : float, optional
        """
        with self._lock:
            now = _now(now)
            treatment = Treatment.from_dict(treatment)
            entropy = root_entropy(seed)
            player = _library_player(substitute, "substitute")
            player.compiled(treatment.context())
            if timeout is not None:
                if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (
                        math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
                    raise ParameterError(f"timeout must be a number of seconds in (0, {MAX_TIMEOUT:g}], "
                                         f"got {timeout!r}"[:200])
                timeout = float(timeout)
            live = {s.code for s in self.sessions.values() if s.ended is None}
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if code not in live:
                    break
            session_id = secrets.token_hex(8)
            session = Session(session_id, self.store, self._lock)
            session._commit([Event(session_id, 0, "create", {
                "code": code, "treatment": treatment.to_dict(), "seed": seed, "entropy": entropy,
                "substitute": substitute, "timeout": timeout}, now)])
            self.sessions[session_id] = session
            return session

    def session(self, session_id: str) -> Session:
        """The session with this id (:class:`NotFound` otherwise)."""
        session = self.sessions.get(session_id) if isinstance(session_id, str) else None
        if session is None:
            raise NotFound(f"no session {session_id!r}"[:200])
        return session

    def find(self, code: str) -> Session:
        """The open session with this join code (any case; :class:`NotFound` otherwise)."""
        if isinstance(code, str):
            code = code.strip().upper()
            for session in self.sessions.values():
                if session.code == code and session.ended is None:
                    return session
        raise NotFound(f"no open session with code {code!r}"[:200])

    def join(self, code: str, now=None) -> tuple[Session, str, str]:
        """Join the open session with this code: ``(session, label, token)``."""
        with self._lock:
            session = self.find(code)
            label, token = session.join(now)
            return session, label, token

    def seat(self, token: str) -> tuple[Session, str]:
        """The session and seat label a student token belongs to (:class:`Forbidden` otherwise)."""
        with self._lock:
            if isinstance(token, str) and token and len(token) <= 200:
                digest = token_hash(token)
                for session in self.sessions.values():
                    label = session._by_token.get(digest)
                    if label is not None:
                        return session, label
            raise Forbidden("unknown student token")

    def tick(self, now=None) -> int:
        """:meth:`Session.tick` for every session; returns the seats dropped."""
        with self._lock:
            now = _now(now)
            return sum(session.tick(now) for session in self.sessions.values())

    def close(self) -> None:
        """Close the store."""
        self.store.close()
