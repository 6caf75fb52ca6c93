"""The command line's contract, checked on generated input (hypothesis).

Generated scenario files (valid and broken: wrong types, unknown keys, extreme
numbers, deep nesting, odd strings, damaged bytes) and generated arguments for
``tournament``, ``scenarios``, ``evolve``, ``match``, ``report`` and
``strategies`` run through ``cli.main`` in this process, and every run must keep
the exit-status contract of ``docs/reference.md`` ("Exit status"):

- 0: the outputs asked for are complete;
- 2: exactly one line on stderr, ``learning-dilemma COMMAND: error: ...``, no
  traceback, no temporary path, and nothing written where outputs go;
- nothing else: no other status and no exception escapes ``main``.

Sizes stay small (two or three players, short matches, one or two repetitions)
so the whole file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from learning_dilemma.cli import main  # noqa: E402

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

FAST = ["Peer", "Opportunist", "Tit For Tat", "Defector", "Calculative", "Trust Builder", "Avoidance"]
FIGURES = {f"{name}.{fmt}" for name in ("payoff_heatmap", "give_rates", "power_trajectories") for fmt in ("png", "svg")}
TABLES = {"summary.csv", "pairings.csv", "results.json"}

# --- writing TOML (the standard library only reads it) -------------------------------


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are TOML basic-string escapes
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def toml_key(key: str) -> str:
    return key if key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key) else json.dumps(key)


def toml_text(document: dict) -> str:
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in document.items() if k not in ("game", "players")]
    if "game" in document:
        lines.append(f"game = {toml_value(document['game'])}")
    players = document.get("players")
    if isinstance(players, list) and all(isinstance(p, dict) for p in players):
        for entry in players:
            lines.append("[[players]]")
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in entry.items()]
    elif "players" in document:
        lines.append(f"players = {toml_value(players)}")
    return "\n".join(lines) + "\n"


# --- generated scenarios -----------------------------------------------------------


def mostly(good, bad):
    """Values from ``good`` three times in four, from ``bad`` otherwise."""
    return st.one_of(st.sampled_from(good), st.sampled_from(good), st.sampled_from(good), st.sampled_from(bad))


odd_text = st.one_of(
    st.sampled_from(["", " ", "../../../../elsewhere/x", "=1+1", "+cmd", "-2", "@SUM(A1)", "a\x00b", "a\r\nb",
                     "\x1b[31mred", "Ann", "é\u202e", "x" * 300, "con", ".hidden", "a/b\\c"]),
    st.text(max_size=12),
)
extreme_number = st.one_of(
    st.sampled_from([0, -1, 1, 2, 10**30, -(10**30), 2**63, 1e308, -1e308, 1e-320, 0.5, 1.0, 0.99]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**6), max_value=10**6),
)
wrong_type = st.one_of(odd_text, extreme_number, st.booleans(), st.just([]), st.just({}), st.just([1, "a"]))


def nested(depth: int):
    value = 1
    for k in range(depth):
        value = [value] if k % 2 else {"a": value}
    return value


@st.composite
def player_entry(draw):
    entry = {"strategy": draw(st.sampled_from(FAST))}
    if draw(st.booleans()):
        entry["receptivity"] = draw(st.sampled_from([0.0, 0.3, 1.0]))
    if draw(st.integers(0, 4)) == 0:
        entry["count"] = draw(st.integers(1, 2))
    if draw(st.integers(0, 5)) == 0:
        entry["label"] = draw(odd_text)
    return entry


@st.composite
def valid_scenario(draw):
    document = {
        "seed": draw(st.integers(0, 2**32)),
        "repetitions": draw(st.integers(1, 2)),
        "players": draw(st.lists(player_entry(), min_size=2, max_size=3)),
    }
    if draw(st.booleans()):
        document["turns"] = draw(st.integers(1, 20))
    else:
        document["continuation"] = draw(st.sampled_from([0.0, 0.5, 0.8]))
    if draw(st.integers(0, 5)) == 0:
        document["name"] = draw(odd_text)
    if draw(st.booleans()):
        document["game"] = draw(valid_game())
    return document


@st.composite
def valid_game(draw):
    """A second-edition game table: power, knowledge stakes, ties, an overlap or domains."""
    game = {"power": {"strength": draw(st.sampled_from([0.0, 0.5, 1.0]))}}
    if draw(st.booleans()):
        game["knowledge"] = {"levels": draw(st.integers(0, 3)), "pace": draw(st.sampled_from([0.3, 1.0]))}
    if draw(st.booleans()):
        game["ties"] = {"levels": draw(st.integers(0, 2))}
    overlap = draw(st.sampled_from(["none", "overlap", "domains"]))
    if overlap == "overlap":
        game["overlap"] = draw(st.sampled_from([0.0, 0.3, 1.0]))
    elif overlap == "domains":
        share = draw(st.sampled_from([0.25, 0.5, 0.6]))
        game["domains"] = [{"name": "hardware", "share": share, "overlap": 0.1},
                           {"name": "services", "share": 1.0 - share, "overlap": 1.0}]
    return game


#: The second edition's game keys (issue 15), each with values that break it, and the
#: first edition's removed keys.
GAME_KEYS_2 = ["knowledge.levels", "knowledge.pace", "ties.levels", "overlap", "power.levels", "power.rebalance",
               "domains", "domains.share", "domains.overlap", "domains.name"]


KEYS = ["seed", "repetitions", "turns", "continuation", "noise", "prior_rounds", "initial_power", "self_play",
        "name", "description", "processes", "game", "players", "colour"]


@st.composite
def broken_scenario(draw):
    document = draw(valid_scenario())
    how = draw(st.sampled_from(["wrong type", "unknown key", "extreme", "deep", "odd string", "game", "new game key",
                                "player"]))
    key = draw(st.sampled_from(KEYS))
    if how == "wrong type":
        document[key] = draw(wrong_type)
    elif how == "unknown key":
        document[draw(st.sampled_from(["colour", "Seed", "players2", "game_"]))] = 1
    elif how == "extreme":
        document[key] = draw(extreme_number)
    elif how == "deep":
        document[key] = nested(draw(st.sampled_from([30, 40, 120])))
    elif how == "odd string":
        document[draw(st.sampled_from(["name", "description"]))] = draw(odd_text)
    elif how == "game":
        name = draw(st.sampled_from(["status_quo", "learning_benefit", "leak", "synergy", "race_premium"]))
        document["game"] = {name: draw(extreme_number)}
        if draw(st.booleans()):
            document["game"] = {"payoffs": {k: draw(extreme_number) for k in "RSTP"}}
    elif how == "new game key":
        document["game"] = draw(broken_game())
    else:
        entry = document["players"][0]
        entry[draw(st.sampled_from(["receptivity", "tacitness", "count", "strategy", "tolerance", "mood"]))] = \
            draw(wrong_type)
    return document


@st.composite
def broken_game(draw):
    """A valid game table with one of the second edition's keys given a bad (or removed) value."""
    game = draw(valid_game())
    key = draw(st.sampled_from(GAME_KEYS_2))
    value = draw(st.one_of(wrong_type, extreme_number, st.sampled_from([10**9, 101, -1, 2.5, 0, 1.5])))
    if key.startswith("domains."):
        game.pop("overlap", None)
        game["domains"] = [{"name": "hardware", "share": 0.5, "overlap": 0.1},
                           {"name": "services", "share": 0.5, "overlap": 1.0}]
        game["domains"][draw(st.integers(0, 1))][key.split(".")[1]] = value
    elif key == "domains":
        game["domains"] = value if draw(st.booleans()) else [{"name": "x", "share": 1.0}]
        if draw(st.booleans()):
            game["overlap"] = 0.5  # both an overlap and domains
    elif "." in key:
        table, field = key.split(".")
        game.setdefault(table, {})[field] = value
    else:
        game[key] = value
    return game


