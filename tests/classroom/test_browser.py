"""The classroom in a real browser (Debian's Chromium driven by Playwright).

The server runs on 127.0.0.1 on a free port (uvicorn in a thread, :class:`conftest.LiveServer`);
the teacher and two students each have their own browser context (their own cookies and
storage, as three devices would). Without Chromium or Playwright these tests skip and say
why; with CI=true that is a failure (conftest.py).
"""

from __future__ import annotations

import csv
import io
import re

import pytest

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WAIT = 30_000  # ms: generous for a loaded CI machine; nothing is timed


def watch(page):
    """Collect the page's script errors (a test fails on any)."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_teacher_and_two_students_complete_a_session(browser, live_server):
    teacher_context = browser.new_context(**DESKTOP)
    teacher = teacher_context.new_page()
    problems = watch(teacher)
    # the link the command prints: it sets the teacher's cookie and leaves the secret out of the address
    teacher.goto(f"{live_server.url}/teacher?key={live_server.secret}")
    assert teacher.url == f"{live_server.url}/teacher"
    teacher.wait_for_selector("#create:not(.hidden)", timeout=WAIT)
    teacher.click("#create-button")
    teacher.wait_for_selector("#session:not(.hidden)", timeout=WAIT)
    teacher.wait_for_function("() => document.getElementById('code').textContent.length === 6", timeout=WAIT)
    code = teacher.inner_text("#code")
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert teacher.locator("#qr svg").count() == 1               # the QR code, inline SVG from segno
    join_url = teacher.get_attribute("#join-link", "href")
    assert join_url.endswith(f"/join?code={code}")

    students = []
    for k in range(2):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        problems += watch(page)
        page.goto(join_url)                                      # the QR code's link fills the code in
        assert page.input_value("#code") == code
        page.click("#join-button")
        page.wait_for_function("() => document.body.dataset.status === 'waiting'", timeout=WAIT)
        students.append((context, page))
    labels = sorted(page.get_attribute("body", "data-label") for _, page in students)
    assert labels == ["S1", "S2"]
    teacher.wait_for_function("() => document.querySelectorAll('#seats tbody tr').length === 2", timeout=WAIT)

    teacher.click("#start")
    teacher.wait_for_function("() => document.body.dataset.playing === 'true'", timeout=WAIT)
    plays = {"S1": 0, "S2": 0}
    # play until the match is over: S1 always gives, S2 gives then takes every third round
    for step in range(400):
        moved = False
        for _, page in students:
            status = page.get_attribute("body", "data-status")
            if status == "choose":
                label = page.get_attribute("body", "data-label")
                round_ = int(page.get_attribute("body", "data-round"))
                choice = "GIVE" if label == "S1" or round_ % 3 else "TAKE"
                page.click(f"#choices button[data-choice={choice}]")
                page.wait_for_function(f"() => document.body.dataset.status !== 'choose' || "
                                       f"document.body.dataset.round !== '{round_}'", timeout=WAIT)
                plays[label] += 1
                moved = True
        if not moved:
            if teacher.get_attribute("body", "data-playing") == "false" and plays["S1"]:
                break
            students[0][1].wait_for_timeout(200)
    else:
        pytest.fail("the match did not end within 400 steps")
    teacher.wait_for_function("() => document.body.dataset.playing === 'false'", timeout=WAIT)
    assert plays["S1"] >= 1 and plays["S2"] >= 1

    # each student sees their own rounds, and never the match's length
    for _, page in students:
        page.wait_for_function("() => document.body.dataset.status === 'match over'", timeout=WAIT)
        rows = page.locator("#history tbody tr").count()
        assert rows >= 1
        assert "length" not in page.inner_text("body").lower()

    # the dashboard, live: the charts drew the match, the seats show their decisions
    assert teacher.locator("#chart-giving path[data-series='match 1']").count() == 1
    assert teacher.locator("#chart-mutual path[data-series='match 1'], #chart-mutual circle").count() >= 1
    decisions = {row.get_attribute("data-label"): int(row.locator("td").nth(3).inner_text())
                 for row in teacher.locator("#seats tbody tr").all()}
    assert decisions == plays

    teacher.on("dialog", lambda dialog: dialog.accept())
    teacher.click("#end")
    teacher.wait_for_function("() => document.body.dataset.ended === 'true'", timeout=WAIT)
    teacher.wait_for_selector("#estimate-table tbody tr", timeout=120_000)  # the estimation, at the end
    teacher.wait_for_selector("#mix-evolution svg path", state="attached", timeout=WAIT)
    shares = [float(row.locator("td").nth(1).inner_text()) for row in teacher.locator("#estimate-table tbody tr").all()]
    assert abs(sum(shares) - 1.0) < 0.02
    for _, page in students:
        page.wait_for_function("() => document.body.dataset.status === 'ended'", timeout=WAIT)

    # the export, through the teacher's own cookie: every decision once
    href = teacher.get_attribute("#export", "href")
    response = teacher_context.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    rows = list(csv.DictReader(io.StringIO(response.text())))
    chosen = {}
    for row in rows:
        if row["student"] == "1" and row["choice"] and row["substitute"] == "0":
            chosen[row["seat"]] = chosen.get(row["seat"], 0) + 1
    assert chosen == plays
    assert len({(r["match"], r["round"], r["unit"], r["slot"]) for r in rows}) == len(rows)

    # the student's phone cannot open the teacher's controls
    student_context = students[0][0]
    refused = student_context.request.get(f"{live_server.url}/api/sessions")
    assert refused.status == 403
    assert problems == []
    for context, _ in students:
        context.close()
    teacher_context.close()


def test_the_explorables_sliders_change_what_is_shown(browser, live_server):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    problems = watch(page)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.body.dataset.sandbox === 'ready'", timeout=WAIT)
    page.wait_for_selector("#ranking-table tbody tr", timeout=WAIT)
    before = page.inner_text("#evolution-summary")
    ranking_before = page.inner_text("#ranking-table")
    # a short shadow of the future: cooperation no longer pays, and evolution says so
    page.locator("#slider-continuation").fill("0.1")
    page.wait_for_function(f"() => document.getElementById('evolution-summary').textContent !== {before!r}",
                           timeout=WAIT)
    page.wait_for_function("() => document.body.dataset.sandbox === 'ready'", timeout=WAIT)
    after = page.inner_text("#evolution-summary")
    assert page.inner_text("#value-continuation") == "0.1"
    assert "Defector" in after and "Tit For Tat" not in after
    assert "Tit For Tat" in before
    assert page.inner_text("#ranking-table") != ranking_before
    assert "expected match length 1.11 rounds" in page.inner_text("#game-summary")
    page.locator("#slider-continuation").fill("0.9")
    page.wait_for_function(f"() => document.getElementById('evolution-summary').textContent === {before!r}",
                           timeout=WAIT)
    shoot(page.locator("#sandbox"), "sandbox")

    # the population mix: weight 0 takes a strategy out of the evolution
    page.locator("input[data-strategy='Defector']").fill("0")
    page.wait_for_function("() => !document.getElementById('evolution').textContent.includes('Defector')", timeout=WAIT)

    # play a match against Tit For Tat: the table grows round by round, from the server
    page.select_option("#opponent", "Tit For Tat")
    page.click("#start")
    page.wait_for_selector("#board:not(.hidden)", timeout=WAIT)
    page.click("#board button[data-choice=GIVE]")
    page.wait_for_selector("#rounds tbody tr", timeout=WAIT)
    first = page.locator("#rounds tbody tr").last.locator("td")
    assert first.nth(1).inner_text() == "GIVE" and first.nth(2).inner_text() == "GIVE"  # TFT gives first
    for choice in ("TAKE", "GIVE", "GIVE"):
        if page.get_attribute("body", "data-play") != "open":
            break
        rows = page.locator("#rounds tbody tr").count()
        page.click(f"#board button[data-choice={choice}]")
        page.wait_for_function(f"() => document.querySelectorAll('#rounds tbody tr').length > {rows}", timeout=WAIT)
    shoot(page.locator("#play"), "explorable")
    assert problems == []
    context.close()


def test_a_restarted_server_gives_the_teacher_the_same_link_and_the_student_their_seat(browser, server_class,
                                                                                       tmp_path):
    """Kill the server mid-match, start a new one on the same file: the student's page carries on."""
    db = tmp_path / "classroom.sqlite3"
    with server_class(db, seed=5) as first:
        secret = first.secret
        context = browser.new_context(**DESKTOP)
        teacher = context.new_page()
        teacher.goto(f"{first.url}/teacher?key={secret}")
        teacher.click("#create-button")
        teacher.wait_for_function("() => document.getElementById('code').textContent.length === 6", timeout=WAIT)
        code = teacher.inner_text("#code")
        phone = browser.new_context(**PHONE)
        student = phone.new_page()
        student.goto(f"{first.url}/join?code={code}")
        student.click("#join-button")
        student.wait_for_function("() => document.body.dataset.status === 'waiting'", timeout=WAIT)
        teacher.click("#start")
        student.wait_for_function("() => document.body.dataset.status === 'choose'", timeout=WAIT)
        student.click("#choices button[data-choice=GIVE]")
        student.wait_for_function("() => document.body.dataset.round !== '1' || "
                                  "document.body.dataset.status !== 'choose'", timeout=WAIT)
        played = student.locator("#history tbody tr").count()
        port = first.port
        context.close()
    # the same port, so the student's open page reconnects by itself
    second = server_class(db, port=port, seed=5)
    with second:
        assert second.secret == secret
        student.wait_for_function(f"() => document.querySelectorAll('#history tbody tr').length >= {played}",
                                  timeout=WAIT)
        student.reload()
        student.wait_for_function("() => ['choose', 'match over', 'chosen'].includes(document.body.dataset.status)",
                                  timeout=WAIT)
        assert student.locator("#history tbody tr").count() == played
        phone.close()


