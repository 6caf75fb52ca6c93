"""Structures: each generator's defining property, seeded draws, errors in one line."""

from __future__ import annotations

import random
from collections import Counter

import networkx as nx
import numpy as np
import pytest

from learning_dilemma import limits
from learning_dilemma.errors import ParameterError
from learning_dilemma.limits import ResourceLimitError
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.structures import (
    STRUCTURES, cluster_groups, clustered, complete, groups_of, one_group, organisation_people, regular,
    scale_free, small_world, structure,
)
from learning_dilemma.strategies import make_strategy

ORGS = [f"Org{k}" for k in range(10)]
PEOPLE = [name for name, _ in organisation_people(ORGS, 4)]   # 40 people, colleagues listed together
ORG_OF = dict(organisation_people(ORGS, 4))

KINDS = {
    "complete": {},
    "regular": {"degree": 3},
    "small_world": {"degree": 4, "rewiring": 0.2},
    "scale_free": {"attachment": 2},
    "clustered": {"size": 5, "bridging": 0.2},
}


def graph(ties, names=PEOPLE):
    g = nx.Graph()
    g.add_nodes_from(names)
    g.add_edges_from(ties)
    return g


def simple(ties):
    """Ties as given: smaller name first, sorted, no repeats, no self-ties."""
    assert all(u < v for u, v in ties)
    assert ties == sorted(ties)
    assert len(set(ties)) == len(ties)


# --- each structure's property -------------------------------------------------------

def test_complete_ties_everybody_once():
    ties = complete(PEOPLE)
    simple(ties)
    assert len(ties) == 40 * 39 // 2
    assert set(ties) == {(u, v) for u in PEOPLE for v in PEOPLE if u < v}


@pytest.mark.parametrize("degree", [1, 3, 6])
def test_regular_gives_everybody_the_degree(degree):
    ties = regular(PEOPLE, degree, seed=5)
    simple(ties)
    assert len(ties) == 40 * degree // 2
    assert set(dict(graph(ties).degree()).values()) == {degree}


def test_small_world_is_a_connected_ring_rewired():
    ties = small_world(PEOPLE, 4, 0.2, seed=5)
    simple(ties)
    g = graph(ties)
    assert len(ties) == 40 * 4 // 2          # rewiring moves ties, never adds or removes one
    assert nx.is_connected(g)
    assert set(dict(g.degree()).values()) != {4}   # rewired: no longer the lattice


@pytest.mark.parametrize("degree", [4, 6])
def test_small_world_without_rewiring_is_the_ring_lattice(degree):
    # The ring lattice where each node is tied to the k nearest has clustering
    # 3 (k - 2) / (4 (k - 1)) (Watts & Strogatz 1998; Barrat & Weigt 2000).
    g = graph(small_world(PEOPLE, degree, 0.0, seed=5))
    assert set(dict(g.degree()).values()) == {degree}
    assert nx.average_clustering(g) == pytest.approx(3 * (degree - 2) / (4 * (degree - 1)))


def test_people_are_placed_by_a_permutation_not_the_order_listed():
    # A ring in listing order would tie each of 10 organisations' 4 people to
    # their colleagues: 3 colleague ties each of the ring's 40 (k = 2). Placed
    # at random, a tie joins colleagues with probability 3/39: about 3 of 40.
    ties = small_world(PEOPLE, 2, 0.0, seed=11)
    colleagues = sum(ORG_OF[u] == ORG_OF[v] for u, v in ties)
    assert colleagues < 12


@pytest.mark.parametrize("attachment", [1, 2, 3])
def test_scale_free_grows_by_preferential_attachment(attachment):
    names = [f"p{k:03d}" for k in range(300)]
    ties = scale_free(names, attachment, seed=3)
    simple(ties)
    g = graph(ties, names)
    # a star of m + 1 people (m ties), then m ties for each of the other n - m - 1
    assert len(ties) == attachment * (300 - attachment)
    assert nx.is_connected(g)
    degrees = np.array([d for _, d in g.degree()])
    assert degrees.min() >= attachment
    # hubs: preferential attachment makes the largest degree far above the mean
    # (grows as sqrt(n) against a mean of 2m); a random regular graph has none
    assert degrees.max() >= 4 * degrees.mean()


