"""``learning-dilemma network``: the shipped cases and users' files from the command
line, every output file, one-line errors with exit status 2, overrides, atomic and
reproducible outputs, and a light ``--help``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from learning_dilemma.cli import main
from learning_dilemma.io.scenarios.network import load_network_scenario

FILES = ["groups.csv", "network.png", "organisations.csv", "people.csv", "rounds.csv", "summary.json", "ties.csv"]

SMALL = """
name = "small"
{top}
[network]
{network}

[[organisations]]
name = "A"
people = 2
policy = {{ strategy = "Peer" }}

[[organisations]]
name = "B"
people = 2
policy = {{ strategy = "Trust Builder" }}
{tail}
"""


def small(tmp_path, top="rounds = 4", network='structure = "complete"\ngroups = "one"', tail=""):
    path = tmp_path / "small.toml"
    path.write_text(SMALL.format(top=top, network=network, tail=textwrap.dedent(tail)))
    return path


def rows(path):
    with open(path, newline="") as stream:
        return list(csv.DictReader(stream))


def leftovers(folder):
    """Temporary files or folders (".NAME.partial-...") anywhere under ``folder``."""
    return [p for p in folder.rglob("*") if ".partial-" in p.name]


# --- the shipped cases ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["kite_network", "delta_network"])
def test_each_shipped_case_runs_and_writes_every_file(name, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["network", name, "--rounds", "3", "--repetitions", "2", "--out", str(out)]) == 0
    printed, err = capsys.readouterr()
    assert printed.startswith(f"{name}:") and "giving share" in printed
    assert err == f"\nwrote results to {out}\n"
    assert sorted(p.name for p in out.iterdir()) == FILES
    scenario = load_network_scenario(name, ["rounds=3", "repetitions=2"])
    population = scenario.population
    assert [r["person"] for r in rows(out / "people.csv")] == [p.name for p in population.people]
    assert [r["organisation"] for r in rows(out / "organisations.csv")] == [o.name for o in population.organisations]
    assert [int(r["round"]) for r in rows(out / "rounds.csv")] == [1, 2, 3]
    assert len(rows(out / "ties.csv")) == population.n_ties
    assert [r["group"] for r in rows(out / "groups.csv")] == [g.name for g in population.groups]
    assert {r["scenario"] for r in rows(out / "people.csv")} == {name}
    document = json.loads((out / "summary.json").read_text())
    assert document["scenario"]["name"] == name and len(document["by_repetition"]) == 2
    assert (out / "network.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert leftovers(tmp_path) == []


def test_the_files_hold_the_runs_numbers(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["network", "kite_network", "--rounds", "4", "--repetitions", "3", "--out", str(out), "--quiet",
                 "--no-plots"]) == 0
    capsys.readouterr()
    assert "network.png" not in {p.name for p in out.iterdir()}
    results = load_network_scenario("kite_network", ["rounds=4", "repetitions=3"]).play()
    written = rows(out / "organisations.csv")
    for row, expected in zip(written, results.organisation_table()):
        assert float(row["payoff"]) == pytest.approx(expected["payoff"], rel=1e-12)
        assert row["organisation"] == expected["organisation"]
    summary = json.loads((out / "summary.json").read_text())["summary"]
    assert summary["giving_share"] == pytest.approx(results.summary()["giving_share"], rel=1e-12)
    # each repetition alone: their mean payoffs average to the whole run's
    by_repetition = json.loads((out / "summary.json").read_text())["by_repetition"]
    assert sum(r["mean_organisation_payoff"] for r in by_repetition) / 3 == pytest.approx(
        summary["mean_organisation_payoff"], rel=1e-12)


def test_same_seed_same_bytes_and_another_seed_other_numbers(tmp_path, capsys):
    runs = {}
    for label, seed in (("first", "5"), ("again", "5"), ("other", "6")):
        out = tmp_path / label
        assert main(["network", "delta_network", "--rounds", "3", "--seed", seed, "--out", str(out), "--quiet"]) == 0
        runs[label] = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert runs["first"] == runs["again"]  # every file, the picture included
    assert runs["first"]["people.csv"] != runs["other"]["people.csv"]


def test_formats(capsys):
    assert main(["network", "kite_network", "--rounds", "2", "--format", "csv"]) == 0
    printed = capsys.readouterr().out
    table = list(csv.DictReader(printed.splitlines()))
    assert len(table) == 12 and table[0]["scenario"] == "kite_network"
    assert main(["network", "kite_network", "--rounds", "2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["organisations"] == 12


def test_set_overrides_reach_the_run(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["network", "delta_network", "--rounds", "2", "--set", 'network.groups="none"',
                 "--set", "organisations[0].absorption=0.25", "--set", "network.degree=2", "--out", str(out),
                 "--no-plots", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "0 groups" in printed and "33 people, 33 ties" in printed  # a ring of 33 people, degree 2
    assert rows(out / "groups.csv") == []
    assert [r["absorption"] for r in rows(out / "organisations.csv")][:2] == ["0.25", "0.25"]  # both copies


def test_a_users_edge_list_and_graphml_run_from_the_command_line(tmp_path, capsys):
    (tmp_path / "ties.csv").write_text("A 1,B 1,2\nA 2,B 2\n")
    path = small(tmp_path, network='structure = "file"\nfile = "ties.csv"\ngroups = "none"')
    assert main(["network", str(path), "--out", str(tmp_path / "edges"), "--quiet"]) == 0
    assert [(r["person_u"], r["person_v"], r["prior"]) for r in rows(tmp_path / "edges" / "ties.csv")] == [
        ("A 1", "B 1", "2"), ("A 2", "B 2", "0")]
    import networkx as nx

    graph = nx.Graph()
    graph.add_edge("A 1", "B 2", prior=1)
    graph.add_node("Cas", organisation="B")
    graph.add_edge("Cas", "A 2")
    nx.write_graphml(graph, tmp_path / "net.graphml")
    path = small(tmp_path, network='structure = "file"\nfile = "net.graphml"')
    assert main(["network", str(path), "--out", str(tmp_path / "graphml"), "--quiet"]) == 0
    people = [r["person"] for r in rows(tmp_path / "graphml" / "people.csv")]
    assert people == ["A 1", "A 2", "B 1", "B 2", "Cas"]
    assert len(rows(tmp_path / "graphml" / "ties.csv")) == 2
    capsys.readouterr()


# --- one-line errors ------------------------------------------------------------------

BAD_LINE = "A 1,B 1\nA 2,B 2,x,y\n"

ERRORS = [  # (top, network, tail, options, what the error says)
    ("colour = 1", None, "", [], "small.toml: colour: unknown key; expected one of"),
    ("", 'structure = "complete"\ndensity = 0.3', "", [], "network.density: unknown key; expected one of"),
    ('rounds = "many"', None, "", [], "small.toml: rounds: expected a whole number, got 'many'"),
    ("", None, """
        [[organisations]]
        name = "C"
        absorption = 2
        policy = { strategy = "Peer" }
        """, [], "small.toml: organisations[2].absorption: expected a number in [0, 1], got 2"),
    ("", None, """
        [[people]]
        name = "Ann"
        organisations = ["Nowhere Inc"]
        """, [], "people[0].organisations[0]: unknown organisation 'Nowhere Inc'"),
    ("", None, """
        [[people]]
        name = "Ann"
        organisations = ["A"]
        groups = ["hydrology"]
        """, [], "people[0].groups[0]: unknown group 'hydrology'"),
    ("", 'groups = "none"', """
        [[groups]]
        name = "g"
        members = ["A 1", "Zed"]
        """, [], "groups[0].members[1]: unknown person 'Zed'"),
    ("", 'structure = "file"\nfile = "missing.csv"', "", [], "network.file: "),
    ("", 'structure = "file"\nfile = "bad.csv"', "", [], "bad.csv:2: expected source,target[,prior], got 4"),
    ("", 'structure = "complete"\nidentity = "tribe"', "", [],
     "network.identity: expected one of 'organisation', 'profession', got 'tribe'"),
    ("", 'structure = "complete"\ndegree = 4', "", [], "network.degree: not used here"),
    ("", 'structure = "small_world"\ndegree = 3\nrewiring = 0.1', "", [], "network.degree: must be even"),
    ("", None, """
        [[organisations]]
        name = "C"
        policy = { strategy = "Nobody" }
        """, [], "organisations[2].policy.strategy: unknown strategy"),
    ("", None, "", ["--limit", "people=3"], "small.toml: organisations[1].people: "),
    ("", None, "", ["--limit", "ties=5"], "small.toml: network.structure: structure 'complete' over 4 people "
                                          "asks for 6 ties; the limit is 5"),
    ("", None, "", ["--limit", "group_size=3"], "small.toml: network.groups: "),
    ("", 'groups = "none"', """
        [[groups]]
        name = "big"
        members = ["A 1", "A 2", "B 1", "B 2"]
        """, ["--limit", "group_size=3"], "small.toml: groups[0].members: group 'big' asks for 4 group size"),
    # 4 people: 6 ties (complete) and 6 pairs in the group of everybody, 1 repetition, 4 rounds: 48
    ("", None, "", ["--limit", "rounds=40"], "small.toml: rounds: 12 relations (ties, and pairs in groups) x "
                                             "repetitions=1 x rounds=4 asks for 48 rounds; the limit is 40"),
    ("", None, "", ["--rounds", "0"], "small.toml: rounds: expected a whole number >= 1, got 0"),
    ("", None, "", ["--noise", "2"], "small.toml: noise: expected a number in [0, 1], got 2"),
    ("", None, "", ["--set", "network.quorum=0"], "network.quorum: expected a number in (0, 1], got 0"),
]


@pytest.mark.parametrize("top, network, tail, options, message", ERRORS)
def test_bad_input_is_one_line_with_status_2_and_nothing_written(top, network, tail, options, message, tmp_path,
                                                                capsys):
    (tmp_path / "bad.csv").write_text(BAD_LINE)
    path = small(tmp_path, top=top or "rounds = 4", tail=tail,
                 network=network if network is not None else 'structure = "complete"\ngroups = "one"')
    out = tmp_path / "out"
    assert main(["network", str(path), *options, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("learning-dilemma network: error: ") and captured.err.count("\n") == 1
    assert message in captured.err, captured.err
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("argv, message", [
    (["network", "kite"], "unknown network scenario 'kite'; shipped network scenarios: delta_network, "
                          "delta_reputation, itcom_partners, kite_network"),
    (["network", "nowhere/x.toml"], "nowhere/x.toml: no such scenario file"),
    (["network", "kite_network", "--set", "novalue"], "--set 'novalue': expected KEY=VALUE"),
    (["network", "kite_network", "--rounds", "x"], "argument --rounds: invalid int value: 'x'"),
])
def test_bad_names_and_options(argv, message, capsys):
    try:
        status = main(argv)
    except SystemExit as exit_:  # argparse's own errors exit from the parser
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_a_failing_write_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    from learning_dilemma.io import network_outputs

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(network_outputs, "network_figure", broken)  # after the CSV files are written
    out = tmp_path / "deep" / "out"
    assert main(["network", "kite_network", "--rounds", "2", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert list(tmp_path.iterdir()) == []  # no folder, no partial file


def test_a_failing_write_keeps_the_previous_outputs_whole(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["network", "kite_network", "--rounds", "2", "--out", str(out), "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    from learning_dilemma.io import network_outputs

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(network_outputs, "network_figure", broken)
    assert main(["network", "kite_network", "--rounds", "3", "--out", str(out)]) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(tmp_path) == []
    capsys.readouterr()


def test_the_picture_is_refused_above_its_limit_before_the_run(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["network", "delta_network", "--rounds", "2", "--out", str(out), "--limit", "plot_players=20"]) == 2
    err = capsys.readouterr().err
    assert "the network picture of 33 people" in err and "or use --no-plots" in err and not out.exists()
    assert main(["network", "delta_network", "--rounds", "2", "--out", str(out), "--limit", "plot_players=20",
                 "--no-plots", "--quiet"]) == 0
    capsys.readouterr()


# --- listing and lightness -------------------------------------------------------------

def test_scenarios_lists_the_network_scenarios_in_their_own_section(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    tournaments, networks = out.split("network scenario", 1)
    assert "kite_network" not in tournaments and "larsson" in tournaments
    for name in ("kite_network", "delta_network"):
        description = load_network_scenario(name).description
        assert any(line.split()[0] == name and line.rstrip().endswith(description)
                   for line in networks.splitlines() if line.strip())
    assert "learning-dilemma network NAME" in networks


def test_help_loads_neither_networkx_nor_matplotlib():
    code = ("import sys\nfrom learning_dilemma.cli import main\n"
            "try:\n    main(['network', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('networkx', 'matplotlib', 'axelrod', 'dask') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "--rounds" in done.stdout and done.stdout.splitlines()[-1] == "[]"


def test_a_groups_outline_surrounds_every_member_also_of_two():
    from matplotlib.path import Path as Outline

    from learning_dilemma.io.network_outputs import _hull

    rng = np.random.default_rng(3)
    for points in (rng.normal(size=(9, 2)), rng.normal(size=(2, 2)), np.zeros((1, 2))):
        outline = _hull(points, pad=0.1)
        assert Outline(outline).contains_points(points).all()
        # convex: every turn along the outline is to the left (counter-clockwise)
        turns = [(b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
                 for a, b, c in zip(outline, np.roll(outline, -1, axis=0),
                                    np.roll(outline, -2, axis=0))]
        assert min(turns) > 0


def test_a_network_file_set_on_the_command_line_is_read_from_the_working_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.csv").write_text("Peer institute 1 1,Expert institute 1,2\n")
    assert main(["network", "delta_network", "--rounds", "2", "--set", "network.structure=file",
                 "--set", "network.file=mine.csv", "--set", 'network.groups="none"', "--out", "out", "--quiet"]) == 0
    capsys.readouterr()
    ties = rows(tmp_path / "out" / "ties.csv")
    assert [(t["person_u"], t["person_v"], t["prior"]) for t in ties] == [
        ("Peer institute 1 1", "Expert institute 1", "2")]
