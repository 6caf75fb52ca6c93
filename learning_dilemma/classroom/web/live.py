"""The live classroom behind the web app: requests checked, sessions asked, answers shaped.

:class:`Live` wraps a :class:`~learning_dilemma.classroom.session.Classroom`
(every session of the server, replayed from the store) for the routes of
:mod:`.app`. It knows nothing of HTTP: it takes plain values (request bodies
already read as JSON objects, the student's token) and returns JSON-able dicts,
raising :class:`~learning_dilemma.errors.ParameterError` (400) or the
classroom's errors, whose ``status`` says 403 (not this seat's token), 404 (no
such session or seat) or 409 (not now: a match running, a round already
resolved).

Who may do what is checked here for the student routes: a token opens its
own seat only, so a request naming another seat (of this session or any
other) with it is refused with 403, whatever the seat; the teacher's routes are
checked by the app before they reach :class:`Live`.
"""

from __future__ import annotations

import math
import threading

from ...errors import ParameterError
from ..session import Classroom, Forbidden

__all__ = ["ANALYSIS_BOOTSTRAP", "CREATE_KEYS", "Live", "qr_svg", "subjects_of"]

#: Keys a request to open a session may hold.
CREATE_KEYS = ("treatment", "substitute", "timeout")
#: Bootstrap replicates of the end-of-session estimation (standard errors over students).
ANALYSIS_BOOTSTRAP = 100
#: Seconds a seat may take to choose before the substitute plays it, unless the teacher says otherwise.
DEFAULT_TIMEOUT = 90.0


def _keys(data, allowed, what: str) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{what} must be a JSON object")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        known = ", ".join(allowed) if allowed else "nothing"
        raise ParameterError(f"unknown key {str(unknown[0])[:40]!r} in {what} (it takes {known})")
    return data


def qr_svg(text: str) -> str:
    """The QR code of ``text`` as an inline SVG (segno), sized by its viewBox."""
    import segno

    return segno.make(text, error="m").svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff")


def subjects_of(session) -> dict:
    """Each student's recorded play in the form :func:`~learning_dilemma.classroom.estimate.estimate_strategies`
    takes: label -> matches -> rounds, from the session's decision rows (:mod:`..export`).

    A round is the student's own choice as made, the partner's move as the
    student saw it (a pair: EXIT where the partner left this round, else GIVE
    where the partner's give reached the student, TAKE otherwise; a group: the
    quorum observation, ``seen``), the stakes at the start of the round (own,
    and the partner's: own plus the power position) and whether the substitute
    chose. Rounds in which nobody chose (after the alliance closed, or after the
    student left a group) are left out, as the estimation leaves them out.
    """
    from ..export import decision_rows

    rows = decision_rows(session)
    pair = session.treatment.group_size == 2
    levels = session.treatment.knowledge_levels
    choice_at = {(r["match"], r["unit"], r["round"], r["slot"]): r["choice"] for r in rows}
    by_seat: dict = {}
    for row in rows:
        if not row["student"] or not row["choice"]:
            continue
        partner = "GIVE" if row["seen"] else "TAKE"
        if pair and choice_at.get((row["match"], row["unit"], row["round"], 1 - row["slot"])) == "EXIT":
            partner = "EXIT"
        entry = {"own": _code(row["choice"]), "partner": _code(partner), "substitute": bool(row["substitute"])}
        if levels:
            own = int(row["stakes_before"])
            entry["own_stakes"] = own
            entry["partner_stakes"] = min(levels, max(0, own + int(row["power_before"])))
        by_seat.setdefault(row["seat"], {}).setdefault(int(row["match"]), []).append((int(row["round"]), entry))
    return {label: [[entry for _, entry in sorted(matches[m], key=lambda p: p[0])] for m in sorted(matches)]
            for label, matches in by_seat.items()}


def _code(choice) -> int:
    return {"TAKE": 0, "GIVE": 1, "EXIT": 2, "LEAVE": 2}[str(choice).upper()]


