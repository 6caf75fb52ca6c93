"""Writing results: atomic files, tidy CSV, JSON, and all-or-nothing directories."""

from __future__ import annotations

import csv
import io
import json
import os

import numpy as np
import pytest

from learning_dilemma import __version__

from learning_dilemma.io import outputs as output
from learning_dilemma.errors import ParameterError
from learning_dilemma.io.scenarios import load_scenario
from learning_dilemma.strategies import Cooperator, Defector
from learning_dilemma.tournament import Tournament


@pytest.fixture(scope="module")
def results():
    # Power off, r = 1: the Defector takes T = 5 every round, the Cooperator gets S = 0.
    return Tournament([Cooperator(), Defector()], turns=3, repetitions=2, seed=4).play()


def test_write_bytes_replaces_whole_files_and_leaves_no_temporaries(tmp_path):
    path = tmp_path / "a.txt"
    output.write_text(path, "old")
    output.write_text(path, "new")
    assert path.read_text() == "new" and os.listdir(tmp_path) == ["a.txt"]
    with pytest.raises(TypeError):
        output.write_bytes(path, "not bytes")  # fails while writing the temporary file
    assert path.read_text() == "new" and os.listdir(tmp_path) == ["a.txt"]


def test_written_files_get_the_usual_mode(tmp_path):
    mask = os.umask(0o022)
    try:
        output.write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(mask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_csv_text_round_trips_numpy_values_and_blanks_nan():
    rows = [{"a": np.int64(1), "b": np.float64(0.25), "c": float("nan")}, {"a": 2, "b": 1.0, "c": "x,y"}]
    back = list(csv.DictReader(io.StringIO(output.csv_text(rows))))
    assert back == [{"a": "1", "b": "0.25", "c": ""}, {"a": "2", "b": "1.0", "c": "x,y"}]
    assert output.csv_text([]) == ""


def test_json_text_is_strict_json():
    text = output.json_text({"x": np.arange(3), "y": np.float64("nan"), "z": np.bool_(True)})
    assert json.loads(text) == {"x": [0, 1, 2], "y": None, "z": True}


def test_tidy_rows_lead_with_the_run(results):
    rows = output.tidy_rows(results.summary(), results, load_scenario("delta", ["repetitions=1"]))
    assert list(rows[0])[:4] == ["scenario", "seed", "version", "rank"]
    assert rows[0]["scenario"] == "delta" and rows[0]["seed"] == 4 and rows[0]["version"] == __version__
    assert output.tidy_rows(results.summary(), results)[0]["scenario"] is None


def test_results_document_records_version_metadata_and_tables(results):
    scenario = load_scenario("delta", ["repetitions=1"])
    document = json.loads(output.json_text(output.results_document(results, scenario)))
    assert document["learning_dilemma_version"] == __version__
    assert document["scenario"]["name"] == "delta" and document["scenario"]["definition"]["repetitions"] == 1
    assert document["metadata"]["seed"] == 4 and document["metadata"]["turns"] == 3
    assert document["ranking"] == ["Defector", "Cooperator"]
    assert document["summary"][0]["mean_payoff"] == pytest.approx(5.0)
    assert document["summary"][1]["give_rate"] == pytest.approx(1.0)
    assert len(document["pairings"]) == 2 and document["mutual_giving_rate"] == 0.0


def test_write_results_writes_tidy_files_matching_the_results(tmp_path, results):
    written = output.write_results(results, tmp_path / "out", plots=False)
    assert sorted(p.name for p in written) == ["pairings.csv", "results.json", "summary.csv"]
    summary = list(csv.DictReader((tmp_path / "out" / "summary.csv").open()))
    assert [row["player"] for row in summary] == ["Defector", "Cooperator"]
    assert [float(row["mean_payoff"]) for row in summary] == pytest.approx([5.0, 0.0])
    assert [float(row["give_rate"]) for row in summary] == pytest.approx([0.0, 1.0])
    pairings = list(csv.DictReader((tmp_path / "out" / "pairings.csv").open()))
    assert {(row["player"], row["opponent"], float(row["payoff"])) for row in pairings} == {
        ("Cooperator", "Defector", 0.0), ("Defector", "Cooperator", 5.0)}
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(tmp_path / "out" / "pairings.csv")
    assert frame["payoff"].dtype.kind == "f" and set(frame["version"]) == {__version__}
    assert os.listdir(tmp_path) == ["out"]  # the staging directory is gone


def test_written_tables_carry_learning_exits_duration_and_stakes(tmp_path):
    """The second edition's figures reach the files under the results' names:
    learning, stakes left (blank with stakes off), exits, race-over endings,
    duration and share of rounds open, and the surplus beside joint learning."""
    scenario = load_scenario("race_to_learn", ["repetitions=2"])
    results = scenario.tournament().play()
    output.write_results(results, tmp_path / "out", scenario, plots=False)
    summary = list(csv.DictReader((tmp_path / "out" / "summary.csv").open()))
    columns = ["learning", "stakes_left", "exits", "race_over", "duration", "open_share"]
    assert set(columns) <= set(summary[0])
    for row, expected in zip(summary, results.summary()):
        assert [float(row[c]) for c in columns] == pytest.approx([expected[c] for c in columns])
    pairings = list(csv.DictReader((tmp_path / "out" / "pairings.csv").open()))
    assert {"joint_learning", "surplus", *columns} <= set(pairings[0])
    document = json.loads((tmp_path / "out" / "results.json").read_text())
    for name in ("exit_rate", "race_over_rate", "open_rate"):
        assert document[name] == pytest.approx(getattr(results, name)), name
    assert document["exit_rate"] > 0 and document["race_over_rate"] > 0 and document["open_rate"] < 1


def test_the_html_report_shows_learning_exits_and_duration():
    from learning_dilemma.io.html import render

    scenario = load_scenario("race_to_learn", ["repetitions=2"])
    results = scenario.tournament().play()
    page = render("race", "a test", [("seed", 1)], results)
    start = page.index('<section id="learning-and-the-alliance">')
    section = page[start:page.index("</section>", start)]
    for row in results.summary():
        for name in ("learning", "exits", "open_share", "duration", "stakes_left"):
            assert f'<td class="num">{row[name]:.3f}</td>' in section, (row["player"], name)
    assert f"{results.exit_rate:.1%} ended because a player left" in section
    assert f"{results.race_over_rate:.1%} because one side had learned all it came for" in section
    power = page[page.index('<section id="power">'):]
    assert "power position z = K_partner - K_own" in power and "ladder" not in page


def test_stakes_left_is_blank_without_stakes(results):
    rows = list(csv.DictReader(io.StringIO(output.csv_text(results.summary()))))
    assert [row["stakes_left"] for row in rows] == ["", ""]
    document = json.loads(output.json_text(output.results_document(results)))
    assert [row["stakes_left"] for row in document["summary"]] == [None, None]
    # the defector learned every round from the cooperator, which learned nothing
    assert [row["learning"] for row in document["summary"]] == [1.0, 0.0]
    assert document["exit_rate"] == 0.0 and document["open_rate"] == 1.0


def test_staged_directory_moves_everything_or_nothing(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(RuntimeError):
        with output.staged_directory(target) as staging:
            output.write_text(staging / "a.csv", "1")
            raise RuntimeError("plotting failed")
    assert os.listdir(tmp_path) == []
    target.mkdir()
    output.write_text(target / "a.csv", "old")
    output.write_text(target / "keep.txt", "mine")
    with output.staged_directory(target) as staging:
        output.write_text(staging / "a.csv", "new")
    assert (target / "a.csv").read_text() == "new" and (target / "keep.txt").read_text() == "mine"
    assert os.listdir(tmp_path) == ["out"]


def test_staged_directory_refuses_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ParameterError, match="not a directory"):
        with output.staged_directory(tmp_path / "file"):
            pass
    assert os.listdir(tmp_path) == ["file"]


# --- safe names, safe cells, stale temporaries, destinations (issue 13) ---------------

@pytest.mark.parametrize("name, expected", [
    ("../../../../elsewhere/x", "elsewhere_x"), ("kite", "kite"), ("a b\nc", "a_b_c"), ("", "output"),
    ("..", "output"), (".hidden", "hidden"), ("-rf", "rf"), ("a\x00b", "a_b"), ("con", "_con"),
    ("C:\\Windows\\x", "C_Windows_x"), ("x" * 300, "x" * 100), ("Ünïcode ☃", "Ünïcode"), ("a／b", "a_b"),
])
def test_safe_name_keeps_a_name_inside_its_folder(name, expected):
    safe = output.safe_name(name)
    assert safe == expected
    assert "/" not in safe and "\\" not in safe and ".." not in safe and not safe.startswith((".", "-"))


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("a\x00b", "a b"), ("a\r\nb", "a  b"), ("\tx", "' x"), ("Peer", "Peer"), (-1.5, -1.5), (None, None),
])
def test_safe_cell_keeps_spreadsheets_from_reading_formulas(cell, expected):
    assert output.safe_cell(cell) == expected


