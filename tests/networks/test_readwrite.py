"""Networks in and out: graphs, GraphML and edge lists, with one-line errors naming file and line."""

from __future__ import annotations

import os
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pytest

from learning_dilemma import limits
from learning_dilemma.errors import ParameterError
from learning_dilemma.networks import Organisation, Person, Population
from learning_dilemma.networks.readwrite import (
    from_graph, read_edge_list, read_graph, read_graphml, strategy_from_label, to_graph, write_graphml,
)
from learning_dilemma.networks.structures import organisation_people, small_world
from learning_dilemma.strategies import ALL_STRATEGIES, make_strategy


def population():
    """Three organisations, a person of two of them, own strategies, person parameters, priors."""
    organisations = [
        Organisation("Acme", policy=make_strategy("Peer", tolerance=2), absorption=0.5),
        Organisation("Beta", policy=make_strategy("Tit For Tat")),
        Organisation("Gamma", policy=make_strategy("Trust Builder")),
    ]
    people = [Person(name, (org,)) for name, org in organisation_people(["Acme", "Beta", "Gamma"], [2, 3, 2])]
    people[1] = Person("Acme 2", ("Acme", "Gamma"), identification=0.25, recognition=0.5,
                       identity="profession", identity_weight=0.75)
    people[2] = Person("Beta 1", ("Beta",), strategy=make_strategy(
        "Boundary Spanner", organisation=make_strategy("Trust Builder"), person=make_strategy("Peer"),
        identification=0.3))
    names = [p.name for p in people]
    ties = [(u, v, k % 4) for k, (u, v) in enumerate(small_world(names, 4, 0.3, seed=3))]
    groups = [("KITe", names), ("pair", ["Gamma 2", "Acme 1"])]
    return Population(organisations, people, ties, groups, overlaps={("Gamma", "Acme"): 0.125})


def same_population(a: Population, b: Population):
    assert [p.name for p in a.people] == [p.name for p in b.people]
    assert [p.organisations for p in a.people] == [p.organisations for p in b.people]
    for name in ("identification", "recognition", "identity_weight"):
        assert (a.person_values(name) == b.person_values(name)).all()
    assert [p.identity for p in a.people] == [p.identity for p in b.people]
    assert a.players() == b.players()
    assert [o.name for o in a.organisations] == [o.name for o in b.organisations]
    assert [o.absorption for o in a.organisations] == [o.absorption for o in b.organisations]
    assert [o.policy for o in a.organisations] == [o.policy for o in b.organisations]
    assert a.groups == b.groups
    assert a.overlaps == b.overlaps
    assert (a.membership == b.membership).all()
    assert (a.tie_people == b.tie_people).all()
    assert (a.tie_prior == b.tie_prior).all()


# --- graphs ------------------------------------------------------------------------

def test_population_graph_graphml_graph_population_round_trip(tmp_path):
    original = population()
    path = write_graphml(original, tmp_path / "network.graphml")
    back = from_graph(read_graphml(path), source=str(path))
    same_population(original, back)
    assert [o.absorption for o in back.organisations] == [0.5, 1.0, 1.0]
    assert [g.name for g in back.groups] == ["KITe", "pair"]
    assert back.overlaps == {(0, 2): 0.125}
    # organisations, groups and overlaps given override the file's
    other = [Organisation(name, absorption=0.9) for name in ("Gamma", "Beta", "Acme")]
    again = from_graph(read_graphml(path), other, groups=(), overlaps={})
    assert [o.name for o in again.organisations] == ["Gamma", "Beta", "Acme"]
    assert again.groups == () and again.overlaps == {}
    assert again.players() == original.players()       # every node carries the strategy its person plays


def test_in_memory_round_trip():
    original = population()
    same_population(original, from_graph(to_graph(original)))


def test_organisations_made_from_the_nodes_when_the_graph_has_none():
    g = to_graph(population())
    del g.graph["organisations"]
    built = from_graph(g)
    # in order of first appearance: Acme 2 (Acme+Gamma) comes before Beta 1
    assert [o.name for o in built.organisations] == ["Acme", "Gamma", "Beta"]
    assert all(o.policy is None and o.absorption == 1.0 for o in built.organisations)
    assert built.players() == population().players()


