"""The group game in every group of a population, vectorised over groups.

Each group of a :class:`~.population.Population` (a knowledge-sharing network
proper: KITe's one network of twelve organisations, Delta's several of at most
fifteen people; seed 001 s.6) plays the n-party group game of
:mod:`learning_dilemma.games.group` for a fixed number of rounds. The rules,
their sources and how the pairwise game's stakes, power, exit and tacit
transfer generalise are stated there; this module applies them, in the order
of the pairwise engine (:mod:`learning_dilemma.engine.vectorised`), to all
groups and repetitions at once: members (group, slot) and ordered pairs of
members are flattened into arrays, one loop runs over rounds, and sums per
member are ``np.bincount`` over the pairs.

One round, in order (as :func:`~learning_dilemma.engine.vectorised.play_automata`):

1. Each active member's automaton reads its view (its own stakes and the others'
   mean, :func:`~learning_dilemma.games.group.others_stakes`) and state; it
   leaves with its exit probability, else intends GIVE with its give
   probability (one draw, :func:`~learning_dilemma.games.execution.chooses`).
2. Noise flips an intention (not an exit). A member who leaves is out for the
   rest of the run; a group left with fewer than two active members is closed
   from this round on ("left").
3. Each give reaches each other active member unless tacit failure at the
   pair's tie (one draw per ordered pair).
4. Stage and two-level payoffs from the stakes at the start of the round
   (:func:`~learning_dilemma.games.group.group_stage_payoffs` and its two-level
   forms); a member not active earns ``P``.
5. Stakes fall with the attention-weighted learning; a member whose stakes reach
   0 leaves, and a group left with fewer than two is closed ("race over"); ties
   grow after a pair's mutual giving.
6. Each automaton moves on its own move and the others' moves as seen (the
   quorum rule, :func:`~learning_dilemma.games.group.observed_give`).

**Draws.** Repetition ``k`` of a group draws
:func:`~learning_dilemma.seeding.group_draws` from
``repetition_sequence(entropy, key, k)``, ``key`` the group's
(:func:`group_keys`). A group of two draws a match's columns, so it plays bit
for bit as ``Match(a, b, game, turns=rounds, seed=seed, key=key,
repetitions=R, noise=noise)``: moves, transfers, stakes and payoffs
(``tests/networks/test_groups.py``). Results do not depend on the order the
groups are listed in, nor on how the (group, repetition) plays are cut into
engine runs (``budget``).

**Identity coping** (:mod:`.coping`; seed 000 s.5.3). Chinese walls make each
ordered pair's overlap directional (what flows into each member), and a
member's automaton is compiled with the game as they perceive it: the others'
walls (their mean), their own meta-identity and multi-vocality; members with
``efficiency`` spend their attention on receptive counterparts
(:func:`~learning_dilemma.games.group.efficient_attention`: each relation
weighs ``w_ij`` instead of ``a``); multi-vocality pays ``v_i`` per relation in
which both gave, weighted as the relation. With every coping value off none of
this runs: the play is part 1's to the bit (``tests/networks/test_coping.py``).

Only automata play in groups (every library strategy is one); a person whose
strategy is not an automaton is refused with a one-line error naming the person
and the group. Automata start each group at their start state (a tie's prior
rounds between two members start the pair's tie strength, not the automata:
an automaton in a group has one state for all the others).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_count, check_probability, continuation_of
from ..errors import ParameterError
from ..games import LearningGame, failure_probability, initial_tie, stakes_step, tie_step
from ..games.execution import chooses, flip, intends_give, transfers
from ..games.group import (
    GroupGame, Pairs, attention, efficient_attention, group_learned, group_levels, observed_give, others_stakes,
)
from ..limits import check
from ..moves import EXIT
from ..players.automaton import MatchContext, view_index
from ..seeding import group_draws, group_key, repetition_sequence, root_entropy
from .coping import Coping, multivocal_value
from .population import Population
from .results import GROUP_ENDINGS, Contributions, GroupSummary

__all__ = ["DRAWS_BUDGET", "GroupPlay", "group_keys", "play_group_rounds", "play_groups"]

#: Largest draws array, in bytes, of one engine run (a chunk of (group,
#: repetition) plays); a single play larger than this runs alone.
DRAWS_BUDGET = 64_000_000

_EXIT = int(EXIT)
_LEFT, _RACE_OVER = (GROUP_ENDINGS.index(name) for name in ("left", "race over"))


def group_keys(population: Population) -> list:
    """The draw key of each group (population order): :func:`~learning_dilemma.seeding.group_key`
    of its members in slot order, so a group's draws depend on who is in it, never
    on the other groups or the order they were listed in (ties are keyed by their
    people for the same reason)."""
    return [group_key(group.members) for group in population.groups]


@dataclass(eq=False)
class GroupPlay:
    """Every member's play in every group, per repetition and round.

    Memberships are numbered group by group in population order, members in
    slot order (membership ``offsets[g] + m`` is slot ``m`` of group ``g``);
    ordered pairs of members as :class:`~learning_dilemma.games.group.Pairs`
    (giver-major within each group).

    Attributes
    ----------
    person : ndarray of int, shape (memberships,)
        The person of each membership.
    offsets : ndarray of int, shape (groups + 1,)
    pairs : Pairs
        The ordered pairs of memberships.
    moves : ndarray of int8, shape (repetitions, memberships, rounds)
        1 GIVE, 0 TAKE, 2 EXIT (after the member left, or once the group closed).
    stakes : ndarray of int32, shape (repetitions, memberships, rounds + 1)
        Each member's stakes before each round and after the last.
    payoffs : ndarray, shape (repetitions, memberships, rounds)
        Stage payoffs (:func:`~learning_dilemma.games.group.group_stage_payoffs`).
    person_payoffs, organisation_payoffs : ndarray, shape (repetitions, memberships, rounds)
        The two-level payoffs.
    learning : ndarray, shape (repetitions, memberships, rounds)
        ``a r_i sum_j x_ji``: what the member learned.
    active : ndarray of int32, shape (repetitions, groups, rounds)
        Active members of each group in each round (0 once closed).
    gave : ndarray of int32, shape (repetitions, groups, rounds)
        Active members that gave.
    ended_by : ndarray of int8, shape (repetitions, groups)
        Codes of :data:`~learning_dilemma.networks.results.GROUP_ENDINGS`.
    transfers : ndarray of int8, shape (repetitions, pairs, rounds), or None
        1 where the pair's first member's give reached its second (kept with ``record=True``).
    ties : ndarray of int32, shape (repetitions, pairs, rounds + 1), or None
        Each pair's tie strength before each round and after the last (kept with ``record=True``).
    """

    person: np.ndarray
    offsets: np.ndarray
    pairs: Pairs
    moves: np.ndarray
    stakes: np.ndarray
    payoffs: np.ndarray
    person_payoffs: np.ndarray
    organisation_payoffs: np.ndarray
    learning: np.ndarray
    active: np.ndarray
    gave: np.ndarray
    ended_by: np.ndarray
    transfers: np.ndarray | None = None
    ties: np.ndarray | None = None

    def members(self, group: int) -> slice:
        """The memberships of group ``group``."""
        return slice(int(self.offsets[group]), int(self.offsets[group + 1]))

    def group_pairs(self, group: int) -> slice:
        """The ordered pairs of group ``group``."""
        sizes = np.diff(self.offsets)
        start = int(np.sum(sizes[:group] * (sizes[:group] - 1)))
        n = int(sizes[group])
        return slice(start, start + n * (n - 1))

    def contributions(self, population: Population) -> Contributions:
        """What the groups gave each person, summed over their memberships."""
        repetitions, _, rounds = self.moves.shape
        totals = Contributions.zeros(repetitions, population.n_people, rounds)
        acted = self.moves != _EXIT
        values = {"person_payoffs": self.person_payoffs, "organisation_payoffs": self.organisation_payoffs,
                  "gives": self.moves == 1, "acts": acted, "learning": self.learning,
                  "absorbed": population.absorption[self.person][None, :, None] * self.learning}
        for name, value in values.items():
            target = getattr(totals, name)
            # membership by membership, in a fixed order: the sums do not depend on chunks
            np.add.at(target, (slice(None), self.person), value.astype(target.dtype, copy=False))
        return totals

    def summary(self) -> GroupSummary:
        """The :class:`~learning_dilemma.networks.results.GroupSummary` of the play."""
        with np.errstate(invalid="ignore", divide="ignore"):
            gives = np.where(self.active > 0, self.gave / np.maximum(self.active, 1), np.nan)
        final = [self.stakes[:, self.members(g), -1].astype(np.int64) for g in range(len(self.offsets) - 1)]
        return GroupSummary(gives, self.active.copy(), self.ended_by.copy(), final)


def play_groups(population: Population, game: LearningGame | None, rounds: int, seed, repetitions: int = 1,
                noise: float = 0.0, group_game: GroupGame | None = None, budget: int | None = None
                ) -> tuple[Contributions, GroupSummary]:
    """Play the group game in every group of ``population``.

    Parameters
    ----------
    population : Population
    game : LearningGame or None
        The stage game (``None``: ``LearningGame()``).
    rounds : int
        Rounds of every group (fixed length).
    seed : int or None
        The run's seed (``None``: fresh entropy).
    repetitions : int
    noise : float
        Probability in [0, 1] that an intended move is flipped.
    group_game : GroupGame, optional
        The group rules; default ``GroupGame()``.
    budget : int, optional
        Bytes of draws per engine run (:data:`DRAWS_BUDGET`); the results do not depend on it.

    Returns
    -------
    contributions : Contributions
        What the groups gave each person, per repetition and round.
    summary : GroupSummary
    """
    play = play_group_rounds(population, game, rounds, seed, repetitions, noise, group_game, budget=budget)
    return play.contributions(population), play.summary()


def _check_run(population, game, group_game, rounds, repetitions, noise, budget):
    if not isinstance(population, Population):
        raise ParameterError(f"population must be a Population, got {population!r}")
    game = LearningGame() if game is None else game
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    group_game = GroupGame() if group_game is None else group_game
    if not isinstance(group_game, GroupGame):
        raise ParameterError(f"group_game must be a GroupGame, got {group_game!r}")
    rounds = check_count("rounds", rounds, 1)
    repetitions = check_count("repetitions", repetitions, 1)
    noise = check_probability("noise", noise)
    budget = DRAWS_BUDGET if budget is None else check_count("budget", budget, 1)
    sizes = np.array([len(g.members) for g in population.groups], dtype=np.int64)
    check("match_rounds", rounds, f"rounds={rounds}")
    if len(sizes):
        largest = int(np.argmax(sizes))
        n = int(sizes[largest])
        # a group's draws for all its rounds are held at once: one number a round per
        # ordered pair and member; a group of two holds a match's, one relation
        check("match_rounds", rounds * n * (n - 1) // 2,
              f"group {population.groups[largest].name!r} ({n} members, {n * (n - 1) // 2:,} relations) "
              f"x rounds={rounds}, drawn and held in memory at once", hint="or smaller groups")
        memberships = int(sizes.sum())
        relations = int(np.sum(sizes * (sizes - 1) // 2))
        check("rounds", memberships * rounds * repetitions,
              f"{memberships:,} group memberships x rounds={rounds} x repetitions={repetitions}")
        check("rounds", relations * rounds * repetitions,
              f"{relations:,} relations inside groups x rounds={rounds} x repetitions={repetitions}")
    players = population.players()
    for group in population.groups:
        for p in group.members:
            if not players[p].is_automaton:
                raise ParameterError(
                    f"group {group.name!r}: person {population.people[p].name!r} plays {players[p].label}, "
                    "which is not an automaton (groups play automata only; every library strategy is one)")
    return game, group_game, rounds, repetitions, noise, budget


class _Members:
    """The per-membership and per-pair constants of the population's groups, computed once."""

    def __init__(self, population: Population, game: LearningGame, rounds: int):
        groups = population.groups
        self.sizes = np.array([len(g.members) for g in groups], dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(self.sizes))).astype(np.intp)
        self.person = np.array([p for g in groups for p in g.members], dtype=np.intp)
        self.pairs = Pairs.of_sizes(self.sizes)
        self.pair_offsets = np.concatenate(([0], np.cumsum(self.sizes * (self.sizes - 1)))).astype(np.intp)
        people = self.person
        first, second = people[self.pairs.first], people[self.pairs.second]
        coping = Coping(population, game, rounds)
        # one array per pair (part 1), or (into the first member, into the second) with Chinese walls
        self.overlap = coping.pair_overlap(first, second)
        self.efficiency = population.person_values("efficiency")[people] if coping.efficiency else None
        self.multivocality = population.person_values("multivocality")[people] if coping.multivocal else None
        prior = {(int(u), int(v)): int(k) for (u, v), k in zip(population.tie_people, population.tie_prior)}
        self.initial_tie = np.array([initial_tie(prior.get((min(u, v), max(u, v)), 0), game.ties)
                                     for u, v in zip(first.tolist(), second.tolist())], dtype=np.int64)
        self.receptivity = population.receptivities()[people]
        self.tacitness = population.tacitnesses()[people]
        self.absorption = population.absorption[people]
        self.identification = population.person_values("identification")[people]
        self.recognition = population.person_values("recognition")[people]
        self.identity_weight = population.person_values("identity_weight")[people]
        self.prescription = population.person_values("prescription")[people]
        # one table a distinct player object, stacked into one state space
        players = population.players()
        context = MatchContext(game, continuation_of(rounds, None), rounds)
        index, tables = {}, []
        table_of = np.empty(len(people), dtype=np.intp)
        if coping.perceives:  # each member's strategy as they perceive the game (:mod:`.coping`)
            seen_walls = np.concatenate([coping.group_partner_overlap(g.members) for g in groups]) if groups else []
            contexts = [coping.context(p, seen_walls[m]) for m, p in enumerate(people.tolist())]
        else:
            contexts = [context] * len(people)
        for m, p in enumerate(people.tolist()):
            seen = contexts[m]
            key = id(players[p]) if seen is context else (id(players[p]), seen.game, seen.continuation, seen.turns)
            if key not in index:
                index[key] = len(tables)
                tables.append(players[p].compiled(seen))
            table_of[m] = index[key]
        sizes = np.array([t.n_states for t in tables], dtype=np.intp)
        table_offsets = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.intp) if tables else np.zeros(0)
        self.gives = np.concatenate([t.give for t in tables]) if tables else np.zeros((0, 1))
        self.leaves = np.concatenate([t.leave for t in tables]) if tables else np.zeros((0, 1))
        self.nexts = (np.concatenate([t.next_state + off for t, off in zip(tables, table_offsets)])
                      if tables else np.zeros((0, 2, 2), dtype=np.intp))
        self.start = np.array([table_offsets[table_of[m]] + tables[table_of[m]].start for m in range(len(people))],
                              dtype=np.intp)
        self.leaving = any(t.leaves for t in tables)


