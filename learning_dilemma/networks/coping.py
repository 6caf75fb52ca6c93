"""Identity coping as structure: Chinese walls, avoidance for efficiency, meta-identity, multi-vocality.

Seed 000 (Titre & Soekijad, s.5.3 "Coping practices", after Pratt & Foreman
2000) finds people in coopetitive alliances coping with conflicting identities
in two ways. *Identity segregation* reduces the interaction of the competitive
and the cooperative identity while keeping both: Chinese walls, avoidance for
efficiency, and habitual avoidance (partner choice's hot stove,
:mod:`.partner_choice`). *Identity aggregation* reconciles them: a
meta-identity that makes sharing serve the organisation, and multi-vocality,
one policy read differently by each side. The first edition wrote two of
these as give probabilities of the Boundary Spanner's one formula (the
deprecated ``Chinese Wall`` and ``Meta-Identity`` strategies of
:mod:`learning_dilemma.strategies.multilevel`);
here each is a change of *structure*: of what flows where, of whom a person
attends to, or of the game a person's strategy is compiled with. Each has its
own documented effect, shown by a test that fails when the mechanism is removed
(``tests/networks/test_coping.py``), and each is off by default.

1. **Chinese wall** (``Organisation.walls``, ``omega_{k,d}`` in [0, 1] per
   knowledge domain ``d`` of the game; one value without domains). What the
   walled organisation *k*'s people learn in the network is kept from its
   competing units ("sufficient Chinese Walls in place to make sure that
   whatever I say about a client is not going to be on the desk of a GBS person
   the next day", a Bencons manager on ITCOM, seed 000 s.5.3; identity
   situates the firm's boundaries of coordination and learning, Kogut & Zander
   1996, the proposition seed 000 starts from, and a wall draws such a boundary
   inside the firm; the competitive and the cooperative side of coopetition
   kept apart, Bengtsson & Kock 2000). The overlap that weighs what flows *into* *k* from
   organisation *l* falls to

       gamma_in(k <- l) = Gamma_kl f_k,   f_k = sum_d share_d gamma_d (1 - omega_kd) / sum_d share_d gamma_d

   (:func:`retention`), so that with the game's own overlap it is
   ``sum_d share_d gamma_d (1 - omega_kd)``; a pair overlap set in
   ``Population(overlaps=...)`` is scaled by the same factor (our choice: the
   wall removes the same share of the competition whatever the pair).
   Payoffs use the pair ``(gamma_in(i), gamma_in(j))``
   (:func:`~learning_dilemma.games.learning.payoff_parts`): the walled side's
   positional gain and race premium fall, and so does its partner's positional
   loss. Its partners *perceive* the wall: the strategy of a person facing a
   walled person is compiled with ``dataclasses.replace(game,
   partner_overlap=...)`` (:func:`perceived_inflow`: the game's overlap with the
   partner organisations' walls), where a reciprocator's temptation ``T - R``
   falls by ``c (gamma - gamma_in)`` while ``R - S`` stays, so strategies that
   read the game (Calculative, Generous Tit For Tat) share more with a walled
   partner: **a wall on one organisation raises its partner's sharing**. The
   cost: what the walled organisation learns is worth less to its standing
   (its positional gain ``gamma_in c r g_j`` and race premium fall), and it does
   not perceive its own wall (our choice: the wall is the partner's assurance,
   seed 000, "develops confidence that knowledge can be shared for cooperative
   purposes only"; the seed adds that the discourse of walls is "somewhat
   independent of the actual presence of such boundaries", which the model
   leaves aside: the perceived and the real wall are the same ``omega``).
2. **Avoidance for efficiency** (``Person.efficiency``, ``epsilon`` in [0, 1]):
   in a group a person spends that share of their attention budget in
   proportion to the others' receptivity, avoiding the unreceptive ("I just
   focus my attention on areas where I have good chances to succeed", seed
   000 s.5.3; "through the exercise of self-control rather than managerial
   intervention", hence a person's value). The rule is
   :func:`~learning_dilemma.games.group.efficient_attention`: receptive members
   are attended more and learn more, the unreceptive less; the group's total
   attention is unchanged. Ties are whole relations and are not weighted.
3. **Meta-identity** (``Person.meta_horizon`` ``w_id``, ``Person.meta_synergy``
   ``s'``): the alliance manager's story that "one cannot multiply without the
   capability to share" and that cooperation wins tenders and market share
   (seed 000 s.5.3) justifies sharing *for competitive purposes*: the person's
   strategy is compiled with the perceived shadow of the future
   ``max(w, w_id)`` (and no fixed end: the story has none) and the perceived
   synergy ``max(s, s')``; their payoffs do not change (an identity changes
   what a person takes the payoffs to be, Akerlof & Kranton 2000; "this
   mechanism of meta-identity does not require rational justification", seed
   000). A Calculative person with a meta-identity gives where one without
   takes (Axelrod's 1984 condition ``w >= (T - R)/(R - S)`` met).
4. **Multi-vocality** (``Person.multivocality`` ``v_i`` >= 0): one joint action
   carries a private value for each side, read through each side's identity
   (ITCOM funds the education of integrators' consultants: ITCOM reads it as
   winning their technology choices, the integrators as education "that their
   consultants will need anyway"; seed 000 s.5.3, Pratt & Foreman 2000). In a
   round in which both gave, ``v_i`` is added to person *i*'s payoff **and** to
   their organisation side's: the seed's readings are organisational goals
   (market share, trained consultants) held by the person who acts on them, so
   both levels gain (our reading); closed rounds add nothing. The person
   perceives it too: their strategy is compiled with synergy ``s + v_i`` (the
   game's ``R`` rises by exactly ``v_i`` at receptivity 1 and even power; the
   value is paid on gives, the synergy on transfers, our approximation). In a
   group it is paid per relation, weighted as the relation (``a`` or ``w_ij``).

**Reduction.** With every value off (walls 0, efficiency 0, no meta-identity,
no multi-vocality) nothing here is used: ties get the one overlap array of part
1, groups the even attention, and every strategy the population's game, so a
network plays as before to the bit (``tests/networks/test_coping.py``).

**What perceives what.** Only automata (the library's strategies) are compiled,
so only they perceive walls, horizons and synergies; an imperative or axelrod
player along a tie (played through :class:`~learning_dilemma.match.Match`) sees
the population's game, while the payoffs (walls, multi-vocality) apply to every
tie. Tables are compiled once per distinct (player, perceived context).
"""

