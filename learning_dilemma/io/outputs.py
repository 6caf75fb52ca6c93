"""Writing results: tidy CSV and JSON, written atomically.

Every file is first written in full to a temporary file in the same directory
and then renamed over its target (:func:`os.replace`), so an interrupted or
failed run never leaves a half-written file; a set of files is only moved into
place once all of them have been produced.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from .._version import __version__

__all__ = [
    "csv_text", "json_text", "results_document", "staged_directory", "tidy_rows", "write_bytes",
    "write_results", "write_text"
]


@contextlib.contextmanager
def staged_directory(target: Path):
    """Yield a temporary directory next to ``target``; on success move every
    file in it into ``target`` (created if needed), on failure remove it."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        from ..errors import ParameterError

        raise ParameterError(f"--out {target}: exists and is not a directory")
    parent = target.resolve().parent
    created = [d for d in (parent, *parent.parents) if not d.exists()]  # removed again on failure
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=parent))
    try:
        yield staging
        target.mkdir(parents=True, exist_ok=True)
        for item in sorted(staging.iterdir()):
            os.replace(item, target / item.name)
        created = []
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for directory in created:  # innermost first
            with contextlib.suppress(OSError):
                directory.rmdir()


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    write_bytes(path, text.encode())


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file, then a rename."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes files private; keep the usual mode
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def csv_text(rows: list[dict]) -> str:
    """Rows (dicts sharing keys) as CSV text with a header."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _plain(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def json_text(document) -> str:
    """Strict JSON (NaN and infinities become ``null``), indented."""
    return json.dumps(_jsonable(document), indent=2, allow_nan=False) + "\n"


def _jsonable(value):
    # json.dumps only calls ``default`` for unknown types, and numpy floats are
    # floats, so NaN must be replaced before encoding.
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in value]
    return _plain(value)


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, Path):
        return str(value)
    return value


def tidy_rows(rows: list[dict], results, scenario=None) -> list[dict]:
    """``rows`` with the scenario, seed and version in front of every row, so the
    CSV files of several runs can be concatenated and still tell them apart."""
    run = {
        "scenario": None if scenario is None else scenario.name,
        "seed": results.metadata.get("seed"),
        "version": __version__,
    }
    return [{**run, **row} for row in rows]


def results_document(results, scenario=None) -> dict:
    """Everything about a tournament as one JSON-ready document."""
    return {
        "learning_dilemma_version": __version__,
        "scenario": None if scenario is None else {
            "name": scenario.name,
            "description": scenario.description,
            "path": None if scenario.path is None else str(scenario.path),
            "definition": scenario.raw,
        },
        "metadata": results.metadata,
        "players": results.players,
        "ranking": results.ranked_names,
        "mutual_giving_rate": results.mutual_giving_rate,
        "summary": results.summary(),
        "pairings": results.pairings(),
    }


def write_results(results, directory: Path, scenario=None, plots: bool = True) -> list[Path]:
    """Write ``summary.csv``, ``pairings.csv``, ``results.json`` and (with
    ``plots``) PNG and SVG figures into ``directory``, all or nothing."""
    directory = Path(directory)
    with staged_directory(directory) as staging:
        write_text(staging / "summary.csv", csv_text(tidy_rows(results.summary(), results, scenario)))
        write_text(staging / "pairings.csv", csv_text(tidy_rows(results.pairings(), results, scenario)))
        write_text(staging / "results.json", json_text(results_document(results, scenario)))
        if plots:
            from .plots import write_tournament_plots

            write_tournament_plots(results, staging)
        names = sorted(p.name for p in staging.iterdir())
    return [directory / name for name in names]
