"""Partner choice, exit and the hot stove: who a decision-maker works with, opportunity by opportunity.

Seed 000 (Titre & Soekijad): at ITCOM "the formal authority ... to decide who
to partner with for a given opportunity lies primarily with the client
manager"; the alliances are ongoing, but there is no "predetermined commitment
to engage (all) business opportunities together". A sales executive who has
"disqualified Bencons as a potential partner ten times each year" ends with
"a habitual way of thinking", "because of the uncertainty of conflict
resolution and reciprocation"; collaboration with Bencons happens "merely due
to the explicit demands of a client". Larsson et al. (1998) add that the
partner-specific reasons for the learning dilemma shrink when another partner
is chosen, and that relations drift toward mutual avoidance. This module models
that choice as learning from one's own experience, the setting of Denrell &
March (2001), "Adaptation as information restriction: the hot stove effect"
(Organization Science 12(5): 523-538): an adaptive learner samples only what it
chooses, so an alternative that looked bad early is avoided, and its low
estimate is never corrected.

The model, step by step (each round ``t`` is one period)
--------------------------------------------------------
**Decision-makers and candidates.** The decision-makers are people of the
population (default: everyone with a tie; or a given list). Each has
candidates: the other ends of their ties, by person index (default), or a given
list. A candidate is a person of the population; its strategy is the person's
(:meth:`~learning_dilemma.networks.population.Population.players`).

**Opportunities.** Each round, each decision-maker receives one opportunity with
probability ``arrival`` (a Bernoulli stream of projects; our choice, the
simplest arrival process: with ``arrival = 1`` every round is an opportunity).
An opportunity is named by its decision-maker and round ``(d, t)``: at most one
arrives per decision-maker per round, so the round is the *opportunity index*.

**Choice** (greedy, the default, or softmax; with exploration). With
probability ``exploration`` (``epsilon``) the decision-maker tries a candidate
drawn uniformly (seed 000's "explicit demands of a client"; epsilon-greedy,
Sutton & Barto 1998). Otherwise:

- ``rule="greedy"``: the candidate with the best estimate, if that estimate
  beats the loner payoff ``P`` (strictly); otherwise nobody (the loner's
  option, Hauert et al. 2002: the opportunity is done alone and pays ``P`` a
  round). Equal best estimates are broken uniformly at random.
- ``rule="softmax"``: candidate ``k`` with probability proportional to
  ``exp(estimate_k / temperature)``, nobody with ``exp(P / temperature)``
  (Luce's choice rule, the logit choice between estimates of the hot-stove
  models: Denrell 2007, and the replications of Denrell & March 2001 we could
  read; we could not consult the paper's own text beyond its abstract, so its
  tables are not reproduced here, see the tests).

``loner=False`` removes the option of nobody (every opportunity is engaged).
The default is greedy because seed 000 describes a deterministic practice (a
partner "disqualified" at every opportunity) and because greedy choice without
exploration is where the hot stove is absolute: a partner ruled out is never
chosen again. Under softmax every candidate keeps a positive probability, so
the same learning gives a bias against a risky partner (Denrell & March's
result) but no permanent lock-in.

**Engagement.** The chosen pair plays one match of the population's learning
game: the decision-maker is side A, the partner side B, each with their
strategy, receptivity and tacitness; the relation starts at the pair's prior
rounds if they are a tie of the population (as :func:`~.play.play_ties`), else
at none; its length is fixed (``turns``, default 10) or geometric
(``continuation``, Axelrod's shadow of the future). Default fixed: an
opportunity is a bounded project (seed 000's "concrete collaboration in
specific business opportunities"), and a fixed length keeps the spread of an
engagement's payoff due to the strategies alone. Each engagement starts afresh:
strategies, stakes and tie strength do not carry over from one opportunity to
the next (our choice; what carries over is the decision-maker's estimate).
Its draws are those of repetition 0 of the match keyed by
:func:`engagement_key` ``(d, q, t)`` = ``(PARTNER_STREAM, d, q, t)`` (stream
107), so engagement ``(d, q, t)`` plays bit for bit as::

    Match(players[d], players[q], game, turns=turns, continuation=continuation,
          seed=seed, key=engagement_key(d, q, t), prior_rounds=prior, noise=noise).play()

whichever engine plays it: engagements between automata are played together,
one call of :func:`~learning_dilemma.engine.vectorised.play_automata` per round
and starting tie strength; an engagement with an imperative or axelrod player
through :class:`~learning_dilemma.match.Match` itself.

**Payoffs.** Each side earns the two-level payoffs of
:mod:`learning_dilemma.games.levels` (as along a tie, :mod:`.play`): the person
payoff ``U`` plus the act value, and the organisation payoff ``Pi``; closed
rounds pay ``P``. At full absorption and identification and no recognition or
identity weight, ``U`` is the stage payoff of the match to the bit. The
*payoff of an opportunity* is the decision-maker's mean person payoff per round
of the engagement (``running_totals / length``, as :attr:`MatchBatch.mean_payoffs`),
or ``P`` if nobody was chosen.

**Learning** (Denrell & March 2001's fractional adjustment, a weighted
average). After an engagement with candidate ``k`` the decision-maker's
estimate of ``k`` moves toward the payoff of the opportunity::

    estimate_k <- (1 - b) estimate_k + b payoff         b = adjustment in [0, 1]

(written so that ``b = 1`` sets the estimate to the payoff and ``b = 0`` keeps
it, exactly). Only the chosen candidate's estimate moves: the others, and the
loner's ``P`` (known for sure), are not sampled. A decision-maker learns only
from the opportunities it decided; being chosen by someone else teaches it
nothing (our choice: the seed's client manager judges partners by the
projects they decided).

**Priors.** Estimates start at ``prior``: by default the game's reward for
mutual giving ``R`` (:meth:`LearningGame.rstp`), the promise of the formal
alliance (seed 000: Insys and Bencons are both "global alliance partners" under
a formal contract) and an optimistic start (Sutton & Barto 1998), so every
candidate is worth trying once; a number for all, or one per candidate by
name (a partner's reputation: seed 000's Bencons "envisaged to target ITCOM as
their worst competitor"). A prior at or below ``P`` rules a partner out before
any experience: with ``exploration = 0`` it is never tried.

**Habitual avoidance is the hot-stove lock-in.** With ``exploration = 0`` and
greedy choice, a partner whose estimate falls to or below ``P`` after bad early
draws is never chosen again (the loner's option beats it), so its estimate
never moves again, however good the partner is on average
(``tests/networks/test_partner_choice.py`` checks both, and that exploration
corrects it).

**The endogenous partner network.** After each round, decision-maker ``d`` has
a tie with candidate ``q`` when ``d`` has engaged ``q`` at least once and still
rates it above the loner payoff (``estimate > P``). A tie forms when a partner
is chosen and its engagement leaves it above ``P``; it breaks when the
estimate falls to or below ``P``: the partner is ruled out (our reading of the
spec's "ties form (a partner chosen) and break (estimate below the loner
payoff)", with the boundary at which greedy choice rules a partner out).

**Draws.** Engagements: :func:`engagement_key` as above. The choice draws of
decision-maker ``d`` come from the generator of ``SeedSequence(entropy,
spawn_key=(PARTNER_STREAM, d))``: row ``t`` holds round ``t``'s arrival,
exploration and pick draws (:data:`CHOICE_DRAWS`), so a run of ``n`` rounds is
the first ``n`` rounds of a longer run, and no decision-maker's draws depend on
the others (the keys of the two kinds have different lengths, so they never
coincide).

Why the learner avoids the risky alternative: the stationary law
------------------------------------------------------------------
For one candidate of payoffs ``Y`` (i.i.d.) against the sure loner payoff, the
estimate ``X`` moves only when the candidate is chosen, with a probability
``p(X)`` that depends on ``X`` alone. If ``f`` is the stationary law of the
estimate updated at every step (``X = sum_k b (1 - b)^k Y_k``), the stationary
law of the learner's estimate is ``f(x) / p(x)`` normalised (the chain stays at
``x`` for a geometric number of rounds of mean ``1 / p(x)``), so the long-run
probability of choosing the candidate is::

    1 / E_f[1 / p(X)]

For softmax, ``1 / p(x) = 1 + exp(-(x - P) / temperature)`` and, by Jensen's
inequality, a candidate whose mean equals ``P`` is chosen with probability
below 1/2 whenever its payoff varies: Denrell & March's result (the same
argument as Denrell 2007, Psychological Review 114: 177-187, for normal
payoffs). For greedy choice ``1 / p(x) = 1`` above ``P`` and ``1 / epsilon`` at
or below it: as ``epsilon -> 0`` the long-run probability goes to 0 even for a
candidate whose mean beats ``P``, the hot-stove lock-in. The tests compare the
simulation with these laws computed by hand for two-point payoffs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import check_count, check_number, check_probability, continuation_of, check_length
from ..engine.batching import pad_draws, running_totals
from ..engine.vectorised import RawPlay, play_automata
from ..errors import ParameterError
from ..games import LearningGame, initial_tie
from ..games.learning import closed_payoff
from ..games.levels import act_value, two_levels
from ..limits import check, expected_length
from ..match import Match
from ..moves import EXIT, GIVE
from ..players.automaton import MatchContext
from ..seeding import repetition_draws, repetition_sequence, root_entropy
from .population import Population

__all__ = [
    "CHOICE_DRAWS", "DEFAULT_ENGAGEMENT_TURNS", "NO_OPPORTUNITY", "NOBODY", "PARTNER_STREAM", "RULES", "Engagements",
    "PartnerChoice",
    "choice_draws", "choose_partners", "engagement_key", "play_engagements",
]

from ..seeding import PARTNER_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
#: Columns of a decision-maker's choice draws per round: does an opportunity
#: arrive, does it explore, and which candidate (the pick of exploration, of a
#: tie between equal best estimates, or of the softmax lottery).
CHOICE_DRAWS = ("arrival", "exploration", "pick")
_ARRIVE, _EXPLORE, _PICK = range(3)
#: Codes in :attr:`PartnerChoice.chosen`: the loner's option, and no opportunity that round.
NOBODY = -1
NO_OPPORTUNITY = -2
#: The choice rules.
RULES = ("greedy", "softmax")
#: Default engagement length (fixed turns): one opportunity is a short project.
DEFAULT_ENGAGEMENT_TURNS = 10

_GIVE, _EXIT = int(GIVE), int(EXIT)


def engagement_key(decision_maker: int, partner: int, opportunity: int) -> tuple:
    """The match key of the engagement of ``decision_maker`` with ``partner`` at opportunity
    (round) ``opportunity``, person indices: its draws are repetition 0 of
    ``Match(..., key=engagement_key(d, q, t))``."""
    return (PARTNER_STREAM, int(decision_maker), int(partner), int(opportunity))


def choice_draws(entropy: int, decision_maker: int, rounds: int) -> np.ndarray:
    """The choice draws of one decision-maker, shape (rounds, 3): columns :data:`CHOICE_DRAWS`."""
    sequence = np.random.SeedSequence(entropy, spawn_key=(PARTNER_STREAM, int(decision_maker)))
    return np.random.Generator(np.random.PCG64(sequence)).random((rounds, len(CHOICE_DRAWS)))


# --- engagements ------------------------------------------------------------------------------


@dataclass(eq=False)
class Engagements:
    """What a batch of engagements gave, one row per engagement.

    Attributes
    ----------
    lengths : ndarray of int, shape (n,)
    person : ndarray, shape (2, n)
        Mean person payoff per round (``U`` plus the act value; ``P`` in closed
        rounds) of the decision-maker (0) and the partner (1).
    organisation : ndarray, shape (2, n)
        Mean organisation payoff per round of each side.
    plays : list of (ndarray, RawPlay)
        The engine's plays: the rows (indices into the batch) and their
        :class:`~learning_dilemma.engine.vectorised.RawPlay` (player 0 the
        decision-maker), in the order they were played.
    """

    lengths: np.ndarray
    person: np.ndarray
    organisation: np.ndarray
    plays: list = field(default_factory=list, repr=False)


class _People:
    """The per-person parameters the payoffs read, computed once."""

    def __init__(self, population: Population, game: LearningGame):
        self.population = population
        self.players = population.players()
        self.automaton = np.array([p.is_automaton for p in self.players], dtype=bool)
        self.receptivity = population.receptivities()
        self.tacitness = population.tacitnesses()
        self.absorption = population.absorption
        self.identification = population.person_values("identification")
        self.recognition = population.person_values("recognition")
        self.identity_weight = population.person_values("identity_weight")
        self.prescription = population.person_values("prescription")
        self.prior = {(int(u), int(v)): int(k) for (u, v), k in zip(population.tie_people, population.tie_prior)}

    def prior_rounds(self, u, v) -> int:
        return self.prior.get((min(u, v), max(u, v)), 0)


def play_engagements(population: Population, game: LearningGame, decision_makers, partners, opportunities,
                     entropy: int, turns: int | None = DEFAULT_ENGAGEMENT_TURNS, continuation: float | None = None,
                     noise: float = 0.0, _people: _People | None = None, _tables: dict | None = None) -> Engagements:
    """Play one engagement per row: ``decision_makers[i]`` (side A) with ``partners[i]`` (side B)
    at opportunity ``opportunities[i]``, each bit for bit as its :class:`~learning_dilemma.match.Match`
    keyed by :func:`engagement_key` (see the module docstring). Arguments are person indices and a
    resolved entropy; they are not validated here (:func:`choose_partners` does).

    Returns
    -------
    Engagements
    """
    people = _People(population, game) if _people is None else _people
    tables = {} if _tables is None else _tables
    d = np.asarray(decision_makers, dtype=np.intp)
    q = np.asarray(partners, dtype=np.intp)
    t = np.asarray(opportunities, dtype=np.int64)
    n = len(d)
    lengths = np.zeros(n, dtype=np.int64)
    person = np.zeros((2, n))
    organisation = np.zeros((2, n))
    plays = []
    if n == 0:
        return Engagements(lengths, person, organisation, plays)
    context = MatchContext(game, continuation_of(turns, continuation), turns)
    prior = np.array([people.prior_rounds(int(u), int(v)) for u, v in zip(d, q)], dtype=np.int64)
    vectorised = people.automaton[d] & people.automaton[q]
    starting = np.array([initial_tie(int(k), game.ties) for k in prior], dtype=np.int64)
    for strength in np.unique(starting[vectorised]):
        rows = np.flatnonzero(vectorised & (starting == strength))
        plays.append((rows, _play_automata(game, people, tables, context, d[rows], q[rows], t[rows], prior[rows],
                                           int(strength), entropy, turns, continuation, noise)))
    for row in np.flatnonzero(~vectorised):
        u, v = int(d[row]), int(q[row])
        match = Match(people.players[u], people.players[v], game, turns=turns, continuation=continuation,
                      seed=entropy, prior_rounds=int(prior[row]), key=engagement_key(u, v, int(t[row])),
                      noise=noise)
        plays.append((np.array([row]), match.play_batch().raw))
    for rows, raw in plays:
        lengths[rows] = raw.lengths
        person[:, rows], organisation[:, rows] = _mean_payoffs(game, people, population, d[rows], q[rows], raw)
    return Engagements(lengths, person, organisation, plays)


def _play_automata(game, people, tables, context, d, q, t, prior, strength, entropy, turns, continuation, noise):
    """One engine run of automaton engagements that start at the same tie strength."""
    learning = game.knowledge.active
    drawn = [repetition_draws(repetition_sequence(entropy, engagement_key(u, v, k), 0), turns, continuation,
                              noise > 0, learning) for u, v, k in zip(d, q, t)]
    lengths, draws = pad_draws(drawn)
    slots, starts = ([], []), ([], [])
    for side, who in enumerate((d, q)):
        for person, rounds_before in zip(who, prior):
            player = people.players[int(person)]
            if id(player) not in tables:
                tables[id(player)] = (len(tables), player.compiled(context), {})
            slot, compiled, after = tables[id(player)]
            if rounds_before not in after:
                after[rounds_before] = compiled.after_prior_rounds(int(rounds_before))
            slots[side].append(slot)
            starts[side].append(after[rounds_before])
    stacked = [compiled for _, compiled, _ in sorted(tables.values(), key=lambda entry: entry[0])]
    return play_automata(
        game, (stacked, stacked), tuple(np.array(s, dtype=np.intp) for s in slots),
        (people.receptivity[d], people.receptivity[q]), (people.tacitness[d], people.tacitness[q]),
        tuple(np.array(s, dtype=np.int64) for s in starts), draws, lengths, game.initial_stakes(0), noise, None,
        strength,
    )


def _mean_payoffs(game, people, population, d, q, raw: RawPlay):
    """Mean two-level payoffs per round of both sides, each shape (2, rows)."""
    column = lambda values, who: np.asarray(values, dtype=float)[who][:, None]  # noqa: E731
    gamma = population.pair_overlap(d, q, game)[:, None]
    sides = (d, q)
    r = tuple(column(people.receptivity, s) for s in sides)
    alpha = tuple(column(people.absorption, s) for s in sides)
    valid = raw.moves[0] >= 0
    closed = raw.moves[0] == _EXIT
    g = [(raw.moves[p] == _GIVE).astype(float) for p in (0, 1)]
    x = [(raw.transfers[p] == 1).astype(float) for p in (0, 1)]
    z = raw.power[:, :-1]
    position = (z, -z)
    status_quo = closed_payoff(game)
    person, organisation = np.empty((2,) + raw.moves.shape[1:]), np.empty((2,) + raw.moves.shape[1:])
    for i, j in ((0, 1), (1, 0)):
        _, u_i, pi_i = two_levels(game, g[i], g[j], x[i], x[j], r[i], r[j], position[i], alpha[i], alpha[j],
                                  column(people.identification, sides[i]), gamma)
        u_i = u_i + act_value(g[i], column(people.recognition, sides[i]), column(people.identity_weight, sides[i]),
                              column(people.prescription, sides[i]))
        person[i] = np.where(valid, np.where(closed, status_quo, u_i), 0.0)
        organisation[i] = np.where(valid, np.where(closed, status_quo, pi_i), 0.0)
    lengths = raw.lengths
    return (running_totals(person, lengths).T / lengths, running_totals(organisation, lengths).T / lengths)


# --- the choice process -----------------------------------------------------------------------


@dataclass(eq=False)
class PartnerChoice:
    """The decisions, engagements, estimates and partner network of a run of :func:`choose_partners`.

    Decision-maker ``i`` is person ``decision_makers[i]``; its candidates are
    ``candidates[i, :count[i]]`` (person indices; the rest of the row is -1),
    slot ``k`` of the arrays below is candidate ``candidates[i, k]``.

    Attributes
    ----------
    population, game : Population, LearningGame
    rounds : int
    seed : int
        The entropy every draw came from (give it back to repeat the run).
    decision_makers : ndarray of int, shape (D,)
    candidates : ndarray of int, shape (D, C)
    opportunity : ndarray of bool, shape (D, rounds)
        Whether an opportunity arrived.
    chosen : ndarray of int, shape (D, rounds)
        The partner chosen (person index), :data:`NOBODY` (-1) for the loner's
        option, :data:`NO_OPPORTUNITY` (-2).
    slot : ndarray of int, shape (D, rounds)
        The chosen candidate's slot (-1 if nobody or no opportunity).
    explored : ndarray of bool, shape (D, rounds)
        The choice was exploration (a candidate drawn uniformly).
    payoff : ndarray, shape (D, rounds)
        The decision-maker's mean person payoff per round of the opportunity
        (``P`` for nobody; nan without an opportunity).
    organisation_payoff : ndarray, shape (D, rounds)
        The same for the decision-maker's organisation side.
    partner_payoff : ndarray, shape (D, rounds)
        The chosen partner's mean person payoff per round (nan if nobody was chosen).
    lengths : ndarray of int, shape (D, rounds)
        Rounds of each engagement (0 if nobody was chosen or no opportunity).
    estimates : ndarray, shape (rounds + 1, D, C)
        Each estimate before round 0 and after each round (nan in empty slots).
    ties : ndarray of bool, shape (rounds + 1, D, C)
        The partner network before round 0 and after each round.
    settings : dict
        The run's arguments (arrival, exploration, adjustment, rule, temperature,
        loner, turns, continuation, noise).
    """

    population: Population
    game: LearningGame
    rounds: int
    seed: int
    decision_makers: np.ndarray
    candidates: np.ndarray
    opportunity: np.ndarray
    chosen: np.ndarray
    slot: np.ndarray
    explored: np.ndarray
    payoff: np.ndarray
    organisation_payoff: np.ndarray
    partner_payoff: np.ndarray
    lengths: np.ndarray
    estimates: np.ndarray
    ties: np.ndarray
    settings: dict

    @property
    def count(self) -> np.ndarray:
        """Candidates of each decision-maker."""
        return (self.candidates >= 0).sum(axis=1)

    @property
    def loner_payoff(self) -> float:
        return closed_payoff(self.game)

    def _name(self, person: int) -> str:
        return self.population.people[int(person)].name

    def choice_shares(self) -> dict:
        """Per decision-maker (by name): the share of its opportunities given to each
        candidate (by name) and to nobody (key ``None``)."""
        shares = {}
        for i, d in enumerate(self.decision_makers):
            n = int(self.opportunity[i].sum())
            row = {self._name(c): (float(np.sum(self.chosen[i] == c)) / n if n else float("nan"))
                   for c in self.candidates[i, : self.count[i]]}
            row[None] = float(np.sum(self.chosen[i] == NOBODY)) / n if n else float("nan")
            shares[self._name(d)] = row
        return shares

    def network(self, after: int | None = None) -> list[tuple[str, str]]:
        """The partner network after round ``after`` (default: after the last round), as
        ``(decision-maker, partner)`` names."""
        index = self.rounds if after is None else check_count("after", after, 0) + 1
        if index > self.rounds:
            raise ParameterError(f"after must be a round in [0, {self.rounds - 1}], got {after!r}")
        i, k = np.nonzero(self.ties[index])
        return [(self._name(self.decision_makers[a]), self._name(self.candidates[a, b])) for a, b in zip(i, k)]

    def network_sizes(self) -> np.ndarray:
        """Ties of the partner network before round 0 and after each round, shape (rounds + 1,)."""
        return self.ties.sum(axis=(1, 2))

    def ruled_out(self) -> np.ndarray:
        """Shape (D, C): candidates whose final estimate does not beat the loner payoff."""
        return (self.candidates >= 0) & ~(self.estimates[-1] > self.loner_payoff)

    def opportunity_table(self) -> list[dict]:
        """One row per opportunity: ``round, decision_maker, partner`` (``""`` for nobody),
        ``explored, length, payoff, organisation_payoff, partner_payoff, estimate`` (the
        chosen partner's estimate after the engagement; nan for nobody)."""
        rows = []
        for i, t in zip(*np.nonzero(self.opportunity)):
            slot = int(self.slot[i, t])
            partner = "" if slot < 0 else self._name(self.candidates[i, slot])
            rows.append({
                "round": int(t), "decision_maker": self._name(self.decision_makers[i]), "partner": partner,
                "explored": bool(self.explored[i, t]), "length": int(self.lengths[i, t]),
                "payoff": float(self.payoff[i, t]), "organisation_payoff": float(self.organisation_payoff[i, t]),
                "partner_payoff": float(self.partner_payoff[i, t]),
                "estimate": float(self.estimates[t + 1, i, slot]) if slot >= 0 else float("nan"),
            })
        rows.sort(key=lambda row: (row["round"], row["decision_maker"]))
        return rows

    def estimate_table(self) -> list[dict]:
        """One row per round, decision-maker and candidate: ``round`` (-1 for the priors),
        ``decision_maker, candidate, estimate, tie`` (after that round)."""
        rows = []
        for index in range(self.rounds + 1):
            for i, d in enumerate(self.decision_makers):
                for k in range(self.count[i]):
                    rows.append({"round": index - 1, "decision_maker": self._name(d),
                                 "candidate": self._name(self.candidates[i, k]),
                                 "estimate": float(self.estimates[index, i, k]), "tie": bool(self.ties[index, i, k])})
        return rows

    def tie_table(self) -> list[dict]:
        """The partner network's events: ``round, decision_maker, partner, event`` (``"formed"`` or
        ``"broken"``), in round order."""
        change = self.ties[1:].astype(np.int8) - self.ties[:-1].astype(np.int8)
        rows = []
        for t, i, k in zip(*np.nonzero(change)):
            rows.append({"round": int(t), "decision_maker": self._name(self.decision_makers[i]),
                         "partner": self._name(self.candidates[i, k]),
                         "event": "formed" if change[t, i, k] > 0 else "broken"})
        return rows

    def summary(self) -> dict:
        """Headline numbers: opportunities, the share engaged and alone, mean payoff of an
        opportunity, explorations, ties at the end, candidates ruled out and never tried."""
        n = int(self.opportunity.sum())
        engaged = self.chosen >= 0
        tried = np.zeros(self.candidates.shape, dtype=bool)
        for i in range(len(self.decision_makers)):
            for k in self.slot[i][self.slot[i] >= 0]:
                tried[i, k] = True
        return {
            "decision_makers": int(len(self.decision_makers)),
            "opportunities": n,
            "engaged_share": float(engaged.sum()) / n if n else float("nan"),
            "alone_share": float(np.sum(self.chosen == NOBODY)) / n if n else float("nan"),
            "mean_payoff": float(np.nanmean(self.payoff)) if n else float("nan"),
            "explorations": int(self.explored.sum()),
            "ties": int(self.ties[-1].sum()),
            "ruled_out": int(self.ruled_out().sum()),
            "never_tried": int(((self.candidates >= 0) & ~tried).sum()),
        }


def _person_index(population: Population, who, key: str) -> int:
    if isinstance(who, (int, np.integer)) and not isinstance(who, bool):
        if not 0 <= who < population.n_people:
            raise ParameterError(f"{key}: person index {who} is not in [0, {population.n_people - 1}]")
        return int(who)
    if isinstance(who, str) and who in population.person_index:
        return population.person_index[who]
    raise ParameterError(f"{key}: unknown person {who!r}")


def _resolve_people(population, decision_makers, candidates):
    """``(decision-makers, candidate lists)`` as person indices."""
    if candidates is not None and not isinstance(candidates, dict):
        raise ParameterError(f"candidates must be a mapping of decision-maker to candidates, got {candidates!r}")
    given = {}
    for name, listed in (candidates or {}).items():
        d = _person_index(population, name, "candidates")
        if isinstance(listed, str) or not hasattr(listed, "__iter__"):
            raise ParameterError(f"candidates[{name!r}] must be a list of people, got {listed!r}")
        people = [_person_index(population, c, f"candidates[{name!r}]") for c in listed]
        if d in people:
            raise ParameterError(f"candidates[{name!r}]: a decision-maker cannot choose themselves")
        if len(set(people)) != len(people):
            raise ParameterError(f"candidates[{name!r}]: a candidate is listed twice")
        given[d] = people
    neighbours = [[] for _ in range(population.n_people)]
    for u, v in population.tie_people:
        neighbours[int(u)].append(int(v))
        neighbours[int(v)].append(int(u))
    for d, listed in given.items():
        neighbours[d] = listed
    if decision_makers is None:
        chosen = sorted(given) if given else [p for p in range(population.n_people) if neighbours[p]]
    else:
        if isinstance(decision_makers, str) or not hasattr(decision_makers, "__iter__"):
            raise ParameterError(f"decision_makers must be a list of people, got {decision_makers!r}")
        chosen = [_person_index(population, p, "decision_makers") for p in decision_makers]
        if len(set(chosen)) != len(chosen):
            raise ParameterError("decision_makers: a person is listed twice")
    if not chosen:
        raise ParameterError("decision_makers: nobody has a candidate (no ties and no candidates given)")
    for d in chosen:
        if not neighbours[d]:
            raise ParameterError(f"decision_makers: {population.people[d].name!r} has no candidates "
                                 f"(no ties, and none given in candidates)")
    return chosen, [neighbours[d] for d in chosen]


def _resolve_prior(population, game, prior, decision_makers, slots):
    """The prior estimates, shape (D, C) (nan in empty slots)."""
    default = float(game.rstp()[0])
    values = np.full(slots.shape, np.nan)
    if prior is None:
        values[slots >= 0] = default
        return values
    if isinstance(prior, dict):
        table = {}
        for name, value in prior.items():
            table[_person_index(population, name, "prior")] = check_number(f"prior[{name!r}]", value)
        for i in range(len(decision_makers)):
            for k, c in enumerate(slots[i]):
                if c >= 0:
                    values[i, k] = table.get(int(c), default)
        return values
    values[slots >= 0] = check_number("prior", prior)
    return values


def choose_partners(population: Population, game: LearningGame | None = None, rounds: int = 100, seed=None, *,
                    arrival: float = 1.0, exploration: float = 0.0, adjustment: float = 0.5, prior=None,
                    turns: int | None = None, continuation: float | None = None, decision_makers=None,
                    candidates=None, loner: bool = True, rule: str = "greedy", temperature: float = 1.0,
                    noise: float = 0.0) -> PartnerChoice:
    """Decision-makers choose a partner (or nobody) opportunity by opportunity and learn from the result.

    The model, its sources and our choices are in the module docstring.

    Parameters
    ----------
    population : Population
    game : LearningGame, optional
        Default ``LearningGame()``; ``P`` (:func:`~learning_dilemma.games.learning.closed_payoff`)
        is the loner payoff.
    rounds : int
        Periods; each brings each decision-maker an opportunity with probability ``arrival``.
    seed : int, optional
        ``None`` draws fresh entropy, kept in :attr:`PartnerChoice.seed`.
    arrival : float
        Probability in [0, 1] that an opportunity arrives in a round.
    exploration : float
        ``epsilon`` in [0, 1]: probability that an opportunity goes to a candidate drawn uniformly.
    adjustment : float
        ``b`` in [0, 1]: the weight of the newest payoff in the estimate (Denrell & March 2001).
    prior : float or dict, optional
        Starting estimates: one number, or a number per candidate by name (others the default);
        default the game's ``R``.
    turns, continuation :
        The length of an engagement: fixed ``turns`` (default 10) or geometric ``continuation``.
    decision_makers : sequence of str or int, optional
        People by name or index. Default: the keys of ``candidates`` if given, else every person with a tie.
    candidates : dict, optional
        Decision-maker to its candidates (names or indices); default the other ends of its ties.
    loner : bool
        Whether nobody is an option (paying ``P`` a round); ``False`` engages every opportunity.
    rule : {"greedy", "softmax"}
    temperature : float
        Softmax temperature (> 0); unused by greedy choice.
    noise : float
        Probability that an intended move in an engagement is flipped.

    Returns
    -------
    PartnerChoice
    """
    if not isinstance(population, Population):
        raise ParameterError(f"population must be a Population, got {population!r}")
    game = LearningGame() if game is None else game
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    rounds = check_count("rounds", rounds, 1)
    arrival = check_probability("arrival", arrival)
    exploration = check_probability("exploration", exploration)
    adjustment = check_probability("adjustment", adjustment)
    noise = check_probability("noise", noise)
    if turns is None and continuation is None:
        turns = DEFAULT_ENGAGEMENT_TURNS
    turns, continuation = check_length(turns, continuation)
    if rule not in RULES:
        raise ParameterError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    temperature = check_number("temperature", temperature, 0.0, low_open=True)
    if not isinstance(loner, (bool, np.bool_)):
        raise ParameterError(f"loner must be True or False, got {loner!r}")
    chosen_people, lists = _resolve_people(population, decision_makers, candidates)
    n_dm, width = len(chosen_people), max(len(c) for c in lists)
    # Resource limits, before anything is allocated.
    length = expected_length(turns, continuation)
    check("match_rounds", rounds, f"rounds={rounds}")
    check("match_rounds", length, f"turns={turns}" if turns is not None else
          f"continuation={continuation!r} (mean engagement length 1/(1-w))")
    if population.n_ties:
        check("match_rounds", int(population.tie_prior.max()), "the ties' prior rounds")
    check("rounds", n_dm * rounds * length,
          f"{n_dm:,} decision-makers x rounds={rounds} x {length:,.0f} rounds an engagement")
    check("match_rounds", (rounds + 1) * n_dm * width,
          f"rounds={rounds} x {n_dm:,} decision-makers x {width:,} candidates (estimates held in memory)")

    entropy = root_entropy(seed)
    dm = np.array(chosen_people, dtype=np.intp)
    slots = np.full((n_dm, width), -1, dtype=np.intp)
    for i, listed in enumerate(lists):
        slots[i, : len(listed)] = listed
    valid = slots >= 0
    count = valid.sum(axis=1)
    estimate = _resolve_prior(population, game, prior, dm, slots)
    status_quo = closed_payoff(game)
    draws = np.stack([choice_draws(entropy, d, rounds) for d in dm])  # (D, rounds, 3)

    opportunity = draws[:, :, _ARRIVE] < arrival
    chosen = np.full((n_dm, rounds), NO_OPPORTUNITY, dtype=np.intp)
    slot_of = np.full((n_dm, rounds), -1, dtype=np.intp)
    explored = np.zeros((n_dm, rounds), dtype=bool)
    payoff = np.full((n_dm, rounds), np.nan)
    organisation_payoff = np.full((n_dm, rounds), np.nan)
    partner_payoff = np.full((n_dm, rounds), np.nan)
    lengths = np.zeros((n_dm, rounds), dtype=np.int64)
    estimates = np.empty((rounds + 1, n_dm, width))
    ties = np.zeros((rounds + 1, n_dm, width), dtype=bool)
    estimates[0] = estimate
    engaged_once = np.zeros((n_dm, width), dtype=bool)
    people = _People(population, game)
    tables: dict = {}
    rows = np.arange(n_dm)

    for t in range(rounds):
        here = opportunity[:, t]
        explore = here & (draws[:, t, _EXPLORE] < exploration)
        pick = draws[:, t, _PICK]
        slot = _choose(estimate, valid, count, pick, explore, rule, temperature, status_quo, loner)
        slot = np.where(here, slot, -1)
        chosen[:, t] = np.where(here, np.where(slot >= 0, slots[rows, np.maximum(slot, 0)], NOBODY), NO_OPPORTUNITY)
        slot_of[:, t], explored[:, t] = slot, explore
        alone = here & (slot < 0)
        payoff[alone, t] = organisation_payoff[alone, t] = status_quo
        busy = np.flatnonzero(slot >= 0)
        if len(busy):
            played = play_engagements(population, game, dm[busy], chosen[busy, t], np.full(len(busy), t), entropy,
                                      turns, continuation, noise, people, tables)
            lengths[busy, t] = played.lengths
            payoff[busy, t] = played.person[0]
            organisation_payoff[busy, t] = played.organisation[0]
            partner_payoff[busy, t] = played.person[1]
            k = slot[busy]
            estimate[busy, k] = (1.0 - adjustment) * estimate[busy, k] + adjustment * played.person[0]
            engaged_once[busy, k] = True
        estimates[t + 1] = estimate
        ties[t + 1] = engaged_once & (estimate > status_quo)

    settings = {"arrival": arrival, "exploration": exploration, "adjustment": adjustment, "rule": rule,
                "temperature": temperature, "loner": bool(loner), "turns": turns, "continuation": continuation,
                "noise": noise}
    return PartnerChoice(population, game, rounds, entropy, dm, slots, opportunity, chosen, slot_of, explored,
                         payoff, organisation_payoff, partner_payoff, lengths, estimates, ties, settings)


def _choose(estimate, valid, count, pick, explore, rule, temperature, status_quo, loner) -> np.ndarray:
    """Each decision-maker's chosen slot this round (-1: nobody), before masking by opportunity."""
    n, width = estimate.shape
    explored_slot = np.minimum((pick * count).astype(np.intp), count - 1)
    if rule == "greedy":
        scored = np.where(valid, estimate, -np.inf)
        best = scored.max(axis=1)
        tied = valid & (scored == best[:, None])
        n_tied = tied.sum(axis=1)
        k = np.minimum((pick * n_tied).astype(np.intp), n_tied - 1)
        greedy = np.argmax(np.cumsum(tied, axis=1) > k[:, None], axis=1)
        if loner:
            greedy = np.where(best > status_quo, greedy, -1)
        ruled = greedy
    else:
        logits = np.where(valid, estimate / temperature, -np.inf)
        if loner:
            logits = np.concatenate([logits, np.full((n, 1), status_quo / temperature)], axis=1)
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        cumulative = np.cumsum(weights, axis=1)
        lottery = np.argmax(cumulative > (pick * cumulative[:, -1])[:, None], axis=1)
        ruled = np.where(lottery >= width, -1, lottery)
    return np.where(explore, explored_slot, ruled)
