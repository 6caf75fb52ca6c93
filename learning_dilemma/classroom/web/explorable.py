"""The explorable's sandbox: a tournament and evolution of strategies from sliders.

Everything here is computed by the toolkit's own engines, never re-implemented
in the browser: the round robin is the exact engine's expected outcome of
every pairing (:func:`learning_dilemma.exact.roster_payoffs`, the number a
simulated :class:`~learning_dilemma.tournament.Tournament` converges to with
many repetitions, without its sampling noise), and evolution is the replicator
dynamics on that payoff matrix (:func:`learning_dilemma.dynamics.replicator`,
Taylor & Jonker 1978) started from the population mix the sliders set.

The match against a strategy (:func:`practice`) is
:class:`learning_dilemma.classroom.rounds.Practice`, the live classroom's rules
for one person: the page sends its moves so far and the server replays them
from the seed (stateless: the server keeps nothing per visitor, and the same
seed and moves always give the same match).

The sliders are bounded (:data:`SLIDERS`) so that no request can ask for more
than a classroom computer answers in about a second: the shadow of the future
at most 0.99 (expected matches of at most 100 rounds), at most 8 knowledge and
tie levels, at most 12 strategies. A value out of range, of the wrong type or
under an unknown key is refused with a one-line
:class:`~learning_dilemma.errors.ParameterError` naming the key (the web app
answers 400 with that line).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from ...errors import ParameterError

__all__ = [
    "DEFAULT_MIX", "DEFAULT_OPPONENT", "MAX_PRACTICE_ROUNDS", "MAX_STRATEGIES", "SLIDERS", "Settings", "Slider",
    "check_settings", "game_of", "options", "players_of", "practice", "sandbox", "strategy_names",
]


@dataclass(frozen=True)
class Slider:
    """One slider: its range, default, step and what it stands for."""

    name: str
    low: float
    high: float
    default: float
    step: float
    whole: bool
    label: str
    help: str

    def check(self, value) -> float | int:
        """``value`` if it is a number in range (a whole number where ``whole``), else a one-line error."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ParameterError(f"{self.name} must be a number between {_show(self.low)} and {_show(self.high)}, "
                                 f"got {value!r}"[:200])
        if self.whole and value != int(value):
            raise ParameterError(f"{self.name} must be a whole number, got {value!r}")
        if not self.low <= value <= self.high:
            extra = (" (expected matches of at most 100 rounds)" if self.name == "continuation" else "")
            raise ParameterError(f"{self.name} must be between {_show(self.low)} and {_show(self.high)}{extra}, "
                                 f"got {value!r}")
        return int(value) if self.whole else float(value)


def _show(x: float) -> str:
    return f"{x:g}"


#: The sandbox's sliders, in the order the page shows them. Sources: the shadow of the
#: future (Axelrod 1984), power from dependence (Emerson 1962; Hamel 1991), receptivity
#: (Cohen & Levinthal 1990), tacit knowledge and ties (Hansen 1999), competitive overlap
#: (Zander & Kogut 1995; Bengtsson & Kock 2000): docs/model.md.
SLIDERS = {s.name: s for s in (
    Slider("continuation", 0.0, 0.99, 0.9, 0.01, False, "shadow of the future",
           "chance the alliance goes on after each round (expected length 1 / (1 - w))"),
    Slider("power", 0.0, 1.0, 0.5, 0.05, False, "power",
           "how far dependence shifts the split of the value created"),
    Slider("receptivity", 0.0, 1.0, 1.0, 0.05, False, "receptivity",
           "what each organisation absorbs of a give (Larsson et al.'s five strategies keep their own)"),
    Slider("tacitness", 0.0, 1.0, 0.0, 0.05, False, "tacitness",
           "chance a give fails to transfer until a tie is built"),
    Slider("overlap", 0.0, 1.0, 1.0, 0.05, False, "competitive overlap",
           "1: direct rivals, 0: pre-competitive"),
    Slider("stakes", 0, 8, 4, 1, True, "knowledge levels",
           "levels of the partner's knowledge each starts out lacking (0: an endless flow, no power)"),
    Slider("pace", 0.05, 1.0, 0.3, 0.05, False, "pace of learning",
           "chance a transferred give teaches a level, times receptivity"),
    Slider("ties", 0, 8, 3, 1, True, "tie levels",
           "rounds of mutual giving that make a full tie, over which tacit knowledge transfers"),
)}

