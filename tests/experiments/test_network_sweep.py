"""Network scenarios swept through the sweep machinery (learning_dilemma.experiments.networks).

Small networks (20 rounds, 2 repetitions) keep these quick.
"""

from __future__ import annotations

import csv
import json
import math

import pytest

from learning_dilemma.cli import main
from learning_dilemma.errors import ParameterError
from learning_dilemma.experiments.networks import (
    NETWORK_COLUMNS, evaluate_network_point, is_network_scenario, network_metrics, prepare_network,
)
from learning_dilemma.experiments.sweep import Axis, Sweep
from learning_dilemma.io.scenarios.network import load_network_scenario

SMALL = ["rounds=20", "repetitions=2"]
CLUSTERED = SMALL + ["network.structure=clustered"]
BASE = ["sweep", "kite_network", "--set", "rounds=20", "--set", "repetitions=2", "--quiet", "--no-plots"]
BRIDGING = BASE + ["--set", "network.structure=clustered", "--vary", "network.bridging=0:0.5:3"]


def rows(folder):
    with (folder / "sweep.csv").open() as stream:
        return list(csv.DictReader(stream))


def same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


# --- which scenarios are networks ---------------------------------------------------------

def test_network_scenarios_are_told_from_tournament_scenarios(tmp_path):
    assert is_network_scenario("kite_network") and is_network_scenario("delta_network")
    assert not is_network_scenario("kite") and not is_network_scenario("larsson")
    assert is_network_scenario(load_network_scenario("kite_network"))
    copy = tmp_path / "mine.toml"
    copy.write_text(load_network_scenario("delta_network").path.read_text())
    assert is_network_scenario(copy) and is_network_scenario(str(copy))
    broken = tmp_path / "broken.toml"
    broken.write_text("organisations = [")
    assert not is_network_scenario(broken)  # the tournament loader says why, in one line


# --- the points ------------------------------------------------------------------------

def test_a_point_is_the_scenario_loaded_with_its_values():
    """Rebuilt from the definition, a point plays as the file loaded with --set does."""
    sweep = Sweep(load_network_scenario("kite_network", CLUSTERED), ["network.bridging=0,0.5"])
    record = sweep.evaluate({"network.bridging": 0.5})
    direct = network_metrics(load_network_scenario("kite_network", CLUSTERED + ["network.bridging=0.5"]).play())
    assert set(record) == set(NETWORK_COLUMNS) - {"status", "error"}
    assert all(same(record[key], direct[key]) for key in direct)
    # and the value matters: the other end of the axis plays another network
    other = sweep.evaluate({"network.bridging": 0.0})
    assert other["giving_share"] != record["giving_share"] or other["tie_mutual_giving"] != record["tie_mutual_giving"]


def test_whole_number_keys_get_whole_numbers_and_build_their_structure():
    """A small world of n people and degree k has n k / 2 ties (Watts & Strogatz 1998):
    kite_network's 20 people at degrees 2, 4, 6."""
    sweep = Sweep(load_network_scenario("kite_network", SMALL), ["network.degree=2:6:3"])
    assert sweep.axes == [Axis("network.degree", (2, 4, 6))]
    result = sweep.run()
    assert [r["ties"] for r in result.records] == [20, 40, 60]
    assert all(r["people"] == 20 and r["groups"] == 1 for r in result.records)
    with pytest.raises(ParameterError, match=r"--vary network.degree: takes whole numbers, got 2.5"):
        Sweep(load_network_scenario("kite_network", SMALL), ["network.degree=2.5,3"])


def test_the_headline_numbers_mean_what_the_results_say():
    scenario = prepare_network(load_network_scenario("delta_network", SMALL))
    record = evaluate_network_point(scenario, {"game.overlap": 0.5})
    results = scenario.play()
    summary = results.summary()
    assert record["people"] == 33 and record["groups"] == 3
    assert record["giving_share"] == summary["giving_share"]
    assert record["person_payoff"] == summary["mean_person_payoff"]
    # absorption 1 everywhere in Delta: everything learned reaches the organisations
    assert record["absorbed"] == pytest.approx(record["learning"])
    gives = results.groups.gives
    open_shares = gives[gives == gives]  # the rounds a group was open
    assert record["group_giving_share"] == pytest.approx(open_shares.mean())


# --- processes, Dask, resume -------------------------------------------------------------

