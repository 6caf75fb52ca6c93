"""The group game: n-party knowledge sharing in a knowledge-sharing network.

Seed 001 (s.4, s.6) studies knowledge-sharing networks, long-term groups of
people from rival organisations: KITe is one network of twelve commercial
organisations, Delta has several networks of "at most fifteen people" across
five institutes ("a group must not be larger than 15 people to be able to
learn"). This module writes the rules of one round of play inside such a
group once, vectorised over flattened arrays of members and ordered pairs of
members (of any number of groups and repetitions at once); the engine,
:mod:`learning_dilemma.networks.groups`, calls them. Every rule reduces to the
pairwise second-edition rule at ``n = 2`` (below).

The round
---------
Members ``m = 0..n-1`` of a group (slot order) are *active* until they leave.
Each round each active member chooses once: it leaves (the exit of the
pairwise game, with its automaton's exit probability) or intends to give or to
take (one draw, :func:`.execution.chooses`); noise flips the intention
(:func:`.execution.flip`). A give is one act to the whole group, and it
reaches each other active member ``j`` separately: it fails to transfer to
``j`` with the tacit-failure probability of the pair's tie
(:func:`.knowledge.failure_probability`, Hansen 1999), one draw per ordered
pair (:func:`.execution.transfers`). ``x_ij = 1`` where *i*'s give reached
*j*. **Knowledge is non-rival**: one give serves every other member at once
(a pairwise tie carries a give to one partner only), as in a public good.

**Attention** (our choice, after Simon 1971: in an information-rich world
attention is the scarce resource; seed 001 s.6 on Delta's limit of fifteen). A
member cannot attend to every other member as to a single partner. With
``n_a`` active members each of a member's ``n_a - 1`` relations is weighted

    a = (n_a - 1) ** (-theta),       theta = GroupGame.congestion in [0, 1]   (:func:`attention`)

``theta = 1`` (the default) spreads a fixed attention budget over the others:
a member attends in all to one relation's worth, whatever the group's size
(where everyone gives, a group of ``n`` learns ``n r`` a round in all);
``theta = 0`` switches congestion off: every relation counts in full and what
a member learns grows with the group (``n (n - 1) r`` a round in all), so a
large group would teach more than any number of ties could. The form ``(n - 1)^-theta`` is ours: the
simplest one-parameter family between the two limits; the seeds give the
limit of fifteen, not a functional form.

**Avoidance for efficiency** (seed 000 s.5.3: an alliance manager "if I
encounter no enthusiasm whatsoever I will not try to force it ... I just focus
my attention on areas where I have good chances to succeed"). A member with
efficiency ``epsilon_i`` in [0, 1] spends that share of the same budget
``B_i = a (n_a - 1)`` in proportion to the other active members' receptivity
and the rest evenly:

    a_ij = a * (1 - epsilon_i + epsilon_i (n_a - 1) r_j / sum_{k active, k != i} r_k)   (:func:`efficient_attention`)

(evenly where the others' receptivities sum to 0), so ``sum_j a_ij = B_i``. A
relation takes two: its weight is the mean of the two sides' attention,
``w_ij = (a_ij + a_ji) / 2`` (our choice: the group's total attention
``sum_i B_i`` is kept, and moved toward its receptive members, who are attended
more and learn more; the unreceptive are avoided). ``w_ij`` takes the place of
``a`` below (:func:`group_payoff` and :func:`group_learned` with ``pair_weight``).
At ``epsilon = 0`` for everyone ``w_ij = a`` exactly, and the engine then uses
the even weights' own code, so switching it off is the rule below to the bit.

**Stage payoffs.** Member *i*'s payoff from the round is

    u_i = a * sum_{j active, j != i} u_ij + (1 - a (n_a - 1)) * P             (:func:`group_stage_payoffs`)

with ``u_ij`` the pairwise second-edition stage payoff
(:func:`.learning.stage_payoff`) of *i* facing *j*: own give ``g_i``, transfers
``x_ij`` and ``x_ji``, receptivities ``r_i, r_j``, the pair's competitive
overlap ``gamma_ij`` (from their organisations) and the power position
``z_ij = K_j - K_i``. The second term gives the unattended part of the
member's budget the status quo ``P``, what it earns on its own (the loner
payoff of Hauert et al. 2002's optional public goods game): so a round in which
nobody gives pays every active member exactly ``P`` whatever ``n_a`` and
``theta`` (to floating-point rounding; exactly at ``P = 1``), and at
``theta = 1`` the payoff is ``P`` plus the mean over the others of
``u_ij - P``. At ``theta = 0`` it is ``P`` plus the *sum* of ``u_ij - P``: a
member receiving ``k`` gives earns ``k`` times what one received give earns.

The two levels of :mod:`.levels` (person and organisation) are weighted the
same way per pair (:func:`group_person_payoffs`,
:func:`group_organisation_payoffs`); the person's per-act terms (recognition,
von Hippel 1987, and the identity term) are added **once** per member and
round (:func:`.levels.act_value`): a give to the group is one act of sharing,
however many members it reaches.

How the second edition's state generalises
------------------------------------------
- **Stocks** (:mod:`.knowledge`). Each member has stakes ``K_i`` in ``0..M``:
  what it still lacks of what the group has to offer (one set of stakes per
  membership: a person in two groups has separate stakes in each, our choice
  since two networks hold different knowledge). What it learns in a round is
  the attention-weighted share of the gives that reached it,
  ``learned_i = min(1, a * sum_j x_ji)`` (:func:`group_learned`; at
  ``theta = 1`` it is the share of the others whose give reached it), and its
  stakes fall one level with probability ``r_i * pace * learned_i``
  (:func:`.knowledge.stakes_move`, one learning draw per member).
- **The race** (Hamel 1991). A member whose stakes reach 0 has learned all the
  group offers, no longer needs the others, and leaves. When that brings the
  group below two active members, the race is over for the group.
- **Power** (Emerson 1962; Hamel 1991): between members *i* and *j* as between
  two organisations, ``z_ij = K_j - K_i`` sets *i*'s bargaining share of the
  value the pair creates (:func:`.power.bargaining_share`).
- **Exit** (Hauert et al. 2002; Larsson et al. 1998's avoidance). A member who
  leaves is out for the rest of the run: it records EXIT and earns ``P``. The
  others play on among themselves (our choice: a group is many relations, and
  a departure ends only the leaver's; at ``n = 2`` that closes the group, the
  pairwise rule), until fewer than two are active: then the group is closed and
  everyone records EXIT and earns ``P``.
- **Ties and tacit knowledge** (Hansen 1999). Each unordered pair of members has
  its own tie strength, grown by the pair's mutual giving
  (:func:`.knowledge.tie_step`; both gave in the round), starting at the prior
  rounds of a tie between the two people in the population, else 0; a give of
  *i* reaches *j* unless tacit failure at the pair's tie.

What an automaton sees
----------------------
Automata (:mod:`learning_dilemma.players.automaton`) move on their own move and
the partner's move as seen. In a group the partner is the others, seen through
Boyd & Richerson's (1988) threshold reciprocity: a member sees GIVE when the
gives that reached it number at least ``quorum * (n_a - 1)``
(:func:`observed_give`; ``quorum = GroupGame.quorum`` in (0, 1], default one
half: a majority of the others; Boyd & Richerson's reciprocators cooperate
when at least a threshold number of the others did). Its table's view is its own
stakes and the active others' mean stakes, rounded half to even as Python's
``round`` (:func:`others_stakes`; the mean is our choice: the table has one
partner column, and the mean keeps the pairwise view at ``n = 2``).

**Group size** (Boyd & Richerson 1988). The threshold decides how group size
acts on reciprocity. With a unanimous quorum (``quorum = 1``: every other must
have given) and noise, one member's error makes every other member see a take
and retaliate, and the more members the likelier an error somewhere: giving
among Tit For Tats collapses sooner the larger the group, Boyd & Richerson's
finding that reciprocity is hard to sustain in sizable groups. Without noise
there is no decay at any size, and with the default majority quorum one
member's error is absorbed and larger groups hold on at least as long as
smaller ones (``tests/networks/test_groups.py`` measures both).

Reduction at n = 2
------------------
At ``n = 2`` (or ``n_a = 2``): ``a = 1.0`` exactly for any ``theta``, so
``u_i = 1.0 * u_ij + 0.0 * P = u_ij`` to the bit; ``learned_i = x_ji``; the
quorum of one other is 1 give for any ``quorum`` in (0, 1], so the member sees
the partner's give as it transferred; the others' mean stakes are the
partner's; one member leaving (or learning all) closes the group, as an exit
(or the end of the race) closes the alliance. The draws of a group of two are a
match's (:func:`learning_dilemma.seeding.group_draws`), so a group of two plays
bit for bit as a :class:`~learning_dilemma.match.Match`
(``tests/networks/test_groups.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_number
from .learning import closed_payoff, stage_payoff
from .levels import act_value, organisation_payoff, person_payoff, two_levels
from .power import power_position

__all__ = [
    "GroupGame", "Pairs", "attention", "efficient_attention", "group_learned", "group_levels",
    "group_organisation_payoffs", "group_payoff",
    "group_person_payoffs", "group_stage_payoffs", "observed_give", "others_stakes", "quorum_needed",
]

# A quorum times a count that should be a whole number (0.7 x 10) may come out a
# hair above it in floating point; this relative slack keeps it that number.
_QUORUM_SLACK = 1e-9


@dataclass(frozen=True)
class GroupGame:
    """The parameters of the group game (the stage game is the :class:`~.learning.LearningGame`).

    Parameters
    ----------
    congestion : float
        ``theta`` in [0, 1]: how fast attention is congested as the group grows;
        each relation is weighted ``(n_a - 1) ** -theta`` (:func:`attention`,
        Simon 1971). 1 (the default): a fixed attention budget spread over the
        others; 0: no congestion.
    quorum : float
        In (0, 1]: the share of the other active members whose gives must reach
        a member for it to see GIVE (:func:`observed_give`; Boyd & Richerson
        1988's threshold). Default one half. At ``n = 2`` every quorum is the
        pairwise rule.
    """

    congestion: float = 1.0
    quorum: float = 0.5

    def __post_init__(self):
        object.__setattr__(self, "congestion", check_number("group.congestion", self.congestion, 0.0, 1.0))
        object.__setattr__(self, "quorum", check_number("group.quorum", self.quorum, 0.0, 1.0, low_open=True))


@dataclass(frozen=True, eq=False)
class Pairs:
    """The ordered pairs ``(i, j)``, ``i != j``, of the members of groups, flattened.

    Members are numbered across all groups (``0..members-1``); within a group of
    ``n`` members starting at member ``o``, the pairs run giver-major (``i = o``
    to ``o+1, o+2, ...``, then ``i = o+1`` to ``o, o+2, ...``), the order of the
    tacit draws of :func:`learning_dilemma.seeding.group_draws`.

    Attributes
    ----------
    first, second : ndarray of int, shape (pairs,)
        The members ``i`` and ``j``: pair ``q`` is seen from ``first[q]``, and its
        transfer is ``first[q]``'s give reaching ``second[q]``.
    reverse : ndarray of int, shape (pairs,)
        The index of the pair ``(j, i)``.
    members : int
    """

    first: np.ndarray
    second: np.ndarray
    reverse: np.ndarray
    members: int

    @classmethod
    def of_sizes(cls, sizes) -> "Pairs":
        """The pairs of consecutive groups of the given ``sizes`` (each at least 2)."""
        first, second, reverse = [], [], []
        start = pair_start = 0
        for n in (int(s) for s in sizes):
            i, j = np.divmod(np.arange(n * (n - 1)), n - 1)
            j = j + (j >= i)                      # skip the giver itself
            first.append(start + i)
            second.append(start + j)
            # pair (j, i) sits at j (n - 1) + (i if i < j else i - 1)
            reverse.append(pair_start + j * (n - 1) + i - (i > j))
            start += n
            pair_start += n * (n - 1)
        join = (lambda parts: np.concatenate(parts).astype(np.intp)) if first else (lambda _: np.zeros(0, np.intp))
        return cls(join(first), join(second), join(reverse), start)

    def __len__(self) -> int:
        return len(self.first)

    def per_member(self, values, at=None) -> np.ndarray:
        """Sum ``values`` (one per pair) over the pairs of each member: of each
        ``first`` member, or of each ``second`` member with ``at="second"``."""
        index = self.second if at == "second" else self.first
        return np.bincount(index, weights=np.asarray(values, dtype=float), minlength=self.members)


def attention(active_count, congestion: float):
    """``a = (n_a - 1) ** -theta``: the weight of each of a member's relations.

    ``active_count`` is ``n_a``, the active members of the member's group,
    defined for ``n_a >= 2`` (exactly 1.0 at ``n_a = 2`` for any ``theta``); a
    count below two (a closed group, whose members earn ``P`` and learn nothing)
    is given the weight 1.0. Vectorised.
    """
    count = np.maximum(np.asarray(active_count, dtype=float), 2.0)
    return (count - 1.0) ** (-float(congestion))


def efficient_attention(pairs: "Pairs", weight, active_count, receptivities, active, efficiency) -> np.ndarray:
    """``w_ij = (a_ij + a_ji) / 2``, one per ordered pair: each relation's weight
    when members spend their attention on receptive counterparts (avoidance for
    efficiency, seed 000 s.5.3; the rule is in the module docstring).

    Parameters
    ----------
    pairs : Pairs
    weight, active_count : array_like, shape (members,)
        Each member's even weight ``a`` (:func:`attention`) and its group's ``n_a``.
    receptivities : array_like, shape (members,)
    active : array_like of bool, shape (members,)
    efficiency : array_like, shape (members,)
        ``epsilon_i`` in [0, 1].

    Returns
    -------
    ndarray, shape (pairs,)
        Symmetric (``w[q] == w[pairs.reverse[q]]``); 0 where either member is not
        active; ``a`` exactly where both members have ``epsilon = 0``.
    """
    i, j = pairs.first, pairs.second
    active = np.asarray(active, dtype=bool)
    both = active[i] & active[j]
    r = np.asarray(receptivities, dtype=float)
    pool = pairs.per_member(np.where(both, r[j], 0.0))                 # sum of the active others' r
    others = np.maximum(np.asarray(active_count, dtype=float) - 1.0, 1.0)
    eps = np.asarray(efficiency, dtype=float)
    share = np.where(pool[i] > 0, others[i] * r[j] / np.where(pool[i] > 0, pool[i], 1.0), 1.0)
    own = np.asarray(weight, dtype=float)[i] * (1.0 - eps[i] + eps[i] * share)
    own = np.where(both, own, 0.0)
    return 0.5 * (own + own[pairs.reverse])


def group_learned(weight, received, pair_weight=None, pairs=None, transfers=None):
    """``learned_i = min(1, a * sum_j x_ji)``: the attention-weighted share of the
    others' gives that reached member *i* (``received``), the ``learned`` of
    :func:`.knowledge.stakes_move`. ``weight`` is :func:`attention`.

    With ``pair_weight`` (:func:`efficient_attention`) it is
    ``min(1, sum_j w_ij x_ji)``, from the ``pairs`` and their ``transfers``.
    """
    if pair_weight is None:
        return np.minimum(1.0, weight * np.asarray(received, dtype=float))
    return np.minimum(1.0, pairs.per_member(pair_weight * np.asarray(transfers, dtype=float), at="second"))


def quorum_needed(active_count, quorum: float):
    """The number of gives a member must receive to see GIVE: the smallest whole
    number at least ``quorum * (n_a - 1)`` (and at least 1).

    A relative slack of 1e-9 keeps a decimal quorum exact (0.7 of 10 others
    needs 7, although ``0.7 * 10`` may round above 7 in floating point).
    """
    others = np.asarray(active_count) - 1
    need = np.ceil(quorum * others * (1.0 - _QUORUM_SLACK))
    return np.maximum(need, 1.0).astype(np.int64)


def observed_give(received, active_count, quorum: float):
    """The quorum rule: member *i* sees GIVE where the gives that reached it
    (``received``) number at least ``quorum * (n_a - 1)`` (:func:`quorum_needed`;
    Boyd & Richerson 1988). At ``n_a = 2`` it sees the partner's give as it
    transferred, for any quorum in (0, 1]."""
    return np.asarray(received) >= quorum_needed(active_count, quorum)


def others_stakes(total_stakes, own_stakes, active_count):
    """The others' mean stakes, rounded half to even (as Python's ``round``): what
    a member's automaton sees as its partner's stakes (:func:`~learning_dilemma.
    players.automaton.view_index`). ``total_stakes`` is the sum over the group's
    active members, ``own_stakes`` the member's own; at ``n_a = 2`` it is the
    partner's stakes. Counts below two give the total less the own stakes."""
    others = np.maximum(np.asarray(active_count) - 1, 1)
    return np.rint((np.asarray(total_stakes) - own_stakes) / others).astype(np.int64)


