"""Which library strategies describe how a class played? Strategy frequency estimation.

The method of Dal Bo & Frechette (2011, "The evolution of cooperation in
infinitely repeated games: experimental evidence", American Economic Review
101(1), 411-429), applied to the play recorded in a live classroom game.

The model
---------
Each subject ``i`` follows one strategy ``k`` of a candidate set throughout the
matches given, and the class is a mixture: strategy ``k`` with share ``phi_k``.
A strategy is a library automaton (:mod:`learning_dilemma.players.automaton`);
replayed along the subject's own history (its table's ``next_state[state, own,
partner]`` on the subject's own choice as made and the partner's move as the
subject saw it, the give row read at the view ``(own stakes, partner stakes)``
of the start of the round), it gives the probability ``p_k(c | history)`` of
each choice ``c`` at each decision: ``q`` of leaving (exit), ``(1 - q) g`` of
giving, ``(1 - q)(1 - g)`` of taking, as the engines play a table
(:func:`learning_dilemma.games.execution.chooses`). The subject makes the
choice the strategy draws with probability ``1 - eps`` and trembles to another
choice otherwise:

    P(c | k, history) = (1 - eps) p_k(c) + eps (1 - p_k(c)) / (A - 1),

with ``A`` the number of choices open to the subject: 2 (give, take), as in
Dal Bo & Frechette (2011), where it is their ``(1 - eps) p + eps (1 - p)``
and, for a deterministic strategy, ``beta`` for the prescribed choice and
``1 - beta`` for the other (``beta = 1 - eps``); 3 where exit is allowed (our
generalisation: a tremble picks one of the other two choices at random, so the
probabilities still sum to one and the three-choice model is the two-choice
model's logit form with one more alternative, below). The log-likelihood of
the class is

    l(phi, eps) = sum_i log sum_k phi_k prod_{matches, rounds} P(c_it | k, history_it),

maximised over ``phi`` on the simplex and ``eps`` in ``[0, (A - 1) / A]``
(at the upper bound every choice is uniform and nothing is identified; Dal Bo
& Frechette bound ``beta >= 1/2`` for the same reason). Dal Bo & Frechette
report the error through ``gamma``, with ``beta = 1 / (1 + exp(-1 / gamma))``;
with ``A`` choices we use the multinomial logit ``beta = 1 / (1 + (A - 1)
exp(-1 / gamma))`` (our choice: the same form with one more alternative), and
:attr:`Estimate.gamma` reports it.

Estimation: the EM algorithm (Dempster, Laird & Rubin 1977), an expectation-
conditional-maximisation of the mixture: given ``(phi, eps)`` each subject's
posterior over strategies; ``phi`` the mean posterior; ``eps`` the maximiser of
the posterior-weighted likelihood, a concave problem in one variable (closed
form ``eps = misses / decisions`` for deterministic strategies), accelerated
by squared extrapolation (Varadhan & Roland 2008). Several starts; the best
likelihood wins. Standard errors: a bootstrap over subjects
(Efron & Tibshirani 1993), with a seeded Generator.

What is identified
------------------
Two candidates with the same likelihood function for every subject (for
deterministic strategies: the same numbers of hits and misses, e.g. because they
prescribe the same choice in every decision recorded, as Cooperator, Tit For Tat
and Grudger do where nobody was ever met with a take) leave the likelihood flat
along the exchange of their shares: only their sum is identified. They are
estimated as one *class*; their individual shares (and posteriors) are ``nan``,
and :attr:`Estimate.warnings` says which and why, rather than returning an
arbitrary split. A subject's posterior between two candidates that fit that
subject's own choices equally well (a subject who always gave and was never met
with a take fits Cooperator and Tit For Tat alike) is the ratio of their shares,
identified by the other subjects if at all.

Decisions that are not the subject's own are left out of the likelihood: a
round played by the classroom's substitute strategy (``substitute``), and every
round after the alliance closed (an exit by either side, or the end of the race:
the engines record EXIT for both then). The substitute's moves still move the
automata (they are the history the partner saw).

How the mix fares
-----------------
:func:`mix_outcomes` puts the estimated mix beside the library: each candidate's
score in a round robin of the library (exact expected payoffs,
:func:`learning_dilemma.exact.roster_payoffs`, or a simulated
:class:`learning_dilemma.tournament.Tournament`), the mix's score as the
share-weighted mean of its strategies' scores, and the replicator dynamics
(:func:`learning_dilemma.dynamics.replicator`) started from the estimated shares.

References
----------
Dal Bo, P. & Frechette, G. R. (2011). The evolution of cooperation in infinitely
repeated games: experimental evidence. American Economic Review 101(1), 411-429.
Dempster, A. P., Laird, N. M. & Rubin, D. B. (1977). Maximum likelihood from
incomplete data via the EM algorithm. Journal of the Royal Statistical Society B
39(1), 1-38.
Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
Fudenberg, D., Rand, D. G. & Dreber, A. (2012). Slow to anger and fast to forgive:
cooperation in an uncertain world. American Economic Review 102(2), 720-749.
Varadhan, R. & Roland, C. (2008). Simple and globally convergent methods for
accelerating the convergence of any EM algorithm. Scandinavian Journal of
Statistics 35(2), 335-353.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._validation import DEFAULT_TURNS, check_count, check_length, check_probability, continuation_of
from ..errors import ParameterError
from ..games import LearningGame
from ..limits import check
from ..moves import Move
from ..players.automaton import MatchContext, view_index
from ..players.player import Player
from ..seeding import root_entropy
from ..strategies import CURRENT_STRATEGIES, make_strategy

__all__ = [
    "DEFAULT_CANDIDATES", "EXIT_CANDIDATES", "Estimate", "WEAK_IDENTIFICATION", "estimate_strategies",
    "log_likelihood", "mix_outcomes", "replay",
]

#: Candidates by default: the library's versions of strategies commonly estimated
#: since Dal Bo & Frechette (2011): always cooperate, always defect, tit for tat,
#: grim trigger, win-stay lose-shift, and suspicious tit for tat (in the set of
#: Fudenberg, Rand & Dreber 2012).
DEFAULT_CANDIDATES = (
    "Cooperator", "Defector", "Tit For Tat", "Grudger", "Suspicious Tit For Tat", "Win-Stay Lose-Shift",
)
#: Added to the default candidates where exit is allowed: the library's
#: strategies that leave (Larsson et al. 1998's avoidance; Hamel 1991's race to learn).
EXIT_CANDIDATES = ("Avoidance", "Race To Learn")

# The bootstrap's stream of the seed (the number): its draws never
# coincide with a match's, whose spawn keys are pairings.
from ..seeding import BOOTSTRAP_STREAM as _BOOTSTRAP_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
# Probabilities equal to this many decimals are one value (a table's 0.8 and
# 1 - 0.2 are the same choice probability).
_DECIMALS = 12
_STARTS = (0.05, 0.15, 0.3)
_MAX_ITERATIONS = 20_000
_TOLERANCE = 1e-12
# An error rate below this is zero within the tolerance: the log-likelihood moves by
# about (misses) x eps between it and 0.
_ZERO_ERROR = 1e-12
_METHODS = ("exact", "tournament")
_SPLITS = ("equal", "refuse")
# A class with a share above this is present (EM leaves absent classes at ~1e-10).
_PRESENT = 1e-6
#: Shares are called weakly identified where the likelihood's curvature along an
#: exchange of the present classes' shares implies a standard error of a share
#: above this (our threshold: two standard errors then span half the simplex,
#: so the data cannot say whether a strategy is a quarter of the class or three quarters).
WEAK_IDENTIFICATION = 0.25


@dataclass(frozen=True, eq=False)
class Estimate:
    """The estimated strategy mix of a class.

    Attributes
    ----------
    names : tuple of str
        The candidates' labels.
    shares : ndarray, shape (K,)
        ``phi_k``; ``nan`` for a candidate in a class of several (only the
        class's share is identified: :attr:`classes`).
    standard_errors : ndarray, shape (K,)
        Bootstrap standard errors of :attr:`shares` (``nan`` without a bootstrap).
    error : float
        ``eps``, the probability of a tremble; ``beta = 1 - eps`` (:attr:`beta`),
        ``gamma`` of Dal Bo & Frechette (2011) (:attr:`gamma`).
    error_se : float
        Bootstrap standard error of :attr:`error`.
    log_likelihood : float
        ``l(phi, eps)`` at the estimate (natural log).
    subjects : tuple
        The subjects' labels (keys of a mapping, or positions of a list), those
        with at least one decision of their own.
    posterior : ndarray, shape (N, K)
        Each subject's posterior probability of each candidate at the estimate,
        ``phi_k L_ik / sum_j phi_j L_ij``; ``nan`` for a candidate in a class of several.
    classes : tuple of tuple of str
        The candidates as reported: a class of several holds candidates the
        likelihood cannot tell apart (the same likelihood for every subject,
        at every error rate or at the estimated one), one candidate each where all
        are identified. Candidates that cannot be told apart but have no share
        (at most 1e-6 together) are listed one by one, the share split evenly:
        none of them is in the class then, which non-negative shares identify.
    class_shares, class_standard_errors : ndarray, shape (C,)
    class_posterior : ndarray, shape (N, C)
    warnings : tuple of str
        What is not identified, or weakly, in one line each.
    actions : int
        ``A``: choices open to a subject (2, or 3 with exit).
    decisions : int
        Decisions in the likelihood.
    context : MatchContext
        What the candidates were told (game, continuation, turns).
    candidates : tuple of Player
    bootstrap : int
        Bootstrap replicates drawn.
    entropy : int
        The seed's entropy (the bootstrap's draws).
    replicates : ndarray, shape (bootstrap, C + 1)
        Each replicate's class shares and error.
    """

    names: tuple
    shares: np.ndarray
    standard_errors: np.ndarray
    error: float
    error_se: float
    log_likelihood: float
    subjects: tuple
    posterior: np.ndarray
    classes: tuple
    class_shares: np.ndarray
    class_standard_errors: np.ndarray
    class_posterior: np.ndarray
    warnings: tuple
    actions: int
    decisions: int
    context: MatchContext = field(repr=False)
    candidates: tuple = field(repr=False)
    bootstrap: int = 0
    entropy: int = 0
    replicates: np.ndarray = field(default=None, repr=False)

    @property
    def beta(self) -> float:
        """``1 - eps``: the probability that a choice is the one the strategy draws."""
        return 1.0 - self.error

    @property
    def gamma(self) -> float:
        """Dal Bo & Frechette's (2011) ``gamma``: ``beta = 1 / (1 + (A - 1) exp(-1 / gamma))``.

        With two choices their ``beta = 1 / (1 + exp(-1 / gamma))``; 0 at
        ``eps = 0``, infinite where choices are uniform.
        """
        beta, others = self.beta, self.actions - 1
        odds = beta * others / (1.0 - beta) if beta < 1.0 else np.inf
        if odds <= 1.0:
            return np.inf
        return 0.0 if np.isinf(odds) else float(1.0 / np.log(odds))

    @property
    def identified(self) -> bool:
        """Whether every candidate's share is identified (no class of several)."""
        return all(len(members) == 1 for members in self.classes)

    def table(self) -> list[dict]:
        """One row per class, largest share first: ``strategy`` (members joined
        by ``" / "``), ``share``, ``standard_error``, ``subjects`` (expected
        number, the summed posterior)."""
        rows = [
            {"strategy": " / ".join(members), "share": float(share), "standard_error": float(se),
             "subjects": float(self.class_posterior[:, c].sum())}
            for c, (members, share, se) in enumerate(zip(self.classes, self.class_shares,
                                                         self.class_standard_errors))
        ]
        return sorted(rows, key=lambda row: -row["share"])


