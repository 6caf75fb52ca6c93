"""One rule in one place: a live round resolved by the engines' rules.

Students choose directly (no :func:`~learning_dilemma.games.execution.chooses`
for a human: the choice *is* the played move), and everything else in a round
comes from the one place the model writes it, in the order of the engines
(:mod:`learning_dilemma.engine.stepwise`, :mod:`learning_dilemma.engine.vectorised`
for a pair; :mod:`learning_dilemma.networks.groups` for a group):

1. a closed alliance records EXIT and pays the status quo
   (:func:`~learning_dilemma.games.learning.closed_payoff`);
2. an EXIT (LEAVE) closes a pair's alliance from this round on (a group's
   leaver is out, and the group closes below two active members);
3. a give fails to transfer with the tacit-failure probability at the tie's
   strength (:func:`~learning_dilemma.games.knowledge.failure_probability`,
   :func:`~learning_dilemma.games.execution.transfers`);
4. stage payoffs from the power position at the start of the round
   (:func:`~learning_dilemma.engine.vectorised.round_payoffs`, that is
   :func:`~learning_dilemma.games.learning.stage_payoffs`; in a group
   :func:`~learning_dilemma.games.group.group_levels`);
5. the stakes run down (:func:`~learning_dilemma.games.knowledge.stakes_step`),
   the race may end (:func:`~learning_dilemma.games.knowledge.race_over`), the
   tie grows after mutual giving (:func:`~learning_dilemma.games.knowledge.tie_step`);
6. an automaton (the substitute playing a seat) moves on its own move and the
   partner's as seen.

**Draws** come from a numpy Generator keyed by what they are drawn for, never
by the order of play: the round draws of unit ``u`` (a pair or a group) of
match ``m`` of a session with seed entropy ``s`` are those of repetition 0 of
the key :func:`unit_key` ``(201, m, u)``: :func:`~learning_dilemma.seeding.repetition_draws`
(fixed length ``L_m``, no noise) for a pair, :func:`~learning_dilemma.seeding.group_draws`
for a group, with the engines' column layout. Humans do not use their give
draws, but the columns stay where the engines have them, so the tacit and
learning draws, and a substitute's give draws, are the engines'. Hence a pair
of students who play the moves a library strategy played against another in
``Match(a, b, game, turns=L, seed=s, key=unit_key(m, u))`` get exactly that
match's moves, transfers, stakes, ties and payoffs (``tests/classroom/test_rounds.py``),
and a group of ``n`` students who replay a group of automata in
:func:`~learning_dilemma.networks.groups.play_group_rounds` get its play.
Students' choices are not flipped by noise (a person's own slips are part of
what the data record); the classroom draws no noise columns.

Match lengths and matching are drawn in advance from the seed as well
(:func:`match_length`, :func:`match_units`), following laboratory practice
for indefinitely repeated games (Dal Bo & Frechette 2011): every pair of a
match plays the same, randomly drawn number of rounds, ``L ~ geometric(1 - w)``
with ``w`` the continuation probability, the shadow of the future of Axelrod
(1984), and partners are rematched at random between matches.

:class:`Practice` is the explorable's one-person game: a person against a
library strategy, round by round, through the same :class:`Rules`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_count, check_number
from ..engine.vectorised import ENDINGS, FIRST_LEFT, RACE_OVER, SECOND_LEFT, round_payoffs
from ..errors import ParameterError
from ..games import (
    GroupGame, Knowledge, LearningGame, Pairs, Power, Ties, attention, failure_probability, group_learned,
    observed_give, others_stakes, race_over, stakes_step, tie_step,
)
from ..games.execution import chooses, transfers
from ..games.group import group_levels
from ..games.learning import closed_payoff
from ..limits import check
from ..moves import Move
from ..players.automaton import AutomatonTable, MatchContext, view_index
from ..seeding import GIVE_DRAWS, TACIT_DRAWS, group_draws, learn_draws, repetition_draws, repetition_sequence

__all__ = [
    "CHOICES", "CLASSROOM_STREAM", "LENGTH_STREAM", "MATCHING_STREAM", "MAX_CLASS_GROUP", "MAX_CLASS_ROUNDS",
    "Practice", "Relation", "Rules", "SUBSTITUTE", "Treatment", "match_length", "match_units", "parse_choice",
    "unit_key",
]

from ..seeding import CLASSROOM_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
from ..seeding import LENGTH_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
from ..seeding import MATCHING_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)

#: What a seat may choose, as recorded (the engines' move codes: TAKE 0, GIVE 1, EXIT 2).
CHOICES = ("TAKE", "GIVE", "EXIT")
#: Inputs accepted for each choice (the student's page says LEAVE for EXIT).
_ALIASES = {"GIVE": "GIVE", "G": "GIVE", "TAKE": "TAKE", "T": "TAKE", "EXIT": "EXIT", "LEAVE": "EXIT"}
_CODE = {"TAKE": 0, "GIVE": 1, "EXIT": 2}
_EXIT = int(Move.EXIT)

#: The default substitute strategy (odd classes and dropouts).
SUBSTITUTE = "Tit For Tat"
#: The longest (mean) match a class plays: ``turns`` and ``1 / (1 - w)`` are held to it (our
#: choice, besides the toolkit's resource limits: no class plays more rounds by hand, and a unit's
#: draws are held in memory while its match runs).
MAX_CLASS_ROUNDS = 1_000
#: The largest group of the classroom's group mode (our choice: a group draws one number per
#: ordered pair of members per round; a class's groups are small).
MAX_CLASS_GROUP = 50


def unit_key(match: int, unit: int) -> tuple:
    """The draw key of unit ``unit`` (0-based) of match ``match`` (1-based): ``(201, match, unit)``."""
    return (CLASSROOM_STREAM, int(match), int(unit))


def parse_choice(choice, exit_allowed: bool = True) -> str:
    """``"GIVE"``, ``"TAKE"`` or ``"EXIT"`` from a choice as sent (any case; LEAVE is EXIT).

    Raises
    ------
    ParameterError
        One line naming ``choice`` for anything else, and for an exit when the
        treatment does not allow one.
    """
    key = choice.strip().upper() if isinstance(choice, str) else None
    if key not in _ALIASES:
        allowed = "GIVE, TAKE or LEAVE" if exit_allowed else "GIVE or TAKE"
        raise ParameterError(f"choice must be {allowed}, got {choice!r}"[:200])
    value = _ALIASES[key]
    if value == "EXIT" and not exit_allowed:
        raise ParameterError("choice: leaving is not allowed in this session (exit is off)")
    return value


# --- the treatment ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Treatment:
    """What the teacher picks for a session: the game, the shadow of the future, exit, group size.

    Every field is a plain number or bool, so a treatment travels as JSON
    (:meth:`to_dict`, :meth:`from_dict`).

    Parameters
    ----------
    power : float
        ``game.power.strength`` in [0, 1] (Emerson 1962; Hamel 1991); 0: off.
    knowledge_levels : int
        ``M``, the knowledge stakes (``game.knowledge.levels``); 0: off (no race, no power).
    pace : float
        ``game.knowledge.pace`` in (0, 1].
    overlap : float
        Competitive overlap ``gamma`` in [0, 1] (Zander & Kogut 1995; Bengtsson & Kock 2000).
    tacitness : float
        Every seat's tacitness in [0, 1] (Hansen 1999): a give fails to transfer with this
        probability (less on a strong tie).
    receptivity : float
        Every seat's receptivity in [0, 1] (Cohen & Levinthal 1990).
    ties : int
        ``H``, rounds of mutual giving for a full-strength tie (``game.ties.levels``); 0: off.
    continuation : float
        ``w`` in [0, 1): the probability that a match goes on after a round (Axelrod 1984);
        match lengths are ``geometric(1 - w)``, mean ``1 / (1 - w)``.
    turns : int or None
        A fixed match length instead (then ``continuation`` is not used); ``None`` by default.
        Both are held to :data:`MAX_CLASS_ROUNDS` (``turns``, ``1 / (1 - w)``).
    exit : bool
        Whether a seat may LEAVE (Hauert et al. 2002's loner; Hamel 1991).
    group_size : int
        ``n``: 2 plays pairs, more plays the n-party group game (:mod:`learning_dilemma.games.group`);
        at most :data:`MAX_CLASS_GROUP`.
    congestion, quorum : float
        The group game's :class:`~learning_dilemma.games.group.GroupGame` (group mode only).
    """

    power: float = 0.0
    knowledge_levels: int = 0
    pace: float = 1.0
    overlap: float = 1.0
    tacitness: float = 0.0
    receptivity: float = 1.0
    ties: int = 0
    continuation: float = 0.9
    turns: int | None = None
    exit: bool = False
    group_size: int = 2
    congestion: float = 1.0
    quorum: float = 0.5

    def __post_init__(self):
        # build everything once so a bad value is refused here, naming its key
        for name in ("power", "pace", "overlap", "tacitness", "receptivity", "continuation", "congestion", "quorum"):
            low_open = name in ("pace", "quorum")
            object.__setattr__(self, name, check_number(f"treatment.{name}", getattr(self, name), 0.0, 1.0,
                                                        low_open=low_open))
        for name in ("knowledge_levels", "ties"):
            object.__setattr__(self, name, check_count(f"treatment.{name}", getattr(self, name)))
        object.__setattr__(self, "group_size", check_count("treatment.group_size", self.group_size, 2))
        check("group_size", self.group_size, f"treatment.group_size={self.group_size}")
        if self.group_size > MAX_CLASS_GROUP:
            raise ParameterError(f"treatment.group_size must be at most {MAX_CLASS_GROUP} in a classroom, "
                                 f"got {self.group_size}")
        if not isinstance(self.exit, bool):
            raise ParameterError(f"treatment.exit must be true or false, got {self.exit!r}")
        if self.turns is not None:
            object.__setattr__(self, "turns", check_count("treatment.turns", self.turns, 1))
            check("match_rounds", self.turns, f"treatment.turns={self.turns}")
            if self.turns > MAX_CLASS_ROUNDS:
                raise ParameterError(f"treatment.turns must be at most {MAX_CLASS_ROUNDS:,} in a classroom, "
                                     f"got {self.turns}")
        else:
            check_number("treatment.continuation", self.continuation, 0.0, 1.0, high_open=True)
            check("match_rounds", 1.0 / (1.0 - self.continuation),
                  f"treatment.continuation={self.continuation!r} (mean length 1/(1-w))")
            if 1.0 / (1.0 - self.continuation) > MAX_CLASS_ROUNDS * (1 + 1e-9):
                raise ParameterError(
                    f"treatment.continuation must be at most {1 - 1 / MAX_CLASS_ROUNDS:g} in a classroom "
                    f"(mean match length 1/(1-w) at most {MAX_CLASS_ROUNDS:,}), got {self.continuation!r}")
        self.game()
        self.group_game()

    def game(self) -> LearningGame:
        """The stage game (Axelrod's payoffs at the defaults, Larsson et al. 1998's second edition)."""
        try:
            return LearningGame(power=Power(strength=self.power),
                                knowledge=Knowledge(levels=self.knowledge_levels, pace=self.pace),
                                ties=Ties(levels=self.ties), overlap=self.overlap)
        except ParameterError as error:
            raise ParameterError(f"treatment: {error}") from None

    def group_game(self) -> GroupGame:
        try:
            return GroupGame(congestion=self.congestion, quorum=self.quorum)
        except ParameterError as error:
            raise ParameterError(f"treatment: {error}") from None

    def context(self) -> MatchContext:
        """What a substitute strategy is told before a match: the game and ``w``, never the length."""
        if self.turns is not None:
            return MatchContext(self.game(), 1.0 - 1.0 / self.turns, self.turns)
        return MatchContext(self.game(), self.continuation, None)

    def to_dict(self) -> dict:
        """The treatment as a JSON-able dict (:meth:`from_dict` reads it back)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data) -> "Treatment":
        """A treatment from a dict; an unknown key is refused in one line naming it."""
        if data is None:
            return cls()
        if isinstance(data, Treatment):
            return data
        if not isinstance(data, dict):
            raise ParameterError(f"treatment must be a table of settings, got {type(data).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        for key in data:
            if key not in known:
                raise ParameterError(f"treatment.{key}: unknown setting (known: {', '.join(sorted(known))})"[:300])
        return cls(**data)


# --- match lengths and matching ---------------------------------------------------------------------

def _generator(entropy: int, *key) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(entropy), spawn_key=tuple(key))))