def group_payoff(pairs: Pairs, pair_payoffs, active, weight, active_count, status_quo: float, pair_weight=None):
    """``a * sum_j v_ij + (1 - a (n_a - 1)) * P`` for each active member, ``P`` for the others.

    ``pair_payoffs`` holds ``v_ij`` for each pair of :class:`Pairs` (only pairs
    of two active members count), ``weight`` and ``active_count`` the member's
    ``a`` and ``n_a``. The form is written so that at ``n_a = 2`` (``a = 1.0``)
    it is ``v_ij`` to the bit. With ``pair_weight`` (one ``w_ij`` per pair,
    :func:`efficient_attention`) it is ``sum_j w_ij v_ij + (1 - sum_j w_ij) P``.
    """
    active = np.asarray(active, dtype=bool)
    both = active[pairs.first] & active[pairs.second]
    if pair_weight is not None:
        w = np.where(both, pair_weight, 0.0)
        weighted = pairs.per_member(w * np.where(both, pair_payoffs, 0.0)) + (1.0 - pairs.per_member(w)) * status_quo
        return np.where(active, weighted, status_quo)
    summed = pairs.per_member(np.where(both, pair_payoffs, 0.0))
    weighted = weight * summed + (1.0 - weight * (np.asarray(active_count) - 1)) * status_quo
    return np.where(active, weighted, status_quo)