def _columns(n: int, noise: bool, learning: bool) -> int:
    return n * n + 1 + n * noise + n * learning


def play_group_rounds(population: Population, game: LearningGame | None, rounds: int, seed, repetitions: int = 1,
                      noise: float = 0.0, group_game: GroupGame | None = None, record: bool = False,
                      budget: int | None = None) -> GroupPlay:
    """Play every group, keeping every member's arrays (:class:`GroupPlay`).

    Arguments as for :func:`play_groups`; ``record`` also keeps each ordered
    pair's transfers and tie strengths.
    """
    game, group_game, rounds, repetitions, noise, budget = _check_run(
        population, game, group_game, rounds, repetitions, noise, budget)
    entropy = root_entropy(seed)
    members = _Members(population, game, rounds)
    n_groups, n_members, n_pairs = len(members.sizes), len(members.person), len(members.pairs)
    shape = (repetitions, n_members, rounds)
    play = GroupPlay(
        members.person, members.offsets, members.pairs,
        moves=np.full(shape, _EXIT, dtype=np.int8),
        stakes=np.zeros((repetitions, n_members, rounds + 1), dtype=np.int32),
        payoffs=np.zeros(shape), person_payoffs=np.zeros(shape), organisation_payoffs=np.zeros(shape),
        learning=np.zeros(shape),
        active=np.zeros((repetitions, n_groups, rounds), dtype=np.int32),
        gave=np.zeros((repetitions, n_groups, rounds), dtype=np.int32),
        ended_by=np.zeros((repetitions, n_groups), dtype=np.int8),
        transfers=np.zeros((repetitions, n_pairs, rounds), dtype=np.int8) if record else None,
        ties=np.zeros((repetitions, n_pairs, rounds + 1), dtype=np.int32) if record else None,
    )
    if not n_groups:
        return play
    keys = group_keys(population)
    learning = game.knowledge.active
    # the (group, repetition) plays, cut into engine runs whose draws fit the budget
    units = [(g, k) for k in range(repetitions) for g in range(n_groups)]
    chunk, cost = [], 0
    for unit in units:
        size = rounds * _columns(int(members.sizes[unit[0]]), noise > 0, learning) * 8
        if chunk and cost + size > budget:
            _play_chunk(play, members, chunk, game, group_game, rounds, entropy, keys, noise, record)
            chunk, cost = [], 0
        chunk.append(unit)
        cost += size
    _play_chunk(play, members, chunk, game, group_game, rounds, entropy, keys, noise, record)
    return play


