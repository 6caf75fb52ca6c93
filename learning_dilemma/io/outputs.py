"""Writing results: tidy CSV and JSON, written atomically, and safe.

Every file is first written in full to a temporary file in the same directory
and then renamed over its target (:func:`os.replace`), so an interrupted or
failed run never leaves a half-written file; a set of files is only moved into
place once all of them have been produced.

Temporaries are named ``.NAME.partial-PID-XXXXXXXX`` after the file or folder
they become and the process that writes them. A run killed outright (SIGKILL,
a power cut) cannot remove its own, so each write first removes the partial
files and folders of processes that are no longer running from the folder it
writes into (:func:`clean_stale`).

An error while writing names the user's path, never a temporary one. The
command line checks its output paths before it starts work
(:func:`check_destination`).

Outputs are reproducible: the same seed gives the same bytes of CSV, JSON,
HTML, PNG and SVG (:func:`figure_bytes` keeps dates and random ids out of
matplotlib's files). Names taken from scenarios become file names only through
:func:`safe_name`, and CSV cells through :func:`safe_cell` (no spreadsheet
formulas, no control characters).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import numpy as np

from .._version import __version__

__all__ = [
    "check_destination", "clean_stale", "csv_text", "figure_bytes", "FORMULA_PREFIXES", "json_text",
    "make_folders", "process_alive", "remove_folders", "results_document", "safe_cell", "safe_name",
    "staged_directory", "tidy_rows", "write_bytes", "write_results", "write_text",
]

#: The first characters that make a spreadsheet read a cell as a formula
#: (OWASP, "CSV injection"); such text cells are written with a leading ``'``.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_PARTIAL = re.compile(r"^\..*\.partial-(?P<pid>\d+)-[A-Za-z0-9_]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# --- names and cells --------------------------------------------------------------

def safe_name(text, default: str = "output", max_length: int = 100) -> str:
    """``text`` made into one safe file or folder name.

    Letters and digits (of any script), ``.``, ``-`` and ``_`` are kept; every other run of
    characters (path separators, ``..``, spaces, control characters) becomes
    one ``_``; leading dots and dashes go (no hidden files, no options), and the
    result is at most ``max_length`` characters. An empty result is ``default``.

    Examples
    --------
    >>> safe_name("../../../../elsewhere/x"), safe_name("kite"), safe_name("a b\\nc")
    ('elsewhere_x', 'kite', 'a_b_c')
    """
    text = unicodedata.normalize("NFKC", str(text))
    name = re.sub(r"[^\w.-]+", "_", text)  # \w: letters and digits of any script, and _
    name = re.sub(r"\.{2,}", "_", name)
    name = re.sub(r"_+", "_", name).lstrip("._-").rstrip("._ ")[:max_length].rstrip("._ ")
    if name.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", *(f"COM{k}" for k in range(1, 10)),
                                      *(f"LPT{k}" for k in range(1, 10))}:
        name = f"_{name}"
    return name or default


def safe_cell(value):
    """A CSV cell that a spreadsheet shows as text: control characters become
    spaces, and text starting with ``=``, ``+``, ``-``, ``@`` (a formula) gets a
    leading ``'``. Numbers and other values are returned as they are.

    Examples
    --------
    >>> safe_cell("=HYPERLINK(1)"), safe_cell("a\\r\\nb"), safe_cell(-1.5)
    ("'=HYPERLINK(1)", 'a  b', -1.5)
    """
    if not isinstance(value, str):
        return value
    cleaned = _CONTROL.sub(" ", value)  # a control character must not hide a formula behind it
    if value.startswith(FORMULA_PREFIXES) or cleaned.lstrip().startswith(FORMULA_PREFIXES):
        cleaned = "'" + cleaned
    return cleaned


# --- destinations and stale temporaries ---------------------------------------------

def check_destination(path, option: str, *, directory: bool = False) -> Path:
    """Refuse, with a one-line :class:`~learning_dilemma.errors.ParameterError`,
    an output path that cannot be written: a file where a folder is needed (or
    the other way round), a file among its parents, or a parent that cannot be
    written in. ``option`` names the path in the message (``--out``, ``-o``)."""
    from ..errors import ParameterError

    path = Path(path)
    where = f"{option} {path}" if option else str(path)
    if directory and path.exists() and not path.is_dir():
        raise ParameterError(f"{where}: exists and is not a directory")
    if not directory and path.is_dir():
        raise ParameterError(f"{where}: is a directory; name a file")
    if not directory and not path.name:
        raise ParameterError(f"{where}: name a file")
    existing = _existing_ancestor(path)
    if not existing.is_dir():
        raise ParameterError(f"{where}: {existing} is not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ParameterError(f"{where}: cannot write in {existing} (permission denied or read-only)")
    return path


def _existing_ancestor(path: Path) -> Path:
    """The nearest of ``path``'s parents that exists (``.`` for a relative path)."""
    for ancestor in path.parents:  # as the user wrote it: "f", not "/home/me/f"
        if os.path.lexists(ancestor):
            return ancestor
    return Path(".")


