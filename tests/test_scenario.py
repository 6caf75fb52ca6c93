"""Scenario files: loading, overrides, one-line validation, and the seeds' contrasts."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.io.scenarios import SCENARIO_DIR, apply_overrides, load_scenario, shipped_names

SHIPPED = ["larsson", "axelrod_classic", "delta", "itcom_bencons", "itcom_insys", "kite", "race_to_learn"]

GOOD = """
name = "tiny"
description = "two players"
seed = 1
repetitions = 2
continuation = 0.8

[game.power]
strength = 0.5

[[players]]
strategy = "Peer"
label = "Ann"

[[players]]
strategy = "Opportunist"
count = 2
"""


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_all_seven_scenarios_ship_default_first():
    assert shipped_names() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_loads_and_runs(name):
    scenario = load_scenario(name, ["repetitions=2"])
    assert scenario.description and scenario.path == SCENARIO_DIR / f"{name}.toml"
    results = scenario.tournament().play()
    assert results.n_players == len(scenario.players) >= 2
    header = scenario.path.read_text().split("\nname")[0].splitlines()
    assert len(header) >= 5 and all(line.startswith("#") for line in header)  # how it maps to the seeds


def test_a_file_with_labels_counts_and_power(tmp_path):
    scenario = load_scenario(write(tmp_path, GOOD))
    assert [p.label for p in scenario.players] == ["Ann", "Opportunist", "Opportunist"]
    assert scenario.game.power.strength == 0.5 and scenario.continuation == 0.8 and scenario.turns is None
    results = scenario.tournament().play()
    assert results.players == ["Ann", "Opportunist", "Opportunist #2"]


@pytest.mark.parametrize(
    "edit, key, words",
    [
        (lambda t: t + "\n[[players]\n", "line 19", "invalid TOML"),
        (lambda t: t + "\nname = \"again\"\n", "players[1].name", "unknown parameter of Opportunist"),
        (lambda t: t.replace("seed = 1", "seed = 1\ncolour = 3"), "colour", "unknown key"),
        (lambda t: t.replace("[game.power]", "[game]\nfun = 1\n[game.power]"), "game.fun", "unknown key"),
        (lambda t: t.replace("strength = 0.5", "strength = 0.5\nspeed = 1"), "game.power.speed", "unknown key"),
        (lambda t: t.replace('strategy = "Peer"', 'strategy = "Pier"'), "players[0].strategy", "did you mean 'Peer'"),
        (lambda t: t.replace('label = "Ann"', 'label = "Ann"\nmood = 2'), "players[0].mood: unknown parameter of Peer",
         "known: receptivity, tacitness, tolerance"),
        (lambda t: t.replace('label = "Ann"', 'label = "Ann"\nreceptivity = "high"'), "players[0].receptivity",
         "must be a number, got 'high' (Peer)"),
        (lambda t: t.replace('label = "Ann"', 'label = "Ann"\ntacitness = 1.5'), "players[0].tacitness", "[0, 1]"),
        (lambda t: t.replace("count = 2", "count = 2.5"), "players[1].count", "whole number"),
        (lambda t: t.replace("count = 2", "count = 1").replace('[[players]]\nstrategy = "Peer"\nlabel = "Ann"\n', ""),
         "players", "at least two players, got 1"),
        (lambda t: t.replace('strategy = "Peer"', 'strategy = 3'), "players[0].strategy", "expected a strategy name"),
        (lambda t: t.replace('strategy = "Peer"', 'strategy = "Boundary Spanner"\norganisation = { strategy = "Nobdy" }'),
         "players[0].organisation.strategy", "unknown strategy 'Nobdy'"),
        (lambda t: t.replace('strategy = "Peer"', 'strategy = "Boundary Spanner"\norganisation = "Opportunist"'),
         "players[0].organisation", "automaton strategy"),
        (lambda t: t + "\n[game.payoffs]\nR = 6\nS = 0\nT = 5\nP = 1\n", "game.payoffs", "not a prisoner's dilemma"),
        (lambda t: t.replace("seed = 1", "seed = 1\n[[game]]\nleak = 1"), "game", "expected a table"),
        (lambda t: t.replace("continuation = 0.8", "continuation = 1.5"), "continuation", "[0, 1)"),
        (lambda t: t.replace("repetitions = 2", "repetitions = -1"), "repetitions", ">= 1"),
        (lambda t: t.replace("continuation = 0.8", "continuation = 0.8\nturns = 5"), "turns", "not both"),
        (lambda t: t.replace("count = 2", "count = 0"), "players[1].count", ">= 1"),
        (lambda t: t.replace("strength = 0.5", "strength = 2"), "game.power.strength", "[0, 1]"),
        (lambda t: t.replace("seed = 1", 'seed = "one"'), "seed", "whole number"),
        (lambda t: t.split("[[players]]")[0], "players", "missing"),
        (lambda t: t.replace('strategy = "Peer"', 'strategy = "__import__(\'os\')"'), "players[0].strategy",
         "unknown strategy"),
    ],
)
def test_bad_files_give_one_line_errors_naming_file_and_key(tmp_path, edit, key, words):
    path = write(tmp_path, edit(GOOD))
    with pytest.raises(ParameterError) as error:
        load_scenario(path)
    message = str(error.value)
    assert message.startswith(str(path)) and key in message and words in message and "\n" not in message


def test_nested_organisation_and_person(tmp_path):
    text = GOOD.replace('strategy = "Peer"\nlabel = "Ann"',
                        'strategy = "Boundary Spanner"\norganisation = { strategy = "Opportunist" }\n'
                        'person = { strategy = "Trust Builder", initial = 4 }')
    player = load_scenario(write(tmp_path, text)).players[0]
    assert player.organisation.label == "Opportunist" and player.person.initial == 4
    bad = text.replace('{ strategy = "Opportunist" }', '{ strategy = "Nobody" }')
    with pytest.raises(ParameterError, match="players\\[0\\].organisation.strategy"):
        load_scenario(write(tmp_path, bad, "bad.toml"))


def test_payoffs_table(tmp_path):
    scenario = load_scenario(write(tmp_path, GOOD + "\n[game.payoffs]\nR = 4\nS = 0\nT = 5\nP = 1\n"))
    assert scenario.game.rstp() == pytest.approx((4, 0, 5, 1))
    with pytest.raises(ParameterError, match="prisoner's dilemma"):
        load_scenario(write(tmp_path, GOOD + "\n[game.payoffs]\nR = 6\nS = 0\nT = 5\nP = 1\n", "x.toml"))


def test_overrides():
    scenario = load_scenario("kite", ["game.power.strength=0.1", "players[0].receptivity=0.2", "turns=30",
                                      "seed=5", 'players[1].label="Zed"'])
    assert scenario.game.power.strength == 0.1 and scenario.players[0].receptivity == 0.2
    assert scenario.turns == 30 and scenario.continuation is None and scenario.seed == 5
    assert scenario.players[3].label == "Zed"  # players[0] had count = 3
    for bad in ["nonsense", "players[99].receptivity=1", "game.power.strength=9", "=3"]:
        with pytest.raises(ParameterError):
            load_scenario("kite", [bad])


def test_overrides_leave_the_original_alone():
    raw = {"a": {"b": 1}}
    assert apply_overrides(raw, ["a.b=2"]) == {"a": {"b": 2}} and raw == {"a": {"b": 1}}


def test_unknown_scenario_lists_the_shipped_ones():
    with pytest.raises(ParameterError, match="shipped scenarios: larsson"):
        load_scenario("nope")


@pytest.mark.parametrize("seed", [2026, 1, 2])
def test_the_seeds_contrasts_come_out(seed):
    def give(name):
        return float(np.mean(load_scenario(name, [f"seed={seed}"]).tournament().play().give_rate))

    assert give("delta") > give("kite") + 0.05
    assert give("itcom_insys") > give("itcom_bencons") + 0.1


@pytest.mark.parametrize(
    "setting, expected",
    [
        ("continuation=1.5", "continuation: must be in [0, 1), got 1.5"),
        ("repetitions=-1", "repetitions: must be a whole number >= 1, got -1"),
        ("initial_power=9", "initial_power: must be in [-3, 3]"),
        ("game.knowledge.levels=0.5", "game.knowledge.levels: must be a whole number >= 0, got 0.5"),
        ("game.knowledge.levels=-1", "game.knowledge.levels: must be a whole number >= 0, got -1"),
        ("game.knowledge.levels=true", "game.knowledge.levels: must be a whole number >= 0, got True"),
        ("game.knowledge.pace=0", "game.knowledge.pace: must be in (0, 1], got 0"),
        ("game.knowledge.pace='fast'", "game.knowledge.pace: must be a number, got 'fast'"),
        ("game.knowledge.pace=nan", "game.knowledge.pace: must be finite"),
        ("game.knowledge.speed=1", "game.knowledge.speed: unknown key; expected one of levels, pace"),
        ("game.knowledge=4", "game.knowledge: expected a table, got 4"),
        ("game.ties.levels=2.5", "game.ties.levels: must be a whole number >= 0, got 2.5"),
        ("game.ties.decay=0.1", "game.ties.decay: unknown key; expected one of levels"),
        ("game.ties=[3]", "game.ties: expected a table"),
        ("game.overlap=1.5", "game.overlap: must be in [0, 1], got 1.5"),
        ("game.overlap=-0.1", "game.overlap: must be in [0, 1], got -0.1"),
        ("game.overlap='high'", "game.overlap: must be a number, got 'high'"),
        ("game.overlap=inf", "game.overlap: must be finite"),
        ("game.domains=3", "game.domains: expected [[game.domains]] tables (name, share, overlap)"),
        ("game.domains=[{name='a', share=1.0}]", "game.domains[0]: missing overlap; expected name, share and overlap"),
        ("game.domains=[{name='a', share=1.0, overlap=0.5}]", "game.overlap: give either game.overlap or "
                                                               "[[game.domains]]"),
        ("game.leak=-1", "game.leak: must be in [0, inf]"),
        ("game.payoffs={R=3,S=0,T=5,P=1,Q=2}", "game.payoffs.Q: unknown key"),
        ("game.payoffs={R=3,S=0,T=5}", "game.payoffs: missing P"),
        ("game.payoffs={R=3,S=0,T=5,P='x'}", "game.payoffs.P: must be a number"),
        ("game.payoffs={R=3,S=0,T=5,P=4}", "game.payoffs: not a prisoner's dilemma"),
        ('description="two\\nlines"', "description: expected one line"),
    ],
)
def test_errors_read_file_key_then_what_was_expected(setting, expected):
    with pytest.raises(ParameterError) as error:
        load_scenario("larsson", [setting])
    assert str(error.value).startswith(f"{SCENARIO_DIR / 'larsson.toml'}: {expected}")


def test_payoffs_exclude_the_other_game_parameters():
    with pytest.raises(ParameterError, match="axelrod_classic.toml: game.leak: cannot be combined with game.payoffs"):
        load_scenario("axelrod_classic", ["game.leak=1"])


# --- the second edition's game keys (issue 15) ---------------------------------------

SECOND = GOOD.replace("[game.power]\nstrength = 0.5\n", """[game]
overlap = 0.4

