"""Generators of the usual network structures over a list of people.

The issue asks for "the usual structures (complete, regular, small world,
scale free, clustered groups bridged by a few ties)". Each generator takes the
people's names and returns the ties as a sorted list of name pairs
``(u, v)`` with ``u < v``, ready for :class:`~.population.Population`:

- :func:`complete`: everybody tied to everybody (KITe's single network, where
  every member meets every other);
- :func:`regular`: a random ``k``-regular graph (every person has ``k`` ties,
  nothing else structured), networkx's ``random_regular_graph`` (Steger &
  Wormald 1999);
- :func:`small_world`: a connected Watts-Strogatz graph (Watts & Strogatz
  1998): a ring lattice of ``k`` nearest neighbours with each tie rewired to a
  random person with probability ``rewiring``;
- :func:`scale_free`: a Barabasi-Albert graph (Barabasi & Albert 1999):
  people arrive one by one and tie to ``attachment`` earlier people chosen in
  proportion to their ties;
- :func:`clustered`: clusters of at most ``size`` people, complete inside
  (Watts 1999's "caveman" graph), then an exact share ``bridging`` of the
  ties rewired to people of other clusters: the bridges across structural
  holes of Burt (1992). ``bridging = 0`` leaves disconnected cliques.

Group layouts (for the group game, :mod:`.groups`): :func:`one_group` (one
network of everybody, as KITe), :func:`groups_of` (several small networks of
at most ``size`` people, as Delta's "no larger than 15 people") and
:func:`cluster_groups` (the clusters of :func:`clustered` as groups).
:func:`organisation_people` makes organisations' people, named
``"<organisation> <k>"``.

Seeding
-------
Every random draw comes from :func:`~learning_dilemma.seeding.structure_generator`
with the user's seed and the structure's own address (its kind, then 0 for the
graph's draws and 1 for the placement), never from the global random state. The
networkx generators get a whole number drawn from that Generator as their seed.
People are placed on the graph's nodes by a seeded permutation, so colleagues
listed one after another are not neighbours on a ring by construction. Before
the permutation the names are sorted, so the ties depend on the set of people,
the parameters and the seed, not on the order the people were listed in (our
choice: a scenario that lists its people in another order describes the same
network). Structures built by networkx are reproducible for a given networkx
release (its algorithms draw from Python's :mod:`random`); :func:`clustered`,
:func:`groups_of` and the placements use numpy only.

networkx is imported inside the functions that use it, never at import.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_number
from ..errors import ParameterError
from ..limits import check
from ..seeding import root_entropy, structure_generator

__all__ = [
    "KIND_CODES", "STRUCTURES", "cluster_groups", "clustered", "complete", "groups_of", "one_group",
    "organisation_people", "regular", "scale_free", "small_world", "structure",
]

# The structures and their parameters, in the order the dispatcher lists them.
STRUCTURES = {
    "complete": (),
    "regular": ("degree",),
    "small_world": ("degree", "rewiring"),
    "scale_free": ("attachment",),
    "clustered": ("size", "bridging"),
}
# Each kind's address in the structure stream (seeding.STRUCTURE_STREAM); "groups"
# is the permutation of groups_of, which is also clustered's assignment to clusters.
KIND_CODES = {"complete": 0, "regular": 1, "small_world": 2, "scale_free": 3, "clustered": 4, "groups": 5}
_GRAPH, _PLACEMENT = 0, 1

KEY = "network.structure"
GROUPS_KEY = "network.groups"


# --- checks ----------------------------------------------------------------------------

def _people(names, key: str = "network.people", minimum: int = 2) -> list[str]:
    """The names, checked (unique non-empty strings, at least ``minimum``), sorted."""
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise ParameterError(f"{key} must be a list of people's names, got {names!r}")
    names = list(names)
    check("people", len(names), key)
    seen = set()
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ParameterError(f"{key}: a person's name must be a non-empty string, got {name!r}")
        if name in seen:
            raise ParameterError(f"{key}: {name!r} is listed twice")
        seen.add(name)
    if len(names) < minimum:
        raise ParameterError(f"{key} must name at least {minimum} people, got {len(names)}")
    return sorted(names)


def _whole(key: str, value, minimum: int, maximum: int | None = None, why: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum or (
            maximum is not None and value > maximum):
        bound = f">= {minimum}" if maximum is None else f"in {minimum}..{maximum}"
        raise ParameterError(f"{key} must be a whole number {bound}{why}, got {value!r}")
    return int(value)


def _seed_for_networkx(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**63))


def _place(graph_edges, people: list[str], entropy: int, kind: str) -> list[tuple[str, str]]:
    """Ties of the graph on nodes ``0..n-1``, with person ``people[order[i]]`` on node ``i``."""
    order = structure_generator(entropy, KIND_CODES[kind], _PLACEMENT).permutation(len(people))
    on_node = [people[k] for k in order]
    ties = []
    for u, v in graph_edges:
        a, b = on_node[u], on_node[v]
        ties.append((a, b) if a < b else (b, a))
    ties.sort()
    return ties


# --- structures -------------------------------------------------------------------------

def complete(names, seed=None, *, key: str = KEY) -> list[tuple[str, str]]:
    """Everybody tied to everybody: ``n (n - 1) / 2`` ties (no draws; ``seed`` is accepted for symmetry).

    Parameters
    ----------
    names : sequence of str
        The people (at least two, each once).
    seed : int, optional
        Unused: the complete graph has nothing to draw.

    Returns
    -------
    list of (str, str)
        The ties, smaller name first, sorted.
    """
    people = _people(names)
    n = len(people)
    check("ties", n * (n - 1) // 2, f"{key} complete over {n:,} people")
    return [(people[i], people[j]) for i in range(n) for j in range(i + 1, n)]


def regular(names, degree, seed=None, *, key: str = KEY) -> list[tuple[str, str]]:
    """A random ``degree``-regular graph: every person has exactly ``degree`` ties.

    Drawn uniformly-ish by networkx's ``random_regular_graph`` (Steger &
    Wormald 1999), so the structure has nothing but its degree: the baseline
    against which clustering or hubs make a difference.

    Parameters
    ----------
    names : sequence of str
    degree : int
        In ``1..n-1``, with ``n * degree`` even (each tie has two ends).
    seed : int, optional

    Returns
    -------
    list of (str, str)
        ``n * degree / 2`` ties, smaller name first, sorted.
    """
    people = _people(names)
    n = len(people)
    degree = _whole(f"{key}.degree", degree, 1, n - 1, f" (below the {n} people)")
    if (n * degree) % 2:
        raise ParameterError(f"{key}.degree must make people x degree even (each tie has two ends), "
                             f"got {n} people x degree {degree}")
    check("ties", n * degree // 2, f"{key} regular over {n:,} people with degree {degree}")
    import networkx as nx

    entropy = root_entropy(seed)
    rng = structure_generator(entropy, KIND_CODES["regular"], _GRAPH)
    graph = nx.random_regular_graph(degree, n, seed=_seed_for_networkx(rng))
    return _place(graph.edges(), people, entropy, "regular")


def small_world(names, degree, rewiring, seed=None, *, key: str = KEY) -> list[tuple[str, str]]:
    """A connected Watts-Strogatz small world (Watts & Strogatz 1998).

    A ring where each person is tied to the ``degree`` nearest (``degree / 2``
    each side), then each tie rewired with probability ``rewiring`` to a
    random person; drawn again (up to 100 times, networkx's
    ``connected_watts_strogatz_graph``) until the graph is connected.
    ``rewiring = 0`` is the ring lattice, ``1`` close to a random graph.

    Parameters
    ----------
    names : sequence of str
    degree : int
        Even, in ``2..n-1`` (an odd degree would silently be one less in networkx).
    rewiring : float
        In [0, 1].
    seed : int, optional

    Returns
    -------
    list of (str, str)
        ``n * degree / 2`` ties, smaller name first, sorted.
    """
    people = _people(names, minimum=3)
    n = len(people)
    degree = _whole(f"{key}.degree", degree, 2, n - 1, f" (below the {n} people)")
    if degree % 2:
        raise ParameterError(f"{key}.degree must be even for a small world (half each side of the ring), got {degree}")
    rewiring = check_number(f"{key}.rewiring", rewiring, 0.0, 1.0)
    check("ties", n * degree // 2, f"{key} small_world over {n:,} people with degree {degree}")
    import networkx as nx

    entropy = root_entropy(seed)
    rng = structure_generator(entropy, KIND_CODES["small_world"], _GRAPH)
    try:
        graph = nx.connected_watts_strogatz_graph(n, degree, rewiring, tries=100, seed=_seed_for_networkx(rng))
    except nx.NetworkXError:
        raise ParameterError(f"{key}: no connected small world in 100 draws with {n} people, degree {degree}, "
                             f"rewiring {rewiring:g}; raise network.structure.degree") from None
    return _place(graph.edges(), people, entropy, "small_world")


def scale_free(names, attachment, seed=None, *, key: str = KEY) -> list[tuple[str, str]]:
    """A Barabasi-Albert graph (Barabasi & Albert 1999): growth with preferential attachment.

    Starting from a star of ``attachment + 1`` people, each further person ties
    to ``attachment`` distinct earlier people, chosen with probability
    proportional to their ties (networkx's ``barabasi_albert_graph``). A few
    hubs collect many ties, as the well-connected members of a network do.

    Parameters
    ----------
    names : sequence of str
    attachment : int
        ``m`` in ``1..n-1``.
    seed : int, optional

    Returns
    -------
    list of (str, str)
        ``attachment * (n - attachment)`` ties (the star's ``m``, then ``m``
        per later person), smaller name first, sorted.
    """
    people = _people(names)
    n = len(people)
    attachment = _whole(f"{key}.attachment", attachment, 1, n - 1, f" (below the {n} people)")
    check("ties", attachment * (n - attachment), f"{key} scale_free over {n:,} people with attachment {attachment}")
    import networkx as nx

    entropy = root_entropy(seed)
    rng = structure_generator(entropy, KIND_CODES["scale_free"], _GRAPH)
    graph = nx.barabasi_albert_graph(n, attachment, seed=_seed_for_networkx(rng))
    return _place(graph.edges(), people, entropy, "scale_free")


def clustered(names, size, bridging, seed=None, *, key: str = KEY) -> list[tuple[str, str]]:
    """Clusters of at most ``size`` people, complete inside, a share ``bridging`` of ties rewired across.

    The clusters are :func:`groups_of` ``(names, size, seed)`` (so
    :func:`cluster_groups` with the same seed names the same people). Inside
    each cluster everybody is tied to everybody: Watts's (1999) "caveman"
    graph. Then ``B = round(bridging x E)`` of the ``E`` ties, drawn without
    replacement, are rewired: one end (drawn) is kept and the other replaced
    by a person of another cluster not yet tied to it. The graph stays simple,
    keeps ``E`` ties, and exactly ``B`` of them bridge clusters (Burt 1992's
    bridges over structural holes), so the measured share of bridging ties is
    ``bridging`` to within ``1 / (2E)``.

    Our choice, against Watts's relaxed caveman graph (each tie rewired with
    probability ``p`` to anybody, networkx's ``relaxed_caveman_graph``): the
    share is exact and every rewired tie leaves its cluster, so ``bridging``
    is the share of bridging ties itself, the parameter a sweep varies.

    Parameters
    ----------
    names : sequence of str
    size : int
        At least 2: the most people in a cluster (sizes as equal as possible).
    bridging : float
        In [0, 1]. 0: disconnected cliques. Above 0 needs at least two clusters.
    seed : int, optional

    Returns
    -------
    list of (str, str)
        ``E = sum of s (s - 1) / 2`` over the clusters' sizes ``s``, smaller name first, sorted.
    """
    people = _people(names)
    n = len(people)
    bridging = check_number(f"{key}.bridging", bridging, 0.0, 1.0)
    entropy = root_entropy(seed)
    clusters = _split(people, size, entropy, f"{key}.size")
    if bridging > 0 and len(clusters) < 2:
        raise ParameterError(f"{key}.bridging must be 0 when all {n} people are in one cluster "
                             f"(size {size} >= people), got {bridging:g}")
    sizes = [len(c) for c in clusters]
    total = sum(s * (s - 1) // 2 for s in sizes)
    check("ties", total, f"{key} clustered over {n:,} people in clusters of at most {size}")
    # people in cluster order: cluster c holds positions start[c]..start[c] + sizes[c] - 1
    ordered = [name for cluster in clusters for name in cluster]
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    cluster_of = np.repeat(np.arange(len(sizes)), sizes)
    ties = [(s0 + i, s0 + j) for s0, s in zip(start, sizes) for i in range(s) for j in range(i + 1, s)]
    rewired = int(math.floor(bridging * total + 0.5))
    if rewired:
        rng = structure_generator(entropy, KIND_CODES["clustered"], _GRAPH)
        neighbours = [set() for _ in range(n)]
        for u, v in ties:
            neighbours[u].add(v)
            neighbours[v].add(u)
        for t in rng.choice(total, size=rewired, replace=False):
            u, v = ties[t]
            if rng.random() < 0.5:
                u, v = v, u
            w = _outside(u, cluster_of, start, sizes, neighbours, rng)
            if w is None:  # u is tied to everybody outside its cluster: keep v's end instead
                u, v = v, u
                w = _outside(u, cluster_of, start, sizes, neighbours, rng)
            if w is None:
                raise ParameterError(f"{key}.bridging: no room to rewire {rewired} of {total} ties across "
                                     f"{len(sizes)} clusters; lower it or use smaller clusters")
            neighbours[u].discard(v)
            neighbours[v].discard(u)
            neighbours[u].add(w)
            neighbours[w].add(u)
            ties[t] = (u, w)
    named = [(ordered[u], ordered[v]) for u, v in ties]
    return sorted((a, b) if a < b else (b, a) for a, b in named)


def _outside(u, cluster_of, start, sizes, neighbours, rng):
    """A person of another cluster than ``u``'s not tied to ``u``, drawn uniformly; None if there is none."""
    c = cluster_of[u]
    lo, size = int(start[c]), int(sizes[c])
    others = len(cluster_of) - size
    for _ in range(64):  # rejection: a draw is nearly always free
        w = int(rng.integers(others))
        w = w if w < lo else w + size
        if w not in neighbours[u]:
            return w
    free = [w for w in range(len(cluster_of)) if cluster_of[w] != c and w not in neighbours[u]]
    return free[int(rng.integers(len(free)))] if free else None


def structure(kind: str, names, seed=None, *, key: str = KEY, **parameters) -> list[tuple[str, str]]:
    """The ties of the structure ``kind`` over ``names`` (the dispatcher a scenario calls).

    Parameters
    ----------
    kind : str
        One of :data:`STRUCTURES` (``complete``, ``regular``, ``small_world``,
        ``scale_free``, ``clustered``; spaces or hyphens for underscores, any case).
    names : sequence of str
    seed : int, optional
    key : str
        The key errors name (``network.structure.degree must be ...``).
    **parameters
        The kind's parameters, exactly those of :data:`STRUCTURES`.

    Raises
    ------
    ParameterError
        One line naming the key: an unknown kind (listing the known ones), a
        missing or unknown parameter, a value out of range.
    """
    if not isinstance(kind, str):
        raise ParameterError(f"{key}.kind must be one of {', '.join(STRUCTURES)}, got {kind!r}")
    name = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if name not in STRUCTURES:
        raise ParameterError(f"{key}.kind must be one of {', '.join(STRUCTURES)}, got {kind!r}")
    expected = STRUCTURES[name]
    unknown = sorted(set(parameters) - set(expected))
    if unknown:
        known = ", ".join(expected) if expected else "none"
        raise ParameterError(f"{key}.{unknown[0]}: not a parameter of a {name} structure (its parameters: {known})")
    for parameter in expected:
        if parameter not in parameters:
            raise ParameterError(f"{key}.{parameter} is required for a {name} structure")
    return _GENERATORS[name](names, **parameters, seed=seed, key=key)


_GENERATORS = {"complete": complete, "regular": regular, "small_world": small_world, "scale_free": scale_free,
               "clustered": clustered}


# --- group layouts --------------------------------------------------------------------

def _split(people: list[str], size, entropy: int, key: str) -> list[list[str]]:
    """Sorted ``people`` permuted (the "groups" placement stream) and cut into
    ``ceil(n / size)`` consecutive parts whose sizes differ by at most one."""
    n = len(people)
    size = _whole(key, size, 2)
    parts = -(-n // size)
    smallest = n // parts
    if smallest < 2:
        raise ParameterError(f"{key}: {n} people cannot be split into parts of 2 to {size} people "
                             f"(one would be alone); use another size")
    order = structure_generator(entropy, KIND_CODES["groups"], _PLACEMENT).permutation(n)
    larger = n % parts
    split, at = [], 0
    for k in range(parts):
        s = smallest + (1 if k < larger else 0)
        split.append([people[i] for i in order[at:at + s]])
        at += s
    return split


def one_group(names, name: str = "network") -> list[tuple[str, list[str]]]:
    """One group of everybody, in the order given (KITe: one network of all members).

    Returns
    -------
    list of (str, list of str)
        ``[(name, names)]``, as :class:`~.population.Population` takes groups.
    """
    names = list(names) if hasattr(names, "__iter__") and not isinstance(names, str) else names
    _people(names, f"{GROUPS_KEY}.members")
    check("group_size", len(names), f"{GROUPS_KEY} one group")
    return [(name, list(names))]


def groups_of(names, size, seed=None, *, prefix: str = "group",
              key: str = f"{GROUPS_KEY}.size") -> list[tuple[str, list[str]]]:
    """Several groups of at most ``size`` people, sizes as equal as possible, members drawn.

    Delta's layout: several small networks ("a group must not be larger than
    15 people to be able to learn", seed 001 s.6). The people (sorted, so the
    order they are listed in does not matter) are permuted by the seed and
    cut into ``ceil(n / size)`` groups whose sizes differ by at most one; a
    group's members are in the drawn order (its slot order in the group game).

    Parameters
    ----------
    names : sequence of str
    size : int
        At least 2; a split that would leave somebody alone (odd people in
        groups of 2) is refused.
    seed : int, optional
    prefix : str
        Groups are named ``"<prefix> 1"``, ``"<prefix> 2"``, ...

    Returns
    -------
    list of (str, list of str)
    """
    people = _people(names, f"{GROUPS_KEY}.members")
    _whole(key, size, 2)
    check("group_size", min(size, len(people)), f"{key}={size}")
    split = _split(people, size, root_entropy(seed), key)
    return [(f"{prefix} {k + 1}", members) for k, members in enumerate(split)]


def cluster_groups(names, size, seed=None, *, key: str = f"{GROUPS_KEY}.size") -> list[tuple[str, list[str]]]:
    """The clusters of :func:`clustered` ``(names, size, bridging, seed)`` as groups (any ``bridging``).

    The same split as :func:`groups_of` with the same seed, named
    ``"cluster 1"``, ``"cluster 2"``, ...
    """
    return groups_of(names, size, seed, prefix="cluster", key=key)


# --- people ---------------------------------------------------------------------------

def organisation_people(organisations, people_per_organisation) -> list[tuple[str, str]]:
    """Each organisation's people, named ``"<organisation> <k>"`` (k from 1).

    Parameters
    ----------
    organisations : sequence of str
    people_per_organisation : int or sequence of int
        One number for all (at least 1), or one per organisation (KITe's
        members sent one to four people each).

    Returns
    -------
    list of (str, str)
        ``(person, organisation)``, organisation by organisation.
    """
    key = "network.organisations"
    if isinstance(organisations, str) or not hasattr(organisations, "__iter__"):
        raise ParameterError(f"{key} must be a list of organisation names, got {organisations!r}")
    organisations = list(organisations)
    if not organisations:
        raise ParameterError(f"{key} must name at least one organisation")
    for name in organisations:
        if not isinstance(name, str) or not name.strip():
            raise ParameterError(f"{key}: an organisation's name must be a non-empty string, got {name!r}")
    if len(set(organisations)) != len(organisations):
        raise ParameterError(f"{key}: an organisation is listed twice")
    key = "network.people_per_organisation"
    if isinstance(people_per_organisation, (int, np.integer)) and not isinstance(people_per_organisation, bool):
        counts = [_whole(key, people_per_organisation, 1)] * len(organisations)
    elif isinstance(people_per_organisation, (list, tuple, np.ndarray)):
        if len(people_per_organisation) != len(organisations):
            raise ParameterError(f"{key} must give one number per organisation ({len(organisations)}), "
                                 f"got {len(people_per_organisation)}")
        counts = [_whole(f"{key}[{k}]", c, 1) for k, c in enumerate(people_per_organisation)]
    else:
        raise ParameterError(f"{key} must be a whole number >= 1 or one per organisation, "
                             f"got {people_per_organisation!r}")
    check("people", sum(counts), key)
    # no two people can share a name: the text after a name's last space is its number
    return [(f"{org} {k + 1}", org) for org, count in zip(organisations, counts) for k in range(count)]