def shoot(target, name: str, full_page: bool = False) -> None:
    """Save a screenshot of a page or an element for the docs when CLASSROOM_SCREENSHOTS names a
    folder (``CLASSROOM_SCREENSHOTS=docs/images pytest tests/classroom/test_browser.py``)."""
    import os

    folder = os.environ.get("CLASSROOM_SCREENSHOTS")
    if folder:
        path = f"{folder}/classroom-{name}.png"
        target.screenshot(path=path, full_page=True) if full_page else target.screenshot(path=path)


class Robots:
    """Simulated students (httpx, in a thread) who fill a class beside the browser's phones:
    each gives with its own fixed propensity, drawn from a seeded generator."""

    def __init__(self, url: str, code: str, count: int, seed: int = 1):
        import threading

        import httpx
        import numpy as np

        self.client = httpx.Client(base_url=url, timeout=30)
        self.seats = [self.client.post("/api/join", json={"code": code}).json() for _ in range(count)]
        self.rng = np.random.default_rng(seed)
        self.propensity = {seat["label"]: p for seat, p in zip(self.seats, self.rng.uniform(0.1, 0.95, count))}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            for seat in self.seats:
                headers = {"X-Student-Token": seat["token"]}
                url = f"/api/sessions/{seat['session']}/seats/{seat['label']}"
                view = self.client.get(url, headers=headers).json()
                if view.get("status") == "choose":
                    choice = "GIVE" if self.rng.random() < self.propensity[seat["label"]] else "TAKE"
                    self.client.post(f"{url}/choice", headers=headers,
                                     json={"match": view["match"], "round": view["round"], "choice": choice})
            self.stop.wait(0.1)

    def close(self):
        self.stop.set()
        self.thread.join(timeout=30)
        self.client.close()