def test_csv_cells_are_safe_and_numbers_stay_numbers():
    rows = [{"player": "=cmd|' /C calc'!A0", "label": "a\r\nb\x00", "payoff": -1.5, "rank": 1}]
    text = output.csv_text(rows)
    assert text.count("\n") == 2  # the header and one row: no line breaks inside a cell
    back = next(csv.DictReader(io.StringIO(text)))
    assert back == {"player": "'=cmd|' /C calc'!A0", "label": "a  b ", "payoff": "-1.5", "rank": "1"}


def test_a_killed_writers_partial_files_are_removed_by_the_next_write(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(dead.stdout)
    (tmp_path / f".out.partial-{pid}-abc").mkdir()
    (tmp_path / f".out.partial-{pid}-abc" / "summary.csv").write_text("half")
    (tmp_path / f".r.html.partial-{pid}-xyz").write_text("half")
    (tmp_path / f".mine.partial-{os.getpid()}-abc").write_text("still being written")
    (tmp_path / ".keep").write_text("not ours")
    output.write_text(tmp_path / "a.txt", "x")
    assert sorted(os.listdir(tmp_path)) == [".keep", f".mine.partial-{os.getpid()}-abc", "a.txt"]


def test_errors_name_the_users_path_not_a_temporary(tmp_path, monkeypatch):
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".a.txt.partial-1-x"))

    monkeypatch.setattr(output.os, "replace", full)
    with pytest.raises(OSError) as caught:
        output.write_text(tmp_path / "a.txt", "x")
    assert caught.value.filename == str(tmp_path / "a.txt") and caught.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path) == []


