"""The resumable sweep: the library API (learning_dilemma.experiments.sweep.Sweep) and the sweep command."""

from __future__ import annotations

import csv
import json
from xml.etree import ElementTree

import pytest

from learning_dilemma.cli import main
from learning_dilemma.errors import ParameterError
from learning_dilemma.experiments import journal as journal_module
from learning_dilemma.experiments.emergence import evaluate_point, roster_matrices, scenario_at
from learning_dilemma.experiments.sweep import Axis, Sweep, SweepResult
from learning_dilemma.io.scenarios import load_scenario


def copy_of(tmp_path, name="itcom_insys"):
    path = tmp_path / "mine.toml"
    path.write_text(load_scenario(name).path.read_text())
    return path


# --- the library API -------------------------------------------------------------------

def test_a_sweep_built_and_run_from_python_equals_the_command(tmp_path, capsys):
    sweep = Sweep(load_scenario("delta"), ["continuation=0.6:0.9:3"])
    assert len(sweep.points) == 3 and sweep.axes == [Axis("continuation", (0.6, 0.75, 0.9))]
    result = sweep.run()  # in memory: no journal, no files
    assert isinstance(result, SweepResult) and result.failed == []
    assert [r["continuation"] for r in result.records] == [0.6, 0.75, 0.9]
    assert "3 points, 3 done, 0 failed" in result.summary()
    assert len(result.intervals()) == 1
    result.write(tmp_path / "lib", plots=False)
    assert main(["sweep", "delta", "--vary", "continuation=0.6:0.9:3", "--out", str(tmp_path / "cli"),
                 "--processes", "1", "--quiet", "--no-plots"]) == 0
    assert (tmp_path / "lib" / "sweep.csv").read_text() == (tmp_path / "cli" / "sweep.csv").read_text()


def test_a_sweep_resumes_from_its_directory_and_reports_progress(tmp_path):
    sweep = Sweep.load("itcom_insys", [("continuation", (0.6, 0.9)), "game.power.strength=0,1"])
    progress = []
    first = sweep.run(tmp_path, on_progress=lambda done, total: progress.append((done, total)))
    assert progress[-1] == (4, 4) and (tmp_path / "journal.jsonl").exists()
    ran = []
    again = sweep.run(tmp_path, resume=True, on_results=ran.extend)
    assert ran == [] and again.records == first.records


def test_overrides_make_another_sweep_with_another_fingerprint():
    scenario = load_scenario("delta")
    plain = Sweep(scenario, ["continuation=0.6,0.9"])
    seeded = Sweep(scenario, ["continuation=0.6,0.9"], overrides=["seed=7"])
    assert seeded.scenario.seed == 7 and scenario.seed != 7
    assert plain.fingerprint != seeded.fingerprint
    assert plain.fingerprint == Sweep(load_scenario("delta"), [Axis("continuation", (0.6, 0.9))]).fingerprint


def test_bad_sweeps_are_refused_before_anything_runs(tmp_path):
    scenario = load_scenario("delta")
    with pytest.raises(ParameterError, match="--vary continuation"):
        Sweep(scenario, ["continuation=0.5:1.5:3"])
    with pytest.raises(ParameterError, match="one or two"):
        Sweep(scenario, [])
    with pytest.raises(ParameterError, match="processes"):
        Sweep(scenario, ["continuation=0.6,0.9"]).run(processes=-1)
    with pytest.raises(ParameterError, match="resume needs"):
        Sweep(scenario, ["continuation=0.6,0.9"]).run(resume=True)
    scenario.seed = 99  # changed in Python: the definition no longer describes it
    with pytest.raises(ParameterError, match="changed after it was read"):
        Sweep(scenario, ["continuation=0.6,0.9"])


def test_editing_the_file_after_the_first_chunk_does_not_change_the_running_sweep(tmp_path):
    """The scenario is read once: the workers get the validated scenario, never the path."""
    path = copy_of(tmp_path)
    axes = ["continuation=0.55:0.95:6"]
    clean = Sweep(load_scenario(path), axes).run()
    original = path.read_text()
    edited = original.replace("strength = 0.4", "strength = 1.0")
    assert edited != original
    chunks = []

    def edit_after_the_first_chunk(records):
        chunks.append(len(records))
        if len(chunks) == 1:
            path.write_text(edited)

    running = Sweep(load_scenario(path), axes).run(tmp_path / "run", on_results=edit_after_the_first_chunk)
    assert len(chunks) == 2 and path.read_text() == edited  # the file changed between the two chunks
    running.write(tmp_path / "run", plots=False)
    clean.write(tmp_path / "clean", plots=False)
    assert (tmp_path / "run" / "sweep.csv").read_text() == (tmp_path / "clean" / "sweep.csv").read_text()
    # and the edit matters: a sweep of the edited file differs
    changed = Sweep(load_scenario(path), axes).run()
    changed.write(tmp_path / "changed", plots=False)
    assert (tmp_path / "changed" / "sweep.csv").read_text() != (tmp_path / "clean" / "sweep.csv").read_text()