@pytest.mark.parametrize("name, text, message", [
    ("organisations", "[{", "graph attribute 'organisations' is not JSON"),
    ("organisations", '{"name": "X"}', "graph attribute 'organisations' must be a JSON list"),
    ("organisations", '[{"nom": "X"}]', "graph attribute 'organisations': unexpected entry (KeyError"),
    ("organisations", '[{"name": "Acme", "absorption": 2}]', "graph attribute 'organisations': organisation 'Acme': "
                                                             "absorption must be in [0, 1]"),
    ("organisations", '[{"name": "Acme", "policy": "Nobody"}]', "graph attribute 'organisations': organisation "
                                                                "'Acme': policy: "),
    ("groups", '[["g"]]', "graph attribute 'groups': unexpected entry"),
    ("overlaps", '[["Acme", "Beta"]]', "graph attribute 'overlaps': unexpected entry"),
])
def test_stored_attributes_errors_are_one_line(name, text, message):
    g = to_graph(population())
    g.graph[name] = text
    with pytest.raises(ParameterError) as raised:
        from_graph(g)
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith("graph: ")
    assert message in str(raised.value)


def test_to_graph_attributes():
    original = population()
    g = to_graph(original)
    assert list(g.nodes) == [p.name for p in original.people]
    assert g.nodes["Acme 2"]["organisation"] == "Acme+Gamma"
    assert g.nodes["Acme 1"]["strategy"] == "Peer(tolerance=2)"          # the organisation's policy
    assert g.nodes["Beta 1"]["strategy"] == original.players()[2].label
    assert strategy_from_label(g.nodes["Beta 1"]["strategy"]) == original.people[2].strategy
    assert g.nodes["Acme 2"]["identity"] == "profession"
    assert g.number_of_edges() == original.n_ties
    for (u, v), prior in zip(original.tie_people, original.tie_prior):
        assert g.edges[original.people[u].name, original.people[v].name]["prior"] == prior


def test_results_give_the_sharing_and_mutual_giving(tmp_path):
    original = population()
    giving = np.linspace(0, 1, original.n_people)
    mutual = np.arange(2 * original.n_ties, dtype=float).reshape(2, -1) / 100
    results = SimpleNamespace(giving_share=giving, ties=SimpleNamespace(mutual=mutual))
    g = to_graph(original, results)
    assert [g.nodes[p.name]["giving_share"] for p in original.people] == list(giving)
    for k, (u, v) in enumerate(original.tie_people):
        # the mean over the two repetitions
        assert g.edges[original.people[u].name, original.people[v].name]["mutual"] == pytest.approx(
            (mutual[0, k] + mutual[1, k]) / 2)
    path = write_graphml(original, tmp_path / "run.graphml", results)
    read = read_graphml(path)
    assert read.nodes["Acme 1"]["giving_share"] == 0.0
    assert nx.get_edge_attributes(read, "mutual") == pytest.approx(nx.get_edge_attributes(g, "mutual"))
    same_population(original, from_graph(read))   # results are ignored on the way in
    # results without ties (a groups-only run) give no mutual attribute
    g = to_graph(original, SimpleNamespace(giving_share=giving, ties=None))
    assert "mutual" not in next(iter(g.edges(data=True)))[2]


def test_results_of_another_population_are_refused():
    original = population()
    with pytest.raises(ParameterError, match="results.giving_share has shape"):
        to_graph(original, SimpleNamespace(giving_share=np.zeros(3), ties=None))
    with pytest.raises(ParameterError, match=r"results.ties.mutual has shape \(1, 2\)"):
        to_graph(original, SimpleNamespace(giving_share=np.zeros(original.n_people),
                                           ties=SimpleNamespace(mutual=np.zeros((1, 2)))))


def test_organisations_on_nodes_in_every_spelling():
    g = nx.Graph()
    g.add_node("a", organisation="X")
    g.add_node("b", organisations=["X", "Y"])
    g.add_node("c", organisations="Y + Z")
    g.add_node(4, organisation="Z")                    # a node that is not a string is named str(node)
    g.add_edges_from([("a", "b"), ("b", "c"), ("c", 4)])
    built = from_graph(g, policy="Tit For Tat")
    assert [p.organisations for p in built.people] == [("X",), ("X", "Y"), ("Y", "Z"), ("Z",)]
    assert [o.name for o in built.organisations] == ["X", "Y", "Z"]
    assert [p.name for p in built.people] == ["a", "b", "c", "4"]
    assert built.players()[0] == make_strategy("Tit For Tat")


def test_directed_and_parallel_edges_are_one_tie():
    g = nx.MultiDiGraph()
    for name in "abc":
        g.add_node(name, organisation=name.upper())
    g.add_edge("a", "b", prior=2)
    g.add_edge("b", "a", prior=2)
    g.add_edge("b", "c")
    g.add_edge("b", "c")
    built = from_graph(g, policy="Peer")
    assert built.tie_people.tolist() == [[0, 1], [1, 2]]
    assert built.tie_prior.tolist() == [2, 0]
    g.add_edge("c", "b", prior=1)
    with pytest.raises(ParameterError, match="edge 'c'-'b': prior 1 differs from the same tie's other edge"):
        from_graph(g, policy="Peer")


