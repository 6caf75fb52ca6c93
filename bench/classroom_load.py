"""Load test of the live classroom on the loopback address: simulated students play a session to the end.

    .venv/bin/python bench/classroom_load.py                           # 200 students, 3 matches
    .venv/bin/python bench/classroom_load.py --students 30 --matches 2 --turns 3   # a quick check

Issue 19 ("Judged by"): 200 simulated students play a session to the end; every decision is in
the database and in the export, none lost, none duplicated; the request latency (median and
99th percentile) is reported.

The server is the real command, ``python -m learning_dilemma classroom --port P --db FILE
--seed S``, in its own process, listening on 127.0.0.1 only (it never binds another address:
``--host`` is not given). The script reads the teacher's link it prints, opens a session with
the treatment given here, and runs on asyncio (``httpx.AsyncClient``, one client and connection
per student, as phones would have):

- the students are spread over ``--processes`` worker processes (2), each its own event loop
  (phones have their own CPUs; one loop for 200 clients would time its own queue);
- each student joins with the code, then polls its seat's state every ``--poll`` seconds
  (the phone page polls every second) and, when a round waits for it, chooses GIVE or TAKE
  (a seeded generator per student, with its own propensity to give); a share ``--resend`` of
  the choices is sent twice (a phone that did not hear the answer), which must change nothing;
- the teacher polls the dashboard every second, starts match after match (``--matches``) and
  ends the session after the last.

Every request's latency (from sending to the whole answer read, ``time.perf_counter``) is
recorded; the script prints the median and the 99th percentile, overall and per kind of
request (join, state, choice, dashboard, control, export), beside the app's own time for the
same requests (the ``Server-Timing`` header the app adds: from the request reaching the app to
its answer starting), and the CPU time the server process and the simulated students used. On
a small machine the simulated students' own CPU (httpx, one event loop) is part of the round
trip they see: the app's time says how much of it is the server's. It then checks the decisions each student
made (every choice the server answered 200) against

1. the database: the ``choice`` events that are a student's own (``substitute`` false) in the
   SQLite file, read directly with :mod:`sqlite3` once the server has stopped, and the decision
   rows of the session replayed from that file (:class:`learning_dilemma.classroom.session.Classroom`);
2. the export: the CSV the teacher downloads (``/api/sessions/ID/export.csv``);

each must hold every decision exactly once (none lost, none duplicated), and no dropout may
have happened (``--timeout``, 90 s by default, is far above any round's wait). Exit status 1 if
any check fails. ``--json FILE`` writes the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import queue
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np

__all__ = ["main", "run"]

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """The ``classroom`` command in a subprocess on 127.0.0.1."""

    def __init__(self, db: Path, seed: int):
        self.port = free_port()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "learning_dilemma", "classroom", "--port", str(self.port), "--db", str(db),
             "--seed", str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        seen, deadline = [], time.monotonic() + 120
        while not any(line.startswith("explorable:") for line in seen):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the classroom server did not start: {seen} {self.process.stderr.read()}")
            try:
                seen.append(lines.get(timeout=1.0))
            except queue.Empty:
                pass
        teacher = next(line for line in seen if line.startswith("teacher:")).split()[1]
        self.secret = teacher.split("key=", 1)[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the server process has used so far (Linux ``/proc``)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Timings:
    """Each request's latency as the student saw it, and the app's own time (``Server-Timing``)."""

    def __init__(self):
        self.samples: dict[str, list[float]] = {}
        self.server: dict[str, list[float]] = {}

    async def request(self, client, kind: str, method: str, url: str, **kwargs):
        start = time.perf_counter()
        response = await client.request(method, url, **kwargs)
        await response.aread()
        self.samples.setdefault(kind, []).append(time.perf_counter() - start)
        timing = response.headers.get("server-timing", "")
        if timing.startswith("app;dur="):
            self.server.setdefault(kind, []).append(float(timing.split("=", 1)[1]) / 1000)
        return response

    def summary(self) -> dict:
        def stats(values, server):
            values, server = np.array(values), np.array(server or [np.nan])
            return {"requests": int(values.size), "median_ms": float(np.median(values) * 1000),
                    "p99_ms": float(np.percentile(values, 99) * 1000), "max_ms": float(values.max() * 1000),
                    "app_median_ms": float(np.median(server) * 1000),
                    "app_p99_ms": float(np.percentile(server, 99) * 1000)}

        everything = [v for values in self.samples.values() for v in values]
        app = [v for values in self.server.values() for v in values]
        return {"all": stats(everything, app),
                **{kind: stats(values, self.server.get(kind)) for kind, values in sorted(self.samples.items())}}


async def student(number: int, base: str, code: str, seed: int, poll: float, resend: float, timings: Timings,
                  made: list, problems: list, ended: asyncio.Event):
    import httpx

    rng = np.random.default_rng([seed, number])
    propensity = rng.uniform(0.2, 0.9)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await asyncio.sleep(rng.uniform(0, poll))  # students arrive spread over a moment
        response = await timings.request(client, "join", "POST", "/api/join", json={"code": code})
        if response.status_code != 201:
            problems.append(f"student {number}: join answered {response.status_code} {response.text}")
            return
        seat = response.json()
        headers = {"X-Student-Token": seat["token"]}
        url = f"/api/sessions/{seat['session']}/seats/{seat['label']}"
        while True:
            response = await timings.request(client, "state", "GET", url, headers=headers)
            if response.status_code != 200:
                problems.append(f"{seat['label']}: state answered {response.status_code} {response.text}")
                return
            view = response.json()
            if view["status"] == "ended":
                return
            if view["status"] == "choose":
                choice = "GIVE" if rng.random() < propensity else "TAKE"
                body = {"match": view["match"], "round": view["round"], "choice": choice}
                for attempt in range(2 if rng.random() < resend else 1):
                    response = await timings.request(client, "choice", "POST", f"{url}/choice", headers=headers,
                                                     json=body)
                    if response.status_code != 200:
                        problems.append(f"{seat['label']}: choice answered {response.status_code} {response.text}")
                        return
                made.append((seat["label"], view["match"], view["round"], choice))
                continue  # the answer is the new state: poll again at once
            await asyncio.sleep(poll)


async def teacher(base: str, secret: str, session: dict, students: int, matches: int, timings: Timings,
                  problems: list, ended: asyncio.Event):
    import httpx

    headers = {"X-Teacher-Key": secret}
    sid = session["id"]
    async with httpx.AsyncClient(base_url=base, timeout=120, headers=headers) as client:
        while True:  # wait for the class
            response = await timings.request(client, "dashboard", "GET", f"/api/sessions/{sid}")
            if len(response.json()["seats"]) >= students:
                break
            await asyncio.sleep(1.0)
        for match in range(1, matches + 1):
            response = await timings.request(client, "control", "POST", f"/api/sessions/{sid}/start", json={})
            if response.status_code != 200:
                problems.append(f"start of match {match} answered {response.status_code} {response.text}")
                break
            while True:
                await asyncio.sleep(1.0)
                response = await timings.request(client, "dashboard", "GET", f"/api/sessions/{sid}")
                dashboard = response.json()
                if not dashboard["playing"]:
                    break
        await timings.request(client, "control", "POST", f"/api/sessions/{sid}/end", json={})
        response = await timings.request(client, "export", "GET", f"/api/sessions/{sid}/export.csv")
        ended.set()
        return response.text, dashboard


async def students_in_process(numbers, base, code, args):
    """Some of the students, on this process's event loop: ``(made, latencies, app times, problems)``."""
    timings, made, problems = Timings(), [], []
    ended = asyncio.Event()
    await asyncio.gather(*(student(k, base, code, args.seed, args.poll, args.resend, timings, made, problems, ended)
                           for k in numbers))
    return made, timings.samples, timings.server, problems


