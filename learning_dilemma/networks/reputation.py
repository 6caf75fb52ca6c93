"""Reputation for sharing, visible to others: indirect reciprocity in a population (issue 17, part 3).

Seed 001 finds that in a small world personal reputation keeps people honest
(Delta), while a member who went behind the others' backs lost everyone's trust
(KITe). This module models that as *indirect reciprocity* (Alexander 1987;
Nowak & Sigmund 1998): help is returned not by the one helped but by third
parties who saw it and judged it by a shared *norm*.

The game
--------
The donation-game limit of the learning game, ``LearningGame(synergy=0,
race_premium=0)``: a give from *j* to *i* is worth ``b`` to *i* and costs *j*
``c`` (at full overlap: :func:`~learning_dilemma.games.learning.stage_payoff`
is then ``u_i = P + b g_j - c g_i``). Without synergy and race premium the
stage payoff is linear in the partner's give, so a person's payoff in a round
is that stage payoff with the partner's give replaced by the number of gives
that reached them:

    u_i = stage_payoff(game, g_i, k_i, g_i, k_i, 1, 1, 0)
        = P + (b - c) k_i + gamma c k_i - gamma c g_i

(``g_i`` 1 if *i* gave this round, ``k_i`` the gives *i* received; at
``gamma = 1``: ``P + b k_i - c g_i``, the donation game of Ohtsuki & Iwasa 2004
offset by the status quo ``P``, earned once per round). Two people who only meet
each other and both give thus earn the pairwise game's ``R`` to the bit, and
``b`` and ``c`` are never read apart from the game. Everyone is fully receptive
and the game's overlap holds between every pair (our choices: reputation is
about who gives, not how much each learns; the organisations' own overlaps are
the part-1 model's business).

A round
-------
Every person is a donor once (our choice, as the rounds of Ohtsuki & Iwasa
2004, each with a fresh partner): the recipient is drawn uniformly from everyone
else (``pairing="random"``, the well-mixed population of the literature) or
from the donor's ties (``pairing="ties"``, the network of :class:`.Population`;
a person without ties neither gives nor is asked). The donor's *strategy*
decides what it means to do: ``ALLC`` gives, ``ALLD`` takes, ``DISC`` (the
discriminator) follows the norm's *action rule* on its own image and its view of
the recipient (give iff the recipient is good, for every second-order norm).
An intended give fails with probability ``execution_error`` (the execution
error of Ohtsuki & Iwasa 2004 and Panchanathan & Boyd 2003: one fails to help;
a take never turns into a give). Observers then judge the donor by the norm's
*assessment rule* on the action, their view of the recipient and (third-order
norms) their view of the donor, and with probability ``assessment_error`` assign
the opposite image (Ohtsuki & Iwasa 2004's assessment error). Rounds are
synchronous (our choice, so a round is one vectorised step): every action of a
round is decided on the images at its start, and the judgments are applied
together at its end. Everyone starts good (Panchanathan & Boyd 2003; Ohtsuki &
Iwasa 2004).

Who sees it
-----------
- ``assessment="public"``: one image per person, shared by all (the consensus
  of Ohtsuki & Iwasa 2004); each donation is judged with probability
  ``observation`` (``"all"``: 1, ``"none"``: 0, or a number ``q``).
- ``assessment="private"``: every person keeps their own view of everyone, an
  ``N x N`` image matrix (Uchida & Sigmund 2010, J Theor Biol; Hilbe et al.
  2018, PNAS 115: 12241); each observer sees a donation with probability
  ``q``, or (``"all"``) always, or (``"neighbours"``) iff they are the donor's
  network neighbour (seed 001: reputation travels through the small world), and
  errs on their own draw. The donor always sees what it did and judges itself
  by the norm, with the same assessment error (our choice: a person knows their
  own act; it matters only for third-order action rules, L1 and L2, which read
  the donor's own image). ``"none"`` switches every view, the donor's
  included, off.

With observation off nobody's image ever changes, so everyone stays good and a
discriminator gives to everyone: the run is unconditional giving, the part-1
game (tested against :func:`~learning_dilemma.networks.play.play_ties`).

Norms as data
-------------
A :class:`Norm` is an assessment table ``(donor image, recipient image,
action) -> good/bad`` and an action rule ``(donor image, recipient image) ->
give/take``, built from readable mappings by :meth:`Norm.from_table`. Named
norms (:data:`NORMS`, looked up by :func:`as_norm`):

- ``image scoring`` (Nowak & Sigmund 1998, Nature 393: 573, in the binary form
  of Panchanathan & Boyd 2003 and Ohtsuki & Iwasa 2004): a give is good, a take
  bad, whoever the recipient;
- ``standing`` (Sugden 1986, as Leimar & Hammerstein 2001 and Panchanathan &
  Boyd 2003 state it): good standing is lost by refusing a recipient in good
  standing and regained by helping anyone; refusing a recipient in bad standing
  leaves the donor's standing as it was (third order);
- ``simple standing`` (Ohtsuki & Iwasa 2004's L3; Sigmund 2012's "standing"):
  as standing but refusing a bad recipient is always good (second order);
- ``stern judging`` (Kandori 1992; Pacheco, Santos & Chalub 2006; L6): helping
  the good and refusing the bad are good, the rest bad;
- ``shunning`` (Takahashi & Mashima 2006; Sigmund 2012): only helping the good is good;
- ``L1`` ... ``L8``: the leading eight of Ohtsuki & Iwasa (2004, J Theor Biol
  231: 107; 2006, 239: 435), their assessment tables and action rules
  (``staying`` is L7, the name Sasaki, Okada & Nakai 2017, Sci Rep 7: 41870,
  gave it: a refusal or help to a bad recipient leaves the donor's image as it was).

Standing and simple standing differ only when a donor in bad standing refuses a
recipient in bad standing; in a population of discriminators this is also what
tells L7 and L8 (donor stays bad) from L3 - L6 (donor becomes good).

Draws
-----
Repetition ``k``, round ``t`` draws from its own generator, keyed by ``(seed,
REPUTATION_STREAM = 106, k, t)``, never by the order of work: first a recipient
draw per donor, then an execution draw per donor, then (only where observation
is a probability strictly between 0 and 1) an observation draw per donor
(public) or per observer and donor (private), then (only with an assessment
error) an assessment draw of the same shape. Turning errors on or off thus
leaves the pairs and the execution draws as they were.

Limits
------
A run holds ``repetitions x rounds x people`` donations against the ``rounds``
limit, and private assessment its ``people x (people - 1)`` images against the
``ties`` limit (one image per ordered pair of people; :mod:`learning_dilemma.limits`).

Closed forms
------------
:func:`public_equilibrium` gives the equilibrium of Ohtsuki & Iwasa's (2004)
reputation dynamics for public assessment in an infinite population (good
shares by strategy, giving, cooperation and payoffs); for second-order norms
the map is linear, so it is also the exact stationary mean of the finite,
synchronous simulation (tests compare them).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._validation import check_count, check_probability
from ..errors import ParameterError
from ..games.learning import LearningGame, stage_payoff
from ..limits import check
from ..seeding import root_entropy
from .population import Population

__all__ = [
    "ASSESSMENTS", "NORMS", "Norm", "OBSERVATIONS", "PAIRINGS", "REPUTATION_STREAM", "ReputationRun", "STRATEGIES",
    "as_norm", "donation_game", "public_equilibrium", "simulate_reputation",
]

from ..seeding import REPUTATION_STREAM  # noqa: E402 (the streams are listed in learning_dilemma.seeding)
#: The strategies, in the order of every per-strategy array.
STRATEGIES = ("ALLC", "ALLD", "DISC")
ALLC, ALLD, DISC = range(3)
ASSESSMENTS = ("public", "private")
PAIRINGS = ("random", "ties")
OBSERVATIONS = ("all", "none", "neighbours")

_IMAGES = {"bad": 0, "good": 1}
_ACTS = {"take": 0, "give": 1}


def donation_game(**changes) -> LearningGame:
    """The donation-game limit of the learning game: ``LearningGame(synergy=0, race_premium=0, **changes)``.

    At the defaults ``P, b, c = 1, 2, 1``: a give is worth 2 to the recipient and
    costs the giver 1, so ``R, S, T, P = 2, 0, 3, 1``.
    """
    return LearningGame(**{"synergy": 0.0, "race_premium": 0.0, **changes})


# --- norms -----------------------------------------------------------------------------


def _word(value, words: dict, key: str) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.strip().lower() in words:
        return words[value.strip().lower()]
    raise ParameterError(f"{key}: expected one of {', '.join(words)}, got {value!r}")


@dataclass(frozen=True)
class Norm:
    """A social norm: an assessment rule and the discriminator's action rule, as data.

    Parameters
    ----------
    name : str
    assessment : tuple of 8 ints
        1 (good) or 0 (bad) for each ``(donor image, recipient image, action)``
        at index ``4 donor + 2 recipient + action`` (images: 0 bad, 1 good;
        action: 0 take, 1 give). Build it readably with :meth:`from_table`.
    action : tuple of 4 ints
        1 (give) or 0 (take) for each ``(donor image, recipient image)`` at
        index ``2 donor + recipient``: what a discriminator does.
    source : str
        Where the norm comes from.
    """

    name: str
    assessment: tuple
    action: tuple
    source: str = field(default="", compare=False)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ParameterError(f"norm name must be a non-empty string, got {self.name!r}")
        for key, values, size in (("assessment", self.assessment, 8), ("action", self.action, 4)):
            values = tuple(values)
            if len(values) != size or any(isinstance(v, bool) or v not in (0, 1) for v in values):
                raise ParameterError(f"norm {self.name!r}: {key} must be {size} entries of 0 or 1, got {values!r}")
            object.__setattr__(self, key, tuple(int(v) for v in values))

    @classmethod
    def from_table(cls, name: str, assessment, action=None, source: str = "") -> "Norm":
        """A norm from readable tables.

        Parameters
        ----------
        assessment : mapping
            ``(action, recipient) -> image`` for a second-order norm (all four
            pairs), or ``(action, recipient, donor) -> image`` (all eight) for a
            third-order one; actions ``"give"``/``"take"``, images ``"good"``/``"bad"``.
        action : mapping, optional
            ``recipient -> "give"/"take"`` or ``(recipient, donor) -> ...``;
            default: give iff the recipient is good.

        Examples
        --------
        >>> n = Norm.from_table("stern judging", {("give", "good"): "good", ("take", "good"): "bad",
        ...                                       ("give", "bad"): "bad", ("take", "bad"): "good"})
        >>> n.judge(action="give", recipient="bad", donor="good")
        'bad'
        """
        table = _table(name, assessment, "assessment", (_ACTS, _IMAGES), _IMAGES)
        rule = _table(name, {"good": "give", "bad": "take"} if action is None else action, "action",
                      (_IMAGES,), _ACTS)
        assessment_values = tuple(table[(a, r, d)] for d in (0, 1) for r in (0, 1) for a in (0, 1))
        action_values = tuple(rule[(r, d)] for d in (0, 1) for r in (0, 1))
        return cls(name, assessment_values, action_values, source)

    @property
    def assessment_array(self) -> np.ndarray:
        """The assessment rule as an array indexed ``[donor image, recipient image, action]``."""
        return np.array(self.assessment, dtype=np.int8).reshape(2, 2, 2)

    @property
    def action_array(self) -> np.ndarray:
        """The action rule as an array indexed ``[donor image, recipient image]``."""
        return np.array(self.action, dtype=np.int8).reshape(2, 2)

    @property
    def order(self) -> int:
        """1 if the judgment depends on the action only, 2 if also on the recipient, 3 if also on the donor."""
        a = self.assessment_array
        if np.array_equal(a[0], a[1]) and np.array_equal(self.action_array[0], self.action_array[1]):
            return 1 if np.array_equal(a[0, 0], a[0, 1]) else 2
        return 3

    def judge(self, action: str, recipient: str, donor: str = "good") -> str:
        """The image the norm gives a donor who did ``action`` to a ``recipient`` (``"good"``/``"bad"``)."""
        a, r, d = (_word(action, _ACTS, "action"), _word(recipient, _IMAGES, "recipient"),
                   _word(donor, _IMAGES, "donor"))
        return "good" if self.assessment[4 * d + 2 * r + a] else "bad"

    def acts(self, recipient: str, donor: str = "good") -> str:
        """What a discriminator with image ``donor`` does to a ``recipient`` (``"give"``/``"take"``)."""
        r, d = _word(recipient, _IMAGES, "recipient"), _word(donor, _IMAGES, "donor")
        return "give" if self.action[2 * d + r] else "take"


def _table(name: str, mapping, key: str, axes, values) -> dict:
    """Expand a readable table over (first axes..., [donor]) into {(..., donor): value}."""
    if not hasattr(mapping, "items"):
        raise ParameterError(f"norm {name!r}: {key} must be a mapping, got {mapping!r}")
    out, orders = {}, set()
    for raw, value in mapping.items():
        parts = raw if isinstance(raw, tuple) else (raw,)
        if len(parts) not in (len(axes), len(axes) + 1):
            raise ParameterError(f"norm {name!r}: {key} key {raw!r} must name "
                                 f"{len(axes)} or {len(axes) + 1} items (the last, if any, the donor's image)")
        orders.add(len(parts))
        head = tuple(_word(p, words, f"norm {name!r}: {key} key {raw!r}") for p, words in zip(parts, axes))
        donors = (_word(parts[-1], _IMAGES, f"norm {name!r}: {key} key {raw!r}"),) if len(parts) > len(axes) else (0, 1)
        v = _word(value, values, f"norm {name!r}: {key}[{raw!r}]")
        for d in donors:
            if (*head, d) in out:
                raise ParameterError(f"norm {name!r}: {key} gives {raw!r} twice")
            out[(*head, d)] = v
    if len(orders) > 1:
        raise ParameterError(f"norm {name!r}: {key} must give every key with the donor's image or every key without")
    need = 2 ** (len(axes) + 1)
    if len(out) != need:
        raise ParameterError(f"norm {name!r}: {key} must cover every case ({need // 2 if orders == {len(axes)} else need}"
                             f" keys), got {len(mapping)}")
    return out


_G, _B = "good", "bad"


def _second(name, give_good, take_good, give_bad, take_bad, source):
    return Norm.from_table(name, {("give", _G): give_good, ("take", _G): take_good,
                                  ("give", _B): give_bad, ("take", _B): take_bad}, source=source)


def _leading(k: int, give_bad_by_good, give_bad_by_bad, take_bad_by_bad, bad_bad_action) -> Norm:
    # Ohtsuki & Iwasa (2004, 2006): the entries every leading-eight norm shares,
    # and the four that tell them apart (a donor's image is the last key).
    table = {("give", _G, _G): _G, ("give", _G, _B): _G, ("take", _G, _G): _B, ("take", _G, _B): _B,
             ("take", _B, _G): _G, ("give", _B, _G): give_bad_by_good, ("give", _B, _B): give_bad_by_bad,
             ("take", _B, _B): take_bad_by_bad}
    action = {(_G, _G): "give", (_B, _G): "take", (_G, _B): "give", (_B, _B): bad_bad_action}
    return Norm.from_table(f"L{k}", table, action, source="Ohtsuki & Iwasa (2004, 2006): the leading eight")


_LEADING = [  # C to bad by good, C to bad by bad, D to bad by bad, action bad donor -> bad recipient
    (_G, _G, _B, "give"), (_B, _G, _B, "give"), (_G, _G, _G, "take"), (_G, _B, _G, "take"),
    (_B, _G, _G, "take"), (_B, _B, _G, "take"), (_G, _B, _B, "take"), (_B, _B, _B, "take"),
]

#: The named norms (keys lower case; :func:`as_norm` also accepts ``_`` or ``-`` for spaces).
NORMS = {
    "image scoring": _second("image scoring", _G, _B, _G, _B,
                             "Nowak & Sigmund (1998), binary as in Panchanathan & Boyd (2003)"),
    "standing": Norm.from_table("standing", {
        ("give", _G, _G): _G, ("give", _G, _B): _G, ("take", _G, _G): _B, ("take", _G, _B): _B,
        ("give", _B, _G): _G, ("give", _B, _B): _G, ("take", _B, _G): _G, ("take", _B, _B): _B,
    }, source="Sugden (1986), as Leimar & Hammerstein (2001) and Panchanathan & Boyd (2003) state it"),
    "simple standing": _second("simple standing", _G, _B, _G, _G, "Ohtsuki & Iwasa (2004) L3; Sigmund (2012)"),
    "stern judging": _second("stern judging", _G, _B, _B, _G, "Kandori (1992); Pacheco, Santos & Chalub (2006); L6"),
    "shunning": _second("shunning", _G, _B, _B, _B, "Takahashi & Mashima (2006); Sigmund (2012)"),
    **{f"l{k + 1}": _leading(k + 1, *row) for k, row in enumerate(_LEADING)},
}
NORMS["staying"] = Norm("staying", NORMS["l7"].assessment, NORMS["l7"].action,
                        "Sasaki, Okada & Nakai (2017): L7 of Ohtsuki & Iwasa (2004)")


def as_norm(value) -> Norm:
    """A :class:`Norm`, or the named one of :data:`NORMS` (case-insensitive; ``L1`` ... ``L8`` for the leading eight)."""
    if isinstance(value, Norm):
        return value
    if isinstance(value, str):
        key = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
        if key in NORMS:
            return NORMS[key]
    raise ParameterError(f"norm: unknown norm {value!r} (known: {', '.join(n.name for n in NORMS.values())})")


# --- input --------------------------------------------------------------------------------


def _strategies(strategies, n: int) -> np.ndarray:
    """Each person's strategy index: a name for everyone, shares by name, or one name per person."""
    if isinstance(strategies, str):
        strategies = {strategies: 1.0}
    if hasattr(strategies, "items"):
        names, shares = [], []
        for name, share in strategies.items():
            if name not in STRATEGIES:
                raise ParameterError(f"strategies: unknown strategy {name!r} (known: {', '.join(STRATEGIES)})")
            names.append(STRATEGIES.index(name))
            shares.append(check_probability(f"strategies[{name!r}]", share))
        if not names or abs(sum(shares) - 1.0) > 1e-9:
            raise ParameterError(f"strategies: the shares must sum to 1, got {sum(shares):g}")
        # counts by the largest remainder (Hamilton's method), in the order given; ties to the earlier
        exact = [s * n for s in shares]
        counts = [math.floor(x) for x in exact]
        for k in sorted(range(len(exact)), key=lambda k: (counts[k] - exact[k], k))[: n - sum(counts)]:
            counts[k] += 1
        return np.repeat(np.array(names, dtype=np.intp), counts)
    try:
        listed = list(strategies)
    except TypeError:
        raise ParameterError(f"strategies must be a name, a mapping of names to shares or one name per person, "
                             f"got {strategies!r}") from None
    if len(listed) != n:
        raise ParameterError(f"strategies: one per person needs {n} names, got {len(listed)}")
    for k, name in enumerate(listed):
        if name not in STRATEGIES:
            raise ParameterError(f"strategies[{k}]: unknown strategy {name!r} (known: {', '.join(STRATEGIES)})")
    return np.array([STRATEGIES.index(name) for name in listed], dtype=np.intp)


