"""The architecture: layers import only downward (docs/architecture.md).

Every import inside the package, at module level or inside a function, is read
from the source with :mod:`ast`; a module may import its own layer or those
below it, never one above. A lazy import is still an import: it is the
dependency the layering is about, whenever it runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "learning_dilemma"

# Lowest first. A module belongs to the first entry that is its name or a parent of it.
LAYERS = [
    ("core", ["_version", "errors", "moves", "seeding", "_validation", "_compat", "_lookup", "limits"]),
    ("games", ["games"]),
    ("players", ["players"]),
    ("strategies", ["strategies"]),
    ("engines", ["engine", "markov"]),
    ("play and analysis", ["match", "results", "tournament", "exact", "dynamics"]),
    ("bridge", ["axelrod"]),
    ("networks", ["networks"]),
    ("io", ["io"]),
    ("experiments", ["experiments", "classroom"]),
    ("cli", ["cli", "__main__"]),
    ("facade", ["__init__"]),
]
RANK = {name: rank for rank, (_, names) in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts)


def layer_of(module: str) -> int:
    """The layer of a module given relative to the package (``"io.tables"``)."""
    parts = module.split(".")
    for k in range(len(parts), 0, -1):
        if ".".join(parts[:k]) in RANK:
            return RANK[".".join(parts[:k])]
    raise AssertionError(f"module {module!r} is in no layer: add it to LAYERS in tests/test_layers.py")


def imported_modules(path: Path):
    """``(line, module)`` for each import of a package module, relative to the package."""
    tree = ast.parse(path.read_text(), str(path))
    package = module_name(path).split(".")[:-1]  # the package a relative import starts from
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "learning_dilemma":
                target = node.module.split(".")[1:]
            else:
                continue
            if not target:  # "from . import x" at the top: x is the module
                for alias in node.names:
                    yield node.lineno, alias.name
                continue
            yield node.lineno, ".".join(target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "learning_dilemma" and alias.name != "learning_dilemma":
                    yield node.lineno, ".".join(alias.name.split(".")[1:])


def package_modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_is_in_a_layer():
    for path in package_modules():
        name = module_name(path)
        layer_of(name.removesuffix(".__init__") if name != "__init__" else name)


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_downward(path):
    name = module_name(path)
    own = layer_of(name.removesuffix(".__init__") if name != "__init__" else name)
    upward = []
    for line, target in imported_modules(path):
        if target == "" or target == "__init__":
            continue
        if layer_of(target) > own:
            upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {target} ({LAYERS[layer_of(target)][0]})")
    assert not upward, f"{LAYERS[own][0]} layer module imports upward:\n" + "\n".join(upward)


def test_the_layering_test_reads_relative_imports_right():
    """A known module, read by the same code: match imports the engine and the game."""
    targets = {t for _, t in imported_modules(PACKAGE / "match.py")}
    assert {"engine", "games", "players.automaton", "_validation"} <= targets
    targets = {t for _, t in imported_modules(PACKAGE / "engine" / "vectorised.py")}
    assert {"games", "players.automaton", "seeding"} <= targets
