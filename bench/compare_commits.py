"""Benchmark: this tree against a base commit, side by side in one run.

    .venv/bin/python bench/compare_commits.py                  # base 4859c4a, about two minutes
    .venv/bin/python bench/compare_commits.py --base 4859c4a --new HEAD --repeat 5

The base commit (and ``--new`` if given; default: the working tree as it is) is
checked out into a temporary ``git worktree``, removed at the end. Every
repetition of every case runs in a fresh Python process (this interpreter, with
``PYTHONPATH`` set to one tree, BLAS held to one thread), which times the case
alone, after its imports; the table shows the best of ``--repeat`` runs, as CPU
time (process time, steady when other work shares the CPUs) and wall time. Base
and new alternate, so a slow spell of the machine hits both.

Cases (only API both trees share: old module paths still work on the new tree,
with a deprecation warning, but the new tree is driven through its new paths):

- default tournament: ``load_scenario("larsson").tournament().play()``
  (15 players, continuation 0.9, 20 repetitions, power strength 0.5);
- default tournament, whole process: the same, start-up and imports included
  (wall time of the child process, as ``learning-dilemma tournament`` feels);
- large tournament: the 30 built-in strategies of 4859c4a, 200 turns, 10 repetitions,
  power strength 0.5;
- exact payoff matrix: ``payoff_matrix`` of the larsson roster at continuation
  0.95, power strength 0.5 (the Markov-chain engine);
- exact grid 20 x 20: ``payoff_matrices`` of the larsson roster over 20
  continuation values in [0.5, 0.99] and 20 power strengths in [0, 1].
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS", "BLIS_NUM_THREADS")

CASES = {
    "default tournament": "tournament",
    "default tournament, whole process": "startup",
    "large tournament (30 players, 200 turns, 10 reps)": "large",
    "exact payoff_matrix (larsson, w=0.95)": "exact",
    "exact payoff_matrices (20 x 20 grid)": "grid",
}

# Run in the child: times one case once and prints {"seconds": ..., "file": ...}.
CHILD = r'''
import json, os, sys, time, warnings
warnings.simplefilter("ignore", DeprecationWarning)
# An editable install of the project in this environment would answer for any
# module the tree lacks: drop its finder, so every module comes from PYTHONPATH.
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
case = sys.argv[1]
import learning_dilemma
new_layout = os.path.isdir(os.path.join(os.path.dirname(learning_dilemma.__file__), "exact"))
if new_layout:
    from learning_dilemma.io.scenarios import load_scenario
    from learning_dilemma import exact as analytic
else:
    from learning_dilemma.scenario import load_scenario
    from learning_dilemma import analytic
from learning_dilemma import LearningGame
from learning_dilemma.tournament import Tournament
from learning_dilemma.strategies import ALL_STRATEGIES
import numpy as np

if case in ("tournament", "startup"):
    def work():
        return load_scenario("larsson").tournament().play()
elif case == "large":
    # the 30 strategies 4859c4a ships, in its order (later strategies come after them)
    players = [cls() for cls in ALL_STRATEGIES[:30]]
    assert len(players) == 30 and type(players[-1]).__name__ == "ZDExtort2", [type(p).__name__ for p in players]
    game = LearningGame().with_power(strength=0.5)
    def work():
        return Tournament(players, game=game, turns=200, repetitions=10, seed=1).play()
elif case == "exact":
    scenario = load_scenario("larsson")
    game = scenario.game.with_power(strength=0.5)
    def work():
        return analytic.payoff_matrix(scenario.players, game, continuation=0.95)
elif case == "grid":
    scenario = load_scenario("larsson")
    def work():
        return analytic.payoff_matrices(scenario.players, scenario.game,
                                        continuations=np.linspace(0.5, 0.99, 20),
                                        strengths=np.linspace(0.0, 1.0, 20))
else:
    raise SystemExit(f"unknown case {case!r}")
start, cpu = time.perf_counter(), time.process_time()
work()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
files = sorted({m.__file__ for name, m in list(sys.modules.items())
                if name.split(".")[0] == "learning_dilemma" and getattr(m, "__file__", None)})
print(json.dumps({"seconds": seconds, "cpu": cpu, "files": files}))
'''


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout.strip()


def child_env(tree: Path) -> dict:
    env = dict(os.environ)
    env.update({name: "1" for name in THREAD_VARS})
    env["PYTHONPATH"] = str(tree)
    env["PYTHONHASHSEED"] = "0"
    env.pop("PYTHONWARNINGS", None)
    return env


def run_once(tree: Path, case: str, cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of a case in a fresh process on a tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, case], env=child_env(tree), cwd=cwd,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{case} on {tree} failed:\n{done.stderr}")
    record = json.loads(done.stdout.strip().splitlines()[-1])
    strays = [f for f in record["files"] if not Path(f).resolve().is_relative_to(tree.resolve())]
    if strays or not record["files"]:
        raise SystemExit(f"{case}: imported modules from outside {tree}: {strays}")
    return (wall, cpu) if case == "startup" else (record["seconds"], record["cpu"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="4859c4a", help="the commit to compare against (default 4859c4a)")
    parser.add_argument("--new", default=None,
                        help="a commit for the new side (default: the working tree, uncommitted edits included)")
    parser.add_argument("--repeat", type=int, default=5, help="fresh-process runs per case and side; best is shown")
    parser.add_argument("--cases", nargs="*", choices=sorted(CASES.values()), default=None,
                        help="a subset of the cases (default: all)")
    args = parser.parse_args()
    cases = {label: key for label, key in CASES.items() if args.cases is None or key in args.cases}

    made = []
    scratch = Path(tempfile.mkdtemp(prefix="compare-commits-"))
    try:
        def worktree(ref: str, name: str) -> Path:
            path = scratch / name
            git("worktree", "add", "--detach", "--quiet", str(path), ref)
            made.append(path)
            return path

        base_label = git("rev-parse", "--short", args.base)
        base = worktree(args.base, "base")
        if args.new is None:
            new, new_label = ROOT, f"working tree ({git('rev-parse', '--short', 'HEAD')} + edits)"
        else:
            new_label = git("rev-parse", "--short", args.new)
            new = worktree(args.new, "new")
        away = scratch / "cwd"  # run outside both trees
        away.mkdir()
        print(f"base: {base_label}; new: {new_label}; Python {sys.version.split()[0]}; "
              f"{os.cpu_count()} CPUs; BLAS 1 thread; best of {args.repeat} fresh processes")
        rows = []
        for label, key in cases.items():
            times = {"base": [], "new": []}
            for _ in range(args.repeat):
                for side, tree in (("base", base), ("new", new)):
                    times[side].append(run_once(tree, key, away))
            (bw, bc), (nw, nc) = ([min(t[i] for t in times[side]) for i in (0, 1)] for side in ("base", "new"))
            rows.append((label, bc, nc, nc / bc, bw, nw, nw / bw))
            print(f"  {label}: CPU base {bc:.3f} s, new {nc:.3f} s; wall base {bw:.3f} s, new {nw:.3f} s", flush=True)
        print()
        print("CPU seconds (process time: steady when other work shares the CPUs); wall seconds beside")
        width = max(len(r[0]) for r in rows)
        print(f"| {'case':<{width}} | base s | new s  | new/base | wall base | wall new | wall new/base |")
        print(f"|{'-' * (width + 2)}|--------|--------|----------|-----------|----------|---------------|")
        for label, bc, nc, ratio, bw, nw, wall_ratio in rows:
            flag = "  (slower by >10%)" if ratio > 1.10 else ""
            print(f"| {label:<{width}} | {bc:6.3f} | {nc:6.3f} | {ratio:8.2f} | {bw:9.3f} | {nw:8.3f} | "
                  f"{wall_ratio:13.2f} |{flag}")
    finally:
        for path in made:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],
                           capture_output=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)
        import shutil
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