MAX_STRATEGIES = 12
MAX_WEIGHT = 100.0
#: The population mix the sandbox starts from: strategies and their starting weights.
DEFAULT_MIX = {
    "Cooperator": 1.0, "Defector": 1.0, "Tit For Tat": 1.0, "Grudger": 1.0, "Opportunist": 1.0,
    "Race To Learn": 1.0, "Trust Builder": 1.0, "Win-Stay Lose-Shift": 1.0,
}


@dataclass(frozen=True)
class Settings:
    """Validated sandbox settings: the slider values and the population mix."""

    values: dict
    mix: dict


def strategy_names() -> list[str]:
    """The library's strategies the sandbox offers, in listing order: every one but those
    that warn they are deprecated when made (kept in the library for old scripts only)."""
    return list(_offered())


@functools.lru_cache(maxsize=1)
def _offered() -> tuple:
    from ...strategies import CURRENT_STRATEGIES

    return tuple(cls.name for cls in CURRENT_STRATEGIES)


def check_settings(body) -> Settings:
    """Validate a sandbox request (a JSON object); defaults fill what it leaves out.

    Raises
    ------
    ParameterError
        One line naming the key, for an unknown key, a value out of range or of
        the wrong type, an unknown strategy, or a mix of fewer than two or more
        than :data:`MAX_STRATEGIES` strategies.
    """
    if not isinstance(body, dict):
        raise ParameterError("the request must be a JSON object")
    unknown = sorted(set(body) - set(SLIDERS) - {"mix"})
    if unknown:
        raise ParameterError(f"unknown key {unknown[0][:40]!r}; the sandbox knows "
                             f"{', '.join([*SLIDERS, 'mix'])}")
    values = {name: slider.check(body.get(name, slider.default)) for name, slider in SLIDERS.items()}
    mix = body.get("mix", DEFAULT_MIX)
    if not isinstance(mix, dict):
        raise ParameterError("mix must be an object of strategy names and weights")
    if len(mix) > MAX_STRATEGIES:
        raise ParameterError(f"mix: at most {MAX_STRATEGIES} strategies, got {len(mix)}")
    known = {name.lower(): name for name in strategy_names()}
    checked = {}
    for name, weight in mix.items():
        proper = known.get(str(name).lower())
        if proper is None:
            raise ParameterError(f"mix: unknown strategy {str(name)[:60]!r} (the strategy library lists them)")
        if (isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight)
                or not 0 <= weight <= MAX_WEIGHT):
            raise ParameterError(f"mix[{proper!r}] must be a weight between 0 and {MAX_WEIGHT:g}, got {weight!r}"[:200])
        if weight > 0:
            checked[proper] = float(weight)
    if len(checked) < 2:
        raise ParameterError("mix: give at least two strategies a weight above 0")
    return Settings(values, checked)


def game_of(values: dict):
    """The learning game the sliders describe."""
    from ...games import Knowledge, LearningGame, Power, Ties

    return LearningGame(power=Power(values["power"]), knowledge=Knowledge(values["stakes"], values["pace"]),
                        ties=Ties(values["ties"]), overlap=values["overlap"])


def players_of(names, values: dict) -> list:
    """The strategies, with the sliders' receptivity (except Larsson et al.'s five) and tacitness."""
    from ...strategies import LARSSON, strategy_class

    larsson = {cls.name for cls in LARSSON}
    players = []
    for name in names:
        cls = strategy_class(name)
        parameters = {"tacitness": values["tacitness"]}
        if name not in larsson:
            parameters["receptivity"] = values["receptivity"]
        players.append(cls(**parameters))
    return players


def _round(x, digits: int = 4):
    if isinstance(x, (list, tuple)):
        return [_round(v, digits) for v in x]
    x = float(x)
    return round(x, digits) if math.isfinite(x) else None


