"""Scenario files: a tournament described as data (TOML, read with ``tomllib``).

A scenario names the game (its values or payoffs, the competitive overlap or
knowledge domains, power, knowledge stakes and ties), the match length, the
repetitions, the seed and the players. Files are data and never execute code.
Every problem is a one-line :class:`~learning_dilemma.errors.ParameterError`
naming the file, the key and what was expected; unknown keys are errors, and
the first edition's keys (:data:`REMOVED_KEYS`) say what replaced them.
Knowledge and tie levels are held to the ``ladder_levels`` resource limit
(:mod:`learning_dilemma.limits`). ``docs/scenarios.md`` documents the format
field by field.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ...errors import ParameterError
from ...limits import ResourceLimitError, check
from ...games import Domain, Knowledge, LearningGame, Power, Ties
from ...players.player import Player

__all__ = [
    "apply_overrides", "build", "check_depth", "check_heading", "find_scenario", "DEFAULT_SCENARIO", "DOMAIN_KEYS", "MAX_DEPTH", "MAX_FILE_BYTES",
    "GAME_KEYS", "KNOWLEDGE_KEYS", "load_scenario", "NESTED_PLAYER_KEYS", "override", "parse_value", "PAYOFF_KEYS",
    "POWER_KEYS", "read_raw", "REMOVED_KEYS", "Scenario", "SCENARIO_DIR", "TIES_KEYS",
    "scenario_path", "shipped_names", "TOP_KEYS"
]

# The shipped scenarios are package data, found wherever the package is
# installed (editable, wheel or sdist), never next to a clone.
SCENARIO_DIR = Path(str(files(__name__) / "data"))
DEFAULT_SCENARIO = "larsson"

TOP_KEYS = {
    "name", "description", "seed", "repetitions", "turns", "continuation", "self_play",
    "prior_rounds", "initial_power", "processes", "noise", "game", "players",
}
GAME_KEYS = {
    "status_quo", "learning_benefit", "leak", "synergy", "race_premium", "payoffs", "power", "knowledge", "ties",
    "overlap", "domains",
}
POWER_KEYS = {"strength"}
KNOWLEDGE_KEYS = {"levels", "pace"}
TIES_KEYS = {"levels"}
DOMAIN_KEYS = {"name", "share", "overlap"}
# First-edition keys, refused with a pointer to what replaced them.
REMOVED_KEYS = {
    "game.power.levels": "removed in the second edition: power comes from dependence, the knowledge each side "
                         "still has to learn; set game.knowledge.levels (CHANGELOG.md)",
    "game.power.rebalance": "removed in the second edition: mutual giving no longer pulls power back to parity "
                            "(no source for it; CHANGELOG.md)",
}
PAYOFF_KEYS = {"R", "S", "T", "P"}
NESTED_PLAYER_KEYS = ("organisation", "person")

#: How deeply tables and arrays may nest in a scenario (and in a ``--set``
#: value). A real scenario needs about ten levels (a player inside a player
#: inside the roster); deeper files are refused before anything is built, so
#: no step recurses without bound.
MAX_DEPTH = 32
#: The largest scenario file read (a shipped one is about 3 kB).
MAX_FILE_BYTES = 1_000_000


@dataclass
class Scenario:
    """A validated scenario, ready to become a :class:`~learning_dilemma.tournament.Tournament`."""

    name: str
    description: str
    path: Path | None
    game: LearningGame
    players: list[Player]
    turns: int | None = None
    continuation: float | None = None
    repetitions: int = 10
    seed: int | None = None
    self_play: bool = False
    prior_rounds: int = 0
    initial_power: int = 0
    processes: int = 1
    noise: float = 0.0
    raw: dict = field(default_factory=dict, repr=False)

    def tournament(self, **changes):
        """The tournament this scenario describes; keyword arguments override
        its values (e.g. ``seed``, ``repetitions``, ``processes``, ``progress``)."""
        from ...tournament import Tournament

        options = {
            "game": self.game, "turns": self.turns, "continuation": self.continuation,
            "repetitions": self.repetitions, "seed": self.seed, "processes": self.processes,
            "self_play": self.self_play, "prior_rounds": self.prior_rounds, "initial_power": self.initial_power,
            "noise": self.noise,
        }
        options.update(changes)
        return Tournament(self.players, **options)

    def settings(self) -> list[tuple[str, object]]:
        """The scenario's values as ``(key, value)`` rows, for tables and reports."""
        length = ("turns", self.turns) if self.turns is not None else ("continuation", self.continuation)
        rows = [
            ("scenario", self.name), ("players", len(self.players)), length,
            ("repetitions", self.repetitions), ("seed", self.seed), ("self play", self.self_play),
            ("prior rounds", self.prior_rounds), ("initial power", self.initial_power),
        ]
        if self.noise:
            rows.append(("noise", self.noise))
        game = self.game
        rows += [(f"game.{k}", getattr(game, k))
                 for k in ("status_quo", "learning_benefit", "leak", "synergy", "race_premium")]
        if game.domains:  # each domain's overlap, and the one they make (payoffs are linear in it)
            rows += [(f"game.domains[{k}]", f"{d.name} (share {d.share:g}, overlap {d.overlap:g})")
                     for k, d in enumerate(game.domains)]
            rows.append(("game.overlap (of the domains)", game.effective_overlap))
        else:
            rows.append(("game.overlap", game.overlap))
        rows += [(f"game.{part}.{f.name}", getattr(getattr(game, part), f.name))
                 for part in ("power", "knowledge", "ties") for f in dataclasses.fields(getattr(game, part))]
        return rows