def test_two_processes_give_the_same_bytes_as_one(tmp_path):
    assert main(BRIDGING + ["--out", str(tmp_path / "one"), "--processes", "1"]) == 0
    assert main(BRIDGING + ["--out", str(tmp_path / "two"), "--processes", "2"]) == 0
    one = (tmp_path / "one" / "sweep.csv").read_text()
    assert one == (tmp_path / "two" / "sweep.csv").read_text()
    table = rows(tmp_path / "one")
    assert [r["network.bridging"] for r in table] == ["0.0", "0.25", "0.5"]
    assert all(r["status"] == "ok" and r["ties"] == "40" for r in table)


def test_a_two_axis_network_sweep_on_two_processes_equals_one(tmp_path):
    argv = BASE + ["--vary", "network.absorption=0.2,0.8", "--vary", "game.overlap=0.3,0.9"]
    assert main(argv + ["--out", str(tmp_path / "one"), "--processes", "1"]) == 0
    assert main(argv + ["--out", str(tmp_path / "two"), "--processes", "2"]) == 0
    assert (tmp_path / "one" / "sweep.csv").read_text() == (tmp_path / "two" / "sweep.csv").read_text()
    table = rows(tmp_path / "one")
    assert len(table) == 4
    # network.absorption is the default of the organisations without their own (KITe's mid-size firms and
    # the back-door dealer): more of their people's learning reaches home
    low, high = (float(r["absorbed"]) for r in table[::2])
    assert high > low