def _pair_arguments(pairs: Pairs, gives, transfers, receptivities, stakes):
    """The pairwise arguments of every pair, seen from its first member."""
    i, j = pairs.first, pairs.second
    gives, receptivities, stakes = np.asarray(gives), np.asarray(receptivities, dtype=float), np.asarray(stakes)
    transfers = np.asarray(transfers)
    return (gives[i], gives[j], transfers, transfers[pairs.reverse], receptivities[i], receptivities[j],
            power_position(stakes[i], stakes[j]))


def group_stage_payoffs(game, pairs: Pairs, gives, transfers, receptivities, stakes, active, weight, active_count,
                        overlap=None):
    """Each member's stage payoff from a round: ``u_i = a sum_j u_ij + (1 - a (n_a - 1)) P``.

    Parameters
    ----------
    game : LearningGame
    pairs : Pairs
    gives : array_like of {0, 1}, shape (members,)
        Where the member gave (played GIVE).
    transfers : array_like of {0, 1}, shape (pairs,)
        ``x_ij``: where pair ``q``'s first member's give reached its second.
    receptivities : array_like, shape (members,)
    stakes : array_like of int, shape (members,)
        The stakes at the start of the round (``z_ij = K_j - K_i``).
    active : array_like of bool, shape (members,)
        Members active in the round; the others earn ``P``.
    weight, active_count : array_like, shape (members,)
        Each member's :func:`attention` and its group's active count ``n_a``.
    overlap : array_like, shape (pairs,), optional
        ``gamma_ij`` per pair; default the game's.
    """
    u = stage_payoff(game, *_pair_arguments(pairs, gives, transfers, receptivities, stakes), overlap)
    return group_payoff(pairs, u, active, weight, active_count, closed_payoff(game))