GRAPH_ERRORS = [
    (lambda g: g.add_node("lost"), "graph: node 'lost' has no organisation"),
    (lambda g: g.add_edge("a", "a"), "graph: edge 'a'-'a': a person cannot have a tie with themselves"),
    (lambda g: g.add_edge("a", "b", prior=-1), "graph: edge 'a'-'b': prior must be a whole number >= 0, got -1"),
    (lambda g: g.add_edge("a", "b", prior=1.5), "graph: edge 'a'-'b': prior must be a whole number >= 0, got 1.5"),
    (lambda g: g.add_edge("a", "b", prior="many"), "prior must be a whole number >= 0, got 'many'"),
    (lambda g: g.nodes["a"].update(strategy="Nobody"), "graph: node 'a': strategy: "),
    (lambda g: g.nodes["a"].update(identification="high"), "graph: node 'a': identification must be a number"),
    (lambda g: g.nodes["a"].update(identification=2.0), "graph: person 'a': identification must be in [0, 1]"),
    (lambda g: g.nodes["a"].update(identity="tribe"), "graph: person 'a': identity must be one of"),
    (lambda g: g.nodes["a"].update(organisation="X+"), "graph: node 'a': an empty organisation name"),
    (lambda g: g.nodes["a"].update(organisation=3), "graph: node 'a': organisation must be a name"),
    (lambda g: g.add_node(1, organisation="X") or g.add_node("1", organisation="X"),
     "graph: nodes 1 and '1' would both be person '1'"),
]


@pytest.mark.parametrize("spoil, message", GRAPH_ERRORS)
def test_graph_errors_are_one_line_and_name_the_node_or_edge(spoil, message):
    g = nx.Graph()
    g.add_node("a", organisation="X")
    g.add_node("b", organisation="Y")
    spoil(g)
    with pytest.raises(ParameterError) as raised:
        from_graph(g, policy="Peer")
    assert "\n" not in str(raised.value)
    assert message in str(raised.value)


def test_given_organisations_must_cover_the_nodes():
    g = nx.Graph()
    g.add_node("a", organisation="X")
    g.add_node("b", organisation="Typo")
    with pytest.raises(ParameterError, match="person 'b': unknown organisation 'Typo' \\(known: 'X'\\)"):
        from_graph(g, [Organisation("X", policy=make_strategy("Peer"))])
    with pytest.raises(ParameterError, match="person 'a': no strategy, and organisation 'X' has no policy"):
        from_graph(g)                                  # organisations made from the nodes, no policy


def test_strategy_labels_read_back_as_the_strategy():
    for cls in ALL_STRATEGIES:
        player = cls()
        assert strategy_from_label(player.label) == player
    for player in (make_strategy("Peer", tolerance=3, receptivity=0.5),
                   make_strategy("Memory One", p_gg=0.9, p_gt=0.25, first=0.0),
                   make_strategy("Chinese Wall", organisation=make_strategy("Competition", transparency=0.2),
                                 person=make_strategy("Expert", generosity=0.75))):
        assert strategy_from_label(player.label) == player
    with pytest.raises(ParameterError, match="unbalanced parentheses"):
        strategy_from_label("Peer(tolerance=2))")
    with pytest.raises(ParameterError, match="expected name=value"):
        strategy_from_label("Peer(2)")


# --- edge lists ------------------------------------------------------------------------

def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_edge_list_with_header_priors_and_comments(tmp_path):
    path = write(tmp_path, "ties.csv", "# KITe, first meeting\nsource,target,prior\n"
                                       "Acme 1,Beta 1,3\n\n\"Beta, Jr\",Acme 1  # a comma in a name\n"
                                       "Gamma 1 , Beta 1,0\n")
    g = read_edge_list(path)
    assert list(g.nodes) == ["Acme 1", "Beta 1", "Beta, Jr", "Gamma 1"]
    assert {frozenset((u, v)): d for u, v, d in g.edges(data=True)} == {
        frozenset(("Acme 1", "Beta 1")): {"prior": 3}, frozenset(("Beta, Jr", "Acme 1")): {},
        frozenset(("Gamma 1", "Beta 1")): {"prior": 0}}