# --- the data ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Subject:
    """One subject's rounds, flattened over matches (arrays of equal length)."""

    label: object
    own: np.ndarray          # the subject's choice (Move ints)
    partner: np.ndarray      # the partner's move as seen (2: the partner left this round)
    view: np.ndarray         # table column of the round's view
    counted: np.ndarray      # a decision of the subject's own, in the likelihood
    first: np.ndarray        # the round opens a match


def _labelled(subjects):
    """``(label, where, matches)`` per subject; ``where`` names it in messages."""
    if isinstance(subjects, Mapping):
        items = list(subjects.items())
        label = "subjects[{!r}]"
    elif isinstance(subjects, Sequence) and not isinstance(subjects, (str, bytes)):
        items = list(enumerate(subjects))
        label = "subjects[{}]"
    else:
        raise ParameterError(f"subjects must be a mapping of label to matches or a list of subjects, got {subjects!r}")
    if not items:
        raise ParameterError("subjects: no subjects given")
    return [(key, label.format(key), matches) for key, matches in items]


def _move(value, where: str, what: str, allowed) -> int:
    if isinstance(value, str) and len(value) == 1:
        try:
            value = Move.from_letter(value)
        except ValueError:
            pass
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or int(value) not in allowed:
        names = ", ".join(f"{int(m)} ({m.name})" for m in Move if int(m) in allowed)
        raise ParameterError(f"{where}: {what} must be one of {names}, got {value!r}")
    return int(value)


