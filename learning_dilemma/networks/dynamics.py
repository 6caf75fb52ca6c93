"""Play and imitation on the structure: strategies spread along ties, round by round.

Part 3 of the knowledge-sharing networks (issue 18): people play the learning
game along their ties and copy colleagues who do better. Kraatz (1998) finds
that organisations adapt by imitating the organisations they are tied to
("learning by association"); the seeds ask when giving emerges in a network of
people inside organisations. Each of ``rounds`` rounds has two steps.

**1. Play.** Every tie plays one round of the pairwise learning game, all ties
at once, by the rules of :mod:`learning_dilemma.games` in the order of
:func:`learning_dilemma.engine.vectorised.play_automata` (``docs/model.md``,
"One round, in order"): each side exits or intends to give from one draw
(:func:`~learning_dilemma.games.execution.chooses`), noise flips the intention
(:func:`~learning_dilemma.games.execution.flip`), an exit closes the relation,
a give fails with the tacit-failure probability of the tie
(:func:`~learning_dilemma.games.knowledge.failure_probability`,
:func:`~learning_dilemma.games.execution.transfers`), the payoffs use the
power position at the start of the round, the stakes run down
(:func:`~learning_dilemma.games.knowledge.stakes_step`), the race may end
(:func:`~learning_dilemma.games.knowledge.race_over`), the tie grows
(:func:`~learning_dilemma.games.knowledge.tie_step`), and each automaton moves
on its own move and the partner's move as seen. Each tie-side keeps its
automaton state, and each tie its stakes, strength and whether it is open,
from round to round: a tie between two strategies that do not change plays a
:class:`~learning_dilemma.match.Match` of them, round after round. A person's
payoff from a tie is the two-level person payoff of
:mod:`learning_dilemma.games.levels` (:func:`~learning_dilemma.games.levels.two_levels`
plus :func:`~learning_dilemma.games.levels.act_value`, ``P`` in a closed round),
as :mod:`.play` pays it, and identity coping (:mod:`.coping`: Chinese walls,
a meta-identity, multi-vocality) acts as it does there: the payoffs read the
overlaps into each side and the private value of mutual giving, and each
tie-side's strategy is compiled with the game as its person perceives it
facing that partner (one table per strategy and perceived game, so a person
who changes strategy perceives with the new one). Avoidance for efficiency
weighs attention in groups only, so it does not act along ties. The rules are
evaluated once, over every outcome a
round can have (moves, transfers, power position, receptivities and the
people's parameters), into a table the round looks its payoffs up in: the same
values, to the bit, as evaluating them round by round.

**2. Imitation.** The payoff of person *i* for selection is the mean over
*i*'s ties of *i*'s payoff, ``f_i = sum_j p_ij u_ij`` with ``p_ij = w_ij /
w_i`` and every tie of weight 1 (Allen et al. 2017's edge-weighted payoff),
over the last round or, with ``memory = m``, the mean over the last ``m``
rounds since *i* last changed strategy (our choice: a repeated game's
strategies differ in what they earn over several rounds, not in one). Each
round each person updates with probability ``rate``, by one of three rules
(spec of issue 18; mutation ``mu`` as in :mod:`learning_dilemma.dynamics`):

- ``"pairwise"`` (imitation along ties; Szabo & Toke 1998; Traulsen, Nowak &
  Pacheco 2006; Kraatz 1998): *i* picks a neighbour *j* uniformly
  (``p_ij``) and adopts *j*'s strategy with probability
  ``1 / (1 + exp(-delta (f_j - f_i)))``;
- ``"death_birth"`` (DB; Ohtsuki, Hauert, Lieberman & Nowak 2006): *i* dies
  and its neighbours compete for the site with probability proportional to
  ``w_ij F_j``;
- ``"birth_death"`` (BD; Lieberman, Hauert & Nowak 2005; Ohtsuki et al.
  2006): a person reproduces with probability proportional to ``F``, its
  offspring replaces a neighbour chosen with ``p_ij``. The number of births in
  a round is binomial (``people``, ``rate``), so ``rate`` is again the
  expected updates per person and round.

Fitness is ``F = 1 + delta f`` (``fitness="linear"``, weak selection as
``delta -> 0``; it must stay positive) or ``exp(delta f)``
(``"exponential"``). With probability ``mu`` an update takes a strategy drawn
uniformly from the roster instead (a mutant offspring under DB and BD). A
person without ties never imitates, reproduces or is replaced; they change
only by mutation (under BD, where mutation comes with a birth, never).
``"pairwise"`` reads the payoffs themselves (the Fermi function), the other
two the fitness.

**Synchronous updating** (our choice): a round's updates all read the
strategies and payoffs at the end of that round's play and take effect
together before the next round. A round is the unit in which everybody plays
every tie once; updating people one at a time inside it would need the round
replayed after each update. Synchronous and asynchronous updating can differ
(Huberman & Glance 1993, on Nowak & May 1992's synchronous lattice): with a
small ``rate`` two neighbours rarely update in the same round (about ``rate^2``
per tie and round) and the process approaches the asynchronous one, one update
at a time, of the papers whose results are tested here.

**A changed strategy restarts its relations** (our choice, ``restart =
"relation"``): when a person's strategy changes, each of their ties starts a new
relation (both automata at their start after the tie's prior rounds, stakes
``game.initial_stakes(0)``, tie ``initial_tie(prior)``, open): the pairing is
a new one, as every engine starts a match, so what a tie earns between changes
is exactly what a match of the two strategies earns, and a relation that an exit
or a finished race has closed opens again for the new strategy (otherwise,
with stakes on, every tie closes within a few dozen rounds and selection stops).
``restart = "side"`` resets only the changed person's automaton and leaves the
partner's state and the relation as they were. The person's payoff memory is
cleared too.

**Draws.** Every draw comes from a numpy Generator keyed by the seed and its
address, never by order: with ``keying = "round"`` (the default) repetition
``k``'s round ``t`` draws from the sequence ``(seed, 104, k, t)``: first the
play's uniforms (one row per tie in the population's tie order, columns: the
two sides' give draws, then the tacit draws if a strategy is tacit, the noise
draws with noise, the learning draws with stakes on), then the imitation's.
With ``keying = "tie"`` each tie plays the draws of :mod:`.play`
(``repetition_draws`` keyed by ``tie_key(u, v)`` and the repetition), so with
``rate = 0`` every tie plays bit for bit as :func:`.play.play_ties` plays it;
only the imitation draws from ``(seed, 104, k, t)``. Same seed, same bytes.

Precision: draws, probabilities, payoffs and fitness are float64; automaton
states, stakes, ties and indices int32; counts int64. Groups of the population
are reported on (shares of strategies and of giving among their members); the
group game (:mod:`.groups`) is not played here.

References
----------
Allen, B., Lippner, G., Chen, Y.-T., Fotouhi, B., Momeni, N., Yau, S.-T. &
Nowak, M. A. (2017). Evolutionary dynamics on any population structure.
Nature 544, 227-230.
Huberman, B. A. & Glance, N. S. (1993). Evolutionary games and computer
simulations. PNAS 90, 7716-7718.
Kraatz, M. S. (1998). Learning by association? Interorganizational networks
and adaptation to environmental change. Academy of Management Journal 41,
621-643.
Lieberman, E., Hauert, C. & Nowak, M. A. (2005). Evolutionary dynamics on
graphs. Nature 433, 312-316.
Nowak, M. A. & May, R. M. (1992). Evolutionary games and spatial chaos.
Nature 359, 826-829.
Ohtsuki, H., Hauert, C., Lieberman, E. & Nowak, M. A. (2006). A simple rule
for the evolution of cooperation on graphs and social networks. Nature 441,
502-505.
Szabo, G. & Toke, C. (1998). Evolutionary prisoner's dilemma game on a square
lattice. Physical Review E 58, 69-73.
Traulsen, A., Nowak, M. A. & Pacheco, J. M. (2006). Stochastic dynamics of
invasion and fixation. Physical Review E 74, 011909.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_count, check_number, check_probability, continuation_of
from ..engine.vectorised import _stack
from ..errors import ParameterError
from ..games import LearningGame, failure_probability, initial_tie, race_over, stakes_step, tie_step
from ..games.execution import chooses, flip, transfers
from ..games.learning import closed_payoff
from ..games.levels import act_value, two_levels
from ..limits import check
from ..players.automaton import MatchContext, view_index
from ..players.player import Player
from ..seeding import DRAWS_PER_ROUND, repetition_draws, repetition_sequence, root_entropy, tie_key
from .coping import Coping, multivocal_value
from .population import Population

__all__ = [
    "DYNAMICS_STREAM", "FITNESS", "KEYINGS", "PAYOFF_TABLE_ENTRIES", "RESTARTS", "RULES", "NetworkEvolution",
    "evolve_network",
]

from ..seeding import DYNAMICS_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
#: The update rules: imitation along ties, death-birth, birth-death.
RULES = ("pairwise", "death_birth", "birth_death")
#: Fitness from the payoff ``f``: ``1 + delta f`` or ``exp(delta f)``.
FITNESS = ("linear", "exponential")
#: How the play's draws are addressed: by repetition and round, or by tie (as :mod:`.play`).
KEYINGS = ("round", "tie")
#: What a changed strategy restarts: every relation of the person, or only their side.
RESTARTS = ("relation", "side")
#: Largest payoff table (entries) looked up each round; above it the payoffs
#: are evaluated round by round instead (the same values, slower). 4 million
#: float64 entries is 32 MB.
PAYOFF_TABLE_ENTRIES = 4_000_000

# the codes of a round's outcome in the payoff table: g_u g_v x_u x_v as four bits,
# then 16 per power position, then one code for a closed relation
_OUTCOMES = 16


# --- the result -------------------------------------------------------------------------

def _ratio(numerator, denominator):
    """``numerator / denominator`` elementwise, nan where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _nanmean(values, axis=0):
    values = np.asarray(values, dtype=float)
    present = ~np.isnan(values)
    return _ratio(np.where(present, values, 0.0).sum(axis=axis), present.sum(axis=axis))