def test_whitespace_edge_list_with_quoted_names(tmp_path):
    path = write(tmp_path, "ties.edges", "a b\n'c d'\tb 2\n# done\n")
    g = read_edge_list(path)
    assert list(g.nodes) == ["a", "b", "c d"]
    assert g.edges["c d", "b"] == {"prior": 2}
    assert g.edges["a", "b"] == {}


EDGE_LIST_ERRORS = [
    ("a,b\nc\n", "FILE:2: expected source,target[,prior], got 1 field(s) in 'c'"),
    ("a b\nc d e f\n", "FILE:2: expected source target[ prior], got 4 field(s)"),
    ("# header\nsource,target,prior\na,b,two\n", "FILE:3: expected prior rounds as a whole number >= 0, got 'two'"),
    ("a,b,-1\n", "FILE:1: expected prior rounds as a whole number >= 0, got '-1'"),
    ("a,b\nb,b\n", "FILE:2: a tie of 'b' with themselves"),
    ("a,b\n\nc,a\nb,a\n", "FILE:4: the tie 'b'-'a' is already on line 1"),
    ("a,\n", "FILE:1: expected two people's names"),
    ("'a b\n", "FILE:1: No closing quotation"),
    ("# nothing\n\n", "FILE: no ties"),
    ("source,target\n", "FILE: no ties"),
]


@pytest.mark.parametrize("text, message", EDGE_LIST_ERRORS)
def test_edge_list_errors_name_file_and_line(tmp_path, text, message):
    path = write(tmp_path, "ties.txt", text)
    with pytest.raises(ParameterError) as raised:
        read_edge_list(path)
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith(message.replace("FILE", str(path)))


def test_file_errors(tmp_path):
    with pytest.raises(ParameterError, match="missing.csv: no such file"):
        read_graph(tmp_path / "missing.csv")
    with pytest.raises(ParameterError, match="missing.graphml: no such file"):
        read_graph(tmp_path / "missing.graphml")
    with pytest.raises(ParameterError, match=r"net.gml: unknown network file type '.gml' \(known: .graphml"):
        read_graph(tmp_path / "net.gml")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Jos\u00e9,Ana\n".encode("latin-1"))
    with pytest.raises(ParameterError, match="latin.csv: not UTF-8 text"):
        read_graph(latin)


@pytest.mark.parametrize("text, message", [
    ("garbage", "not XML"),
    ("<root/>", "not GraphML networkx can read"),
    ('<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
     '<key id="d0" for="node" attr.name="x" attr.type="int"/><graph edgedefault="undirected">'
     '<node id="a"><data key="d0">zz</data></node></graph></graphml>', "not GraphML networkx can read"),
    ('<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected">'
     '<node id="a"><data key="d9">zz</data></node></graph></graphml>', "no key d9"),
])
def test_graphml_errors_name_the_file_in_one_line(tmp_path, text, message):
    path = write(tmp_path, "net.graphml", text)
    with pytest.raises(ParameterError) as raised:
        read_graph(path)
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_edge_list_limits(tmp_path):
    path = write(tmp_path, "ties.csv", "".join(f"p{k},p{k + 1}\n" for k in range(20)))
    with limits.raised(ties=10):
        with pytest.raises(limits.ResourceLimitError, match="ties"):
            read_edge_list(path)
    with limits.raised(people=10):
        with pytest.raises(limits.ResourceLimitError, match="people"):
            read_edge_list(path)


# --- users' files end to end -----------------------------------------------------------

def test_a_users_edge_list_runs_into_a_population(tmp_path):
    path = write(tmp_path, "delta.csv", "source,target,prior\nAnna,Bo,5\nBo,Cai,0\nCai,Anna,1\nDee,Anna,0\n")
    membership = {"Anna": "Institute 1", "Bo": ["Institute 1", "Institute 2"], "Cai": "Institute 2",
                  "Dee": "Institute 3+Institute 1"}
    built = from_graph(read_graph(path), membership=membership, policy="Trust Builder", source=str(path))
    assert [p.name for p in built.people] == ["Anna", "Bo", "Cai", "Dee"]
    assert [o.name for o in built.organisations] == ["Institute 1", "Institute 2", "Institute 3"]
    assert built.membership.tolist() == [[1, 0, 0], [0.5, 0.5, 0], [0, 1, 0], [0.5, 0, 0.5]]
    ties = {(built.people[u].name, built.people[v].name): int(p) for (u, v), p in zip(built.tie_people, built.tie_prior)}
    assert ties == {("Anna", "Bo"): 5, ("Bo", "Cai"): 0, ("Anna", "Cai"): 1, ("Anna", "Dee"): 0}
    assert built.players() == [make_strategy("Trust Builder")] * 4
    with pytest.raises(ParameterError, match=r"delta.csv: node 'Dee' has no organisation"):
        from_graph(read_graph(path), membership={k: v for k, v in membership.items() if k != "Dee"},
                   policy="Peer", source=str(path))
    with pytest.raises(ParameterError, match=r"membership names 'Eve', who is not a node"):
        from_graph(read_graph(path), membership={**membership, "Eve": "X"}, policy="Peer")


