"""Network scenario files (io/scenarios/network.py): the shipped cases, the schema,
defaults, overrides, users' network files and the limits checked before building."""

from __future__ import annotations

import textwrap

import networkx as nx
import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.io.scenarios import load_scenario
from learning_dilemma.io.scenarios.network import (
    NETWORK_DIR, build_network, load_network_scenario, network_scenario_names,
)
from learning_dilemma.limits import ResourceLimitError, raised

BASE = """
name = "small"
{top}
[network]
{network}

[[organisations]]
name = "A"
people = 2
policy = {{ strategy = "Peer", receptivity = 0.6 }}

[[organisations]]
name = "B"
people = 2
policy = {{ strategy = "Trust Builder" }}
{tail}
"""


def write(tmp_path, top="", network='structure = "complete"\ngroups = "none"', tail="", name="small.toml"):
    path = tmp_path / name
    path.write_text(BASE.format(top=top, network=network, tail=textwrap.dedent(tail)))
    return path


# --- the shipped cases ----------------------------------------------------------------

def test_the_network_scenarios_are_shipped_apart_from_the_tournament_ones():
    # part 1's two cases, and (issue 17) partner choice's and reputation's
    assert network_scenario_names() == ["delta_network", "delta_reputation", "itcom_partners", "kite_network"]
    assert NETWORK_DIR.name == "networks"
    # the tournament loader does not see them
    with pytest.raises(ParameterError, match="unknown scenario 'kite_network'"):
        load_scenario("kite_network")


def test_kite_network_is_twelve_firms_of_one_to_four_people_in_one_network():
    """Seed 001 s.6: twelve organisations, 'one to four individuals from each', one
    knowledge-sharing network that coincided with the alliance."""
    scenario = load_network_scenario("kite_network")
    population = scenario.population
    assert population.n_organisations == 12
    per_organisation = population.membership.astype(bool).sum(axis=0)
    assert per_organisation.min() >= 1 and per_organisation.max() <= 4
    assert per_organisation.min() == 1 and per_organisation.max() == 4  # the whole range is used
    assert len(population.groups) == 1 and len(population.groups[0].members) == population.n_people
    # learning stays individual where the organisation is not committed: low absorption somewhere
    assert min(o.absorption for o in population.organisations) < 0.5


def test_delta_network_is_five_institutes_in_groups_of_at_most_fifteen_with_shared_people():
    """Seed 001 s.6: five institutes, several networks of at most 15 people, people who
    work for more than one employer, prior co-operation."""
    scenario = load_network_scenario("delta_network")
    population = scenario.population
    assert population.n_organisations == 5
    assert len(population.groups) >= 2
    assert all(len(g.members) <= 15 for g in population.groups)
    assert any(len(p.organisations) == 2 for p in population.people)
    assert population.n_ties > 0 and (population.tie_prior > 0).all()


@pytest.mark.parametrize("network, tournament", [("kite_network", "kite"), ("delta_network", "delta")])
def test_network_cases_keep_the_tournament_cases_casting_and_game(network, tournament):
    """The cases differ from the tournament scenarios by structure and people-level
    values, not by the game or the strategies."""
    net, tour = load_network_scenario(network), load_scenario(tournament)
    assert net.game == tour.game
    policies = {o.policy.label for o in net.population.organisations}
    players = {type(p)(**p.parameters).label for p in tour.players}  # without the display labels
    assert policies == players


def test_the_same_seed_builds_the_same_network_and_another_seed_another():
    first = load_network_scenario("delta_network").population
    again = load_network_scenario("delta_network").population
    other = load_network_scenario("delta_network", ["seed=7"]).population
    assert np.array_equal(first.tie_people, again.tie_people)
    assert [g.members for g in first.groups] == [g.members for g in again.groups]
    assert not np.array_equal(first.tie_people, other.tie_people)


def test_play_and_settings():
    scenario = load_network_scenario("kite_network", ["rounds=4", "repetitions=2"])
    results = scenario.play(rounds=3)
    assert results.rounds == 3 and results.repetitions == 2 and results.seed == 2026
    settings = dict(scenario.settings())
    assert settings["organisations"] == 12 and settings["rounds"] == 4
    assert settings["network.structure"] == "small_world" and settings["network.congestion"] == 1.0
    assert settings["game.overlap"] == 0.9


# --- the schema ------------------------------------------------------------------------