@st.composite
def scenario_bytes(draw):
    """The bytes of a scenario file: valid, broken, or damaged."""
    kind = draw(st.sampled_from(["valid", "valid", "valid", "broken", "broken", "damaged"]))
    if kind == "damaged":
        text = toml_text(draw(valid_scenario())).encode()
        cut = draw(st.integers(0, len(text)))
        return text[:cut] + draw(st.binary(max_size=6))
    document = draw(valid_scenario() if kind == "valid" else broken_scenario())
    try:
        return toml_text(document).encode("utf-8", "surrogatepass")
    except (TypeError, UnicodeEncodeError):
        return b"name = ["


# --- running the command and checking the contract ---------------------------------


@contextlib.contextmanager
def workdir():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def run(argv, capsys):
    capsys.readouterr()
    try:
        status = main([str(a) for a in argv])
    except SystemExit as exit_:  # argparse
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def check_contract(status, err, folder: Path, inputs=("s.toml",)):
    hypothesis.event(f"exit {status}")
    assert status in (0, 2), (status, err)
    assert "Traceback" not in err
    if status == 2:
        assert err.count("\n") == 1 and err.endswith("\n"), err
        assert err.startswith("learning-dilemma ") and ": error: " in err, err
        assert ".partial-" not in err and "/tmp/tmp" not in err.replace(str(folder), ""), err
        assert sorted(p.name for p in folder.iterdir()) == sorted(inputs), "nothing may be written"
    else:
        leftovers = [p.name for p in folder.rglob("*") if ".partial-" in p.name]
        assert leftovers == []


