"""The live classroom's API (Starlette TestClient): every route, who may call it, validation,
the protocol as the web serves it, the dashboard's figures, the export, and a restart on the
same database with nothing lost."""

from __future__ import annotations

import csv
import io

import pytest

pytest.importorskip("starlette")


def create(client, teacher, **treatment):
    treatment = dict({"continuation": 0.9, "knowledge_levels": 3, "power": 0.5}, **treatment)
    response = client.post("/api/sessions", json={"treatment": treatment}, headers=teacher)
    assert response.status_code == 201, response.text
    return response.json()


def join(client, code):
    response = client.post("/api/join", json={"code": code})
    assert response.status_code == 201, response.text
    return response.json()


def student(seat):
    return {"X-Student-Token": seat["token"]}


def state(client, seat):
    response = client.get(f"/api/sessions/{seat['session']}/seats/{seat['label']}", headers=student(seat))
    assert response.status_code == 200, response.text
    return response.json()


def choose(client, seat, view, choice):
    return client.post(f"/api/sessions/{seat['session']}/seats/{seat['label']}/choice", headers=student(seat),
                       json={"match": view["match"], "round": view["round"], "choice": choice})


def play_out(client, seats, rule=lambda label, round_: "GIVE", limit=10_000):
    """Every seat plays ``rule`` until no seat has a round to choose; returns the choices made per seat."""
    made = {seat["label"]: [] for seat in seats}
    for _ in range(limit):
        moved = False
        for seat in seats:
            view = state(client, seat)
            if view["status"] == "choose":
                choice = rule(seat["label"], view["round"])
                assert choose(client, seat, view, choice).status_code == 200
                made[seat["label"]].append((view["match"], view["round"], choice))
                moved = True
        if not moved:
            return made
    raise AssertionError("the match did not end")


def export_rows(client, session_id, teacher):
    response = client.get(f"/api/sessions/{session_id}/export.csv", headers=teacher)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def own_choices(rows):
    """(seat, match, round, choice) of every decision a student made, from the export."""
    return sorted((r["seat"], int(r["match"]), int(r["round"]), r["choice"]) for r in rows
                  if r["student"] == "1" and r["substitute"] == "0" and r["choice"])


def as_rows(made):
    return sorted((label, m, t, c) for label, choices in made.items() for m, t, c in choices)


# --- who may call what --------------------------------------------------------------------------------

TEACHER_ROUTES = [
    ("get", "/api/sessions", None), ("post", "/api/sessions", {"treatment": {}}), ("get", "/api/sessions/{id}", None),
    ("post", "/api/sessions/{id}/start", {}), ("post", "/api/sessions/{id}/stop", {}),
    ("post", "/api/sessions/{id}/absent", {"label": "S1"}), ("post", "/api/sessions/{id}/end", {}),
    ("get", "/api/sessions/{id}/analysis", None), ("get", "/api/sessions/{id}/export.csv", None),
]


@pytest.mark.parametrize("method, path, body", TEACHER_ROUTES, ids=lambda v: v if isinstance(v, str) else None)
def test_the_teachers_controls_refuse_anyone_without_the_teachers_secret(client, teacher, method, path, body):
    session = create(client, teacher)
    seat = join(client, session["code"])
    path = path.format(id=session["id"])
    before = client.app.state.store.count()
    kwargs = {} if body is None else {"json": body}
    for headers in ({}, student(seat), {"X-Teacher-Key": seat["token"]}, {"X-Teacher-Key": "x" * 32},
                    {"X-Teacher-Key": teacher["X-Teacher-Key"][:-1]}):
        response = getattr(client, method)(path, headers=headers, **kwargs)
        assert response.status_code == 403, (headers, response.text)
        assert "teacher" in response.json()["error"]
    assert client.app.state.store.count() == before  # nothing was done
    allowed = getattr(client, method)(path, headers=teacher, **kwargs)
    assert allowed.status_code in (200, 201) or (path.endswith("/stop") and allowed.status_code == 409)