def _stakes(value, where: str, what: str, levels: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not 0 <= value <= levels:
        raise ParameterError(f"{where}: {what} must be a whole number in [0, {levels}] "
                             f"(game.knowledge.levels), got {value!r}")
    return int(value)


def _round(entry, where: str, levels: int):
    """``(own, partner, own stakes, partner stakes, substitute)`` of one round entry."""
    substitute = False
    if isinstance(entry, Mapping):
        unknown = sorted(set(entry) - {"own", "partner", "own_stakes", "partner_stakes", "substitute"})
        if unknown:
            raise ParameterError(f"{where}: unknown key {unknown[0]!r} (known: own, partner, own_stakes, "
                                 "partner_stakes, substitute)")
        if "own" not in entry or "partner" not in entry:
            raise ParameterError(f"{where}: a round needs 'own' and 'partner'")
        own, partner = entry["own"], entry["partner"]
        stakes = (entry.get("own_stakes"), entry.get("partner_stakes"))
        substitute = entry.get("substitute", False)
        if not isinstance(substitute, (bool, np.bool_, int, np.integer)) or substitute not in (0, 1):
            raise ParameterError(f"{where}: substitute must be true or false, got {substitute!r}")
    elif isinstance(entry, Sequence) and not isinstance(entry, (str, bytes)) and len(entry) in (2, 3, 4):
        own, partner = entry[0], entry[1]
        if len(entry) == 3:
            view = entry[2]
            if not (isinstance(view, Sequence) and len(view) == 2):
                raise ParameterError(f"{where}: the view must be (own stakes, partner stakes), got {view!r}")
            stakes = tuple(view)
        else:
            stakes = tuple(entry[2:4]) if len(entry) == 4 else (None, None)
    else:
        raise ParameterError(f"{where}: a round must be (own, partner), (own, partner, own stakes, partner stakes) "
                             f"or a mapping, got {entry!r}")
    own = _move(own, where, "the own choice", (0, 1, 2))
    partner = _move(partner, where, "the partner's move", (0, 1, 2))
    if stakes == (None, None):
        if levels > 0:
            raise ParameterError(f"{where}: the view (own stakes, partner stakes) is needed where knowledge stakes "
                                 f"are on (game.knowledge.levels = {levels})")
        stakes = (0, 0)
    own_k = _stakes(stakes[0], where, "own stakes", levels)
    partner_k = _stakes(stakes[1], where, "partner stakes", levels)
    return own, partner, own_k, partner_k, bool(substitute)


def _read_subjects(subjects, levels: int, exit_allowed: bool | None, labelled=None):
    """Validated subjects and whether exit is allowed (inferred from the data where not given)."""
    read, exits = [], False
    for key, where, matches in labelled if labelled is not None else _labelled(subjects):
        if not isinstance(matches, Sequence) or isinstance(matches, (str, bytes)):
            raise ParameterError(f"{where}: a subject's play must be a list of matches, got {matches!r}")
        columns = [[] for _ in range(6)]
        for m, rounds in enumerate(matches):
            if not isinstance(rounds, Sequence) or isinstance(rounds, (str, bytes)):
                raise ParameterError(f"{where}[{m}]: a match must be a list of rounds, got {rounds!r}")
            closed = None
            for t, entry in enumerate(rounds):
                at = f"{where}[{m}][{t}]"
                own, partner, own_k, partner_k, substitute = _round(entry, at, levels)
                if closed is None and levels > 0 and (own_k == 0 or partner_k == 0):
                    closed = f"{t} (the race was over: a side's stakes were 0)"
                    if own != Move.EXIT or partner != Move.EXIT:
                        raise ParameterError(f"{at}: a give or take after the race was over (a side's stakes are 0: "
                                             "the alliance closed; record EXIT for both)")
                if closed is not None:
                    if own != Move.EXIT or partner != Move.EXIT:
                        raise ParameterError(f"{at}: a give or take after the alliance closed in round {closed} "
                                             "(every later round is EXIT for both)")
                    continue
                if own == Move.EXIT:
                    exits = exits or not substitute
                    if exit_allowed is False and not substitute:
                        raise ParameterError(f"{at}: an exit, but exit_allowed is false")
                if own == Move.EXIT or partner == Move.EXIT:
                    closed = t
                for column, value in zip(columns, (own, partner, view_index(own_k, partner_k, levels),
                                                   not substitute, t == 0)):
                    column.append(value)
        own, partner, view, counted, first = (np.array(c, dtype=dtype) for c, dtype in
                                              zip(columns, (np.intp, np.intp, np.intp, bool, bool)))
        read.append(_Subject(key, own, partner, view, counted, first))
    return read, (exits if exit_allowed is None else bool(exit_allowed))


def _candidates(candidates, context: MatchContext, exit_allowed: bool):
    if candidates is None:
        candidates = DEFAULT_CANDIDATES + (EXIT_CANDIDATES if exit_allowed else ())
    if isinstance(candidates, (str, Player)) or not isinstance(candidates, Sequence) or not candidates:
        raise ParameterError(f"candidates must be a non-empty list of strategy names or players, got {candidates!r}")
    check("players", len(candidates), f"{len(candidates)} candidates")
    players = []
    for k, candidate in enumerate(candidates):
        player = make_strategy(candidate) if isinstance(candidate, str) else candidate
        if not isinstance(player, Player) or not player.is_automaton:
            raise ParameterError(f"candidates[{k}]: {candidate!r} is not a library automaton (the estimate replays "
                                 "a strategy's table)")
        table = player.compiled(context)
        if table.leaves and not exit_allowed:
            raise ParameterError(f"candidates[{k}]: {player.label} leaves the alliance, but exit is not allowed "
                                 "(exit_allowed is false)")
        players.append(player)
    names = [p.label for p in players]
    for k, name in enumerate(names):
        if name in names[:k]:
            raise ParameterError(f"candidates[{k}]: {name} is listed twice")
    return tuple(players), tuple(names)


def _context(context) -> MatchContext:
    if context is None:
        return MatchContext(LearningGame(), continuation_of(DEFAULT_TURNS, None), DEFAULT_TURNS)
    if isinstance(context, LearningGame):
        return MatchContext(context, continuation_of(DEFAULT_TURNS, None), DEFAULT_TURNS)
    if not isinstance(context, MatchContext):
        raise ParameterError(f"context must be a MatchContext (game, continuation, turns), got {context!r}")
    return context


# --- the replay --------------------------------------------------------------------------------------------------

def _replay_subject(subject: _Subject, table, exit_allowed: bool) -> np.ndarray:
    """The strategy's probabilities of (TAKE, GIVE, EXIT) at each of the subject's rounds."""
    width = table.give.shape[1]
    views = subject.view if width > 1 else np.zeros_like(subject.view)
    give_table, leave_table = table.give, table.leave
    following = table.next_state.tolist()
    exit_code = int(Move.EXIT)
    states = []
    state = start = table.start
    for own, partner, first in zip(subject.own.tolist(), subject.partner.tolist(), subject.first.tolist()):
        if first:
            state = start
        states.append(state)
        if own != exit_code and partner != exit_code:
            state = following[state][own][partner]
    states = np.array(states, dtype=np.intp)
    give = give_table[states, views]
    leave = leave_table[states, views] if exit_allowed else np.zeros_like(give)
    return np.stack([(1.0 - leave) * (1.0 - give), (1.0 - leave) * give, leave], axis=1)


def replay(matches, candidate, context: MatchContext | None = None, exit_allowed: bool | None = None):
    """A strategy's choice probabilities along one subject's history.

    Parameters
    ----------
    matches : list of list of rounds
        One subject's play, as for :func:`estimate_strategies`.
    candidate : str or Player
        A library automaton (or its name).
    context : MatchContext, optional
        What the strategy is told (the default: a :class:`~learning_dilemma.match.Match`'s defaults).
    exit_allowed : bool, optional
        Whether the subject could leave, so the strategy's exit probabilities
        apply (a strategy that leaves is refused otherwise); by default whether
        the subject did.

    Returns
    -------
    probabilities : ndarray, shape (decisions, 3)
        ``p_k(TAKE)``, ``p_k(GIVE)``, ``p_k(EXIT)`` (columns by :class:`~learning_dilemma.moves.Move`)
        at each decision of the subject's own (substitute and closed rounds left out).
    choices : ndarray of int, shape (decisions,)
        The subject's choices at those decisions.
    """
    context = _context(context)
    (subject,), exit_allowed = _read_subjects(None, context.levels, exit_allowed, [(0, "matches", matches)])
    (player,), _ = _candidates([candidate], context, exit_allowed)
    probabilities = _replay_subject(subject, player.compiled(context), exit_allowed)
    return probabilities[subject.counted], subject.own[subject.counted]


@dataclass(frozen=True)
class _Data:
    """The likelihood's sufficient statistics: how often each subject's choice had
    each probability under each candidate."""

    counts: np.ndarray       # (K, N, U): decisions of subject i whose choice had probability values[u] under k
    values: np.ndarray       # (U,) the distinct probabilities of the choices made
    same_choices: np.ndarray  # (K, K) bool: the same probabilities of every choice at every decision
    actions: int
    decisions: int


def _data(subjects, players, context, exit_allowed: bool) -> _Data:
    """Replay every candidate along every subject's history and count."""
    chosen, rows = [], []  # per candidate: the probability of each counted choice, and of every choice
    owner = np.concatenate([np.full(int(s.counted.sum()), i) for i, s in enumerate(subjects)])
    for player in players:
        table = player.compiled(context)
        parts = [_replay_subject(s, table, exit_allowed)[s.counted] for s in subjects]
        made = [part[np.arange(len(part)), s.own[s.counted]] for part, s in zip(parts, subjects)]
        chosen.append(np.round(np.concatenate(made), _DECIMALS))
        rows.append(np.round(np.concatenate(parts), _DECIMALS))
    chosen = np.array(chosen)  # (K, D)
    values, index = np.unique(chosen, return_inverse=True)
    index = index.reshape(chosen.shape)
    K, N, U = len(players), len(subjects), len(values)
    counts = np.zeros((K, N, U))
    for k in range(K):
        np.add.at(counts[k], (owner, index[k]), 1.0)
    same = np.array([[np.array_equal(rows[a], rows[b]) for b in range(K)] for a in range(K)])
    return _Data(counts, values, same, 3 if exit_allowed else 2, int(chosen.shape[1]))


# --- the likelihood and its maximisation ------------------------------------------------------------------------

def _log_choice(values: np.ndarray, error: float, actions: int) -> np.ndarray:
    """``log P(c | k)`` for choice probabilities ``values``: ``(1 - eps) p + eps (1 - p) / (A - 1)``."""
    with np.errstate(divide="ignore"):
        return np.log((1.0 - error) * values + error * (1.0 - values) / (actions - 1))


def _log_components(counts: np.ndarray, values: np.ndarray, error: float, actions: int) -> np.ndarray:
    """``log L_ki = sum_t log P(c_it | k)``, shape (K, N)."""
    logs = _log_choice(values, error, actions)
    finite = np.where(np.isfinite(logs), logs, 0.0)
    out = counts @ finite
    impossible = (counts[..., ~np.isfinite(logs)] > 0).any(axis=-1)
    return np.where(impossible, -np.inf, out)


def _mixture(log_components: np.ndarray, shares: np.ndarray):
    """The log-likelihood and the posterior (K, N) of a mixture."""
    with np.errstate(divide="ignore"):
        joint = np.log(shares)[:, None] + log_components
    top = joint.max(axis=0)
    safe = np.where(np.isfinite(top), top, 0.0)
    total = safe + np.log(np.exp(joint - safe).sum(axis=0))
    with np.errstate(invalid="ignore"):
        posterior = np.exp(joint - total)
    return float(total.sum()), posterior


def _error_step(weights: np.ndarray, values: np.ndarray, actions: int) -> float:
    """The ``eps`` in ``[0, (A-1)/A]`` maximising ``sum_u w_u log P_u(eps)`` (concave in ``eps``)."""
    from scipy.optimize import brentq

    top = (actions - 1) / actions
    used = weights > 0
    w, p = weights[used], values[used]
    slope = (1.0 - p) / (actions - 1) - p  # dP/deps
    if np.all((p == 0) | (p == 1)):  # hits (1 - eps) and misses eps / (A - 1): eps = misses / decisions
        misses = w[p == 0].sum()
        return float(min(misses / w.sum(), top)) if w.sum() > 0 else 0.0

    def derivative(eps):
        with np.errstate(divide="ignore"):
            return float(np.sum(w * slope / (p + eps * slope)))

    if derivative(0.0) <= 0:
        return 0.0
    if derivative(top) >= 0:
        return top
    return float(brentq(derivative, 0.0, top, xtol=1e-15, rtol=4 * np.finfo(float).eps))


def _em_step(counts, values, actions, shares, error):
    """One EM step: ``(shares, error)`` after it and the log-likelihood before it."""
    ll, posterior = _mixture(_log_components(counts, values, error, actions), shares)
    return posterior.mean(axis=1), _error_step(np.einsum("kn,knu->u", posterior, counts), values, actions), ll


def _fit(counts, values, actions, starts):
    """Maximise the mixture likelihood from each start; the best ``(ll, shares, error, posterior)``.

    EM steps, accelerated by the squared extrapolation of Varadhan & Roland
    (2008, SQUAREM, scheme S3) on ``(shares, error)``: two steps ``r = F(x) - x``,
    ``v = F(F(x)) - 2 F(x) + x`` give the extrapolated ``x - 2 a r + a^2 v`` with
    ``a = -|r| / |v|``, halved towards the plain double step (``a = -1``) while it
    leaves the simplex or the error's range, and kept only if its likelihood is
    no lower than the double step's start (so the likelihood never falls, as in EM).
    """
    top = (actions - 1) / actions
    best = None
    for shares, error in starts:
        x = np.append(np.asarray(shares, dtype=float), error)
        previous = -np.inf
        for _ in range(_MAX_ITERATIONS):
            one_shares, one_error, ll = _em_step(counts, values, actions, x[:-1], x[-1])
            one = np.append(one_shares, one_error)
            two_shares, two_error, _ = _em_step(counts, values, actions, one_shares, one_error)
            two = np.append(two_shares, two_error)
            r, v = one - x, two - 2 * one + x
            step = two
            scale = np.abs(v).max()
            if scale > 0:  # the ratio of the norms, scaled so that tiny steps do not underflow
                a = min(-np.linalg.norm(r / scale) / np.linalg.norm(v / scale), -1.0)
                while a < -1.0:
                    trial = x - 2 * a * r + a * a * v
                    if np.all(trial[:-1] > 0) and 0 <= trial[-1] <= top:
                        trial[:-1] /= trial[:-1].sum()
                        if _mixture(_log_components(counts, values, trial[-1], actions), trial[:-1])[0] >= ll:
                            step = trial
                        break
                    a = (a - 1.0) / 2.0 if a < -1.01 else -1.0
            x = step
            if ll - previous <= _TOLERANCE * max(1.0, abs(ll)):
                break
            previous = ll
        shares, error = x[:-1], float(x[-1])
        ll, posterior = _mixture(_log_components(counts, values, error, actions), shares)
        if 0 < error < _ZERO_ERROR:  # zero within the tolerance: say so exactly (identification reads it)
            at_zero, posterior_at_zero = _mixture(_log_components(counts, values, 0.0, actions), shares)
            if np.isfinite(at_zero):
                ll, posterior, error = at_zero, posterior_at_zero, 0.0
        if best is None or ll > best[0]:
            best = (ll, shares, error, posterior)
    return best


def _classes(data: _Data):
    """Candidates with the same likelihood for every subject, as lists of indices (first seen first)."""
    K = data.counts.shape[0]
    classes, seen = [], set()
    for a in range(K):
        if a in seen:
            continue
        members = [b for b in range(a, K) if b not in seen and np.array_equal(data.counts[a], data.counts[b])]
        seen.update(members)
        classes.append(members)
    return classes


def _starts(counts, values, actions):
    """Interior starts: even shares at a few error rates, and each subject's best fit at eps = 0.1."""
    C = counts.shape[0]
    even = np.full(C, 1.0 / C)
    top = (actions - 1) / actions
    starts = [(even, min(e, top / 2)) for e in _STARTS]
    best = _log_components(counts, values, min(0.1, top / 2), actions).argmax(axis=0)
    assigned = np.bincount(best, minlength=C) / counts.shape[1]
    starts.append((0.8 * assigned + 0.2 * even, min(0.1, top / 2)))
    return starts


def _equal_at(log_fits: np.ndarray) -> list:
    """Classes whose likelihoods are equal for every subject at the estimate, as
    lists of class indices: relative to each subject's best fit, to 1e-9 (zeros
    equal zeros: at ``eps = 0`` classes that each fail the same subjects entirely)."""
    top = log_fits.max(axis=0)
    relative = np.exp(log_fits - np.where(np.isfinite(top), top, 0.0))
    unions, seen = [], set()
    for a in range(len(log_fits)):
        if a in seen:
            continue
        members = [b for b in range(a, len(log_fits))
                   if b not in seen and np.allclose(relative[a], relative[b], rtol=1e-9, atol=0.0)]
        seen.update(members)
        unions.append(members)
    return unions


def _weakest_exchange(log_fits: np.ndarray, shares: np.ndarray):
    """The least identified exchange of shares among the classes present, if weakly identified.

    With ``r_ik = L_ik / sum_j phi_j L_ij``, the curvature of the log-likelihood
    along a change ``d`` of the shares (``sum d = 0``) is ``-sum_i (r_i . d)^2``
    (the observed information, restricted to the simplex); along the unit
    eigenvector ``d`` of its smallest eigenvalue ``lambda`` a class's share has
    the standard error ``|d_k| / sqrt(lambda)`` (the largest is returned). Above
    :data:`WEAK_IDENTIFICATION` returns it and the classes on each side of the
    direction; otherwise ``None``.
    """
    present = np.flatnonzero(shares > _PRESENT)
    if len(present) < 2:
        return None
    with np.errstate(divide="ignore"):
        mixture = np.log(shares)[:, None] + log_fits
    top = mixture.max(axis=0)
    total = top + np.log(np.exp(mixture - top).sum(axis=0))
    r = np.exp(np.minimum(log_fits[present] - total, 50.0))
    information = r @ r.T
    n = len(present)
    basis = np.linalg.qr(np.eye(n) - 1.0 / n)[0][:, : n - 1]  # orthonormal, orthogonal to (1, ..., 1)
    values, vectors = np.linalg.eigh(basis.T @ information @ basis)
    direction = basis @ vectors[:, 0]
    # along the unit direction d, class k's share has the standard error |d_k| / sqrt(lambda)
    spread = np.inf if values[0] <= 0 else float(np.abs(direction).max() / np.sqrt(values[0]))
    if spread <= WEAK_IDENTIFICATION:
        return None
    sides = []
    for sign in (1.0, -1.0):
        part = sign * direction
        chosen = np.flatnonzero(part >= 0.3 * part.max())  # the side's main classes, its largest at least
        sides.append([int(present[k]) for k in chosen[np.argsort(-part[chosen], kind="stable")]])
    return float(spread), tuple(sides)


def _duplicates(counts) -> bool:
    """Whether two classes have the same likelihood for every subject in ``counts``."""
    C = counts.shape[0]
    return any(np.array_equal(counts[a], counts[b]) for a in range(C) for b in range(a + 1, C))


def estimate_strategies(subjects, candidates=None, context: MatchContext | None = None, *,
                        exit_allowed: bool | None = None, bootstrap: int = 100, seed: int | None = None) -> Estimate:
    """Estimate the shares of candidate strategies and the error rate by maximum likelihood.

    The strategy frequency estimation method of Dal Bo & Frechette (2011); the
    model, the likelihood and what is identified: the module docstring.

    Parameters
    ----------
    subjects : mapping of label to matches, or list of matches per subject
        Per subject, a list of matches, each a list of rounds in order. A round is
        ``(own, partner)``, ``(own, partner, own_stakes, partner_stakes)``,
        ``(own, partner, (own_stakes, partner_stakes))`` or a mapping with keys
        ``own``, ``partner``, ``own_stakes``, ``partner_stakes``, ``substitute``:
        ``own`` the subject's choice as made (``Move`` ints ``TAKE = 0``, ``GIVE =
        1``, ``EXIT = 2``, or the letters ``T``/``G``/``X``; in the round in which
        the partner left, the subject's own choice, not the EXIT recorded for the
        closed alliance); ``partner`` the partner's move as the subject saw it (a
        give that failed to transfer is a take; 2 where the partner left this
        round; in group mode the threshold observation of
        :mod:`learning_dilemma.games.group`); the stakes at the start of the
        round (needed where knowledge stakes are on; in group mode the others'
        rounded mean as the view); ``substitute`` true where the classroom's
        substitute strategy chose for the subject (left out of the likelihood).
        Rounds after the alliance closed (an exit, or the race over: with stakes
        on, a round whose view has a side's stakes at 0) must be EXIT for both;
        they are left out.
        Pass the matches to estimate on (Dal Bo & Frechette use the later
        supergames, once behaviour has settled).
    candidates : sequence of str or Player, optional
        Library automata; :data:`DEFAULT_CANDIDATES` (and :data:`EXIT_CANDIDATES`
        where exit is allowed) by default.
    context : MatchContext or LearningGame, optional
        What the strategies are told: the classroom's game and continuation
        (``MatchContext(game, w)``). A game alone, or nothing, takes a
        :class:`~learning_dilemma.match.Match`'s default length.
    exit_allowed : bool, optional
        Whether the subjects could leave (``A = 3`` choices). By default: whether
        any subject did.
    bootstrap : int
        Bootstrap replicates over subjects for the standard errors (0: none).
    seed : int, optional
        Seed of the bootstrap's draws (``None``: fresh entropy, kept in
        :attr:`Estimate.entropy`).

    Returns
    -------
    Estimate

    Raises
    ------
    ParameterError
        One line naming the subject, match and round (``subjects['S3'][1][4]``)
        or the argument at fault.

    Examples
    --------
    Ann gives, gives again after a give, then takes after a take (tit for tat);
    Bob always takes:

    >>> play = {"Ann": [[(1, 1), (1, 0), (0, 1)]], "Bob": [[(0, 1), (0, 0)]]}
    >>> estimate = estimate_strategies(play, ["Tit For Tat", "Defector"], bootstrap=0)
    >>> estimate.shares.tolist(), estimate.error
    ([0.5, 0.5], 0.0)
    >>> estimate.posterior.round(3).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    context = _context(context)
    if exit_allowed is not None and not isinstance(exit_allowed, (bool, np.bool_)):
        raise ParameterError(f"exit_allowed must be true, false or None, got {exit_allowed!r}")
    bootstrap = check_count("bootstrap", bootstrap)
    entropy = root_entropy(seed)
    read, exit_allowed = _read_subjects(subjects, context.levels, exit_allowed)
    players, names = _candidates(candidates, context, exit_allowed)
    warnings = []
    empty = [s.label for s in read if not s.counted.any()]
    if empty:
        warnings.append(f"left out {len(empty)} subject(s) without a decision of their own: "
                        + ", ".join(map(str, empty)))
    read = [s for s in read if s.counted.any()]
    if not read:
        raise ParameterError("subjects: no decision of a subject's own to estimate from")
    data = _data(read, players, context, exit_allowed)
    groups = _classes(data)
    counts = data.counts[[members[0] for members in groups]]
    ll, fitted, error, fitted_posterior = _fit(counts, data.values, data.actions,
                                               _starts(counts, data.values, data.actions))
    # Classes as reported: candidates the likelihood cannot tell apart (equal counts, or equal fits at the
    # estimate, e.g. at eps = 0 where each fails the same subjects entirely) are one class, unless the class has
    # no share (at most _PRESENT): then each member's share is that share split evenly, nothing to identify.
    log_fits = _log_components(counts, data.values, error, data.actions)
    report = []  # (members, {fitted group: weight}, the groups whose fits were equal)
    for union in _equal_at(log_fits):
        if fitted[union].sum() > _PRESENT:
            report.append((sorted(k for g in union for k in groups[g]), {g: 1.0 for g in union}, union))
        else:
            report.extend(([k], {g: 1.0 / len(groups[g])}, [g]) for g in union for k in groups[g])
    report.sort(key=lambda entry: entry[0][0])
    classes = [members for members, _, _ in report]
    pool = np.zeros((len(report), len(groups)))
    for c, (_, weights, _) in enumerate(report):
        for g, weight in weights.items():
            pool[c, g] = weight
    class_shares, class_posterior = pool @ fitted, pool @ fitted_posterior
    for c, (members, _, union) in enumerate(report):
        if len(members) > 1:
            listed = ", ".join(names[k] for k in members)
            if all(data.same_choices[members[0], k] for k in members):
                how = "prescribe the same choices in every decision recorded"
            elif len(union) == 1:
                how = "fit every subject's choices equally well"
            else:
                how = f"fit every subject's choices equally well at the estimated error rate {error:.3g}"
            warnings.append(f"not identified: {listed} {how}; only their summed share ({class_shares[c]:.3g}) "
                            "is estimated")
    # the classes with a share, for the bootstrap's count of replicates that cannot tell two of them apart
    present = [union[0] for c, (_, _, union) in enumerate(report) if class_shares[c] > _PRESENT]
    weak = _weakest_exchange(log_fits[[union[0] for _, _, union in report]], class_shares)
    if weak is not None:
        spread_along, sides = weak
        listed = " against ".join(", ".join(" / ".join(names[k] for k in classes[c]) for c in side) for side in sides)
        warnings.append(f"weakly identified: the likelihood is nearly flat along {listed} (a standard error of about "
                        f"{spread_along:.2g} in their shares)")
    top = (data.actions - 1) / data.actions
    if error >= top - 1e-9:
        warnings.append(f"the error rate is at its bound {top:.3g}: the choices look random, no strategy is identified")

    C = len(classes)
    replicates = np.full((bootstrap, C + 1), np.nan)
    if bootstrap:
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(_BOOTSTRAP_STREAM,)))
        start = [(0.9 * fitted + 0.1 / len(groups), min(max(error, 0.01), top / 2))]
        flat = 0
        for b in range(bootstrap):
            drawn = counts[:, rng.integers(0, len(read), len(read))]
            flat += _duplicates(drawn[present])
            _, shares_b, error_b, _ = _fit(drawn, data.values, data.actions, start)
            replicates[b] = np.append(pool @ shares_b, error_b)
        if flat:
            warnings.append(f"in {flat} of {bootstrap} bootstrap replicates two classes fitted every drawn subject "
                            "equally well (their split there follows the estimate's): shares are weakly identified")
    spread = replicates.std(axis=0, ddof=1) if bootstrap > 1 else np.full(C + 1, np.nan)

    K = len(players)
    shares, errors, posterior = np.full(K, np.nan), np.full(K, np.nan), np.full((len(read), K), np.nan)
    for c, members in enumerate(classes):
        if len(members) == 1:
            shares[members[0]], errors[members[0]] = class_shares[c], spread[c]
            posterior[:, members[0]] = class_posterior[c]
    return Estimate(
        names=names, shares=shares, standard_errors=errors, error=float(error), error_se=float(spread[-1]),
        log_likelihood=float(ll), subjects=tuple(s.label for s in read), posterior=posterior,
        classes=tuple(tuple(names[k] for k in members) for members in classes), class_shares=class_shares,
        class_standard_errors=spread[:-1], class_posterior=class_posterior.T, warnings=tuple(warnings),
        actions=data.actions, decisions=data.decisions, context=context, candidates=players, bootstrap=bootstrap,
        entropy=entropy, replicates=replicates,
    )


def log_likelihood(subjects, shares, error: float, candidates=None, context: MatchContext | None = None, *,
                   exit_allowed: bool | None = None) -> float:
    """The mixture log-likelihood ``l(phi, eps)`` at given shares and error rate.

    Parameters as for :func:`estimate_strategies`; ``shares`` one per candidate
    (non-negative, summing to 1), ``error`` in ``[0, (A - 1) / A]``.
    """
    context = _context(context)
    read, exit_allowed = _read_subjects(subjects, context.levels, exit_allowed)
    players, names = _candidates(candidates, context, exit_allowed)
    actions = 3 if exit_allowed else 2
    error = check_probability("error", error)
    if error > (actions - 1) / actions:
        raise ParameterError(f"error must be at most {(actions - 1) / actions:g} with {actions} choices, got {error:g}")
    try:
        shares = np.asarray(shares, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"shares must be numbers, got {shares!r}") from None
    if shares.shape != (len(players),) or np.any(~np.isfinite(shares)) or np.any(shares < 0) \
            or abs(shares.sum() - 1.0) > 1e-9:
        raise ParameterError(f"shares must be {len(players)} non-negative numbers summing to 1 "
                             f"(one per candidate: {', '.join(names)}), got {shares.tolist()!r}")
    read = [s for s in read if s.counted.any()]
    if not read:
        return 0.0
    data = _data(read, players, context, exit_allowed)
    return _mixture(_log_components(data.counts, data.values, error, actions), shares)[0]


# --- how the mix fares ------------------------------------------------------------------------------------------

def _field(field, game, candidates, context):
    """The round robin's roster: the library (or the players given) and the candidates; what was left out."""
    left_out = {}
    if field is None or (isinstance(field, str) and field == "library"):
        roster = []
        for cls in CURRENT_STRATEGIES:  # the deprecated aliases would warn, and repeat the Boundary Spanner
            player = cls()
            try:
                player.compiled(context)
            except ParameterError as error:
                left_out[player.label] = str(error)
                continue
            roster.append(player)
    else:
        if isinstance(field, (str, Player)) or not isinstance(field, Sequence):
            raise ParameterError(f"field must be 'library' or a list of strategy names or players, got {field!r}")
        roster = []
        for k, entry in enumerate(field):
            player = make_strategy(entry) if isinstance(entry, str) else entry
            if not isinstance(player, Player) or not player.is_automaton:
                raise ParameterError(f"field[{k}]: {entry!r} is not a library automaton")
            roster.append(player)
    labels = [p.label for p in roster]
    for player in candidates:
        if player.label not in labels:
            roster.append(player)
            labels.append(player.label)
    return roster, labels, left_out


def _used_shares(estimate: Estimate, unidentified: str):
    if unidentified not in _SPLITS:
        raise ParameterError(f"unidentified must be one of {', '.join(_SPLITS)}, got {unidentified!r}")
    shares, notes = np.zeros(len(estimate.names)), []
    index = {name: k for k, name in enumerate(estimate.names)}
    for members, share in zip(estimate.classes, estimate.class_shares):
        if len(members) > 1:
            if unidentified == "refuse":
                raise ParameterError(f"unidentified: {' / '.join(members)} share {share:.3g} and only the sum is "
                                     "identified; pass unidentified='equal' to split it evenly, or drop candidates")
            notes.append(f"{' / '.join(members)}: their summed share {share:.3g} is split evenly (our assumption: "
                         "the data do not tell them apart)")
        for name in members:
            shares[index[name]] = share / len(members)
    shares[shares <= _PRESENT] = 0.0  # what EM leaves of an absent strategy: its estimate is 0
    return shares / shares.sum(), notes


def mix_outcomes(estimate: Estimate, game: LearningGame | None = None, continuation: float | None = None, *,
                 turns: int | None = None, field="library", method: str = "exact", repetitions: int = 20,
                 seed: int | None = None, noise: float = 0.0, unidentified: str = "equal",
                 averaging: str = "ratio") -> dict:
    """How the estimated mix would fare: in a round robin of the library, and under evolution.

    The roster is ``field`` (every library strategy with its default
    parameters, by default) and every candidate not in it. Its payoff matrix
    ``A[i, j]`` (mean payoff per round of ``i`` against ``j``, self-play
    included) comes from :func:`learning_dilemma.exact.roster_payoffs`
    (``method="exact"``: expected values) or a
    :class:`learning_dilemma.tournament.Tournament` with self-play
    (``method="tournament"``: ``repetitions`` seeded repetitions). A strategy's
    score is its mean payoff over the roster (the row mean, a round robin with
    self-play as in Axelrod 1984); the mix's score is the share-weighted mean of
    its candidates' scores, ranked among the roster's. The replicator dynamics
    (:func:`learning_dilemma.dynamics.replicator`, Taylor & Jonker 1978) run on
    the candidates' block of ``A`` from the estimated shares (candidates with
    share 0 stay absent; a share of at most 1e-6 is what EM leaves of an absent
    strategy, and is taken as 0).

    Parameters
    ----------
    estimate : Estimate
    game : LearningGame, optional
        The estimate's game by default.
    continuation, turns : optional
        The match length; the estimate's by default.
    field : "library" or sequence of str or Player
    method : {"exact", "tournament"}
    repetitions, seed
        The tournament's (``method="tournament"``).
    noise : float
        Probability that an intended give or take is flipped (the engines'
        noise); ``estimate.error`` plays the strategies with the estimated tremble
        (for two choices the model's error exactly; the engines do not flip an exit).
    unidentified : {"equal", "refuse"}
        What to do with a class of several candidates whose split is not
        identified: split its share evenly (said in ``notes``) or refuse.
    averaging : {"ratio", "match"}
        As for :func:`~learning_dilemma.exact.roster_payoffs` (``method="exact"``).

    Returns
    -------
    dict
        ``names`` (candidates), ``shares`` (as used), ``method``, ``payoffs`` and
        ``give_rates`` (the candidates' block, ``K x K``), ``against_mix`` (each
        candidate's payoff per round against the mix, ``A x``), ``mix_payoff``
        (``x . A x``), ``mix_give_rate`` (``x . G x``), ``tournament`` (``roster``,
        ``scores``, ``mix_score``, ``mix_rank`` (1 is best), ``ranking``,
        ``payoffs`` and ``give_rates`` over the roster, ``left_out``: library
        strategies that cannot play this game, with the reason), ``replicator``
        (``times``, ``shares``, ``final``, ``survivors`` (names), ``give_rate``,
        ``settled``) and ``notes``.
    """
    from ..dynamics import replicator
    from ..exact import roster_payoffs
    from ..tournament import Tournament

    if not isinstance(estimate, Estimate):
        raise ParameterError(f"estimate must be an Estimate (estimate_strategies), got {estimate!r}")
    if method not in _METHODS:
        raise ParameterError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
    game = estimate.context.game if game is None else game
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    if continuation is None and turns is None:
        continuation, turns = (None, estimate.context.turns) if estimate.context.turns is not None \
            else (estimate.context.continuation, None)
    turns, continuation = check_length(turns, continuation)
    noise = check_probability("noise", noise)
    shares, notes = _used_shares(estimate, unidentified)
    context = MatchContext(game, continuation_of(turns, continuation), turns)
    roster, labels, left_out = _field(field, game, estimate.candidates, context)
    if method == "exact":
        exact = roster_payoffs(roster, game, continuation=continuation, turns=turns, noise=noise, averaging=averaging)
        A, G = exact.payoffs, exact.give_rates
        scores = A.mean(axis=1)
    else:
        results = Tournament(roster, game, turns=turns, continuation=continuation, repetitions=repetitions,
                             seed=seed, self_play=True, noise=noise).play()
        A, G = results.payoff_matrix, results.give_rate_matrix
        scores = results.mean_payoff
        notes.append(f"tournament seed {results.metadata['seed']}, {repetitions} repetitions")
    where = [labels.index(name) for name in estimate.names]
    block, gives = A[np.ix_(where, where)], G[np.ix_(where, where)]
    mix_score = float(shares @ scores[where])
    ranking = [labels[i] for i in np.argsort(-scores, kind="stable")]
    flow = replicator(block, x0=shares, give_rates=gives)
    return {
        "names": estimate.names,
        "shares": shares,
        "method": method,
        "payoffs": block,
        "give_rates": gives,
        "against_mix": block @ shares,
        "mix_payoff": float(shares @ block @ shares),
        "mix_give_rate": float(shares @ gives @ shares),
        "tournament": {
            "roster": tuple(labels), "scores": scores, "mix_score": mix_score,
            "mix_rank": 1 + int(np.sum(scores > mix_score)), "ranking": ranking, "payoffs": A, "give_rates": G,
            "left_out": left_out,
        },
        "replicator": {
            "times": flow.times, "shares": flow.shares, "final": flow.final,
            "survivors": [estimate.names[i] for i in flow.survivors], "give_rate": flow.give_rate,
            "settled": flow.settled,
        },
        "notes": notes,
    }
