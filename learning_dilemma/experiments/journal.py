"""The journal of a sweep: finished points on disk, so a sweep resumes.

A journal is a JSON-lines file. Its first line names the sweep that wrote it
(its :func:`fingerprint`) and the :data:`RECORD_VERSION` of its records; each
further line is one finished point. A journal is only resumed by the same
sweep at the same record version; anything else is refused with a one-line
error, so a resumed sweep never mixes old results with new.
"""

from __future__ import annotations

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
#: scenario, not its file. Journals of versions 2 and below are refused.
RECORD_VERSION = 3


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

    Notes
    -----
    A torn last line from an interrupted write is ignored; only points with
    ``status = "ok"`` count as finished, so failed points run again.
    """

    def __init__(self, path, sweep_id: str):
        self.path = Path(path)
        self.sweep_id = sweep_id

    def load(self) -> dict[int, dict]:
        """Finished points by index.

        Raises
        ------
        ParameterError
            If the journal was written by another sweep or at another
            record version.
        """
        if not self.path.exists():
            return {}
        lines = self.path.read_text().splitlines()
        if not lines:
            return {}
        try:
            header = json.loads(lines[0])
        except json.JSONDecodeError:
            header = {}
        if not isinstance(header, dict):
            header = {}
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
        for line in lines[1:]:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # torn write at interruption
            if isinstance(record, dict) and record.get("status") == "ok":
                done[record["index"]] = record
        return done

    def start(self, resume: bool) -> dict[int, dict]:
        """Open the journal for a run: with ``resume`` the finished points
        (checked with :meth:`load`), else a new journal with its header."""
        done = self.load() if resume else {}
        if not resume or not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"sweep": self.sweep_id, "record_version": RECORD_VERSION}) + "\n")
        return done

    def record(self, *records: dict) -> None:
        """Append finished points and sync them to disk (once for the lot)."""
        with self.path.open("a") as handle:
            handle.write("".join(json.dumps(record, default=_plain) + "\n" for record in records))
            handle.flush()
            os.fsync(handle.fileno())


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot record {type(value).__name__}")