def group_person_payoffs(game, pairs: Pairs, gives, transfers, receptivities, stakes, active, weight, active_count,
                         absorption, identification, recognition, identity_weight, prescribed, overlap=None):
    """Each member's person payoff (:mod:`.levels`): ``a sum_j U_ij + (1 - a (n_a - 1)) P``
    plus the act value ``rho g_i - kappa |g_i - x*_i|`` once for an active member.

    ``absorption``, ``identification``, ``recognition``, ``identity_weight`` and
    ``prescribed`` hold one value per member (``alpha``, ``lambda``, ``rho``,
    ``kappa``, ``x*``); the other arguments as for :func:`group_stage_payoffs`.
    At ``alpha = lambda = 1``, ``rho = kappa = 0`` it is
    :func:`group_stage_payoffs` to the bit.
    """
    absorption, identification = np.asarray(absorption, dtype=float), np.asarray(identification, dtype=float)
    i, j = pairs.first, pairs.second
    u = person_payoff(game, *_pair_arguments(pairs, gives, transfers, receptivities, stakes),
                      absorption[i], absorption[j], identification[i], overlap)
    base = group_payoff(pairs, u, active, weight, active_count, closed_payoff(game))
    acts = act_value(gives, recognition, identity_weight, prescribed)
    return np.where(np.asarray(active, dtype=bool), base + acts, base)