@settings(SETTINGS, max_examples=80)
@given(data=scenario_bytes(), out_form=mostly(["out", "new/deeper/out"], ["s.toml/out", "s.toml"]),
       fmt=st.sampled_from(["table", "csv", "json"]), plots=st.integers(0, 5),
       processes=mostly([None, "1", "2"], ["-1", "x"]))
def test_tournament_keeps_the_contract(data, out_form, fmt, plots, processes, capsys):
    with workdir() as folder:
        (folder / "s.toml").write_bytes(data)
        out = folder / out_form
        argv = ["tournament", folder / "s.toml", "--out", out, "--format", fmt, "--quiet"]
        if plots:  # figures are slow: one run in six draws them
            argv.append("--no-plots")
        if processes is not None:
            argv += ["--processes", processes]
        status, printed, err = run(argv, capsys)
        check_contract(status, err, folder)
        if status == 0:
            written = {p.name for p in out.iterdir()}
            assert written == (TABLES if plots else TABLES | FIGURES)
            json.loads((out / "results.json").read_text())
            assert printed.strip()
            if fmt == "json":
                json.loads(printed)


@settings(SETTINGS, max_examples=60)
@given(data=scenario_bytes(), population=mostly(["2", "5", "20"], ["0", "1", "-3", "x", "1e9"]),
       mutation=mostly(["0", "0.01", "0.5", "1"], ["-0.5", "nan", "inf", "2"]),
       generations=mostly(["1", "10", "50"], ["0", "-1", "1e12"]),
       process=st.sampled_from(["moran", "pairwise"]), intensity=mostly([None, "0", "0.5", "1"], ["-1", "nan", "1e308"]),
       plot=mostly([None, None, "p.png", "p.svg", "sub/p.svg"], ["p.pdf", "s.toml/p.png", "s.toml"]))
def test_evolve_keeps_the_contract(data, population, mutation, generations, process, intensity, plot, capsys):
    with workdir() as folder:
        (folder / "s.toml").write_bytes(data)
        argv = ["evolve", folder / "s.toml", "--population", population, "--mutation", mutation,
                "--generations", generations, "--process", process, "--quiet"]
        if intensity is not None:
            argv += ["--intensity", intensity]
        if plot is not None:
            argv += ["--plot", folder / plot]
        status, printed, err = run(argv, capsys)
        check_contract(status, err, folder)
        if status == 0:
            assert "payoff matrix" in printed
            if plot is not None:
                assert (folder / plot).read_bytes()[:4] in (b"\x89PNG", b"<?xm")


@settings(SETTINGS, max_examples=20)
@given(data=scenario_bytes(), output=mostly(["r.html", "sub/r.html"], ["r.txt", "s.toml/r.html", ".", "s.toml"]))
def test_report_keeps_the_contract(data, output, capsys):
    with workdir() as folder:
        (folder / "s.toml").write_bytes(data)
        status, printed, err = run(["report", folder / "s.toml", "-o", folder / output, "--quiet"], capsys)
        check_contract(status, err, folder)
        if status == 0:
            assert (folder / output).read_text().endswith("</html>\n")


