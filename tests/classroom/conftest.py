"""Fixtures of the classroom's web tests: the app on a real server, and a real browser.

The browser is Debian's ``chromium`` (the system package; Playwright's own browser
download needs the network) driven by the Python ``playwright`` package through its
executable path. Where Chromium or Playwright is missing the browser tests skip,
saying why; with ``CI=true`` in the environment a skip becomes a failure, so CI
cannot pass without having run them (issue 19, "Judged by").
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

#: Chromium's switches for a headless run that reaches nothing but the test's own server.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str):
    """Skip (on a developer's machine) or fail (in CI, CI=true): a browser test may not silently not run."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}: the browser tests must run in CI (.ci/run installs chromium)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """Debian's chromium, from the PATH or its usual place."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """The classroom app served by uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, db, port: int | None = None, **options):
        import uvicorn

        from learning_dilemma.classroom.web.app import create_app

        self.app = create_app(db, **options)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the classroom server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=30)

    @property
    def secret(self) -> str:
        return self.app.state.teacher_secret


@pytest.fixture
def server_class():
    """:class:`LiveServer`, for tests that start and stop servers themselves."""
    pytest.importorskip("uvicorn")
    return LiveServer


@pytest.fixture
def live_server(tmp_path):
    pytest.importorskip("uvicorn")
    with LiveServer(tmp_path / "classroom.sqlite3", seed=11) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's), fresh profile; skipped without it (a failure with CI=true)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed (pip install -e \".[test]\")")
    executable = chromium_path()
    if executable is None:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    manager = sync_playwright().start()
    try:
        try:
            instance = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        except Exception as error:  # a broken install is said, not hidden
            skip_or_fail(f"chromium at {executable} did not start: {' '.join(str(error).split())[:300]}")
        yield instance
        instance.close()
    finally:
        manager.stop()


class Clock:
    """A clock the test moves by hand (seconds since the epoch)."""

    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    """A :class:`Clock` at a fixed time; move it with ``clock.now += seconds``."""
    return Clock()


@pytest.fixture
def make_client(tmp_path):
    """A factory of Starlette TestClients (httpx) over the classroom app on one SQLite file of this test.

    ``make_client(db=None, **options)`` returns an open client (closed at the test's end);
    its ``app`` holds ``state.teacher_secret`` and ``state.live``.
    """
    pytest.importorskip("starlette")
    pytest.importorskip("httpx")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note that its TestClient will move from httpx to httpx2
        from starlette.testclient import TestClient

    from learning_dilemma.classroom.web.app import create_app

    opened = []

    def make(db=None, **options):
        options.setdefault("tick_seconds", 0)
        app = create_app(db or tmp_path / "classroom.sqlite3", **options)
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client):
    """One TestClient over a fresh classroom app (seed 7, no background ticks)."""
    return make_client(seed=7)


@pytest.fixture
def teacher(client) -> dict:
    """The teacher's header for ``client``."""
    return {"X-Teacher-Key": client.app.state.teacher_secret}