def scenario_path(name_or_path: str | Path) -> Path:
    """The file of a shipped scenario's name, or the path given."""
    return find_scenario(name_or_path, SCENARIO_DIR, shipped_names, "scenario")


def find_scenario(name_or_path: str | Path, folder: Path, names, kind: str) -> Path:
    """The file of a shipped ``kind`` named ``name_or_path`` in ``folder``, or the path given;
    ``names()`` lists the shipped ones for the one-line error."""
    text = str(name_or_path)
    path = Path(text)
    if path.is_file():
        return path
    if path.suffix == ".toml" or "/" in text or "\\" in text:
        raise ParameterError(f"{text}: no such scenario file")
    shipped = folder / f"{text}.toml"
    if not shipped.is_file():
        listed = ", ".join(names()) or "none"
        raise ParameterError(f"unknown {kind} {text!r}; shipped {kind}s: {listed}")
    return shipped


def shipped_names() -> list[str]:
    """Names of the shipped scenarios (package data), default first."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    return sorted(names, key=lambda n: n != DEFAULT_SCENARIO)


def read_raw(path: Path) -> dict:
    """Parse a TOML file; syntax errors become one line naming the file and line
    (``line 3 (end of file)`` when the file stops in the middle of a value).
    Files above :data:`MAX_FILE_BYTES` and nesting deeper than
    :data:`MAX_DEPTH` levels are refused."""
    with open(path, "rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ParameterError(f"{path}: larger than {MAX_FILE_BYTES:,} bytes; a scenario file is a few kilobytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ParameterError(f"{path}: not a UTF-8 text file") from None
    try:
        raw = tomllib.loads(text)
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise ParameterError(f"{path}: nesting deeper than {MAX_DEPTH} levels") from None
    except tomllib.TOMLDecodeError as error:
        message = " ".join(str(error).split())
        line = re.search(r"\(at line (\d+), column \d+\)", message)
        if line:
            where = f"line {line.group(1)}: "
        elif "(at end of document)" in message:
            where = f"line {text.count(chr(10)) + 1} (end of file): "
        else:
            where = ""
        message = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", message)
        raise ParameterError(f"{path}: {where}invalid TOML: {message}") from None
    check_depth(raw, str(path))
    return raw


def check_depth(value, where: str, limit: int = MAX_DEPTH) -> None:
    """Refuse tables and arrays nested deeper than ``limit`` levels, with one
    line naming ``where`` and the key path; iterative, so any depth is safe."""
    stack = [(value, 0, "")]
    while stack:
        item, depth, key = stack.pop()
        if isinstance(item, dict):
            children = [(v, f"{key}.{k}" if key else str(k)) for k, v in item.items()]
        elif isinstance(item, list):
            children = [(v, f"{key}[{k}]") for k, v in enumerate(item)]
        else:
            continue
        if depth >= limit:
            raise ParameterError(f"{where}: {key[:60] or 'scenario'}: nesting deeper than {limit} levels")
        stack.extend((child, depth + 1, path) for child, path in children)


def load_scenario(name_or_path: str | Path = DEFAULT_SCENARIO, overrides=()) -> Scenario:
    """Read, override and validate a scenario.

    Parameters
    ----------
    name_or_path : str or Path
        A shipped scenario's name (``larsson``, ``kite``, ...) or a file.
    overrides : sequence of str
        ``KEY=VALUE`` changes, e.g. ``game.power.strength=0.5`` or
        ``players[2].receptivity=0.4``; values are TOML values.

    Examples
    --------
    >>> scenario = load_scenario("delta", ["repetitions=2"])
    >>> scenario.repetitions, len(scenario.players) > 1
    (2, True)
    """
    path = scenario_path(name_or_path)
    raw = read_raw(path)
    raw = apply_overrides(raw, overrides, str(path))
    check_depth(raw, str(path))
    return build(raw, path)


def apply_overrides(raw: dict, overrides, where: str = "--set") -> dict:
    """A copy of ``raw`` with each ``KEY=VALUE`` applied (dotted keys, ``[i]`` for list items).

    Setting ``turns`` removes ``continuation`` and the other way round, so a
    command-line length always wins.
    """
    import copy

    raw = copy.deepcopy(raw)
    for item in overrides:
        key, sep, text = str(item).partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"--set {item!r}: expected KEY=VALUE, e.g. game.power.strength=0.5")
        value = parse_value(text.strip())
        parts = _split_key(key, item)
        target = raw
        for part in parts[:-1]:
            target = _step(target, part, item, create=True)
        last = parts[-1]
        if isinstance(last, int):
            if not isinstance(target, list) or not -len(target) <= last < len(target):
                raise ParameterError(f"--set {item!r}: no list item [{last}] there")
            target[last] = value
        else:
            if not isinstance(target, dict):
                raise ParameterError(f"--set {item!r}: {key} is not inside a table")
            target[last] = value
        if parts == ["turns"]:
            raw.pop("continuation", None)
        if parts == ["continuation"]:
            raw.pop("turns", None)
    return raw


def override(key: str, value) -> str:
    """The ``KEY=VALUE`` text that sets ``key`` to a Python (or numpy) value."""
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return f"{key}={'true' if value else 'false'}"
    if isinstance(value, str):
        return f'{key}="{value}"'
    return f"{key}={value!r}"


def parse_value(text: str):
    """A TOML value (``0.5``, ``true``, ``"Peer"``, ``[1, 2]``); bare words are strings."""
    try:
        value = tomllib.loads(f"value = {text}")["value"]
    except RecursionError:
        raise ParameterError(f"--set value {text[:40]!r}...: nesting deeper than {MAX_DEPTH} levels") from None
    except tomllib.TOMLDecodeError:
        return text
    check_depth(value, f"--set value {text[:40]!r}")
    return value


def _split_key(key: str, item: str) -> list:
    parts = []
    for piece in key.split("."):
        match = re.fullmatch(r"([A-Za-z_][\w-]*)((?:\[-?\d+\])*)", piece)
        if not match:
            raise ParameterError(f"--set {item!r}: cannot read key {key!r}")
        parts.append(match.group(1))
        parts += [int(i) for i in re.findall(r"\[(-?\d+)\]", match.group(2))]
    return parts


def _step(target, part, item, create):
    if isinstance(part, int):
        if not isinstance(target, list) or not -len(target) <= part < len(target):
            raise ParameterError(f"--set {item!r}: no list item [{part}] there")
        return target[part]
    if not isinstance(target, dict):
        raise ParameterError(f"--set {item!r}: {part} is not inside a table")
    if part not in target and create:
        target[part] = {}
    return target[part]


# --- validation -----------------------------------------------------------------

def build(raw: dict, path: Path | None) -> Scenario:
    """Validate a parsed scenario into a :class:`Scenario`."""
    where = str(path) if path is not None else "scenario"

    def fail(key, message):
        raise ParameterError(f"{where}: {key}: {message}")

    _check_keys(raw, TOP_KEYS, "", fail)
    name, description = check_heading(raw, path, "scenario", fail)
    if "\n" in description.strip():
        fail("description", "expected one line (it is listed by `learning-dilemma scenarios`)")
    if "turns" in raw and "continuation" in raw:
        fail("turns", "give either turns or continuation, not both")
    game = _game(raw.get("game", {}), fail)
    players = _players(raw.get("players"), fail)
    values = {}
    for key, kind in (("turns", int), ("continuation", float), ("repetitions", int), ("seed", int),
                      ("self_play", bool), ("prior_rounds", int), ("initial_power", int), ("processes", int),
                      ("noise", float)):
        if key in raw:
            values[key] = _typed(raw[key], kind, key, fail)
    scenario = Scenario(name=name, description=description, path=path, game=game, players=players, raw=raw, **values)
    if scenario.turns is None and scenario.continuation is None:
        scenario.turns = 200
    try:  # the runner's own checks (repetitions, initial power, ...), named by key
        scenario.tournament()
    except ParameterError as error:
        key, message = _split_message(str(error), "")
        raise ParameterError(f"{where}: {key}: {message}" if key else f"{where}: {message}") from None
    return scenario


def check_heading(raw: dict, path: Path | None, default: str, fail) -> tuple[str, str]:
    """A scenario file's ``name`` (default the file's stem, else ``default``) and
    ``description``, checked as shown text (tournament and network scenarios alike)."""
    name = raw.get("name", path.stem if path is not None else default)
    description = raw.get("description", "")
    for key, value in (("name", name), ("description", description)):
        if not isinstance(value, str):
            fail(key, f"expected a string, got {value!r}")
        _check_text(value, key, fail)
    if not name.strip():
        fail("name", "expected a non-empty string")
    return name, description


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_TEXT = {"name": 100, "label": 100, "description": 500}


def _check_text(text: str, key: str, fail) -> None:
    """Names, labels and descriptions are shown in tables, CSV and reports: no
    control characters (NUL, CR/LF, tabs, escape sequences), and not too long."""
    kind = key.rsplit(".", 1)[-1]
    if _CONTROL.search(text.strip("\n") if kind == "description" else text):
        if kind == "description" and "\n" in text.strip():
            fail(key, "expected one line (it is listed by `learning-dilemma scenarios`)")
        fail(key, f"control characters (NUL, CR, LF, tab, escape...) are not allowed, got {text[:40]!r}")
    if len(text) > MAX_TEXT[kind]:
        fail(key, f"at most {MAX_TEXT[kind]} characters, got {len(text)}")


def _check_keys(table: dict, allowed: set, prefix: str, fail) -> None:
    if not isinstance(table, dict):
        fail(prefix.rstrip(".") or "scenario", f"expected a table, got {table!r}")
    for key in table:
        if key not in allowed:
            fail(f"{prefix}{key}", f"unknown key; expected one of {', '.join(sorted(allowed))}")


def _typed(value, kind, key, fail):
    if kind is bool:
        if not isinstance(value, bool):
            fail(key, f"expected true or false, got {value!r}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            fail(key, f"expected a whole number, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(key, f"expected a number, got {value!r}")
    return float(value)


def _game(table, fail) -> LearningGame:
    _check_keys(table, GAME_KEYS, "game.", fail)
    parts = {}
    for name, keys, kind in (("power", POWER_KEYS, Power), ("knowledge", KNOWLEDGE_KEYS, Knowledge),
                             ("ties", TIES_KEYS, Ties)):
        part = table.get(name, {})
        if isinstance(part, dict):
            for key in part:
                removed = REMOVED_KEYS.get(f"game.{name}.{key}")
                if removed:
                    fail(f"game.{name}.{key}", removed)
        _check_keys(part, keys, f"game.{name}.", fail)
        parts[name] = part
    domains = _domains(table.get("domains"), fail)
    if "overlap" in table and domains:
        fail("game.overlap", "give either game.overlap or [[game.domains]] (each domain has its own overlap), not both")
    payoffs = table.get("payoffs")
    if payoffs is not None:
        _check_keys(payoffs, PAYOFF_KEYS, "game.payoffs.", fail)
        missing = sorted(PAYOFF_KEYS - set(payoffs))
        if missing:
            fail("game.payoffs", f"missing {', '.join(missing)}; expected R, S, T and P")
        others = sorted(set(table) - {"payoffs", "synergy", *parts, "overlap", "domains"})
        if others:
            fail(f"game.{others[0]}", "cannot be combined with game.payoffs")
    try:
        built = {name: kind(**parts[name]) for name, kind in (("power", Power), ("knowledge", Knowledge),
                                                                ("ties", Ties))}
        scalars = {k: v for k, v in table.items() if k not in {"power", "knowledge", "ties", "domains", "payoffs"}}
        if payoffs is not None:
            base = LearningGame.from_payoffs(**payoffs, synergy=table.get("synergy", 1.0), power=built["power"])
            scalars.pop("synergy", None)
            return dataclasses.replace(base, knowledge=built["knowledge"], ties=built["ties"], domains=domains,
                                       **scalars)
        return LearningGame(**scalars, **built, domains=domains)
    except ResourceLimitError as error:  # knowledge or tie levels above the ladder_levels limit
        key, message = _split_message(str(error), "game")
        try:
            fail(key, message)
        except ParameterError as failed:
            raise ResourceLimitError(str(failed)) from None
    except ParameterError as error:
        key, message = _split_message(str(error), "game.payoffs" if payoffs is not None else "game")
        fail(key, message)
    except TypeError as error:  # a value of the wrong kind reached a dataclass
        fail("game", " ".join(str(error).split()))


def _domains(entries, fail) -> tuple:
    """``[[game.domains]]`` tables: each a name, a share of the knowledge and an overlap."""
    if entries is None:
        return ()
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fail("game.domains", "expected [[game.domains]] tables (name, share, overlap)")
    if not entries:
        fail("game.domains", "expected at least one [[game.domains]] table (name, share, overlap); "
                             "leave the key out for one overlap (game.overlap)")
    domains = []
    for k, entry in enumerate(entries):
        _check_keys(entry, DOMAIN_KEYS, f"game.domains[{k}].", fail)
        missing = sorted(DOMAIN_KEYS - set(entry))
        if missing:
            fail(f"game.domains[{k}]", f"missing {', '.join(missing)}; expected name, share and overlap")
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            fail(f"game.domains[{k}].name", f"expected a non-empty string, got {name!r}")
        _check_text(name, f"game.domains[{k}].name", fail)
        earlier = [j for j, d in enumerate(domains) if d.name == name]
        if earlier:
            fail(f"game.domains[{k}].name", f"{name!r} is already the name of game.domains[{earlier[0]}]")
        for key in ("share", "overlap"):
            _typed(entry[key], float, f"game.domains[{k}].{key}", fail)
        try:
            domains.append(Domain(name, float(entry["share"]), float(entry["overlap"])))
        except ParameterError as error:  # "game.domains.NAME.share must be ...": named by position instead
            prefix = f"game.domains.{name}."
            message = str(error)
            if message.startswith(prefix):
                key, _, rest = message[len(prefix):].partition(" ")
                fail(f"game.domains[{k}].{key}", rest)
            fail(f"game.domains[{k}]", message)
    return tuple(domains)


def _split_message(message: str, default_key: str) -> tuple[str, str]:
    """``(key, rest)`` of a validator's message such as ``"game.leak must be ..."``
    (``"R must be ..."`` is a payoff); other messages stay whole under ``default_key``."""
    first, _, rest = message.partition(" ")
    if first in PAYOFF_KEYS:
        return f"game.payoffs.{first}", rest
    if first == "synergy":
        return "game.synergy", rest
    # "game.knowledge.levels=101 asks for ..." (a resource limit): the key, then what it asks for
    key, equals, _ = first.partition("=")
    if equals and (key.startswith("game.") or key in TOP_KEYS):
        return key, rest
    first = first.rstrip(":")  # "game.domains: the shares must sum to 1"
    if first.startswith("game.") or first in TOP_KEYS:
        return first, rest
    return default_key, message


def _players(entries, fail) -> list[Player]:
    if entries is None:
        fail("players", "missing: give at least two [[players]] entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        fail("players", "expected [[players]] tables")
    players = []
    total = 0
    for k, entry in enumerate(entries):
        entry = dict(entry)
        count = entry.pop("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            fail(f"players[{k}].count", f"expected a whole number >= 1, got {count!r}")
        total += count
        try:  # before any player is cloned
            check("players", total, "the roster")
        except ResourceLimitError as error:
            fail(f"players[{k}].count", str(error))
        label = entry.pop("label", None)
        if label is not None and (not isinstance(label, str) or not label.strip()):
            fail(f"players[{k}].label", f"expected a non-empty string, got {label!r}")
        if label is not None:
            _check_text(label, f"players[{k}].label", fail)
        player = _player(entry, f"players[{k}]", fail)
        if label is not None:
            player.labelled(label.strip())
        players += [player] + [player.clone() for _ in range(count - 1)]
    if len(players) < 2:
        fail("players", f"a tournament needs at least two players, got {len(players)}")
    return players


def _player(entry: dict, key: str, fail) -> Player:
    from ...strategies import make_strategy

    entry = dict(entry)
    name = entry.pop("strategy", None)
    if not isinstance(name, str):
        fail(f"{key}.strategy", f"expected a strategy name, got {name!r}")
    for nested in NESTED_PLAYER_KEYS:
        if isinstance(entry.get(nested), dict):
            entry[nested] = _player(entry[nested], f"{key}.{nested}", fail)
    try:
        return make_strategy(name, **entry)
    except ParameterError as error:
        message = str(error)
        if message.startswith(("unknown strategy", "unknown axelrod")):
            fail(f"{key}.strategy", message)
        fail(*_parameter_message(message, key, entry))
    except TypeError as error:
        fail(key, " ".join(str(error).split()))


def _parameter_message(message: str, key: str, parameters: dict) -> tuple[str, str]:
    """``(key path, message)`` for a strategy's complaint about one of its parameters:
    ``"Peer: unknown parameter 'mood' (known: ...)"`` becomes
    ``("players[0].mood", "unknown parameter of Peer (known: ...)")`` and
    ``"Peer: receptivity must be a number, got 'high'"`` becomes
    ``("players[0].receptivity", "must be a number, got 'high' (Peer)")``;
    other messages stay whole under ``key``."""
    unknown = re.fullmatch(r"(?P<who>.+?):? (?:unknown parameter|has no parameter) '(?P<name>[^']+)' (?P<known>\(known: .*\))",
                           message)
    if unknown and unknown["name"] in parameters:
        return f"{key}.{unknown['name']}", f"unknown parameter of {unknown['who']} {unknown['known']}"
    if parameters:
        names = "|".join(re.escape(str(name)) for name in sorted(parameters, key=len, reverse=True))
        problem = re.fullmatch(rf"(?P<who>.+): (?P<name>{names}) (?P<rest>.+)", message)
        if problem:
            return f"{key}.{problem['name']}", f"{problem['rest']} ({problem['who']})"
    return key, message