def cluster_of(names, size, seed):
    return {name: k for k, (_, members) in enumerate(cluster_groups(names, size, seed)) for name in members}


def test_clustered_without_bridging_is_disconnected_cliques():
    ties = clustered(PEOPLE, 6, 0.0, seed=8)
    simple(ties)
    g = graph(ties)
    clusters = cluster_groups(PEOPLE, 6, seed=8)
    # 40 people in ceil(40/6) = 7 clusters of 6, 6, 6, 6, 6, 5, 5
    assert sorted(len(m) for _, m in clusters) == [5, 5, 6, 6, 6, 6, 6]
    components = sorted(sorted(c) for c in nx.connected_components(g))
    assert components == sorted(sorted(m) for _, m in clusters)
    assert len(ties) == 5 * 15 + 2 * 10
    for _, members in clusters:
        assert nx.density(g.subgraph(members)) == 1.0


@pytest.mark.parametrize("bridging", [0.05, 0.1, 0.25, 0.5, 1.0])
def test_clustered_bridging_share_is_the_share_asked(bridging):
    names = [f"p{k:03d}" for k in range(120)]
    ties = clustered(names, 8, bridging, seed=4)
    simple(ties)
    total = 15 * 28                                   # 15 clusters of 8, complete inside
    assert len(ties) == total                        # rewiring keeps the count
    where = cluster_of(names, 8, 4)
    bridges = sum(where[u] != where[v] for u, v in ties)
    assert bridges == int(np.floor(bridging * total + 0.5))
    assert abs(bridges / total - bridging) <= 0.5 / total


def test_clustered_is_more_clustered_than_random_at_the_same_density():
    names = [f"p{k:03d}" for k in range(120)]
    # clusters of 6 give everybody 5 ties before rewiring, so mean degree 5 at any
    # bridging: the same density as a random 5-regular graph
    few = graph(clustered(names, 6, 0.1, seed=2), names)
    everywhere = graph(clustered(names, 6, 1.0, seed=2), names)
    random_graph = graph(regular(names, 5, seed=2), names)
    assert few.number_of_edges() == everywhere.number_of_edges() == random_graph.number_of_edges() == 120 * 5 // 2
    # cliques keep most of their triangles; a random graph of degree d has clustering about d / n
    assert nx.average_clustering(few) > 0.5
    assert nx.average_clustering(few) > 5 * nx.average_clustering(random_graph)
    # switch the clusters off (every tie bridging): the clustering is gone
    assert nx.average_clustering(everywhere) < nx.average_clustering(few) / 5


# --- seeding and order --------------------------------------------------------------

@pytest.mark.parametrize("kind", [k for k in KINDS if k != "complete"])
def test_same_seed_same_ties_other_seed_other_ties(kind):
    first = structure(kind, PEOPLE, seed=21, **KINDS[kind])
    assert structure(kind, PEOPLE, seed=21, **KINDS[kind]) == first
    assert structure(kind, PEOPLE, seed=22, **KINDS[kind]) != first


@pytest.mark.parametrize("kind", list(KINDS))
def test_ties_do_not_depend_on_the_order_people_are_listed(kind):
    # Names are sorted before the seeded placement: the same people listed in
    # another order are the same network.
    shuffled = list(PEOPLE)
    random.Random(0).shuffle(shuffled)
    assert structure(kind, shuffled, seed=9, **KINDS[kind]) == structure(kind, PEOPLE, seed=9, **KINDS[kind])