def _game(game) -> LearningGame:
    if game is None:
        return donation_game()
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    for name in ("synergy", "race_premium"):
        if getattr(game, name) != 0:
            raise ParameterError(f"game.{name} must be 0 in the reputation game (the donation-game limit: "
                                 f"donation_game()), got {getattr(game, name):g}")
    for name in ("knowledge", "ties"):
        if getattr(game, name).active:
            raise ParameterError(f"game.{name}: the reputation game has no {name} levels (each donation is one act)")
    return game


def _observation(observation) -> tuple[str, float]:
    """``(mode, q)``: mode "all", "none", "neighbours" or "probability"."""
    if isinstance(observation, str):
        key = observation.strip().lower()
        if key not in OBSERVATIONS:
            raise ParameterError(f"observation must be one of {', '.join(OBSERVATIONS)} or a probability, "
                                 f"got {observation!r}")
        return key, {"all": 1.0, "none": 0.0, "neighbours": math.nan}[key]
    q = check_probability("observation", observation)
    return ("all" if q == 1.0 else "none" if q == 0.0 else "probability"), q


def _choice(name: str, value, allowed) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ParameterError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _adjacency(population: Population, n: int):
    """CSR neighbour lists ``(offsets, neighbours)`` of the population's ties, neighbours in index order."""
    ties = population.tie_people
    both = np.concatenate([ties, ties[:, ::-1]]) if len(ties) else np.zeros((0, 2), dtype=np.intp)
    order = np.lexsort((both[:, 1], both[:, 0]))
    both = both[order]
    degree = np.bincount(both[:, 0], minlength=n)
    offsets = np.concatenate([[0], np.cumsum(degree)])
    return offsets, both[:, 1].astype(np.intp), degree


