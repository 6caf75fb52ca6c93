"""``learning-dilemma network`` with the parts of issues 17 and 18: partner choice,
reputation, dynamics on the structure and multilevel selection from a scenario's
tables or switched on the command line; their summaries, files (atomic, same seed
same bytes), JSON; ``--critical-ratio``; one-line errors; and the part-1 files
unchanged by them."""

from __future__ import annotations

import csv
import json
import textwrap

import numpy as np
import pytest

from learning_dilemma.cli import main
from learning_dilemma.io.network_outputs import NETWORK_FILES, PART_FILES, partner_round_table
from learning_dilemma.io.scenarios.network import load_network_scenario

PART_1 = ("groups.csv", "network.png", "organisations.csv", "people.csv", "rounds.csv", "ties.csv")

SMALL = """
name = "small"
seed = 11
rounds = 5
repetitions = 2

[network]
structure = "{structure}"
{degree}
groups = "size"
group_size = 3
{tables}

[[organisations]]
name = "A"
people = 3
policy = {{ strategy = "Tit For Tat" }}

[[organisations]]
name = "B"
people = 3
policy = {{ strategy = "Defector" }}
"""

ALL_PARTS = """
[network.partner_choice]
exploration = 0.2
[network.reputation]
norm = "standing"
strategies = { DISC = 0.5, ALLD = 0.5 }
execution_error = 0.05
[network.dynamics]
rate = 0.5
rule = "death_birth"
delta = 0.1
[network.selection]
givers = ["A"]
steps = 30
record_every = 5
"""


def small(tmp_path, tables="", structure="complete", degree="", name="small.toml"):
    path = tmp_path / name
    path.write_text(SMALL.format(tables=textwrap.dedent(tables), structure=structure, degree=degree))
    return path


def rows(path):
    with open(path, newline="") as stream:
        return list(csv.DictReader(stream))


def files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


# --- every part from the command line ------------------------------------------------------