from __future__ import annotations

import numpy as np

from .._validation import continuation_of
from ..errors import ParameterError
from ..games import LearningGame
from ..players.automaton import MatchContext
from ..strategies.multilevel import perceive, walled_overlap
from .population import Organisation, Population

__all__ = [
    "Coping", "inflow_overlap", "multivocal_value", "perceived_context", "perceived_inflow", "retention",
    "wall_values",
]


def wall_values(organisation: Organisation, game: LearningGame) -> np.ndarray:
    """``omega_{k,d}``: the organisation's wall in each domain of ``game`` (one
    entry without domains). A per-domain wall needs the game's domains and
    names only its domains (one-line error naming the organisation)."""
    walls = organisation.walls
    if not isinstance(walls, tuple):
        return np.full(max(len(game.domains), 1), float(walls))
    if not game.domains:
        raise ParameterError(f"organisation {organisation.name!r}: walls per domain need game.domains "
                             f"(the game has one overlap); give one number")
    names = [d.name for d in game.domains]
    values = np.zeros(len(names))
    for name, value in walls:
        if name not in names:
            raise ParameterError(f"organisation {organisation.name!r}: walls.{name}: not a domain of the game "
                                 f"(domains: {', '.join(names)})")
        values[names.index(name)] = value
    return values