def sandbox(settings: Settings, points: int = 61) -> dict:
    """The round robin and the evolution of the mix under the sliders' game.

    Returns
    -------
    dict
        ``strategies``; ``payoffs`` and ``give_rates`` (row against column, per
        round, exact); ``ranking`` (each strategy's mean payoff per round against
        the others, best first, with its give rate and the alliance's mean
        expected duration); ``evolution`` (``times``, ``shares`` per time,
        ``final``, ``survivors``, ``give_rate`` of the final population,
        ``settled``); ``game`` (R, S, T, P of the stage game at full
        receptivity) and ``expected_rounds``.
    """
    import numpy as np

    from ...dynamics import replicator
    from ...exact import roster_payoffs

    values = settings.values
    names = list(settings.mix)
    game = game_of(values)
    players = players_of(names, values)
    roster = roster_payoffs(players, game, continuation=values["continuation"])
    n = len(names)
    others = ~np.eye(n, dtype=bool)
    score = (roster.payoffs * others).sum(axis=1) / (n - 1)
    giving = (roster.give_rates * others).sum(axis=1) / (n - 1)
    duration = (roster.duration * others).sum(axis=1) / (n - 1)
    order = sorted(range(n), key=lambda i: (-score[i], names[i]))
    weights = np.array([settings.mix[name] for name in names])
    evolution = replicator(roster.payoffs, x0=weights / weights.sum(), points=points, give_rates=roster.give_rates)
    return {
        "strategies": names,
        "settings": dict(values),
        "mix": dict(settings.mix),
        "payoffs": _round(roster.payoffs.tolist()),
        "give_rates": _round(roster.give_rates.tolist()),
        "ranking": [{"strategy": names[i], "score": _round(score[i]), "give_rate": _round(giving[i]),
                     "duration": _round(duration[i], 2)} for i in order],
        "evolution": {
            "times": _round(evolution.times.tolist(), 3),
            "shares": _round(evolution.shares.tolist()),
            "final": _round(evolution.final.tolist()),
            "survivors": [names[i] for i in evolution.survivors],
            "give_rate": None if evolution.give_rate is None else _round(evolution.give_rate),
            "settled": bool(evolution.settled),
        },
        "game": dict(zip("RSTP", _round(list(game.rstp())))),
        "expected_rounds": _round(1.0 / (1.0 - values["continuation"]), 2),
    }


#: The strategy the page offers first to play against.
DEFAULT_OPPONENT = "Tit For Tat"
#: Moves a practice request may replay (a match at w = 0.99 outlasts it with probability 0.99^2000, 2e-9).
MAX_PRACTICE_ROUNDS = 2000
#: The largest seed the page is given: JavaScript numbers hold whole numbers exactly up to 2^53.
MAX_SEED = 2 ** 53 - 1


def options() -> dict:
    """What the explorable's page is built from: sliders, strategies, the default mix and opponent."""
    return {
        "sliders": [{"name": s.name, "low": s.low, "high": s.high, "default": s.default, "step": s.step,
                     "whole": s.whole, "label": s.label, "help": s.help} for s in SLIDERS.values()],
        "strategies": strategy_names(),
        "opponents": strategy_names(),
        "opponent": DEFAULT_OPPONENT,
        "mix": dict(DEFAULT_MIX),
        "max_strategies": MAX_STRATEGIES,
    }


def _treatment(values: dict, exit_allowed: bool) -> dict:
    """The live classroom's treatment of the sliders' game (a pair; every side the sliders' receptivity)."""
    return {"power": values["power"], "knowledge_levels": values["stakes"], "pace": values["pace"],
            "overlap": values["overlap"], "tacitness": values["tacitness"], "receptivity": values["receptivity"],
            "ties": values["ties"], "continuation": values["continuation"], "exit": exit_allowed, "group_size": 2}