def test_a_class_of_ten_on_the_dashboard_over_two_matches(browser, live_server):
    """Two phones in the browser and eight simulated students: the dashboard lists ten seats, draws
    both matches in each chart, and at the end sets the class's estimated mix beside the library."""
    teacher_context = browser.new_context(**DESKTOP)
    teacher = teacher_context.new_page()
    problems = watch(teacher)
    teacher.goto(f"{live_server.url}/teacher?key={live_server.secret}")
    teacher.wait_for_selector("#create:not(.hidden)", timeout=WAIT)
    teacher.check("#create-form [name=tacit]")
    teacher.locator("#create-form [name=overlap]").fill("0.8")
    teacher.click("#create-button")
    teacher.wait_for_function("() => document.getElementById('code').textContent.length === 6", timeout=WAIT)
    code = teacher.inner_text("#code")
    assert "tacit knowledge (0.5, ties of 3)" in teacher.inner_text("#treatment")
    assert "overlap 0.8" in teacher.inner_text("#treatment")
    phones = []
    for _ in range(2):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        problems += watch(page)
        page.goto(f"{live_server.url}/join?code={code}")
        page.click("#join-button")
        page.wait_for_function("() => document.body.dataset.status === 'waiting'", timeout=WAIT)
        phones.append((context, page))
    robots = Robots(live_server.url, code, 8)
    try:
        teacher.wait_for_function("() => document.querySelectorAll('#seats tbody tr').length === 10", timeout=WAIT)
        shot = False
        for match in (1, 2):
            teacher.click("#start")
            teacher.wait_for_function(f"() => document.body.dataset.match === '{match}' && "
                                      "document.body.dataset.playing === 'true'", timeout=WAIT)
            for _ in range(2000):
                if teacher.get_attribute("body", "data-playing") == "false":
                    break
                for _, page in phones:
                    if page.get_attribute("body", "data-status") == "choose":
                        round_ = page.get_attribute("body", "data-round")
                        page.click("#choices button[data-choice=GIVE]" if int(round_) % 4
                                   else "#choices button[data-choice=TAKE]")
                        page.wait_for_function(f"() => document.body.dataset.status !== 'choose' || "
                                               f"document.body.dataset.round !== '{round_}'", timeout=WAIT)
                        if match == 2 and not shot and int(round_) >= 2:
                            page.wait_for_function("() => document.body.dataset.status === 'choose' || "
                                                   "document.body.dataset.status === 'chosen'", timeout=WAIT)
                            shoot(page, "student")
                            shot = True
                teacher.wait_for_timeout(100)
            teacher.wait_for_function("() => document.body.dataset.playing === 'false'", timeout=WAIT)
        for chart in ("giving", "mutual", "power", "exits"):
            series = teacher.locator(f"#chart-{chart} [data-series], #chart-{chart} circle").count()
            assert series >= 2, chart  # both matches drawn
        shoot(teacher, "dashboard", full_page=True)
        teacher.on("dialog", lambda dialog: dialog.accept())
        teacher.click("#end")
        teacher.wait_for_selector("#mix-evolution svg path", state="attached", timeout=120_000)
        assert int(teacher.inner_text("#counts").split()[0]) > 0
        assert "of 10 students" in teacher.inner_text("#analysis-body")
        shoot(teacher.locator("#analysis"), "analysis")
    finally:
        robots.close()
    assert problems == []
    for context, _ in phones:
        context.close()
    teacher_context.close()
