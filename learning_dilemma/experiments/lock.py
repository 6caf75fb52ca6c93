"""One run owns an output folder: the lock file ``sweep.lock``.

A sweep that keeps its journal in a folder first takes the folder's lock: the
file :data:`LOCK_NAME`, created atomically (written in full under a temporary
name, then hard-linked to its name, which fails if the name exists), holding
the owner's process id, host name and start time. While a live process holds
it, a second run into the folder is refused with a one-line
:class:`~learning_dilemma.errors.ParameterError` (exit status 2), so two runs
never write one journal.

A lock whose owner is gone (same host, and the process id is not running, or
is running but started after the lock was taken: the id was reused) is stale
and is taken over: it is renamed away (atomic; only one of two racing runs
gets it), checked to be the very file judged stale, and removed. A lock of
another host, or one that cannot be read, is never guessed about: the message
says which file to remove if that run is over. On Windows a lock is never
judged stale automatically.

The lock is released on every way out of the ``with`` block (success, error,
:class:`KeyboardInterrupt`); a run killed outright (SIGKILL, a power cut)
leaves a stale lock, which the next run takes over. Inside one thread the lock
is re-entrant, so :meth:`Sweep.run <learning_dilemma.experiments.sweep.Sweep.run>`
and :meth:`SweepResult.write <learning_dilemma.experiments.sweep.SweepResult.write>`
can run inside a command's own hold of the folder.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     with FolderLock(folder) as lock:
...         lock.path.name
'sweep.lock'
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import uuid
from pathlib import Path

from ..errors import ParameterError
from ..io.outputs import make_folders, process_alive, remove_folders

__all__ = ["LOCK_NAME", "FolderLock", "read_lock"]

#: The lock file's name inside an output folder.
LOCK_NAME = "sweep.lock"

_HELD: dict[tuple[str, int], list] = {}  # (folder, thread) -> [depth, inode]
_GUARD = threading.Lock()


class FolderLock:
    """Hold ``directory`` for this run (a context manager).

    Parameters
    ----------
    directory : path-like
        The output folder; created if missing (and removed again on release
        if it was created here and is still empty).
    option : str
        How the folder is named in messages (``--out``).

    Raises
    ------
    ParameterError
        On entry, when a live run (or one that cannot be judged) holds it.
    """

    def __init__(self, directory, option: str = "--out"):
        self.directory = Path(directory)
        self.path = self.directory / LOCK_NAME
        self.option = option
        self._created: list[Path] = []

    def _key(self):
        return (os.path.realpath(self.directory), threading.get_ident())

    def __enter__(self) -> "FolderLock":
        with _GUARD:
            held = _HELD.get(self._key())
            if held is not None and _inode(self.path) == held[1]:
                held[0] += 1
                return self
        self._created = make_folders(self.directory)
        try:
            inode = self._acquire()
        except BaseException:
            self._remove_created()
            raise
        with _GUARD:
            _HELD[self._key()] = [1, inode]
        return self

    def __exit__(self, *exc) -> None:
        with _GUARD:
            held = _HELD.get(self._key())
            if held is None:
                return
            held[0] -= 1
            if held[0] > 0:
                return
            del _HELD[self._key()]
        if _inode(self.path) == held[1]:  # never remove a lock that is no longer ours
            with contextlib.suppress(OSError):
                os.remove(self.path)
        self._remove_created()

    def _remove_created(self):
        remove_folders(self._created)  # only those still empty
        self._created = []

    def _acquire(self) -> int:
        content = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "started_at": time.time(), "token": uuid.uuid4().hex}) + "\n"
        temporary = self.directory / f".{LOCK_NAME}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        temporary.write_text(content)
        try:
            for _ in range(5):
                if _create(temporary, self.path):
                    return _inode(self.path)
                owner, inode = read_lock(self.path)
                if inode is None:
                    continue  # it went meanwhile: try again
                if not _stale(owner):
                    raise ParameterError(self._refusal(owner))
                self._take_over(inode)
            raise ParameterError(f"{self.option} {self.directory}: could not take the lock {self.path} "
                                 "(other runs keep taking it); try again")
        finally:
            with contextlib.suppress(OSError):
                os.remove(temporary)

    def _take_over(self, inode: int) -> None:
        """Remove the stale lock ``inode`` (and only it)."""
        aside = self.directory / f".{LOCK_NAME}.stale.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return  # another run took it over first
        if _inode(aside) != inode:  # another run replaced it meanwhile: put its lock back
            with contextlib.suppress(OSError):
                os.link(aside, self.path)
        with contextlib.suppress(OSError):
            os.remove(aside)

    def _refusal(self, owner) -> str:
        where = f"{self.option} {self.directory}"
        if owner is None:
            return (f"{where}: is locked by {self.path}, which cannot be read; if no run is using this "
                    f"folder, remove that file, or use another {self.option}")
        who = f"pid {owner.get('pid')} on {owner.get('host')}, started {owner.get('started')}"
        if owner.get("host") != socket.gethostname():
            return (f"{where}: another run holds this folder ({who}); if that run is over, remove "
                    f"{self.path}, or use another {self.option}")
        return f"{where}: another run is using this folder ({who}); wait for it to end or use another {self.option}"


def read_lock(path) -> tuple[dict | None, int | None]:
    """``(owner, inode)`` of the lock file at ``path``: its content (``None``
    if it cannot be read as a lock) and its inode (``None`` if it is gone)."""
    try:
        with open(path, "rb") as handle:
            inode = os.fstat(handle.fileno()).st_ino
            data = handle.read(4096)
    except FileNotFoundError:
        return None, None
    except OSError:
        return None, -1
    try:
        owner = json.loads(data)
    except ValueError:
        return None, inode
    if not isinstance(owner, dict) or not isinstance(owner.get("pid"), int):
        return None, inode
    return owner, inode


def _create(temporary: Path, path: Path) -> bool:
    """Give the complete ``temporary`` file the name ``path``, unless it exists."""
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links here: exclusive creation, then the content
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(handle, "w") as stream:
            stream.write(temporary.read_text())
        return True


def _stale(owner) -> bool:
    """Whether the lock's owner is surely gone (same host, process not running
    or its process id reused since)."""
    if owner is None or os.name == "nt" or owner.get("host") != socket.gethostname():
        return False
    pid = owner["pid"]
    if pid <= 0:
        return False
    if not process_alive(pid):
        return True
    started = _process_start(pid)
    taken = owner.get("started_at")
    return started is not None and isinstance(taken, (int, float)) and started > taken + 2.0


def _process_start(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), where /proc says."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration, AttributeError):
        return None


def _inode(path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None