def test_every_part_runs_prints_its_summary_and_writes_its_files(tmp_path, capsys):
    path = small(tmp_path, ALL_PARTS)
    out = tmp_path / "out"
    assert main(["network", str(path), "--out", str(out)]) == 0
    printed, err = capsys.readouterr()
    for head in ("partner choice: 6 decision-makers", "reputation: norm standing", "dynamics: death_birth updating",
                 "multilevel selection: 2 groups of at most 3"):
        assert head in printed
    # Traulsen & Nowak's 1 + n/m with n = 3, m = 2, by hand; b = T - P = 2, c = P - S = 1 for the default game
    assert "b = 2, c = 1, b/c = 2" in printed and "1 + n/m = 2.5" in printed
    expected = set(NETWORK_FILES) | {name for names in PART_FILES.values() for name in names}
    assert {p.name for p in out.iterdir()} == expected
    assert err == f"\nwrote results to {out}\n"
    for picture in ("network.png", "dynamics.png", "selection.png"):
        assert (out / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_parts_files_hold_the_runs_numbers(tmp_path, capsys):
    path = small(tmp_path, ALL_PARTS)
    out = tmp_path / "out"
    assert main(["network", str(path), "--out", str(out), "--no-plots", "--quiet"]) == 0
    capsys.readouterr()
    outcome = load_network_scenario(path).run()
    document = json.loads((out / "summary.json").read_text())
    assert document["partner_choice"] == json.loads(json.dumps(outcome.partner_choice.summary()))
    assert document["reputation"]["cooperation"] == pytest.approx(outcome.reputation.mean_cooperation(), rel=1e-12)
    assert document["dynamics"]["final_shares"] == pytest.approx(outcome.dynamics.summary()["final_shares"])
    assert document["selection"]["givers_won"] + document["selection"]["takers_won"] + \
        document["selection"]["mixed"] == 2
    # partner choice: the round table counts what the opportunity table lists
    opportunities = rows(out / "partners_opportunities.csv")
    by_round = rows(out / "partners_rounds.csv")
    assert len(by_round) == 5 and sum(int(r["opportunities"]) for r in by_round) == len(opportunities)
    for r in by_round:
        mine = [o for o in opportunities if o["round"] == r["round"]]
        assert int(r["engaged"]) == sum(o["partner"] != "" for o in mine)
        assert float(r["mean_payoff"]) == pytest.approx(np.mean([float(o["payoff"]) for o in mine]), rel=1e-12)
    events = rows(out / "partners_ties.csv")
    formed = sum(e["event"] == "formed" for e in events) - sum(e["event"] == "broken" for e in events)
    assert formed == int(by_round[-1]["partner_ties"])
    estimates = rows(out / "partners_estimates.csv")
    assert {int(r["round"]) for r in estimates} == set(range(-1, 5))
    # reputation per round, dynamics shares per level, selection per step
    assert [float(r["cooperation"]) for r in rows(out / "reputation_rounds.csv")] == pytest.approx(
        np.nanmean(outcome.reputation.cooperation, axis=0).tolist())
    shares = rows(out / "dynamics_shares.csv")
    assert {r["level"] for r in shares} == {"network", "organisation", "group"}
    for t in range(6):
        network = [float(r["share"]) for r in shares if r["level"] == "network" and int(r["round"]) == t]
        assert sum(network) == pytest.approx(1.0)
    giving = rows(out / "dynamics_giving.csv")
    assert {r["unit"] for r in giving if r["level"] == "organisation"} == {"A", "B"}
    selection = rows(out / "selection.csv")
    assert {int(r["step"]) for r in selection} == {0, 5, 10, 15, 20, 25, 30}
    start = [r for r in selection if r["step"] == "0"]
    assert float(next(r for r in start if r["level"] == "population")["giver_share"]) == 0.5   # 3 of 6 give
    assert {r["unit"]: float(r["giver_share"]) for r in start if r["level"] == "organisation"} == {"A": 1.0, "B": 0.0}
    people = rows(out / "selection_people.csv")
    assert [r["strategy"] for r in people] == ["Cooperator"] * 3 + ["Defector"] * 3


def test_same_seed_same_bytes_in_every_file(tmp_path, capsys):
    path = small(tmp_path, ALL_PARTS)
    runs = []
    for label in ("first", "again"):
        out = tmp_path / label
        assert main(["network", str(path), "--out", str(out), "--quiet"]) == 0
        runs.append(files(out))
    capsys.readouterr()
    assert runs[0] == runs[1]
    other = tmp_path / "other"
    assert main(["network", str(path), "--out", str(other), "--quiet", "--seed", "12"]) == 0
    capsys.readouterr()
    assert files(other)["partners_opportunities.csv"] != runs[0]["partners_opportunities.csv"]


def test_no_plots_leaves_out_the_parts_pictures(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["network", str(small(tmp_path, ALL_PARTS)), "--out", str(out), "--no-plots", "--quiet"]) == 0
    capsys.readouterr()
    assert not {"network.png", "dynamics.png", "selection.png"} & {p.name for p in out.iterdir()}


def test_the_part_1_files_are_the_same_bytes_with_or_without_the_parts(tmp_path, capsys):
    """The parts draw from their own streams and never touch the play: people.csv, ...,
    network.png are byte for byte what the scenario without the tables writes, and a
    scenario without them writes exactly the part-1 files."""
    plain, full = tmp_path / "plain", tmp_path / "full"
    assert main(["network", str(small(tmp_path)), "--out", str(plain), "--quiet"]) == 0
    assert main(["network", str(small(tmp_path, ALL_PARTS, name="full.toml")), "--out", str(full), "--quiet"]) == 0
    capsys.readouterr()
    assert sorted(files(plain)) == sorted(NETWORK_FILES)
    a, b = files(plain), files(full)
    for name in PART_1:
        assert a[name] == b[name].replace(b"full.toml", b"small.toml"), name
    document = json.loads(b["summary.json"])
    assert set(document) - set(json.loads(a["summary.json"])) == {"partner_choice", "reputation", "dynamics",
                                                                  "selection"}


def test_a_part_switched_off_on_the_command_line_writes_nothing_of_it(tmp_path, capsys):
    path = small(tmp_path, ALL_PARTS)
    out = tmp_path / "out"
    assert main(["network", str(path), "--no-dynamics", "--no-selection", "--out", str(out), "--quiet",
                 "--no-plots"]) == 0
    printed = capsys.readouterr().out
    assert "dynamics:" not in printed and "multilevel selection" not in printed and "reputation:" in printed
    names = {p.name for p in out.iterdir()}
    assert not names & set(PART_FILES["dynamics"] + PART_FILES["selection"])
    assert set(PART_FILES["reputation"]) <= names
    document = json.loads((out / "summary.json").read_text())
    assert "dynamics" not in document["scenario"]["definition"]["network"]


@pytest.mark.parametrize("option, head", [("--partners", "partner choice:"), ("--reputation", "reputation:"),
                                          ("--dynamics", "dynamics: pairwise updating")])
def test_a_part_switched_on_runs_with_its_defaults(option, head, capsys):
    assert main(["network", "kite_network", "--rounds", "3", "--repetitions", "1", option]) == 0
    printed = capsys.readouterr().out
    assert head in printed


def test_selection_switched_on_says_what_it_needs(capsys):
    assert main(["network", "delta_network", "--rounds", "2", "--selection"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "network.selection.givers: person 'Peer institute 1 1' plays Peer" in err


def test_json_carries_each_parts_summary(tmp_path, capsys):
    assert main(["network", str(small(tmp_path, ALL_PARTS)), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {"partner_choice", "reputation", "dynamics", "selection"} <= set(document)
    assert document["reputation"]["norm"] == "standing"
    assert any(key == "network.dynamics.rule" for key in document["scenario"]["settings"])


# --- the shipped scenarios of the parts -----------------------------------------------------

@pytest.mark.parametrize("name, part", [("itcom_partners", "partner_choice"), ("delta_reputation", "reputation")])
def test_the_shipped_part_scenarios_run_and_write_their_files(name, part, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["network", name, "--rounds", "4", "--repetitions", "2", "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    assert {p.name for p in out.iterdir()} == set(NETWORK_FILES) | set(PART_FILES[part])


# --- the critical ratio -----------------------------------------------------------------------

def test_the_critical_ratio_of_a_regular_graph_is_the_closed_form(tmp_path, capsys):
    """A ring of 6 people (a small world without rewiring, degree 2): (N - 2)/(N/k - 2) = 4/(3 - 2) = 4
    (Allen et al. 2017)."""
    path = small(tmp_path, structure="small_world", degree="degree = 2\nrewiring = 0.0")
    assert main(["network", str(path), "--critical-ratio", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["regular"] is True and result["degree"] == 2
    assert result["regular_closed_form"] == 4.0
    assert result["critical_ratio"] == pytest.approx(4.0, rel=1e-9)
    # the default game at its donation-game limit: b = 2, c = 1 < 4: not favoured
    assert (result["b"], result["c"], result["favoured"]) == (2.0, 1.0, False)
    assert main(["network", str(path), "--critical-ratio"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "(N - 2)/(N/k - 2) = 4" in printed and "b/c > k = 2" in printed


def test_the_critical_ratio_of_another_graph_is_the_coalescence_ratio(capsys):
    from learning_dilemma.networks.coalescence import coalescence

    assert main(["network", "kite_network", "--critical-ratio", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    expected = coalescence(load_network_scenario("kite_network").population).critical_ratio
    assert result["regular"] is False and result["regular_closed_form"] is None
    assert result["critical_ratio"] == pytest.approx(expected, rel=1e-12)


def test_the_complete_graph_favours_no_ratio(tmp_path, capsys):
    """Six people, all tied: N <= 2k, so no b/c favours sharing (infinite, written null in JSON)."""
    assert main(["network", str(small(tmp_path)), "--critical-ratio", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["critical_ratio"] is None and result["regular_closed_form"] is None
    assert "no b/c > 0 favours sharing" in result["reason"] and result["favoured"] is False
    assert result["regular"] is True and result["degree"] == 5


@pytest.mark.parametrize("argv, says", [
    (["--set", 'network.structure="none"'], "network.structure: the network has no ties"),
    (["--out", "OUT"], "--critical-ratio prints a number and writes nothing"),
])
def test_critical_ratio_refusals_are_one_line(argv, says, tmp_path, capsys):
    argv = [str(tmp_path / "o") if a == "OUT" else a for a in argv]
    assert main(["network", "kite_network", "--critical-ratio", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
    assert not (tmp_path / "o").exists()


def test_a_graph_in_two_parts_has_no_critical_ratio(tmp_path, capsys):
    path = small(tmp_path, structure="regular", degree="degree = 1")
    assert main(["network", str(path), "--critical-ratio"]) == 2
    assert "network.structure: not connected" in capsys.readouterr().err


# --- refusals --------------------------------------------------------------------------------

@pytest.mark.parametrize("extra, says", [
    (["--set", 'network.dynamics.rule="moran"'], "network.dynamics.rule: expected one of"),
    (["--set", "network.partner_choice.exploration=2"], "network.partner_choice.exploration: expected a number"),
    (["--set", 'network.reputation.norm="kindness"'], "network.reputation.norm: unknown norm"),
    (["--set", "network.selection.q=-1"], "network.selection.q: expected a number"),
    (["--set", "network.dynamics.speed=1"], "network.dynamics.speed: unknown key"),
])
def test_bad_part_values_are_one_line_with_status_2_and_nothing_written(extra, says, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["network", str(small(tmp_path, ALL_PARTS)), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "Traceback" not in err
    assert not out.exists()


def test_a_failing_part_file_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    from learning_dilemma.io import network_outputs

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(network_outputs, "dynamics_figure", broken)  # after every CSV file is written
    out = tmp_path / "deep" / "out"
    assert main(["network", str(small(tmp_path, ALL_PARTS)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert not (tmp_path / "deep").exists()


def test_the_round_table_of_partner_choice_by_hand():
    """Two decision-makers, three rounds: the counts and means of partner_round_table
    are those of the arrays it reads."""
    from types import SimpleNamespace

    choice = SimpleNamespace(
        rounds=3,
        opportunity=np.array([[True, True, False], [True, False, True]]),
        chosen=np.array([[4, -1, -2], [5, -2, -1]]),
        explored=np.array([[True, False, False], [False, False, False]]),
        payoff=np.array([[2.0, 1.0, np.nan], [3.0, np.nan, 1.0]]),
        network_sizes=lambda: np.array([0, 2, 1, 1]),
    )
    assert partner_round_table(choice) == [
        {"round": 0, "opportunities": 2, "engaged": 2, "alone": 0, "explorations": 1, "mean_payoff": 2.5,
         "partner_ties": 2},
        {"round": 1, "opportunities": 1, "engaged": 0, "alone": 1, "explorations": 0, "mean_payoff": 1.0,
         "partner_ties": 1},
        {"round": 2, "opportunities": 1, "engaged": 0, "alone": 1, "explorations": 0, "mean_payoff": 1.0,
         "partner_ties": 1},
    ]


# --- the play left out -------------------------------------------------------------------------

def test_no_play_runs_only_the_parts_and_their_files_are_the_same_bytes(tmp_path, capsys):
    """The parts never read the play: without it their files are byte for byte the same, and only
    they and summary.json are written (the scale goal's path: the dynamics play the ties themselves)."""
    path = small(tmp_path, ALL_PARTS)
    full, parts = tmp_path / "full", tmp_path / "parts"
    assert main(["network", str(path), "--out", str(full), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["network", str(path), "--out", str(parts), "--no-play"]) == 0
    printed = capsys.readouterr().out
    assert "the play left out (--no-play)" in printed and "dynamics:" in printed and "giving share" not in printed
    written = files(parts)
    assert set(written) == {"summary.json"} | {name for names in PART_FILES.values() for name in names}
    whole = files(full)
    for name in written:
        if name != "summary.json":
            assert written[name] == whole[name], name
    document = json.loads(written["summary.json"])
    assert "summary" not in document and "by_repetition" not in document
    assert document["dynamics"] == json.loads(whole["summary.json"])["dynamics"]


@pytest.mark.parametrize("tables, extra, says", [
    ("", [], "--no-play: the scenario runs no part"),
    ("[network.reputation]\n", ["--format", "csv"], "with --no-play use --format table or json"),
])
def test_no_play_refusals_are_one_line(tables, extra, says, tmp_path, capsys):
    assert main(["network", str(small(tmp_path, tables)), "--no-play", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