@dataclass(eq=False)
class NetworkEvolution:
    """Play and imitation on a network (:func:`evolve_network`).

    Time ``0`` is the start; time ``t`` (1..rounds) is after round ``t``'s play
    and updates. Arrays per round of play have ``rounds`` entries (round
    ``t`` at index ``t - 1``); arrays of strategies ``rounds + 1``.

    Attributes
    ----------
    population : Population
    game : LearningGame
    strategies : tuple of Player
        The roster; strategy ``s`` is ``strategies[s]``.
    rule, fitness, keying, restart : str
    intensity, mutation, rate, noise : float
    memory, rounds, repetitions : int
    seed : int
        The entropy every draw came from.
    start : ndarray of int, shape (people,)
        Each person's strategy at time 0.
    counts : ndarray of int, shape (repetitions, rounds + 1, strategies)
        People playing each strategy.
    organisation_counts : ndarray, shape (repetitions, rounds + 1, organisations, strategies)
        The same per organisation, a person of ``m`` organisations counting
        ``1/m`` in each (the membership of :class:`~.population.Population`).
    group_counts : ndarray of int, shape (repetitions, rounds + 1, groups, strategies)
        The same among each group's members.
    gives, acts : ndarray of int, shape (repetitions, rounds)
        Tie-sides that gave, and tie-sides of open relations (every tie has two).
    organisation_gives, organisation_acts : ndarray, shape (repetitions, rounds, organisations)
        Gives and acts of each organisation's people (split over membership).
    group_gives, group_acts : ndarray of int, shape (repetitions, rounds, groups)
        Gives and acts of each group's members along their ties.
    payoff : ndarray, shape (repetitions, rounds)
        Mean person payoff per tie-side (``P`` for a closed relation's sides).
    changes : ndarray of int, shape (repetitions, rounds)
        People whose strategy changed in the round's updates.
    final : ndarray of int, shape (repetitions, people)
        Each person's strategy at the end.
    person_payoffs, person_gives, person_acts : ndarray, shape (repetitions, people, rounds), or None
        With ``record=True``: each person's payoff summed over their ties (as
        :class:`~.results.Contributions`), gives and acts, per round.
    """

    population: Population
    game: LearningGame
    strategies: tuple
    rule: str
    fitness: str
    keying: str
    restart: str
    intensity: float
    mutation: float
    rate: float
    noise: float
    memory: int
    rounds: int
    repetitions: int
    seed: int
    start: np.ndarray
    counts: np.ndarray
    organisation_counts: np.ndarray
    group_counts: np.ndarray
    gives: np.ndarray
    acts: np.ndarray
    organisation_gives: np.ndarray
    organisation_acts: np.ndarray
    group_gives: np.ndarray
    group_acts: np.ndarray
    payoff: np.ndarray
    changes: np.ndarray
    final: np.ndarray
    person_payoffs: np.ndarray | None = None
    person_gives: np.ndarray | None = None
    person_acts: np.ndarray | None = None

    # --- arrays -------------------------------------------------------------------------

    @property
    def labels(self) -> tuple:
        """The strategies' labels."""
        return tuple(s.label for s in self.strategies)

    @property
    def shares(self) -> np.ndarray:
        """Share of people playing each strategy, shape (repetitions, rounds + 1, strategies)."""
        return self.counts / max(self.population.n_people, 1)

    @property
    def organisation_shares(self) -> np.ndarray:
        """Shares per organisation, shape (repetitions, rounds + 1, organisations, strategies);
        each organisation's row sums to 1 (nan for an organisation without people)."""
        size = self.population.membership.sum(axis=0)
        return _ratio(self.organisation_counts, size[:, None])

    @property
    def group_shares(self) -> np.ndarray:
        """Shares among each group's members, shape (repetitions, rounds + 1, groups, strategies)."""
        size = np.array([len(g.members) for g in self.population.groups], dtype=float)
        return _ratio(self.group_counts, size[:, None])

    @property
    def giving_share(self) -> np.ndarray:
        """Share of open tie-sides that gave, shape (repetitions, rounds); nan where none was open."""
        return _ratio(self.gives, self.acts)

    @property
    def organisation_giving_share(self) -> np.ndarray:
        """Each organisation's people's giving share, shape (repetitions, rounds, organisations)."""
        return _ratio(self.organisation_gives, self.organisation_acts)

    @property
    def group_giving_share(self) -> np.ndarray:
        """Each group's members' giving share along their ties, shape (repetitions, rounds, groups)."""
        return _ratio(self.group_gives, self.group_acts)

    # --- tables -------------------------------------------------------------------------

    def _times(self, every: int, first: int) -> range:
        every = check_count("every", every, 1)
        times = list(range(first, self.rounds + 1, every))
        if times[-1] != self.rounds:
            times.append(self.rounds)
        return times

    def share_table(self, every: int = 1) -> list[dict]:
        """Strategy shares over time, one row per time, level, unit and strategy.

        Columns: ``round`` (0 is the start), ``level`` (``network``,
        ``organisation``, ``group``), ``unit`` (the organisation's or group's
        name; ``network`` for the whole), ``strategy`` (label), ``share`` (mean
        over repetitions). Every ``every``-th time, and the last.
        """
        rows = []
        levels = [("network", ["network"], self.shares[:, :, None, :]),
                  ("organisation", [o.name for o in self.population.organisations], self.organisation_shares),
                  ("group", [g.name for g in self.population.groups], self.group_shares)]
        labels = self.labels
        for t in self._times(every, 0):
            for level, names, shares in levels:
                mean = _nanmean(shares[:, t], axis=0)
                for k, name in enumerate(names):
                    for s, label in enumerate(labels):
                        rows.append({"round": t, "level": level, "unit": name, "strategy": label,
                                     "share": float(mean[k, s])})
        return rows

    def giving_table(self, every: int = 1) -> list[dict]:
        """Sharing over time, one row per round, level and unit.

        Columns: ``round`` (from 1), ``level``, ``unit`` (as in
        :meth:`share_table`), ``giving_share`` (gives / acts, mean over
        repetitions of each repetition's share), ``gives`` and ``acts`` (means
        over repetitions).
        """
        levels = [("network", ["network"], self.gives[..., None], self.acts[..., None]),
                  ("organisation", [o.name for o in self.population.organisations], self.organisation_gives,
                   self.organisation_acts),
                  ("group", [g.name for g in self.population.groups], self.group_gives, self.group_acts)]
        rows = []
        for t in self._times(every, 1):
            for level, names, gives, acts in levels:
                share = _nanmean(_ratio(gives[:, t - 1], acts[:, t - 1]), axis=0)
                mean_gives, mean_acts = gives[:, t - 1].mean(axis=0), acts[:, t - 1].mean(axis=0)
                for k, name in enumerate(names):
                    rows.append({"round": t, "level": level, "unit": name, "giving_share": float(share[k]),
                                 "gives": float(mean_gives[k]), "acts": float(mean_acts[k])})
        return rows

    def round_table(self, every: int = 1) -> list[dict]:
        """The network per round, means over repetitions.

        Columns: ``round`` (from 1), ``giving_share``, ``mean_payoff`` (per
        tie-side), ``changes`` (strategy changes in the round's updates), and
        per strategy ``share_<k>`` (``k`` the strategy's index in
        :attr:`strategies`; labels are in :meth:`share_table`).
        """
        giving = _nanmean(self.giving_share, axis=0)
        payoff = self.payoff.mean(axis=0)
        changes = self.changes.mean(axis=0)
        shares = self.shares.mean(axis=0)
        rows = []
        for t in self._times(every, 1):
            row = {"round": t, "giving_share": float(giving[t - 1]), "mean_payoff": float(payoff[t - 1]),
                   "changes": float(changes[t - 1])}
            row.update({f"share_{s}": float(shares[t, s]) for s in range(len(self.strategies))})
            rows.append(row)
        return rows

    def person_table(self) -> list[dict]:
        """One row per person: ``person``, ``organisations``, ``ties`` (degree),
        ``start_strategy``, ``final_strategy`` (the most frequent over
        repetitions, the first in roster order on a tie) and ``kept`` (share
        of repetitions that ended with the start strategy)."""
        population = self.population
        degree = np.bincount(population.tie_people.reshape(-1), minlength=population.n_people)
        labels = self.labels
        n = len(self.strategies)
        tally = np.zeros((population.n_people, n), dtype=np.int64)
        for rep in range(self.repetitions):
            tally[np.arange(population.n_people), self.final[rep]] += 1
        kept = (self.final == self.start[None, :]).mean(axis=0)
        return [{"person": person.name, "organisations": "+".join(person.organisations), "ties": int(degree[p]),
                 "start_strategy": labels[self.start[p]], "final_strategy": labels[int(tally[p].argmax())],
                 "kept": float(kept[p])} for p, person in enumerate(population.people)]

    def summary(self) -> dict:
        """Headline numbers: the settings, ``start_shares`` and ``final_shares``
        (label to share, mean over repetitions), ``giving_share_first`` and
        ``giving_share_last`` (first and last round), ``mean_giving_share``
        (over all rounds), ``changes_per_round`` (mean)."""
        shares = self.shares.mean(axis=0)
        giving = _nanmean(self.giving_share, axis=0)
        nan = float("nan")
        return {
            "people": self.population.n_people, "organisations": self.population.n_organisations,
            "ties": self.population.n_ties, "groups": len(self.population.groups),
            "rounds": self.rounds, "repetitions": self.repetitions, "seed": self.seed, "rule": self.rule,
            "intensity": self.intensity, "mutation": self.mutation, "rate": self.rate, "memory": self.memory,
            "fitness": self.fitness, "keying": self.keying, "restart": self.restart, "noise": self.noise,
            "start_shares": {label: float(shares[0, s]) for s, label in enumerate(self.labels)},
            "final_shares": {label: float(shares[-1, s]) for s, label in enumerate(self.labels)},
            "giving_share_first": float(giving[0]) if self.rounds else nan,
            "giving_share_last": float(giving[-1]) if self.rounds else nan,
            "mean_giving_share": float(_ratio(self.gives.sum(), self.acts.sum())),
            "changes_per_round": float(self.changes.mean()),
        }

    def __repr__(self) -> str:
        return (f"NetworkEvolution({self.population!r}, rule={self.rule!r}, rounds={self.rounds}, "
                f"repetitions={self.repetitions}, seed={self.seed})")