def _play_chunk(play: GroupPlay, members: _Members, units, game, group_game, rounds, entropy, keys, noise, record):
    """One loop over rounds for the (group, repetition) ``units``; results into ``play``."""
    knowledge, ties = game.knowledge, game.ties
    width = knowledge.levels + 1
    learning = knowledge.active
    sizes = np.array([members.sizes[g] for g, _ in units], dtype=np.int64)
    # flattened memberships of the chunk: where each comes from in the population's arrays
    source = np.concatenate([np.arange(members.offsets[g], members.offsets[g + 1]) for g, _ in units])
    pair_source = np.concatenate([np.arange(members.pair_offsets[g], members.pair_offsets[g + 1]) for g, _ in units])
    unit_of = np.repeat(np.arange(len(units)), sizes)
    n_units, n_slots = len(units), len(source)
    pairs = Pairs.of_sizes(sizes)
    first, second = pairs.first, pairs.second
    r, tau = members.receptivity[source], members.tacitness[source]
    absorption, identification = members.absorption[source], members.identification[source]
    recognition, identity_weight = members.recognition[source], members.identity_weight[source]
    prescribed = members.prescription[source]
    if isinstance(members.overlap, tuple):
        overlap = tuple(part[pair_source] for part in members.overlap)
    else:
        overlap = members.overlap[pair_source]
    efficiency = None if members.efficiency is None else members.efficiency[source]
    voice = None if members.multivocality is None else members.multivocality[source]
    tacit_giver = tau[first]

    # the draws, per round: give and noise and learning draws by membership, tacit draws by pair
    give_draws = np.empty((rounds, n_slots))
    tacit_draws = np.empty((rounds, len(pairs)))
    noise_draws = np.empty((rounds, n_slots)) if noise > 0 else None
    learn_draws = np.empty((rounds, n_slots)) if learning else None
    slot = pair = 0
    for (g, k), n in zip(units, sizes.tolist()):
        drawn = group_draws(repetition_sequence(entropy, keys[g], k), rounds, n, noise > 0, learning)
        give_draws[:, slot:slot + n] = drawn[:, :n]
        tacit_draws[:, pair:pair + n * (n - 1)] = drawn[:, n:n * n]
        column = n * n + 1
        if noise_draws is not None:
            noise_draws[:, slot:slot + n] = drawn[:, column:column + n]
            column += n
        if learn_draws is not None:
            learn_draws[:, slot:slot + n] = drawn[:, column:column + n]
        slot += n
        pair += n * (n - 1)
        del drawn

    state = members.start[source].copy()
    stakes = np.full(n_slots, game.initial_stakes(0)[0], dtype=np.int64)
    tie = members.initial_tie[pair_source].copy()
    present = np.ones(n_slots, dtype=bool)        # not left (by exit or by learning all)
    is_open = np.ones(n_units, dtype=bool)
    ended_by = np.zeros(n_units, dtype=np.int8)

    moves = np.empty((rounds, n_slots), dtype=np.int8)
    stakes_path = np.empty((rounds + 1, n_slots), dtype=np.int32)
    stakes_path[0] = stakes
    payoffs, person_payoffs, organisation_payoffs, learned_values = (np.empty((rounds, n_slots)) for _ in range(4))
    active_count = np.empty((rounds, n_units), dtype=np.int32)
    gave_count = np.empty((rounds, n_units), dtype=np.int32)
    moved_path = np.empty((rounds, len(pairs)), dtype=np.int8) if record else None
    tie_path = np.empty((rounds + 1, len(pairs)), dtype=np.int32) if record else None
    if record:
        tie_path[0] = tie

    for t in range(rounds):
        live = present & is_open[unit_of]
        if width == 1:
            view = np.zeros(n_slots, dtype=np.intp)
        else:
            counted = np.bincount(unit_of, weights=np.where(live, stakes, 0), minlength=n_units)
            starting = np.bincount(unit_of, weights=live, minlength=n_units).astype(np.int64)
            seen = others_stakes(counted[unit_of], stakes, starting[unit_of])
            view = view_index(stakes, seen, knowledge.levels)
        give = members.gives[state, view]
        if members.leaving:
            leaves, intended = chooses(give_draws[t], members.leaves[state, view], give)
        else:
            leaves, intended = None, intends_give(give_draws[t], give)
        if noise:
            intended = flip(intended, noise_draws[t], noise)
            if leaves is not None:
                intended = intended & ~leaves
        active = live
        if leaves is not None:
            active = live & ~leaves
            present = present & ~(live & leaves)
        count = np.bincount(unit_of, weights=active, minlength=n_units).astype(np.int64)
        closing = is_open & (count < 2)
        ended_by = np.where(closing, _LEFT, ended_by).astype(np.int8)
        is_open = is_open & ~closing
        active = active & is_open[unit_of]
        count = np.where(is_open, count, 0)
        n_a = count[unit_of]
        weight = attention(n_a, group_game.congestion)
        played = intended & active
        failure = failure_probability(tacit_giver, tie, ties) if ties.active else tacit_giver
        reached = transfers(played[first] & active[second], tacit_draws[t], failure)
        moves[t] = np.where(active, played, _EXIT)
        if record:
            moved_path[t] = reached

        pair_weight = (None if efficiency is None
                       else efficient_attention(pairs, weight, n_a, r, active, efficiency))
        payoffs[t], person_payoffs[t], organisation_payoffs[t] = group_levels(
            game, pairs, played, reached, r, stakes, active, weight, n_a, absorption, identification, recognition,
            identity_weight, prescribed, overlap, pair_weight)
        if voice is not None:  # multi-vocality: v_i per relation in which both gave, weighted as the relation
            both_gave = np.where(active[first] & active[second], multivocal_value(played[first], played[second],
                                                                                voice[first]), 0.0)
            extra = (pairs.per_member(both_gave) * weight if pair_weight is None
                     else pairs.per_member(pair_weight * both_gave))
            person_payoffs[t] += extra
            organisation_payoffs[t] += extra
        received = pairs.per_member(reached, at="second")
        if pair_weight is None:
            learned_values[t] = np.where(active, weight * (r * received), 0.0)
        else:
            learned_values[t] = np.where(active, r * pairs.per_member(pair_weight * reached, at="second"), 0.0)
        active_count[t] = count
        gave_count[t] = np.bincount(unit_of, weights=played, minlength=n_units)

        if learning:
            learned = group_learned(weight, received, pair_weight, pairs, reached)
            stakes = np.where(active, stakes_step(stakes, learned, learn_draws[t], r, knowledge), stakes)
            done = active & (stakes == 0)
            present = present & ~done
            remaining = np.bincount(unit_of, weights=active & ~done, minlength=n_units)
            over = is_open & (remaining < 2)
            ended_by = np.where(over, _RACE_OVER, ended_by).astype(np.int8)
            is_open = is_open & ~over
            stakes_path[t + 1] = stakes
        else:
            stakes_path[t + 1] = stakes
        if ties.active:
            tie = np.where(active[first] & active[second], tie_step(tie, played[first], played[second], ties), tie)
        if record:
            tie_path[t + 1] = tie
        # each automaton moves on its own move and the others' as seen (the quorum rule)
        seen_give = observed_give(received, n_a, group_game.quorum)
        following = members.nexts[state, played * 1, seen_give * 1]
        state = np.where(active, following, state)

    # into the play's arrays, unit by unit
    slot = pair = 0
    for u, ((g, k), n) in enumerate(zip(units, sizes.tolist())):
        target = play.members(g)
        block = slice(slot, slot + n)
        play.moves[k, target] = moves[:, block].T
        play.stakes[k, target] = stakes_path[:, block].T
        play.payoffs[k, target] = payoffs[:, block].T
        play.person_payoffs[k, target] = person_payoffs[:, block].T
        play.organisation_payoffs[k, target] = organisation_payoffs[:, block].T
        play.learning[k, target] = learned_values[:, block].T
        play.active[k, g] = active_count[:, u]
        play.gave[k, g] = gave_count[:, u]
        play.ended_by[k, g] = ended_by[u]
        if record:
            ordered = slice(pair, pair + n * (n - 1))
            play.transfers[k, play.group_pairs(g)] = moved_path[:, ordered].T
            play.ties[k, play.group_pairs(g)] = tie_path[:, ordered].T
        slot += n
        pair += n * (n - 1)
