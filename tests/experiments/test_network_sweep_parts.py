"""Network sweeps over the parts of issues 17 and 18: points vary the parts' keys
(network.dynamics.delta, network.partner_choice.exploration, the reputation norm as a
category) and record each part's headline numbers (PART_COLUMNS); the same bytes on
one process, two, or a Dask cluster; a part-1 sweep's columns as before."""

from __future__ import annotations

import csv
import math

import pytest

from learning_dilemma.cli import main
from learning_dilemma.experiments.networks import (
    NETWORK_COLUMNS, PART_COLUMNS, evaluate_network_point, network_metrics, part_metrics, prepare_network,
)
from learning_dilemma.experiments.sweep import Sweep
from learning_dilemma.io.scenarios.network import load_network_scenario

QUICK = ["rounds=6", "repetitions=2"]
DYNAMICS = ["--set", "network.dynamics.rate=0.3", "--set", 'network.dynamics.rule="death_birth"']
BASE = ["sweep", "delta_network", "--set", "rounds=6", "--set", "repetitions=2", "--quiet", "--no-plots"]


def rows(folder):
    with (folder / "sweep.csv").open() as stream:
        return list(csv.DictReader(stream))


def same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def test_a_points_record_is_the_play_and_each_parts_headline_numbers():
    scenario = prepare_network(load_network_scenario("delta_network", QUICK + [
        "network.dynamics.rate=0.3", "network.reputation.norm=\"standing\"", "network.partner_choice.turns=3",
        "network.selection.givers=[\"Peer institute 1\"]", "network.selection.steps=30"]))
    record = evaluate_network_point(scenario, {"network.dynamics.delta": 0.5})
    outcome = load_network_scenario("delta_network", QUICK + [
        "network.dynamics.rate=0.3", "network.reputation.norm=\"standing\"", "network.partner_choice.turns=3",
        "network.selection.givers=[\"Peer institute 1\"]", "network.selection.steps=30",
        "network.dynamics.delta=0.5"]).run()
    expected = {**network_metrics(outcome.results), **part_metrics(outcome)}
    assert list(record) == list(expected) and all(same(record[k], expected[k]) for k in record)
    parts = [c for names in PART_COLUMNS.values() for c in names]
    assert [k for k in record if k not in NETWORK_COLUMNS and not k.startswith("dynamics_share_")] == parts
    # the dynamics' roster: delta_network's four policies, shares at the end adding up to one
    shares = [record[f"dynamics_share_{k}"] for k in range(4)]
    assert sum(shares) == pytest.approx(1.0) and "dynamics_share_4" not in record
    summary = outcome.partner_choice.summary()
    assert (record["partner_ties"], record["partner_engaged_share"]) == (summary["ties"], summary["engaged_share"])
    assert record["reputation_cooperation"] == outcome.reputation.mean_cooperation()
    assert math.isnan(record["reputation_good_allc"])          # nobody plays ALLC
    assert record["selection_givers_won"] + record["selection_takers_won"] <= 1.0


def test_a_part_1_sweep_records_only_the_part_1_columns():
    scenario = prepare_network(load_network_scenario("kite_network", QUICK))
    record = evaluate_network_point(scenario, {"network.absorption": 0.5})
    assert set(record) == set(NETWORK_COLUMNS) - {"status", "error"}


def test_a_dynamics_sweep_on_two_processes_gives_the_same_bytes_as_one(tmp_path):
    argv = BASE + DYNAMICS + ["--vary", "network.dynamics.delta=0:2:3"]
    assert main(argv + ["--out", str(tmp_path / "one"), "--processes", "1"]) == 0
    assert main(argv + ["--out", str(tmp_path / "two"), "--processes", "2"]) == 0
    one = (tmp_path / "one" / "sweep.csv").read_text()
    assert one == (tmp_path / "two" / "sweep.csv").read_text()
    table = rows(tmp_path / "one")
    assert [r["network.dynamics.delta"] for r in table] == ["0.0", "1.0", "2.0"]
    header = one.splitlines()[0].split(",")
    assert header[-1] == "error" and header.index("dynamics_giving_last") < header.index("error")
    assert header.index("groups_ended_by_race") < header.index("dynamics_giving_first")
    assert all(r["status"] == "ok" for r in table)


def test_a_partner_choice_sweep_on_a_local_dask_cluster_equals_one_process(tmp_path):
    distributed = pytest.importorskip("distributed")
    argv = BASE + ["--set", "network.partner_choice.turns=3", "--vary", "network.partner_choice.exploration=0,0.5"]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        assert main(argv + ["--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address]) == 0
    assert main(argv + ["--out", str(tmp_path / "local"), "--processes", "1"]) == 0
    assert (tmp_path / "dask" / "sweep.csv").read_text() == (tmp_path / "local" / "sweep.csv").read_text()
    table = rows(tmp_path / "local")
    assert [r["network.partner_choice.exploration"] for r in table] == ["0", "0.5"]
    assert all(r["status"] == "ok" and r["partner_ties"] != "" for r in table)


def test_the_reputation_norm_is_swept_as_a_category(tmp_path):
    scenario = load_network_scenario("delta_reputation", QUICK)
    norms = ["image scoring", "standing", "stern judging"]
    sweep = Sweep(scenario, [("network.reputation.norm", norms)])
    one = sweep.run(tmp_path / "one", processes=1)
    two = Sweep(scenario, [("network.reputation.norm", norms)]).run(tmp_path / "two", processes=2)
    one.write(tmp_path / "one", plots=True)
    two.write(tmp_path / "two", plots=False)
    assert (tmp_path / "one" / "sweep.csv").read_text() == (tmp_path / "two" / "sweep.csv").read_text()
    table = rows(tmp_path / "one")
    assert [r["network.reputation.norm"] for r in table] == norms
    # each point is the scenario with that norm
    for row, norm in zip(table, norms):
        run = load_network_scenario("delta_reputation", QUICK + [f'network.reputation.norm="{norm}"'])
        expected = run.simulate_reputation().mean_cooperation()
        assert float(row["reputation_cooperation"]) == pytest.approx(expected, rel=1e-12)
    assert (tmp_path / "one" / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_bad_category_is_refused_before_anything_runs(tmp_path):
    from learning_dilemma.errors import ParameterError

    scenario = load_network_scenario("delta_reputation", QUICK)
    with pytest.raises(ParameterError, match=r"--vary network.reputation.norm: .*network.reputation.norm: unknown "
                                             r"norm 'kindness'"):
        Sweep(scenario, [("network.reputation.norm", ["standing", "kindness"])])


def test_the_printed_table_shows_the_parts_headline_columns(tmp_path, capsys):
    argv = BASE + DYNAMICS + ["--set", 'network.reputation.norm="standing"', "--vary", "network.dynamics.delta=0,1",
                              "--out", str(tmp_path / "out")]
    assert main([a for a in argv if a != "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "reputation cooperation" in printed and "giving at the end" in printed
    assert "partner ties" not in printed
