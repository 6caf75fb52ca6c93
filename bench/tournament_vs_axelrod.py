"""Benchmark: the same round robin through axelrod's Tournament.play and through ours.

Issue 5, item 5: the 12-strategy round robin (Cooperator, Defector, TitForTat,
Grudger, TitFor2Tats, WinStayLoseShift, GTFT, Random, SuspiciousTitForTat,
Alternator, HardTitForTat, ZDExtort2; 200 turns, 10 repetitions, the first
edition's limit: stakes off, no tacitness)
run through axelrod's ``Tournament.play`` and through ours in one process run,
with both times, turns per second and the ratio; then the start-up time of
``learning-dilemma tournament`` on the default scenario against
``python -c "import axelrod"``.

Targets: ours at least 5x faster than axelrod on the tournament itself, and the
default scenario done, start-up included, faster than axelrod can be imported.

Both sides play the same 78 pairings (axelrod's round robin includes each
player against itself, so ours runs with ``self_play=True``) and build their
results (ours: ranking, summary and matrices). Each timing is the best of
``--repeat`` runs, each with freshly made players.

Run: ``.venv/bin/python bench/tournament_vs_axelrod.py`` (about a minute,
most of it importing axelrod three times).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TURNS = 200
REPETITIONS = 10
SEED = 1
AXELROD_NAMES = (
    "Cooperator", "Defector", "TitForTat", "Grudger", "TitFor2Tats", "WinStayLoseShift", "GTFT", "Random",
    "SuspiciousTitForTat", "Alternator", "HardTitForTat", "ZDExtort2",
)
# Our namesakes of AXELROD_NAMES, in the same order (our classic family has more).
OUR_NAMES = (
    "Cooperator", "Defector", "Tit For Tat", "Grudger", "Tit For 2 Tats", "Win-Stay Lose-Shift", "GTFT", "Random",
    "Suspicious Tit For Tat", "Alternator", "Hard Tit For Tat", "ZD-Extort-2",
)
TARGET_RATIO = 5.0


def our_classes():
    from learning_dilemma.strategies import CLASSIC

    by_name = {cls.name: cls for cls in CLASSIC}
    return [by_name[name] for name in OUR_NAMES]


def our_players():
    return [cls() for cls in our_classes()]  # the same twelve, in the same order


def play_ours():
    from learning_dilemma.tournament import Tournament

    results = Tournament(our_players(), turns=TURNS, repetitions=REPETITIONS, seed=SEED, self_play=True).play()
    results.summary()  # axelrod's play builds its whole result set: so do we
    results.pairings()
    return results


def play_axelrod(processes: int):
    import axelrod as axl

    players = [getattr(axl, name)() for name in AXELROD_NAMES]
    tournament = axl.Tournament(players, turns=TURNS, repetitions=REPETITIONS, seed=SEED)
    return tournament.play(processes=processes, progress_bar=False)


def best_of(repeat: int, run):
    """The shortest of ``repeat`` wall-clock times, and the last run's result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def command_time(command: list[str], repeat: int, cwd: str):
    """Best wall-clock time of a command, or the reason it cannot run."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            return None, f"exit {done.returncode}: {lines[-1] if lines else ''}"
    return min(times), None


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("learning-dilemma")
    if script.exists():
        return [str(script)]
    found = shutil.which("learning-dilemma")
    return [found] if found else [sys.executable, "-m", "learning_dilemma"]


def tournament_command_available(command: list[str]) -> bool:
    done = subprocess.run(command + ["tournament", "--help"], capture_output=True, text=True)
    return done.returncode == 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the best counts (default 3)")
    parser.add_argument("--no-parallel", action="store_true", help="skip axelrod's parallel mode")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up comparison")
    args = parser.parse_args(argv)

    n = len(AXELROD_NAMES)
    pairings = n * (n + 1) // 2
    turns = pairings * REPETITIONS * TURNS
    print(f"round robin: {n} strategies, {pairings} pairings (self-play included), "
          f"{TURNS} turns, {REPETITIONS} repetitions = {turns:,} turns; stakes off; best of {args.repeat}")

    start = time.perf_counter()
    import axelrod  # noqa: F401  (timed here once; the start-up section times it cold)

    print(f"  (import axelrod {axelrod.__version__} in this process: {time.perf_counter() - start:.2f} s)")

    axelrod_time, reference = best_of(args.repeat, lambda: play_axelrod(1))
    report("axelrod Tournament.play, processes=1", axelrod_time, turns)
    cpus = os.cpu_count() or 1
    if not args.no_parallel and cpus > 1:
        parallel_time, _ = best_of(args.repeat, lambda: play_axelrod(cpus))
        report(f"axelrod Tournament.play, processes={cpus}", parallel_time, turns)
    play_ours()  # warm up numpy's first-call paths, as axelrod's first run warmed its own
    our_time, ours = best_of(args.repeat, play_ours)
    report("learning-dilemma Tournament.play", our_time, turns)
    ratio = axelrod_time / our_time
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"  ratio axelrod / ours (1 process): {ratio:.0f}x   (target >= {TARGET_RATIO:g}x: {verdict})")
    agreement(ours, reference)

    if not args.no_startup:
        startup(args.repeat)
    return 0


def report(what: str, seconds: float, turns: int) -> None:
    print(f"  {what:<42} {seconds:8.3f} s   {turns / seconds:>12,.0f} turns/s")


def agreement(ours, reference) -> None:
    """At the first edition's limit (stakes off, no tacitness, full overlap,
    receptivity 1) the learning game is Axelrod's; deterministic strategies must
    then score identically (stochastic ones differ by sampling)."""
    from learning_dilemma._validation import continuation_of
    from learning_dilemma.players.automaton import MatchContext

    context = MatchContext(ours.game, continuation_of(TURNS, None))
    deterministic = np.array([cls().compiled(context).is_deterministic for cls in our_classes()])
    both = deterministic[:, None] & deterministic[None, :]
    difference = np.abs(ours.payoff_matrix - np.array(reference.payoff_matrix))
    print(f"  payoff matrix vs axelrod: max |difference| {difference[both].max():.2g} over the "
          f"{deterministic.sum()} deterministic strategies, {difference[~both].max():.2f} where chance plays")
    # axelrod leaves self-interactions out of its scores; ours counts them (self-play on).
    same = ours.ranking == list(reference.ranking)
    print(f"  ranking: {'same as' if same else 'differs from'} axelrod's"
          + ("" if same else f" (ours {ours.ranking}, axelrod {list(reference.ranking)})"))


def startup(repeat: int) -> None:
    command = cli_command()
    print(f"start-up, best of {repeat} (a fresh process each time):")
    with tempfile.TemporaryDirectory() as scratch:
        if tournament_command_available(command):
            ours, error = command_time(command + ["tournament"], repeat, scratch)
            line = f"{ours:.2f} s" if ours is not None else f"failed ({error})"
        else:
            ours, line = None, "skipped: command not available"
        print(f"  `learning-dilemma tournament` (default scenario, done): {line}")
        theirs, error = command_time([sys.executable, "-c", "import axelrod"], repeat, scratch)
        print(f"  `python -c \"import axelrod\"`:                         "
              + (f"{theirs:.2f} s" if theirs is not None else f"failed ({error})"))
    if ours is not None and theirs is not None:
        verdict = "met" if ours < theirs else "NOT met"
        print(f"  the default scenario finishes {theirs / ours:.0f}x faster than axelrod imports "
              f"(target: faster: {verdict})")


if __name__ == "__main__":
    sys.exit(main())