def match_length(entropy: int, match: int, treatment: Treatment) -> int:
    """``L_m``: the length of match ``match``, drawn in advance from the seed.

    ``geometric(1 - w)`` from a Generator keyed by ``(202, match)`` (the same for
    every pair of the match: Dal Bo & Frechette 2011), or the treatment's fixed
    ``turns``. Held to the ``match_rounds`` resource limit.
    """
    if treatment.turns is not None:
        return treatment.turns
    length = int(_generator(entropy, LENGTH_STREAM, int(match)).geometric(1.0 - treatment.continuation))
    check("match_rounds", length, f"match {match}'s drawn length")
    return length


def match_units(entropy: int, match: int, labels, size: int = 2, previous=None) -> list[list]:
    """The pairs (groups) of match ``match``: lists of seat labels, ``None`` for a substitute seat.

    The seats are shuffled by a Generator keyed by ``(203, match)`` and cut into
    units of ``size``; the last unit is filled up with substitutes (an odd
    class: one student meets the substitute strategy). Partners of the previous
    match are avoided where possible (random rematching between matches, Dal Bo
    & Frechette 2011):

    - pairs: each pair that repeats a previous pair (a substitute counts as one
      partner) swaps partners with another pair; any swap works, since each
      seat has one previous partner;
    - groups: of 64 shuffles the one with the fewest pairs of members who met
      in the previous match (the first such).

    Parameters
    ----------
    entropy : int
        The session's seed entropy.
    match : int
    labels : sequence of str
        The seats to place (order does not matter: they are sorted first).
    size : int
    previous : dict, optional
        Each seat's set of previous partners (labels; ``None`` for the substitute).
    """
    labels = sorted(labels, key=_label_order)
    previous = previous or {}
    rng = _generator(entropy, MATCHING_STREAM, int(match))
    if not labels:
        return []

    def cut(order):
        seats = list(order) + [None] * (-len(order) % size)
        return [seats[k:k + size] for k in range(0, len(seats), size)]

    def met(a, b):
        if a is None and b is None:
            return False
        if a is None:
            return None in previous.get(b, ())
        return b in previous.get(a, ())

    if size == 2:
        units = cut([labels[k] for k in rng.permutation(len(labels))])
        for i, unit in enumerate(units):
            if not met(*unit):
                continue
            for j, other in enumerate(units):
                if j == i:
                    continue
                a, b = unit
                c, d = other
                if not met(a, c) and not met(b, d):
                    units[i], units[j] = [a, c], [b, d]
                    break
                if not met(a, d) and not met(b, c):
                    units[i], units[j] = [a, d], [b, c]
                    break
        # a substitute seat goes last in its pair (the student is side A)
        return [[u[1], u[0]] if u[0] is None else u for u in units]
    best, best_score = None, None
    for _ in range(64):
        units = cut([labels[k] for k in rng.permutation(len(labels))])
        score = sum(met(a, b) for unit in units for x, a in enumerate(unit) for b in unit[x + 1:])
        if best_score is None or score < best_score:
            best, best_score = units, score
        if score == 0:
            break
    return best