[game.power]
strength = 0.5

[game.knowledge]
levels = 3
pace = 0.6

[game.ties]
levels = 2
""")

DOMAINS = GOOD.replace("[game.power]\nstrength = 0.5\n", """[game.power]
strength = 0.5

[[game.domains]]
name = "hardware"
share = 0.25
overlap = 0.2

[[game.domains]]
name = "services"
share = 0.75
overlap = 0.6
""")


def test_the_new_game_keys_reach_the_game(tmp_path):
    game = load_scenario(write(tmp_path, SECOND)).game
    assert game.overlap == 0.4 and game.effective_overlap == 0.4 and game.domains == ()
    assert (game.knowledge.levels, game.knowledge.pace, game.ties.levels) == (3, 0.6, 2)
    assert game.power.strength == 0.5
    split = load_scenario(write(tmp_path, DOMAINS, "d.toml")).game
    assert [(d.name, d.share, d.overlap) for d in split.domains] == [("hardware", 0.25, 0.2), ("services", 0.75, 0.6)]
    assert split.effective_overlap == pytest.approx(0.25 * 0.2 + 0.75 * 0.6)
    # left out, each is the first edition's: full overlap, no stakes, no ties
    plain = load_scenario(write(tmp_path, GOOD, "plain.toml")).game
    assert (plain.overlap, plain.knowledge.levels, plain.ties.levels, plain.domains) == (1.0, 0, 0, ())


def test_the_new_game_keys_are_set_from_the_command_line():
    scenario = load_scenario("larsson", ["game.overlap=0.25", "game.knowledge.levels=2", "game.knowledge.pace=1",
                                         "game.ties.levels=5", "initial_power=-1"])
    game = scenario.game
    assert (game.overlap, game.knowledge.levels, game.knowledge.pace, game.ties.levels) == (0.25, 2, 1.0, 5)
    assert scenario.initial_power == -1 and game.initial_stakes(-1) == (2, 1)
    insys = load_scenario("itcom_insys", ["game.domains[1].overlap=0.5"])
    assert insys.game.effective_overlap == pytest.approx(0.6 * 0.1 + 0.4 * 0.5)
    flat = load_scenario("itcom_insys", ["game.domains=[{name='all', share=1.0, overlap=0.7}]"])
    assert flat.game.effective_overlap == 0.7


def test_the_settings_show_the_new_game_keys(tmp_path):
    rows = dict(load_scenario(write(tmp_path, SECOND)).settings())
    assert rows["game.overlap"] == 0.4 and rows["game.power.strength"] == 0.5
    assert (rows["game.knowledge.levels"], rows["game.knowledge.pace"], rows["game.ties.levels"]) == (3, 0.6, 2)
    assert "game.power.levels" not in rows and "game.power.rebalance" not in rows
    split = dict(load_scenario(write(tmp_path, DOMAINS, "d.toml")).settings())
    assert split["game.domains[0]"] == "hardware (share 0.25, overlap 0.2)"
    assert split["game.overlap (of the domains)"] == pytest.approx(0.5) and "game.overlap" not in split
    assert all(not isinstance(v, (dict, list, tuple)) for v in split.values())  # one cell each in a table


@pytest.mark.parametrize("edit, key, words", [
    (lambda t: t.replace("overlap = 0.6", "overlap = 1.5"), "game.domains[1].overlap", "must be in [0, 1], got 1.5"),
    (lambda t: t.replace("overlap = 0.6", 'overlap = "much"'), "game.domains[1].overlap", "expected a number"),
    (lambda t: t.replace("share = 0.25", "share = 0"), "game.domains[0].share", "must be in (0, 1], got 0"),
    (lambda t: t.replace("share = 0.25", "share = nan"), "game.domains[0].share", "must be finite"),
    (lambda t: t.replace("share = 0.25", "share = 0.5"), "game.domains", "the shares must sum to 1, got 1.25"),
    (lambda t: t.replace('name = "services"', 'name = "hardware"'), "game.domains[1].name",
     "'hardware' is already the name of game.domains[0]"),
    (lambda t: t.replace('name = "services"', 'name = ""'), "game.domains[1].name", "expected a non-empty string"),
    (lambda t: t.replace('name = "services"', "name = 7"), "game.domains[1].name", "expected a non-empty string"),
    (lambda t: t.replace('name = "services"', 'name = "a\\u001bb"'), "game.domains[1].name", "control characters"),
    (lambda t: t.replace('name = "services"', 'name = "services"\ncolour = 1'), "game.domains[1].colour",
     "unknown key; expected one of name, overlap, share"),
    (lambda t: t.replace('name = "services"\n', ""), "game.domains[1]", "missing name"),
    (lambda t: t.replace("[game.power]", "[game]\noverlap = 0.5\n[game.power]"), "game.overlap",
     "give either game.overlap or [[game.domains]]"),
])
def test_bad_domains_give_one_line_errors_naming_file_and_key(tmp_path, edit, key, words):
    path = write(tmp_path, edit(DOMAINS))
    with pytest.raises(ParameterError) as error:
        load_scenario(path)
    message = str(error.value)
    assert message.startswith(f"{path}: {key}: ") and words in message and "\n" not in message, message


def test_an_empty_list_of_domains_is_refused_not_read_as_full_overlap(tmp_path):
    path = write(tmp_path, DOMAINS)
    with pytest.raises(ParameterError) as error:
        load_scenario(path, ["game.domains=[]"])
    assert str(error.value).startswith(f"{path}: game.domains: expected at least one [[game.domains]] table")


@pytest.mark.parametrize("where, key", [
    ("[game.power]\nstrength = 0.5\nlevels = 3", "game.power.levels"),
    ("[game.power]\nstrength = 0.5\nrebalance = 0.2", "game.power.rebalance"),
])
def test_the_first_editions_power_keys_are_refused_with_what_replaced_them(tmp_path, where, key):
    path = write(tmp_path, GOOD.replace("[game.power]\nstrength = 0.5", where))
    for attempt in (lambda: load_scenario(path), lambda: load_scenario(write(tmp_path, GOOD, "ok.toml"),
                                                                        [f"{key}=3"])):
        with pytest.raises(ParameterError) as error:
            attempt()
        message = str(error.value)
        assert re.fullmatch(rf"\S+\.toml: {re.escape(key)}: removed in the second edition: .*", message), message
        assert "\n" not in message
        if key.endswith("levels"):
            assert "game.knowledge.levels" in message  # what to set instead
        else:
            assert "no longer pulls power back to parity" in message


def test_knowledge_and_tie_levels_are_held_to_the_ladder_limit(tmp_path):
    from learning_dilemma.limits import ResourceLimitError, raised

    for key in ("game.knowledge.levels", "game.ties.levels"):
        with pytest.raises(ResourceLimitError) as error:
            load_scenario("larsson", [f"{key}=1000000000"])
        assert str(error.value) == (f"{SCENARIO_DIR / 'larsson.toml'}: {key}: asks for 1,000,000,000 knowledge or tie levels; "
                                    "the limit is 100 (raise it with --limit ladder_levels=1000000000)")
        with raised(ladder_levels=5):
            with pytest.raises(ResourceLimitError, match=f"{re.escape(key)}: asks for 6 knowledge or tie levels"):
                load_scenario("larsson", [f"{key}=6"])
            assert load_scenario("larsson", [f"{key}=5"]).game is not None


def test_initial_power_follows_the_knowledge_levels():
    """Power is the levels one side has already learned beyond the other: within M - 1, and none without stakes."""
    assert load_scenario("larsson", ["initial_power=3"]).initial_power == 3  # M = 4
    with pytest.raises(ParameterError, match=r"larsson.toml: initial_power: must be in \[-3, 3\]"):
        load_scenario("larsson", ["initial_power=-4"])
    with pytest.raises(ParameterError, match=r"larsson.toml: initial_power: must be in \[-1, 1\]"):
        load_scenario("larsson", ["game.knowledge.levels=2", "initial_power=2"])
    with pytest.raises(ParameterError, match="larsson.toml: initial_power: needs knowledge stakes"):
        load_scenario("larsson", ["game.knowledge.levels=0", "initial_power=1"])


def test_a_directory_named_like_a_scenario_does_not_hide_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "larsson").mkdir()
    assert load_scenario("larsson").path == SCENARIO_DIR / "larsson.toml"
    with pytest.raises(ParameterError, match="missing.toml: no such scenario file"):
        load_scenario("missing.toml")
    with pytest.raises(ParameterError, match="sub/x: no such scenario file"):
        load_scenario("sub/x")


def test_a_local_file_is_read_by_its_bare_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").write_text(GOOD)
    assert load_scenario("mine").name == "tiny"


@pytest.mark.parametrize("seed", [2026, 3])
def test_the_contrasts_travel_with_the_players_not_the_settings(seed):
    """Swapping the rosters between the cases swaps the contrast (docs/scenarios.md)."""
    import dataclasses

    def give(people, alliance):
        scenario = load_scenario(alliance, [f"seed={seed}"])
        swapped = dataclasses.replace(scenario, players=load_scenario(people).players)
        return float(np.mean(swapped.tournament().play().give_rate))

    assert give("delta", "kite") > give("kite", "delta") + 0.1
    assert give("itcom_insys", "itcom_bencons") > give("itcom_bencons", "itcom_insys") + 0.1


def test_axelrod_strategies_by_name(tmp_path):
    """An axelrod strategy plays as our namesake does (deterministic here: no tacitness)."""
    text = ('turns = 20\nrepetitions = 2\nseed = 1\n[game.power]\nstrength = 0.5\n'
            '[[players]]\nstrategy = "{tft}"\n[[players]]\nstrategy = "Opportunist"\n'
            '[[players]]\nstrategy = "Collaboration"\n')
    ours = load_scenario(write(tmp_path, text.format(tft="Tit For Tat"), "ours.toml")).tournament().play()
    theirs = load_scenario(write(tmp_path, text.format(tft="axelrod:Tit For Tat"), "theirs.toml"))
    assert theirs.players[0].label.startswith("axelrod:Tit For Tat")
    np.testing.assert_allclose(theirs.tournament().play().payoff_matrix, ours.payoff_matrix)
    path = write(tmp_path, text.format(tft="axelrod:Tit For Tatt"), "bad.toml")
    with pytest.raises(ParameterError) as error:
        load_scenario(path)
    assert str(error.value).startswith(f"{path}: players[0].strategy: ") and "Tit For Tat" in str(error.value)


# --- docs/scenarios.md states what the shipped scenarios do; check every number ----------

DOCS = Path(__file__).resolve().parents[1] / "docs" / "scenarios.md"


def _table_rows(text):
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("| ") and not line.startswith("|--")]


def _rates(scenario):
    results = scenario.tournament().play()
    return round(float(np.mean(results.give_rate)), 3), round(results.mutual_giving_rate, 3)


def test_the_documented_runs_give_the_documented_rates():
    """Each table row whose first cell is a backticked run (``kite --set ...``) is re-run."""
    import shlex

    from learning_dilemma.cli import build_parser
    from learning_dilemma.cli.scenario_options import load_from_args

    checked = set()
    for cells in _table_rows(DOCS.read_text()):
        if not cells[0].startswith("`"):
            continue
        numbers = [c for c in cells[1:] if re.fullmatch(r"\d\.\d{3}", c)]
        if len(numbers) != 2:
            continue
        command = re.match(r"`([^`]+)`", cells[0]).group(1)
        args = build_parser().parse_args(["tournament", *shlex.split(command)])
        assert _rates(load_from_args(args)) == (float(numbers[0]), float(numbers[1])), command
        checked.add(command)
    assert set(SHIPPED) <= checked and len(checked) > 20


def test_the_documented_seeds_and_swaps_give_the_documented_rates():
    import dataclasses

    rows = _table_rows(DOCS.read_text())
    seeds = [r for r in rows if re.fullmatch(r"\d+", r[0])]
    assert [r[0] for r in seeds] == ["2026", "1", "2", "3"]
    for seed, *documented in seeds:
        for name, value in zip(["kite", "delta", "itcom_bencons", "itcom_insys"], documented):
            assert _rates(load_scenario(name, [f"seed={seed}"]))[0] == float(value), (name, seed)
    cases = {"Delta's": "delta", "KITe's": "kite", "Insys alliance's": "itcom_insys",
             "Bencons alliance's": "itcom_bencons"}
    swaps = [r for r in rows if r[0] in cases]
    assert len(swaps) == 4
    for people, alliance, value in swaps:
        swapped = dataclasses.replace(load_scenario(cases[alliance]), players=load_scenario(cases[people]).players)
        assert _rates(swapped)[0] == float(value), (people, alliance)


def test_the_documented_example_file_loads():
    example = next(code for code in re.findall(r"```toml\n(.*?)```", DOCS.read_text(), re.S) if "[[players]]" in code)
    import tomllib

    from learning_dilemma.io.scenarios import build

    scenario = build(tomllib.loads(example), None)
    assert [type(p).__name__ for p in scenario.players] == ["Peer", "Opportunist", "Opportunist", "BoundarySpanner"]
    assert scenario.players[0].tolerance == 2 and scenario.players[3].organisation.proof == 5
    assert scenario.game.leak == 1.5 and scenario.prior_rounds == 2 and scenario.game.power.strength == 0.5
    assert scenario.tournament(repetitions=1).play().n_players == 4


def test_scenario_files_never_execute_code(tmp_path, monkeypatch):
    """Loading never evaluates anything: with eval and exec gone every file still loads,
    and code in a strategy name or label is only a name."""
    import builtins

    def refuse(*args, **kwargs):
        raise AssertionError("a scenario file tried to execute code")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    for name in SHIPPED:
        load_scenario(name)
    text = GOOD.replace('label = "Ann"', 'label = "__import__(\'os\').system(\'touch pwned\')"')
    monkeypatch.chdir(tmp_path)
    scenario = load_scenario(write(tmp_path, text))
    assert scenario.players[0].label == "__import__('os').system('touch pwned')"
    scenario.tournament().play()
    bad = GOOD.replace('strategy = "Peer"', 'strategy = "os.system(\'touch pwned\')"')
    with pytest.raises(ParameterError, match="unknown strategy"):
        load_scenario(write(tmp_path, bad, "bad.toml"))
    assert not (tmp_path / "pwned").exists()


def test_every_rate_in_the_prose_is_a_checked_table_number():
    """The text quotes rates from the tables; the tests above re-run the tables."""
    text = DOCS.read_text()
    cells = {cell for row in _table_rows(text) for cell in row}
    prose = [line for line in text.splitlines() if not line.startswith("|")]
    quoted = set(re.findall(r"\b\d\.\d{3}\b", "\n".join(prose)))
    assert quoted and quoted <= cells, sorted(quoted - cells)


def test_the_documented_error_messages_are_what_the_cli_prints(tmp_path, monkeypatch, capsys):
    """The indented examples of one-line errors; ``mine.toml`` is the page's example file and
    ``broken.toml`` a file whose third line is a key without ``=``."""
    import shlex

    from learning_dilemma.cli import main

    text = DOCS.read_text()
    example = next(code for code in re.findall(r"```toml\n(.*?)```", text, re.S) if "[[players]]" in code)
    monkeypatch.chdir(tmp_path)
    write(tmp_path, example, "mine.toml")
    write(tmp_path, 'seed = 1\nname = "broken"\nfoo bar\n', "broken.toml")
    lines = [line[4:] for line in text.splitlines() if line.startswith("    ")]
    pairs = [(lines[k][2:], lines[k + 1]) for k in range(len(lines) - 1) if lines[k].startswith("$ learning-dilemma")]
    assert len(pairs) == 5
    for command, printed in pairs:
        assert main(shlex.split(command)[1:]) == 2, command
        assert capsys.readouterr().err == printed + "\n", command


def test_power_in_kite_moves_only_the_created_value_between_partners():
    """Power splits only what the alliance creates (issue 15): with power off, every pairing
    whose strategies do not read the game plays exactly as before (same seeds, same moves),
    and each pair's summed payoff is unchanged, while the split between them moves.
    (First edition: every give rate was unchanged, as only the Calculative firms read the
    ladder; the second edition's Calculative firms weigh the stakes through the game, so
    their pairings change.)"""
    from learning_dilemma.players.automaton import MatchContext
    from learning_dilemma.players.reads import fields_read

    plain = load_scenario("kite")
    off = load_scenario("kite", ["game.power.strength=0"])
    context = MatchContext(plain.game, plain.continuation)
    blind = [i for i, p in enumerate(plain.players) if "game" not in fields_read(p, context)]
    assert 2 <= len(blind) < len(plain.players)  # some read the game (the Calculative firms), most do not
    on_results, off_results = plain.tournament().play(), off.tournament().play()
    pairs = [(i, j) for i in blind for j in blind if i < j]
    pay_on, pay_off = on_results.payoff_matrix, off_results.payoff_matrix
    for i, j in pairs:
        assert on_results.give_rate_matrix[i, j] == off_results.give_rate_matrix[i, j], (i, j)
        assert pay_on[i, j] + pay_on[j, i] == pytest.approx(pay_off[i, j] + pay_off[j, i], rel=1e-12, abs=1e-12)
    moved = max(abs(pay_on[i, j] - pay_off[i, j]) for i, j in pairs)
    assert moved > 1e-3  # the split itself moves: the mechanism is on


# --- what is refused and why (issue 13) ----------------------------------------------

@pytest.mark.parametrize("edit, key, words", [
    (lambda t: t.replace('name = "tiny"', 'name = "a\\u0000b"'), "name", "control characters"),
    (lambda t: t.replace('name = "tiny"', 'name = "  "'), "name", "non-empty"),
    (lambda t: t.replace('label = "Ann"', 'label = "Ann\\r\\n=1+1"'), "players[0].label", "control characters"),
    (lambda t: t.replace('label = "Ann"', 'label = "\\u001b[31mAnn"'), "players[0].label", "control characters"),
    (lambda t: t.replace('name = "tiny"', f'name = "{"x" * 101}"'), "name", "at most 100 characters"),
    (lambda t: t.replace('description = "two players"', 'description = "two\\nlines"'), "description",
     "expected one line"),
    (lambda t: t + "\n[game]\nstatus_quo = 1e308\n", "game.status_quo", "must be within ±1e+100"),
    (lambda t: t + "\n[game.payoffs]\nR = 3e300\nS = 0\nT = 5e300\nP = 1\n", "game.payoffs.R",
     "must be within ±1e+99"),
    (lambda t: t + "deep = " + "[" * 40 + "]" * 40 + "\n", "players[1].deep[0][0]", "nesting deeper than 32 levels"),
    (lambda t: t + "deep = " + "[" * 900 + "]" * 900 + "\n", "", "nesting deeper than 32 levels"),
    (lambda t: "[" + ".".join(["a"] * 40) + "]\n" + t, "a.a.a", "nesting deeper than 32 levels"),
])
def test_refused_values_are_one_line_naming_file_and_key(tmp_path, edit, key, words):
    path = write(tmp_path, edit(GOOD))
    with pytest.raises(ParameterError) as error:
        load_scenario(path)
    message = str(error.value)
    assert message.startswith(f"{path}: {key}") and words in message and "\n" not in message


def test_labels_names_and_descriptions_that_are_only_odd_still_load(tmp_path):
    path = write(tmp_path, GOOD.replace('name = "tiny"', 'name = "../../../../elsewhere/x"')
                 .replace('label = "Ann"', 'label = "=SUM(A1) Ann +1"'))
    scenario = load_scenario(path)
    assert scenario.name == "../../../../elsewhere/x" and scenario.players[0].label == "=SUM(A1) Ann +1"


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    from learning_dilemma.io.scenarios import MAX_FILE_BYTES

    path = write(tmp_path, GOOD + "#" * MAX_FILE_BYTES)
    with pytest.raises(ParameterError, match="larger than 1,000,000 bytes"):
        load_scenario(path)


def test_a_deep_set_value_is_refused():
    with pytest.raises(ParameterError, match="nesting deeper than 32 levels"):
        load_scenario("delta", ["players[0].x=" + "[" * 40 + "]" * 40])
    with pytest.raises(ParameterError, match="nesting deeper than 32 levels"):
        load_scenario("delta", ["players[0].x=" + "[" * 2000 + "]" * 2000])


def test_check_depth_is_iterative():
    from learning_dilemma.io.scenarios import check_depth

    value = 1
    for _ in range(100_000):  # far deeper than any recursion could go
        value = [value]
    with pytest.raises(ParameterError, match=r"^here: \[0\]\[0\].*nesting deeper than 5 levels$"):
        check_depth(value, "here", limit=5)
    check_depth(value, "here", limit=200_000)
