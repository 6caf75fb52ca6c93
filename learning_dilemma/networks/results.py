"""What a knowledge-sharing network's play gave each person, organisation, tie and group.

The engines (:mod:`.play` along ties, :mod:`.groups` in groups) reduce their
plays to two kinds of structure:

- :class:`Contributions`: per repetition, person and round, what a set of
  relations gave each person (their two-level payoffs of
  :mod:`learning_dilemma.games.levels`, their acts and gives, what they learned
  and what of it their organisations absorbed). Ties and groups add up
  (``ties + groups``): a person's payoff in a round is the sum over every
  relation they are in.
- :class:`TieSummary` and :class:`GroupSummary`: per tie and per group, how
  the relation went (giving, mutual giving, how long it stayed open, how it
  ended, the stakes left).

:class:`NetworkResults` holds them with the population and the game and reads
them as organisation payoffs (each person's relations paid to their
organisations, ``1/m`` to each of ``m``: :mod:`.population`), giving shares,
and tidy tables (lists of dicts with snake_case columns, one dict a row) per
person, organisation, round, tie and group, plus the headline numbers of
:meth:`NetworkResults.summary`.

Learning and absorption are reported apart because seed 001 (s.6, s.7) finds
that in KITe what people learned "stayed individual": it never reached the
organisational level. ``learning`` is what people learned; ``absorbed`` the
share of it that reached their organisations (the absorption rate ``alpha``,
Cohen & Levinthal 1990); ``organisation_learning`` splits it over membership.

This module holds arrays and reads them; it imports no plotting or graph
library (networkx and matplotlib are for :mod:`.readwrite` and the io layer).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ..engine.vectorised import BOTH_LEFT, FIRST_LEFT, OPEN, RACE_OVER, SECOND_LEFT
from ..errors import ParameterError

__all__ = ["Contributions", "GROUP_ENDINGS", "GroupSummary", "NetworkResults", "TieSummary"]

#: How a group's run ended, by code (:attr:`GroupSummary.ended_by`): still open
#: at the end, closed because exits left fewer than two active members, or
#: closed because learning left fewer than two members with anything to learn.
GROUP_ENDINGS = ("open", "left", "race over")
GROUP_OPEN, GROUP_LEFT, GROUP_RACE_OVER = range(3)

# tie endings (engine.vectorised.ENDINGS) in which someone left
_TIE_LEFT = (FIRST_LEFT, SECOND_LEFT, BOTH_LEFT)


@dataclass(eq=False)
class Contributions:
    """What a set of relations gave each person, per repetition and round.

    Every array has shape ``(repetitions, people, rounds)`` and sums over the
    person's relations (ties and groups) in that round.

    Attributes
    ----------
    person_payoffs : ndarray of float
        The two-level person payoff ``U`` (:func:`~learning_dilemma.games.levels.person_payoff`
        plus :func:`~learning_dilemma.games.levels.act_value` once per act);
        ``P`` in a closed relation's rounds.
    organisation_payoffs : ndarray of float
        ``Pi``, what the person's relations bring their organisation side
        (:func:`~learning_dilemma.games.levels.organisation_payoff`), before the
        split over the person's organisations (:attr:`NetworkResults.organisation_payoffs`).
    gives : ndarray of int32
        Acts of giving: a give along a tie, or one give to a group.
    acts : ndarray of int32
        Open relations the person acted in (a closed relation has no act).
    learning : ndarray of float
        What the person learned: ``r_p x_q`` along a tie (the partner's give
        reached them), ``a sum_j r_p x_jp`` in a group (attention-weighted).
    absorbed : ndarray of float
        ``alpha_p`` times ``learning``: what reached the person's
        organisations (seed 001 s.6/s.7: in KITe learning "stayed individual",
        ``alpha`` small).
    """

    person_payoffs: np.ndarray
    organisation_payoffs: np.ndarray
    gives: np.ndarray
    acts: np.ndarray
    learning: np.ndarray
    absorbed: np.ndarray

    @classmethod
    def zeros(cls, repetitions: int, people: int, rounds: int) -> "Contributions":
        """Nothing yet: zeros of shape ``(repetitions, people, rounds)``."""
        shape = (repetitions, people, rounds)
        return cls(np.zeros(shape), np.zeros(shape), np.zeros(shape, dtype=np.int32),
                   np.zeros(shape, dtype=np.int32), np.zeros(shape), np.zeros(shape))

    @property
    def shape(self) -> tuple:
        """``(repetitions, people, rounds)``."""
        return self.person_payoffs.shape

    def __add__(self, other: "Contributions") -> "Contributions":
        """Elementwise sums (a person's ties plus their groups)."""
        if not isinstance(other, Contributions):
            return NotImplemented
        if other.shape != self.shape:
            raise ParameterError(f"contributions of shape {other.shape} cannot be added to {self.shape}")
        return Contributions(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(eq=False)
class TieSummary:
    """How each tie's relation went, per repetition.

    Attributes
    ----------
    gives : ndarray, shape (repetitions, ties, 2)
        Share of the tie's open rounds each side gave (side 0 is the tie's
        first person, ``tie_people[:, 0]``); nan if it was never open.
    mutual : ndarray, shape (repetitions, ties)
        Share of all rounds with mutual giving.
    open_rounds : ndarray of int, shape (repetitions, ties)
        Rounds the tie's alliance was open.
    ended_by : ndarray of int8, shape (repetitions, ties)
        Codes of :data:`~learning_dilemma.engine.vectorised.ENDINGS`.
    final_tie : ndarray of int, shape (repetitions, ties)
        Tie strength after the last round.
    final_stakes : ndarray of int, shape (repetitions, ties, 2)
        Knowledge each side still lacked at the end.
    giving_by_round : ndarray, shape (repetitions, rounds)
        Share of open tie-sides that gave, per round (nan where no tie was open).
    mutual_by_round : ndarray, shape (repetitions, rounds)
        Share of all ties with mutual giving, per round.
    open_by_round : ndarray of int, shape (repetitions, rounds)
        Ties open, per round.
    """

    gives: np.ndarray
    mutual: np.ndarray
    open_rounds: np.ndarray
    ended_by: np.ndarray
    final_tie: np.ndarray
    final_stakes: np.ndarray
    giving_by_round: np.ndarray
    mutual_by_round: np.ndarray
    open_by_round: np.ndarray


@dataclass(eq=False)
class GroupSummary:
    """How each group's game went, per repetition (filled by :mod:`.groups`).

    Attributes
    ----------
    gives : ndarray, shape (repetitions, groups, rounds)
        Share of the active members that gave (nan once the group is closed).
    active : ndarray of int, shape (repetitions, groups, rounds)
        Active members.
    ended_by : ndarray of int8, shape (repetitions, groups)
        Codes of :data:`GROUP_ENDINGS`.
    final_stakes : list of ndarray
        Per group, shape (repetitions, size): each member's stakes at the end.
    """

    gives: np.ndarray
    active: np.ndarray
    ended_by: np.ndarray
    final_stakes: list


def _ratio(numerator, denominator):
    """``numerator / denominator`` elementwise, nan where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _nanmean(values, axis=None):
    """The mean of the values that are not nan (nan if there are none), without a warning."""
    values = np.asarray(values, dtype=float)
    present = ~np.isnan(values)
    return _ratio(np.where(present, values, 0.0).sum(axis=axis), present.sum(axis=axis))


def _value(x):
    """A numpy scalar as a plain Python number (tables are for CSV and JSON)."""
    if isinstance(x, np.generic):
        return x.item()
    return x


@dataclass(eq=False)
class NetworkResults:
    """The play of a knowledge-sharing network (:func:`~learning_dilemma.networks.play.play_network`).

    Attributes
    ----------
    population : Population
    game : LearningGame
    group_game : GroupGame or None
        The group rules used (``None`` without groups).
    rounds, repetitions : int
    seed : int
        The entropy every draw came from (the user's seed, or fresh entropy
        kept so the run can be repeated).
    contributions : Contributions
        Ties and groups together.
    ties : TieSummary or None
        ``None`` without ties.
    groups : GroupSummary or None
        ``None`` without groups.
    """

    population: object
    game: object
    group_game: object
    rounds: int
    repetitions: int
    seed: int
    contributions: Contributions
    ties: TieSummary | None = None
    groups: GroupSummary | None = None

    # --- arrays -------------------------------------------------------------------

    @property
    def organisation_payoffs(self) -> np.ndarray:
        """Each organisation's payoff, shape (repetitions, organisations, rounds).

        Each person's relations pay their organisations ``1/m`` each of ``m``
        (the membership matrix, :mod:`.population`): ``einsum('rpt,pk->rkt',
        Pi, membership)``. An organisation with several people earns what all
        their relations bring it.
        """
        return np.einsum("rpt,pk->rkt", self.contributions.organisation_payoffs, self.population.membership)

    @property
    def organisation_learning(self) -> np.ndarray:
        """What reached each organisation, shape (repetitions, organisations, rounds):
        its people's ``absorbed`` learning split over membership (seed 001 s.6/s.7:
        with low absorption learning stays with the person)."""
        return np.einsum("rpt,pk->rkt", self.contributions.absorbed, self.population.membership)

    @property
    def giving_share(self) -> np.ndarray:
        """Each person's share of their acts that were gives, over all rounds and
        repetitions, shape (people,); nan for a person who never acted."""
        c = self.contributions
        return _ratio(c.gives.sum(axis=(0, 2)), c.acts.sum(axis=(0, 2)))

    @property
    def relation_rounds(self) -> int:
        """Person-relation-rounds per repetition: each tie counts for its two
        people, each group for each member, every round (open or closed)."""
        members = sum(len(g.members) for g in self.population.groups)
        return (2 * self.population.n_ties + members) * self.rounds

    # --- tables -------------------------------------------------------------------

    def person_table(self) -> list[dict]:
        """One row per person.

        Columns: ``person``, ``organisations`` (joined with ``+``), ``strategy``,
        ``ties`` (degree), ``groups`` (groups the person is in),
        ``identification``, ``recognition``, ``identity``, ``identity_weight``,
        ``absorption``; then, per repetition (mean over repetitions) and summed
        over rounds: ``acts``, ``gives``, ``payoff`` (person payoff),
        ``organisation_payoff`` (what their relations brought their organisation
        side, before the split), ``learning``, ``absorbed``; and
        ``giving_share`` (gives / acts over all repetitions, empty if none) and
        ``payoff_per_round``.
        """
        population, c, reps = self.population, self.contributions, self.repetitions
        degree = np.bincount(population.tie_people.reshape(-1), minlength=population.n_people)
        in_groups = np.zeros(population.n_people, dtype=np.int64)
        for group in population.groups:
            in_groups[list(group.members)] += 1
        totals = {name: getattr(c, name).sum(axis=(0, 2)) / reps
                  for name in ("acts", "gives", "person_payoffs", "organisation_payoffs", "learning", "absorbed")}
        share = self.giving_share
        players = population.players()
        absorption = population.absorption
        rows = []
        for p, person in enumerate(population.people):
            rows.append({
                "person": person.name,
                "organisations": "+".join(person.organisations),
                "strategy": players[p].label,
                "ties": int(degree[p]),
                "groups": int(in_groups[p]),
                "identification": person.identification,
                "recognition": person.recognition,
                "identity": person.identity,
                "identity_weight": person.identity_weight,
                "absorption": float(absorption[p]),
                "acts": float(totals["acts"][p]),
                "gives": float(totals["gives"][p]),
                "giving_share": float(share[p]),
                "payoff": float(totals["person_payoffs"][p]),
                "payoff_per_round": float(totals["person_payoffs"][p] / self.rounds),
                "organisation_payoff": float(totals["organisation_payoffs"][p]),
                "learning": float(totals["learning"][p]),
                "absorbed": float(totals["absorbed"][p]),
            })
        return rows

    def organisation_table(self) -> list[dict]:
        """One row per organisation.

        Columns: ``organisation``, ``people`` (members, a shared person counted
        in each of their organisations), ``policy`` (label, empty if none),
        ``absorption``; per repetition (mean over repetitions) summed over
        rounds: ``payoff`` (:attr:`organisation_payoffs`), ``learning``
        (:attr:`organisation_learning`), ``acts`` and ``gives`` of its people
        (split over membership); ``giving_share`` (gives / acts) and
        ``payoff_per_round``.
        """
        population, c, reps = self.population, self.contributions, self.repetitions
        membership = population.membership
        payoff = self.organisation_payoffs.sum(axis=(0, 2)) / reps
        learning = self.organisation_learning.sum(axis=(0, 2)) / reps
        acts = c.acts.sum(axis=(0, 2)) @ membership / reps
        gives = c.gives.sum(axis=(0, 2)) @ membership / reps
        share = _ratio(gives, acts)
        rows = []
        for k, organisation in enumerate(population.organisations):
            rows.append({
                "organisation": organisation.name,
                "people": int(np.count_nonzero(membership[:, k])),
                "policy": organisation.policy.label if organisation.policy is not None else "",
                "absorption": organisation.absorption,
                "acts": float(acts[k]),
                "gives": float(gives[k]),
                "giving_share": float(share[k]),
                "payoff": float(payoff[k]),
                "payoff_per_round": float(payoff[k] / self.rounds),
                "learning": float(learning[k]),
            })
        return rows

    def round_table(self) -> list[dict]:
        """One row per round, each value the mean over repetitions.

        Columns: ``round`` (from 1), ``giving_share`` (gives / acts over every
        relation that round; nan where nobody acted), ``tie_giving_share``
        (:attr:`TieSummary.giving_by_round`), ``mutual_giving`` (share of ties
        with mutual giving), ``open_ties``, ``active_group_members``,
        ``mean_person_payoff`` (mean over people of their payoff summed over
        relations), ``mean_organisation_payoff`` (mean over organisations),
        ``learning`` and ``absorbed`` (summed over people).
        """
        c = self.contributions
        giving = _nanmean(_ratio(c.gives.sum(axis=1), c.acts.sum(axis=1)), axis=0)
        person = c.person_payoffs.mean(axis=(0, 1))
        organisation = self.organisation_payoffs.mean(axis=(0, 1))
        learning = c.learning.sum(axis=1).mean(axis=0)
        absorbed = c.absorbed.sum(axis=1).mean(axis=0)
        nothing = np.full(self.rounds, np.nan)
        if self.ties is not None:
            tie_giving = _nanmean(self.ties.giving_by_round, axis=0)
            mutual = self.ties.mutual_by_round.mean(axis=0)
            open_ties = self.ties.open_by_round.mean(axis=0)
        else:
            tie_giving, mutual, open_ties = nothing, nothing, np.zeros(self.rounds)
        active = (self.groups.active.sum(axis=1).mean(axis=0) if self.groups is not None
                  else np.zeros(self.rounds))
        return [{
            "round": t + 1,
            "giving_share": float(giving[t]),
            "tie_giving_share": float(tie_giving[t]),
            "mutual_giving": float(mutual[t]),
            "open_ties": float(open_ties[t]),
            "active_group_members": float(active[t]),
            "mean_person_payoff": float(person[t]),
            "mean_organisation_payoff": float(organisation[t]),
            "learning": float(learning[t]),
            "absorbed": float(absorbed[t]),
        } for t in range(self.rounds)]

    def tie_table(self) -> list[dict]:
        """One row per tie (empty without ties).

        Columns: ``tie`` (index), ``person_u``, ``person_v`` (u the smaller
        index, side A), ``organisations_u``, ``organisations_v``, ``prior``
        (prior rounds), ``overlap`` (the pair's competitive overlap); means over
        repetitions: ``gives_u``, ``gives_v`` (share of open rounds each gave),
        ``mutual_giving``, ``open_rounds``, ``final_tie``, ``final_stakes_u``,
        ``final_stakes_v``; shares of repetitions by ending: ``ended_open``,
        ``ended_left`` (someone left), ``ended_race_over``.
        """
        if self.ties is None:
            return []
        population, s = self.population, self.ties
        people = population.tie_people
        overlap = population.pair_overlap(people[:, 0], people[:, 1], self.game)
        names = [p.name for p in population.people]
        organisations = population.organisation_of()
        gives = _nanmean(s.gives, axis=0)
        left = np.isin(s.ended_by, _TIE_LEFT).mean(axis=0)
        rows = []
        for k, (u, v) in enumerate(people):
            rows.append({
                "tie": k,
                "person_u": names[u],
                "person_v": names[v],
                "organisations_u": organisations[u],
                "organisations_v": organisations[v],
                "prior": int(population.tie_prior[k]),
                "overlap": float(overlap[k]),
                "gives_u": float(gives[k, 0]),
                "gives_v": float(gives[k, 1]),
                "mutual_giving": float(s.mutual[:, k].mean()),
                "open_rounds": float(s.open_rounds[:, k].mean()),
                "final_tie": float(s.final_tie[:, k].mean()),
                "final_stakes_u": float(s.final_stakes[:, k, 0].mean()),
                "final_stakes_v": float(s.final_stakes[:, k, 1].mean()),
                "ended_open": float((s.ended_by[:, k] == OPEN).mean()),
                "ended_left": float(left[k]),
                "ended_race_over": float((s.ended_by[:, k] == RACE_OVER).mean()),
            })
        return rows

    def group_table(self) -> list[dict]:
        """One row per group (empty without groups).

        Columns: ``group`` (name), ``size``, ``members`` (names joined with
        ``, ``); means over repetitions: ``giving_share`` (over the rounds the
        group was open), ``active_members`` (over all rounds),
        ``open_rounds``, ``final_stakes`` (over members); shares of repetitions
        by ending (:data:`GROUP_ENDINGS`): ``ended_open``, ``ended_left``,
        ``ended_race_over``.
        """
        if self.groups is None:
            return []
        population, s = self.population, self.groups
        rows = []
        for k, group in enumerate(population.groups):
            rows.append({
                "group": group.name,
                "size": len(group.members),
                "members": ", ".join(population.people[m].name for m in group.members),
                "giving_share": float(_nanmean(s.gives[:, k])),
                "active_members": float(s.active[:, k].mean()),
                "open_rounds": float((s.active[:, k] >= 2).sum(axis=-1).mean()),
                "final_stakes": float(np.mean(s.final_stakes[k])),
                "ended_open": float((s.ended_by[:, k] == GROUP_OPEN).mean()),
                "ended_left": float((s.ended_by[:, k] == GROUP_LEFT).mean()),
                "ended_race_over": float((s.ended_by[:, k] == GROUP_RACE_OVER).mean()),
            })
        return rows

    def summary(self) -> dict:
        """The headline numbers, one dict (nan where a number does not apply).

        Keys: ``people``, ``organisations``, ``ties``, ``groups``, ``rounds``,
        ``repetitions``, ``seed``;
        ``mean_person_payoff`` (per person-relation-round, :attr:`relation_rounds`;
        closed rounds count, at ``P``), ``mean_organisation_payoff`` (per
        organisation-round), ``giving_share`` (gives / acts over everything),
        ``tie_mutual_giving`` (mean share of rounds with mutual giving on a
        tie), ``ties_ended_by_exit`` and ``ties_ended_by_race`` (shares of
        tie-repetitions), ``groups_ended_by_exit`` and ``groups_ended_by_race``,
        ``learning_per_person_round`` and ``absorbed_per_person_round`` (the gap
        between them is what stayed with the people: seed 001 s.7, KITe).
        """
        population, c = self.population, self.contributions
        reps, rounds = self.repetitions, self.rounds
        person_rounds = reps * population.n_people * rounds
        relation_rounds = reps * self.relation_rounds
        nan = float("nan")
        out = {
            "people": population.n_people,
            "organisations": population.n_organisations,
            "ties": population.n_ties,
            "groups": len(population.groups),
            "rounds": rounds,
            "repetitions": reps,
            "seed": self.seed,
            "mean_person_payoff": float(c.person_payoffs.sum() / relation_rounds) if relation_rounds else nan,
            "mean_organisation_payoff": float(self.organisation_payoffs.mean()),
            "giving_share": float(_ratio(c.gives.sum(), c.acts.sum())),
            "tie_mutual_giving": nan,
            "ties_ended_by_exit": nan,
            "ties_ended_by_race": nan,
            "groups_ended_by_exit": nan,
            "groups_ended_by_race": nan,
            "learning_per_person_round": float(c.learning.sum() / person_rounds),
            "absorbed_per_person_round": float(c.absorbed.sum() / person_rounds),
        }
        if self.ties is not None and population.n_ties:
            out["tie_mutual_giving"] = float(self.ties.mutual.mean())
            out["ties_ended_by_exit"] = float(np.isin(self.ties.ended_by, _TIE_LEFT).mean())
            out["ties_ended_by_race"] = float((self.ties.ended_by == RACE_OVER).mean())
        if self.groups is not None and population.groups:
            out["groups_ended_by_exit"] = float((self.groups.ended_by == GROUP_LEFT).mean())
            out["groups_ended_by_race"] = float((self.groups.ended_by == GROUP_RACE_OVER).mean())
        return {key: _value(value) for key, value in out.items()}

    def __repr__(self) -> str:
        return (f"NetworkResults({self.population!r}, rounds={self.rounds}, repetitions={self.repetitions}, "
                f"seed={self.seed})")

