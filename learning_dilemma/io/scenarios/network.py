"""Network scenario files: a knowledge-sharing network described as data (TOML).

A network scenario names the game (the tournament scenario's ``[game]`` table,
validated by the same code), the organisations and the people they send, the
ties between people (a generator of the usual structures, a user's edge list or
GraphML file, and explicit ``[[ties]]``), the groups (knowledge-sharing networks
proper) and the fixed rounds, repetitions, seed and noise of the play
(:func:`learning_dilemma.networks.play.play_network`). Files are data and never
execute code. Every problem is a one-line
:class:`~learning_dilemma.errors.ParameterError` naming the file and the key
(``kite_network.toml: organisations[2].absorption: expected a number in [0, 1],
got 2``); unknown keys are refused with the known ones listed. The resource
limits ``people``, ``ties``, ``group_size`` and ``rounds``
(:mod:`learning_dilemma.limits`) are checked from the file's numbers, before
any person, tie or group is made (ties are estimated from the structure's
parameters).

Shipped network scenarios live in ``data/networks/`` (a folder of their own, so
the tournament scenarios' listing is unchanged): ``kite_network`` and
``delta_network`` (seed 001, s.6). ``docs/networks.md`` documents the format.

Values that a person, an organisation and ``[network]`` may all give
(identification, recognition, identity, identity_weight, and identity coping's
efficiency, meta_horizon, meta_synergy, multivocality) are resolved person >
the person's first organisation > ``[network]`` > the model's default; an
organisation's absorption is its own, else ``[network]``'s, else 1; its
Chinese ``walls`` (one number, or a table per knowledge domain of the game)
are its own (:mod:`learning_dilemma.networks.coping`).

Parts beyond the play (issues 17 and 18), each run when its table is there:
``[network.partner_choice]`` (:func:`~learning_dilemma.networks.partner_choice.choose_partners`),
``[network.reputation]`` (:func:`~learning_dilemma.networks.reputation.simulate_reputation`),
``[network.dynamics]`` (:func:`~learning_dilemma.networks.dynamics.evolve_network`) and
``[network.selection]`` (:func:`~learning_dilemma.networks.selection.simulate_population`).
Each table is validated with the rest (unknown keys refused, one line naming
the file and key) and its resource limits are checked from its numbers when
the scenario is read, before anything runs; :meth:`NetworkScenario.run` plays
the network and runs every part present (:class:`NetworkRun`). A scenario
without these tables is read, played and written exactly as before.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ParameterError
from ...games import LearningGame
from ...games.learning import MAX_GAME_VALUE
from ...games.levels import IDENTITIES
from ...limits import ResourceLimitError, check
from ...networks.population import Organisation, Person, Population
from . import (
    SCENARIO_DIR, Scenario, _check_keys, _check_text, _game, _player, _typed, apply_overrides, check_depth,
    check_heading, find_scenario,
    read_raw,
)

__all__ = [
    "build_network", "COPING_DEFAULTS", "DYNAMICS_KEYS", "GROUP_KEYS", "GROUP_LAYOUTS", "load_network_scenario",
    "NETWORK_DIR", "NETWORK_KEYS", "network_scenario_names", "network_scenario_path", "NetworkRun", "NetworkScenario",
    "ORGANISATION_KEYS", "OVERLAP_KEYS", "PART_KEYS", "PARTNER_KEYS", "PARTS", "PERSON_KEYS", "REPUTATION_KEYS",
    "SELECTION_KEYS", "STRUCTURE_KEYS", "STRUCTURES", "TIE_KEYS", "TOP_KEYS", "donation_limit",
]

#: Where the shipped network scenarios are (package data).
NETWORK_DIR = SCENARIO_DIR / "networks"

TOP_KEYS = {
    "name", "description", "seed", "rounds", "repetitions", "noise", "game", "network", "organisations", "people",
    "ties", "groups", "overlaps",
}
#: The parts beyond the play, each a table of ``[network]`` run when present, in the order they run.
PARTS = ("partner_choice", "reputation", "dynamics", "selection")
NETWORK_KEYS = {
    "structure", "degree", "rewiring", "attachment", "cluster_size", "bridging", "file", "prior_rounds", "groups",
    "group_size", "congestion", "quorum", "identification", "recognition", "identity", "identity_weight",
    "absorption", "efficiency", "meta_horizon", "meta_synergy", "multivocality", *PARTS,
}
#: The ways to make the ties: none, a generator, or a file.
STRUCTURES = ("none", "complete", "regular", "small_world", "scale_free", "clustered", "file")
#: Which ``[network]`` keys each structure reads; the others are refused with it,
#: so that a value the structure ignores (a sweep over ``network.degree`` of a
#: complete graph) is never silently without effect.
STRUCTURE_KEYS = {
    "none": set(), "complete": set(), "regular": {"degree"}, "small_world": {"degree", "rewiring"},
    "scale_free": {"attachment"}, "clustered": {"cluster_size", "bridging"}, "file": {"file"},
}
#: The generated groups: none, one group of everybody, groups of at most
#: ``group_size``, or the structure's clusters.
GROUP_LAYOUTS = ("none", "one", "size", "clusters")
#: Identity coping's person values (:class:`~learning_dilemma.networks.population.Person`), all off by default.
COPING_DEFAULTS = {"efficiency": 0.0, "meta_horizon": 0.0, "meta_synergy": 0.0, "multivocality": 0.0}
PERSON_DEFAULTS = {"identification": 1.0, "recognition": 0.0, "identity": "organisation", "identity_weight": 0.0,
                   **COPING_DEFAULTS}
ORGANISATION_KEYS = {"name", "count", "people", "absorption", "walls", "policy", *PERSON_DEFAULTS}
PERSON_KEYS = {"name", "organisations", "strategy", "groups", *PERSON_DEFAULTS}
TIE_KEYS = {"between", "prior_rounds"}
GROUP_KEYS = {"name", "members"}
OVERLAP_KEYS = {"between", "overlap"}
#: The keys of each part's table (``[network.partner_choice]`` ...): see docs/networks.md.
PARTNER_KEYS = {"rounds", "arrival", "exploration", "adjustment", "prior", "turns", "continuation", "rule",
                "temperature", "loner", "decision_makers", "candidates"}
REPUTATION_KEYS = {"norm", "strategies", "execution_error", "assessment_error", "observation", "assessment",
                   "pairing", "rounds", "repetitions", "burn_in", "benefit", "cost"}
DYNAMICS_KEYS = {"rule", "delta", "mutation", "rate", "memory", "rounds", "repetitions", "fitness", "restart",
                 "keying", "strategies", "start", "every"}
SELECTION_KEYS = {"q", "w", "steps", "runs", "record_every", "fitness", "n", "givers", "benefit", "cost"}
PART_KEYS = {"partner_choice": PARTNER_KEYS, "reputation": REPUTATION_KEYS, "dynamics": DYNAMICS_KEYS,
             "selection": SELECTION_KEYS}
# Defaults of [network] (each documented in docs/networks.md).
NETWORK_DEFAULTS = {
    "degree": 4, "rewiring": 0.1, "attachment": 2, "cluster_size": 5, "bridging": 0.1, "prior_rounds": 0,
    "group_size": 15, "congestion": 1.0, "quorum": 0.5, "absorption": 1.0,
}


@dataclass
class NetworkScenario:
    """A validated network scenario, ready to play.

    Attributes
    ----------
    name, description : str
    path : Path or None
    game : LearningGame
    population : Population
        Organisations, people, ties and groups.
    group_game : GroupGame or None
        The group game's congestion and quorum (None when there are no groups).
    rounds, repetitions : int
    seed : int or None
    noise : float
    network : dict
        The resolved ``[network]`` values (structure, its parameters, group layout).
    raw : dict
        The file as read (with overrides applied).
    partner_choice, reputation, dynamics, selection : dict or None
        Each part's resolved arguments (:data:`PARTS`; docs/networks.md), None
        when its table is absent: :meth:`choose_partners`,
        :meth:`simulate_reputation`, :meth:`evolve` and :meth:`select` run them.
    """

    name: str
    description: str
    path: Path | None
    game: LearningGame
    population: Population
    group_game: object = None
    rounds: int = 200
    repetitions: int = 1
    seed: int | None = None
    noise: float = 0.0
    network: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False)
    partner_choice: dict | None = None
    reputation: dict | None = None
    dynamics: dict | None = None
    selection: dict | None = None

    def play(self, **changes):
        """Play the network (:func:`~learning_dilemma.networks.play.play_network`);
        keyword arguments override the scenario's values (``rounds``, ``seed``,
        ``repetitions``, ``noise``, ``game``, ``group_game``, ``population``)."""
        from ...networks.play import play_network

        options = {"population": self.population, "game": self.game, "rounds": self.rounds, "seed": self.seed,
                   "repetitions": self.repetitions, "noise": self.noise, "group_game": self.group_game}
        options.update(changes)
        return play_network(**options)

    @property
    def parts(self) -> tuple:
        """The parts beyond the play that the scenario runs (:data:`PARTS` whose table is there)."""
        return tuple(part for part in PARTS if getattr(self, part) is not None)

    def _where(self) -> str:
        return str(self.path) if self.path is not None else self.name

    def _part(self, part: str) -> dict:
        options = getattr(self, part)
        if options is None:
            raise ParameterError(f"{self._where()}: network.{part}: the scenario has no [network.{part}] table")
        return options

    def choose_partners(self):
        """Run ``[network.partner_choice]``
        (:func:`~learning_dilemma.networks.partner_choice.choose_partners`) on the
        population and game, from the scenario's seed; a
        :class:`~learning_dilemma.networks.partner_choice.PartnerChoice`."""
        from ...networks.partner_choice import choose_partners

        options = dict(self._part("partner_choice"))
        return self._call("partner_choice", choose_partners, self.population, self.game, seed=self.seed,
                          noise=self.noise, **options)

    def simulate_reputation(self):
        """Run ``[network.reputation]``
        (:func:`~learning_dilemma.networks.reputation.simulate_reputation`) on the
        population's people and ties, in the donation-game limit of the scenario's
        game; a :class:`~learning_dilemma.networks.reputation.ReputationRun`."""
        from ...networks.reputation import simulate_reputation

        options = _call_options(self._part("reputation"), ("burn_in", "benefit", "cost"))
        game = donation_limit(self.game, self.reputation["benefit"], self.reputation["cost"])
        return self._call("reputation", simulate_reputation, self.population, game=game, seed=self.seed, **options)

    def evolve(self):
        """Run ``[network.dynamics]`` (:func:`~learning_dilemma.networks.dynamics.evolve_network`):
        play along the ties and imitation; a :class:`~learning_dilemma.networks.dynamics.NetworkEvolution`."""
        from ...networks.dynamics import evolve_network

        options = _call_options(self._part("dynamics"), ("every", "start", "delta"))
        return self._call("dynamics", evolve_network, self.population, self.game, seed=self.seed, noise=self.noise,
                          intensity=self.dynamics["delta"], start=self.dynamics["_start"], **options)

    def select(self):
        """Run ``[network.selection]`` (:func:`~learning_dilemma.networks.selection.simulate_population`):
        multilevel selection between the population's groups; a
        :class:`~learning_dilemma.networks.selection.SelectionHistory`."""
        from ...networks.selection import simulate_population

        options = _call_options(self._part("selection"), ("givers", "benefit", "cost"))
        game = donation_limit(self.game, self.selection["benefit"], self.selection["cost"])
        return self._call("selection", simulate_population, self.selection["_population"], game=game,
                          seed=self.seed, **options)

    def _call(self, part, function, *args, **kwargs):
        """``function(*args, **kwargs)``, its one-line errors naming the file and the part's table."""
        try:
            return function(*args, **kwargs)
        except ResourceLimitError as error:
            raise ResourceLimitError(f"{self._where()}: network.{part}: {error}") from None
        except ParameterError as error:
            key, message = _part_key(part, str(error))
            raise ParameterError(f"{self._where()}: {key}: {message}") from None

    def run(self, play: bool = True) -> "NetworkRun":
        """Play the network (unless ``play`` is False) and run every part present.

        Returns
        -------
        NetworkRun
        """
        return NetworkRun(
            self, self.play() if play else None,
            self.choose_partners() if self.partner_choice is not None else None,
            self.simulate_reputation() if self.reputation is not None else None,
            self.evolve() if self.dynamics is not None else None,
            self.select() if self.selection is not None else None,
        )

    def settings(self) -> list[tuple[str, object]]:
        """The scenario's values as ``(key, value)`` rows, for tables and reports."""
        population = self.population
        rows = [
            ("scenario", self.name), ("organisations", population.n_organisations), ("people", population.n_people),
            ("ties", population.n_ties), ("groups", len(population.groups)), ("rounds", self.rounds),
            ("repetitions", self.repetitions), ("seed", self.seed),
        ]
        if self.noise:
            rows.append(("noise", self.noise))
        rows += [(f"network.{key}", value) for key, value in self.network.items()]
        if self.group_game is not None:
            rows += [(f"network.{f.name}", getattr(self.group_game, f.name))
                     for f in dataclasses.fields(self.group_game)]
        game_rows = Scenario(name=self.name, description="", path=None, game=self.game, players=[],
                             turns=self.rounds).settings()
        rows += [row for row in game_rows if str(row[0]).startswith("game.")]
        for part in self.parts:  # only the parts present: a part-1 scenario's rows are as before
            rows += [(f"network.{part}.{key}", _setting(value)) for key, value in getattr(self, part).items()
                     if not key.startswith("_")]
        return rows