def test_write_bytes_creates_missing_folders_and_removes_them_on_failure(tmp_path, monkeypatch):
    output.write_text(tmp_path / "a" / "b" / "c.txt", "x")
    assert (tmp_path / "a" / "b" / "c.txt").read_text() == "x"

    def broken(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(output.os, "replace", broken)
    with pytest.raises(OSError):
        output.write_text(tmp_path / "x" / "y" / "z.txt", "x")
    assert sorted(os.listdir(tmp_path)) == ["a"]


@pytest.mark.parametrize("make, path, directory, words", [
    ("file", "f/x", True, "f is not a directory"),
    ("file", "f/x/y.html", False, "f is not a directory"),
    ("file", "f", True, "exists and is not a directory"),
    ("dir", "d", False, "is a directory"),
])
def test_check_destination_refuses_what_cannot_be_written(tmp_path, monkeypatch, make, path, directory, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f").write_text("x") if make == "file" else (tmp_path / "d").mkdir()
    with pytest.raises(ParameterError, match=words):
        output.check_destination(path, "--out", directory=directory)
    assert output.check_destination("new/place/out", "--out", directory=True).name == "out"


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    scenario = load_scenario("delta", ["repetitions=2"])
    for folder in ("one", "two"):
        output.write_results(scenario.tournament().play(), tmp_path / folder, scenario)
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert sorted(one) == sorted(two) and len(one) == 9
    assert [name for name in one if one[name] != two[name]] == []


def test_a_control_character_cannot_hide_a_formula_in_a_csv_cell():
    from learning_dilemma.io.outputs import safe_cell

    assert safe_cell("\x01=cmd") == "' =cmd" and safe_cell("\n=1+1") == "' =1+1" and safe_cell(" @x") == "' @x"
