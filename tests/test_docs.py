"""Every code example in the README and docs/ runs.

```python blocks are executed (blocks of one file share a namespace, in order, so a
page can build on its earlier examples); ```console blocks have each
``$ learning-dilemma ...`` line run through the CLI's ``main`` and must exit 0.
Examples that write files run in a temporary directory.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from learning_dilemma.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```(python|console)\n(.*?)^```", re.S | re.M)


def blocks(page: Path, language: str) -> list[str]:
    return [code for lang, code in BLOCK.findall(page.read_text()) if lang == language]


def commands(page: Path) -> list[list[str]]:
    found = []
    for code in blocks(page, "console"):
        for line in code.splitlines():
            if line.startswith("$ learning-dilemma"):
                found.append(shlex.split(line[2:], comments=True)[1:])
    return found


def test_the_pages_have_examples():
    assert blocks(ROOT / "README.md", "python")
    assert commands(ROOT / "README.md")


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p, "python")], ids=lambda p: p.name)
def test_python_examples_run(page, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": f"docs_{page.stem}"}
    for number, code in enumerate(blocks(page, "python"), 1):
        try:
            exec(compile(code, f"{page.name} python block {number}", "exec"), namespace)
        except Exception as error:  # name the block, then fail
            pytest.fail(f"{page.name} python block {number} failed: {error!r}")


@pytest.mark.parametrize(
    "page, argv",
    [(p, argv) for p in PAGES for argv in commands(p)],
    ids=lambda value: value.name if isinstance(value, Path) else " ".join(value)[:60],
)
def test_console_examples_run(page, argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 0, capsys.readouterr().err


def test_readme_match_example_prints_what_it_says(capsys):
    """The README's comments state outputs; check the ones it states."""
    code = blocks(ROOT / "README.md", "python")[0]
    exec(code, {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "GT TT TT TT TT TT TT TT TT TT"
    assert printed[1] == "(9.0, 14.0)"


def test_every_builtin_strategy_is_mapped_to_the_seeds():
    from learning_dilemma.strategies import ALL_STRATEGIES

    page = (ROOT / "docs" / "strategies.md").read_text()
    missing = [cls.name for cls in ALL_STRATEGIES if cls.name not in page]
    assert missing == []


def test_the_reference_lists_every_command():
    from learning_dilemma.cli import COMMANDS

    page = (ROOT / "docs" / "reference.md").read_text()
    assert [name for name in COMMANDS if f"`{name}" not in page] == []