def _domain_overlaps(game: LearningGame) -> tuple[np.ndarray, np.ndarray]:
    if game.domains:
        return (np.array([d.share for d in game.domains]), np.array([d.overlap for d in game.domains]))
    return np.ones(1), np.array([float(game.overlap)])


def _walled_game_overlap(population: Population, game: LearningGame) -> np.ndarray:
    """``sum_d share_d gamma_d (1 - omega_kd)`` of each organisation
    (:func:`~learning_dilemma.strategies.multilevel.walled_overlap`, the rule a
    spanner in a match perceives its partner's wall by)."""
    walls = [wall_values(o, game) for o in population.organisations]
    return np.array([walled_overlap(game, w if game.domains else w[0]) for w in walls])


def retention(population: Population, game: LearningGame) -> np.ndarray:
    """``f_k``: the share of the competition that still reaches organisation *k*
    through its walls, ``sum_d share_d gamma_d (1 - omega_kd) / sum_d share_d gamma_d``
    (``1 - omega_k`` without domains; ``1 - sum_d share_d omega_kd`` where the game's
    domains do not compete at all, which only matters for a pair overlap set in
    ``overlaps``). Shape (organisations,); 1 where there is no wall."""
    share, gamma = _domain_overlaps(game)
    total = float(np.sum(share * gamma))
    walls = np.array([wall_values(o, game) for o in population.organisations]).reshape(population.n_organisations, -1)
    if total > 0:
        return (share * gamma * (1.0 - walls)).sum(axis=1) / total
    return 1.0 - (share * walls).sum(axis=1)


def inflow_overlap(population: Population, game: LearningGame, into, source) -> np.ndarray:
    """The overlap that weighs what flows into person ``into[k]`` from person
    ``source[k]``: ``m_into^T (diag(f) Gamma) m_source`` (:func:`retention`;
    :meth:`~.population.Population.pair_overlap` without walls)."""
    gamma = population.overlap_matrix(game) * retention(population, game)[:, None]
    into, source = np.asarray(into), np.asarray(source)
    return ((population.membership[into] @ gamma) * population.membership[source]).sum(axis=1)


def perceived_inflow(population: Population, game: LearningGame) -> np.ndarray:
    """What a partner perceives flows into each person: the game's overlap with
    the walls of the person's organisations, ``sum_l m_pl sum_d share_d gamma_d
    (1 - omega_ld)``, or NaN for a person none of whose organisations has a wall
    (their partners see the population's game). Strategies see the game, not a
    pair's overlap (``docs/networks.md``), so this is the game's overlap walled."""
    walled = np.array([o.walled for o in population.organisations], dtype=bool)
    values = population.membership @ _walled_game_overlap(population, game)
    behind = (population.membership[:, walled] > 0).any(axis=1) if walled.any() else np.zeros(population.n_people,
                                                                                                dtype=bool)
    return np.where(behind, values, np.nan)


def multivocal_value(g_i, g_j, value):
    """``v_i g_i g_j``: the private value of a round in which both gave (multi-vocality)."""
    return np.asarray(value, dtype=float) * np.asarray(g_i, dtype=float) * np.asarray(g_j, dtype=float)


def perceived_context(game: LearningGame, rounds: int, partner_overlap=None, horizon: float = 0.0,
                      synergy: float = 0.0, multivocality: float = 0.0) -> MatchContext:
    """The match context a person's strategy is compiled with.

    ``MatchContext(game, 1 - 1/rounds, rounds)`` (part 1's) unless a coping value
    changes it, by :func:`~learning_dilemma.strategies.multilevel.perceive` (the
    rule a Boundary Spanner perceives by in a match): ``partner_overlap`` (a
    walled partner, NaN or ``None``: none) sets the game's
    :attr:`~learning_dilemma.games.LearningGame.partner_overlap`;
    the synergy becomes ``max(s, synergy) + multivocality``; a ``horizon`` above
    the match's continuation replaces it, with no fixed end (``turns=None``).
    Unchanged, it is exactly part 1's context.
    """
    base = MatchContext(game, continuation_of(rounds, None), rounds)
    wall = None if partner_overlap is None or np.isnan(partner_overlap) else float(partner_overlap)
    return perceive(base, wall, horizon, synergy, multivocality)


