"""Roster matrices and sweep points (learning_dilemma.experiments.emergence); the evolve command."""

from __future__ import annotations

import warnings
from xml.etree import ElementTree

import pytest

from learning_dilemma.cli import main
from learning_dilemma.errors import ParameterError
from learning_dilemma.experiments.axes import Axis, grid
from learning_dilemma.experiments.emergence import (
    check_definition, evaluate_point, evaluate_points, roster_matrices, scenario_at,
)
from learning_dilemma.io.scenarios import load_scenario


def test_grid_points_evaluated_together_equal_each_point_alone():
    """The shared exact grid gives each point what solving its own scenario gives."""
    points = grid([Axis("continuation", (0.55, 0.8, 0.97)), Axis("game.power.strength", (0.0, 0.4, 1.0))])
    larsson = load_scenario("larsson")
    together = evaluate_points(larsson, points)
    for point, record in zip(points, together):
        alone = evaluate_point(larsson, point)
        assert record["method"] == alone["method"] == "exact"
        assert record["winner"] == alone["winner"] and record["survivors"] == alone["survivors"]
        for key in ("winner_payoff", "give_rate", "evolved_give_rate", "evolved_give_rate_small_mutations"):
            assert record[key] == pytest.approx(alone[key], abs=1e-9), (point, key)


def test_grid_points_do_not_depend_on_how_they_are_chunked():
    points = grid([Axis("continuation", (0.55, 0.8, 0.97)), Axis("game.power.strength", (0.0, 0.4, 1.0))])
    scenario = load_scenario("race_to_learn", ["seed=3"])
    whole = evaluate_points(scenario, points)
    parts = [evaluate_points(scenario, points[a:b]) for a, b in ((0, 2), (2, 7), (7, 9))]
    assert [r for part in parts for r in part] == whole


def test_other_keys_and_simulated_rosters_take_the_point_by_point_path():
    insys = load_scenario("itcom_insys")
    exact = evaluate_points(insys, [{"game.leak": 0.5}, {"game.leak": 1.5}])
    assert [r["method"] for r in exact] == ["exact", "exact"]
    assert exact[0]["winner_payoff"] != exact[1]["winner_payoff"]
    for point in ({"game.knowledge.levels": 2}, {"game.ties.levels": 0}, {"game.domains[1].overlap": 0.3}):
        together = evaluate_points(insys, [point])[0]
        payoffs, gives, _, method = roster_matrices(scenario_at(insys, point))
        assert together["method"] == method == "exact"
        assert together["give_rate"] == gives.mean() and together["winner_payoff"] == payoffs.mean(axis=1).max()
    simulated = evaluate_points(load_scenario("larsson", ("repetitions=2", "players[0].strategy='axelrod:Random'")),
                                [{"continuation": 0.6}])
    assert simulated[0]["method"] == "simulated"


def test_the_old_call_with_a_file_and_overrides_still_works_and_warns():
    point = {"continuation": 0.8}
    with pytest.warns(DeprecationWarning, match="evaluate_points"):
        old = evaluate_points("delta", ("seed=3",), [point])
    with pytest.warns(DeprecationWarning, match="evaluate_point"):
        old_one = evaluate_point("delta", ("seed=3",), point)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        new = evaluate_points(load_scenario("delta", ["seed=3"]), [point])
    assert not [w for w in caught if "evaluate_point" in str(w.message)]
    assert old == new == [old_one]


def test_points_are_rebuilt_from_the_definition_never_from_the_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(load_scenario("itcom_insys").path.read_text())
    scenario = load_scenario(path)
    path.unlink()  # the file is gone: the points do not need it
    assert scenario_at(scenario, {"continuation": 0.7}).continuation == 0.7
    assert evaluate_points(scenario, [{"continuation": 0.7}])[0]["method"] == "exact"


def test_a_scenario_changed_after_it_was_read_is_refused():
    scenario = load_scenario("delta")
    check_definition(scenario)
    scenario.seed = 12345
    with pytest.raises(ParameterError, match="changed after it was read"):
        check_definition(scenario)
    from learning_dilemma.io.scenarios import Scenario

    bare = Scenario("bare", "", None, scenario.game, scenario.players)
    with pytest.raises(ParameterError, match="no definition"):
        check_definition(bare)


# --- the evolve command --------------------------------------------------------------

@pytest.mark.parametrize("scenario", ["larsson", "race_to_learn", "kite", "delta", "itcom_insys", "itcom_bencons",
                                      "axelrod_classic"])
def test_evolve_runs_on_every_shipped_scenario(scenario, capsys):
    assert main(["evolve", scenario, "--generations", "200", "--repetitions", "2"]) == 0
    out = capsys.readouterr().out
    assert "give rate (replicator):" in out and "survivors (replicator):" in out


def test_evolve_plot(tmp_path):
    assert main(["evolve", "itcom_bencons", "--plot", str(tmp_path / "shares.svg"), "--generations", "100"]) == 0
    ElementTree.parse(tmp_path / "shares.svg")


def test_the_grid_path_equals_solving_each_point_at_its_own_strength():
    """The shared grid assumes stage payoffs linear in power strength (issue 15: strength
    only moves the split of the created value, w = 1/2 + strength z / 2M). Each point of
    the grid equals the roster solved directly in the game at that strength, with
    knowledge stakes (so power acts), ties and an overlap below 1."""
    from learning_dilemma.experiments.emergence import _grid_matrices

    scenario = load_scenario("race_to_learn", ["game.overlap=0.6"])
    points = grid([Axis("continuation", (0.6, 0.9)), Axis("game.power.strength", (0.0, 0.3, 1.0))])
    payoffs, gives = _grid_matrices(scenario, points)
    moved = 0.0
    for k, point in enumerate(points):
        direct, direct_gives, _, method = roster_matrices(scenario_at(scenario, point))
        assert method == "exact"
        assert payoffs[k] == pytest.approx(direct, abs=1e-9) and gives[k] == pytest.approx(direct_gives, abs=1e-9)
        moved = max(moved, float(abs(direct - payoffs[k - k % 3]).max()))  # against strength 0
    assert moved > 1e-3  # strength moves payoffs here: the linear shift is exercised
