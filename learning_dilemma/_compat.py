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

__all__ = ["MOVED_MODULES", "deprecated_alias", "install", "warn_renamed"]

# old module -> the module that replaced it
MOVED_MODULES = {
    "learning_dilemma.analytic": "learning_dilemma.exact",
    "learning_dilemma.automaton": "learning_dilemma.players.automaton",
    "learning_dilemma.demo": "learning_dilemma.classroom.lessons",
    "learning_dilemma.emergence": "learning_dilemma.experiments.emergence",
    "learning_dilemma.evolution": "learning_dilemma.dynamics",
    "learning_dilemma.evolution_batch": "learning_dilemma.dynamics.batch",
    "learning_dilemma.game": "learning_dilemma.games",
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


def warn_renamed(old: str, new: str, stacklevel: int = 3) -> None:
    """The one-line warning every deprecated name gives."""
    warnings.warn(f"{old} is deprecated; use {new} (see CHANGELOG.md)", DeprecationWarning, stacklevel=stacklevel)


class _MovedModuleFinder:
    """Resolves an old module path to the module that replaced it (a meta path
    finder and its loader; duck-typed, since importlib.abc is slow to import)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED_MODULES:
            return ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        new = MOVED_MODULES[spec.name]
        warn_renamed(f"module {spec.name}", new, stacklevel=6)
        return importlib.import_module(new)

    def exec_module(self, module):
        pass  # the replacement module is already executed


def install() -> None:
    """Put the finder on :data:`sys.meta_path` once."""
    if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedModuleFinder())


def deprecated_alias(old: str, new: str):
    """A read-only property ``old`` that warns and returns attribute path ``new``
    (dotted, with ``[i]`` allowed for an index, e.g. ``"moves[0]"``)."""

    def getter(self):
        warn_renamed(f"{type(self).__name__}.{old}", f"{type(self).__name__}.{new}")
        value = self
        for part in new.replace("]", "").split("."):
            name, _, index = part.partition("[")
            value = getattr(value, name)
            if index:
                value = value[int(index)]
        return value

    return property(getter, doc=f"Deprecated: use ``{new}``.")
