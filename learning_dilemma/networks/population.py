"""Organisations, the people they send, the ties between people, and groups.

The seeds' unit of analysis is the knowledge-sharing network: a long-term group
of people from rival organisations with a shared professional identity (seed
001, s.4). KITe is one network of twelve commercial organisations, each sending
one to four people; Delta has several small networks across five institutes,
some of whose people work for more than one of them (seed 001, s.6). A
:class:`Population` holds that structure as arrays the engines index:

- **organisations** (:class:`Organisation`): a name, a *policy* (the strategy its
  people follow unless they have their own) and an *absorption* rate ``alpha``
  (the share of what its people learn that reaches it, :mod:`..games.levels`);
- **people** (:class:`Person`): a name, one or more organisations (overlapping
  memberships), an optional strategy of their own, and the person-level
  parameters of :mod:`..games.levels` (identification, recognition, salient
  identity and its weight);
- **ties** between people, each with the prior rounds of mutual giving that
  start its tie strength (:func:`~learning_dilemma.games.initial_tie`); along a
  tie the two people play the pairwise learning game;
- **groups** (knowledge-sharing networks proper): sets of at least two people
  who play the n-party group game (:mod:`..games.group`).

Identity coping (seed 000, s.5.3; :mod:`.coping`) is structure here, each value
off by default (so a population without them plays as before, bit for bit): an
organisation's Chinese ``walls`` per knowledge domain; a person's attention
``efficiency`` in groups (avoidance for efficiency), a meta-identity's perceived
horizon and synergy (``meta_horizon``, ``meta_synergy``), and the private value
of mutual giving under multi-vocality (``multivocality``).

Rivalry between people comes from their organisations (our choice, stated in
``docs/networks.md``): the overlap of two different organisations is the game's
competitive overlap unless ``overlaps`` says otherwise, and an organisation does
not compete with itself. A person in several organisations counts each equally
(weight ``1/m``): the overlap between two people is the mean over their
organisations' pairs, their absorption the mean of their organisations' rates,
and each of their organisations is paid ``1/m`` of what their relations bring
it. Two people who share an employer are less rivals for it, as Delta's
respondents say of overlapping memberships.

Indices follow the order given; ties are stored with the smaller index first,
sorted, so their draws (addressed by the two people, :func:`~learning_dilemma.seeding.tie_key`)
never depend on the order the ties were listed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_number
from ..errors import ParameterError
from ..games.learning import MAX_GAME_VALUE
from ..games.levels import IDENTITIES, prescription
from ..limits import check
from ..players.player import Player

__all__ = ["Group", "Organisation", "Person", "Population"]


def _name(value, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"{key} must be a non-empty string, got {value!r}")
    return value


@dataclass(frozen=True)
class Organisation:
    """An organisation of the network.

    Parameters
    ----------
    name : str
    policy : Player, optional
        The strategy its people play unless they have their own (the
        organisation's prescription of how to behave in the network).
    absorption : float
        ``alpha`` in [0, 1]: the share of its people's learning that reaches it
        (1: all of it; KITe's uncommitted members: little).
    walls : float or mapping of str to float
        Its Chinese walls ``omega`` in [0, 1]: how much of what its people learn
        in the network is kept from its competing units (seed 000 s.5.3, ITCOM's
        walls between hardware and software and its services). One value for
        every knowledge domain, or a value per domain of the game's
        ``domains`` by name (domains left out have no wall). Default 0: no wall
        (:mod:`.coping`).
    """

    name: str
    policy: Player | None = None
    absorption: float = 1.0
    walls: object = 0.0

    def __post_init__(self):
        _name(self.name, "organisation name")
        if self.policy is not None and not isinstance(self.policy, Player):
            raise ParameterError(f"organisation {self.name!r}: policy must be a Player, got {self.policy!r}")
        check_number(f"organisation {self.name!r}: absorption", self.absorption, 0.0, 1.0)
        key = f"organisation {self.name!r}: walls"
        if isinstance(self.walls, dict) or (isinstance(self.walls, tuple) and all(
                isinstance(item, tuple) for item in self.walls)):
            items = tuple(self.walls.items()) if isinstance(self.walls, dict) else self.walls
            cleaned = []
            for item in items:
                if len(item) != 2 or not isinstance(item[0], str) or not item[0]:
                    raise ParameterError(f"{key} must map domain names to numbers, got {self.walls!r}")
                cleaned.append((item[0], check_number(f"{key}.{item[0]}", item[1], 0.0, 1.0)))
            if len({name for name, _ in cleaned}) != len(cleaned):
                raise ParameterError(f"{key} names a domain twice")
            # stored as (domain, omega) pairs: hashable, in the order given
            object.__setattr__(self, "walls", tuple(cleaned))
        else:
            object.__setattr__(self, "walls", check_number(key, self.walls, 0.0, 1.0))

    @property
    def walled(self) -> bool:
        """Whether the organisation has a wall anywhere (some ``omega > 0``)."""
        if isinstance(self.walls, tuple):
            return any(value > 0 for _, value in self.walls)
        return self.walls > 0


@dataclass(frozen=True)
class Person:
    """A person (a boundary spanner) of one or more organisations.

    Parameters
    ----------
    name : str
    organisations : tuple of str
        The organisations the person works for (more than one: overlapping
        memberships, as in Delta).
    strategy : Player, optional
        The person's own strategy; default their first organisation's policy.
    identification : float
        ``lambda`` in [0, 1]: the share of the organisation's competitive gains
        and losses the person feels.
    recognition : float
        ``rho`` >= 0: what the professional community pays the person per act of sharing.
    identity : {"organisation", "profession"}
        The salient identity: the organisation's prescribes withholding, the
        network's professional identity prescribes sharing.
    identity_weight : float
        ``kappa`` >= 0: the loss per act against the salient identity's prescription.
    efficiency : float
        ``epsilon`` in [0, 1]: the share of the person's attention in a group
        spent in proportion to the others' receptivity rather than evenly
        (avoidance for efficiency, seed 000 s.5.3; :mod:`.coping`). Default 0.
    meta_horizon : float
        ``w_id`` in [0, 1): the shadow of the future the person's meta-identity
        perceives (seed 000 s.5.3, "one cannot multiply without the capability
        to share"); the person's strategy is compiled with ``max(w, w_id)``.
        Default 0: the match's own.
    meta_synergy : float
        ``s'`` >= 0: the synergy of mutual giving the meta-identity perceives;
        the strategy is compiled with ``max(s, s')``. Default 0: the game's.
    multivocality : float
        ``v`` >= 0: the private value the person (and their organisation) reads
        into one round of mutual giving (multi-vocality, seed 000 s.5.3).
        Default 0.
    """

    name: str
    organisations: tuple = ()
    strategy: Player | None = None
    identification: float = 1.0
    recognition: float = 0.0
    identity: str = "organisation"
    identity_weight: float = 0.0
    efficiency: float = 0.0
    meta_horizon: float = 0.0
    meta_synergy: float = 0.0
    multivocality: float = 0.0

    def __post_init__(self):
        _name(self.name, "person name")
        who = f"person {self.name!r}"
        organisations = (self.organisations,) if isinstance(self.organisations, str) else tuple(self.organisations)
        if not organisations:
            raise ParameterError(f"{who}: organisations must name at least one organisation")
        if len(set(organisations)) != len(organisations):
            raise ParameterError(f"{who}: organisations lists an organisation twice")
        object.__setattr__(self, "organisations", organisations)
        if self.strategy is not None and not isinstance(self.strategy, Player):
            raise ParameterError(f"{who}: strategy must be a Player, got {self.strategy!r}")
        check_number(f"{who}: identification", self.identification, 0.0, 1.0)
        check_number(f"{who}: recognition", self.recognition, 0.0)
        check_number(f"{who}: identity_weight", self.identity_weight, 0.0)
        check_number(f"{who}: efficiency", self.efficiency, 0.0, 1.0)
        check_number(f"{who}: meta_horizon", self.meta_horizon, 0.0, 1.0, high_open=True)
        check_number(f"{who}: meta_synergy", self.meta_synergy, 0.0, MAX_GAME_VALUE)
        check_number(f"{who}: multivocality", self.multivocality, 0.0, MAX_GAME_VALUE)
        if self.identity not in IDENTITIES:
            raise ParameterError(f"{who}: identity must be one of {', '.join(IDENTITIES)}, got {self.identity!r}")


@dataclass(frozen=True)
class Group:
    """A group (a knowledge-sharing network): its name and its members' indices, in slot order."""

    name: str
    members: tuple


class Population:
    """Organisations, people, ties and groups, with the arrays the engines index.

    Parameters
    ----------
    organisations : sequence of Organisation
    people : sequence of Person
    ties : sequence of (str, str) or (str, str, int)
        Ties between people by name, optionally with prior rounds of mutual giving.
    groups : sequence of (str, sequence of str)
        Groups by name and their members' names.
    overlaps : mapping of (str, str) to float, optional
        The competitive overlap of named pairs of organisations (either order),
        instead of the game's.

    Attributes
    ----------
    membership : ndarray, shape (people, organisations)
        ``1/m`` where a person belongs to an organisation (each row sums to one).
    tie_people : ndarray of int, shape (ties, 2)
        The two people of each tie, smaller index first, rows sorted.
    tie_prior : ndarray of int, shape (ties,)
    """

    def __init__(self, organisations, people, ties=(), groups=(), overlaps=None):
        self.organisations = tuple(organisations)
        self.people = tuple(people)
        for kind, items, cls in (("organisations", self.organisations, Organisation),
                                 ("people", self.people, Person)):
            for k, item in enumerate(items):
                if not isinstance(item, cls):
                    raise ParameterError(f"{kind}[{k}] must be a {cls.__name__}, got {item!r}")
        if not self.organisations:
            raise ParameterError("a network needs at least one organisation")
        check("people", len(self.people), "the network")
        self.organisation_index = _index(self.organisations, "organisation")
        self.person_index = _index(self.people, "person")
        n_people, n_orgs = len(self.people), len(self.organisations)
        self.membership = np.zeros((n_people, n_orgs))
        for p, person in enumerate(self.people):
            for name in person.organisations:
                if name not in self.organisation_index:
                    raise ParameterError(f"person {person.name!r}: unknown organisation {name!r}"
                                         f"{_known(self.organisation_index)}")
                self.membership[p, self.organisation_index[name]] = 1.0 / len(person.organisations)
            if person.strategy is None and self.organisations[self.organisation_index[person.organisations[0]]].policy is None:
                raise ParameterError(f"person {person.name!r}: no strategy, and organisation "
                                     f"{person.organisations[0]!r} has no policy")
        self.tie_people, self.tie_prior = self._ties(ties)
        self.groups = self._groups(groups)
        self.overlaps = self._overlaps(overlaps or {})

    # --- construction ---------------------------------------------------------------

    def _ties(self, ties):
        ties = list(ties)
        check("ties", len(ties), "the network")
        pairs, prior = {}, {}
        for k, tie in enumerate(ties):
            if not isinstance(tie, (tuple, list)) or len(tie) not in (2, 3):
                raise ParameterError(f"ties[{k}] must be (person, person) or (person, person, prior rounds), got {tie!r}")
            u, v = (self._person(name, f"ties[{k}]") for name in tie[:2])
            if u == v:
                raise ParameterError(f"ties[{k}]: a person cannot have a tie with themselves ({tie[0]!r})")
            rounds = tie[2] if len(tie) == 3 else 0
            if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 0:
                raise ParameterError(f"ties[{k}]: prior rounds must be a whole number >= 0, got {rounds!r}")
            pair = (min(u, v), max(u, v))
            if pair in pairs:
                raise ParameterError(f"ties[{k}]: the tie {tie[0]!r}-{tie[1]!r} is already ties[{pairs[pair]}]")
            pairs[pair], prior[pair] = k, int(rounds)
        order = sorted(pairs)
        people = np.array(order, dtype=np.intp).reshape(-1, 2)
        return people, np.array([prior[pair] for pair in order], dtype=np.int64)

    def _groups(self, groups):
        built, names, members_of = [], {}, {}
        for k, entry in enumerate(groups):
            if isinstance(entry, Group):
                name, members = entry.name, [self.people[m].name for m in entry.members]
            elif isinstance(entry, (tuple, list)) and len(entry) == 2:
                name, members = entry
            else:
                raise ParameterError(f"groups[{k}] must be (name, members), got {entry!r}")
            _name(name, f"groups[{k}].name")
            if name in names:
                raise ParameterError(f"groups[{k}].name: {name!r} is already the name of groups[{names[name]}]")
            names[name] = k
            if isinstance(members, str) or len(members) < 2:
                raise ParameterError(f"groups[{k}].members: a group needs at least two people, got {members!r}")
            check("group_size", len(members), f"groups[{k}]")
            indices = tuple(self._person(m, f"groups[{k}].members") for m in members)
            if len(set(indices)) != len(indices):
                raise ParameterError(f"groups[{k}].members: a person is listed twice")
            if indices in members_of:  # the same people in the same slots would draw the same numbers
                raise ParameterError(f"groups[{k}].members: the same members, in the same order, as "
                                     f"groups[{members_of[indices]}]")
            members_of[indices] = k
            built.append(Group(name, indices))
        return tuple(built)

    def _overlaps(self, overlaps):
        table = {}
        for pair, value in dict(overlaps).items():
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ParameterError(f"overlaps: keys must be pairs of organisations, got {pair!r}")
            k, l = (self.organisation_index.get(name) for name in pair)
            for name, index in zip(pair, (k, l)):
                if index is None:
                    raise ParameterError(f"overlaps: unknown organisation {name!r}{_known(self.organisation_index)}")
            if k == l:
                raise ParameterError(f"overlaps: an organisation does not compete with itself ({pair[0]!r})")
            table[(min(k, l), max(k, l))] = check_number(f"overlaps[{pair[0]!r}, {pair[1]!r}]", value, 0.0, 1.0)
        return table

    def _person(self, name, key):
        if name not in self.person_index:
            raise ParameterError(f"{key}: unknown person {name!r}{_known(self.person_index)}")
        return self.person_index[name]

    # --- what the engines read ------------------------------------------------------

    @property
    def n_people(self) -> int:
        return len(self.people)

    @property
    def n_organisations(self) -> int:
        return len(self.organisations)

    @property
    def n_ties(self) -> int:
        return len(self.tie_people)

    def players(self) -> list[Player]:
        """Each person's strategy: their own, else their first organisation's policy."""
        return [person.strategy if person.strategy is not None
                else self.organisations[self.organisation_index[person.organisations[0]]].policy
                for person in self.people]

    def overlap_matrix(self, game) -> np.ndarray:
        """``Gamma``, shape (organisations, organisations): the game's overlap between
        different organisations unless ``overlaps`` says otherwise, 0 on the diagonal."""
        gamma = np.full((self.n_organisations,) * 2, float(game.effective_overlap))
        np.fill_diagonal(gamma, 0.0)
        for (k, l), value in self.overlaps.items():
            gamma[k, l] = gamma[l, k] = value
        return gamma

    def pair_overlap(self, first, second, game) -> np.ndarray:
        """The overlap between people ``first[k]`` and ``second[k]``: the mean of
        their organisations' pairwise overlaps (``m_p^T Gamma m_q``)."""
        gamma = self.overlap_matrix(game)
        first, second = np.asarray(first), np.asarray(second)
        # a matrix product, then a row sum: einsum over three operands took seconds for 50,000 ties
        return ((self.membership[first] @ gamma) * self.membership[second]).sum(axis=1)

    @property
    def absorption(self) -> np.ndarray:
        """Each person's absorption: the mean of their organisations' rates."""
        rates = np.array([o.absorption for o in self.organisations])
        return self.membership @ rates

    def person_values(self, name: str) -> np.ndarray:
        """A person-level parameter of :class:`Person` for everyone, as an array
        (``"prescription"`` gives ``x*`` of each person's salient identity)."""
        if name == "prescription":
            return np.array([prescription(p.identity) for p in self.people])
        return np.array([float(getattr(p, name)) for p in self.people])

    def receptivities(self) -> np.ndarray:
        return np.array([float(p.receptivity) for p in self.players()])

    def tacitnesses(self) -> np.ndarray:
        return np.array([float(p.tacitness) for p in self.players()])

    def organisation_of(self) -> list[str]:
        """Each person's organisations, joined with ``+`` (for tables and pictures)."""
        return ["+".join(p.organisations) for p in self.people]

    def __repr__(self) -> str:
        return (f"Population({self.n_organisations} organisations, {self.n_people} people, {self.n_ties} ties, "
                f"{len(self.groups)} groups)")


def _index(items, kind: str) -> dict:
    index = {}
    for k, item in enumerate(items):
        if item.name in index:
            raise ParameterError(f"{kind} name {item.name!r} is used twice")
        index[item.name] = k
    return index


def _known(index: dict) -> str:
    names = list(index)
    if not names:
        return ""
    shown = ", ".join(repr(n) for n in names[:5])
    return f" (known: {shown}{', ...' if len(names) > 5 else ''})"