def clean_stale(parent) -> list[Path]:
    """Remove, from ``parent``, the partial files and folders of writers that
    are no longer running (a run killed while writing); returns what went.
    Partials of running processes, and anything else, are left alone."""
    if os.name == "nt":  # os.kill(pid, 0) would end the process there
        return []
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    for entry in entries:
        found = _PARTIAL.match(entry.name)
        if not found or process_alive(int(found["pid"])):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.remove(entry.path)
            removed.append(Path(entry.path))
    return removed


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` may still run (True where it cannot be told: another user's)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process, or no way to tell: leave it
        return True
    return True


def _partial_prefix(name: str) -> str:
    return f".{name[:100]}.partial-{os.getpid()}-"


def _naming(error: OSError, path) -> OSError:
    """``error`` again, naming ``path`` (the user's) instead of a temporary."""
    renamed = type(error)(error.errno, error.strerror or str(error), str(path))
    renamed.__cause__ = error
    return renamed


def make_folders(folder) -> list[Path]:
    """Create ``folder`` and its missing parents; returns those created, innermost
    first, for :func:`remove_folders` to undo."""
    folder = Path(os.path.abspath(folder))
    created = [d for d in (folder, *folder.parents) if not os.path.lexists(d)]
    existing = next((d for d in (folder, *folder.parents) if os.path.lexists(d)), None)
    if existing is not None and not existing.is_dir():  # mkdir would say "File exists"
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(existing))
    folder.mkdir(parents=True, exist_ok=True)
    return created


def remove_folders(folders) -> None:
    """Remove folders made by :func:`make_folders` (innermost first) that are still empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _make_parents(path: Path) -> list[Path]:
    """Create ``path``'s missing parents; returns them, innermost first."""
    return make_folders(Path(os.path.abspath(path)).parent)


# --- writing -------------------------------------------------------------------

@contextlib.contextmanager
def staged_directory(target: Path, option: str = "--out"):
    """Yield a temporary directory next to ``target``; on success move every
    file in it into ``target`` (created if needed, with its parents), on
    failure remove it and any parents it created. An :class:`OSError` names
    ``target``, never the temporary directory."""
    target = Path(target)
    check_destination(target, option, directory=True)
    created = []
    staging = None
    try:
        try:
            created = _make_parents(target)
            parent = Path(os.path.abspath(target)).parent
            clean_stale(parent)
            staging = Path(tempfile.mkdtemp(prefix=_partial_prefix(target.name or "out"), dir=parent))
        except OSError as error:
            raise _naming(error, target) from None
        try:
            yield staging
        except OSError as error:
            raise _naming(error, target / Path(error.filename).name if error.filename else target) from None
        try:
            target.mkdir(exist_ok=True)
            for item in sorted(staging.iterdir()):
                os.replace(item, target / item.name)
        except OSError as error:
            raise _naming(error, target) from None
        created = []
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        remove_folders(created)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    write_bytes(path, text.encode())


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file, then a rename.

    Missing parent folders are created (and removed again if the write
    fails); an :class:`OSError` names ``path``, never the temporary file.
    """
    path = Path(path)
    created = []
    temporary = None
    try:
        created = _make_parents(path)
        clean_stale(Path(os.path.abspath(path)).parent)
        handle, temporary = tempfile.mkstemp(prefix=_partial_prefix(path.name or "file"), dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes files private; keep the usual mode
        os.replace(temporary, path)
        created = []
    except OSError as error:
        raise _naming(error, path) from None
    finally:
        if created or (temporary is not None and os.path.lexists(temporary)):
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.remove(temporary)
            remove_folders(created)


def figure_bytes(figure, fmt: str, **options) -> bytes:
    """A matplotlib figure as PNG or SVG bytes that depend only on what is drawn:
    no date, fixed ids (``svg.hashsalt``), no software version in the file."""
    import matplotlib

    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None} if fmt == "png" else None
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "learning-dilemma"}):
        figure.savefig(buffer, format=fmt, metadata=metadata, **options)
    return buffer.getvalue()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def csv_text(rows: list[dict]) -> str:
    """Rows (dicts sharing keys) as CSV text with a header; text cells are
    made safe for spreadsheets (:func:`safe_cell`)."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: safe_cell(_plain(v)) for k, v in row.items()} for row in rows)
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
    """Everything about a tournament as one JSON-ready document.

    Besides the tables, the shares over all matches: of rounds in which both
    gave (``mutual_giving_rate``), of matches ended by an exit (``exit_rate``)
    or by the race being over (``race_over_rate``), and of rounds in which the
    alliance was open (``open_rate``).
    """
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
        "exit_rate": results.exit_rate,
        "race_over_rate": results.race_over_rate,
        "open_rate": results.open_rate,
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