USER_GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<!-- as a drawing tool writes it: directed by default, a label, coordinates, priors as doubles -->
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="org" for="node" attr.name="organisation" attr.type="string"/>
  <key id="lab" for="node" attr.name="label" attr.type="string"/>
  <key id="x" for="node" attr.name="x" attr.type="double"/>
  <key id="str" for="node" attr.name="strategy" attr.type="string"/>
  <key id="id" for="node" attr.name="identification" attr.type="string"/>
  <key id="pr" for="edge" attr.name="prior" attr.type="double"/>
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="directed">
    <node id="n1"><data key="org">Shell</data><data key="lab">Ann</data><data key="x">1.5</data></node>
    <node id="n2"><data key="org">Shell+Philips</data><data key="str">Peer(tolerance=3)</data></node>
    <node id="n3"><data key="org">Philips</data><data key="id">0.4</data></node>
    <edge source="n1" target="n2"><data key="pr">2.0</data><data key="w">0.3</data></edge>
    <edge source="n3" target="n2"/>
  </graph>
</graphml>
"""


def test_a_users_graphml_runs_into_a_population(tmp_path):
    path = write(tmp_path, "kite.graphml", USER_GRAPHML)
    organisations = [Organisation("Philips", policy=make_strategy("Tit For Tat"), absorption=0.2),
                     Organisation("Shell", policy=make_strategy("Competition"))]
    built = from_graph(read_graph(path), organisations, source=str(path))
    assert [p.name for p in built.people] == ["n1", "n2", "n3"]
    assert [p.organisations for p in built.people] == [("Shell",), ("Shell", "Philips"), ("Philips",)]
    assert built.players() == [make_strategy("Competition"), make_strategy("Peer", tolerance=3),
                               make_strategy("Tit For Tat")]
    assert built.person_values("identification").tolist() == [1.0, 1.0, 0.4]
    assert built.tie_people.tolist() == [[0, 1], [1, 2]]
    assert built.tie_prior.tolist() == [2, 0]
    assert built.absorption.tolist() == [1.0, 0.6, 0.2]


# --- writing ---------------------------------------------------------------------------

def test_write_graphml_is_atomic(tmp_path, monkeypatch):
    original = population()
    path = write_graphml(original, tmp_path / "net.graphml")
    before = path.read_bytes()

    def half_write(graph, handle, *args, **kwargs):
        handle.write(b"<?xml version='1.0'?><graphml")   # half a file, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nx, "write_graphml", half_write)
    with pytest.raises(ParameterError, match="net.graphml: cannot write \\(No space left on device\\)"):
        write_graphml(original, path)
    assert path.read_bytes() == before                 # the old file, whole
    assert os.listdir(tmp_path) == ["net.graphml"]      # no temporary file left behind


def test_write_graphml_into_a_missing_folder_is_one_line(tmp_path):
    with pytest.raises(ParameterError, match="cannot write"):
        write_graphml(population(), tmp_path / "no" / "such" / "net.graphml")


def test_people_named_by_a_node_attribute(tmp_path):
    path = write(tmp_path, "kite.graphml", USER_GRAPHML)
    with pytest.raises(ParameterError, match=r"kite.graphml: node 'n2' has no 'label' to name its person"):
        from_graph(read_graph(path), policy="Peer", name_attribute="label", source=str(path))
    labelled = USER_GRAPHML.replace('<node id="n2">', '<node id="n2"><data key="lab">Bea</data>').replace(
        '<node id="n3">', '<node id="n3"><data key="lab">Cor</data>')
    built = from_graph(read_graph(write(tmp_path, "named.graphml", labelled)), policy="Peer", name_attribute="label")
    assert [p.name for p in built.people] == ["Ann", "Bea", "Cor"]
    assert built.tie_people.tolist() == [[0, 1], [1, 2]]
    same = labelled.replace(">Cor<", ">Ann<")
    with pytest.raises(ParameterError, match=r"nodes 'n1' and 'n3' would both be person 'Ann'"):
        from_graph(read_graph(write(tmp_path, "same.graphml", same)), policy="Peer", name_attribute="label")