names = st.one_of(st.sampled_from(FAST), st.sampled_from(FAST), st.sampled_from(FAST),
                  st.sampled_from(["Nobody", "", "Peer(tolerance=9)", "-1"]), odd_text)
numbers = mostly([None, None, "0", "1", "0.5", "20"], ["-1", "1e308", "nan", "inf", "x", "1e9", "0.9999"])


@SETTINGS
@given(a=names, b=names, turns=numbers, continuation=numbers, seed=numbers, power=numbers, noise=numbers)
def test_match_keeps_the_contract(a, b, turns, continuation, seed, power, noise, capsys):
    argv = ["match", "--", a, b]
    options = []
    for flag, value in (("--turns", turns), ("--continuation", continuation), ("--seed", seed),
                        ("--power", power), ("--noise", noise)):
        if value is not None:
            options += [flag, value]
    with workdir() as folder:
        status, printed, err = run(["match", *options, "--", a, b] if options else argv, capsys)
        check_contract(status, err, folder, inputs=())
        if status == 0:
            assert " vs " in printed and "give rate" in printed


@SETTINGS
@given(family=st.one_of(st.none(), st.sampled_from(["larsson", "classic", "organisational"]), odd_text),
       command=st.sampled_from(["strategies", "scenarios"]), extra=st.sampled_from([[], ["--bogus"], ["x"]]))
def test_listing_commands_keep_the_contract(family, command, extra, capsys):
    argv = [command, *extra]
    if command == "strategies" and family is not None:
        argv += ["--family", family]
    with workdir() as folder:
        status, printed, err = run(argv, capsys)
        check_contract(status, err, folder, inputs=())
        if status == 0:
            assert printed.count("\n") > 3


@SETTINGS
@given(limit=st.sampled_from(["rounds=10", "nope=1", "rounds=x", "rounds=-1", "players=1", "match_rounds=5"]),
       where=st.booleans(), scenario=st.sampled_from(["delta", "kite", "no-such", "../x.toml"]))
def test_limits_and_scenario_names_keep_the_contract(limit, where, scenario, capsys):
    with workdir() as folder:
        tail = ["--repetitions", "1", "--turns", "5", "--quiet", "--out", folder / "out", "--no-plots"]
        argv = (["--limit", limit, "tournament", scenario, *tail] if where
                else ["tournament", scenario, *tail, "--limit", limit])
        status, printed, err = run(argv, capsys)
        check_contract(status, err, folder, inputs=("out",) if status == 0 else ())


# --- the second edition's game keys from the command line (issue 15) ----------------

NEW_KEYS = ["game.overlap", "game.knowledge.levels", "game.knowledge.pace", "game.ties.levels", "game.power.strength",
            "game.domains[1].overlap", "game.domains[0].share", "game.domains[0].name", "game.power.levels",
            "game.power.rebalance", "game.knowledge", "game.domains"]
NEW_VALUES = mostly(["0", "1", "2", "0.3", "0.5", "1.0", "4"],
                    ["-1", "2.5", "1e9", "101", "1.5", "nan", "inf", "x", "true", "[1]", "{}", "'services'", '""'])


@SETTINGS
@given(key=st.sampled_from(NEW_KEYS), value=NEW_VALUES, scenario=st.sampled_from(["delta", "itcom_insys"]))
def test_setting_the_new_game_keys_keeps_the_contract(key, value, scenario, capsys):
    with workdir() as folder:
        argv = ["tournament", scenario, "--set", f"{key}={value}", "--repetitions", "1", "--turns", "5", "--quiet",
                "--no-plots", "--out", folder / "out"]
        status, printed, err = run(argv, capsys)
        check_contract(status, err, folder, inputs=("out",) if status == 0 else ())
        if status == 2:  # the error names the key it is about (a domain's by its table)
            assert key.split("[")[0] in err, err
        if key in ("game.power.levels", "game.power.rebalance"):
            assert status == 2 and "removed in the second edition" in err


SWEEP_KEYS = ["game.overlap", "game.knowledge.levels", "game.knowledge.pace", "game.ties.levels",
              "game.power.strength", "game.domains[1].overlap", "game.domains[0].share", "game.power.levels"]
SWEEP_BODIES = mostly(["0,1", "0.2,0.9", "1:3:2", "0:1:2", "2,3", "0.5,1"],
                      ["1.5,2", "-1,1", "x,y", "1e9,1", "0:1:1e12", "101,1", "1,1"])