def _label_order(label: str):
    digits = label[1:]
    return (0, int(digits), label) if digits.isdigit() else (1, 0, label)


# --- the relation and its rules ---------------------------------------------------------------------

@dataclass(frozen=True)
class Relation:
    """The state of one unit (a pair or a group) between rounds; JSON-able through :meth:`to_dict`.

    Attributes
    ----------
    round : int
        Rounds resolved so far.
    stakes : tuple of int
        Each slot's knowledge stakes ``K`` (what it still lacks).
    ties : tuple of int
        A pair's tie strength (one entry); a group's per ordered pair of
        members (:class:`~learning_dilemma.games.group.Pairs` order), as the group engine keeps them.
    present : tuple of bool
        Members that have not left (a pair: both, while open).
    open : bool
    ended_by : str
        ``"open"``, or how it ended: a pair's :data:`~learning_dilemma.engine.vectorised.ENDINGS`,
        a group's ``"left"`` or ``"race over"``.
    states : tuple of int
        Each slot's state in the substitute's automaton table, moved on every
        round by the slot's own move and what it saw: where a substitute takes
        over a seat it starts from the state the seat's history leads to.
    """

    round: int
    stakes: tuple
    ties: tuple
    present: tuple
    open: bool = True
    ended_by: str = "open"
    states: tuple = ()

    def to_dict(self) -> dict:
        return {"round": self.round, "stakes": list(self.stakes), "ties": list(self.ties),
                "present": list(self.present), "open": self.open, "ended_by": self.ended_by,
                "states": list(self.states)}

    @classmethod
    def from_dict(cls, data: dict) -> "Relation":
        return cls(int(data["round"]), tuple(int(k) for k in data["stakes"]), tuple(int(t) for t in data["ties"]),
                   tuple(bool(p) for p in data["present"]), bool(data["open"]), str(data["ended_by"]),
                   tuple(int(s) for s in data["states"]))