def test_groups_do_not_depend_on_the_order_people_are_listed():
    shuffled = list(reversed(PEOPLE))
    assert groups_of(shuffled, 7, seed=3) == groups_of(PEOPLE, 7, seed=3)


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_draw_from_the_global_random_state(kind):
    np.random.seed(0)
    random.seed(0)
    numpy_state, python_state = np.random.get_state()[1].copy(), random.getstate()
    structure(kind, PEOPLE, seed=1, **KINDS[kind])
    groups_of(PEOPLE, 5, seed=1)
    assert (np.random.get_state()[1] == numpy_state).all()
    assert random.getstate() == python_state


def test_seed_none_draws_fresh_structures():
    draws = {tuple(regular(PEOPLE, 3)) for _ in range(3)}
    assert len(draws) > 1


# --- group layouts --------------------------------------------------------------------

def test_one_group_is_everybody_in_the_order_given():
    assert one_group(PEOPLE) == [("network", PEOPLE)]
    assert one_group(PEOPLE[:3], name="KITe") == [("KITe", PEOPLE[:3])]


@pytest.mark.parametrize("n, size, sizes", [(40, 15, [13, 13, 14]), (40, 40, [40]), (40, 100, [40]),
                                            (7, 3, [2, 2, 3]), (30, 15, [15, 15]), (10, 2, [2] * 5)])
def test_groups_of_at_most_size_as_equal_as_possible(n, size, sizes):
    names = PEOPLE[:n]
    groups = groups_of(names, size, seed=6)
    assert sorted(len(m) for _, m in groups) == sizes
    assert sorted(p for _, m in groups for p in m) == sorted(names)
    assert [g for g, _ in groups] == [f"group {k + 1}" for k in range(len(sizes))]
    assert groups_of(names, size, seed=6) == groups
    if len(sizes) > 1:
        assert groups_of(names, size, seed=7) != groups


def test_groups_of_draws_its_members():
    # not cut in the order listed: colleagues are spread over the groups
    groups = groups_of(PEOPLE, 4, seed=2)
    assert sum(len({ORG_OF[p] for p in m}) == 1 for _, m in groups) < 5


def test_cluster_groups_are_the_clusters_of_clustered():
    ties = clustered(PEOPLE, 5, 0.0, seed=13)
    clusters = cluster_groups(PEOPLE, 5, seed=13)
    assert [name for name, _ in clusters] == [f"cluster {k + 1}" for k in range(8)]
    assert {(u, v) for _, m in clusters for u in m for v in m if u < v} == set(ties)
    assert [m for _, m in clusters] == [m for _, m in groups_of(PEOPLE, 5, seed=13)]


def test_layouts_and_structures_build_a_population():
    people = organisation_people(["A", "B", "C"], [1, 4, 2])
    names = [p for p, _ in people]
    population = Population(
        [Organisation(o, policy=make_strategy("Tit For Tat")) for o in "ABC"],
        [Person(p, (o,)) for p, o in people],
        ties=small_world(names, 2, 0.3, seed=1),
        groups=groups_of(names, 4, seed=1),
    )
    assert population.n_people == 7 and population.n_ties == 7
    # 7 people in groups of at most 4: two groups, the first n % 2 = 1 of them one larger
    assert [len(g.members) for g in population.groups] == [4, 3]


# --- organisations' people --------------------------------------------------------------

def test_organisation_people_names_and_counts():
    assert organisation_people(["Acme", "Beta"], [2, 1]) == [("Acme 1", "Acme"), ("Acme 2", "Acme"), ("Beta 1", "Beta")]
    assert len(organisation_people(ORGS, 3)) == 30
    assert Counter(o for _, o in organisation_people(["A", "B"], [4, 1])) == {"A": 4, "B": 1}


# --- errors ---------------------------------------------------------------------------

