"""The public namespace (after mesa's tests/test_import_namespace.py): what the
README and tutorial use is importable from the top, every module says what it
exports, and the top-level import stays light."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import learning_dilemma

PACKAGE = Path(learning_dilemma.__file__).resolve().parent
MODULES = sorted(
    ".".join(("learning_dilemma", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts and p.name != "__main__.py"
)
# Modules that need an optional extra (axelrod is a dependency, but importing it is slow).
HEAVY = ("learning_dilemma.axelrod",)


def test_the_facade_exports_what_users_reach_for_first():
    for name in ("Tournament", "TournamentResults", "Match", "MatchResult", "MatchBatch", "LearningGame", "Power",
                 "Player", "Automaton", "Scenario", "load_scenario", "expected_payoffs", "critical_continuation",
                 "evolve", "ParameterError", "GIVE", "TAKE", "Move"):
        assert name in learning_dilemma.__all__, name
        assert getattr(learning_dilemma, name) is not None
    assert set(learning_dilemma.__all__) <= set(dir(learning_dilemma))


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_all_and_every_name_in_it_exists(name):
    path = PACKAGE.joinpath(*name.split(".")[1:])
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    tree = ast.parse(path.read_text())
    declared = [node for node in tree.body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)]
    assert declared, f"{name} has no __all__"
    if name.startswith(HEAVY):
        return
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it does not define: {missing}"


def test_import_is_light():
    """`import learning_dilemma` loads none of the heavy dependencies."""
    code = ("import sys, learning_dilemma; "
            "print(','.join(m for m in ('axelrod', 'matplotlib', 'dask', 'networkx', 'scipy') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""


def test_old_module_paths_resolve_to_the_new_modules_with_a_warning():
    from learning_dilemma._compat import MOVED_MODULES

    for old, new in MOVED_MODULES.items():
        sys.modules.pop(old, None)
        with pytest.warns(DeprecationWarning, match=f"module {old} is deprecated; use {new}"):
            module = importlib.import_module(old)
        assert module is importlib.import_module(new)


def test_a_user_script_sees_the_warning_of_an_old_name_under_default_filters(tmp_path):
    """Python shows a DeprecationWarning by default only when it is attributed to
    ``__main__``: the warning must point at the user's own line."""
    script = tmp_path / "old.py"
    script.write_text("import learning_dilemma.game\nfrom learning_dilemma.match import shadow_of\n"
                      "from learning_dilemma.tournament import Results\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert f"{script}:1: DeprecationWarning: module learning_dilemma.game is deprecated" in result.stderr
    assert f"{script}:2: DeprecationWarning: learning_dilemma.match.shadow_of is deprecated" in result.stderr
    assert f"{script}:3: DeprecationWarning: learning_dilemma.tournament.Results is deprecated" in result.stderr


def test_every_moved_name_still_imports_with_a_warning():
    from learning_dilemma._compat import MOVED_NAMES

    for (module, name), (new_module, new_name) in MOVED_NAMES.items():
        with pytest.warns(DeprecationWarning, match=f"{module}.{name} is deprecated"):
            value = getattr(importlib.import_module(module), name)
        assert value is getattr(importlib.import_module(new_module), new_name)