def students_worker(job):
    """A worker process's share of the students (``--processes``)."""
    numbers, base, code, args = job
    return asyncio.run(students_in_process(numbers, base, code, args))


async def play(base, secret, args, timings, made, problems):
    import httpx

    treatment = {"continuation": args.continuation, "knowledge_levels": args.levels, "pace": 0.3,
                 "power": args.power, "group_size": 2}
    if args.turns:
        treatment["turns"] = args.turns
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        response = await client.post("/api/sessions", headers={"X-Teacher-Key": secret},
                                     json={"treatment": treatment, "timeout": args.timeout})
        response.raise_for_status()
        session = response.json()
    ended = asyncio.Event()
    lead = asyncio.create_task(teacher(base, secret, session, args.students, args.matches, timings, problems,
                                       ended))
    # the students, split over worker processes (each its own event loop, as phones have their own CPUs)
    shares = [list(range(args.students))[k::args.processes] for k in range(args.processes)]
    jobs = [(numbers, base, session["code"], args) for numbers in shares if numbers]
    if args.processes == 1:
        results = [await students_in_process(*jobs[0])]
    else:
        import concurrent.futures
        import multiprocessing

        loop = asyncio.get_running_loop()
        with concurrent.futures.ProcessPoolExecutor(len(jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
            results = await asyncio.gather(*(loop.run_in_executor(pool, students_worker, job) for job in jobs))
    for made_here, samples, server, problems_here in results:
        made += made_here
        problems += problems_here
        for kind, values in samples.items():
            timings.samples.setdefault(kind, []).extend(values)
        for kind, values in server.items():
            timings.server.setdefault(kind, []).extend(values)
    export, dashboard = await lead
    return session, export, dashboard


def _run_loop(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own: works where the caller's thread already
    runs an event loop (a test session that drives a browser through Playwright's sync API)."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _cpu_with_children() -> float:
    """CPU seconds of this process and its finished children (the worker processes; not the server,
    which is still running when this is read)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def check(made, rows, what: str) -> list[str]:
    """Problems if ``rows`` (seat, match, round, choice) do not hold every decision in ``made`` exactly once."""
    expected, found = Counter(made), Counter(rows)
    lost = expected - found
    extra = found - expected
    duplicated = [key for key, count in found.items() if count > 1]
    problems = []
    if lost:
        problems.append(f"{what}: {sum(lost.values())} decisions lost, e.g. {next(iter(lost))}")
    if extra:
        problems.append(f"{what}: {sum(extra.values())} decisions not made by the students, e.g. {next(iter(extra))}")
    if duplicated:
        problems.append(f"{what}: {len(duplicated)} decisions stored more than once, e.g. {duplicated[0]}")
    return problems


def run(students: int = 200, matches: int = 3, continuation: float = 0.9, turns: int | None = None,
        levels: int = 4, power: float = 0.5, poll: float = 0.5, resend: float = 0.05, timeout: float = 90.0,
        seed: int = 1, db: str | None = None, processes: int = 2) -> dict:
    """Run the load test; returns its figures and ``problems`` (empty when nothing was lost or duplicated)."""
    args = argparse.Namespace(students=students, matches=matches, continuation=continuation, turns=turns,
                              levels=levels, power=power, poll=poll, resend=resend, timeout=timeout, seed=seed,
                              processes=max(1, processes))
    folder = None
    if db is None:
        folder = tempfile.TemporaryDirectory()
        db = str(Path(folder.name) / "load.sqlite3")
    server = Server(Path(db), seed)
    timings, made, problems = Timings(), [], []
    started, server_cpu = time.perf_counter(), server.cpu_seconds()
    client_cpu = _cpu_with_children()
    try:
        session, export, dashboard = _run_loop(play(server.base, server.secret, args, timings, made, problems))
    finally:
        wall = time.perf_counter() - started
        client_cpu = _cpu_with_children() - client_cpu
        server_cpu = None if server_cpu is None or server.cpu_seconds() is None else server.cpu_seconds() - server_cpu
        server.stop()
    sid = session["id"]
    # 1. the database, read directly: the students' own choice events
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        events = connection.execute("SELECT kind, payload FROM events WHERE session = ? ORDER BY seq",
                                    (sid,)).fetchall()
    stored = [json.loads(payload) for kind, payload in events if kind == "choice"]
    own = [(p["label"], p["match"], p["round"], p["choice"]) for p in stored if not p["substitute"]]
    problems += check(made, own, "database events")
    dropouts = [json.loads(payload) for kind, payload in events if kind == "dropout"]
    if dropouts:
        problems.append(f"{len(dropouts)} seats dropped out (timeouts): {dropouts[:3]}")
    # ... and the session replayed from the file, as a restarted server would
    from learning_dilemma.classroom.export import decision_rows
    from learning_dilemma.classroom.session import Classroom

    room = Classroom(db)
    replayed = decision_rows(room.session(sid))
    room.close()
    problems += check(made, [(r["seat"], r["match"], r["round"], r["choice"]) for r in replayed
                             if r["student"] and not r["substitute"] and r["choice"]], "replayed session")
    # 2. the export the teacher downloaded
    rows = list(csv.DictReader(io.StringIO(export)))
    problems += check(made, [(r["seat"], int(r["match"]), int(r["round"]), r["choice"]) for r in rows
                             if r["student"] == "1" and r["substitute"] == "0" and r["choice"]], "export")
    if len(rows) != len(replayed):
        problems.append(f"export: {len(rows)} rows, the replayed session {len(replayed)}")
    summary = timings.summary()
    requests = summary["all"]["requests"]
    if folder is not None:
        folder.cleanup()
    return {
        "students": students, "matches": matches, "treatment": {"continuation": continuation, "turns": turns,
                                                                 "levels": levels, "power": power},
        "poll_s": poll, "resend": resend, "decisions": len(made), "rows": len(rows),
        "lengths": dashboard.get("lengths"), "wall_s": wall, "requests": requests,
        "requests_per_s": requests / wall if wall else None, "latency": summary, "problems": problems,
        "server_cpu_s": server_cpu, "client_cpu_s": client_cpu, "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "session": sid,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--matches", type=int, default=3)
    parser.add_argument("--continuation", type=float, default=0.9, help="the shadow of the future (default 0.9)")
    parser.add_argument("--turns", type=int, default=None, help="a fixed match length instead")
    parser.add_argument("--levels", type=int, default=4, help="knowledge levels (default 4)")
    parser.add_argument("--power", type=float, default=0.5)
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between a student's polls (default 0.5)")
    parser.add_argument("--resend", type=float, default=0.05, help="share of choices sent twice (default 0.05)")
    parser.add_argument("--timeout", type=float, default=90.0, help="the session's dropout timeout, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default=None, help="keep the database here (default: a temporary file)")
    parser.add_argument("--processes", type=int, default=2,
                        help="worker processes the simulated students are spread over (default 2)")
    parser.add_argument("--json", default=None, help="write the figures to this file")
    args = parser.parse_args(argv)
    result = run(args.students, args.matches, args.continuation, args.turns, args.levels, args.power, args.poll,
                 args.resend, args.timeout, args.seed, args.db, args.processes)
    print(f"{result['students']} students, {result['matches']} matches (lengths "
          f"{', '.join(str(m['length']) for m in result['lengths'])}), {result['decisions']} decisions, "
          f"{result['rows']} rows exported, {result['requests']} requests in {result['wall_s']:.1f} s "
          f"({result['requests_per_s']:.0f}/s)")
    server_cpu = "?" if result["server_cpu_s"] is None else f"{result['server_cpu_s']:.1f}"
    print(f"CPU: server {server_cpu} s, the simulated students {result['client_cpu_s']:.1f} s, on "
          f"{result['cpus']} CPUs (load average {result['load_average']:.1f} at the end)")
    print("latency as the students saw it (round trip), and the app's own time (Server-Timing):")
    print(f"{'request':<10} {'count':>7} {'median ms':>10} {'p99 ms':>8} {'max ms':>8} {'app median':>11} "
          f"{'app p99':>8}")
    for kind, stats in result["latency"].items():
        print(f"{kind:<10} {stats['requests']:>7} {stats['median_ms']:>10.1f} {stats['p99_ms']:>8.1f} "
              f"{stats['max_ms']:>8.1f} {stats['app_median_ms']:>11.1f} {stats['app_p99_ms']:>8.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    if result["problems"]:
        for problem in result["problems"]:
            print(f"FAILED: {problem}", file=sys.stderr)
        return 1
    print("every decision is in the database and in the export exactly once: none lost, none duplicated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