def test_counted_organisations_people_per_copy_and_names(tmp_path):
    path = write(tmp_path, tail="""
        [[organisations]]
        name = "Firm"
        count = 3
        people = [1, 0, 2]
        policy = { strategy = "Peer" }
        """)
    population = load_network_scenario(path).population
    assert [o.name for o in population.organisations] == ["A", "B", "Firm 1", "Firm 2", "Firm 3"]
    assert [p.name for p in population.people] == ["A 1", "A 2", "B 1", "B 2", "Firm 1 1", "Firm 3 1", "Firm 3 2"]


def test_person_values_resolve_person_then_organisation_then_network(tmp_path):
    path = write(tmp_path, network='structure = "none"\ngroups = "one"\nidentification = 0.3\nrecognition = 0.2',
                 tail="""
        [[organisations]]
        name = "C"
        people = 1
        identification = 0.6
        identity = "profession"
        policy = { strategy = "Peer" }

        [[people]]
        name = "Ann"
        organisations = ["C", "A"]
        identification = 0.9

        [[people]]
        name = "Bob"
        organisations = ["C"]
        """)
    people = {p.name: p for p in load_network_scenario(path).population.people}
    assert people["A 1"].identification == 0.3 and people["A 1"].recognition == 0.2  # [network]
    assert people["C 1"].identification == 0.6 and people["C 1"].identity == "profession"  # organisation
    assert people["Bob"].identification == 0.6 and people["Bob"].recognition == 0.2  # its organisation's, then network
    assert people["Ann"].identification == 0.9 and people["Ann"].identity == "profession"  # own, then first org's
    assert people["Ann"].organisations == ("C", "A")


def test_absorption_is_the_organisations_else_the_networks(tmp_path):
    path = write(tmp_path, network='structure = "complete"\ngroups = "none"\nabsorption = 0.4', tail="""
        [[organisations]]
        name = "C"
        absorption = 0.9
        policy = { strategy = "Peer" }
        """)
    rates = {o.name: o.absorption for o in load_network_scenario(path).population.organisations}
    assert rates == {"A": 0.4, "B": 0.4, "C": 0.9}


def test_explicit_ties_groups_and_overlaps(tmp_path):
    path = write(tmp_path, network='structure = "complete"\nprior_rounds = 1', tail="""
        [[people]]
        name = "Ann"
        organisations = ["A", "B"]
        strategy = "Opportunist"
        groups = ["g"]

        [[ties]]
        between = ["A 1", "B 1"]
        prior_rounds = 4

        [[groups]]
        name = "g"
        members = ["A 1", "B 2"]

        [[overlaps]]
        between = ["A", "B"]
        overlap = 0.25
        """)
    scenario = load_network_scenario(path)
    population = scenario.population
    names = [p.name for p in population.people]
    priors = {(names[u], names[v]): int(k) for (u, v), k in zip(population.tie_people, population.tie_prior)}
    assert len(priors) == 5 * 4 // 2  # complete over five people; the explicit tie is one of them
    assert priors[("A 1", "B 1")] == 4  # the explicit tie's prior wins
    assert all(k == 1 for pair, k in priors.items() if pair != ("A 1", "B 1"))
    assert [(g.name, [names[m] for m in g.members]) for g in population.groups] == [("g", ["A 1", "B 2", "Ann"])]
    assert population.players()[names.index("Ann")].name == "Opportunist"
    assert population.overlaps == {(0, 1): 0.25}
    assert scenario.group_game is not None  # explicit groups: network.groups defaults to "none"


def test_group_layouts(tmp_path):
    sized = load_network_scenario(write(tmp_path, network='groups = "size"\ngroup_size = 2')).population
    assert sorted(len(g.members) for g in sized.groups) == [2, 2]
    assert sized.n_ties == 0  # structure "none" by default
    clusters = load_network_scenario(write(
        tmp_path, network='structure = "clustered"\ncluster_size = 2\nbridging = 0.0\ngroups = "clusters"')).population
    names = [p.name for p in clusters.people]
    tied = {frozenset((names[u], names[v])) for u, v in clusters.tie_people}
    grouped = {frozenset(names[m] for m in g.members) for g in clusters.groups}
    assert tied == grouped  # without bridging the clusters' ties are exactly the groups