class Coping:
    """The identity-coping structure of a population for one game: what the
    engines (:mod:`.play`, :mod:`.groups`) read, computed once.

    Parameters
    ----------
    population : Population
    game : LearningGame
    rounds : int

    Attributes
    ----------
    walls, efficiency, meta, multivocal : bool
        Whether any organisation has a wall, any person efficiency, a
        meta-identity (horizon or synergy), multi-vocality.
    inflow : ndarray, shape (people,)
        :func:`perceived_inflow` (NaN where no wall).
    """

    def __init__(self, population: Population, game: LearningGame, rounds: int):
        self.population, self.game, self.rounds = population, game, rounds
        self.walls = any(o.walled for o in population.organisations)
        values = {name: population.person_values(name)
                  for name in ("efficiency", "meta_horizon", "meta_synergy", "multivocality")}
        self.efficiency_values = values["efficiency"]
        self.horizon = values["meta_horizon"]
        self.synergy = values["meta_synergy"]
        self.multivocality = values["multivocality"]
        self.efficiency = bool((self.efficiency_values > 0).any())
        self.meta = bool((self.horizon > continuation_of(rounds, None)).any() or (self.synergy > game.synergy).any())
        self.multivocal = bool((self.multivocality > 0).any())
        if self.walls:
            for organisation in population.organisations:
                wall_values(organisation, game)  # a per-domain wall that does not fit the game: refused now
        self.inflow = perceived_inflow(population, game) if self.walls else np.full(population.n_people, np.nan)
        self._contexts = {}

    @property
    def perceives(self) -> bool:
        """Whether any strategy is compiled with a context other than the population's."""
        return self.walls or self.meta or self.multivocal

    def pair_overlap(self, first, second):
        """The overlap of each pair ``(first[k], second[k])`` as the payoffs read it:
        part 1's one array without walls, else ``(into first, into second)``."""
        first, second = np.asarray(first), np.asarray(second)
        if not len(first):
            return np.zeros(0)
        if not self.walls:
            return self.population.pair_overlap(first, second, self.game)
        return (inflow_overlap(self.population, self.game, first, second),
                inflow_overlap(self.population, self.game, second, first))

    def context(self, person: int, partner_overlap=None) -> MatchContext:
        """The context person ``person``'s strategy is compiled with when facing a
        partner perceived as ``partner_overlap`` (NaN or ``None``: no wall), cached."""
        key = (person if (self.meta or self.multivocal) else -1,
               None if partner_overlap is None or np.isnan(partner_overlap) else float(partner_overlap))
        if key not in self._contexts:
            self._contexts[key] = perceived_context(
                self.game, self.rounds, key[1], float(self.horizon[person]), float(self.synergy[person]),
                float(self.multivocality[person]))
        return self._contexts[key]

    def group_partner_overlap(self, members) -> np.ndarray:
        """What each member of one group (person indices in slot order) perceives of
        the others' walls: the mean over the other members of :attr:`inflow`
        (a member without a wall counting the game's overlap), NaN where no other
        member is walled (the automaton has one partner, the others: the same
        mean as the others' stakes, ``games.group.others_stakes``; our choice)."""
        members = np.asarray(members)
        seen = self.inflow[members]
        walled = ~np.isnan(seen)
        plain = np.where(walled, seen, self.game.effective_overlap)
        n = len(members)
        out = np.full(n, np.nan)
        for m in range(n):
            others = np.delete(np.arange(n), m)
            if walled[others].any():
                out[m] = float(np.mean(plain[others]))
        return out