# --- the run ------------------------------------------------------------------------------


@dataclass(eq=False)
class ReputationRun:
    """What a reputation run recorded (:func:`simulate_reputation`).

    Per-strategy arrays have a last axis of length 3, in the order of
    :data:`STRATEGIES` (``ALLC``, ``ALLD``, ``DISC``), nan for a strategy
    nobody plays (or, for giving, nobody of it asked to give that round).

    Attributes
    ----------
    cooperation : ndarray, shape (repetitions, rounds)
        Share of the round's donations that were gives (nan if nobody donated).
    give_rate : ndarray, shape (repetitions, rounds, 3)
        Share of each strategy's donors that gave.
    good_share : ndarray, shape (repetitions, rounds, 3)
        After the round's judgments: the share of each strategy's people whose
        image is good (public), or the mean share of the *other* people who see
        them as good (private).
    payoffs : ndarray, shape (repetitions, rounds, 3)
        Mean payoff per person of each strategy in the round (module docstring).
    person_payoffs : ndarray, shape (repetitions, people)
        Each person's payoff summed over the rounds.
    final_images : ndarray of int8
        The images after the last round: ``(repetitions, people)`` public, or
        ``(repetitions, observers, people)`` private (``[o, t]`` is o's view of t).
    """

    norm: Norm
    strategy_of: np.ndarray
    game: LearningGame
    rounds: int
    repetitions: int
    seed: int
    execution_error: float
    assessment_error: float
    observation: object
    assessment: str
    pairing: str
    cooperation: np.ndarray
    give_rate: np.ndarray
    good_share: np.ndarray
    payoffs: np.ndarray
    person_payoffs: np.ndarray
    final_images: np.ndarray

    @property
    def people(self) -> int:
        return len(self.strategy_of)

    @property
    def counts(self) -> dict:
        """How many people play each strategy (only those present)."""
        counts = np.bincount(self.strategy_of, minlength=len(STRATEGIES))
        return {name: int(c) for name, c in zip(STRATEGIES, counts) if c}

    def _window(self, burn_in: int) -> slice:
        burn_in = check_count("burn_in", burn_in)
        if burn_in >= self.rounds:
            raise ParameterError(f"burn_in must be below rounds={self.rounds}, got {burn_in}")
        return slice(burn_in, None)

    def mean_cooperation(self, burn_in: int = 0) -> float:
        """Mean share of donations that were gives, over repetitions and the rounds after ``burn_in``."""
        return _nanmean(self.cooperation[:, self._window(burn_in)])

    def _by_strategy(self, array, burn_in) -> dict:
        window = array[:, self._window(burn_in)]
        return {name: _nanmean(window[..., STRATEGIES.index(name)]) for name in self.counts}

    def mean_good_share(self, burn_in: int = 0) -> dict:
        """Mean good share per strategy present (:attr:`good_share`), after ``burn_in`` rounds."""
        return self._by_strategy(self.good_share, burn_in)

    def mean_payoffs(self, burn_in: int = 0) -> dict:
        """Mean payoff per person and round per strategy present, after ``burn_in`` rounds."""
        return self._by_strategy(self.payoffs, burn_in)

    def mean_give_rate(self, burn_in: int = 0) -> dict:
        """Mean share of donations given per strategy present, after ``burn_in`` rounds."""
        return self._by_strategy(self.give_rate, burn_in)

    def round_table(self) -> list[dict]:
        """One row per round (means over repetitions): ``round`` (from 1), ``cooperation``, and per
        strategy present ``good_share_<s>``, ``give_rate_<s>``, ``payoff_<s>`` (``s`` lower case)."""
        rows = []
        cooperation = _nanmean(self.cooperation, axis=0)
        columns = {kind: _nanmean(getattr(self, attr), axis=0)
                   for kind, attr in (("good_share", "good_share"), ("give_rate", "give_rate"), ("payoff", "payoffs"))}
        for t in range(self.rounds):
            row = {"round": t + 1, "cooperation": float(cooperation[t])}
            for name in self.counts:
                s = STRATEGIES.index(name)
                for kind, values in columns.items():
                    row[f"{kind}_{name.lower()}"] = float(values[t, s])
            rows.append(row)
        return rows

    def summary(self, burn_in: int = 0) -> dict:
        """Headline numbers: ``norm``, ``people``, ``rounds``, ``repetitions``, ``seed``, ``assessment``,
        ``observation``, ``pairing``, ``execution_error``, ``assessment_error``, ``cooperation``, and per
        strategy present ``share_<s>``, ``good_share_<s>``, ``payoff_<s>`` (means after ``burn_in`` rounds)."""
        out = {"norm": self.norm.name, "people": self.people, "rounds": self.rounds,
               "repetitions": self.repetitions, "seed": self.seed, "assessment": self.assessment,
               "observation": self.observation, "pairing": self.pairing,
               "execution_error": self.execution_error, "assessment_error": self.assessment_error,
               "cooperation": self.mean_cooperation(burn_in)}
        good, pay = self.mean_good_share(burn_in), self.mean_payoffs(burn_in)
        for name, count in self.counts.items():
            key = name.lower()
            out[f"share_{key}"] = count / self.people
            out[f"good_share_{key}"] = good[name]
            out[f"payoff_{key}"] = pay[name]
        return out