class Rules:
    """The rules of one unit's rounds: a pair (``size = 2``) or a group of ``size``.

    Parameters
    ----------
    game : LearningGame
    size : int
        2 for a pair (the pairwise engine's rules and draws), more for a group
        (the group engine's).
    receptivities, tacitnesses : sequence of float, optional
        One per slot (default 1 and 0).
    group_game : GroupGame, optional
        The group rules (group mode); default ``GroupGame()``.
    table : AutomatonTable, optional
        The substitute strategy's table: it chooses for substitute seats
        (:meth:`substitute_choice`) and every slot's state in it is tracked.
    exit_allowed : bool
        Whether a choice may be EXIT. When not, the substitute never leaves
        either (its exit probability is read as 0: the treatment has no exit).
    """

    def __init__(self, game: LearningGame, size: int = 2, receptivities=None, tacitnesses=None,
                 group_game: GroupGame | None = None, table: AutomatonTable | None = None,
                 exit_allowed: bool = True):
        self.game = game
        self.size = check_count("size", size, 2)
        self.receptivities = np.array([1.0] * size if receptivities is None else receptivities, dtype=float)
        self.tacitnesses = np.array([0.0] * size if tacitnesses is None else tacitnesses, dtype=float)
        if self.receptivities.shape != (size,) or self.tacitnesses.shape != (size,):
            raise ParameterError(f"receptivities and tacitnesses need one value a slot ({size})")
        self.group_game = group_game if group_game is not None else GroupGame()
        self.table = table
        self.exit_allowed = bool(exit_allowed)
        self.pairs = Pairs.of_sizes([size]) if size > 2 else None

    @classmethod
    def for_treatment(cls, treatment: Treatment, table: AutomatonTable | None = None) -> "Rules":
        """The rules of a treatment's units (every seat with the treatment's receptivity and tacitness)."""
        n = treatment.group_size
        return cls(treatment.game(), n, [treatment.receptivity] * n, [treatment.tacitness] * n,
                   treatment.group_game(), table, treatment.exit)

    @property
    def is_group(self) -> bool:
        return self.size > 2

    # --- draws -------------------------------------------------------------------------------
    def draws(self, entropy: int, key: tuple, length: int) -> np.ndarray:
        """The round draws of one unit: shape (length, columns), the engines' layout.

        A pair: :func:`~learning_dilemma.seeding.repetition_draws` of a fixed-length
        match without noise; a group: :func:`~learning_dilemma.seeding.group_draws`.
        Both from repetition 0 of ``key``.
        """
        sequence = repetition_sequence(int(entropy), key, 0)
        learning = self.game.knowledge.active
        if self.is_group:
            return group_draws(sequence, int(length), self.size, False, learning)
        return repetition_draws(sequence, int(length), None, False, learning)[1]

    # --- state -------------------------------------------------------------------------------
    def start(self) -> Relation:
        """The relation before the first round: stakes ``M`` each, tie 0, open."""
        levels = self.game.knowledge.levels
        n_ties = 1 if not self.is_group else self.size * (self.size - 1)
        states = (self.table.start,) * self.size if self.table is not None else ()
        return Relation(0, (levels,) * self.size, (0,) * n_ties, (True,) * self.size, True, "open", states)

    def view(self, relation: Relation, slot: int) -> int:
        """The table column a slot's automaton reads: its own stakes and its partner's
        (a group: the active others' mean, :func:`~learning_dilemma.games.group.others_stakes`)."""
        own = relation.stakes[slot]
        if not self.is_group:
            partner = relation.stakes[1 - slot]
        else:
            live = np.array(relation.present) & relation.open
            total = int(np.sum(np.where(live, relation.stakes, 0)))
            partner = int(others_stakes(total, own, int(live.sum())))
        return int(view_index(own, partner, self.game.knowledge.levels))

    def substitute_choice(self, relation: Relation, slot: int, row) -> str:
        """What the substitute strategy plays for ``slot`` this round, from the slot's own give draw
        (:func:`~learning_dilemma.games.execution.chooses`: exit, else give)."""
        if self.table is None:
            raise ParameterError("these rules have no substitute strategy")
        state, view = relation.states[slot], self.view(relation, slot)
        give = float(self.table.give[state, view])
        leave = float(self.table.leave[state, view]) if self.exit_allowed else 0.0
        column = GIVE_DRAWS[slot] if not self.is_group else slot
        leaves, gives = chooses(float(row[column]), leave, give)
        return "EXIT" if leaves else ("GIVE" if gives else "TAKE")

    def expected(self, relation: Relation) -> list[int]:
        """The slots that must choose in the next round (none once the unit is closed)."""
        if not relation.open:
            return []
        return [s for s in range(self.size) if relation.present[s]]

    # --- resolution ---------------------------------------------------------------------------
    def resolve(self, relation: Relation, choices, row) -> tuple[dict, Relation]:
        """Resolve one round: ``(outcome, relation after)``.

        Parameters
        ----------
        relation : Relation
            The state before the round (open).
        choices : sequence of str or None
            Each slot's ``"GIVE"``, ``"TAKE"`` or ``"EXIT"`` (``None`` for a group
            member who has left).
        row : array_like
            The round's draws (one row of :meth:`draws`).

        Returns
        -------
        outcome : dict
            JSON-able, one list entry a slot: ``moves`` (0 TAKE, 1 GIVE, 2 EXIT),
            ``reached`` (how many others each slot's give reached: a pair's ``x``),
            ``received`` (how many gives reached the slot), ``seen`` (1 where the
            slot saw GIVE: a pair's partner's transfer, a group's quorum rule),
            ``payoffs``, ``stakes_before``, ``stakes_after``, ``power_before``
            (each slot's ``z``: the partner's stakes, or the others' mean, less
            its own), ``ties_before``, ``ties_after``, ``transfers`` (a pair:
            per slot; a group: per ordered pair), ``open_after``, ``ended_by``.
        """
        if not relation.open:
            raise ParameterError("this unit's alliance is closed: its rounds are recorded as EXIT")
        row = np.asarray(row, dtype=float)
        codes = []
        for slot in range(self.size):
            choice = choices[slot]
            if relation.present[slot]:
                if choice not in _CODE:
                    raise ParameterError(f"slot {slot} has no choice ({choice!r})")
                codes.append(_CODE[choice])
            else:
                codes.append(None)
        if self.is_group:
            return self._resolve_group(relation, codes, row)
        return self._resolve_pair(relation, codes, row)

    def closed_outcome(self, relation: Relation) -> dict:
        """The outcome of a round after the unit closed: EXIT and the status quo for every slot."""
        n = self.size
        z = self._powers(relation)
        return {
            "moves": [_EXIT] * n, "reached": [0] * n, "received": [0] * n, "seen": [0] * n,
            "payoffs": [float(closed_payoff(self.game))] * n, "stakes_before": list(relation.stakes),
            "stakes_after": list(relation.stakes), "power_before": z, "ties_before": list(relation.ties),
            "ties_after": list(relation.ties), "transfers": [0] * len(relation.ties if self.is_group else (0, 0)),
            "open_after": False, "ended_by": relation.ended_by,
        }

    def _powers(self, relation: Relation) -> list:
        if not self.is_group:
            return [int(relation.stakes[1] - relation.stakes[0]), int(relation.stakes[0] - relation.stakes[1])]
        live = np.array(relation.present) & relation.open
        total = int(np.sum(np.where(live, relation.stakes, 0)))
        count = max(int(live.sum()), 1)
        return [int(others_stakes(total, k, count)) - int(k) for k in relation.stakes]

    def _resolve_pair(self, relation: Relation, codes, row) -> tuple[dict, Relation]:
        # the order of engine/stepwise.py's round
        game, knowledge, ties = self.game, self.game.knowledge, self.game.ties
        stakes, tie = list(relation.stakes), relation.ties[0]
        before = list(stakes)
        z = self._powers(relation)
        leaves = [codes[p] == _EXIT for p in (0, 1)]
        gives = [codes[p] == 1 for p in (0, 1)]
        is_open, ended_by = True, "open"
        states = list(relation.states)
        if leaves[0] or leaves[1]:
            is_open = False
            ended_by = ENDINGS[FIRST_LEFT * leaves[0] + SECOND_LEFT * leaves[1]]
            moves, done = [_EXIT, _EXIT], [False, False]
        else:
            failure = [float(failure_probability(self.tacitnesses[p], tie, ties)) for p in (0, 1)]
            done = [bool(transfers(gives[p], row[TACIT_DRAWS[p]], failure[p])) for p in (0, 1)]
            learn = learn_draws(False)
            if knowledge.active:
                stakes = [int(stakes_step(stakes[p], done[1 - p], row[learn[p]], self.receptivities[p], knowledge))
                          for p in (0, 1)]
                if race_over(stakes[0], stakes[1], knowledge):
                    is_open, ended_by = False, ENDINGS[RACE_OVER]
            if ties.active:
                tie = int(tie_step(tie, gives[0], gives[1], ties))
            moves = [int(gives[0]), int(gives[1])]
            if self.table is not None:
                states = [int(self.table.next_state[states[p], moves[p], int(done[1 - p])]) for p in (0, 1)]
        # payoffs exactly as the engines compute them from the recorded round
        payoffs = round_payoffs(
            game, np.array(moves, dtype=np.int8).reshape(2, 1, 1),
            [np.array([r]) for r in self.receptivities],
            np.array([[before[1] - before[0], stakes[1] - stakes[0]]], dtype=np.int64),
            np.array([int(d) for d in done], dtype=np.int8).reshape(2, 1, 1))[:, 0, 0]
        done_int = [int(d) for d in done]
        outcome = {
            "moves": moves, "reached": done_int, "received": done_int[::-1], "seen": done_int[::-1],
            "payoffs": [float(u) for u in payoffs], "stakes_before": before, "stakes_after": list(stakes),
            "power_before": z, "ties_before": [relation.ties[0]], "ties_after": [int(tie)], "transfers": done_int,
            "open_after": bool(is_open), "ended_by": ended_by,
        }
        after = Relation(relation.round + 1, tuple(stakes), (int(tie),), (is_open, is_open), bool(is_open),
                         ended_by, tuple(states))
        return outcome, after

    def _resolve_group(self, relation: Relation, codes, row) -> tuple[dict, Relation]:
        # the order of networks/groups.py's round, for one group
        game, knowledge, ties, group = self.game, self.game.knowledge, self.game.ties, self.group_game
        n, pairs = self.size, self.pairs
        first, second = pairs.first, pairs.second
        stakes = np.array(relation.stakes, dtype=np.int64)
        tie = np.array(relation.ties, dtype=np.int64)
        present = np.array(relation.present, dtype=bool)
        z = self._powers(relation)
        live = present & relation.open
        leaves = np.array([c == _EXIT if c is not None else False for c in codes]) & live
        intended = np.array([c == 1 if c is not None else False for c in codes])
        active = live & ~leaves
        present = present & ~(live & leaves)
        is_open, ended_by = True, "open"
        count = int(active.sum())
        if count < 2:
            is_open, ended_by = False, "left"
            active = np.zeros(n, dtype=bool)
            count = 0
        n_a = np.full(n, count)
        weight = attention(n_a, group.congestion)
        played = intended & active
        tacit_giver = self.tacitnesses[first]
        failure = failure_probability(tacit_giver, tie, ties) if ties.active else tacit_giver
        tacit_row = row[n:n * n]
        reached = transfers(played[first] & active[second], tacit_row, failure)
        moves = np.where(active, played, _EXIT).astype(int)
        ones, zeros = np.ones(n), np.zeros(n)
        payoffs = group_levels(game, pairs, played, reached, self.receptivities, stakes, active, weight, n_a,
                               ones, ones, zeros, zeros, zeros)[0]
        received = pairs.per_member(reached, at="second")
        before = stakes.copy()
        if knowledge.active:
            learn_row = row[n * n + 1:n * n + 1 + n]
            stakes = np.where(active, stakes_step(stakes, group_learned(weight, received), learn_row,
                                                  self.receptivities, knowledge), stakes)
            done = active & (stakes == 0)
            present = present & ~done
            remaining = int((active & ~done).sum())
            if is_open and remaining < 2:
                is_open, ended_by = False, "race over"
        tie_before = tie.copy()
        if ties.active:
            tie = np.where(active[first] & active[second], tie_step(tie, played[first], played[second], ties), tie)
        seen = observed_give(received, n_a, group.quorum)
        states = list(relation.states)
        if self.table is not None:
            following = self.table.next_state[np.array(states, dtype=np.intp), played * 1, seen * 1]
            states = [int(s) for s in np.where(active, following, states)]
        outcome = {
            "moves": [int(m) for m in moves],
            "reached": [int(v) for v in np.bincount(first, weights=reached, minlength=n)],
            "received": [int(v) for v in received], "seen": [int(bool(s) and a) for s, a in zip(seen, active)],
            "payoffs": [float(u) for u in payoffs], "stakes_before": [int(k) for k in before],
            "stakes_after": [int(k) for k in stakes], "power_before": z,
            "ties_before": [int(t) for t in tie_before], "ties_after": [int(t) for t in tie],
            "transfers": [int(x) for x in reached], "open_after": bool(is_open), "ended_by": ended_by,
        }
        after = Relation(relation.round + 1, tuple(int(k) for k in stakes), tuple(int(t) for t in tie),
                         tuple(bool(p) for p in present) if is_open else (False,) * n, bool(is_open), ended_by,
                         tuple(states))
        return outcome, after


