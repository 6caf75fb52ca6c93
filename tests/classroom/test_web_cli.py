"""``learning-dilemma classroom`` as a real process: the links it prints, where it listens, the
web extra, a light ``--help``, and a server killed mid-session (SIGKILL) that is started again on
the same database and carries on with nothing lost."""

from __future__ import annotations

import csv
import io
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from learning_dilemma.cli import main

WEB = ("starlette", "uvicorn", "segno", "httpx", "anyio")


def test_help_imports_no_web_package():
    code = ("import sys\nfrom learning_dilemma.cli import main\ntry:\n    main(['classroom', '--help'])\n"
            "except SystemExit:\n    pass\n"
            f"print('loaded:', ','.join(m for m in {WEB!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "--lan" in result.stdout and "127.0.0.1" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "loaded:"


@pytest.mark.parametrize("missing", ["starlette", "uvicorn", "segno"])
def test_without_the_web_extra_one_line_says_how_to_install_it(missing):
    code = (f"import sys\nsys.modules[{missing!r}] = None  # as if not installed\n"
            "from learning_dilemma.cli import main\nsys.exit(main(['classroom']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("learning-dilemma classroom: error:")
    assert 'pip install "learning-dilemma[web]"' in lines[0] and missing in lines[0]


@pytest.mark.parametrize("argv, key", [(["--port", "0"], "--port"), (["--port", "70000"], "--port"),
                                       (["--seed", "-1"], "--seed"), (["--port", "x"], "--port")])
def test_bad_arguments_are_one_line(argv, key, capsys):
    pytest.importorskip("uvicorn")
    try:
        status = main(["classroom", *argv])
    except SystemExit as exit:  # argparse's own refusal
        status = exit.code
    assert status == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and key in err[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command:
    """``python -m learning_dilemma classroom ...`` in a subprocess; reads the links it prints."""

    def __init__(self, *arguments):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "learning_dilemma", "classroom", "--port", str(self.port), *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.lines = []
        output = queue.Queue()
        # a thread reads the output: select() on a buffered text pipe can miss lines already read into its buffer
        threading.Thread(target=lambda: [output.put(line) for line in self.process.stdout], daemon=True).start()
        deadline = time.monotonic() + 120
        while not any(line.startswith("explorable:") for line in self.lines):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the command did not start: {self.lines} {self.process.stderr.read()}")
            try:
                self.lines.append(output.get(timeout=1.0).rstrip("\n"))
            except queue.Empty:
                pass
        self.teacher = self.link("teacher:")
        self.explorable = self.link("explorable:")
        self.secret = self.teacher.split("key=", 1)[1]
        self.base = self.explorable.rstrip("/")
        self.wait_listening()

    def link(self, prefix):
        return next(line for line in self.lines if line.startswith(prefix)).split()[1]

    def wait_listening(self):
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/favicon.ico", timeout=5)
                return
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the server did not listen: {self.process.stderr.read()}")
                time.sleep(0.05)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)
        self.process.stderr.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stderr.close()


@pytest.fixture
def command():
    pytest.importorskip("uvicorn")
    pytest.importorskip("httpx")
    started = []

    def start(*arguments):
        started.append(Command(*arguments))
        return started[-1]

    yield start
    for process in started:
        if process.process.returncode is None:
            process.stop()


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=5):
            return True
    except OSError:
        return False


def test_the_command_prints_both_links_and_listens_on_this_computer_only(command, tmp_path):
    import httpx

    from learning_dilemma.cli.classroom_cmd import lan_address

    server = command("--db", str(tmp_path / "c.sqlite3"))
    assert server.teacher.startswith(f"http://127.0.0.1:{server.port}/teacher?key=")
    assert server.explorable == f"http://127.0.0.1:{server.port}/"
    assert httpx.get(server.explorable).status_code == 200
    assert httpx.get(server.teacher, follow_redirects=False).status_code == 303
    assert httpx.get(f"{server.base}/api/sessions").status_code == 403
    address = lan_address()
    if address != "127.0.0.1":  # a machine with a network: the room cannot reach it
        assert not reachable(address, server.port)
    # the secret is kept in the database: a restart prints the same teacher's link
    server.stop()
    again = command("--db", str(tmp_path / "c.sqlite3"))
    assert again.secret == server.secret


def test_lan_listens_on_the_rooms_network_and_prints_that_address(command, tmp_path):
    import httpx

    from learning_dilemma.cli.classroom_cmd import lan_address

    address = lan_address()
    server = command("--lan", "--db", str(tmp_path / "c.sqlite3"))
    assert server.explorable == f"http://{address}:{server.port}/"
    assert httpx.get(server.explorable).status_code == 200  # reached at the printed address
    assert reachable("127.0.0.1", server.port)


def test_a_server_killed_mid_session_resumes_with_nothing_lost(command, tmp_path):
    import httpx

    db = tmp_path / "kill.sqlite3"
    server = command("--db", str(db), "--seed", "21")
    teacher = {"X-Teacher-Key": server.secret}
    base = server.base
    created = httpx.post(f"{base}/api/sessions", headers=teacher, json={
        "treatment": {"continuation": 0.99, "knowledge_levels": 2, "pace": 0.2, "power": 0.5}}).json()
    sid = created["id"]
    seats = [httpx.post(f"{base}/api/join", json={"code": created["code"]}).json() for _ in range(4)]
    assert httpx.post(f"{base}/api/sessions/{sid}/start", headers=teacher, json={}).status_code == 200
    made = []

    def play(url, rounds):
        for _ in range(rounds):
            moved = False
            for seat in seats:
                token = {"X-Student-Token": seat["token"]}
                view = httpx.get(f"{url}/api/sessions/{sid}/seats/{seat['label']}", headers=token).json()
                if view["status"] != "choose":
                    continue
                choice = "TAKE" if (view["round"] + int(seat["label"][1:])) % 3 == 0 else "GIVE"
                response = httpx.post(f"{url}/api/sessions/{sid}/seats/{seat['label']}/choice", headers=token,
                                      json={"match": view["match"], "round": view["round"], "choice": choice})
                assert response.status_code == 200, response.text
                made.append((seat["label"], view["match"], view["round"], choice))
                moved = True
            if not moved:
                return

    play(base, 3)
    # S1 chooses its next round too, then the server dies before its partner answers
    token = {"X-Student-Token": seats[0]["token"]}
    view = httpx.get(f"{base}/api/sessions/{sid}/seats/S1", headers=token).json()
    assert view["status"] == "choose"
    assert httpx.post(f"{base}/api/sessions/{sid}/seats/S1/choice", headers=token,
                      json={"match": view["match"], "round": view["round"], "choice": "GIVE"}).status_code == 200
    made.append(("S1", view["match"], view["round"], "GIVE"))
    before = httpx.get(f"{base}/api/sessions/{sid}/export.csv", headers=teacher).text
    server.kill()

    again = command("--db", str(db), "--seed", "21")
    assert again.secret == server.secret
    base = again.base
    assert httpx.get(f"{base}/api/sessions/{sid}/export.csv", headers=teacher).text == before
    resumed = httpx.get(f"{base}/api/sessions/{sid}/seats/S1", headers=token).json()
    assert resumed["status"] == "chosen" and resumed["chosen"] == "GIVE" and resumed["round"] == view["round"]
    play(base, 10_000)
    dashboard = httpx.get(f"{base}/api/sessions/{sid}", headers=teacher).json()
    assert not dashboard["playing"]
    rows = list(csv.DictReader(io.StringIO(httpx.get(f"{base}/api/sessions/{sid}/export.csv", headers=teacher).text)))
    chosen = sorted((r["seat"], int(r["match"]), int(r["round"]), r["choice"]) for r in rows
                    if r["student"] == "1" and r["substitute"] == "0" and r["choice"])
    assert chosen == sorted(made)  # every decision once: none lost, none duplicated
    keys = [(r["match"], r["unit"], r["round"], r["slot"]) for r in rows]
    assert len(keys) == len(set(keys))
    for line in before.splitlines()[1:]:
        assert line in rows_text(rows)


def rows_text(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().splitlines()