def _nanmean(values, axis=None):
    """The mean ignoring nan (nan, without a warning, where everything is nan)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = np.nanmean(values, axis=axis)
    return float(out) if axis is None else out


def simulate_reputation(population, norm="stern judging", strategies="DISC", game=None, rounds: int = 200, *,
                        execution_error: float = 0.0, assessment_error: float = 0.0, observation="all",
                        assessment: str = "public", pairing: str = "random", seed=None,
                        repetitions: int = 1) -> ReputationRun:
    """Indirect reciprocity in a population: donors, recipients, observers and a norm.

    Parameters
    ----------
    population : int or Population
        The number of people (well mixed), or a :class:`.Population` whose
        people and ties are used (``pairing="ties"``, ``observation="neighbours"``).
    norm : Norm or str
        The norm (:data:`NORMS`, :func:`as_norm`). Everyone shares it (observers
        judge by it; discriminators act by its action rule).
    strategies : str, mapping or sequence
        ``"DISC"`` (everyone), shares by name (``{"DISC": 0.9, "ALLD": 0.1}``:
        counts by the largest remainder, given to people in index order in the
        order listed), or one name per person.
    game : LearningGame, optional
        The donation-game limit of the learning game (default :func:`donation_game`).
    rounds : int
        Rounds; every person donates once a round.
    execution_error : float
        Probability that an intended give fails (becomes a take).
    assessment_error : float
        Probability that an observer assigns the opposite of the norm's judgment.
    observation : "all", "none", "neighbours" or float
        Who sees a donation (module docstring); ``"neighbours"`` needs private
        assessment and a population with ties.
    assessment : {"public", "private"}
    pairing : {"random", "ties"}
        Recipients drawn from everyone else, or from the donor's ties.
    seed : int, optional
    repetitions : int

    Returns
    -------
    ReputationRun

    Examples
    --------
    >>> run = simulate_reputation(50, "simple standing", {"DISC": 0.9, "ALLD": 0.1}, rounds=50, seed=1,
    ...                           execution_error=0.05)
    >>> run.mean_payoffs(burn_in=10)["DISC"] > run.mean_payoffs(burn_in=10)["ALLD"]
    True
    """
    the_norm = as_norm(norm)
    game = _game(game)
    if isinstance(population, Population):
        n = population.n_people
    elif isinstance(population, (int, np.integer)) and not isinstance(population, bool):
        n = int(population)
        population = None
    else:
        raise ParameterError(f"population must be a number of people or a Population, got {population!r}")
    if n < 2:
        raise ParameterError(f"population: indirect reciprocity needs at least 2 people, got {n}")
    check("people", n, "the reputation population")
    rounds = check_count("rounds", rounds, 1)
    repetitions = check_count("repetitions", repetitions, 1)
    e = check_probability("execution_error", execution_error)
    mu = check_probability("assessment_error", assessment_error)
    assessment = _choice("assessment", assessment, ASSESSMENTS)
    pairing = _choice("pairing", pairing, PAIRINGS)
    mode, q = _observation(observation)
    private = assessment == "private"
    if mode == "neighbours" and not private:
        raise ParameterError("observation='neighbours' needs assessment='private' (a public image is one view "
                             "shared by everyone)")
    if (pairing == "ties" or mode == "neighbours") and population is None:
        key = "pairing='ties'" if pairing == "ties" else "observation='neighbours'"
        raise ParameterError(f"{key} needs a Population with ties, got a number of people")
    strategy_of = _strategies(strategies, n)
    check("rounds", float(repetitions) * rounds * n, f"{repetitions} repetitions x {rounds} rounds x {n} donors")
    if private:
        check("ties", float(n) * (n - 1), f"private assessment of {n} people (one image per ordered pair)",
              hint="or use assessment='public'")
    entropy = root_entropy(seed)

    adjacency = _adjacency(population, n) if population is not None else None
    if pairing == "ties":
        offsets, neighbours, degree = adjacency
        donors = degree > 0
    else:
        donors = np.ones(n, dtype=bool)
    watchers = None
    if mode == "neighbours":
        offsets, neighbours, degree = adjacency
        watchers = np.zeros((n, n), dtype=bool)  # [observer, donor]
        watchers[neighbours, np.repeat(np.arange(n), degree)] = True
        np.fill_diagonal(watchers, True)

    shape = (repetitions, rounds, len(STRATEGIES))
    cooperation = np.full((repetitions, rounds), np.nan)
    give_rate, good_share, payoffs = (np.full(shape, np.nan) for _ in range(3))
    person_payoffs = np.zeros((repetitions, n))
    final = np.zeros((repetitions, n, n) if private else (repetitions, n), dtype=np.int8)

    members = np.bincount(strategy_of, minlength=len(STRATEGIES)).astype(float)
    asked = np.bincount(strategy_of[donors], minlength=len(STRATEGIES)).astype(float)
    present = members > 0
    table, rule = the_norm.assessment_array, the_norm.action_array
    people = np.arange(n)
    is_disc, is_allc = strategy_of == DISC, strategy_of == ALLC
    n_donors = int(donors.sum())

    for k in range(repetitions):
        images = np.ones((n, n) if private else n, dtype=np.int8)
        totals = np.zeros(n)
        for t in range(rounds):
            rng = np.random.Generator(np.random.PCG64(
                np.random.SeedSequence(entropy, spawn_key=(REPUTATION_STREAM, k, t))))
            u_pair, u_exec = rng.random(n), rng.random(n)
            if pairing == "random":
                recipient = np.minimum((u_pair * (n - 1)).astype(np.intp), n - 2)
                recipient += recipient >= people
            else:
                # a uniform neighbour; a person without ties is nobody's donor (masked below)
                pick = np.minimum((u_pair * degree).astype(np.intp), np.maximum(degree - 1, 0))
                recipient = people.copy()
                recipient[donors] = neighbours[offsets[:-1][donors] + pick[donors]]
            # what each donor means to do, on the images at the start of the round
            own = np.diagonal(images) if private else images
            seen = images[people, recipient] if private else images[recipient]
            intended = np.where(is_disc, rule[own, seen], is_allc)
            gives = (intended == 1) & (u_exec >= e) & donors
            act = gives.astype(np.intp)
            # the judgments
            if private:
                verdict = table[images, images[:, recipient], act[None, :]]  # [observer, donor]
                if mode == "all":
                    sees = np.broadcast_to(donors[None, :], (n, n))
                elif mode == "neighbours":
                    sees = watchers & donors[None, :]
                elif mode == "probability":
                    sees = (rng.random((n, n)) < q) & donors[None, :]
                    sees[people, people] = donors
                else:
                    sees = None
                if sees is not None:
                    if mu > 0:
                        verdict = verdict ^ (rng.random((n, n)) < mu)
                    images = np.where(sees, verdict, images).astype(np.int8)
            else:
                verdict = table[images, images[recipient], act]
                if mode != "none":
                    sees = donors if mode == "all" else (rng.random(n) < q) & donors
                    if mu > 0:
                        verdict = verdict ^ (rng.random(n) < mu)
                    images = np.where(sees, verdict, images).astype(np.int8)
            # payoffs: the stage payoff with the partner's give replaced by the gives received
            received = np.bincount(recipient[gives], minlength=n).astype(float)
            given = gives.astype(float)
            pay = stage_payoff(game, given, received, given, received, 1.0, 1.0, 0.0)
            totals += pay
            # records
            if n_donors:
                cooperation[k, t] = gives.sum() / n_donors
            with np.errstate(invalid="ignore", divide="ignore"):
                give_rate[k, t] = np.bincount(strategy_of, weights=given, minlength=3) / asked
                payoffs[k, t] = np.where(present, np.bincount(strategy_of, weights=pay, minlength=3) / members,
                                         np.nan)
                if private:
                    goodness = (images.sum(axis=0, dtype=float) - np.diagonal(images)) / (n - 1)
                else:
                    goodness = images.astype(float)
                good_share[k, t] = np.where(present, np.bincount(strategy_of, weights=goodness, minlength=3)
                                            / members, np.nan)
        person_payoffs[k] = totals
        final[k] = images

    return ReputationRun(
        norm=the_norm, strategy_of=strategy_of, game=game, rounds=rounds, repetitions=repetitions, seed=entropy,
        execution_error=e, assessment_error=mu, observation=observation, assessment=assessment, pairing=pairing,
        cooperation=cooperation, give_rate=give_rate, good_share=good_share, payoffs=payoffs,
        person_payoffs=person_payoffs, final_images=final,
    )


# --- closed forms ---------------------------------------------------------------------------


def public_equilibrium(norm, strategies="DISC", game=None, *, execution_error: float = 0.0,
                       assessment_error: float = 0.0, observation=1.0, tolerance: float = 1e-15,
                       max_rounds: int = 2_000) -> dict:
    """The equilibrium of Ohtsuki & Iwasa's (2004) reputation dynamics under public assessment.

    An infinite, well-mixed population with strategy shares ``x_s``; every
    round each person donates once to a random recipient and the (public) image
    of a donor of strategy ``s`` becomes good with probability

        g_s' = (1 - q) g_s + q [mu + (1 - 2 mu) sum_{i, j} P_s(i) P(j) D_s(i, j)]

    where ``P_s(good) = g_s`` (the donor's own image), ``P(good) = g = sum_s
    x_s g_s`` (a random recipient's), and ``D_s(i, j)`` is the probability that
    the norm judges the act good: for an intended give ``(1 - e) d(i, j, give) +
    e d(i, j, take)``, for an intended take ``d(i, j, take)``. Iterated from
    everyone good (the simulation's start) to a fixed point (for ``q > 0`` the
    fixed points do not depend on ``q``; ``q = 0`` leaves everyone good).

    For a population of discriminators this gives, e.g., ``g = (1 - mu) / (1 +
    e (1 - 2 mu))`` under simple standing, stern judging and L3 - L6, and ``g =
    mu / (1 - (1 - 2 mu)(1 - e))`` under image scoring (our derivations from the
    dynamics above; tests check them by hand). The closed form is for random
    pairing (each person is asked once a round on average); it does not apply
    to ``pairing="ties"`` or to private assessment.

    Parameters
    ----------
    norm : Norm or str
    strategies : str or mapping
        ``"DISC"`` or shares by strategy name (summing to 1).
    game : LearningGame, optional
        The donation-game limit (default :func:`donation_game`).
    execution_error, assessment_error : float
    observation : "all", "none" or float
        ``q``, the probability that a donation is judged.
    tolerance : float
        Stop when no good share moves by more than this in a round.
    max_rounds : int
        Rounds of the dynamics before finishing with Newton's method (the
        dynamics contract slowly when both errors are near 0).

    Returns
    -------
    dict
        ``good_share`` and ``give_rate`` and ``payoff`` (dicts by strategy
        present; payoff per person and round, as the simulation's), ``good``
        (the population's good share) and ``cooperation``.
    """
    the_norm = as_norm(norm)
    game = _game(game)
    e = check_probability("execution_error", execution_error)
    mu = check_probability("assessment_error", assessment_error)
    mode, q = _observation(observation)
    if mode == "neighbours":
        raise ParameterError("observation='neighbours' has no public closed form (it needs private assessment)")
    if isinstance(strategies, str):
        strategies = {strategies: 1.0}
    if not hasattr(strategies, "items"):
        raise ParameterError(f"strategies must be a name or a mapping of names to shares, got {strategies!r}")
    x = np.zeros(len(STRATEGIES))
    for name, share in strategies.items():
        if name not in STRATEGIES:
            raise ParameterError(f"strategies: unknown strategy {name!r} (known: {', '.join(STRATEGIES)})")
        x[STRATEGIES.index(name)] = check_probability(f"strategies[{name!r}]", share)
    if abs(x.sum() - 1.0) > 1e-9:
        raise ParameterError(f"strategies: the shares must sum to 1, got {x.sum():g}")
    d = the_norm.assessment_array.astype(float)  # [donor, recipient, action]
    # intended give of each strategy [s, donor image, recipient image]
    intend = np.stack([np.ones((2, 2)), np.zeros((2, 2)), the_norm.action_array.astype(float)])
    judged = intend * ((1 - e) * d[None, :, :, 1] + e * d[None, :, :, 0]) + (1 - intend) * d[None, :, :, 0]
    def step(g):
        mean = float(x @ g)
        own = np.stack([1 - g, g], axis=1)                  # [s, i]: the donor's own image
        other = np.array([1 - mean, mean])                  # [j]: a random recipient's
        return mu + (1 - 2 * mu) * np.einsum("si,j,sij->s", own, other, judged)

    g = np.ones(len(STRATEGIES))
    if q > 0:
        for _ in range(max_rounds):
            new = step(g)
            done = np.max(np.abs(new - g)) <= tolerance
            g = new
            if done:
                break
        else:
            # slow contraction (errors near 0): finish with Newton's method on step(g) - g from
            # where the dynamics have got to (the map is at most quadratic)
            for _ in range(100):
                residual = step(g) - g
                if np.max(np.abs(residual)) <= tolerance:
                    break
                jacobian = np.empty((len(g), len(g)))
                for s in range(len(g)):
                    h = np.zeros(len(g))
                    h[s] = 1e-7
                    jacobian[:, s] = (step(g + h) - step(g - h)) / 2e-7 - h / 1e-7
                try:
                    g = np.clip(g - np.linalg.solve(jacobian, residual), 0.0, 1.0)
                except np.linalg.LinAlgError:
                    break
    mean = float(x @ g)
    own = np.stack([1 - g, g], axis=1)
    other = np.array([1 - mean, mean])
    give_rate = (1 - e) * np.einsum("si,j,sij->s", own, other, intend)
    # the chance a donor gives to a recipient of image j, over donors: (1 - e) sum_s x_s sum_i P_s(i) intend
    to_image = (1 - e) * np.einsum("s,si,sij->j", x, own, intend)
    received = own @ to_image                               # each person is asked once a round on average
    pay = stage_payoff(game, give_rate, received, give_rate, received, 1.0, 1.0, 0.0)
    present = [s for s in range(len(STRATEGIES)) if x[s] > 0]
    return {
        "good": mean,
        "cooperation": float(x @ give_rate),
        "good_share": {STRATEGIES[s]: float(g[s]) for s in present},
        "give_rate": {STRATEGIES[s]: float(give_rate[s]) for s in present},
        "payoff": {STRATEGIES[s]: float(pay[s]) for s in present},
    }
