"""Networks in and out: networkx graphs, edge lists and GraphML.

A user brings a network as anything networkx holds or reads, or as an edge list
(the issue: "networkx in and out"). One person per node, one tie per edge:

- :func:`from_graph` builds a :class:`~.population.Population` from a graph
  whose nodes carry their organisation (``organisation`` or ``organisations``,
  a list or ``"A+B"``) or get it from ``membership``; optional person
  attributes (``strategy``, ``identification``, ``recognition``, ``identity``,
  ``identity_weight``) and the edges' ``prior`` rounds of mutual giving.
  Other attributes (a drawing tool's ``label``, ``x``, ``y``, our own
  ``giving_share`` and ``mutual``) are ignored.
- :func:`to_graph` is the way back, with each person's organisations,
  strategy and parameters and each tie's prior rounds, and, given a run's
  results, each person's giving share and each tie's share of rounds of
  mutual giving (for pictures and for other tools).
- :func:`read_edge_list`, :func:`read_graphml` and :func:`read_graph` read
  files into networkx graphs; :func:`write_graphml` writes a population (and
  its results) as GraphML, atomically.

Bad input gives a one-line :class:`~learning_dilemma.errors.ParameterError`:
``FILE:LINE: what was expected`` for an edge list, ``FILE: ...`` for a file
networkx cannot read, and the node or edge by name for a graph's attributes.

People are indexed in the graph's node order (a file's: the order nodes first
appear), which addresses their ties' draws (:func:`~learning_dilemma.seeding.tie_key`).
networkx is imported inside the functions that use it.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import shlex
import tempfile
from pathlib import Path

import numpy as np

from ..errors import ParameterError
from ..limits import LIMITS, check
from ..players.player import Player
from .population import Organisation, Person, Population

__all__ = [
    "EDGE_LIST_SUFFIXES", "GRAPHML_SUFFIXES", "PERSON_ATTRIBUTES", "from_graph", "read_edge_list", "read_graph",
    "read_graphml", "strategy_from_label", "to_graph", "write_graphml",
]

# Node attributes read as a Person's parameters (besides the organisations and the strategy).
PERSON_ATTRIBUTES = ("identification", "recognition", "identity", "identity_weight")
GRAPHML_SUFFIXES = (".graphml", ".xml")
EDGE_LIST_SUFFIXES = (".csv", ".txt", ".edges", ".edgelist")


# --- graphs and populations ---------------------------------------------------------

def from_graph(graph, organisations=None, *, membership=None, policy=None, groups=None, overlaps=None,
               name_attribute: str | None = None, source: str = "graph") -> Population:
    """The population of a networkx graph: one person per node, one tie per edge.

    Parameters
    ----------
    graph : networkx.Graph
        Any networkx graph. Directed edges and parallel edges are one tie
        between their two people (with the same ``prior`` if they give one); a
        self-loop is refused. A node's person is named ``str(node)``, or by
        the node attribute ``name_attribute``.
        Node attributes: ``organisation`` or ``organisations`` (a name, a
        list of names, or names joined by ``+``, e.g. ``"A+B"`` for a person
        of two organisations); ``strategy`` (a :class:`Player` or a strategy
        label, as :func:`strategy_from_label` reads it; default the first
        organisation's policy); ``identification``, ``recognition``,
        ``identity``, ``identity_weight`` (:class:`~.population.Person`).
        Edge attribute ``prior``: prior rounds of mutual giving, a whole number
        (default 0).
    organisations : sequence of Organisation, optional
        The organisations, in order. Given, every organisation a node names
        must be one of them. Omitted, they are the graph's own (its graph
        attribute ``organisations``, as :func:`to_graph` writes it), else
        made from the names on the nodes, in order of first appearance, each
        with ``policy`` and absorption 1.
    membership : mapping of str to str or list of str, optional
        The organisations of people whose nodes do not carry them (an edge list
        carries none), by person name.
    policy : Player or str, optional
        The policy of organisations made here (a strategy label).
    groups, overlaps
        As :class:`~.population.Population` takes them; omitted, the graph's
        own (graph attributes ``groups`` and ``overlaps``, as :func:`to_graph`
        writes them), else none.
    name_attribute : str, optional
        The node attribute holding each person's name (a drawing tool's
        ``label``), instead of the node itself.
    source : str
        What errors call the graph (a file's name).

    Returns
    -------
    Population
    """
    try:
        import networkx as nx
    except ImportError:  # pragma: no cover - networkx is a dependency
        raise ParameterError("reading a network needs networkx (pip install networkx)") from None
    if not isinstance(graph, nx.Graph):
        raise ParameterError(f"{source}: expected a networkx graph, got {type(graph).__name__}")
    check("people", graph.number_of_nodes(), source)
    membership = dict(membership or {})
    names, people_of = {}, {}
    for node, data in graph.nodes(data=True):
        if name_attribute is None:
            name = str(node)
        elif data.get(name_attribute) in (None, ""):
            raise ParameterError(f"{source}: node {str(node)!r} has no {name_attribute!r} to name its person")
        else:
            name = str(data[name_attribute])
        people_of[node] = name
        if name in names:
            raise ParameterError(f"{source}: nodes {names[name]!r} and {node!r} would both be person {name!r}")
        names[name] = node
    people, seen_orgs = [], {}
    for node, data in graph.nodes(data=True):
        name = people_of[node]
        where = f"{source}: node {name!r}"
        orgs = _organisations(data, membership.get(name), where)
        for org in orgs:
            seen_orgs.setdefault(org, len(seen_orgs))
        fields = {}
        if data.get("strategy") not in (None, ""):
            fields["strategy"] = _strategy(data["strategy"], f"{where}: strategy")
        for attribute in PERSON_ATTRIBUTES:
            if attribute in data and data[attribute] not in (None, ""):
                value = data[attribute]
                fields[attribute] = value if attribute == "identity" else _number(value, f"{where}: {attribute}")
        try:
            people.append(Person(name, tuple(orgs), **fields))
        except ParameterError as error:
            raise ParameterError(f"{source}: {error}") from None
    unknown_people = sorted(set(membership) - set(names))
    if unknown_people:
        raise ParameterError(f"{source}: membership names {unknown_people[0]!r}, who is not a node of the graph")
    stored = _stored(graph, source)
    if organisations is None:
        organisations = stored.get("organisations")
    if organisations is None:
        default = _strategy(policy, "policy") if isinstance(policy, str) else policy
        organisations = [Organisation(org, policy=default) for org in seen_orgs]
    groups = stored.get("groups", ()) if groups is None else groups
    overlaps = stored.get("overlaps") if overlaps is None else overlaps
    ties, at = [], {}
    check("ties", graph.number_of_edges(), source)
    for u, v, data in graph.edges(data=True):
        a, b = people_of[u], people_of[v]
        where = f"{source}: edge {a!r}-{b!r}"
        if a == b:
            raise ParameterError(f"{where}: a person cannot have a tie with themselves")
        prior = _prior(data.get("prior", 0), f"{where}: prior")
        pair = (a, b) if a < b else (b, a)
        if pair in at:  # a directed graph's two directions, or a multigraph's parallel edges
            if ties[at[pair]][2] != prior:
                raise ParameterError(f"{where}: prior {prior} differs from the same tie's other edge "
                                     f"({ties[at[pair]][2]})")
            continue
        at[pair] = len(ties)
        ties.append((a, b, prior))
    try:
        return Population(organisations, people, ties, groups, overlaps)
    except ParameterError as error:
        raise ParameterError(f"{source}: {error}") from None


def _stored(graph, source: str) -> dict:
    """The organisations, groups and overlaps :func:`to_graph` keeps in graph attributes (JSON text)."""
    stored = {}
    for name in ("organisations", "groups", "overlaps"):
        text = graph.graph.get(name)
        if text in (None, ""):
            continue
        where = f"{source}: graph attribute {name!r}"
        try:
            value = json.loads(text) if isinstance(text, str) else None
        except ValueError as error:
            raise ParameterError(f"{where} is not JSON ({error})") from None
        if not isinstance(value, list):
            raise ParameterError(f"{where} must be a JSON list, got {text!r}")
        try:
            if name == "organisations":
                stored[name] = [Organisation(entry["name"], absorption=entry.get("absorption", 1.0),
                                             policy=None if entry.get("policy") is None
                                             else _strategy(entry["policy"], f"organisation {entry['name']!r}: policy"))
                                for entry in value]
            elif name == "groups":
                stored[name] = [(group, list(members)) for group, members in value]
            else:
                stored[name] = {(first, second): rate for first, second, rate in value}
        except ParameterError as error:
            raise ParameterError(f"{where}: {error}") from None
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ParameterError(f"{where}: unexpected entry ({type(error).__name__}: {error})") from None
    return stored


def _organisations(data: dict, given, where: str) -> list[str]:
    value = None
    for attribute in ("organisations", "organisation"):
        if data.get(attribute) not in (None, "", [], ()):
            value = data[attribute]
            break
    if value is None:
        value = given
    if value is None:
        raise ParameterError(f"{where} has no organisation (give it an 'organisation' attribute, "
                             f"or the person in membership)")
    if isinstance(value, str):
        value = value.split("+")
    elif not isinstance(value, (list, tuple)):
        raise ParameterError(f"{where}: organisation must be a name, a list of names or names joined by '+', "
                             f"got {value!r}")
    orgs = [str(org).strip() for org in value]
    if any(not org for org in orgs):
        raise ParameterError(f"{where}: an empty organisation name in {data.get('organisation', value)!r}")
    return orgs


def _number(value, where: str):
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ParameterError(f"{where} must be a number, got {value!r}") from None
    return value


def _prior(value, where: str) -> int:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ParameterError(f"{where} must be a whole number >= 0, got {value!r}") from None
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ParameterError(f"{where} must be a whole number >= 0, got {value!r}")
    return int(value)


def _strategy(value, where: str) -> Player:
    if isinstance(value, Player):
        return value
    if not isinstance(value, str):
        raise ParameterError(f"{where} must be a strategy name, got {value!r}")
    try:
        return strategy_from_label(value)
    except ParameterError as error:
        raise ParameterError(f"{where}: {error}") from None


def strategy_from_label(label: str) -> Player:
    """The player a strategy label describes: ``"Peer"``, ``"Peer(tolerance=2)"``,
    ``"Boundary Spanner(organisation=Trust Builder, person=Peer)"``.

    The inverse of :attr:`Player.label` for library strategies (a custom
    display label set with ``labelled`` names no strategy and is refused).
    Values are read as numbers, ``True``/``False``/``None``, else as a
    strategy label themselves.
    """
    from ..strategies import make_strategy

    text = label.strip()
    if not text.endswith(")") or "(" not in text:
        return make_strategy(text)
    name, _, inside = text[:-1].partition("(")
    parameters = {}
    for part in _top_level(inside, label):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"strategy label {label!r}: expected name=value, got {part.strip()!r}")
        parameters[key.strip()] = _label_value(value.strip(), label)
    return make_strategy(name.strip(), **parameters)


def _top_level(text: str, label: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ParameterError(f"strategy label {label!r}: unbalanced parentheses")
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth:
        raise ParameterError(f"strategy label {label!r}: unbalanced parentheses")
    if "".join(current).strip():
        parts.append("".join(current))
    return parts


def _label_value(text: str, label: str):
    if text in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[text]
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        value = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if not text:
        raise ParameterError(f"strategy label {label!r}: a parameter without a value")
    return strategy_from_label(text)


def to_graph(population: Population, results=None):
    """The population as a networkx graph (for pictures, other tools, GraphML).

    Parameters
    ----------
    population : Population
    results : NetworkResults, optional
        A run of this population (:func:`~.play.play_network`); only its
        ``giving_share`` (one per person) and ``ties.mutual`` (repetitions x
        ties) are read.

    Returns
    -------
    networkx.Graph
        Graph attributes (JSON text, so GraphML keeps them): ``organisations``
        (name, absorption and policy label of each, in order), and when there
        are any ``groups`` (name and members) and ``overlaps`` (pairs of
        organisations and their overlap). Nodes: the people's names, in order, with ``organisation`` (names
        joined by ``+``), ``strategy`` (the label of the strategy they play),
        ``identification``, ``recognition``, ``identity``, ``identity_weight``
        and, with results, ``giving_share`` (gives per act over the run).
        Edges: ``prior`` and, with results of a population with ties,
        ``mutual`` (the share of rounds of mutual giving, mean over repetitions).

    Strategy labels carry parameters as :attr:`Player.label` prints them
    (floats to six significant digits).
    """
    import networkx as nx

    graph = nx.Graph()
    graph.graph["organisations"] = json.dumps([
        {"name": o.name, "absorption": o.absorption, "policy": None if o.policy is None else o.policy.label}
        for o in population.organisations])
    if population.groups:
        graph.graph["groups"] = json.dumps([[g.name, [population.people[m].name for m in g.members]]
                                            for g in population.groups])
    if population.overlaps:
        graph.graph["overlaps"] = json.dumps([[population.organisations[k].name, population.organisations[l].name,
                                               value] for (k, l), value in sorted(population.overlaps.items())])
    players = population.players()
    giving = mutual = None
    if results is not None:
        giving = np.asarray(results.giving_share, dtype=float)
        if giving.shape != (population.n_people,):
            raise ParameterError(f"results.giving_share has shape {giving.shape}, expected one per person "
                                 f"({population.n_people}): results of another population?")
        summary = getattr(results, "ties", None)
        if summary is not None and population.n_ties:
            mutual = np.asarray(summary.mutual, dtype=float)
            if mutual.ndim != 2 or mutual.shape[1] != population.n_ties:
                raise ParameterError(f"results.ties.mutual has shape {mutual.shape}, expected (repetitions, "
                                     f"{population.n_ties}): results of another population?")
            mutual = mutual.mean(axis=0)
    for p, (person, player, organisation) in enumerate(zip(population.people, players, population.organisation_of())):
        attributes = {"organisation": organisation, "strategy": player.label}
        for name in PERSON_ATTRIBUTES:
            value = getattr(person, name)
            attributes[name] = value if name == "identity" else float(value)
        if giving is not None:
            attributes["giving_share"] = float(giving[p])
        graph.add_node(person.name, **attributes)
    for k, ((u, v), prior) in enumerate(zip(population.tie_people, population.tie_prior)):
        attributes = {"prior": int(prior)}
        if mutual is not None:
            attributes["mutual"] = float(mutual[k])
        graph.add_edge(population.people[u].name, population.people[v].name, **attributes)
    return graph


# --- files ---------------------------------------------------------------------------

def read_graph(path):
    """A network file as a networkx graph, by its suffix: GraphML
    (:data:`GRAPHML_SUFFIXES`) or an edge list (:data:`EDGE_LIST_SUFFIXES`)."""
    suffix = Path(path).suffix.lower()
    if suffix in GRAPHML_SUFFIXES:
        return read_graphml(path)
    if suffix in EDGE_LIST_SUFFIXES:
        return read_edge_list(path)
    known = ", ".join(GRAPHML_SUFFIXES + EDGE_LIST_SUFFIXES)
    raise ParameterError(f"{path}: unknown network file type {suffix or '(no suffix)'!r} (known: {known})")


def _text(path) -> str:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ParameterError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise ParameterError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise ParameterError(f"{path}: cannot read ({error.strerror or error})") from None


def read_edge_list(path):
    """An edge list as a networkx graph (nodes in order of first appearance).

    One tie per line: ``source,target`` or ``source,target,prior`` (CSV, the
    file's format when its first tie line has a comma: quote names with
    commas), or the same separated by spaces or tabs (quote names with
    spaces). ``prior`` is the tie's prior rounds of mutual giving (a whole
    number >= 0). An optional header line ``source,target[,prior]``; ``#``
    starts a comment; blank lines are skipped. The same tie twice (either
    direction) and a tie of a person with themselves are refused.

    Raises
    ------
    ParameterError
        ``FILE:LINE: what was expected``.
    """
    import networkx as nx

    text = _text(path)
    graph = nx.Graph()
    comma = None
    header_allowed = True
    first_line = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{path}:{number}"
        if comma is None:
            comma = "," in line
        if comma:
            fields = [field.strip() for field in next(csv.reader([line], skipinitialspace=True))]
        else:
            try:
                fields = shlex.split(line)
            except ValueError as error:
                raise ParameterError(f"{where}: {error} in {line!r}") from None
        if header_allowed:
            header_allowed = False
            if [f.lower() for f in fields] in (["source", "target"], ["source", "target", "prior"]):
                continue
        if len(fields) not in (2, 3):
            raise ParameterError(f"{where}: expected source{',' if comma else ' '}target"
                                 f"[{',' if comma else ' '}prior], got {len(fields)} field(s) in {line!r}")
        u, v = fields[0], fields[1]
        if not u or not v:
            raise ParameterError(f"{where}: expected two people's names, got an empty name in {line!r}")
        if u == v:
            raise ParameterError(f"{where}: a tie of {u!r} with themselves")
        pair = (u, v) if u < v else (v, u)
        if pair in first_line:
            raise ParameterError(f"{where}: the tie {u!r}-{v!r} is already on line {first_line[pair]}")
        first_line[pair] = number
        attributes = {}
        if len(fields) == 3:
            prior = fields[2]
            if not prior.isdigit():
                raise ParameterError(f"{where}: expected prior rounds as a whole number >= 0, got {prior!r}")
            attributes["prior"] = int(prior)
        graph.add_edge(u, v, **attributes)
        if len(first_line) > LIMITS.ties or len(graph) > LIMITS.people:  # both O(1), unlike number_of_edges
            check("ties", len(first_line), str(path))
            check("people", len(graph), str(path))
    if graph.number_of_edges() == 0:
        raise ParameterError(f"{path}: no ties (expected lines source,target[,prior])")
    return graph


def read_graphml(path):
    """A GraphML file as a networkx graph (networkx's reader; node ids as names).

    Raises
    ------
    ParameterError
        ``FILE: ...`` for a missing file or one networkx cannot read as GraphML.
    """
    import networkx as nx
    from xml.etree.ElementTree import ParseError

    if not Path(path).is_file():
        raise ParameterError(f"{path}: no such file")
    try:
        return nx.read_graphml(path)
    except ParseError as error:
        raise ParameterError(f"{path}: not XML ({error})") from None
    except (nx.NetworkXError, KeyError, ValueError, TypeError, AttributeError, IndexError) as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ParameterError(f"{path}: not GraphML networkx can read ({detail})") from None
    except OSError as error:
        raise ParameterError(f"{path}: cannot read ({error.strerror or error})") from None


def write_graphml(population: Population, path, results=None) -> Path:
    """Write :func:`to_graph` ``(population, results)`` as GraphML at ``path``.

    Written to a temporary file in the same folder, then moved into place
    (:func:`os.replace`), so ``path`` is either the old file or the whole new
    one, never half written.

    Returns
    -------
    Path
    """
    import networkx as nx

    path = Path(path)
    graph = to_graph(population, results)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile("wb", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    except OSError as error:
        raise ParameterError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        with handle:
            nx.write_graphml(graph, handle)
        os.replace(handle.name, path)
    except OSError as error:
        raise ParameterError(f"{path}: cannot write ({error.strerror or error})") from None
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
    return path