def group_organisation_payoffs(game, pairs: Pairs, gives, transfers, receptivities, stakes, active, weight,
                               active_count, absorption, overlap=None):
    """Each member's organisation-side payoff (:mod:`.levels`): ``a sum_j Pi_ij + (1 - a (n_a - 1)) P``
    (no act value: acts are the person's). Arguments as for :func:`group_person_payoffs`."""
    absorption = np.asarray(absorption, dtype=float)
    i, j = pairs.first, pairs.second
    u = organisation_payoff(game, *_pair_arguments(pairs, gives, transfers, receptivities, stakes),
                            absorption[i], absorption[j], overlap)
    return group_payoff(pairs, u, active, weight, active_count, closed_payoff(game))


def group_levels(game, pairs: Pairs, gives, transfers, receptivities, stakes, active, weight, active_count,
                 absorption, identification, recognition, identity_weight, prescribed, overlap=None,
                 pair_weight=None):
    """``(stage, person, organisation)``: :func:`group_stage_payoffs`,
    :func:`group_person_payoffs` and :func:`group_organisation_payoffs` at once,
    each pair's parts evaluated once (:func:`.levels.two_levels`); equal to the
    three functions to the bit. Arguments as for :func:`group_person_payoffs`;
    ``overlap`` may be a pair ``(into_first, into_second)`` per pair (Chinese
    walls, :func:`.learning.payoff_parts`), and ``pair_weight`` the relations'
    weights under avoidance for efficiency (:func:`efficient_attention`)."""
    absorption, identification = np.asarray(absorption, dtype=float), np.asarray(identification, dtype=float)
    i, j = pairs.first, pairs.second
    arguments = _pair_arguments(pairs, gives, transfers, receptivities, stakes)
    stage, person, organisation = two_levels(game, *arguments, absorption[i], absorption[j], identification[i],
                                             overlap)
    status_quo = closed_payoff(game)
    stage, person, organisation = (group_payoff(pairs, u, active, weight, active_count, status_quo, pair_weight)
                                   for u in (stage, person, organisation))
    acts = act_value(gives, recognition, identity_weight, prescribed)
    return stage, np.where(np.asarray(active, dtype=bool), person + acts, person), organisation