@settings(SETTINGS, max_examples=25)
@given(key=st.sampled_from(SWEEP_KEYS), body=SWEEP_BODIES, scenario=st.sampled_from(["delta", "itcom_insys"]))
def test_sweeping_the_new_game_keys_keeps_the_contract(key, body, scenario, capsys):
    with workdir() as folder:
        argv = ["sweep", scenario, "--vary", f"{key}={body}", "--out", folder / "out", "--quiet", "--no-plots",
                "--processes", "1", "--set", "repetitions=1"]
        status, printed, err = run(argv, capsys)
        hypothesis.event(f"exit {status}")
        if status == 1:  # some points failed: each is listed, and sweep.csv holds every point
            assert "failed point" in err and (folder / "out" / "sweep.csv").exists()
            return
        check_contract(status, err, folder, inputs=("out",) if status == 0 else ())
        if status == 0:
            assert (folder / "out" / "sweep.csv").exists() and "points" in printed
        else:
            assert key.split("[")[0] in err or "--vary" in err, err


def test_the_new_keys_limits_are_raised_for_one_run(capsys, tmp_path):
    argv = ["tournament", "delta", "--set", "game.knowledge.levels=101", "--repetitions", "1", "--turns", "3",
            "--quiet", "--no-plots", "--out", tmp_path / "out"]
    status, _, err = run(argv, capsys)
    assert status == 2 and err.count("\n") == 1 and not (tmp_path / "out").exists()
    assert "delta.toml: game.knowledge.levels: asks for 101 knowledge or tie levels; the limit is 100" in err
    assert "--limit ladder_levels=101" in err
    status, _, err = run(["--limit", "ladder_levels=101", *argv], capsys)
    assert status == 0 and (tmp_path / "out" / "summary.csv").exists(), err


# --- the cases the attack run found, one by one --------------------------------------


def one_error_line(status, err, folder, inputs):
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert ".partial-" not in err
    assert sorted(p.name for p in folder.iterdir()) == sorted(inputs)


@pytest.mark.parametrize("argv", [
    ["tournament", "delta", "--repetitions", "1", "--quiet", "--out", "f/x"],
    ["report", "delta", "--repetitions", "1", "--quiet", "-o", "f/r.html"],
    ["evolve", "delta", "--repetitions", "1", "--quiet", "--plot", "f/p.png"],
    ["demo", "--step", "1", "--save-figures", "f/figures"],
])
def test_an_output_under_a_file_is_one_line_naming_the_users_path(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f").write_text("mine")
    status, _, err = run(argv, capsys)
    one_error_line(status, err, tmp_path, ["f"])
    assert f"{argv[-2]} {argv[-1]}: f is not a directory" in err and (tmp_path / "f").read_text() == "mine"


@pytest.mark.parametrize("text", ["a = " + "[" * 500 + "]" * 500, "a = " + "{b = " * 500 + "1" + "}" * 500,
                                  "[" + ".".join(["a"] * 500) + "]\nx = 1"])
def test_deep_toml_is_refused_by_its_depth(text, tmp_path, capsys):
    (tmp_path / "deep.toml").write_text(text)
    status, _, err = run(["tournament", tmp_path / "deep.toml", "--out", tmp_path / "out"], capsys)
    one_error_line(status, err, tmp_path, ["deep.toml"])
    assert "nesting deeper than 32 levels" in err and str(tmp_path / "deep.toml") in err


def test_a_deep_set_value_is_refused(capsys):
    status, _, err = run(["tournament", "delta", "--set", "players[0]=" + "[" * 600 + "]" * 600], capsys)
    assert status == 2 and "nesting deeper than 32 levels" in err and err.count("\n") == 1


def full_disk(monkeypatch):
    """Every write to a file opened by descriptor (the atomic writes) fails: a full disk."""
    import errno

    real = os.fdopen

    class Full:
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: Full(real(fd, mode, *a, **k)))