def test_the_command_reads_the_file_once_too(tmp_path, monkeypatch):
    path = copy_of(tmp_path)
    argv = ["sweep", str(path), "--vary", "continuation=0.55:0.95:6", "--processes", "1", "--quiet", "--no-plots"]
    assert main(argv + ["--out", str(tmp_path / "clean")]) == 0
    record = journal_module.Journal.record
    calls = []

    def record_then_edit(self, *records):
        record(self, *records)
        calls.append(len(records))
        if len(calls) == 1:
            path.write_text(path.read_text().replace("strength = 0.4", "strength = 1.0"))

    monkeypatch.setattr(journal_module.Journal, "record", record_then_edit)
    assert main(argv + ["--out", str(tmp_path / "run")]) == 0
    assert len(calls) == 2 and "strength = 1.0" in path.read_text()
    assert (tmp_path / "run" / "sweep.csv").read_text() == (tmp_path / "clean" / "sweep.csv").read_text()


# --- the sweep command -----------------------------------------------------------------

def test_sweep_command_writes_csv_and_heatmap_and_marks_the_boundary(tmp_path, capsys):
    out = tmp_path / "sweep"
    argv = ["sweep", "itcom_insys", "--vary", "continuation=0.5:0.95:4", "--vary", "game.power.strength=0:1:2",
            "--out", str(out), "--processes", "1", "--quiet"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "8 points, 8 done, 0 failed" in printed and "giving emerges" in printed
    rows = list(csv.DictReader((out / "sweep.csv").open()))
    assert len(rows) == 8 and {r["method"] for r in rows} == {"exact"}
    assert all(0 <= float(r["evolved_give_rate"]) <= 1 for r in rows)
    # the old column name, deprecated, is still written as an identical copy
    assert [r["evolved_giving"] for r in rows] == [r["evolved_give_rate"] for r in rows]
    assert [r["evolved_giving_small_mutations"] for r in rows] == [r["evolved_give_rate_small_mutations"]
                                                                   for r in rows]
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    ElementTree.parse(out / "sweep.svg")
    svg = (out / "sweep.svg").read_text()  # one panel per measure of the evolved give rate
    assert "replicator dynamics from equal shares" in svg and "rare mutations, finite population" in svg
    # The same sweep again with --resume computes nothing new and writes the same table.
    first = (out / "sweep.csv").read_text()
    assert main(argv + ["--resume"]) == 0
    assert (out / "sweep.csv").read_text() == first


def test_sweep_on_processes_equals_serial(tmp_path):
    base = ["sweep", "delta", "--vary", "continuation=0.6:0.9:3", "--quiet", "--no-plots"]
    assert main(base + ["--out", str(tmp_path / "a"), "--processes", "1"]) == 0
    assert main(base + ["--out", str(tmp_path / "b"), "--processes", "2"]) == 0
    assert (tmp_path / "a" / "sweep.csv").read_text() == (tmp_path / "b" / "sweep.csv").read_text()


@pytest.mark.parametrize("spec", ["continuation", "continuation=0.5:1.5:3", "nosuchkey=1,2", "continuation=a:b:3"])
def test_bad_vary_specs_exit_2_with_one_line(spec, tmp_path, capsys):
    assert main(["sweep", "delta", "--vary", spec, "--out", str(tmp_path / "x"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_unreachable_scheduler_exits_2(tmp_path, capsys):
    argv = ["sweep", "delta", "--vary", "continuation=0.6,0.9", "--scheduler", "tcp://127.0.0.1:9",
            "--out", str(tmp_path / "x"), "--quiet"]
    assert main(argv) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


def test_sweep_runs_on_a_local_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        argv = ["sweep", "delta", "--vary", "continuation=0.6,0.9", "--quiet", "--no-plots"]
        assert main(argv + ["--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address]) == 0
    assert main(argv + ["--out", str(tmp_path / "local"), "--processes", "1"]) == 0
    assert (tmp_path / "dask" / "sweep.csv").read_text() == (tmp_path / "local" / "sweep.csv").read_text()


def test_a_failed_point_is_reported_and_the_rest_written(tmp_path, capsys):
    """A status quo of -5 makes Moran fitness negative: that point fails, the other runs."""
    argv = ["sweep", "itcom_insys", "--vary", "game.status_quo=-5,1", "--out", str(tmp_path / "s"),
            "--quiet", "--no-plots", "--processes", "1"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "failed point (game.status_quo=-5)" in err
    rows = list(csv.DictReader((tmp_path / "s" / "sweep.csv").open()))
    assert [r["status"] for r in rows] == ["failed", "ok"]
    assert "fitness" in rows[0]["error"]


@pytest.mark.parametrize("scenario", ["larsson", "race_to_learn", "kite", "delta", "itcom_insys", "itcom_bencons",
                                      "axelrod_classic"])
def test_sweep_runs_on_every_shipped_scenario(scenario, tmp_path):
    argv = ["sweep", scenario, "--vary", "continuation=0.6,0.9", "--out", str(tmp_path / scenario),
            "--quiet", "--no-plots", "--processes", "1"]
    assert main(argv) == 0


def test_two_axis_sweep_on_two_processes_is_identical_to_one(tmp_path):
    base = ["sweep", "larsson", "--vary", "continuation=0.6:0.95:4", "--vary", "game.power.strength=0:1:3",
            "--quiet", "--no-plots"]
    assert main(base + ["--out", str(tmp_path / "one"), "--processes", "1"]) == 0
    assert main(base + ["--out", str(tmp_path / "two"), "--processes", "2"]) == 0
    assert (tmp_path / "one" / "sweep.csv").read_text() == (tmp_path / "two" / "sweep.csv").read_text()


def test_points_whose_replicator_run_has_not_settled_are_flagged(tmp_path, capsys):
    """With power off, larsson's population at w = 0.96 is still moving between the
    Calculative firm and the Forgiving Colleague when the replicator run ends, and
    settles at w = 0.94; the sweep says so in its summary, table and CSV."""
    from learning_dilemma.dynamics import replicator

    larsson = load_scenario("larsson", ["game.power.strength=0"])
    for w, settled in ((0.94, True), (0.96, False)):  # the replicator on its own says so too
        payoffs, gives, _, _ = roster_matrices(scenario_at(larsson, {"continuation": w}))
        assert replicator(payoffs, give_rates=gives).settled is settled
    out = tmp_path / "sweep"
    argv = ["sweep", "larsson", "--set", "game.power.strength=0", "--vary", "continuation=0.94,0.96",
            "--out", str(out), "--processes", "1", "--quiet"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "1 point not settled by the end of the replicator run" in printed
    rows = list(csv.DictReader((out / "sweep.csv").open()))
    assert [r["settled"] for r in rows] == ["True", "False"]
    table = [line.split() for line in printed.splitlines() if line.strip().startswith(("0.940", "0.960"))]
    assert [line[-1] for line in table] == ["yes", "no"]
    svg = (out / "sweep.svg").read_text()
    assert "run not settled" in svg  # the legend of the marked point


def test_resume_refuses_a_journal_from_an_edited_scenario_or_another_version(tmp_path, capsys, monkeypatch):
    scenario = copy_of(tmp_path)
    out = tmp_path / "sweep"
    argv = ["sweep", str(scenario), "--vary", "continuation=0.6,0.9", "--out", str(out), "--processes", "1",
            "--quiet", "--no-plots"]
    assert main(argv) == 0
    assert main(argv + ["--resume"]) == 0  # unchanged: resumes
    monkeypatch.setattr(journal_module, "RECORD_VERSION", journal_module.RECORD_VERSION + 1)
    capsys.readouterr()
    assert main(argv + ["--resume"]) == 2
    assert "older version of learning-dilemma" in capsys.readouterr().err
    monkeypatch.undo()
    # The fingerprint covers the validated scenario: a comment changes nothing, a value does.
    scenario.write_text(scenario.read_text() + "\n# edited\n")
    assert main(argv + ["--resume"]) == 0
    scenario.write_text(scenario.read_text().replace("repetitions = 200", "repetitions = 199"))
    assert main(argv + ["--resume"]) == 2
    assert "different sweep" in capsys.readouterr().err


@pytest.mark.parametrize("header", [{"sweep": "0123456789abcdef"}, {"sweep": "0123456789abcdef", "record_version": 2}])
def test_resume_refuses_a_journal_written_with_the_old_column_name(header, tmp_path, capsys):
    """Journals of record version 2 name the give rate ``evolved_giving``: refused, never mixed."""
    out = tmp_path / "sweep"
    out.mkdir()
    old = {"index": 0, "continuation": 0.6, "status": "ok", "method": "exact", "winner": "X", "winner_payoff": 1.0,
           "give_rate": 0.5, "evolved_giving": 0.5, "settled": True, "evolved_giving_small_mutations": 0.5,
           "survivors": "X"}
    journal = out / "journal.jsonl"
    journal.write_text(json.dumps(header) + "\n" + json.dumps(old) + "\n")
    argv = ["sweep", "delta", "--vary", "continuation=0.6,0.9", "--out", str(out), "--processes", "1", "--quiet",
            "--no-plots", "--resume"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "older version of learning-dilemma" in err and err.count("\n") == 1
    assert not (out / "sweep.csv").exists() and json.loads(journal.read_text().splitlines()[1]) == old
    assert main(argv[:-1]) == 0  # without --resume: a fresh journal, new names
    assert "evolved_give_rate" in journal.read_text().splitlines()[1]


def test_the_default_sweep_folder_is_named_safely_from_the_scenario(tmp_path, monkeypatch):
    from learning_dilemma.cli import main

    scenario = tmp_path / "escape.toml"
    scenario.write_text('name = "../../escaped"\nturns = 5\nrepetitions = 1\n'
                        '[[players]]\nstrategy = "Peer"\n[[players]]\nstrategy = "Expert"\n')
    work = tmp_path / "work" / "here"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    assert main(["sweep", str(scenario), "--vary", "continuation=0.5,0.6", "--quiet"]) == 0
    assert (work / "sweep-escaped").is_dir() and not (tmp_path / "escaped").exists()


def test_a_sweep_into_a_path_under_a_file_is_refused_before_any_work(tmp_path, capsys):
    from learning_dilemma.cli import main

    (tmp_path / "afile").write_text("x")
    status = main(["sweep", "larsson", "--vary", "continuation=0.5,0.6", "--out", str(tmp_path / "afile" / "x"),
                   "--quiet"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "afile is not a directory" in err


def test_sigterm_is_an_interruption_with_its_own_status(monkeypatch, capsys):
    """SIGTERM mid-command runs the clean-up of Ctrl-C and exits 143 (128 + 15)."""
    import signal

    from learning_dilemma import cli

    before = signal.getsignal(signal.SIGTERM)
    build = cli.build_parser

    def parser_whose_command_is_terminated():
        parser = build()
        known = parser.parse_known_args

        def parse_known_args(argv):
            args, unknown = known(argv)
            args.run = lambda _: signal.raise_signal(signal.SIGTERM)
            return args, unknown

        parser.parse_known_args = parse_known_args
        return parser

    monkeypatch.setattr(cli, "build_parser", parser_whose_command_is_terminated)
    assert cli.main(["strategies"]) == cli.EXIT_TERMINATED == 143
    assert capsys.readouterr().err == "learning-dilemma: interrupted\n"
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is the command's only


def test_a_sweep_over_the_overlap_and_a_domains_overlap(tmp_path):
    """The competitive overlap (issue 15) is swept point by point (the strategies' tables read
    the game); a scenario with domains sweeps a domain's overlap, and refuses one overlap."""
    result = Sweep(load_scenario("larsson"), ["game.overlap=0:1:3"]).run()
    assert [r["game.overlap"] for r in result.records] == [0.0, 0.5, 1.0]
    assert all(r["status"] == "ok" and r["method"] == "exact" for r in result.records)
    assert len({r["winner_payoff"] for r in result.records}) == 3
    # Bencons: Insys's three prior rounds make full ties, so its two sides give and learn alike
    # and their mutual giving pays the same at any overlap (the positional part cancels)
    bencons = load_scenario("itcom_bencons")
    services = Sweep(bencons, [("game.domains[1].overlap", (0.0, 1.0))]).run()
    file_value = evaluate_point(bencons, {})["winner_payoff"]  # the file's services overlap is 1.0
    assert services.records[1]["winner_payoff"] == pytest.approx(file_value, abs=1e-9)
    assert services.records[0]["winner_payoff"] != pytest.approx(file_value, abs=1e-6)
    with pytest.raises(ParameterError, match=r"^--vary game.overlap: .*itcom_insys.toml: game.overlap: give either"):
        Sweep(load_scenario("itcom_insys"), ["game.overlap=0,1"])
