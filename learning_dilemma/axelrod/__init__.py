"""The bridge to axelrod (Knight et al. 2016), both ways.

Importing this package imports axelrod (slow); nothing else in
``learning_dilemma`` does.

- :func:`to_axelrod`: one of our strategies as a genuine :class:`axelrod.Player`
  for axelrod's tournaments, Moran processes and fingerprints;
  :mod:`.players` has a ready-made class for every built-in strategy.
- :func:`from_axelrod`: any axelrod strategy, by instance, class or name, as a
  player of the learning game (second edition: knowledge stakes, power from
  dependence, the end of the race, receptivity and tacit transfer; Larsson et
  al. 1998, Hamel 1991). Strategy names ``axelrod:NAME`` in scenario files and
  on the command line come here.
- :mod:`.scoring`: axelrod tournaments and Moran processes scored with the
  learning game.

axelrod has no third action: inside axelrod a strategy of ours that leaves the
alliance plays D for the rest of the match (:mod:`.players`, ``docs/axelrod.md``).

Examples
--------
>>> from learning_dilemma import Match
>>> from learning_dilemma.strategies import TrustBuilder
>>> result = Match(TrustBuilder(), from_axelrod("Tit For Tat"), turns=5, seed=1).play()
>>> result.players
('Trust Builder', 'axelrod:Tit For Tat')
>>> str(to_axelrod(TrustBuilder(drop=3)))
'ld:Trust Builder(drop=3)'
"""

from __future__ import annotations

import inspect
import numbers

import axelrod as axl
import numpy as np

from .._lookup import NameIndex, split_prefix
from ..errors import ParameterError
from ..strategies import AXELROD_PREFIX
from ..players.player import COMMON_DEFAULTS, Automaton, Player
from .games import axelrod_game, learning_game, to_action, to_move
from .players import READY_MADE, AutomatonPlayer, ImperativePlayer, axelrod_name
from .theirs import AxelrodStrategy

OUR_PARAMETERS = tuple(COMMON_DEFAULTS)


_NAMES = NameIndex(axl.all_strategies, "axelrod strategy", "axelrod.all_strategies lists them",
                   suggestions=1, cutoff=0.6, always_list=False, fold_case=True)


def axelrod_class(name: str) -> type[axl.Player]:
    """The axelrod strategy called ``name``.

    Any case and spacing: ``"Tit For Tat"``, ``"tit for tat"`` and
    ``"TitForTat"`` (the class name) all name :class:`axelrod.TitForTat`.

    Raises
    ------
    ParameterError
        For an unknown name, suggesting the closest of axelrod's names.

    Examples
    --------
    >>> axelrod_class("tit for tat").name
    'Tit For Tat'
    """
    text = split_prefix(name, AXELROD_PREFIX)
    return _NAMES.find(name.strip() if text is None else text)


def _check_obeys_axelrod(cls_or_player, name: str):
    player = cls_or_player if isinstance(cls_or_player, axl.Player) else None
    if player is None:
        rules = cls_or_player.classifier
        cheats = any(rules.get(k) for k in ("inspects_source", "manipulates_source", "manipulates_state"))
    else:
        cheats = not axl.Classifiers.obey_axelrod(player)
    if cheats:
        raise ParameterError(
            f"axelrod strategy {name!r} inspects or manipulates its opponent, "
            "breaking axelrod's own tournament rules; it cannot play through the bridge"
        )


def _instantiate(cls: type[axl.Player], parameters: dict) -> axl.Player:
    signature = inspect.signature(cls.__init__)
    accepted = [p for p in signature.parameters if p != "self"]
    takes_any = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    for key in parameters:
        if key not in accepted and not takes_any:
            known = ", ".join(accepted + list(OUR_PARAMETERS))
            raise ParameterError(f"axelrod strategy {cls.name!r} has no parameter {key!r} (known: {known})")
    parameters = _check_types(cls, parameters)
    try:
        return cls(**parameters)
    except Exception as error:  # noqa: BLE001 - whatever the constructor raises, the parameters are bad
        raise ParameterError(
            f"axelrod strategy {cls.name!r} cannot be made with {_shown(parameters)}: {_one_line(error)}"
        ) from error


_EXPECTED = {float: "a number", int: "a whole number", bool: "true or false", str: "a string",
             axl.Action: "an axelrod action, C or D"}


def _expected_type(parameter: inspect.Parameter):
    """The type a constructor parameter takes: its annotation if a plain one,
    else that of its default (any number for a numeric default), else None."""
    annotation = parameter.annotation
    if isinstance(annotation, str):  # postponed annotations
        annotation = {"float": float, "int": int, "bool": bool, "str": str, "Action": axl.Action}.get(annotation)
    if annotation in _EXPECTED:
        return annotation
    if annotation is not parameter.empty:
        return None
    default = parameter.default
    if isinstance(default, bool):
        return bool
    if isinstance(default, (int, float)):
        return float
    return str if isinstance(default, str) else None


def _fits(value, expected) -> bool:
    if expected is bool:
        return isinstance(value, (bool, np.bool_))
    if isinstance(value, (bool, np.bool_)):
        return False
    if expected is float:
        return isinstance(value, numbers.Real)
    if expected is int:
        return isinstance(value, numbers.Integral)
    return isinstance(value, expected)