@pytest.mark.parametrize("argv, target", [
    (["tournament", "delta", "--repetitions", "1", "--quiet", "--out", "out"], "out/summary.csv"),
    (["report", "delta", "--repetitions", "1", "--quiet", "-o", "r.html"], "r.html"),
    (["evolve", "delta", "--quiet", "--plot", "p.svg"], "p.svg"),
])
def test_a_full_disk_is_one_line_naming_the_users_file(argv, target, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    full_disk(monkeypatch)
    status, _, err = run(argv, capsys)
    one_error_line(status, err, tmp_path, [])
    assert err.endswith(f"error: {target}: No space left on device\n"), err


def test_a_full_standard_output_is_one_line_with_status_2():
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "learning_dilemma", "tournament", "delta", "--repetitions",
                               "1", "--quiet"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2
    assert done.stderr == "learning-dilemma tournament: error: standard output: No space left on device\n"


def test_a_closed_pipe_ends_quietly():
    import subprocess
    import sys

    with subprocess.Popen([sys.executable, "-m", "learning_dilemma", "strategies"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read()
    assert process.returncode == 0 and err == b""


def test_a_read_only_destination_is_one_line(tmp_path, monkeypatch, capsys):
    import errno

    from learning_dilemma.io import outputs

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), "/somewhere/.out.partial-1-x")

    monkeypatch.setattr(outputs.tempfile, "mkdtemp", read_only)
    status, _, err = run(["tournament", "delta", "--repetitions", "1", "--quiet", "--out", tmp_path / "out"], capsys)
    one_error_line(status, err, tmp_path, [])
    assert err.endswith(f"error: {tmp_path / 'out'}: Read-only file system\n")


def test_ctrl_c_is_status_130(monkeypatch, capsys):
    from learning_dilemma.io.scenarios import Scenario

    def interrupted(self, **changes):
        raise KeyboardInterrupt

    monkeypatch.setattr(Scenario, "tournament", interrupted)
    status, _, err = run(["tournament", "delta", "--quiet"], capsys)
    assert status == 130 and err == "learning-dilemma: interrupted\n"


def test_a_killed_run_leaves_staging_that_the_next_run_removes(tmp_path):
    """SIGKILL while ``--out`` is being staged; the next run into the same folder cleans up."""
    import signal
    import subprocess
    import sys

    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL here")
    code = ("import os, signal, sys; from learning_dilemma.io import plots; from learning_dilemma.cli import main\n"
            "def killed(results, directory):\n"
            "    (directory / 'half.png').write_bytes(b'x'); os.kill(os.getpid(), signal.SIGKILL)\n"
            "plots.write_tournament_plots = killed\n"
            "main(['tournament', 'delta', '--repetitions', '1', '--quiet', '--out', sys.argv[1]])\n")
    killed = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    stale = [p.name for p in tmp_path.iterdir()]
    assert len(stale) == 1 and stale[0].startswith(".out.partial-")  # what SIGKILL leaves
    assert main(["tournament", "delta", "--repetitions", "1", "--quiet", "--no-plots", "--out",
                 str(tmp_path / "other")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other"]


def test_a_running_writers_staging_is_left_alone(tmp_path):
    from learning_dilemma.io.outputs import clean_stale

    mine = tmp_path / f".out.partial-{os.getpid()}-abc"
    mine.mkdir()
    other = tmp_path / ".notes.txt"
    other.write_text("mine")
    assert clean_stale(tmp_path) == [] and mine.exists() and other.exists()


def test_the_reference_documents_every_limit_and_status():
    import dataclasses

    from learning_dilemma.limits import Limits

    page = (Path(__file__).resolve().parents[1] / "docs" / "reference.md").read_text()
    rows = dict(line.split("|")[1:3] for line in page.splitlines() if line.startswith("| `"))
    for field in dataclasses.fields(Limits):
        assert rows.get(f" `{field.name}` ", "").strip() == f"{field.default:,}", field.name
    for status in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert status in page


def test_limit_lasts_for_one_run_only(capsys):
    from learning_dilemma.limits import LIMITS

    before = LIMITS.players
    assert main(["--limit", "players=1", "tournament", "delta", "--quiet"]) == 2
    assert "limit" in capsys.readouterr().err and LIMITS.players == before
    assert main(["tournament", "delta", "--repetitions", "1", "--quiet", "--limit", "nope=1"]) == 2
    assert capsys.readouterr().err.startswith("learning-dilemma tournament: error: --limit: unknown limit 'nope'")