def test_the_teachers_link_sets_a_strict_cookie_and_hides_the_secret(client):
    secret = client.app.state.teacher_secret
    assert client.get("/teacher?key=wrong", follow_redirects=False).status_code == 403
    assert client.get("/api/sessions").status_code == 403
    response = client.get(f"/teacher?key={secret}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/teacher"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/api/sessions").status_code == 200  # the cookie now opens the controls


def test_a_student_cannot_read_or_change_another_seat(client, teacher):
    session = create(client, teacher)
    other = create(client, teacher)
    s1, s2 = join(client, session["code"]), join(client, session["code"])
    elsewhere = join(client, other["code"])
    assert client.post(f"/api/sessions/{session['id']}/start", json={}, headers=teacher).status_code == 200
    view = state(client, s1)
    sid = session["id"]
    before = client.app.state.store.count()
    # another seat's state, with my token
    response = client.get(f"/api/sessions/{sid}/seats/S2", headers=student(s1))
    assert response.status_code == 403 and "your token opens S1" in response.json()["error"]
    # a choice for another seat, with my token
    response = client.post(f"/api/sessions/{sid}/seats/S2/choice", headers=student(s1),
                           json={"match": view["match"], "round": view["round"], "choice": "TAKE"})
    assert response.status_code == 403
    # a seat of another session with this session's token, and the other way round
    assert client.get(f"/api/sessions/{other['id']}/seats/S1", headers=student(s1)).status_code == 403
    assert client.get(f"/api/sessions/{sid}/seats/S1", headers=student(elsewhere)).status_code == 403
    # no token, a made-up token, an overlong token
    for headers in ({}, {"X-Student-Token": "made-up"}, {"X-Student-Token": "x" * 5000}):
        assert client.get(f"/api/sessions/{sid}/seats/S1", headers=headers).status_code == 403
    assert client.app.state.store.count() == before  # nothing was stored for any of them
    assert state(client, s2)["history"] == []
    # what a student sees holds nothing of another seat's identity and never the match's length
    seen = str(state(client, s1))
    assert "S2" not in seen and "length" not in seen and s2["token"] not in seen


def test_the_student_view_never_holds_the_horizon(client, teacher):
    session = create(client, teacher, continuation=0.95)
    seats = [join(client, session["code"]) for _ in range(2)]
    client.post(f"/api/sessions/{session['id']}/start", json={}, headers=teacher)

    def keys(value):
        if isinstance(value, dict):
            return set(value) | set().union(*(keys(v) for v in value.values()))
        if isinstance(value, list):
            return set().union(set(), *(keys(v) for v in value))
        return set()

    view = state(client, seats[0])
    assert not {"length", "lengths", "turns", "horizon"} & keys(view)
    dashboard = client.get(f"/api/sessions/{session['id']}", headers=teacher).json()
    assert dashboard["lengths"] == []  # not even the projected dashboard shows it while the match runs


# --- the protocol, as served -----------------------------------------------------------------------------

def test_an_odd_class_plays_a_match_to_the_end_and_every_decision_is_exported_once(client, teacher):
    session = create(client, teacher)
    seats = [join(client, session["code"]) for _ in range(3)]
    assert [s["label"] for s in seats] == ["S1", "S2", "S3"]
    started = client.post(f"/api/sessions/{session['id']}/start", json={}, headers=teacher).json()
    assert started == {"match": 1, "units": 2, "seats": 3}  # two pairs: one student meets the substitute
    made = play_out(client, seats, rule=lambda label, t: "TAKE" if label == "S2" and t % 2 else "GIVE")
    rows = export_rows(client, session["id"], teacher)
    assert own_choices(rows) == as_rows(made)
    robot = [r for r in rows if r["seat"] == "substitute"]
    assert robot and all(r["substitute"] == "1" and r["student"] == "0" for r in robot)
    lengths = {len([r for r in rows if r["seat"] == s["label"]]) for s in seats}
    assert len(lengths) == 1  # every pair plays the same drawn number of rounds (Dal Bo & Frechette 2011)
    dashboard = client.get(f"/api/sessions/{session['id']}", headers=teacher).json()
    assert dashboard["lengths"] == [{"match": 1, "length": lengths.pop()}]  # shown once the match is over
    assert dashboard["decisions"] == len(rows)
    assert {s["label"]: s["decisions"] for s in dashboard["seats"]} == {k: len(v) for k, v in made.items()}


def test_the_dashboards_figures_are_those_of_the_exported_rounds(client, teacher):
    session = create(client, teacher, knowledge_levels=4, power=0.8, pace=0.5)
    seats = [join(client, session["code"]) for _ in range(4)]
    client.post(f"/api/sessions/{session['id']}/start", json={}, headers=teacher)
    play_out(client, seats, rule=lambda label, t: "TAKE" if (label, t % 3) in (("S1", 0), ("S3", 1)) else "GIVE")
    rows = export_rows(client, session["id"], teacher)
    charts = client.get(f"/api/sessions/{session['id']}", headers=teacher).json()["charts"]["matches"][0]
    rounds = max(int(r["round"]) for r in rows)
    for t in range(1, rounds + 1):
        here = [r for r in rows if int(r["round"]) == t]
        played = [r for r in here if r["move"] != "EXIT"]
        giving = sum(r["move"] == "GIVE" for r in played) / len(played) if played else None
        assert charts["giving"][t - 1] == [t, pytest.approx(giving) if giving is not None else None]
        units = {}
        for r in here:
            units.setdefault(r["unit"], []).append(r)
        open_pairs = [u for u in units.values() if all(r["move"] != "EXIT" for r in u)]
        mutual = (sum(all(r["move"] == "GIVE" for r in u) for u in open_pairs) / len(open_pairs)
                  if open_pairs else None)
        assert charts["mutual"][t - 1] == [t, pytest.approx(mutual) if mutual is not None else None]
        gaps = [abs(int(u[0]["stakes_after"]) - int(u[1]["stakes_after"])) for u in open_pairs]
        assert charts["power_gap"][t - 1] == [t, pytest.approx(sum(gaps) / len(gaps)) if gaps else None]
        closed = sum(1 for u in units.values() if u[0]["alliance_open"] == "0") / len(units)
        assert charts["closed"][t - 1] == [t, pytest.approx(closed)]


def test_rematching_avoids_the_previous_partner(client, teacher):
    session = create(client, teacher, turns=1)
    seats = [join(client, session["code"]) for _ in range(4)]
    partners = []
    for match in (1, 2):
        assert client.post(f"/api/sessions/{session['id']}/start", json={}, headers=teacher).json()["match"] == match
        play_out(client, seats)
        rows = [r for r in export_rows(client, session["id"], teacher) if int(r["match"]) == match]
        pairs = {}
        for r in rows:
            pairs.setdefault(r["unit"], set()).add(r["seat"])
        partners.append({frozenset(p) for p in pairs.values()})
    assert not partners[0] & partners[1]


def test_choices_are_validated_and_idempotent(client, teacher):
    session = create(client, teacher)
    s1, s2 = join(client, session["code"]), join(client, session["code"])
    client.post(f"/api/sessions/{session['id']}/start", json={}, headers=teacher)
    view = state(client, s1)
    url = f"/api/sessions/{session['id']}/seats/S1/choice"
    for body, status, key in [
        ({"match": 1, "round": 1, "choice": "MAYBE"}, 400, "choice"),
        ({"match": 1, "round": 1, "choice": "LEAVE"}, 400, "exit"),       # exit is off in this treatment
        ({"match": 1, "round": 1}, 400, "choice"),
        ({"match": "1", "round": 1, "choice": "GIVE"}, 400, "match"),
        ({"match": 1, "round": 1, "choice": "GIVE", "extra": 1}, 400, "extra"),
        ({"match": 1, "round": 2, "choice": "GIVE"}, 409, "round"),
        ({"match": 2, "round": 1, "choice": "GIVE"}, 409, "match"),
    ]:
        response = client.post(url, json=body, headers=student(s1))
        assert response.status_code == status, (body, response.text)
        assert key in response.json()["error"]
    before = client.app.state.store.count()
    assert choose(client, s1, view, "GIVE").status_code == 200
    stored = client.app.state.store.count()
    assert stored == before + 1
    assert choose(client, s1, view, "GIVE").status_code == 200   # the same again: nothing new
    assert client.app.state.store.count() == stored
    assert choose(client, s1, view, "TAKE").status_code == 409   # another choice for a chosen round
    assert state(client, s1)["status"] == "chosen"


def test_marking_a_student_absent_lets_the_substitute_play_and_marks_it(client, teacher):
    session = create(client, teacher, continuation=0.95, knowledge_levels=0, power=0.0)
    s1, s2 = join(client, session["code"]), join(client, session["code"])
    sid = session["id"]
    client.post(f"/api/sessions/{sid}/start", json={}, headers=teacher)
    view = state(client, s1)
    assert choose(client, s1, view, "TAKE").status_code == 200
    response = client.post(f"/api/sessions/{sid}/absent", json={"label": "S2"}, headers=teacher)
    assert response.status_code == 200
    assert client.post(f"/api/sessions/{sid}/absent", json={"label": "S9"}, headers=teacher).status_code == 404
    assert client.post(f"/api/sessions/{sid}/absent", json={"label": 2}, headers=teacher).status_code == 400
    rows = export_rows(client, sid, teacher)
    first = {r["seat"]: r for r in rows if r["round"] == "1"}
    assert first["S2"]["substitute"] == "1" and first["S2"]["choice"] == "GIVE"  # Tit For Tat gives first
    assert first["S1"]["substitute"] == "0" and first["S1"]["choice"] == "TAKE"
    dashboard = client.get(f"/api/sessions/{sid}", headers=teacher).json()
    assert {s["label"]: s["status"] for s in dashboard["seats"]} == {"S1": "present", "S2": "absent"}
    # S1 plays on against the substitute; the substitute answers S1's take with a take (Tit For Tat)
    view = state(client, s1)
    assert view["status"] == "choose" and view["round"] == 2  # (this seed's match is longer than 1 round)
    assert choose(client, s1, view, "GIVE").status_code == 200
    rows = export_rows(client, sid, teacher)
    second = {r["seat"]: r for r in rows if r["round"] == "2"}
    assert second["S2"]["substitute"] == "1" and second["S2"]["choice"] == "TAKE"
    # the student who comes back (calls with the same token) has the seat again
    assert state(client, s2)["label"] == "S2"
    dashboard = client.get(f"/api/sessions/{sid}", headers=teacher).json()
    assert {s["label"]: s["status"] for s in dashboard["seats"]}["S2"] == "present"


@pytest.mark.parametrize("by", ["dashboard", "ticker"])
def test_a_student_who_times_out_is_replaced_by_the_substitute(make_client, clock, by):
    """A seat that has not chosen within the session's timeout is played by the substitute
    (Tit For Tat by default), marked substitute = 1; either the dashboard's poll or the server's
    own ticker applies the timeout."""
    import time

    client = make_client(seed=4, clock=clock, tick_seconds=0.02 if by == "ticker" else 0)
    teacher = {"X-Teacher-Key": client.app.state.teacher_secret}
    response = client.post("/api/sessions", headers=teacher, json={
        "treatment": {"continuation": 0.95, "knowledge_levels": 0}, "timeout": 30})
    session = response.json()
    sid = session["id"]
    s1, s2 = join(client, session["code"]), join(client, session["code"])
    client.post(f"/api/sessions/{sid}/start", json={}, headers=teacher)
    assert choose(client, s1, state(client, s1), "TAKE").status_code == 200
    clock.now += 29
    client.get(f"/api/sessions/{sid}", headers=teacher)
    assert [r for r in export_rows(client, sid, teacher) if r["seat"] == "S2"] == []  # not yet
    clock.now += 2
    if by == "dashboard":
        client.get(f"/api/sessions/{sid}", headers=teacher)
    for _ in range(500):  # the ticker runs every 0.02 s: wait for it (nothing is timed)
        rows = [r for r in export_rows(client, sid, teacher) if r["seat"] == "S2"]
        if rows:
            break
        time.sleep(0.01)
    assert rows[0]["substitute"] == "1" and rows[0]["choice"] == "GIVE"
    seats = client.get(f"/api/sessions/{sid}", headers=teacher).json()["seats"]
    assert {s["label"]: (s["status"], s["reason"]) for s in seats}["S2"] == ("absent", "timeout")


def test_the_teacher_stops_and_ends_and_students_see_it(client, teacher):
    session = create(client, teacher, continuation=0.99)
    seats = [join(client, session["code"]) for _ in range(2)]
    sid = session["id"]
    assert client.post(f"/api/sessions/{sid}/stop", json={}, headers=teacher).status_code == 409  # none running
    client.post(f"/api/sessions/{sid}/start", json={}, headers=teacher)
    assert client.post(f"/api/sessions/{sid}/start", json={}, headers=teacher).status_code == 409  # one running
    view = state(client, seats[0])
    choose(client, seats[0], view, "GIVE")
    choose(client, seats[1], state(client, seats[1]), "GIVE")
    assert client.post(f"/api/sessions/{sid}/stop", json={"now": 1}, headers=teacher).status_code == 400
    assert client.post(f"/api/sessions/{sid}/stop", json={}, headers=teacher).status_code == 200
    assert state(client, seats[0])["status"] != "choose"
    assert client.post(f"/api/sessions/{sid}/end", json={}, headers=teacher).status_code == 200
    assert state(client, seats[0])["status"] == "ended"
    assert client.post("/api/join", json={"code": session["code"]}).status_code == 404  # closed to newcomers
    listed = client.get("/api/sessions", headers=teacher).json()["sessions"]
    assert [s["ended"] for s in listed if s["id"] == sid] == [True]


def test_joining_needs_a_real_code(client, teacher):
    session = create(client, teacher)
    for body, status in [({"code": "ZZZZZZ"}, 404), ({"code": ""}, 400), ({"code": 123456}, 400),
                         ({"code": "x" * 100}, 400), ({}, 400), ({"code": session["code"], "name": "Ann"}, 400)]:
        assert client.post("/api/join", json=body).status_code == status, body
    assert join(client, session["code"].lower())["label"] == "S1"  # any case
    seat = join(client, session["code"])
    assert seat["label"] == "S2" and len(seat["token"]) >= 32 and seat["session"] == session["id"]


def test_creating_a_session_validates_the_treatment(client, teacher):
    for body, key in [({"treatment": {"continuation": 1.5}}, "continuation"),
                      ({"treatment": {"continuation": 0.999999999}}, "match_rounds"),
                      ({"treatment": {"group_size": 10 ** 6}}, "group_size"),
                      ({"treatment": {"speed": 1}}, "speed"), ({"treatment": []}, "treatment"),
                      ({"substitute": "Nobody"}, "Nobody"), ({"timeout": -1}, "timeout"),
                      ({"colour": "red"}, "colour")]:
        response = client.post("/api/sessions", json=body, headers=teacher)
        assert response.status_code == 400, (body, response.text)
        assert key in response.json()["error"]
    assert client.get("/api/sessions/nosuchsession", headers=teacher).status_code == 404


def test_the_dashboard_gives_the_join_link_and_its_qr_code(client, teacher):
    segno = pytest.importorskip("segno")
    session = create(client, teacher)
    assert session["join_url"] == f"http://testserver/join?code={session['code']}"
    assert session["qr_svg"].startswith("<svg") and "<script" not in session["qr_svg"]
    # the SVG is segno's code of exactly that link
    from learning_dilemma.classroom.web.live import qr_svg

    assert session["qr_svg"] == qr_svg(session["join_url"])
    assert segno.make(session["join_url"], error="m").designator  # a valid code of the link


def test_the_analysis_estimates_the_classs_strategies_at_the_end(client, teacher):
    session = create(client, teacher, continuation=0.0, turns=6, knowledge_levels=0, power=0.0)
    sid = session["id"]
    first = client.get(f"/api/sessions/{sid}/analysis", headers=teacher).json()
    assert first["estimate"] is None and "play" in first["message"]
    seats = [join(client, session["code"]) for _ in range(4)]
    for _ in range(2):
        client.post(f"/api/sessions/{sid}/start", json={}, headers=teacher)
        # S1, S2 always give; S3, S4 always take
        play_out(client, seats, rule=lambda label, t: "GIVE" if label in ("S1", "S2") else "TAKE")
    client.post(f"/api/sessions/{sid}/end", json={}, headers=teacher)
    analysis = client.get(f"/api/sessions/{sid}/analysis", headers=teacher).json()
    table = analysis["estimate"]["table"]
    assert sum(row["share"] for row in table) == pytest.approx(1.0, abs=1e-6)
    assert analysis["estimate"]["subjects"] == 4 and analysis["estimate"]["decisions"] == 4 * 2 * 6
    # the always-takers are Defector-like (a class with what fits them as well), half the class
    defecting = sum(row["share"] for row in table if "Defector" in row["strategy"])
    assert defecting == pytest.approx(0.5, abs=0.01)
    assert analysis["estimate"]["error"] == pytest.approx(0.0, abs=0.01)
    mix = analysis["mix"]
    assert 1 <= mix["mix_rank"] <= len(mix["ranking"])
    assert "the class's mix" in [row["name"] for row in mix["ranking"]]
    assert all(abs(sum(row) - 1) < 1e-6 for row in mix["replicator"]["shares"])


# --- a restart --------------------------------------------------------------------------------------------

def test_a_new_app_on_the_same_database_resumes_the_session_with_nothing_lost(make_client, tmp_path):
    db = tmp_path / "restart.sqlite3"
    first = make_client(db, seed=3)
    teacher = {"X-Teacher-Key": first.app.state.teacher_secret}
    session = create(first, teacher, continuation=0.99, knowledge_levels=0, power=0.0)
    seats = [join(first, session["code"]) for _ in range(3)]
    first.post(f"/api/sessions/{session['id']}/start", json={}, headers=teacher)
    made = {seat["label"]: [] for seat in seats}
    for seat in seats:  # round 1 for everybody, round 2 for S1 only
        view = state(first, seat)
        assert view["status"] == "choose"
        assert choose(first, seat, view, "GIVE").status_code == 200
        made[seat["label"]].append((1, view["round"], "GIVE"))
    view = state(first, seats[0])
    assert view["status"] == "choose" and view["round"] == 2  # (this seed's match is longer than 1 round)
    assert choose(first, seats[0], view, "TAKE").status_code == 200
    made["S1"].append((1, view["round"], "TAKE"))
    before_rows = export_rows(first, session["id"], teacher)
    before_dashboard = first.get(f"/api/sessions/{session['id']}", headers=teacher).json()
    before_views = [state(first, seat) for seat in seats]
    events = first.app.state.store.count()

    # the server is killed: no clean shutdown; a new app opens the same file
    second = make_client(db, seed=3)
    assert second.app.state.teacher_secret == first.app.state.teacher_secret
    assert second.app.state.store.count() == events
    again = second.get(f"/api/sessions/{session['id']}", headers=teacher).json()
    for key in ("code", "match", "decisions", "charts", "status", "treatment"):
        assert again[key] == before_dashboard[key], key
    assert export_rows(second, session["id"], teacher) == before_rows
    assert [state(second, seat) for seat in seats] == before_views  # the same tokens open the same seats
    # a choice re-sent after the restart (the phone did not hear the answer) changes nothing
    m, t, c = made["S1"][-1]
    response = second.post(f"/api/sessions/{session['id']}/seats/S1/choice", headers=student(seats[0]),
                           json={"match": m, "round": t, "choice": c})
    assert response.status_code == 200 and second.app.state.store.count() == events
    more = play_out(second, seats, rule=lambda label, t: "GIVE" if t % 4 else "TAKE")
    for label, choices in more.items():
        made[label] += choices
    rows = export_rows(second, session["id"], teacher)
    assert own_choices(rows) == as_rows(made)
    assert all(row in rows for row in before_rows)  # what was stored before the restart is kept as it was


def test_group_mode_plays_groups_and_fills_the_last_with_substitutes(client, teacher):
    """Groups of three: four students make one group of three and one student with two
    substitutes (the protocol's choice: every group plays the same n-party game)."""
    session = create(client, teacher, group_size=3, turns=4, knowledge_levels=2, power=0.0)
    seats = [join(client, session["code"]) for _ in range(4)]
    sid = session["id"]
    assert client.post(f"/api/sessions/{sid}/start", json={}, headers=teacher).json() == {
        "match": 1, "units": 2, "seats": 4}
    view = state(client, seats[0])
    assert view["group_size"] == 3 and set(view["stakes"]) == {"you", "partner"}
    made = play_out(client, seats, rule=lambda label, t: "TAKE" if label == "S4" else "GIVE")
    rows = export_rows(client, sid, teacher)
    assert own_choices(rows) == as_rows(made)
    units = {}
    for r in rows:
        if r["round"] == "1":
            units.setdefault(r["unit"], []).append(r["seat"])
    assert sorted(len(u) for u in units.values()) == [3, 3]
    assert sorted(u.count("substitute") for u in units.values()) == [0, 2]
    # a member sees GIVE when enough of the others' gives reached it (the quorum rule): the history
    # shows what the export's "seen" says
    for seat in seats:
        history = state(client, seat)["history"]
        mine = sorted((r for r in rows if r["seat"] == seat["label"]), key=lambda r: int(r["round"]))
        assert [h["partner"] for h in history if h["you"] != "EXIT"] == [
            "GIVE" if r["seen"] == "1" else "TAKE" for r in mine if r["move"] != "EXIT"]
    client.post(f"/api/sessions/{sid}/end", json={}, headers=teacher)
    analysis = client.get(f"/api/sessions/{sid}/analysis", headers=teacher).json()
    assert analysis["estimate"]["subjects"] == 4
    assert sum(row["share"] for row in analysis["estimate"]["table"]) == pytest.approx(1.0, abs=1e-6)