ERRORS = [
    (lambda: structure("ring", PEOPLE, seed=1), "network.structure.kind must be one of complete, regular, "
                                                "small_world, scale_free, clustered"),
    (lambda: structure("regular", PEOPLE, seed=1), "network.structure.degree is required"),
    (lambda: structure("regular", PEOPLE, seed=1, degree=3, rewiring=0.1), "network.structure.rewiring: not a parameter"),
    (lambda: structure("complete", PEOPLE, degree=3), "network.structure.degree: not a parameter"),
    (lambda: regular(PEOPLE, 40), "network.structure.degree must be a whole number in 1..39"),
    (lambda: regular(PEOPLE, 2.5), "network.structure.degree must be a whole number"),
    (lambda: regular(PEOPLE[:5], 3), "network.structure.degree must make people x degree even"),
    (lambda: small_world(PEOPLE, 3, 0.1), "network.structure.degree must be even"),
    (lambda: small_world(PEOPLE, 4, 1.5), "network.structure.rewiring must be in [0, 1]"),
    (lambda: scale_free(PEOPLE, 0), "network.structure.attachment must be a whole number in 1..39"),
    (lambda: clustered(PEOPLE, 1, 0.1), "network.structure.size must be a whole number >= 2"),
    (lambda: clustered(PEOPLE, 5, -0.1), "network.structure.bridging must be in [0, 1]"),
    (lambda: clustered(PEOPLE, 40, 0.1), "network.structure.bridging must be 0 when all 40 people are in one cluster"),
    (lambda: clustered(PEOPLE[:5], 2, 0.1), "network.structure.size: 5 people cannot be split"),
    (lambda: regular(["a", "b", "a"], 1), "network.people: 'a' is listed twice"),
    (lambda: regular(["a"], 1), "network.people must name at least 2 people"),
    (lambda: regular("abc", 1), "network.people must be a list"),
    (lambda: complete(["a", ""]), "network.people: a person's name must be a non-empty string"),
    (lambda: regular(PEOPLE, 3, seed=-1), "seed must be a non-negative whole number"),
    (lambda: groups_of(PEOPLE[:5], 2), "network.groups.size: 5 people cannot be split"),
    (lambda: groups_of(PEOPLE, 1), "network.groups.size must be a whole number >= 2"),
    (lambda: organisation_people(["A", "A"], 2), "network.organisations: an organisation is listed twice"),
    (lambda: organisation_people([], 2), "network.organisations must name at least one"),
    (lambda: organisation_people(["A", "B"], [1]), "network.people_per_organisation must give one number per organisation"),
    (lambda: organisation_people(["A", "B"], [1, 0]), "network.people_per_organisation[1] must be a whole number >= 1"),
    (lambda: organisation_people(["A"], 1.5), "network.people_per_organisation must be a whole number >= 1"),
]


@pytest.mark.parametrize("call, message", ERRORS)
def test_errors_are_one_line_and_name_the_key(call, message):
    with pytest.raises(ParameterError) as raised:
        call()
    text = str(raised.value)
    assert "\n" not in text
    assert message in text


def test_every_kind_is_reachable_through_the_dispatcher_with_any_spelling():
    assert set(STRUCTURES) == set(KINDS)
    assert structure("Small World", PEOPLE, seed=2, degree=4, rewiring=0.1) == small_world(PEOPLE, 4, 0.1, seed=2)
    assert structure("scale-free", PEOPLE, seed=2, attachment=2) == scale_free(PEOPLE, 2, seed=2)


def test_resource_limits_refuse_before_building():
    names = [f"p{k}" for k in range(50)]
    with limits.raised(ties=1000):
        with pytest.raises(ResourceLimitError, match=r"asks for 1,225 ties; the limit is 1,000"):
            complete(names)
        with pytest.raises(ResourceLimitError, match="ties"):
            regular(names, 48)
        assert len(regular(names, 40, seed=1)) == 1000
    with limits.raised(people=10):
        with pytest.raises(ResourceLimitError, match="people"):
            regular(names, 2)
        with pytest.raises(ResourceLimitError, match="people"):
            organisation_people(["A", "B"], 6)
    with limits.raised(group_size=10):
        with pytest.raises(ResourceLimitError, match="group size"):
            groups_of(names, 12)
        with pytest.raises(ResourceLimitError, match="group size"):
            one_group(names)
