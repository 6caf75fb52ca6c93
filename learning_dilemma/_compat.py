"""Old names that keep working, each with a one-line deprecation warning.

The second edition moved modules into a layered layout and gave each quantity
one name (``CHANGELOG.md`` lists every rename). Old import paths resolve here,
through a finder on :data:`sys.meta_path`, to the module that replaced them;
old attribute names resolve through :func:`deprecated_alias`.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from importlib.machinery import ModuleSpec

__all__ = [
    "MOVED_MODULES", "MOVED_NAMES", "UNSET", "deprecated_alias", "install", "moved_name", "renamed_argument",
    "warn_renamed",
]

# old module -> the module that replaced it
MOVED_MODULES = {
    "learning_dilemma.analytic": "learning_dilemma.exact",
    "learning_dilemma.automaton": "learning_dilemma.players.automaton",
    "learning_dilemma.demo": "learning_dilemma.classroom.lessons",
    "learning_dilemma.emergence": "learning_dilemma.experiments.emergence",
    "learning_dilemma.evolution": "learning_dilemma.dynamics",
    "learning_dilemma.evolution_batch": "learning_dilemma.dynamics.batch",
    "learning_dilemma.game": "learning_dilemma.games",
    # the first edition's power ladder; Power and bargaining_share live on in games.power
    "learning_dilemma.games.ladder": "learning_dilemma.games.power",
    "learning_dilemma.output": "learning_dilemma.io.outputs",
    "learning_dilemma.player": "learning_dilemma.players.player",
    "learning_dilemma.plots": "learning_dilemma.io.plots",
    "learning_dilemma.pool": "learning_dilemma.engine.executors",
    "learning_dilemma.progress": "learning_dilemma.io.progress",
    "learning_dilemma.report": "learning_dilemma.io.html",
    "learning_dilemma.scenario": "learning_dilemma.io.scenarios",
    "learning_dilemma.svg": "learning_dilemma.io.svg",
    "learning_dilemma.sweep": "learning_dilemma.experiments.sweep",
    "learning_dilemma.cli.format": "learning_dilemma.io.tables",
}


# (module, old name) -> (module, new name) for names that left a module that stayed
MOVED_NAMES = {
    ("learning_dilemma.match", "shadow_of"): ("learning_dilemma._validation", "continuation_of"),
    ("learning_dilemma", "Results"): ("learning_dilemma.results", "TournamentResults"),
    ("learning_dilemma.results", "Results"): ("learning_dilemma.results", "TournamentResults"),
    ("learning_dilemma.tournament", "Results"): ("learning_dilemma.results", "TournamentResults"),
    ("learning_dilemma.exact", "shadow_of"): ("learning_dilemma._validation", "continuation_of"),
}


# The default of an argument that also has a deprecated name: tells "not given" from
# "given at its default value".
UNSET = object()


def renamed_argument(function: str, new: str, new_value, old: str, old_value, default):
    """The value of an argument renamed from ``old`` to ``new``: the new one if
    given, else the old one (with the warning), else ``default``; both given is a
    one-line error."""
    if old_value is UNSET:
        return default if new_value is UNSET else new_value
    if new_value is not UNSET:
        from .errors import ParameterError

        raise ParameterError(f"{function}: give {new} or its deprecated name {old}, not both")
    warn_renamed(f"{function}({old}=...)", f"{function}({new}=...)", stacklevel=4)
    return old_value


def moved_name(module: str, name: str):
    """A module ``__getattr__``'s answer: a moved name, with a warning, or AttributeError."""
    target = MOVED_NAMES.get((module, name))
    if target is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    warn_renamed(f"{module}.{name}", f"{target[0]}.{target[1]}", stacklevel=4)  # the user's line
    return getattr(importlib.import_module(target[0]), target[1])


def warn_renamed(old: str, new: str, stacklevel: int = 3) -> None:
    """The one-line warning every deprecated name gives."""
    warnings.warn(f"{old} is deprecated; use {new} (see CHANGELOG.md)", DeprecationWarning, stacklevel=stacklevel)


class _MovedModuleFinder:
    """Resolves an old module path to the module that replaced it (a meta path
    finder and its loader; duck-typed, since importlib.abc is slow to import)."""

    def __init__(self):
        self._specs = {}  # the real spec of each module an old path resolved to

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED_MODULES:
            return ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        new = MOVED_MODULES[spec.name]
        warn_renamed(f"module {spec.name}", new, stacklevel=3)  # the user's import line (importlib's frames are skipped)
        module = importlib.import_module(new)
        self._specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module):
        # The module is already executed; importlib has just stamped the alias's
        # spec on it, which would misdirect its own relative imports: restore it.
        module.__spec__ = self._specs[module.__name__]


def install() -> None:
    """Put the finder on :data:`sys.meta_path` once."""
    if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedModuleFinder())


def deprecated_alias(old: str, new: str):
    """A property ``old`` that warns and returns attribute path ``new`` (dotted,
    with ``[i]`` allowed for an index, e.g. ``"moves[0]"``); where ``new`` is a
    plain attribute name, setting ``old`` warns and sets it."""

    def getter(self):
        warn_renamed(f"{type(self).__name__}.{old}", f"{type(self).__name__}.{new}")
        value = self
        for part in new.replace("]", "").split("."):
            name, _, index = part.partition("[")
            value = getattr(value, name)
            if index:
                value = value[int(index)]
        return value

    def setter(self, value):
        warn_renamed(f"{type(self).__name__}.{old}", f"{type(self).__name__}.{new}")
        setattr(self, new, value)

    plain = new.isidentifier()
    return property(getter, setter if plain else None, doc=f"Deprecated: use ``{new}``.")