# --- checks -----------------------------------------------------------------------------

def _choice(name: str, value, options) -> str:
    if value not in options:
        raise ParameterError(f"{name} must be one of {', '.join(options)}, got {value!r}")
    return value


def _roster(strategies) -> tuple:
    if isinstance(strategies, Player) or not hasattr(strategies, "__iter__"):
        raise ParameterError(f"strategies must be a list of players, got {strategies!r}")
    roster = tuple(strategies)
    if not roster:
        raise ParameterError("strategies must name at least one strategy")
    seen = {}
    for k, player in enumerate(roster):
        if not isinstance(player, Player):
            raise ParameterError(f"strategies[{k}] must be a Player, got {player!r}")
        if not player.is_automaton:
            raise ParameterError(f"strategies[{k}]: {player.label} is not an automaton (the dynamics run the "
                                 "vectorised engine, which plays library strategies and other automata)")
        if player.label in seen:
            raise ParameterError(f"strategies[{k}]: {player.label} is already strategies[{seen[player.label]}]")
        seen[player.label] = k
    return roster


def _start(population: Population, roster: tuple, start) -> np.ndarray:
    n = len(roster)
    if start is None:
        out = np.empty(population.n_people, dtype=np.int32)
        found = {}   # people share their organisation's policy object: look each object up once
        for p, player in enumerate(population.players()):
            if id(player) not in found:
                found[id(player)] = next((k for k, s in enumerate(roster) if s == player), None)
            match = found[id(player)]
            if match is None:
                raise ParameterError(f"person {population.people[p].name!r}: strategy {player.label} is not in "
                                     "strategies (add it, or give start=)")
            out[p] = match
        return out
    try:
        out = np.array(start)
    except (TypeError, ValueError):
        raise ParameterError(f"start must be one strategy index per person, got {start!r}") from None
    if out.shape != (population.n_people,) or not np.issubdtype(out.dtype, np.integer):
        raise ParameterError(f"start must be {population.n_people} whole numbers (strategy indices), got shape "
                             f"{out.shape} of {out.dtype}")
    if out.size and (out.min() < 0 or out.max() >= n):
        raise ParameterError(f"start: strategy indices must be in 0..{n - 1}, got {int(out.min())}..{int(out.max())}")
    return out.astype(np.int32)


