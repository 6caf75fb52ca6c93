"""The journal of a sweep: finished points on disk, so a sweep resumes.

A journal is a JSON-lines file. Its first line names the sweep that wrote it
(its :func:`fingerprint`) and the :data:`RECORD_VERSION` of its records; each
further line is one finished point and carries the fingerprint too (field
``sweep``). A journal is only resumed by the same sweep at the same record
version, and only if every record in it is that sweep's: anything else is
refused with a one-line error naming the line, so a resumed sweep never mixes
old results with new, nor another run's results with its own.

Damage. A record counts only once its line is complete: a last line without
its newline is an unfinished write (the run was interrupted while writing) and
is dropped, and the point runs again; a resumed run cuts it off before
appending. Any other line that is not a record of this sweep (garbage, a
record of another sweep, a point that is not on the grid) is a one-line error
saying which line: the journal cannot be trusted, so nothing is merged.

A new journal never destroys an old one before it has started: without
``resume``, a journal already in the folder is kept until the new run has
journalled its first finished points (the new journal is written as
``journal.jsonl.new`` and then renamed over it); a run that fails before
that leaves the old journal as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import numpy as np

from ..errors import ParameterError

__all__ = ["RECORD_VERSION", "Journal", "fingerprint"]

#: What a point's record means. Part of every sweep's fingerprint and written in
#: the journal's header: bump it when what a point records changes meaning, so
#: that a resumed sweep never mixes old records with new ones.
#: 2: replicator runs stop only at saturated rest points; the ``settled`` column.
#: 3: the evolved give rates are named ``evolved_give_rate`` and
#: ``evolved_give_rate_small_mutations`` (were ``evolved_giving``,
#: ``evolved_giving_small_mutations``); the fingerprint covers the validated
#: scenario, not its file.
#: 4: every record carries its sweep's fingerprint (``sweep``), so a record
#: written by another run is found. Journals of versions 3 and below are refused.
#: 5: the second edition's game (issue 15): the same scenario values now mean
#: another game (power from dependence splitting only the created value, exit,
#: knowledge stakes, overlap, ties), so a first-edition journal is refused.
RECORD_VERSION = 5


def fingerprint(*parts) -> str:
    """A short hash naming a sweep's inputs, so a journal is only resumed by
    the same sweep.

    Parameters
    ----------
    *parts
        JSON-able values (others are written with :class:`str`); dict keys
        are sorted, so equal dicts give equal fingerprints.

    Returns
    -------
    str
        16 hexadecimal digits.

    Examples
    --------
    >>> fingerprint({"a": 1, "b": 2}) == fingerprint({"b": 2, "a": 1})
    True
    """
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Journal:
    """Append-only record of finished points (JSON lines).

    Parameters
    ----------
    path : path-like
        The journal file (``journal.jsonl`` in a sweep's directory).
    sweep_id : str
        The sweep's :func:`fingerprint`.
    points : list of dict, optional
        The sweep's grid: a record must name a point of it, with its values.

    Notes
    -----
    Only points with ``status = "ok"`` count as finished, so failed points run
    again. The module's docstring says how damage is handled.
    """

    def __init__(self, path, sweep_id: str, points=None):
        self.path = Path(path)
        self.sweep_id = sweep_id
        self.points = points
        self._pending: Path | None = None  # the new journal, until its first records
        self._empty = False  # this run made the journal and has recorded nothing yet

    @property
    def writing(self) -> Path:
        """The file records are appended to (``journal.jsonl.new`` until a new
        journal replaces an old one)."""
        return self._pending or self.path

    def load(self) -> dict[int, dict]:
        """Finished points by index (records without their ``sweep`` field).

        Raises
        ------
        ParameterError
            One line: the journal was written by another sweep or at another
            record version, or a line of it is damaged or another sweep's.
        """
        done, _ = self._read()
        return done

    def _read(self) -> tuple[dict[int, dict], int | None]:
        """``(done, keep)``: the finished points, and the length in bytes of the
        complete lines (``None`` when nothing needs cutting off)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}, None
        lines = data.split(b"\n")
        torn = lines.pop()  # b"" when the file ends with its newline
        keep = len(data) - len(torn) if torn else None
        if not lines:
            return {}, keep
        header = _parse(lines[0])
        if not isinstance(header, dict) or "sweep" not in header:
            raise ParameterError(f"{self.path}: line 1 is not a sweep journal's header (damaged); "
                                 "use another --out directory or drop --resume")
        version = header.get("record_version")
        if version is not None and version != RECORD_VERSION:
            age = "an older" if isinstance(version, int) and version < RECORD_VERSION else "another"
            raise ParameterError(
                f"{self.path}: was written by {age} version of learning-dilemma (record version {version}; "
                f"this one writes {RECORD_VERSION}); use another --out directory or drop --resume"
            )
        if header.get("sweep") != self.sweep_id:
            raise ParameterError(
                f"{self.path}: was written by a different sweep (the scenario, axes or options changed, "
                "or an older version of learning-dilemma wrote it); "
                "use another --out directory or drop --resume"
            )
        done = {}
        for number, line in enumerate(lines[1:], start=2):
            record = self._check(number, _parse(line))
            if record.get("status") == "ok":
                done[record["index"]] = record
        return done, keep

    def _check(self, number: int, record) -> dict:
        where = f"{self.path}: line {number}"
        advice = "use another --out directory or drop --resume (which starts the sweep again)"
        if not isinstance(record, dict) or not isinstance(record.get("index"), int) or "status" not in record:
            raise ParameterError(f"{where} is damaged (not a sweep record); {advice}")
        owner = record.pop("sweep", None)
        if owner != self.sweep_id:
            raise ParameterError(f"{where} is a record of another sweep (fingerprint {owner}, this sweep's is "
                                 f"{self.sweep_id}): another run wrote into this folder; {advice}")
        index = record["index"]
        if self.points is not None:
            if not 0 <= index < len(self.points):
                raise ParameterError(f"{where} names point {index}, which is not on this sweep's grid; {advice}")
            if any(record.get(key) != value for key, value in self.points[index].items()):
                raise ParameterError(f"{where}: point {index} has other values than this sweep's grid; {advice}")
        return record

    def start(self, resume: bool) -> dict[int, dict]:
        """Open the journal for a run.

        With ``resume``: the finished points (checked as in :meth:`load`); an
        unfinished last line is cut off. Without: a new journal with its
        header; a journal already there is replaced only when the first
        records are written (:meth:`record`), so a run that fails before
        that leaves it as it was.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        header = json.dumps({"sweep": self.sweep_id, "record_version": RECORD_VERSION}) + "\n"
        if resume:
            done, keep = self._read()
            if keep == 0 or not self.path.exists() or self.path.stat().st_size == 0:
                self._write_header(self.path, header)
                self._empty = True
            elif keep is not None:
                os.truncate(self.path, keep)
            return done
        self.discard()
        if self.path.exists():
            self._pending = self.path.with_name(self.path.name + ".new")
        self._write_header(self.writing, header)
        self._empty = self._pending is None
        return {}

    @staticmethod
    def _write_header(path: Path, header: str) -> None:
        from ..io.outputs import write_text

        write_text(path, header)

    def record(self, *records: dict) -> None:
        """Append finished points, each with the sweep's fingerprint, and sync
        them to disk (once for the lot); the first records of a new journal
        replace the old one."""
        text = "".join(json.dumps({"sweep": self.sweep_id, **record}, default=_plain) + "\n" for record in records)
        with self.writing.open("a") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        self._empty = False
        if self._pending is not None:
            os.replace(self._pending, self.path)
            self._pending = None

    def discard(self) -> None:
        """End a run that recorded nothing: remove the new journal (an old
        one it was to replace stays as it was)."""
        if self._pending is not None or self._empty:
            with contextlib.suppress(OSError):
                os.remove(self.writing)
        self._pending = None
        self._empty = False


def _parse(line: bytes):
    try:
        return json.loads(line)
    except ValueError:
        return None


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot record {type(value).__name__}")