@dataclass
class NetworkRun:
    """A network scenario's play and the parts it ran (:meth:`NetworkScenario.run`).

    Attributes
    ----------
    scenario : NetworkScenario
    results : NetworkResults or None
        The play (:func:`~learning_dilemma.networks.play.play_network`).
    partner_choice : PartnerChoice or None
    reputation : ReputationRun or None
    dynamics : NetworkEvolution or None
    selection : SelectionHistory or None
    """

    scenario: NetworkScenario
    results: object = None
    partner_choice: object = None
    reputation: object = None
    dynamics: object = None
    selection: object = None

    @property
    def parts(self) -> tuple:
        """The parts that ran (:data:`PARTS` order)."""
        return tuple(part for part in PARTS if getattr(self, part) is not None)


def _call_options(options: dict, shown_only=()) -> dict:
    """A part's arguments for its function: without the values kept for display
    (``shown_only``) and the resolved ones (``_name``) the caller passes itself."""
    return {key: value for key, value in options.items() if key not in shown_only and not key.startswith("_")}


def donation_limit(game: LearningGame, benefit=None, cost=None) -> LearningGame:
    """The donation-game limit of ``game`` that reputation and multilevel selection play.

    The status quo ``P`` and the competitive overlap (the domains' effective
    one) are the game's; the benefit ``b`` (``learning_benefit``) and the cost
    ``c`` (``leak``) are the game's unless given; synergy, race premium, power,
    knowledge stakes and ties are off (spec of issue 18: ``R = P + b - c``,
    ``S = P - c``, ``T = P + b`` at full overlap). Our choice: the two parts
    read the scenario's game rather than a game of their own, so ``game.*``
    keys reach them.
    """
    return LearningGame(status_quo=game.status_quo,
                        learning_benefit=game.learning_benefit if benefit is None else benefit,
                        leak=game.leak if cost is None else cost, synergy=0.0, race_premium=0.0,
                        overlap=game.effective_overlap)


def _setting(value):
    """A part's resolved value as a settings cell: players by label, lists and tables as text."""
    from ...players.player import Player

    if isinstance(value, Player):
        return value.label
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_setting(item)) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_setting(item)}" for key, item in value.items())
    if hasattr(value, "name") and hasattr(value, "assessment"):  # a reputation norm
        return value.name
    return value


# --- finding and loading --------------------------------------------------------

def network_scenario_names() -> list[str]:
    """Names of the shipped network scenarios, sorted."""
    return sorted(p.stem for p in NETWORK_DIR.glob("*.toml"))


def network_scenario_path(name_or_path: str | Path) -> Path:
    """The file of a shipped network scenario's name, or the path given."""
    return find_scenario(name_or_path, NETWORK_DIR, network_scenario_names, "network scenario")