# --- the explorable: one person against a library strategy --------------------------------------------

class Practice:
    """One person against a library strategy, round by round (the explorable's game).

    The person is side A (slot 0), the strategy side B; the round is resolved by
    the same :class:`Rules` as a live session, with the draws of unit 0 of
    "match 0" of the seed (:func:`unit_key`). The match length is drawn in
    advance (:func:`match_length`) and not shown until the match is over.

    Parameters
    ----------
    strategy : str
        A library strategy's name (it must be an automaton, as every library strategy is).
    treatment : Treatment or dict, optional
        Group size must be 2.
    seed : int, optional
        ``None`` draws fresh entropy (kept in :attr:`entropy`).
    """

    def __init__(self, strategy: str = SUBSTITUTE, treatment=None, seed=None):
        from ..seeding import root_entropy

        self.treatment = Treatment.from_dict(treatment)
        if self.treatment.group_size != 2:
            raise ParameterError("treatment.group_size: practice is a pair (2)")
        self.player = _library_player(strategy, "strategy")
        self.entropy = root_entropy(seed)
        table = self.player.compiled(self.treatment.context())
        self.rules = Rules.for_treatment(self.treatment, table)
        self.length = match_length(self.entropy, 0, self.treatment)
        self._draws = self.rules.draws(self.entropy, unit_key(0, 0), self.length)
        self.relation = self.rules.start()
        self.rounds: list[dict] = []

    @property
    def over(self) -> bool:
        """Whether the match has ended (its length reached, or the alliance closed)."""
        return self.relation.round >= self.length or not self.relation.open

    def choose(self, choice) -> dict:
        """Play one round with the person's ``choice`` (GIVE, TAKE, LEAVE); returns :meth:`view`."""
        if self.over:
            raise ParameterError("the practice match is over")
        mine = parse_choice(choice, self.treatment.exit)
        row = self._draws[self.relation.round]
        theirs = self.rules.substitute_choice(self.relation, 1, row)
        state_before = self.state_name
        outcome, self.relation = self.rules.resolve(self.relation, [mine, theirs], row)
        outcome["strategy_state"] = state_before
        self.rounds.append(outcome)
        if not self.relation.open:  # the engines record the rest as EXIT
            while len(self.rounds) < self.length:
                self.rounds.append(self.rules.closed_outcome(self.relation))
        return self.view()

    @property
    def state_name(self) -> str:
        """The strategy's current automaton state (for teaching)."""
        return self.rules.table.state_names[self.relation.states[1]]

    def view(self) -> dict:
        """Everything the page shows, as a JSON-able dict (the length only once the match is over)."""
        played = [r for r in self.rounds]
        history = [{
            "round": t + 1, "you": CHOICES[r["moves"][0]], "strategy": CHOICES[r["moves"][1]],
            "you_transferred": r["reached"][0], "strategy_transferred": r["reached"][1],
            "payoffs": r["payoffs"], "stakes_after": r["stakes_after"], "power_after": r["stakes_after"][1] -
            r["stakes_after"][0], "tie_after": r["ties_after"][0], "strategy_state": r.get("strategy_state"),
        } for t, r in enumerate(played)]
        totals = [math.fsum(r["payoffs"][p] for r in played) for p in (0, 1)]
        return {
            "strategy": self.player.label, "round": len(played) + 1 if not self.over else None,
            "over": self.over, "length": self.length if self.over else None, "exit_allowed": self.treatment.exit,
            "choices": ["GIVE", "TAKE", "LEAVE"] if self.treatment.exit else ["GIVE", "TAKE"],
            "stakes": list(self.relation.stakes), "power": self.relation.stakes[1] - self.relation.stakes[0],
            "tie": self.relation.ties[0], "open": self.relation.open, "ended_by": self.relation.ended_by,
            "strategy_state": self.state_name, "totals": totals, "history": history,
            "treatment": self.treatment.to_dict(),
        }


def _library_player(name, key: str):
    from ..strategies import make_strategy

    if not isinstance(name, str) or not name.strip():
        raise ParameterError(f"{key} must be a library strategy's name, got {name!r}"[:200])
    try:
        player = make_strategy(name)
    except ParameterError as error:
        raise ParameterError(f"{key}: {error}") from None
    if not player.is_automaton:
        raise ParameterError(f"{key}: {player.label} is not an automaton (use a library strategy)")
    return player