def test_overrides_change_values_and_a_new_structure_drops_the_parameters_it_does_not_read():
    scenario = load_network_scenario("kite_network", ["network.rewiring=0.5", "organisations[0].absorption=0.5"])
    assert scenario.network["rewiring"] == 0.5
    assert scenario.population.organisations[0].absorption == 0.5
    complete = load_network_scenario("kite_network", ['network.structure="complete"', 'network.groups="none"'])
    assert complete.population.n_ties == 20 * 19 // 2 and not complete.population.groups
    assert complete.group_game is None
    with pytest.raises(ParameterError, match=r"kite_network.toml: network.degree: not used here"):
        load_network_scenario("kite_network", ['network.structure="complete"', "network.degree=4"])


# --- users' network files ---------------------------------------------------------------

def test_an_edge_list_gives_the_ties_and_their_prior_rounds(tmp_path):
    (tmp_path / "ties.csv").write_text("source,target,prior\nA 1,B 1,2\nA 2,B 2\n# a comment\nA 1,A 2,0\n")
    path = write(tmp_path, network='structure = "file"\nfile = "ties.csv"\nprior_rounds = 5\ngroups = "none"')
    population = load_network_scenario(path).population
    names = [p.name for p in population.people]
    priors = {(names[u], names[v]): int(k) for (u, v), k in zip(population.tie_people, population.tie_prior)}
    assert priors == {("A 1", "B 1"): 2, ("A 2", "B 2"): 5, ("A 1", "A 2"): 0}


def test_a_graphml_file_may_bring_people_of_the_scenarios_organisations(tmp_path):
    graph = nx.Graph()
    graph.add_node("A 1")
    graph.add_node("Zoe", organisation="B", identification=0.4)
    graph.add_node("Yan", organisations="A+B", strategy="Opportunist")
    graph.add_edge("A 1", "Zoe", prior=3)
    graph.add_edge("Zoe", "Yan")
    graph.add_edge("B 2", "Yan")
    nx.write_graphml(graph, tmp_path / "net.graphml")
    path = write(tmp_path, network='structure = "file"\nfile = "net.graphml"\ngroups = "none"')
    population = load_network_scenario(path).population
    people = {p.name: p for p in population.people}
    assert people["Zoe"].organisations == ("B",) and people["Zoe"].identification == 0.4
    assert people["Yan"].organisations == ("A", "B") and people["Yan"].strategy.name == "Opportunist"
    assert population.n_people == 6 and population.n_ties == 3


def test_a_file_node_that_is_nobody_is_refused(tmp_path):
    (tmp_path / "ties.txt").write_text("'A 1' Stranger\n")
    path = write(tmp_path, network='structure = "file"\nfile = "ties.txt"')
    with pytest.raises(ParameterError, match=r"small.toml: network.file: .*ties.txt: node 'Stranger' is not a "
                                             r"person of the scenario"):
        load_network_scenario(path)


# --- limits before building -------------------------------------------------------------

def test_limits_are_checked_from_the_numbers_before_any_tie_or_group_is_made(tmp_path, monkeypatch):
    from learning_dilemma.networks import structures

    def never(*args, **kwargs):
        raise AssertionError("the structure was generated before the limits were checked")

    monkeypatch.setattr(structures, "structure", never)
    monkeypatch.setattr(structures, "one_group", never)
    path = write(tmp_path, network='structure = "complete"\ngroups = "one"', tail="""
        [[organisations]]
        name = "Big"
        people = 300
        policy = { strategy = "Peer" }
        """)
    # 2 + 2 + 300 people; complete: 304 x 303 / 2 = 46,056 ties
    with raised(ties=10_000), pytest.raises(ResourceLimitError, match=r"small.toml: network.structure: .*46,056 "
                                                                      r"ties; the limit is 10,000"):
        load_network_scenario(path)
    with pytest.raises(ResourceLimitError, match=r"small.toml: network.groups: .*304 group size; the limit is 200"):
        load_network_scenario(path)
    with raised(people=100), pytest.raises(ResourceLimitError, match=r"organisations\[2\].people: .*304 people"):
        load_network_scenario(path)
    with raised(group_size=1000), pytest.raises(ResourceLimitError, match=r"small.toml: rounds: .*relations"):
        load_network_scenario(path, ["rounds=5000", "repetitions=50"])


def test_build_network_from_a_dict_names_the_scenario():
    with pytest.raises(ParameterError, match=r"^scenario: organisations: missing"):
        build_network({"name": "x"}, None)