class Live:
    """The classroom's sessions, as the web app's routes use them.

    Parameters
    ----------
    store : Store
    seed : int, optional
        With a seed, the ``k``-th session opened on this store (0-based) gets
        seed ``seed + k``; without, each session draws fresh entropy (stored
        with it either way).
    clock : callable
        Seconds since the epoch.
    """

    def __init__(self, store, seed=None, clock=None):
        import time

        self.room = Classroom(store)
        self.seed = seed
        self.clock = clock or time.time
        self._analyses: dict = {}
        self._analysis_lock = threading.Lock()

    # --- the teacher -------------------------------------------------------------------------
    def sessions(self) -> list[dict]:
        """Every session of the store, newest first: ``id``, ``code``, ``students``, ``matches``, ``ended``."""
        out = []
        for session in self.room.sessions.values():
            out.append({"id": session.id, "code": session.code, "students": len(session.seats),
                        "matches": len(session.matches), "ended": session.ended is not None,
                        "created": session.created})
        return sorted(out, key=lambda s: -s["created"])

    def create(self, data, origin: str) -> dict:
        """Open a session (``treatment``, ``substitute``, ``timeout`` in seconds or null); returns its dashboard."""
        data = _keys(data, CREATE_KEYS, "the request")
        treatment = data.get("treatment", {})
        if not isinstance(treatment, dict):
            raise ParameterError("treatment must be an object of settings")
        seed = None if self.seed is None else self.seed + len(self.room.sessions)
        session = self.room.create_session(treatment, seed=seed, substitute=data.get("substitute", "Tit For Tat"),
                                           timeout=data.get("timeout", DEFAULT_TIMEOUT), now=self.clock())
        return self.dashboard(session.id, origin)

    def dashboard(self, session_id: str, origin: str) -> dict:
        """The teacher's view (:meth:`.Session.teacher_view`) with the join link, its QR code, the
        decisions stored, and the live charts' series per match."""
        session = self.room.session(session_id)
        self.room.tick(self.clock())  # timeouts are applied at least as often as the dashboard looks
        view = session.teacher_view(self.clock())
        join_url = f"{origin}/join?code={session.code}"
        seats = [{"label": s["label"], "status": "absent" if s["dropped"] else "present",
                  "reason": s["reason"], "connected": s["connected"], "waiting": s["status"] == "choose",
                  "decisions": 0} for s in view["seats"]]
        counts = {}
        total = 0
        for row in session.decisions():
            total += 1
            if row["student"] and row["choice"] and not row["substitute"]:
                counts[row["seat"]] = counts.get(row["seat"], 0) + 1
        for seat in seats:
            seat["decisions"] = counts.get(seat["label"], 0)
        charts: dict = {}
        for key, source, field in (("giving", "giving_by_round", "share"), ("mutual", "mutual_giving", "share"),
                                   ("power_gap", "power_gaps", "mean")):
            for entry in view[source]:
                charts.setdefault(entry["match"], {}).setdefault(key, []).append([entry["round"], entry[field]])
        for number in range(1, view["matches"] + 1):
            match = charts.setdefault(number, {})
            for key in ("giving", "mutual", "power_gap"):
                match.setdefault(key, [])
            rounds = len(match["giving"])
            units = max(1, len(session.matches[number - 1].units))
            closed = [0] * rounds
            for exit in view["exits"]:
                if exit["match"] == number:
                    for t in range(exit["round"] - 1, rounds):
                        closed[t] += 1
            match["closed"] = [[t + 1, closed[t] / units] for t in range(rounds)]
        units = view["units"]
        return {
            "id": session.id, "code": session.code, "join_url": join_url, "qr_svg": qr_svg(join_url),
            "treatment": view["treatment"], "status": view["status"], "playing": view["status"] == "playing",
            "ended": view["status"] == "ended", "match": view["matches"], "units": len(units),
            "units_open": sum(1 for u in units if u["open"]), "seats": seats, "decisions": total,
            "charts": {"matches": [dict(match=number, **charts[number]) for number in sorted(charts)]},
            "exits": view["exits"], "lengths": view["lengths"], "substitute": view["substitute"],
            "timeout": view["timeout"],
        }

    def start(self, session_id: str, data) -> dict:
        """Start the next match."""
        _keys(data, (), "the request")
        return self.room.session(session_id).start_match(self.clock())

    def stop(self, session_id: str, data) -> dict:
        """End the running match now."""
        _keys(data, (), "the request")
        self.room.session(session_id).end_match(self.clock())
        return {"ok": True}

    def absent(self, session_id: str, data) -> dict:
        """Mark a seat absent (``label``): the substitute plays it until the student is back."""
        data = _keys(data, ("label",), "the request")
        label = data.get("label")
        if not isinstance(label, str):
            raise ParameterError("label must be a seat's label, such as S3")
        self.room.session(session_id).mark_absent(label, self.clock())
        return {"ok": True}

    def end(self, session_id: str, data) -> dict:
        """End the session."""
        _keys(data, (), "the request")
        self.room.session(session_id).end_session(self.clock())
        return {"ok": True}

    def analysis(self, session_id: str) -> dict:
        """The strategy frequency estimation of the class and how its mix fares (computed once per state).

        Returns ``{"estimate": None, "message"}`` while no student has a decision of their own.
        """
        from ..estimate import estimate_strategies, mix_outcomes

        session = self.room.session(session_id)
        key = (session_id, session.events_applied)
        with self._analysis_lock:
            if key in self._analyses:
                return self._analyses[key]
            subjects = subjects_of(session)
            if not any(not e["substitute"] for matches in subjects.values() for rounds in matches for e in rounds):
                return {"estimate": None, "message": "No decision recorded yet: play a match first."}
            context = session.treatment.context()
            estimate = estimate_strategies(subjects, context=context, exit_allowed=session.treatment.exit,
                                           bootstrap=ANALYSIS_BOOTSTRAP, seed=session.entropy % (2 ** 32))
            outcome = mix_outcomes(estimate, session.treatment.game(), **_length(session.treatment))
            tournament = outcome["tournament"]
            ranking = sorted(zip(tournament["roster"], tournament["scores"]), key=lambda p: -p[1])
            ranking.insert(tournament["mix_rank"] - 1, ("the class's mix", tournament["mix_score"]))
            result = {
                "estimate": {
                    "table": [{k: _number(v) for k, v in row.items()} for row in estimate.table()],
                    "error": _number(estimate.error), "error_se": _number(estimate.error_se),
                    "decisions": int(estimate.decisions), "subjects": len(estimate.subjects),
                    "warnings": list(estimate.warnings), "actions": int(estimate.actions),
                },
                "mix": {
                    "names": list(outcome["names"]), "shares": _number(list(outcome["shares"])),
                    "mix_score": _number(tournament["mix_score"]), "mix_rank": int(tournament["mix_rank"]),
                    "ranking": [{"name": name, "value": _number(score)} for name, score in ranking],
                    "replicator": {
                        "times": _number(list(outcome["replicator"]["times"])),
                        "shares": [_number(list(row)) for row in outcome["replicator"]["shares"]],
                        "survivors": list(outcome["replicator"]["survivors"]),
                        "give_rate": _number(outcome["replicator"]["give_rate"]),
                    },
                    "notes": list(outcome["notes"]),
                },
            }
            self._analyses = {key: result}  # the latest only
            return result

    def export_csv(self, session_id: str) -> str:
        """The session's decisions as tidy CSV (:mod:`learning_dilemma.classroom.export`)."""
        from ..export import decisions_csv

        return decisions_csv(self.room.session(session_id).decisions())

    # --- students -----------------------------------------------------------------------------
    def join(self, data) -> dict:
        """A student joins with ``code``: ``{"session", "label", "token"}``."""
        data = _keys(data, ("code",), "the request")
        code = data.get("code")
        if not isinstance(code, str) or not 1 <= len(code.strip()) <= 12:
            raise ParameterError("code must be the session's join code (6 characters)")
        session, label, token = self.room.join(code, self.clock())
        return {"session": session.id, "label": label, "token": token}

    def _own(self, session_id: str, label: str, token: str):
        session = self.room.session(session_id)
        try:
            own = session.label_of(token)
        except Forbidden:
            raise Forbidden("this is not your seat (unknown student token)") from None
        if own != label:
            raise Forbidden(f"this is not your seat: your token opens {own} only")
        return session

    def seat(self, session_id: str, label: str, token: str) -> dict:
        """The seat's own state (:meth:`.Session.student_view`), for its token only (403 otherwise)."""
        session = self._own(session_id, label, token)
        return session.student_view(token, self.clock())

    def choose(self, session_id: str, label: str, token: str, data) -> dict:
        """The seat's choice (``match``, ``round``, ``choice``) for its open round."""
        data = _keys(data, ("match", "round", "choice"), "the request")
        session = self._own(session_id, label, token)
        for key in ("match", "round", "choice"):
            if key not in data:
                raise ParameterError(f"{key} is missing (a choice names its match, round and choice)")
        return session.choose(token, data["match"], data["round"], data["choice"], self.clock())

    def tick(self) -> int:
        """Apply dropout timeouts now."""
        return self.room.tick(self.clock())


def _length(treatment) -> dict:
    return {"turns": treatment.turns} if treatment.turns is not None else {"continuation": treatment.continuation}


def _number(x):
    if isinstance(x, (list, tuple)):
        return [_number(v) for v in x]
    if x is None or isinstance(x, str):
        return x
    x = float(x)
    return round(x, 6) if math.isfinite(x) else None