def load_network_scenario(name_or_path: str | Path, overrides=(), parts=None) -> NetworkScenario:
    """Read, override and validate a network scenario.

    Parameters
    ----------
    name_or_path : str or Path
        A shipped network scenario's name (``kite_network``, ``delta_network``) or a file.
    overrides : sequence of str
        ``KEY=VALUE`` changes, e.g. ``network.bridging=0.2`` or
        ``organisations[0].absorption=0.5``; values are TOML values. A key of a
        part's table (``network.dynamics.delta=0.1``) switches the part on.
    parts : mapping of str to bool, optional
        Parts (:data:`PARTS`) to switch on (True: its table, with its defaults
        where the file has none) or off (False: its table dropped), after the
        overrides; the definition (``NetworkScenario.raw``) says what was run.

    Examples
    --------
    >>> scenario = load_network_scenario("kite_network", ["rounds=20"])
    >>> scenario.rounds, scenario.population.n_organisations
    (20, 12)
    """
    path = network_scenario_path(name_or_path)
    raw = read_raw(path)
    raw = apply_overrides(raw, overrides, str(path))
    _drop_unread(raw, overrides)
    _switch_parts(raw, parts)
    check_depth(raw, str(path))
    return build_network(raw, path)


def _switch_parts(raw: dict, parts) -> None:
    """Switch parts on (an empty table where there is none) or off (the table dropped)."""
    for part, on in dict(parts or {}).items():
        if part not in PARTS:
            raise ParameterError(f"unknown part {part!r} (parts: {', '.join(PARTS)})")
        network = raw.get("network")
        if on:
            if network is None:
                network = raw["network"] = {}
            if isinstance(network, dict) and part not in network:
                network[part] = {}
        elif isinstance(network, dict):
            network.pop(part, None)


def _drop_unread(raw: dict, overrides) -> None:
    """A structure or group layout set by an override wins: the file's parameters
    that the new choice does not read are dropped (as ``turns`` set on the command
    line drops a tournament file's ``continuation``). Parameters set by an
    override itself stay, and are refused if unread. A ``network.file`` set by an
    override is relative to the working folder (one in the file, to the file's folder)."""
    keys = {str(item).partition("=")[0].strip() for item in overrides}
    network = raw.get("network")
    if not isinstance(network, dict):
        return
    if "network.file" in keys and isinstance(network.get("file"), str) and network["file"].strip():
        network["file"] = str(Path(network["file"]).absolute())  # a command line's path is the working folder's
    if not keys & {"network.structure", "network.groups"}:
        return
    structure, layout = network.get("structure", "none"), network.get("groups")
    if not isinstance(structure, str) or not isinstance(layout, (str, type(None))):
        return  # refused with its key by build_network
    used = set(STRUCTURE_KEYS.get(structure, set()))
    used |= {"group_size"} if layout == "size" else {"cluster_size"} if layout == "clusters" else set()
    for key in set().union(*STRUCTURE_KEYS.values(), {"group_size"}) - used:
        if f"network.{key}" not in keys:
            network.pop(key, None)


# --- validation -----------------------------------------------------------------