def test_a_network_sweep_runs_on_a_local_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        assert main(BRIDGING + ["--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address]) == 0
    assert main(BRIDGING + ["--out", str(tmp_path / "local"), "--processes", "1"]) == 0
    assert (tmp_path / "dask" / "sweep.csv").read_text() == (tmp_path / "local" / "sweep.csv").read_text()


def test_an_interrupted_network_sweep_resumes_where_it_stopped(tmp_path):
    sweep = Sweep(load_network_scenario("kite_network", CLUSTERED), ["network.bridging=0:0.5:3"])
    whole = sweep.run(tmp_path / "whole")
    out = tmp_path / "cut"
    sweep.run(out)
    journal = out / "journal.jsonl"
    lines = journal.read_text().splitlines(keepends=True)
    journal.write_text("".join(lines[:2]))  # the header and the first point: the run stopped there
    ran = []
    resumed = sweep.run(out, resume=True, on_results=ran.extend)
    assert [r["index"] for r in ran] == [1, 2]
    assert all(same(a[k], b[k]) for a, b in zip(resumed.records, whole.records) for k in a)
    # the command resumes it too, and writes the same file
    assert main(BRIDGING + ["--out", str(out), "--processes", "1", "--resume"]) == 0
    whole.write(tmp_path / "whole", plots=False)
    assert (out / "sweep.csv").read_text() == (tmp_path / "whole" / "sweep.csv").read_text()


def test_the_fingerprint_is_the_network_scenarios_content(tmp_path, capsys):
    axes = ["game.overlap=0.3,0.9"]
    plain = Sweep(load_network_scenario("kite_network", SMALL), axes)
    assert plain.fingerprint == Sweep(load_network_scenario("kite_network", SMALL), axes).fingerprint
    assert plain.fingerprint != Sweep(load_network_scenario("kite_network", SMALL + ["seed=7"]), axes).fingerprint
    assert plain.fingerprint != Sweep(load_network_scenario("kite_network", SMALL), axes,
                                      overrides=["organisations[0].absorption=0.5"]).fingerprint
    # a journal of the unedited file is not resumed by a sweep of the edited one
    path = tmp_path / "mine.toml"
    path.write_text(load_network_scenario("kite_network").path.read_text())
    argv = ["sweep", str(path), "--set", "rounds=20", "--set", "repetitions=2", "--vary", "game.overlap=0.3,0.9",
            "--quiet", "--no-plots", "--processes", "1", "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    path.write_text(path.read_text().replace("absorption = 0.3", "absorption = 0.4"))
    capsys.readouterr()
    assert main(argv + ["--resume"]) == 2
    assert "different sweep" in capsys.readouterr().err


def ties_scenario(tmp_path):
    """A network scenario whose ties come from an edge list beside it."""
    (tmp_path / "ties.csv").write_text("A 1,B 1\nB 1,C 1\nC 1,A 1\n")
    path = tmp_path / "net.toml"
    path.write_text(
        'name = "filed"\nseed = 3\nrounds = 20\nrepetitions = 2\n[network]\nstructure = "file"\nfile = "ties.csv"\n'
        'groups = "none"\n'
        + "".join(f'[[organisations]]\nname = "{n}"\npolicy = {{ strategy = "Trust Builder" }}\n' for n in "ABC"))
    return path


def test_a_ties_files_content_is_in_the_fingerprint_and_checked_at_every_point(tmp_path):
    path = ties_scenario(tmp_path)
    axes = ["game.overlap=0.3,0.9"]
    before = Sweep.load(path, axes)
    assert before.run().failed == []
    (tmp_path / "ties.csv").write_text("A 1,B 1\nB 1,C 1\n")
    after = Sweep.load(path, axes)
    assert after.fingerprint != before.fingerprint  # same definition, other ties
    # the file changes while the sweep runs: the point fails, it is not played on other ties
    result = before.run()
    assert [r["status"] for r in result.records] == ["failed", "failed"]
    assert "ties.csv changed during the sweep" in result.records[0]["error"]


def test_a_definition_without_a_seed_is_swept_from_one_seed(tmp_path):
    path = tmp_path / "unseeded.toml"
    path.write_text("\n".join(line for line in load_network_scenario("kite_network").path.read_text().splitlines()
                              if not line.startswith("seed")))
    scenario = load_network_scenario(path, SMALL)
    sweep = Sweep(scenario, ["game.overlap=0.3,0.9"])
    assert sweep.scenario.raw["seed"] == scenario.seed
    first = sweep.run().records
    on_two = sweep.run(processes=2).records
    assert all(same(a[k], b[k]) for a, b in zip(first, on_two) for k in a)


def test_the_limits_in_force_hold_in_the_worker_processes(tmp_path, capsys):
    """The axis's ends are built in this process (20 and 40 ties of kite_network's 20 people at
    degrees 2 and 4), its middle point (degree 8: 80 ties) where it runs: with the ties limit
    lowered to 50 for this run, it fails there too, on worker processes as in this one."""
    argv = BASE + ["--vary", "network.degree=2,8,4", "--limit", "ties=50"]
    for processes in ("1", "2"):
        assert main(argv + ["--out", str(tmp_path / processes), "--processes", processes]) == 1
        table = rows(tmp_path / processes)
        assert [r["status"] for r in table] == ["ok", "failed", "ok"]
        assert "ties" in table[1]["error"] and "50" in table[1]["error"]
    assert (tmp_path / "1" / "sweep.csv").read_text() == (tmp_path / "2" / "sweep.csv").read_text()
    assert main(BASE + ["--vary", "network.degree=2,8,4", "--out", str(tmp_path / "default"),
                        "--processes", "2"]) == 0


# --- one-line errors -----------------------------------------------------------------------

@pytest.mark.parametrize("vary, says", [
    ("network.bridging=0:0.5:3", "--vary network.bridging: "),   # small world: bridging is not read
    ("network.foo=1,2", "network.foo: unknown key"),
    ("network.rewiring=0:1.5:3", "network.rewiring: expected a number in [0, 1], got 1.5"),
    ("network.degree=2.5,3", "--vary network.degree: takes whole numbers, got 2.5"),
    ("turns=10,20", "turns: unknown key"),
    ("organisations[0].absorption=0.5,2", "organisations[0].absorption: expected a number in [0, 1], got 2"),
])
def test_bad_network_axes_are_one_line_before_anything_runs(vary, says, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(BASE + ["--vary", vary, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (out / "journal.jsonl").exists()


def test_network_only_options_are_one_line(tmp_path, capsys):
    assert main(BASE + ["--vary", "game.overlap=0.3,0.9", "--continuation", "0.9", "--out", str(tmp_path)]) == 2
    assert "--continuation: a network plays a fixed number of rounds" in capsys.readouterr().err
    assert main(BASE + ["--vary", "game.overlap=0.3,0.9", "--turns", "5", "--out", str(tmp_path / "t")]) == 0
    scenario = load_network_scenario("kite_network", SMALL)
    with pytest.raises(ParameterError, match="not an evolved give rate"):
        Sweep(scenario, ["game.overlap=0.3,0.9"]).run().intervals()
    scenario.rounds = 5  # changed in Python: the definition no longer describes it
    with pytest.raises(ParameterError, match="changed after it was read"):
        Sweep(scenario, ["game.overlap=0.3,0.9"])


def test_the_sweep_files_of_a_network(tmp_path, capsys):
    argv = BASE + ["--vary", "network.identification=0:1:3", "--out", str(tmp_path / "s"), "--processes", "1"]
    argv.remove("--no-plots")
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "3 points, 3 done, 0 failed" in printed and "giving share" in printed
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["journal.jsonl", "sweep.csv", "sweep.png",
                                                                    "sweep.svg"]
    header = (tmp_path / "s" / "sweep.csv").read_text().splitlines()[0].split(",")
    assert header == ["network.identification", *NETWORK_COLUMNS]
    lines = (tmp_path / "s" / "journal.jsonl").read_text().splitlines()
    assert len(lines) == 4 and all(json.loads(line)["sweep"] for line in lines)