def _check_types(cls: type[axl.Player], parameters: dict) -> dict:
    """Refuse a parameter of the wrong type before it reaches a match (axelrod
    does not check, and the strategy fails rounds later); an action may be
    given as the letter C or D."""
    signature = inspect.signature(cls.__init__).parameters
    checked = dict(parameters)
    for key, value in parameters.items():
        parameter = signature.get(key)
        expected = None if parameter is None else _expected_type(parameter)
        if expected is None or value is None and parameter.default is None:
            continue
        if expected is axl.Action and isinstance(value, str) and value.strip().upper() in ("C", "D"):
            checked[key] = axl.Action.from_char(value.strip().upper())
            continue
        if not _fits(value, expected):
            raise ParameterError(
                f"axelrod strategy {cls.name!r}: {key} must be {_EXPECTED[expected]}, got {value!r}"
            )
    return checked


def _given(player: axl.Player) -> dict:
    """The constructor arguments of a ready-made player that differ from the defaults."""
    signature = inspect.signature(type(player).__init__).parameters
    given = {}
    for key, value in (getattr(player, "init_kwargs", None) or {}).items():
        default = signature[key].default if key in signature else inspect.Parameter.empty
        try:
            same = value is default or bool(value == default)
        except Exception:  # noqa: BLE001 - an array or odd object: treat as given
            same = False
        if not same:
            given[key] = value
    return given


def _trial(player: axl.Player, parameters: dict) -> None:
    """Play a few rounds of a throwaway axelrod match against an alternating
    partner, so bad parameters fail here, with a one-line error naming them,
    and not rounds into a match."""
    try:
        axl.Match((player.clone(), axl.Alternator()), turns=4, seed=1).play()
    except Exception as error:  # noqa: BLE001 - whatever fails, the parameters are the cause
        raise ParameterError(
            f"axelrod strategy {type(player).name!r} cannot play with {_shown(parameters)}: {_one_line(error)} "
            "(in a trial match)"
        ) from error


def _shown(parameters: dict) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in parameters.items()) or "its defaults"


def _one_line(error: BaseException) -> str:
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def from_axelrod(player_or_name, **parameters) -> AxelrodStrategy:
    """An axelrod strategy as a player of the learning game.

    Parameters
    ----------
    player_or_name : axelrod.Player, its class, or str
        A player (cloned for every match), a player class, or the name of one
        of ``axelrod.all_strategies`` in any case (``"axelrod:"`` prefix
        optional).
    **parameters
        ``receptivity`` and ``tacitness`` are ours; anything else goes to the
        axelrod strategy's constructor, e.g. ``from_axelrod("GTFT", p=0.1)``.

    Raises
    ------
    ParameterError
        For an unknown name (with a suggestion), an unknown parameter, a
        parameter of the wrong type (checked against the constructor's
        annotation or default, and by a few rounds of a throwaway axelrod match
        against an alternating partner), or a strategy that breaks axelrod's
        rules by inspecting or manipulating its opponent.

    Examples
    --------
    >>> from_axelrod("gtft", p=0.25, tacitness=0.1).label
    'axelrod:GTFT: 0.25(tacitness=0.1)'
    """
    ours = {k: parameters.pop(k) for k in OUR_PARAMETERS if k in parameters}
    if isinstance(player_or_name, axl.Player):
        if parameters:
            raise ParameterError(
                f"axelrod parameters {sorted(parameters)} given with a ready-made player "
                f"{player_or_name}; pass them to its class or name instead"
            )
        player = player_or_name.clone()
    else:
        if isinstance(player_or_name, str):
            cls = axelrod_class(player_or_name)
        elif isinstance(player_or_name, type) and issubclass(player_or_name, axl.Player):
            cls = player_or_name
        else:
            raise ParameterError(
                f"from_axelrod takes an axelrod player, player class or strategy name, got {player_or_name!r}"
            )
        _check_obeys_axelrod(cls, cls.name)
        player = _instantiate(cls, parameters)
    _check_obeys_axelrod(player, player.name)
    given = parameters or _given(player)
    if given:
        _check_types(type(player), given)
        _trial(player, given)
    return AxelrodStrategy(player, **ours)


def to_axelrod(strategy: Player) -> axl.Player:
    """One of our strategies as an :class:`axelrod.Player`.

    A built-in strategy becomes an instance of its ready-made class in
    :mod:`.players`, another automaton an :class:`AutomatonPlayer`, an
    imperative strategy an :class:`ImperativePlayer`, and an axelrod strategy
    brought in by :func:`from_axelrod` becomes axelrod's own player again.
    """
    if isinstance(strategy, AxelrodStrategy):
        return strategy.prototype.clone()
    if not isinstance(strategy, Player):
        raise ParameterError(f"to_axelrod takes one of our strategies, got {strategy!r}")
    ready_made = READY_MADE.get(type(strategy))
    if ready_made is not None:
        return ready_made(**strategy.parameters)
    if isinstance(strategy, Automaton):
        return AutomatonPlayer(strategy)
    return ImperativePlayer(strategy)


__all__ = [
    "AxelrodStrategy", "AutomatonPlayer", "ImperativePlayer", "axelrod_class", "axelrod_game",
    "axelrod_name", "from_axelrod", "learning_game", "to_action", "to_axelrod", "to_move",
]
