"""The explorable's API (Starlette TestClient): sliders, the tournament and evolution, a match
against a strategy, validation and limits.

Expected numbers are derived by hand from the stage game (README, "The model"; Axelrod's
R, S, T, P = 3, 0, 5, 1 at the defaults), not copied from the code's output.
"""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")

from learning_dilemma.classroom.web import explorable  # noqa: E402

PD = {"stakes": 0, "ties": 0, "tacitness": 0.0, "receptivity": 1.0, "overlap": 1.0, "power": 0.0}


def sandbox(client, **body):
    response = client.post("/api/explorable/sandbox", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def cell(result, a, b, key="payoffs"):
    names = result["strategies"]
    return result[key][names.index(a)][names.index(b)]


def test_options_list_the_sliders_with_their_bounds_and_the_library(client):
    options = client.get("/api/explorable/options").json()
    sliders = {s["name"]: s for s in options["sliders"]}
    assert set(sliders) == {"continuation", "power", "receptivity", "tacitness", "overlap", "stakes", "pace", "ties"}
    assert sliders["continuation"]["high"] == 0.99  # expected matches of at most 100 rounds
    import warnings

    from learning_dilemma.strategies import ALL_STRATEGIES

    offered = []
    for cls in ALL_STRATEGIES:  # every library strategy but the deprecated ones
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            try:
                cls()
            except DeprecationWarning:
                continue
        offered.append(cls.name)
    assert options["strategies"] == offered and "Tit For Tat" in offered
    assert set(options["mix"]) <= set(options["strategies"])


def test_the_shadow_of_the_future_slider_sets_the_expected_payoffs(client):
    """Tit For Tat against a Defector: S once, then P; per round over a match of mean length
    1/(1-w) that is w P + (1-w) S = w, and the Defector's (1-w) T + w P = 5 - 4w."""
    for w in (0.0, 0.5, 0.9):
        result = sandbox(client, continuation=w, mix={"Tit For Tat": 1, "Defector": 1}, **PD)
        assert cell(result, "Tit For Tat", "Defector") == pytest.approx(w, abs=1e-4)
        assert cell(result, "Defector", "Tit For Tat") == pytest.approx(5 - 4 * w, abs=1e-4)
        assert cell(result, "Tit For Tat", "Tit For Tat") == pytest.approx(3.0, abs=1e-4)
        assert result["expected_rounds"] == pytest.approx(1 / (1 - w), abs=0.01)


def test_the_overlap_receptivity_and_tacitness_sliders_reach_the_game(client):
    mix = {"Cooperator": 1, "Defector": 1}
    # overlap 0 (pre-competitive): R, S, T, P = 3, 1, 2, 1 (LearningGame's docstring, from b, c, e)
    result = sandbox(client, continuation=0.5, mix=mix, **dict(PD, overlap=0.0))
    assert cell(result, "Cooperator", "Defector") == pytest.approx(1.0, abs=1e-4)
    assert cell(result, "Defector", "Cooperator") == pytest.approx(2.0, abs=1e-4)
    assert result["game"] == {"R": 3.0, "S": 1.0, "T": 2.0, "P": 1.0}
    # receptivity 0: nobody absorbs anything, every term but P vanishes
    result = sandbox(client, continuation=0.5, mix=mix, **dict(PD, receptivity=0.0))
    assert result["payoffs"] == [[1.0, 1.0], [1.0, 1.0]]
    # tacitness 1 without ties: no give transfers; only the positional term gamma c (g_j - g_i) is left
    result = sandbox(client, continuation=0.5, mix=mix, **dict(PD, tacitness=1.0))
    assert cell(result, "Cooperator", "Cooperator") == pytest.approx(1.0, abs=1e-4)
    assert cell(result, "Cooperator", "Defector") == pytest.approx(0.0, abs=1e-4)
    assert cell(result, "Defector", "Cooperator") == pytest.approx(2.0, abs=1e-4)


def test_the_power_slider_moves_the_split_between_unequal_learners(client):
    """Power splits the value created by mutual giving by dependence (w_i = 1/2 + strength z_i / 2M).
    Larsson et al.'s Collaboration (receptivity 0.9) and Accommodation (0.1) both give, and the
    fast learner's stakes run down first: with power on the slow learner, still lacking more, depends
    on the other and gets less of the created value; a symmetric pair is not touched."""
    body = dict(continuation=0.9, stakes=4, pace=1.0, mix={"Collaboration": 1, "Accommodation": 1})
    off = sandbox(client, power=0.0, **body)
    on = sandbox(client, power=1.0, **body)
    assert cell(on, "Collaboration", "Accommodation") > cell(off, "Collaboration", "Accommodation") + 0.01
    assert cell(on, "Accommodation", "Collaboration") < cell(off, "Accommodation", "Collaboration") - 0.01
    assert cell(on, "Collaboration", "Collaboration") == pytest.approx(cell(off, "Collaboration", "Collaboration"))


def test_the_ranking_is_the_mean_against_the_others_and_evolution_starts_from_the_mix(client):
    result = sandbox(client, continuation=0.9, mix={"Tit For Tat": 9, "Defector": 1}, **PD)
    scores = {row["strategy"]: row["score"] for row in result["ranking"]}
    assert scores["Tit For Tat"] == pytest.approx(0.9, abs=1e-4)      # against the Defector only
    assert scores["Defector"] == pytest.approx(1.4, abs=1e-4)         # against Tit For Tat only
    assert [row["strategy"] for row in result["ranking"]] == ["Defector", "Tit For Tat"]
    evolution = result["evolution"]
    assert evolution["shares"][0] == pytest.approx([0.9, 0.1])
    # at 9:1, TFT earns 0.9 * 3 + 0.1 * 0.9 = 2.79 and the Defector 0.9 * 1.4 + 0.1 * 1 = 1.36: TFT takes over
    assert evolution["survivors"] == ["Tit For Tat"]
    # a one-shot game (w = 0): the Defector takes over from any interior start
    result = sandbox(client, continuation=0.0, mix={"Tit For Tat": 9, "Defector": 1}, **PD)
    assert result["evolution"]["survivors"] == ["Defector"]


def test_a_weight_of_zero_leaves_a_strategy_out(client):
    result = sandbox(client, mix={"Cooperator": 1, "Defector": 0, "Grudger": 2})
    assert result["strategies"] == ["Cooperator", "Grudger"]


@pytest.mark.parametrize("body, key", [
    ({"continuation": 0.999999999}, "continuation"),
    ({"continuation": 1.0}, "continuation"),
    ({"continuation": -0.1}, "continuation"),
    ({"stakes": 10 ** 9}, "stakes"),
    ({"stakes": 2.5}, "stakes"),
    ({"ties": 9}, "ties"),
    ({"power": "1"}, "power"),
    ({"power": True}, "power"),
    ({"power": None}, "power"),
    ({"pace": 0.0}, "pace"),
    ({"turns": 10 ** 9}, "turns"),
    ({"mix": {"Nobody": 1, "Defector": 1}}, "mix"),
    ({"mix": {"Defector": 1}}, "mix"),
    ({"mix": {"Defector": 1, "Cooperator": 1e9}}, "mix"),
    ({"mix": {"Defector": 1, "Cooperator": -1}}, "mix"),
    ({"mix": ["Defector", "Cooperator"]}, "mix"),
    ({"mix": {name: 1 for name in explorable.strategy_names()[:13]}}, "mix"),
])
def test_a_slider_out_of_range_is_refused_in_one_line_naming_it(client, body, key):
    response = client.post("/api/explorable/sandbox", json=body)
    assert response.status_code == 400
    message = response.json()["error"]
    assert key in message and "\n" not in message and len(message) <= 300


def test_bodies_are_bounded_and_must_be_json_objects(client):
    huge = {"mix": {"Defector": 1, "Cooperator": 1}, "pad": "x" * 40_000}
    assert client.post("/api/explorable/sandbox", json=huge).status_code == 413
    # a body larger than it says is cut off as it arrives, not trusted
    response = client.post("/api/explorable/sandbox", content=b"{" + b" " * 40_000 + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert client.post("/api/explorable/sandbox", content=b"continuation=0.5",
                       headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 415
    assert client.post("/api/explorable/sandbox", content=b"{nope",
                       headers={"content-type": "application/json"}).status_code == 400
    assert client.post("/api/explorable/sandbox", json=[1, 2]).status_code == 400
    deep = b"[" * 20_000 + b"]" * 20_000
    assert client.post("/api/explorable/sandbox", content=deep,
                       headers={"content-type": "application/json"}).status_code in (400, 413)
    nested = b'{"a":' * 3000 + b"1" + b"}" * 3000
    response = client.post("/api/explorable/sandbox", content=nested, headers={"content-type": "application/json"})
    assert response.status_code == 400


# --- a match against a strategy --------------------------------------------------------------------

def practice(client, **body):
    response = client.post("/api/explorable/practice", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_practice_match_is_replayed_from_its_seed_and_moves(client):
    start = practice(client, opponent="Tit For Tat", seed=None, settings={"continuation": 0.99}, moves=[])
    assert isinstance(start["seed"], int) and 0 <= start["seed"] < 2 ** 53 and start["rounds"] == []
    assert start["open"] and start["length"] is None      # the horizon is never shown before the end
    settings = {"continuation": 0.99, "power": 0.0}
    moves = ["GIVE", "TAKE", "TAKE", "GIVE", "GIVE"]
    played = practice(client, opponent="Tit For Tat", seed=12345, settings=settings, moves=moves)
    assert played == practice(client, opponent="Tit For Tat", seed=12345, settings=settings, moves=moves)
    rounds = played["rounds"]
    assert len(rounds) == 5 and played["open"] and played["length"] is None
    # Tit For Tat gives first, then copies the person's previous move
    assert [r["moves"][1] for r in rounds] == ["GIVE"] + moves[:-1]
    assert [r["moves"][0] for r in rounds] == moves
    # power off: Axelrod's R, S, T, P = 3, 0, 5, 1 at full receptivity and overlap, stakes or not
    pd = {("GIVE", "GIVE"): [3, 3], ("TAKE", "GIVE"): [5, 0], ("GIVE", "TAKE"): [0, 5], ("TAKE", "TAKE"): [1, 1]}
    assert [r["payoffs"] for r in rounds] == [pd[tuple(r["moves"])] for r in rounds]
    assert played["totals"] == [sum(r["payoffs"][p] for r in rounds) for p in (0, 1)]
    # stakes run down only by what was learned: never below what the gives received allow
    for r, before in zip(rounds, [[4, 4]] + [r["stakes_after"] for r in rounds]):
        for side in (0, 1):
            received = r["transferred"][1 - side]
            assert before[side] - r["stakes_after"][side] in ((0, 1) if received else (0,))


def test_a_practice_match_ends_and_only_then_shows_its_length(client):
    # w = 0: one round, whatever the seed
    over = practice(client, opponent="Defector", seed=3, settings={"continuation": 0.0, "stakes": 0}, moves=["GIVE"])
    assert not over["open"] and over["length"] == 1 and over["ended"]
    assert over["rounds"][0]["moves"] == ["GIVE", "TAKE"] and over["rounds"][0]["payoffs"] == [0.0, 5.0]
    response = client.post("/api/explorable/practice", json={
        "opponent": "Defector", "seed": 3, "settings": {"continuation": 0.0}, "moves": ["GIVE", "GIVE"]})
    assert response.status_code == 400 and "moves[1]" in response.json()["error"]


def test_leaving_needs_exit_on(client):
    body = {"opponent": "Tit For Tat", "seed": 1, "settings": {"continuation": 0.9}, "moves": ["LEAVE"]}
    response = client.post("/api/explorable/practice", json=body)
    assert response.status_code == 400 and "moves[0]" in response.json()["error"]
    body["settings"]["exit"] = True
    left = practice(client, **body)
    assert left["rounds"][0]["moves"] == ["LEAVE", "LEAVE"] and not left["open"]
    assert left["rounds"][0]["payoffs"] == [1.0, 1.0]  # the loner's P for both (Hauert et al. 2002)


@pytest.mark.parametrize("body, key", [
    ({"opponent": "Nobody"}, "opponent"),
    ({"opponent": 3}, "opponent"),
    ({"seed": -1}, "seed"),
    ({"seed": 2 ** 60}, "seed"),
    ({"seed": "1"}, "seed"),
    ({"moves": "GGG"}, "moves"),
    ({"moves": ["MAYBE"]}, "moves[0]"),
    ({"moves": ["GIVE"] * 2001}, "moves"),
    ({"settings": {"continuation": 0.999999999}}, "continuation"),
    ({"settings": {"exit": "yes"}}, "settings.exit"),
    ({"settings": {"mix": {}}}, "mix"),
    ({"settings": []}, "settings"),
    ({"speed": 1}, "speed"),
])
def test_a_bad_practice_request_is_refused_in_one_line(client, body, key):
    body = dict({"opponent": "Tit For Tat", "seed": 1, "settings": {}, "moves": []}, **body)
    response = client.post("/api/explorable/practice", json=body)
    assert response.status_code == 400, response.text
    assert key in response.json()["error"]


# --- pages ------------------------------------------------------------------------------------------

def test_pages_load_only_from_this_server(client):
    import re

    from learning_dilemma.classroom.web.app import STATIC

    for path in ("/", "/join", "/teacher"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    for name in ("explorable.html", "teacher.html", "student.html", "common.js", "explorable.js", "teacher.js",
                 "student.js", "style.css"):
        text = (STATIC / name).read_text()
        # no address outside this server, except the SVG namespace (a name, never fetched)
        outside = [u for u in re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"')]*", text)
                   if not u.startswith("http://www.w3.org/")]
        assert outside == [], (name, outside)
        assert "<script>" not in text and "onclick=" not in text  # nothing inline: the policy forbids it
        assert client.get(f"/static/{name}").status_code == 200
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/api/nothing").json()["error"]