def practice(body) -> dict:
    """One person's match against a library strategy, replayed from its seed and the person's moves.

    Parameters
    ----------
    body : dict
        ``opponent`` (a library strategy), ``seed`` (``null`` for a fresh one, whose
        value the answer gives back), ``settings`` (the sliders, as for
        :func:`check_settings`, without ``mix``; plus ``exit``, true to allow
        leaving), ``moves`` (the person's choices so far: GIVE, TAKE or LEAVE).

    Returns
    -------
    dict
        ``seed``, ``opponent``, ``rounds`` (per round: ``round``, ``moves`` as
        seen from the person first, ``transferred``, ``payoffs``,
        ``stakes_after``), ``stakes`` and ``levels``, ``totals``, ``open``
        (whether the person may move), ``ended`` (how the match ended, once
        over), ``length`` (only once over: the horizon is never shown before),
        ``exit_allowed``.

    Raises
    ------
    ParameterError
        One line naming the key, for anything malformed, out of range, or a move
        after the match is over.
    """
    import secrets

    from ..rounds import Practice

    if not isinstance(body, dict):
        raise ParameterError("the request must be a JSON object")
    unknown = sorted(set(body) - {"opponent", "seed", "settings", "moves"})
    if unknown:
        raise ParameterError(f"unknown key {unknown[0][:40]!r}; a practice request has opponent, seed, settings, moves")
    opponent = body.get("opponent", DEFAULT_OPPONENT)
    known = {name.lower(): name for name in strategy_names()}
    if not isinstance(opponent, str) or opponent.lower() not in known:
        raise ParameterError(f"opponent: unknown strategy {str(opponent)[:60]!r} (the strategy library lists them)")
    seed = body.get("seed")
    if seed is None:
        seed = secrets.randbelow(MAX_SEED + 1)
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ParameterError(f"seed must be a whole number between 0 and {MAX_SEED}, got {seed!r}"[:200])
    settings = body.get("settings", {})
    if not isinstance(settings, dict):
        raise ParameterError("settings must be an object of slider values")
    settings = dict(settings)
    exit_allowed = settings.pop("exit", False)
    if not isinstance(exit_allowed, bool):
        raise ParameterError(f"settings.exit must be true or false, got {exit_allowed!r}"[:200])
    if "mix" in settings:
        raise ParameterError("settings: mix belongs to the tournament, not to a match")
    values = check_settings(dict(settings, mix=DEFAULT_MIX)).values
    moves = body.get("moves", [])
    if not isinstance(moves, list):
        raise ParameterError("moves must be a list of GIVE, TAKE or LEAVE")
    if len(moves) > MAX_PRACTICE_ROUNDS:
        raise ParameterError(f"moves: at most {MAX_PRACTICE_ROUNDS} rounds, got {len(moves)}")
    game = Practice(known[opponent.lower()], _treatment(values, exit_allowed), seed)
    for number, move in enumerate(moves, 1):
        if game.over:
            raise ParameterError(f"moves[{number - 1}]: the match was over after {number - 1} rounds")
        try:
            game.choose(move)
        except ParameterError as error:
            raise ParameterError(f"moves[{number - 1}]: {error}") from None
    view = game.view()
    levels = values["stakes"]
    rounds = [{
        "round": r["round"], "moves": [_shown(r["you"]), _shown(r["strategy"])],
        "transferred": [r["you_transferred"], r["strategy_transferred"]], "payoffs": r["payoffs"],
        "stakes_after": r["stakes_after"],
    } for r in view["history"]]
    return {
        "seed": seed, "opponent": view["strategy"], "rounds": rounds, "stakes": view["stakes"], "levels": levels,
        "totals": view["totals"], "open": not view["over"], "ended": _ending(view) if view["over"] else None,
        "length": view["length"], "exit_allowed": exit_allowed, "settings": values,
    }


def _shown(choice: str) -> str:
    return "LEAVE" if choice == "EXIT" else choice


def _ending(view: dict) -> str:
    ended = view["ended_by"]
    if ended == "open":
        return "the match came to its end"
    return {"race over": "the race to learn is over: a side has learned everything",
            "first left": "you left the alliance", "second left": f"{view['strategy']} left the alliance",
            "both left": "both left the alliance"}.get(ended, ended)