def build_network(raw: dict, path: Path | None) -> NetworkScenario:
    """Validate a parsed network scenario into a :class:`NetworkScenario`.

    Everything is checked, and the resource limits are estimated from the
    numbers in the file, before people, ties and groups are made.
    """
    where = str(path) if path is not None else "scenario"

    def fail(key, message):
        raise ParameterError(f"{where}: {key}: {message}")

    def limited(key, name, requested, what):
        """A resource limit, refused as a ResourceLimitError naming the file and key."""
        try:
            check(name, requested, what)
        except ResourceLimitError as error:
            raise ResourceLimitError(f"{where}: {key}: {error}") from None

    _check_keys(raw, TOP_KEYS, "", fail)
    name, description = check_heading(raw, path, "network", fail)
    game = _game(raw.get("game", {}), fail)
    seed = raw.get("seed")
    if seed is not None:
        seed = _typed(seed, int, "seed", fail)
        if seed < 0:
            fail("seed", f"expected a whole number >= 0, got {seed}")
    else:  # fresh entropy, drawn once: the structure, the groups and the play share it, and it can be repeated
        from ...seeding import root_entropy

        seed = root_entropy(None)
    rounds = _whole(raw.get("rounds", 200), "rounds", 1, fail)
    repetitions = _whole(raw.get("repetitions", 1), "repetitions", 1, fail)
    noise = _number(raw.get("noise", 0.0), "noise", fail, 0.0, 1.0)
    limited("rounds", "match_rounds", rounds, f"rounds={rounds}")

    network = _network(raw.get("network", {}), "groups" in raw, fail)
    limited("network.prior_rounds", "match_rounds", network["prior_rounds"], f"prior_rounds={network['prior_rounds']}")
    organisations, generated, defaults = _organisations(raw.get("organisations"), network, fail, limited, game)
    explicit = _people(raw.get("people", []), organisations, defaults, len(generated), fail, limited)
    people = generated + [person for person, _ in explicit]
    graph = None
    if network["structure"] == "file":  # the file's ties, and the people only it names
        graph, target = _read_file(network["file"], path, fail)
        people += _file_people(graph, people, organisations, target, fail)
        limited("network.file", "people", len(people), f"the network's people with {target}'s")
    names = {}
    for k, person in enumerate(people):
        if person.name in names:
            key = f"people[{k - len(generated)}].name" if k >= len(generated) else "organisations"
            fail(key, f"{person.name!r} is the name of two people (people generated for an organisation are "
                      f"named '<organisation> <k>')")
        names[person.name] = k
    n = len(people)
    if n < 2:
        fail("organisations", f"a network needs at least two people, got {n}")

    # what the network will ask for, estimated before any tie or group is made
    extra_ties = _tie_entries(raw.get("ties", []), names, network["prior_rounds"], fail, limited)
    estimate = graph.number_of_edges() if graph is not None else _tie_estimate(network, n)
    limited("network.structure", "ties", estimate + len(extra_ties),
            f"structure {network['structure']!r} over {n:,} people" + (f" and {len(extra_ties):,} [[ties]]"
                                                                       if extra_ties else ""))
    group_entries = _group_entries(raw.get("groups", []), explicit, names, fail, limited)
    layout = network["groups"]
    largest = {"none": 0, "one": n, "size": min(network.get("group_size", 0), n),
               "clusters": min(network.get("cluster_size", 0), n)}[layout]
    limited("network.groups", "group_size", largest, f"groups = {layout!r} over {n:,} people")
    relations = estimate + len(extra_ties) + _pairs_estimate(layout, largest, n)
    relations += sum(len(m) * (len(m) - 1) // 2 for _, m in group_entries)
    limited("rounds", "rounds", relations * repetitions * rounds,
            f"{relations:,.0f} relations (ties, and pairs in groups) x repetitions={repetitions} x rounds={rounds}")
    overlaps = _overlaps(raw.get("overlaps", []), organisations, fail)

    # build
    order = [p.name for p in people]
    table = {}
    if graph is not None:
        for u, v, prior in _graph_ties(graph, network["prior_rounds"], target, fail, limited):
            table[_pair(u, v)] = (u, v, prior)
    else:
        for u, v in _structure_ties(network, order, seed, fail):
            table[(u, v)] = (u, v, network["prior_rounds"])
    for u, v, prior in extra_ties:  # an explicit tie's prior rounds win over a generated tie's
        table[_pair(u, v)] = (u, v, prior)
    groups = _layout_groups(network, order, seed, fail) + group_entries
    try:
        population = Population(organisations, people, ties=[table[pair] for pair in sorted(table)], groups=groups,
                                overlaps=overlaps)
    except ResourceLimitError as error:
        raise ResourceLimitError(f"{where}: {error}") from None
    except ParameterError as error:  # what the checks above did not foresee: still one line with the file
        fail(*_population_key(str(error)))
    group_game = None
    if population.groups:
        group_game = _group_game(network, fail)
    shown = {key: network[key] for key in ("structure", *sorted(STRUCTURE_KEYS[network["structure"]]),
                                            "prior_rounds", "groups")}
    if layout in ("size", "clusters"):
        key = "group_size" if layout == "size" else "cluster_size"
        shown[key] = network[key]
    families = {entry["name"]: [f"{entry['name']} {j}" for j in range(1, entry["count"] + 1)]
                for entry in raw["organisations"] if "count" in entry}  # both checked with the organisations
    parts = _parts(raw.get("network", {}), population, game, rounds, repetitions, fail, limited, families)
    return NetworkScenario(name=name, description=description, path=path, game=game, population=population,
                           group_game=group_game, rounds=rounds, repetitions=repetitions, seed=seed, noise=noise,
                           network=shown, raw=raw, **parts)


def _whole(value, key, minimum, fail) -> int:
    value = _typed(value, int, key, fail)
    if value < minimum:
        fail(key, f"expected a whole number >= {minimum}, got {value}")
    return value


def _number(value, key, fail, low=None, high=None, low_open=False, high_open=False) -> float:
    value = _typed(value, float, key, fail)
    if not math.isfinite(value):
        fail(key, f"expected a finite number, got {value!r}")
    above = high is not None and (value >= high if high_open else value > high)
    if (low is not None and (value <= low if low_open else value < low)) or above:
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        span = f"in {left}{low:g}, {high:g}{right}" if high is not None else f"{'>' if low_open else '>='} {low:g}"
        fail(key, f"expected a number {span}, got {value:g}")
    return value


def _text(value, key, fail) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(key, f"expected a non-empty string, got {value!r}")
    _check_text(value, key, fail)  # key ends in ".name"
    return value


def _person_value(value, key, name, fail):
    """One of the person-level values (identification, recognition, identity, identity_weight,
    and identity coping's efficiency, meta_horizon, meta_synergy, multivocality)."""
    if name == "identity":
        if not isinstance(value, str) or value not in IDENTITIES:
            fail(key, f"expected one of {', '.join(repr(i) for i in IDENTITIES)}, got {value!r}")
        return value
    if name in ("identification", "efficiency"):
        return _number(value, key, fail, 0.0, 1.0)
    if name == "meta_horizon":  # a perceived continuation probability
        return _number(value, key, fail, 0.0, 1.0, high_open=True)
    if name in ("meta_synergy", "multivocality"):
        return _game_value(value, key, fail)
    return _number(value, key, fail, 0.0)


def _game_value(value, key, fail) -> float:
    """A value of the game's scale (a synergy, a benefit, a cost): >= 0 and at most the game's largest."""
    value = _number(value, key, fail, 0.0)
    if value > MAX_GAME_VALUE:
        fail(key, f"expected a number at most {MAX_GAME_VALUE:g}, got {value:g}")
    return value


def _walls(value, key, game, fail):
    """An organisation's Chinese walls: one number in [0, 1], or a table of numbers
    per knowledge domain of the game (domains left out have none)."""
    if isinstance(value, dict):
        if game is None or not game.domains:
            fail(key, "walls per domain need [[game.domains]] (the game has one overlap); give one number")
        names = [d.name for d in game.domains]
        walls = {}
        for name, omega in value.items():
            if name not in names:
                fail(f"{key}.{name}", f"not a domain of the game (domains: {', '.join(names)})")
            walls[name] = _number(omega, f"{key}.{name}", fail, 0.0, 1.0)
        return walls
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(key, f"expected a number in [0, 1] or a table of numbers per domain of the game, got {value!r}")
    return _number(value, key, fail, 0.0, 1.0)


def _network(table, explicit_groups: bool, fail) -> dict:
    _check_keys(table, NETWORK_KEYS, "network.", fail)
    for part in PARTS:  # each part's keys, before anything is built (its values once the people are known)
        if part in table:
            if not isinstance(table[part], dict):
                fail(f"network.{part}", f"expected a table ([network.{part}]), got {table[part]!r}")
            _check_keys(table[part], PART_KEYS[part], f"network.{part}.", fail)
    network = {}
    structure = table.get("structure", "none")
    if structure not in STRUCTURES:
        fail("network.structure", f"expected one of {', '.join(STRUCTURES)}, got {structure!r}")
    network["structure"] = structure
    layout = table.get("groups", "none" if explicit_groups else "one")
    if layout not in GROUP_LAYOUTS:
        fail("network.groups", f"expected one of {', '.join(GROUP_LAYOUTS)}, got {layout!r}")
    network["groups"] = layout
    used = set(STRUCTURE_KEYS[structure])
    if layout == "size":
        used.add("group_size")
    if layout == "clusters":
        used.add("cluster_size")
    for key in sorted(set().union(*STRUCTURE_KEYS.values(), {"group_size"}) - used):
        if key in table:
            users = [s for s, keys in STRUCTURE_KEYS.items() if key in keys]
            needs = (f"structure = {' or '.join(repr(s) for s in users)}" if users else "")
            if key in ("group_size", "cluster_size"):
                layout_needed = "groups = 'size'" if key == "group_size" else "groups = 'clusters'"
                needs = f"{needs} or {layout_needed}" if needs else layout_needed
            fail(f"network.{key}", f"not used here (structure {structure!r}, groups {layout!r}); it is read with "
                                   f"{needs}")
    for key, kind, low, high in (("degree", int, 1, None), ("attachment", int, 1, None),
                                 ("cluster_size", int, 2, None), ("group_size", int, 2, None),
                                 ("prior_rounds", int, 0, None), ("rewiring", float, 0.0, 1.0),
                                 ("bridging", float, 0.0, 1.0), ("congestion", float, 0.0, 1.0),
                                 ("quorum", float, 0.0, 1.0), ("absorption", float, 0.0, 1.0)):
        if key not in used and key not in ("prior_rounds", "congestion", "quorum", "absorption"):
            continue
        value = table.get(key, NETWORK_DEFAULTS[key])
        if kind is int:
            network[key] = _whole(value, f"network.{key}", low, fail)
        else:
            network[key] = _number(value, f"network.{key}", fail, low, high, low_open=key == "quorum")
    if structure == "file":
        file = table.get("file")
        if file is None:
            fail("network.file", "missing: structure = 'file' reads the ties from a file (an edge list or GraphML)")
        if not isinstance(file, str) or not file.strip():
            fail("network.file", f"expected a file name, got {file!r}")
        network["file"] = file
    for key, default in PERSON_DEFAULTS.items():
        network[key] = _person_value(table.get(key, default), f"network.{key}", key, fail)
    return network


def _organisations(entries, network, fail, limited, game=None):
    """The organisations and the people each sends (named ``"<organisation> <k>"``)."""
    from ...networks.structures import organisation_people

    if entries is None:
        fail("organisations", "missing: give at least one [[organisations]] table (name, people, policy)")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fail("organisations", "expected [[organisations]] tables")
    if not entries:
        fail("organisations", "expected at least one [[organisations]] table")
    organisations, people, names, defaults, total = [], [], {}, {}, 0
    for k, entry in enumerate(entries):
        key = f"organisations[{k}]"
        _check_keys(entry, ORGANISATION_KEYS, f"{key}.", fail)
        if "name" not in entry:
            fail(f"{key}.name", "missing: every organisation has a name")
        name = _text(entry["name"], f"{key}.name", fail)
        count = entry.get("count")
        if count is not None:  # held to the people limit before any name is made
            count = _whole(count, f"{key}.count", 1, fail)
            limited(f"{key}.count", "people", count, f"count={count:,} organisations")
        copies = [name] if count is None else [f"{name} {j}" for j in range(1, count + 1)]
        sizes = entry.get("people", 1)
        if isinstance(sizes, list):
            if len(sizes) != len(copies):
                fail(f"{key}.people", f"expected one number per organisation ({len(copies)}), got {len(sizes)}")
            sizes = [_whole(s, f"{key}.people[{j}]", 0, fail) for j, s in enumerate(sizes)]
        else:
            sizes = [_whole(sizes, f"{key}.people", 0, fail)] * len(copies)
        total += sum(sizes)
        limited(f"{key}.people", "people", total, "the network's organisations")
        absorption = _number(entry.get("absorption", network["absorption"]), f"{key}.absorption", fail, 0.0, 1.0)
        walls = _walls(entry["walls"], f"{key}.walls", game, fail) if "walls" in entry else 0.0
        values = {v: _person_value(entry.get(v, network[v]), f"{key}.{v}", v, fail) for v in PERSON_DEFAULTS}
        policy = None
        if "policy" in entry:
            if not isinstance(entry["policy"], dict):
                fail(f"{key}.policy", f"expected a player table such as {{ strategy = \"Peer\" }}, "
                                      f"got {entry['policy']!r}")
            policy = _player(entry["policy"], f"{key}.policy", fail)
        elif sum(sizes):
            fail(f"{key}.policy", "missing: the organisation's people need a strategy to play "
                                  "(a player table such as { strategy = \"Peer\" })")
        for j, (copy, size) in enumerate(zip(copies, sizes)):
            if copy in names:
                fail(f"{key}.name", f"{copy!r} is already the name of organisations[{names[copy]}]")
            names[copy] = k
            defaults[copy] = values
            own = policy if (policy is None or j == 0) else policy.clone()
            organisations.append(Organisation(copy, policy=own, absorption=absorption, walls=walls))
            for person, _ in (organisation_people([copy], size) if size else ()):
                people.append(Person(person, organisations=(copy,), **values))
    return organisations, people, defaults


def _people(entries, organisations, defaults, generated: int, fail, limited):
    """``[[people]]``: explicit people, each with the groups it joins."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fail("people", "expected [[people]] tables")
    limited("people", "people", generated + len(entries), "the network's organisations and [[people]]")
    known = {o.name: o for o in organisations}
    people = []
    for k, entry in enumerate(entries):
        key = f"people[{k}]"
        _check_keys(entry, PERSON_KEYS, f"{key}.", fail)
        if "name" not in entry:
            fail(f"{key}.name", "missing: every person has a name")
        name = _text(entry["name"], f"{key}.name", fail)
        if "organisations" not in entry:
            fail(f"{key}.organisations", "missing: name the organisation(s) the person works for")
        orgs = entry["organisations"]
        if isinstance(orgs, str):
            orgs = [orgs]
        if not isinstance(orgs, list) or not orgs or not all(isinstance(o, str) for o in orgs):
            fail(f"{key}.organisations", f"expected a list of organisation names, got {entry['organisations']!r}")
        for j, org in enumerate(orgs):
            if org not in known:
                fail(f"{key}.organisations[{j}]", f"unknown organisation {org!r}{_known(known)}")
        if len(set(orgs)) != len(orgs):
            fail(f"{key}.organisations", "an organisation is listed twice")
        strategy = entry.get("strategy")
        if isinstance(strategy, str):
            strategy = {"strategy": strategy}
        if strategy is not None:
            if not isinstance(strategy, dict):
                fail(f"{key}.strategy", f"expected a strategy name or a player table, got {strategy!r}")
            strategy = _player(strategy, f"{key}.strategy", fail)
        elif known[orgs[0]].policy is None:
            fail(f"{key}.strategy", f"missing: organisation {orgs[0]!r} has no policy for the person to follow")
        values = {}
        for v in PERSON_DEFAULTS:
            if v in entry:
                values[v] = _person_value(entry[v], f"{key}.{v}", v, fail)
            else:  # the first organisation's value, which already fell back on [network]'s
                values[v] = defaults[orgs[0]][v]
        groups = entry.get("groups", [])
        if isinstance(groups, str):
            groups = [groups]
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            fail(f"{key}.groups", f"expected a list of group names, got {entry['groups']!r}")
        people.append((Person(name, organisations=tuple(orgs), strategy=strategy, **values), groups))
    return people


def _known(names) -> str:
    names = list(names)
    if not names:
        return ""
    shown = ", ".join(repr(n) for n in names[:6])
    return f" (known: {shown}{', ...' if len(names) > 6 else ''})"


def _between(entry, key, known, kind, fail) -> tuple[str, str]:
    between = entry.get("between")
    if between is None:
        fail(f"{key}.between", f"missing: name the two {kind}s, e.g. between = [\"A\", \"B\"]")
    if not isinstance(between, list) or len(between) != 2 or not all(isinstance(b, str) for b in between):
        fail(f"{key}.between", f"expected two {kind} names, got {between!r}")
    for j, name in enumerate(between):
        if name not in known:
            fail(f"{key}.between[{j}]", f"unknown {kind} {name!r}{_known(known)}")
    if between[0] == between[1]:
        fail(f"{key}.between", f"names the same {kind} twice ({between[0]!r})")
    return between[0], between[1]


def _pair(u, v):
    return (u, v) if u <= v else (v, u)


def _tie_entries(entries, names, default_prior, fail, limited):
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fail("ties", "expected [[ties]] tables (between, prior_rounds)")
    ties, seen = [], {}
    for k, entry in enumerate(entries):
        key = f"ties[{k}]"
        _check_keys(entry, TIE_KEYS, f"{key}.", fail)
        u, v = _between(entry, key, names, "person", fail)
        prior = _whole(entry.get("prior_rounds", default_prior), f"{key}.prior_rounds", 0, fail)
        limited(f"{key}.prior_rounds", "match_rounds", prior, f"prior_rounds={prior}")
        pair = _pair(u, v)
        if pair in seen:
            fail(f"{key}.between", f"the tie {u!r}-{v!r} is already ties[{seen[pair]}]")
        seen[pair] = k
        ties.append((u, v, prior))
    return ties


def _tie_estimate(network, n: int) -> float:
    """The ties a structure makes over ``n`` people, from its parameters (before making them)."""
    kind = network["structure"]
    if kind == "complete":
        return n * (n - 1) / 2
    if kind in ("regular", "small_world"):
        return n * min(network["degree"], n - 1) / 2
    if kind == "scale_free":
        m = min(network["attachment"], n - 1)
        return m * (n - m)
    if kind == "clustered":
        size = min(network["cluster_size"], n)
        return n * (size - 1) / 2
    return 0  # none; a file's ties are counted as it is read


def _pairs_estimate(layout, size, n) -> float:
    if layout == "none" or size < 2:
        return 0
    if layout == "one":
        return n * (n - 1) / 2
    return n * (size - 1) / 2


def _group_entries(entries, explicit, names, fail, limited):
    """``[[groups]]`` with the members the people's own ``groups`` keys add."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fail("groups", "expected [[groups]] tables (name, members)")
    groups, index = [], {}
    for k, entry in enumerate(entries):
        key = f"groups[{k}]"
        _check_keys(entry, GROUP_KEYS, f"{key}.", fail)
        if "name" not in entry:
            fail(f"{key}.name", "missing: every group has a name")
        name = _text(entry["name"], f"{key}.name", fail)
        if name in index:
            fail(f"{key}.name", f"{name!r} is already the name of groups[{index[name]}]")
        index[name] = k
        members = entry.get("members", [])
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            fail(f"{key}.members", f"expected a list of people's names, got {members!r}")
        for j, member in enumerate(members):
            if member not in names:
                fail(f"{key}.members[{j}]", f"unknown person {member!r}{_known(names)}")
        if len(set(members)) != len(members):
            fail(f"{key}.members", "a person is listed twice")
        groups.append((name, list(members)))
    for k, (person, joins) in enumerate(explicit):
        for j, group in enumerate(joins):
            if group not in index:
                fail(f"people[{k}].groups[{j}]", f"unknown group {group!r}{_known(index)}")
            members = groups[index[group]][1]
            if person.name in members:
                fail(f"people[{k}].groups[{j}]", f"{person.name!r} is already a member of group {group!r}")
            members.append(person.name)
    for k, (name, members) in enumerate(groups):
        if len(members) < 2:
            fail(f"groups[{k}].members", f"a group needs at least two people, got {len(members)}")
        limited(f"groups[{k}].members", "group_size", len(members), f"group {name!r}")
    return groups


def _overlaps(entries, organisations, fail) -> dict:
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fail("overlaps", "expected [[overlaps]] tables (between, overlap)")
    known = {o.name for o in organisations}
    overlaps, seen = {}, {}
    for k, entry in enumerate(entries):
        key = f"overlaps[{k}]"
        _check_keys(entry, OVERLAP_KEYS, f"{key}.", fail)
        pair = _between(entry, key, known, "organisation", fail)
        if "overlap" not in entry:
            fail(f"{key}.overlap", "missing: the competitive overlap of the two organisations, in [0, 1]")
        if _pair(*pair) in seen:
            fail(f"{key}.between", f"the pair is already overlaps[{seen[_pair(*pair)]}]")
        seen[_pair(*pair)] = k
        overlaps[pair] = _number(entry["overlap"], f"{key}.overlap", fail, 0.0, 1.0)
    return overlaps


def _structure_ties(network, names, seed, fail) -> list[tuple[str, str]]:
    """The generated structure's ties (:func:`~learning_dilemma.networks.structures.structure`)."""
    kind = network["structure"]
    if kind == "none":
        return []
    from ...networks import structures

    params = {_GENERATOR_NAMES.get(key, key): network[key] for key in STRUCTURE_KEYS[kind]}
    try:
        return structures.structure(kind, names, seed, key="network", **params)
    except ResourceLimitError:
        raise
    except ParameterError as error:
        fail(*_generator_key(str(error)))


# The generators' parameter names where they differ from the [network] keys.
_GENERATOR_NAMES = {"cluster_size": "size"}
_NETWORK_NAMES = {"size": "cluster_size"}


def _generator_key(message: str) -> tuple[str, str]:
    """``(key, message)`` of a generator's complaint: ``"network.degree must be ..."``
    names ``network.degree`` (``network.size`` is ``network.cluster_size``)."""
    first, _, rest = message.partition(" ")
    if first.startswith("network.") and rest:
        name = first.rstrip(":").split(".", 1)[1]
        return f"network.{_NETWORK_NAMES.get(name, name)}", rest
    return "network.structure", message


def _read_file(file, path, fail):
    """The user's network file (relative to the scenario's folder) as a networkx graph."""
    from ...networks.readwrite import read_graph

    base = path.parent if path is not None else Path(".")
    target = Path(file) if Path(file).is_absolute() else base / file
    if not target.is_file():
        fail("network.file", f"{target}: no such file")
    return read_graph(target), target  # its errors name the file and the line or key


def _file_people(graph, people, organisations, target, fail) -> list:
    """People that only the file names: nodes with an ``organisation`` attribute
    (:func:`~learning_dilemma.networks.readwrite.from_graph` reads them);
    a node with neither a person of the scenario nor an organisation is refused."""
    from ...networks.readwrite import from_graph

    known = {p.name for p in people}
    new = [node for node in graph.nodes if str(node) not in known]
    if not new:
        return []
    for node in new:
        data = graph.nodes[node]
        if not any(data.get(a) not in (None, "", [], ()) for a in ("organisation", "organisations")):
            fail("network.file", f"{target}: node {str(node)!r} is not a person of the scenario and has no "
                                 f"organisation attribute{_known(sorted(known))}")
    alone = graph.subgraph(new).copy()
    alone.remove_edges_from(list(alone.edges))
    try:
        return list(from_graph(alone, organisations, groups=(), overlaps={}, source=str(target)).people)
    except ParameterError as error:
        fail("network.file", str(error))


def _graph_ties(graph, default_prior, target, fail, limited):
    """``(u, v, prior)`` of each edge; an edge without ``prior`` gets ``network.prior_rounds``.
    A directed graph's two directions (or a multigraph's parallel edges) are one tie."""
    ties, at = [], {}
    for u, v, data in graph.edges(data=True):
        u, v = str(u), str(v)
        where = f"{target}: edge {u!r}-{v!r}"
        if u == v:
            fail("network.file", f"{where}: a tie of a person with themselves")
        prior = data.get("prior", default_prior)
        if isinstance(prior, str) and prior.strip().isdigit():
            prior = int(prior)
        if isinstance(prior, float) and prior.is_integer():
            prior = int(prior)
        if isinstance(prior, bool) or not isinstance(prior, int) or prior < 0:
            fail("network.file", f"{where}: prior must be a whole number >= 0, got {prior!r}")
        limited("network.file", "match_rounds", prior, f"{where}: prior={prior}")
        pair = _pair(u, v)
        if pair in at:
            if ties[at[pair]][2] != prior:
                fail("network.file", f"{where}: prior {prior} differs from the same tie's other edge "
                                     f"({ties[at[pair]][2]})")
            continue
        at[pair] = len(ties)
        ties.append((u, v, prior))
    return ties


def _layout_groups(network, names, seed, fail) -> list:
    """The groups of ``network.groups`` (:mod:`~learning_dilemma.networks.structures` layouts)."""
    layout = network["groups"]
    if layout == "none":
        return []
    from ...networks import structures

    try:
        if layout == "one":
            return structures.one_group(names)
        if layout == "size":
            return structures.groups_of(names, network["group_size"], seed, key="network.group_size")
        return structures.cluster_groups(names, network["cluster_size"], seed, key="network.cluster_size")
    except ResourceLimitError:
        raise
    except ParameterError as error:
        message = str(error)
        for key in ("network.group_size", "network.cluster_size"):
            if message.startswith(key):
                fail(key, message[len(key):].lstrip(": "))
        fail("network.groups", message)


def _group_game(network, fail):
    from ...games.group import GroupGame

    try:
        return GroupGame(congestion=network["congestion"], quorum=network["quorum"])
    except ParameterError as error:
        message = str(error)
        for key in ("congestion", "quorum"):
            if message.startswith((f"group.{key}", key)):
                fail(f"network.{key}", message.split(" ", 1)[1] if " " in message else message)
        fail("network", message)


def _population_key(message: str) -> tuple[str, str]:
    """``(key, rest)`` for the few problems only :class:`Population` sees."""
    first, _, rest = message.partition(" ")
    if first.rstrip(":").startswith(("ties[", "groups[", "overlaps")):
        return first.rstrip(":"), rest
    return "network", message


# --- the parts beyond the play (issues 17 and 18) ---------------------------------

def _parts(table: dict, population: Population, game: LearningGame, rounds: int, repetitions: int, fail,
           limited, families=None) -> dict:
    """Each part's resolved arguments (None where its table is absent), its
    resource limits checked from its numbers before it runs. ``families``:
    an ``[[organisations]]`` entry's name with ``count`` and its copies' names
    (a part may name the entry for all of them)."""
    names = _Names(population, families or {})
    readers = {"partner_choice": _partner_choice, "reputation": _reputation, "dynamics": _dynamics,
               "selection": _selection}
    out = {}
    for part in PARTS:
        if part in table:
            out[part] = readers[part](table[part], population, game, rounds, repetitions, fail, limited, names)
    return out


def _part_key(part: str, message: str) -> tuple[str, str]:
    """``(key, rest)`` of a part's run-time complaint: ``"intensity: ..."`` of the
    dynamics names ``network.dynamics.delta``; others name the part's table."""
    first, _, rest = message.partition(" ")
    name = first.rstrip(":").split("[")[0]
    name = {"intensity": "delta"}.get(name, name) if part == "dynamics" else name
    if rest and name in PART_KEYS[part]:
        return f"network.{part}.{name}", rest
    return f"network.{part}", message


def _choice_of(value, key, options, fail) -> str:
    if not isinstance(value, str) or value not in options:
        fail(key, f"expected one of {', '.join(repr(o) for o in options)}, got {value!r}")
    return value


class _Names:
    """People named in a part's table: by their own names, their organisations'
    (each of its people, in the population's order) or a counted
    ``[[organisations]]`` entry's (each person of each copy)."""

    def __init__(self, population: Population, families: dict):
        self.population, self.families = population, families

    def people_of(self, name: str):
        """``[name]`` for a person, the people of an organisation or a counted entry, None for neither."""
        population = self.population
        if name in population.person_index:
            return [name]
        if name in population.organisation_index:
            return [p.name for p in population.people if name in p.organisations]
        if name in self.families:
            copies = set(self.families[name])
            return [p.name for p in population.people if copies & set(p.organisations)]
        return None

    def named(self, value, key, fail) -> list[str]:
        """The people a list of names names, each once."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(key, f"expected a list of people's or organisations' names, got {value!r}")
        population, people = self.population, []
        for j, name in enumerate(value):
            found = self.people_of(name)
            if found is None:
                known = list(population.person_index) + list(population.organisation_index) + list(self.families)
                fail(f"{key}[{j}]", f"unknown person or organisation {name!r}{_known(known)}")
            for person in found:
                if person in people:
                    fail(f"{key}[{j}]", f"{person!r} is already named (a person listed twice, or through their "
                                        f"organisation)")
                people.append(person)
        return people


def _neighbours(population: Population) -> list[list[int]]:
    out = [[] for _ in range(population.n_people)]
    for u, v in population.tie_people:
        out[int(u)].append(int(v))
        out[int(v)].append(int(u))
    return out


def _partner_choice(table, population, game, rounds, repetitions, fail, limited, names) -> dict:
    """``[network.partner_choice]``: :func:`~learning_dilemma.networks.partner_choice.choose_partners`'s arguments."""
    from ...limits import expected_length
    from ...networks.partner_choice import DEFAULT_ENGAGEMENT_TURNS, RULES

    prefix = "network.partner_choice"

    def k(name):
        return f"{prefix}.{name}"

    options = {"rounds": _whole(table.get("rounds", rounds), k("rounds"), 1, fail)}
    limited(k("rounds"), "match_rounds", options["rounds"], f"rounds={options['rounds']}")
    for name, default in (("arrival", 1.0), ("exploration", 0.0), ("adjustment", 0.5)):
        options[name] = _number(table.get(name, default), k(name), fail, 0.0, 1.0)
    if "turns" in table and "continuation" in table:
        fail(k("continuation"), "give either turns (a fixed engagement length) or continuation (a geometric one)")
    if "continuation" in table:
        turns, continuation = None, _number(table["continuation"], k("continuation"), fail, 0.0, 1.0, high_open=True)
    else:
        turns, continuation = _whole(table.get("turns", DEFAULT_ENGAGEMENT_TURNS), k("turns"), 1, fail), None
    options["turns"], options["continuation"] = turns, continuation
    length = expected_length(turns, continuation)
    limited(k("turns" if turns is not None else "continuation"), "match_rounds", length,
            f"turns={turns}" if turns is not None else f"continuation={continuation!r} (mean engagement length "
                                                        f"1/(1-w))")
    options["rule"] = _choice_of(table.get("rule", "greedy"), k("rule"), RULES, fail)
    options["temperature"] = _number(table.get("temperature", 1.0), k("temperature"), fail, 0.0, low_open=True)
    options["loner"] = _typed(table.get("loner", True), bool, k("loner"), fail)
    # candidates: decision-maker (person or organisation) -> people (or organisations)
    everyone = [p.name for p in population.people]
    lists = {}
    if "candidates" in table:
        given = table["candidates"]
        if not isinstance(given, dict) or not given:
            fail(k("candidates"), f"expected a table of decision-makers and their candidates, e.g. "
                                  f"candidates = {{ \"ITCOM\" = [\"Insys\", \"Bencons\"] }}, got {given!r}")
        for who, listed in given.items():
            key = f"{k('candidates')}.{who}"
            deciders = names.people_of(who)
            if deciders is None:
                fail(key, f"unknown person or organisation {who!r}")
            chosen = names.named(listed, key, fail)
            if not chosen:
                fail(key, "expected at least one candidate")
            for person in deciders:
                if person in lists:
                    fail(key, f"{person!r} already has candidates (a person given twice, or through their "
                              f"organisation)")
                if person in chosen:
                    fail(key, f"{person!r} is among their own candidates (a decision-maker cannot choose "
                              f"themselves)")
                lists[person] = chosen
    neighbours = _neighbours(population)
    if "decision_makers" in table:
        deciders = names.named(table["decision_makers"], k("decision_makers"), fail)
        if not deciders:
            fail(k("decision_makers"), "expected at least one person or organisation")
    else:
        deciders = list(lists) if lists else [everyone[p] for p in range(population.n_people) if neighbours[p]]
    if not deciders:
        fail(prefix, "nobody has a candidate: the population has no ties; give decision_makers and candidates")
    widths = []
    for person in deciders:
        count = len(lists[person]) if person in lists else len(neighbours[population.person_index[person]])
        if not count:
            fail(k("decision_makers"), f"{person!r} has no candidates (no ties, and none in candidates)")
        widths.append(count)
    # None: the module's default (the candidates' decision-makers, else everyone with a tie), in its order
    options["decision_makers"] = deciders if "decision_makers" in table else None
    options["candidates"] = lists or None
    # priors: one number, or a number per candidate (person or organisation)
    default_prior = float(game.rstp()[0])
    prior = table.get("prior", default_prior)
    if isinstance(prior, dict):
        values = {}
        for who, value in prior.items():
            people = names.people_of(who)
            if people is None:
                fail(f"{k('prior')}.{who}", f"unknown person or organisation {who!r}")
            number = _number(value, f"{k('prior')}.{who}", fail)
            for person in people:
                values[person] = number
        prior = values
    else:
        prior = _number(prior, k("prior"), fail)
    options["prior"] = prior
    D, width, t = len(deciders), max(widths), options["rounds"]
    limited(prefix, "rounds", D * t * length, f"{D:,} decision-makers x rounds={t} x {length:,.0f} rounds an "
                                              f"engagement")
    limited(prefix, "match_rounds", (t + 1) * D * width,
            f"rounds={t} x {D:,} decision-makers x {width:,} candidates (estimates held in memory)")
    return options


def _reputation(table, population, game, rounds, repetitions, fail, limited, names) -> dict:
    """``[network.reputation]``: :func:`~learning_dilemma.networks.reputation.simulate_reputation`'s arguments."""
    from ...networks.reputation import ASSESSMENTS, OBSERVATIONS, PAIRINGS, STRATEGIES, as_norm

    prefix = "network.reputation"

    def k(name):
        return f"{prefix}.{name}"

    options = {}
    norm = table.get("norm", "stern judging")
    if not isinstance(norm, str):
        fail(k("norm"), f"expected a norm's name, got {norm!r}")
    try:
        options["norm"] = as_norm(norm).name
    except ParameterError as error:
        fail(k("norm"), str(error).split(": ", 1)[-1])
    strategies = table.get("strategies", "DISC")
    if isinstance(strategies, str):
        if strategies not in STRATEGIES:
            fail(k("strategies"), f"expected one of {', '.join(STRATEGIES)} or a table of shares, got {strategies!r}")
    elif isinstance(strategies, dict):
        if not strategies:
            fail(k("strategies"), "expected at least one strategy's share")
        for name, share in strategies.items():
            if name not in STRATEGIES:
                fail(f"{k('strategies')}.{name}", f"unknown strategy (known: {', '.join(STRATEGIES)})")
            _number(share, f"{k('strategies')}.{name}", fail, 0.0, 1.0)
        total = sum(float(v) for v in strategies.values())
        if abs(total - 1.0) > 1e-9:
            fail(k("strategies"), f"the shares must sum to 1, got {total:g}")
        strategies = {name: float(share) for name, share in strategies.items()}
    else:
        fail(k("strategies"), f"expected a strategy name ({', '.join(STRATEGIES)}) or a table of shares, "
                              f"got {strategies!r}")
    options["strategies"] = strategies
    for name in ("execution_error", "assessment_error"):
        options[name] = _number(table.get(name, 0.0), k(name), fail, 0.0, 1.0)
    observation = table.get("observation", "all")
    if isinstance(observation, str):
        _choice_of(observation, k("observation"), OBSERVATIONS, fail)
    else:
        observation = _number(observation, k("observation"), fail, 0.0, 1.0)
    options["observation"] = observation
    options["assessment"] = _choice_of(table.get("assessment", "public"), k("assessment"), ASSESSMENTS, fail)
    options["pairing"] = _choice_of(table.get("pairing", "random"), k("pairing"), PAIRINGS, fail)
    if observation == "neighbours" and options["assessment"] != "private":
        fail(k("observation"), "'neighbours' needs assessment = 'private' (a public image is one view shared by "
                               "everyone)")
    for key, value in (("pairing", options["pairing"] == "ties"), ("observation", observation == "neighbours")):
        if value and not population.n_ties:
            fail(k(key), f"{options[key]!r} reads the network's ties, and it has none (set network.structure)")
    options["rounds"] = _whole(table.get("rounds", rounds), k("rounds"), 1, fail)
    options["repetitions"] = _whole(table.get("repetitions", repetitions), k("repetitions"), 1, fail)
    options["burn_in"] = _whole(table.get("burn_in", 0), k("burn_in"), 0, fail)
    if options["burn_in"] >= options["rounds"]:
        fail(k("burn_in"), f"expected fewer than rounds={options['rounds']}, got {options['burn_in']}")
    for name, default in (("benefit", game.learning_benefit), ("cost", game.leak)):
        options[name] = _game_value(table.get(name, default), k(name), fail)
    n = population.n_people
    limited(prefix, "rounds", float(options["repetitions"]) * options["rounds"] * n,
            f"repetitions={options['repetitions']} x rounds={options['rounds']} x {n:,} donors")
    if options["assessment"] == "private":
        limited(k("assessment"), "ties", float(n) * (n - 1), f"private assessment of {n:,} people (one image per "
                                                             f"ordered pair)")
    return options


def _dynamics(table, population, game, rounds, repetitions, fail, limited, names) -> dict:
    """``[network.dynamics]``: :func:`~learning_dilemma.networks.dynamics.evolve_network`'s arguments."""
    import numpy as np

    from ...networks.dynamics import FITNESS, KEYINGS, RESTARTS, RULES

    prefix = "network.dynamics"

    def k(name):
        return f"{prefix}.{name}"

    if not population.n_ties:
        fail(prefix, "the network has no ties to play and imitate along (set network.structure or [[ties]])")
    options = {"rule": _choice_of(table.get("rule", "pairwise"), k("rule"), RULES, fail),
               "delta": _number(table.get("delta", 1.0), k("delta"), fail, 0.0),
               "mutation": _number(table.get("mutation", 0.0), k("mutation"), fail, 0.0, 1.0),
               "rate": _number(table.get("rate", 0.01), k("rate"), fail, 0.0, 1.0),
               "memory": _whole(table.get("memory", 1), k("memory"), 1, fail),
               "rounds": _whole(table.get("rounds", rounds), k("rounds"), 1, fail),
               "repetitions": _whole(table.get("repetitions", repetitions), k("repetitions"), 1, fail),
               "fitness": _choice_of(table.get("fitness", "linear"), k("fitness"), FITNESS, fail),
               "restart": _choice_of(table.get("restart", "relation"), k("restart"), RESTARTS, fail),
               "keying": _choice_of(table.get("keying", "round"), k("keying"), KEYINGS, fail),
               "every": _whole(table.get("every", 1), k("every"), 1, fail)}
    # the roster: the strategies that can spread
    if "strategies" in table:
        entries = table["strategies"]
        if not isinstance(entries, list) or not entries:
            fail(k("strategies"), f"expected a list of strategies (names or player tables), got {entries!r}")
        roster = []
        for j, entry in enumerate(entries):
            key = f"{k('strategies')}[{j}]"
            entry = {"strategy": entry} if isinstance(entry, str) else entry
            if not isinstance(entry, dict):
                fail(key, f"expected a strategy name or a player table, got {entry!r}")
            entry = dict(entry)
            label = entry.pop("label", None)
            player = _player(entry, key, fail)
            if label is not None:
                player.labelled(_text(label, f"{key}.label", fail).strip())
            roster.append(player)
    else:
        roster = list(dict.fromkeys(population.players()))
    labels = {}
    for j, player in enumerate(roster):
        key = f"{k('strategies')}[{j}]" if "strategies" in table else k("strategies")
        if not player.is_automaton:
            fail(key, f"{player.label} is not an automaton (the dynamics play library strategies and other automata)")
        if player.label in labels:
            fail(key, f"{player.label} is already strategies[{labels[player.label]}] (give each a label)")
        labels[player.label] = j
    options["strategies"] = roster
    # each person's strategy at the start: their own, unless start names another
    starts = {}
    if "start" in table:
        given = table["start"]
        if not isinstance(given, dict):
            fail(k("start"), f"expected a table of people or organisations and their strategies, got {given!r}")
        for who, strategy in given.items():
            key = f"{k('start')}.{who}"
            people = names.people_of(who)
            if people is None:
                fail(key, f"unknown person or organisation {who!r}")
            index = _roster_entry(strategy, roster, key, fail)
            for person in people:
                if person in starts:
                    fail(key, f"{person!r} already has a start (a person given twice, or through their organisation)")
                starts[person] = index
    start = np.empty(population.n_people, dtype=np.int64)
    for p, (person, player) in enumerate(zip(population.people, population.players())):
        if person.name in starts:
            start[p] = starts[person.name]
            continue
        match = next((j for j, entry in enumerate(roster) if entry == player), None)
        if match is None:
            fail(k("strategies"), f"person {person.name!r} plays {player.label}, which is not in the roster; add it "
                                  f"to network.dynamics.strategies or give the person a start (network.dynamics.start)")
        start[p] = match
    options["start"] = {who: roster[index].label for who, index in starts.items()} if starts else "own"
    options["_start"] = start
    N, E, K, G, S = (population.n_people, population.n_ties, population.n_organisations, len(population.groups),
                     len(roster))
    t, r, memory = options["rounds"], options["repetitions"], options["memory"]
    limited(k("rounds"), "match_rounds", t, f"rounds={t}")
    limited(prefix, "rounds", E * r * t, f"{E:,} ties x repetitions={r} x rounds={t}")
    limited(prefix, "match_rounds", r * (t + 1) * (K + G + 1) * S,
            f"repetitions={r} x {t + 1:,} times x {K + G + 1:,} units x {S} strategies (held in memory)")
    limited(k("memory"), "match_rounds", memory * r * N, f"memory={memory} x repetitions={r} x {N:,} people")
    if options["keying"] == "tie":
        limited(k("keying"), "match_rounds", E * r * t,
                f"keying='tie': {E:,} ties x repetitions={r} x rounds={t} of draws held in memory")
    return options


def _roster_entry(value, roster, key, fail) -> int:
    """The roster entry a start names: by label, else by strategy name if only one entry has it."""
    if not isinstance(value, str):
        fail(key, f"expected a strategy of network.dynamics.strategies by label or name, got {value!r}")
    for j, player in enumerate(roster):
        if player.label == value:
            return j
    named = [j for j, player in enumerate(roster) if player.name == value]
    if len(named) == 1:
        return named[0]
    labels = ", ".join(repr(p.label) for p in roster)
    if named:
        fail(key, f"{value!r} names {len(named)} strategies of the roster; use a label ({labels})")
    fail(key, f"{value!r} is not in network.dynamics.strategies ({labels})")


def _selection(table, population, game, rounds, repetitions, fail, limited, names) -> dict:
    """``[network.selection]``: :func:`~learning_dilemma.networks.selection.simulate_population`'s arguments."""
    import copy
    import dataclasses as dc

    from ...networks.selection import FITNESS, MAX_GROUP_SIZE, MultilevelSelection
    from ...strategies.classic import Cooperator, Defector

    prefix = "network.selection"

    def k(name):
        return f"{prefix}.{name}"

    groups = population.groups
    if len(groups) < 2:
        fail(prefix, f"multilevel selection needs at least two groups, the network has {len(groups)} "
                     f"(set network.groups or [[groups]])")
    largest = max(len(g.members) for g in groups)
    options = {"q": _number(table.get("q", 0.1), k("q"), fail, 0.0, 1.0),
               "w": _number(table.get("w", 0.1), k("w"), fail, 0.0),
               "steps": _whole(table.get("steps", 1000), k("steps"), 1, fail),
               "runs": _whole(table.get("runs", repetitions), k("runs"), 1, fail),
               "fitness": _choice_of(table.get("fitness", "linear"), k("fitness"), FITNESS, fail),
               "n": _whole(table.get("n", largest), k("n"), 2, fail)}
    options["record_every"] = _whole(table.get("record_every", max(1, options["steps"] // 100)),
                                     k("record_every"), 1, fail)
    if options["n"] < largest:
        fail(k("n"), f"expected at least the largest group ({largest} members), got {options['n']}")
    if options["n"] > MAX_GROUP_SIZE:
        fail(k("n") if "n" in table else prefix,
             f"groups of at most {MAX_GROUP_SIZE} people (a split draws one of 2^(n+1) cuts), got {options['n']}")
    for name, default in (("benefit", game.learning_benefit), ("cost", game.leak)):
        options[name] = _game_value(table.get(name, default), k(name), fail)
    limited(k("n"), "group_size", options["n"], f"n={options['n']}")
    limited(prefix, "population", options["n"] * len(groups), f"n x groups = {options['n']} x {len(groups)}")
    try:  # the model's own checks (w and the fitness it gives the lowest payoff), before anything runs
        MultilevelSelection(options["n"], len(groups), options["q"], options["w"],
                            donation_limit(game, options["benefit"], options["cost"]), options["fitness"])
    except ParameterError as error:
        message = str(error)
        name = message.split(" ", 1)[0].rstrip(":")
        fail(k(name) if name in SELECTION_KEYS else prefix, message.split(" ", 1)[1] if name in SELECTION_KEYS
             else message)
    steps, runs = options["steps"], options["runs"]
    limited(k("steps"), "generations", steps, f"steps={steps} steps of one run")
    records = steps // options["record_every"] + 1
    limited(prefix, "generations", runs * records * (len(groups) * 2 + population.n_organisations * 2 + 1),
            f"runs={runs} x {records} records of the shares")
    # who gives: the people named (or their organisations'), or everyone's own Cooperator or Defector
    if "givers" in table:
        givers = set(names.named(table["givers"], k("givers"), fail))
        people = [dc.replace(p, strategy=Cooperator() if p.name in givers else Defector()) for p in population.people]
        options["givers"] = [p.name for p in population.people if p.name in givers]
    else:
        for person, player in zip(population.people, population.players()):
            if not isinstance(player, (Cooperator, Defector)):
                fail(k("givers"), f"person {person.name!r} plays {player.label}; multilevel selection plays the "
                                  f"donation game's Cooperator and Defector: name the givers "
                                  f"(network.selection.givers = [people or organisations]) and everyone else takes")
        people = list(population.people)
        options["givers"] = "own"
    selected = copy.copy(population)  # the same structure, with the givers' and takers' strategies
    selected.people = tuple(people)
    options["_population"] = selected
    return options