# --- the structure as arrays ------------------------------------------------------------

def _ragged(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``range(starts[i], starts[i] + lengths[i])`` for every ``i``."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


class _Structure:
    """Neighbours and incident tie-sides of every person, as CSR arrays."""

    def __init__(self, population: Population):
        n, people = population.n_people, population.tie_people
        sides = people.reshape(-1)                        # tie-side k = 2 e + side, person sides[k]
        order = np.argsort(sides, kind="stable")          # each person's sides in tie order
        self.degree = np.bincount(sides, minlength=n).astype(np.int64)
        self.pointer = np.concatenate(([0], np.cumsum(self.degree)))
        self.side = order                                 # incident tie-sides, person-major
        self.neighbour = people[:, ::-1].reshape(-1)[order]   # the person across each incident side


#: The columns of a payoff class (:func:`_payoff_classes`): the overlaps into each side, then each
#: person-level value of side u and side v.
_CLASS_COLUMNS = ("into_u", "into_v", "absorption_u", "absorption_v", "identification_u", "identification_v",
                  "recognition_u", "recognition_v", "identity_weight_u", "identity_weight_v", "prescription_u",
                  "prescription_v", "multivocality_u", "multivocality_v")


def _payoff_classes(population: Population, coping: Coping):
    """Each tie's class: the distinct values of the pair's and the people's parameters the payoffs read.

    Returns ``(classes, tie_class)``: the classes' :data:`_CLASS_COLUMNS`
    (one row a class) and each tie's class. The overlaps come from
    :meth:`~.coping.Coping.pair_overlap` (part 1's pair overlap, or the
    overlaps into each side of a Chinese wall) once for each distinct pair of
    memberships (people of the same organisations have the same overlaps).
    """
    people = population.tie_people
    if not len(people):
        return np.zeros((0, len(_CLASS_COLUMNS))), np.zeros(0, dtype=np.int64)
    u, v = people[:, 0], people[:, 1]
    memberships = {}   # people of the same organisations have the same membership row
    member_class = np.array([memberships.setdefault(frozenset(p.organisations), len(memberships))
                             for p in population.people], dtype=np.int64)
    _, first = np.unique(member_class, return_index=True)
    pair = member_class[u] * len(first) + member_class[v]
    pairs, pair_of_tie = np.unique(pair, return_inverse=True)
    overlap = coping.pair_overlap(first[pairs // len(first)], first[pairs % len(first)])
    into = np.stack(overlap if isinstance(overlap, tuple) else (overlap, overlap), axis=1)
    gamma, gamma_of_pair = np.unique(into, axis=0, return_inverse=True)   # classes by value, not by pair
    values = np.stack([population.absorption] + [population.person_values(name) for name in
                                                 ("identification", "recognition", "identity_weight",
                                                  "prescription")] + [coping.multivocality], axis=1)
    _, person_class, representative = _classes(values)
    n = len(representative)
    key = (gamma_of_pair.reshape(-1)[pair_of_tie.reshape(-1)] * n + person_class[u]) * n + person_class[v]
    keys, tie_class = np.unique(key, return_inverse=True)
    gamma_of, p_u, p_v = keys // (n * n), representative[(keys // n) % n], representative[keys % n]
    columns = [gamma[gamma_of, 0], gamma[gamma_of, 1]]
    for k in range(values.shape[1]):
        columns += [values[p_u, k], values[p_v, k]]
    return np.stack(columns, axis=1), tie_class.reshape(-1)


def _classes(matrix: np.ndarray):
    """``(distinct rows, each row's class, each class's first row)``."""
    distinct, inverse = np.unique(matrix, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    _, first = np.unique(inverse, return_index=True)
    return distinct, inverse, first


def _outcomes(positions: int, levels: int):
    """The open outcomes' ``g_u, g_v, x_u, x_v`` (floats) and ``z`` (int), in code order."""
    code = np.arange(_OUTCOMES * positions)
    bits = code % _OUTCOMES
    g_u, g_v, x_u, x_v = ((bits >> shift) & 1 for shift in (3, 2, 1, 0))
    z = code // _OUTCOMES - (levels if positions > 1 else 0)
    return [b.astype(float) for b in (g_u, g_v, x_u, x_v)], z.astype(np.int64)


def _side_payoffs(game, coping: Coping, params, r_u, r_v, g_u, g_v, x_u, x_v, z):
    """Person payoffs ``(side u, side v)`` of open rounds, as :mod:`.play` pays them:
    :func:`two_levels` (with the pair of overlaps into each side under a Chinese wall)
    plus :func:`act_value`, plus :func:`~.coping.multivocal_value` under multi-vocality
    (``params`` are the class columns of :func:`_payoff_classes`)."""
    (into_u, into_v, a_u, a_v, l_u, l_v, rho_u, rho_v, k_u, k_v, xs_u, xs_v, voice_u, voice_v) = params
    overlap_u, overlap_v = ((into_u, into_v), (into_v, into_u)) if coping.walls else (into_u, into_u)
    first = two_levels(game, g_u, g_v, x_u, x_v, r_u, r_v, z, a_u, a_v, l_u, overlap_u)[1]
    second = two_levels(game, g_v, g_u, x_v, x_u, r_v, r_u, -z, a_v, a_u, l_v, overlap_v)[1]
    first, second = first + act_value(g_u, rho_u, k_u, xs_u), second + act_value(g_v, rho_v, k_v, xs_v)
    if coping.multivocal:
        first, second = first + multivocal_value(g_u, g_v, voice_u), second + multivocal_value(g_v, g_u, voice_v)
    return first, second


class _Memory:
    """Each person's payoff for selection: the mean of their last ``memory`` rounds' payoffs
    since they last changed strategy.

    A ring of ``memory`` rows (round ``t`` in row ``t % memory``); clearing a
    person zeroes their column and their count of rounds (``age``), so the
    ring never holds a round from before their change and the sum of the
    column is the sum of the rounds to average.
    """

    def __init__(self, memory: int, people: int):
        self.memory = memory
        self.ring = np.zeros((memory, people)) if memory > 1 else None
        self.age = np.zeros(people, dtype=np.int64)

    def add(self, payoff: np.ndarray, t: int) -> np.ndarray:
        """Record round ``t``'s payoffs; returns every person's mean."""
        self.age += 1
        if self.ring is None:
            return payoff
        self.ring[t % self.memory] = payoff
        return self.ring.sum(axis=0) / np.minimum(self.age, self.memory)

    def clear(self, people: np.ndarray) -> None:
        """Forget ``people``'s rounds (their strategy changed)."""
        self.age[people] = 0
        if self.ring is not None:
            self.ring[:, people] = 0.0


# --- one round of play --------------------------------------------------------------------

class _Relations:
    """Every tie-row's relation: automaton states and stakes (side, row), tie strength, open or closed."""

    def __init__(self, rows: int):
        self.state = np.zeros((2, rows), dtype=np.intp)
        self.stakes = np.zeros((2, rows), dtype=np.int32)
        self.tie = np.zeros(rows, dtype=np.int32)
        self.is_open = np.ones(rows, dtype=bool)


def _play_round(game: LearningGame, stacked, relations: _Relations, receptivity, tacitness, step, columns: dict,
                noise: float, leaving: bool, tacit_any: bool):
    """One round of every tie-row, in the order of :func:`~learning_dilemma.engine.vectorised.play_automata`.

    ``stacked`` is ``(gives, next states flattened as state x own x partner,
    leaves)`` of the stacked tables (:func:`~learning_dilemma.engine.vectorised._stack`);
    ``receptivity`` and ``tacitness`` are (2, rows), side 0 the tie's first
    person; ``columns`` names the rows of ``step`` (draws x rows) each
    rule reads (two each, one a side). Moves ``relations`` on and returns
    ``(played, moved, active, position)``: the gives played and those that
    transferred (2, rows), the rows open this round (``None`` when no relation
    can close) and side 0's power position at the start of the round.
    """
    knowledge, ties = game.knowledge, game.ties
    gives, nexts, leaves = stacked
    state, stakes = relations.state, relations.stakes
    if knowledge.active:   # the table's cell (state, view), flattened: one gather instead of two indices
        cell = state * gives.shape[1] + view_index(stakes, stakes[::-1], knowledge.levels)
    else:
        cell = state * gives.shape[1]
    give = gives.reshape(-1)[cell]
    draw = step[columns["give"]]
    if leaving:
        left, intended = chooses(draw, leaves.reshape(-1)[cell], give)
    else:
        left = None
        intended = draw < give
    if noise:
        intended = flip(intended, step[columns["noise"]], noise)
        if left is not None:
            intended = intended & ~left
    if left is not None:
        relations.is_open &= ~(left[0] | left[1])
    dynamic = leaving or knowledge.active
    if dynamic:
        active = relations.is_open.copy()
        played = intended & active
    else:
        active, played = None, intended
    if tacit_any:
        failure = failure_probability(tacitness, relations.tie, ties) if ties.active else tacitness
        moved = transfers(played, step[columns["tacit"]], failure)
    else:
        moved = played
    position = stakes[1] - stakes[0]
    if knowledge.active:
        learn = step[columns["learn"]]
        after = np.stack([stakes_step(stakes[p], moved[1 - p], learn[p], receptivity[p], knowledge) for p in (0, 1)])
        relations.stakes = np.where(active, after, stakes).astype(np.int32, copy=False)
        relations.is_open &= ~(active & race_over(relations.stakes[0], relations.stakes[1], knowledge))
    if ties.active:
        grown = tie_step(relations.tie, played[0], played[1], ties)
        relations.tie = (np.where(active, grown, relations.tie) if dynamic else grown).astype(np.int32, copy=False)
    # each automaton moves on its own move and the partner's move as seen (a failed give looks like a take)
    seen = (played.view(np.int8) << 1) | moved[::-1].view(np.int8)
    following = nexts[(state << 2) + seen]
    relations.state = np.where(active, following, state) if dynamic else following
    return played, moved, active, position


# --- the run ------------------------------------------------------------------------------

class _Run:
    """The arrays of one evolution, its repetitions side by side: tie-row ``k E + e`` is
    repetition ``k`` of tie ``e``, person ``k N + i`` repetition ``k`` of person ``i``."""

    def __init__(self, population, game, roster, start, rounds, repetitions, entropy, rule, intensity, mutation,
                 rate, memory, fitness, noise, keying, restart, record):
        self.population, self.game, self.roster = population, game, roster
        self.rounds, self.R, self.entropy = rounds, repetitions, entropy
        self.rule, self.intensity, self.mutation, self.rate = rule, intensity, mutation, rate
        self.memory, self.fitness, self.noise, self.keying, self.restart = memory, fitness, noise, keying, restart
        self.record = record
        N, E, S, R = population.n_people, population.n_ties, len(roster), repetitions
        self.N, self.E, self.S = N, E, S
        knowledge = game.knowledge

        # strategies: stacked tables, one per strategy and context (the game as a tie-side perceives it under
        # identity coping, networks.coping: table c S + s is strategy s in context c), start states after each
        # tie's prior rounds
        self.coping = coping = Coping(population, game, rounds)
        self.side_context = np.zeros((2, E), dtype=np.intp)
        contexts = [MatchContext(game, continuation_of(rounds, None), rounds)]
        if coping.perceives:
            contexts, seen = [], {}
            for e, pair in enumerate(population.tie_people):
                for side in (0, 1):
                    context = coping.context(int(pair[side]), coping.inflow[int(pair[1 - side])])
                    key = (context.game, context.continuation, context.turns)
                    if key not in seen:
                        seen[key] = len(contexts)
                        contexts.append(context)
                    self.side_context[side, e] = seen[key]
        tables = [p.compiled(context) for context in contexts for p in roster]
        gives, nexts, offsets, leaves = _stack(tables)
        self.stacked = (gives, nexts.reshape(-1).astype(np.intp), leaves)
        self.leaving = any(t.leaves for t in tables)
        self.receptivities = np.array([float(p.receptivity) for p in roster])
        self.tacitnesses = np.array([float(p.tacitness) for p in roster])
        self.tacit_any = bool(np.any(self.tacitnesses > 0))
        deterministic = all(t.is_deterministic for t in tables)
        self.play_draws = not (deterministic and not noise and not self.tacit_any and not knowledge.active)
        if E:
            priors, prior_index = np.unique(population.tie_prior, return_inverse=True)
        else:
            priors, prior_index = np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        self.prior_index = prior_index.reshape(-1)
        self.start_state = np.array([[offsets[s] + tables[s].after_prior_rounds(int(k)) for k in priors]
                                     for s in range(len(tables))], dtype=np.intp)   # (tables, priors)
        self.initial_tie = np.array([initial_tie(int(k), game.ties) for k in priors], dtype=np.int32)[
            self.prior_index]
        self.initial_stakes = np.array(game.initial_stakes(0), dtype=np.int32)[:, None]

        # the draws' rows: a side's give draws, then tacit, noise and learning draws as needed
        if keying == "tie":   # a match's columns (seeding.repetition_draws)
            self.columns = {"give": slice(0, 2), "tacit": slice(2, 4)}
            width = DRAWS_PER_ROUND
        else:
            self.columns = {"give": slice(0, 2)}
            width = 2
            if self.tacit_any:
                self.columns["tacit"] = slice(width, width + 2)
                width += 2
        for name, on in (("noise", noise > 0), ("learn", knowledge.active)):
            if on:
                self.columns[name] = slice(width, width + 2)
                width += 2
        self.width = width

        # the structure, repeated over repetitions
        self.structure = _Structure(population)
        people = population.tie_people.astype(np.intp)
        self.row_people = (np.arange(R)[None, :, None] * N + people.T[:, None, :]).reshape(2, R * E)
        # per-person sums add each person's ties in tie order (as networks.play does): for person p the
        # ties (u, p), u < p, where p is side 1, come before the ties (p, w) where p is side 0
        self.sum_people = np.concatenate((self.row_people[1], self.row_people[0]))
        self.row_tie = np.tile(np.arange(E), R)
        self.degree = np.tile(self.structure.degree, R)

        # payoffs: one table over outcomes, or round by round above the budget
        self.classes, self.tie_class = _payoff_classes(population, coping)
        self.r_values, self.r_index = np.unique(self.receptivities, return_inverse=True)
        self.positions = 2 * knowledge.levels + 1 if (knowledge.active and game.power.active) else 1
        self.codes = _OUTCOMES * self.positions + 1                                # the last: closed
        entries = len(self.classes) * len(self.r_values) ** 2 * self.codes * 2
        self.table = self._payoff_table() if entries <= PAYOFF_TABLE_ENTRIES else None
        self.status_quo = closed_payoff(game)

        # people, and each tie-row's strategies and what they read
        self.strategy = np.tile(np.asarray(start, dtype=np.intp), R)
        self.relations = _Relations(R * E)
        self.row_r = np.zeros((2, R * E))
        self.row_tau = np.zeros((2, R * E))
        self.row_base = np.zeros(R * E, dtype=np.intp)
        self._refresh_rows(np.arange(R * E), None)
        self.remembered = _Memory(memory, R * N)

        # membership entries (person, organisation, weight) and group entries (person, group)
        membership = population.membership
        entry_p, entry_k = np.nonzero(membership)
        self.K, self.G = population.n_organisations, len(population.groups)
        self.org_p = (np.arange(R)[:, None] * N + entry_p[None]).reshape(-1)
        self.org_k = (np.arange(R)[:, None] * self.K + entry_k[None]).reshape(-1)
        self.org_w = np.tile(membership[entry_p, entry_k], R)
        group_p = np.array([m for g in population.groups for m in g.members], dtype=np.intp)
        group_g = np.array([k for k, g in enumerate(population.groups) for _ in g.members], dtype=np.intp)
        self.group_p = (np.arange(R)[:, None] * N + group_p[None]).reshape(-1)
        self.group_g = (np.arange(R)[:, None] * self.G + group_g[None]).reshape(-1)

    # --- payoffs --------------------------------------------------------------------------

    def _payoff_table(self) -> np.ndarray:
        """Person payoffs of each side for every (class, r_u, r_v, outcome): shape (2, entries)."""
        game, levels = self.game, self.game.knowledge.levels
        C, Rn, O = len(self.classes), len(self.r_values), self.codes
        (g_u, g_v, x_u, x_v), z = _outcomes(self.positions, levels)
        params = [self.classes[:, k].reshape(C, 1, 1, 1) for k in range(self.classes.shape[1])]
        r_u, r_v = self.r_values.reshape(1, Rn, 1, 1), self.r_values.reshape(1, 1, Rn, 1)
        first, second = _side_payoffs(game, self.coping, params, r_u, r_v, g_u, g_v, x_u, x_v, z)
        table = np.full((2, C, Rn, Rn, O), closed_payoff(game))
        table[0, ..., :O - 1] = first
        table[1, ..., :O - 1] = second
        return table.reshape(2, -1)

    def lowest_payoff(self) -> float:
        """The lowest payoff a tie-side can earn in a round (outcomes where only gives transfer)."""
        (g_u, g_v, x_u, x_v), _ = _outcomes(self.positions, self.game.knowledge.levels)
        possible = np.append((x_u <= g_u) & (x_v <= g_v), True)
        return float(self.table.reshape(2, -1, self.codes)[:, :, possible].min())

    def _payoffs(self, played, moved, active, position) -> np.ndarray:
        """Person payoffs of every tie-side this round, side 1's rows then side 0's (the order
        :attr:`sum_people` adds them in), shape (2 rows,)."""
        rows = len(self.row_tie)
        out = np.empty(2 * rows)
        if self.table is not None:
            p, m = played.view(np.int8), moved.view(np.int8)
            code = self.row_base + ((p[0] << 3) | (p[1] << 2) | (m[0] << 1) | m[1])
            if self.positions > 1:
                code += _OUTCOMES * (position + self.game.knowledge.levels)
            if active is not None:
                closed = ~active
                code[closed] = self.row_base[closed] + self.codes - 1
            np.take(self.table[1], code, out=out[:rows])
            np.take(self.table[0], code, out=out[rows:])
            return out
        # above the table budget: the same rule evaluated on this round's rows
        params = [self.classes[self.tie_class[self.row_tie], k] for k in range(self.classes.shape[1])]
        g, x = played.astype(float), moved.astype(float)
        first, second = _side_payoffs(self.game, self.coping, params, self.row_r[0], self.row_r[1], g[0], g[1],
                                      x[0], x[1], position.astype(np.int64))
        out[:rows], out[rows:] = second, first
        if active is not None:
            out[np.tile(~active, 2)] = self.status_quo
        return out

    # --- strategy changes -------------------------------------------------------------------

    def _refresh_rows(self, rows: np.ndarray, changed) -> None:
        """Read the strategies of ``rows`` again and restart their relations: every relation,
        or with ``restart = "side"`` only the automata of the sides flagged in ``changed``
        (2, len(rows)); ``changed=None`` starts them all."""
        if not len(rows):
            return
        strategy = self.strategy[self.row_people[:, rows]]                          # (2, n)
        self.row_r[:, rows] = self.receptivities[strategy]
        self.row_tau[:, rows] = self.tacitnesses[strategy]
        ties = self.row_tie[rows]
        Rn = len(self.r_values)
        self.row_base[rows] = ((self.tie_class[ties] * Rn + self.r_index[strategy[0]]) * Rn
                               + self.r_index[strategy[1]]) * self.codes
        starts = self.start_state[self.side_context[:, ties] * self.S + strategy, self.prior_index[ties]]
        relations = self.relations
        if changed is None or self.restart == "relation":
            relations.state[:, rows] = starts
            relations.stakes[:, rows] = self.initial_stakes
            relations.tie[rows] = self.initial_tie[ties]
            relations.is_open[rows] = True
        else:
            relations.state[:, rows] = np.where(changed, starts, relations.state[:, rows])

    def _apply(self, new: np.ndarray) -> np.ndarray:
        """Take the round's new strategies; returns who changed (flat person indices)."""
        changed = np.flatnonzero(new != self.strategy)
        if not len(changed):
            return changed
        self.strategy[changed] = new[changed]
        self.remembered.clear(changed)
        if self.E:
            local, rep = changed % self.N, changed // self.N
            structure = self.structure
            lengths = structure.degree[local]
            sides = structure.side[_ragged(structure.pointer[local], lengths)]      # 2 e + side
            rows = np.repeat(rep, lengths) * self.E + sides // 2
            flags = np.zeros((2, self.R * self.E), dtype=bool)
            flags[sides % 2, rows] = True
            self._refresh_rows(rows, flags[:, rows])   # a row listed twice (both people changed) gets the same
        return changed

    # --- imitation ------------------------------------------------------------------------

    def _fitness(self, f: np.ndarray) -> np.ndarray:
        """``F = 1 + delta f``, or ``exp(delta (f - max f))``: in proportion to ``exp(delta f)``
        (every choice is in proportion to ``F``), without overflow."""
        tied = self.degree > 0
        if self.fitness == "exponential":
            top = float(f[tied].max()) if tied.any() else 0.0
            return np.exp(self.intensity * (f - top))
        F = 1.0 + self.intensity * f
        if np.any(F[tied] <= 0):
            raise ParameterError(f"intensity: fitness 1 + intensity * payoff must be positive, got "
                                 f"{float(F[tied].min()):g} at intensity={self.intensity:g}; lower it "
                                 "or use fitness='exponential'")
        return F

    def _update(self, f: np.ndarray, draws: list) -> np.ndarray:
        """The round's new strategies (synchronous: every update reads ``self.strategy`` as it was)."""
        N, S, structure = self.N, self.S, self.structure
        old = self.strategy
        new = old.copy()
        if self.rule == "birth_death":
            F = self._fitness(f)
            eligible = np.flatnonzero(structure.degree > 0)   # a person without ties has nobody to replace
            for rep, (count, u) in enumerate(draws):
                if not count or not len(eligible):
                    continue
                weights = np.cumsum(F[rep * N + eligible])
                pick = np.searchsorted(weights, u[:, 0] * weights[-1], side="right")
                parent = eligible[np.minimum(pick, len(eligible) - 1)]
                degree = structure.degree[parent]
                target = structure.neighbour[structure.pointer[parent] + (u[:, 1] * degree).astype(np.intp)]
                child = np.where(u[:, 2] < self.mutation, (u[:, 3] * S).astype(np.intp), old[rep * N + parent])
                _, first = np.unique(target, return_index=True)   # two births on one site: the first one
                new[rep * N + target[first]] = child[first]
            return new
        u = np.concatenate(draws) if len(draws) > 1 else draws[0]
        updating = u[:, 0] < self.rate
        mutating = updating & (u[:, 1] < self.mutation)
        chosen = np.flatnonzero(updating & ~mutating & (self.degree > 0))
        local = chosen % N
        base = chosen - local
        degree = structure.degree[local]
        if self.rule == "pairwise":
            model = structure.neighbour[structure.pointer[local] + (u[chosen, 2] * degree).astype(np.intp)] + base
            with np.errstate(over="ignore"):
                adopt = u[chosen, 3] < 1.0 / (1.0 + np.exp(-self.intensity * (f[model] - f[chosen])))
            new[chosen[adopt]] = old[model[adopt]]
        elif len(chosen):  # death-birth: the neighbours compete for the site in proportion to w_ij F_j
            F = self._fitness(f)
            # each dying person's neighbours in a row of their own (padded with weight 0), so each
            # row's cumulative sum, and so the choice, does not depend on the other rows
            widest = int(degree.max())
            slot = np.arange(widest)
            present = slot < degree[:, None]
            neighbours = np.where(present, structure.neighbour[np.minimum(structure.pointer[local][:, None] + slot,
                                                                          len(structure.neighbour) - 1)], 0)
            neighbours = neighbours + base[:, None]
            weights = np.cumsum(np.where(present, F[neighbours], 0.0), axis=1)
            target = u[chosen, 2] * weights[:, -1]
            pick = np.minimum((weights <= target[:, None]).sum(axis=1), degree - 1)
            new[chosen] = old[neighbours[np.arange(len(chosen)), pick]]
        mutants = np.flatnonzero(mutating)
        new[mutants] = (u[mutants, 4] * S).astype(np.intp)
        return new

    def _imitation_draws(self, generators) -> list:
        """Each repetition's imitation draws: one row of five a person (update, mutation,
        neighbour, acceptance, mutant), or for birth-death the births and four a birth."""
        if self.rule == "birth_death":
            out = []
            for rng in generators:
                count = int(rng.binomial(self.N, self.rate))
                out.append((count, rng.random((count, 4))))
            return out
        return [rng.random((self.N, 5)) for rng in generators]

    # --- the loop -------------------------------------------------------------------------

    def run(self) -> dict:
        R, N, E, S, T, K, G = self.R, self.N, self.E, self.S, self.rounds, self.K, self.G
        out = {
            "counts": np.zeros((R, T + 1, S), dtype=np.int64),
            "organisation_counts": np.zeros((R, T + 1, K, S)),
            "group_counts": np.zeros((R, T + 1, G, S), dtype=np.int64),
            "gives": np.zeros((R, T), dtype=np.int64), "acts": np.zeros((R, T), dtype=np.int64),
            "organisation_gives": np.zeros((R, T, K)), "organisation_acts": np.zeros((R, T, K)),
            "group_gives": np.zeros((R, T, G), dtype=np.int64), "group_acts": np.zeros((R, T, G), dtype=np.int64),
            "payoff": np.zeros((R, T)), "changes": np.zeros((R, T), dtype=np.int64),
        }
        if self.record:
            for name in ("person_payoffs", "person_gives", "person_acts"):
                out[name] = np.zeros((R, N, T), dtype=float if name == "person_payoffs" else np.int32)
        self._count(out, 0)
        tie_draws = self._tie_draws() if self.keying == "tie" else None
        step = np.zeros((self.width, R * E))
        block = np.zeros((self.width, E)) if R > 1 else None
        updating = self.rate > 0
        drawing = self.keying == "round" and self.play_draws
        stride = self.width * E   # the play's doubles, first in a (repetition, round) stream
        for t in range(T):
            generators = [np.random.Generator(np.random.PCG64(np.random.SeedSequence(
                self.entropy, spawn_key=(DYNAMICS_STREAM, rep, t)))) for rep in range(R)] \
                if (updating or drawing) else []
            if tie_draws is not None:
                step = tie_draws[:, t].T
            elif drawing:
                if block is None:
                    generators[0].random(out=step)
                else:
                    for rep, rng in enumerate(generators):
                        rng.random(out=block)
                        step[:, rep * E:(rep + 1) * E] = block
            elif updating and self.keying == "round":
                for rng in generators:   # the same imitation draws whether the play drew or not
                    rng.bit_generator.advance(stride)
            played, moved, active, position = _play_round(
                self.game, self.stacked, self.relations, self.row_r, self.row_tau, step, self.columns, self.noise,
                self.leaving, self.tacit_any)
            payoffs = self._payoffs(played, moved, active, position)
            total = np.bincount(self.sum_people, weights=payoffs, minlength=R * N)
            gives = np.bincount(self.row_people.reshape(-1), weights=played.reshape(-1), minlength=R * N)
            acts = self.degree if active is None else np.bincount(
                self.row_people.reshape(-1), weights=np.tile(active, 2), minlength=R * N)
            self._tally(out, t, payoffs, total, gives, acts, active)
            if updating:
                new = self._update(self._remember(total, t), self._imitation_draws(generators))
                changed = self._apply(new)
                out["changes"][:, t] = np.bincount(changed // N, minlength=R)
            self._count(out, t + 1)
        out["final"] = self.strategy.reshape(R, N).astype(np.int64)
        return out

    def _remember(self, total: np.ndarray, t: int) -> np.ndarray:
        """Each person's payoff for selection after round ``t``: the mean over their ties
        (Allen et al. 2017's ``sum_j p_ij u_ij``, every tie of weight 1), averaged over the last
        ``memory`` rounds since their last change (:class:`_Memory`)."""
        mean = np.divide(total, self.degree, out=np.zeros_like(total), where=self.degree > 0)
        return self.remembered.add(mean, t)

    def _tie_draws(self) -> np.ndarray:
        """A match's draws for every tie-row (``keying = "tie"``): those of :mod:`.play`."""
        population, R, E = self.population, self.R, self.E
        draws = np.empty((R * E, self.rounds, self.width))
        learning = self.game.knowledge.active
        for e, (u, v) in enumerate(population.tie_people):
            key = tie_key(int(u), int(v))
            for rep in range(R):
                _, draws[rep * E + e] = repetition_draws(repetition_sequence(self.entropy, key, rep), self.rounds,
                                                         None, self.noise > 0, learning)
        return draws

    def _tally(self, out, t, payoffs, total, gives, acts, active) -> None:
        R, N, E, K, G = self.R, self.N, self.E, self.K, self.G
        out["gives"][:, t] = np.rint(gives.reshape(R, N).sum(axis=1)).astype(np.int64)
        if E:
            out["acts"][:, t] = 2 * E if active is None else 2 * active.reshape(R, E).sum(axis=1)
            by_side = payoffs.reshape(2, R, E)   # each repetition summed alone: the same whatever R
            out["payoff"][:, t] = (by_side[0].sum(axis=1) + by_side[1].sum(axis=1)) / (2 * E)
        else:
            out["payoff"][:, t] = np.nan
        w = self.org_w
        out["organisation_gives"][:, t] = np.bincount(self.org_k, weights=w * gives[self.org_p],
                                                      minlength=R * K).reshape(R, K)
        out["organisation_acts"][:, t] = np.bincount(self.org_k, weights=w * acts[self.org_p],
                                                     minlength=R * K).reshape(R, K)
        if G:
            out["group_gives"][:, t] = np.rint(np.bincount(self.group_g, weights=gives[self.group_p],
                                                           minlength=R * G)).reshape(R, G)
            out["group_acts"][:, t] = np.rint(np.bincount(self.group_g, weights=acts[self.group_p],
                                                          minlength=R * G)).reshape(R, G)
        if self.record:
            out["person_payoffs"][:, :, t] = total.reshape(R, N)
            out["person_gives"][:, :, t] = np.rint(gives).reshape(R, N)
            out["person_acts"][:, :, t] = np.rint(acts).reshape(R, N)

    def _count(self, out, time: int) -> None:
        R, N, S, K, G = self.R, self.N, self.S, self.K, self.G
        strategy = self.strategy
        out["counts"][:, time] = np.bincount((np.arange(R * N) // N) * S + strategy, minlength=R * S).reshape(R, S)
        out["organisation_counts"][:, time] = np.bincount(self.org_k * S + strategy[self.org_p], weights=self.org_w,
                                                          minlength=R * K * S).reshape(R, K, S)
        if G:
            out["group_counts"][:, time] = np.bincount(self.group_g * S + strategy[self.group_p],
                                                       minlength=R * G * S).reshape(R, G, S)


def evolve_network(population: Population, game: LearningGame | None = None, strategies=None, rounds: int = 1000,
                   seed=None, rule: str = "pairwise", intensity: float = 1.0, mutation: float = 0.0,
                   rate: float = 0.01, memory: int = 1, repetitions: int = 1, *, start=None,
                   fitness: str = "linear", noise: float = 0.0, keying: str = "round", restart: str = "relation",
                   record: bool = False) -> NetworkEvolution:
    """Play the learning game along every tie and let strategies spread by imitation.

    See the module docstring for the rules and their sources.

    Parameters
    ----------
    population : Population
    game : LearningGame, optional
        Defaults to ``LearningGame()``.
    strategies : sequence of Player, optional
        The roster (automata only); mutants are drawn from it. Default: the
        population's distinct strategies, in the order people first play them.
    rounds : int
        Rounds of play, each followed by the updates.
    seed : int, optional
        ``None`` draws fresh entropy, kept in :attr:`NetworkEvolution.seed`.
    rule : {"pairwise", "death_birth", "birth_death"}
    intensity : float
        Selection intensity ``delta >= 0`` (Traulsen's ``beta`` for
        ``"pairwise"``); 0 is neutral drift.
    mutation : float
        ``mu`` in [0, 1]: the chance that an update takes a uniformly drawn strategy.
    rate : float
        In [0, 1]: each person's chance to update in a round (0: play only).
        The default 0.01 is our choice: play is fast and imitation slow
        (each person reconsiders about once in a hundred rounds), and
        neighbours seldom update in the same round, so the synchronous
        updates stay close to the one-at-a-time process of the papers.
    memory : int
        Rounds of payoff a person's fitness averages (1, the default: the
        last round, as in the spatial games of Nowak & May 1992 and
        Ohtsuki et al. 2006).
    repetitions : int
    start : array_like of int, optional
        Each person's strategy at the start, as an index into ``strategies``;
        default each person's own (which must be in ``strategies``).
    fitness : {"linear", "exponential"}
        ``1 + delta f`` or ``exp(delta f)``, for the death-birth and birth-death rules.
    noise : float
        Probability that an intended move is flipped.
    keying : {"round", "tie"}
        How the play's draws are addressed (module docstring); ``"tie"`` holds
        every tie's draws for the whole run in memory.
    restart : {"relation", "side"}
        What a changed strategy restarts (module docstring).
    record : bool
        Keep each person's payoff, gives and acts per round
        (:attr:`NetworkEvolution.person_payoffs`).

    Returns
    -------
    NetworkEvolution

    Raises
    ------
    ParameterError
        One line naming the bad argument; :class:`~learning_dilemma.limits.ResourceLimitError`
        before anything is allocated when the run asks for more than the limits allow.
    """
    if not isinstance(population, Population):
        raise ParameterError(f"population must be a Population, got {population!r}")
    game = LearningGame() if game is None else game
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    if strategies is None:
        strategies = list(dict.fromkeys(population.players()))
    roster = _roster(strategies)
    rounds = check_count("rounds", rounds, 1)
    repetitions = check_count("repetitions", repetitions, 1)
    memory = check_count("memory", memory, 1)
    rule = _choice("rule", rule, RULES)
    fitness = _choice("fitness", fitness, FITNESS)
    keying = _choice("keying", keying, KEYINGS)
    restart = _choice("restart", restart, RESTARTS)
    intensity = check_number("intensity", intensity, 0.0)
    mutation = check_probability("mutation", mutation)
    rate = check_probability("rate", rate)
    noise = check_probability("noise", noise)
    if not isinstance(record, bool):
        raise ParameterError(f"record must be True or False, got {record!r}")
    start = _start(population, roster, start)
    N, E, K, G, S = (population.n_people, population.n_ties, population.n_organisations, len(population.groups),
                     len(roster))
    # resource limits, before anything is allocated
    check("match_rounds", rounds, f"rounds={rounds}")
    if E:
        check("match_rounds", int(population.tie_prior.max()), "the ties' prior rounds")
    check("rounds", E * repetitions * rounds, f"{E:,} ties x repetitions={repetitions} x rounds={rounds}")
    check("match_rounds", repetitions * (rounds + 1) * (K + G + 1) * S,
          f"repetitions={repetitions} x {rounds + 1:,} times x {K + G + 1:,} units x {S} strategies (held in memory)")
    check("match_rounds", memory * repetitions * N, f"memory={memory} x repetitions={repetitions} x {N:,} people")
    if record:
        check("match_rounds", repetitions * N * rounds,
              f"record: repetitions={repetitions} x {N:,} people x rounds={rounds} (held in memory)")
    if keying == "tie":
        check("match_rounds", E * repetitions * rounds,
              f"keying='tie': {E:,} ties x repetitions={repetitions} x rounds={rounds} of draws held in memory",
              hint="or keying='round'")
    entropy = root_entropy(seed)
    run = _Run(population, game, roster, start, rounds, repetitions, entropy, rule, intensity, mutation, rate, memory,
               fitness, noise, keying, restart, record)
    if rule != "pairwise" and fitness == "linear" and rate > 0 and run.table is not None and E:
        lowest = run.lowest_payoff()
        if 1.0 + intensity * lowest <= 0:
            raise ParameterError(f"intensity: fitness 1 + intensity * payoff must stay positive, and the lowest "
                                 f"payoff is {lowest:g}: use intensity < {-1.0 / lowest:.3g}, or "
                                 "fitness='exponential'")
    out = run.run()
    return NetworkEvolution(population, game, roster, rule, fitness, keying, restart, intensity, mutation, rate, noise,
                            memory, rounds, repetitions, entropy, start, **out)
