"""The scenario file shown in docs/networks.md is a working scenario."""

from __future__ import annotations

import re
from pathlib import Path

from learning_dilemma.io.scenarios.network import load_network_scenario

PAGE = Path(__file__).resolve().parents[2] / "docs" / "networks.md"


def test_the_documented_scenario_file_loads_and_plays(tmp_path):
    (block,) = re.findall(r"^```toml\n(.*?)^```", PAGE.read_text(), re.S | re.M)
    path = tmp_path / "two_firms.toml"
    path.write_text(block)
    scenario = load_network_scenario(path)
    population = scenario.population
    assert population.n_organisations == 2 and population.n_people == 11
    ann = population.people[population.person_index["Ann"]]
    assert ann.organisations == ("Acme", "Rival") and ann.identity == "profession"
    assert population.tie_prior[population.tie_people.tolist().index(
        sorted([population.person_index["Ann"], population.person_index["Acme 1"]]))] == 3
    assert max(len(g.members) for g in population.groups) <= 6
    results = scenario.play(rounds=5)
    assert results.contributions.person_payoffs.shape == (4, 11, 5)
