"""``learning-dilemma sweep SCENARIO --vary KEY=START:STOP:COUNT``: phase diagrams.

Argument parsing and printing only; the sweep is
:class:`learning_dilemma.experiments.sweep.Sweep`.
"""

from __future__ import annotations

import sys

from .scenario_options import add_scenario_options

__all__ = ["FAILED_LISTED", "register", "run"]


def register(subparsers):
    parser = subparsers.add_parser(
        "sweep",
        help="vary one or two scenario values and map where giving emerges",
        description="At each grid point: the ranking and the evolved give rate (exact engine when every "
        "player is an automaton, simulation otherwise). Writes sweep.csv and a heatmap with the critical boundary. "
        "A network scenario (kite_network, delta_network or a network file) records at each point the "
        "network's giving, payoffs, learning and endings instead (vary network.*, game.* or any key of its file; "
        "--turns sets its rounds).",
    )
    add_scenario_options(parser, repetitions=False)
    parser.add_argument("--vary", action="append", required=True, metavar="KEY=START:STOP:COUNT",
                        help="a value to vary, e.g. continuation=0.5:0.99:50 (once or twice)")
    parser.add_argument("--out", metavar="DIR", help="output directory (default sweep-SCENARIO)")
    parser.add_argument("--processes", type=int, metavar="P",
                        help="local worker processes (0 or default: every CPU; capped at the CPU count "
                        "unless --limit processes=N); results do not change")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run the grid on this Dask distributed scheduler")
    parser.add_argument("--resume", action="store_true",
                        help="skip the points an interrupted sweep finished (its journal must be this sweep's)")
    parser.add_argument("--no-plots", action="store_true", help="skip the heatmap")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


#: Failed points listed one by one on stderr, at most (sweep.csv has them all).
FAILED_LISTED = 20


def run(args):
    from pathlib import Path

    from ..experiments.axes import parse_axis
    from ..experiments.execution import worker_count
    from ..experiments.networks import is_network_scenario, load_network
    from ..experiments.sweep import Sweep
    from ..io.outputs import check_destination, safe_name
    from ..io.progress import ProgressBar
    from .scenario_options import load_from_args

    axes = [parse_axis(spec) for spec in args.vary]  # each checked against limits.grid_points first
    if is_network_scenario(args.scenario):  # read once and validated, with every override
        scenario = load_network(args.scenario, args.set, seed=args.seed, turns=args.turns,
                                continuation=args.continuation, noise=args.noise)
    else:
        scenario = load_from_args(args)
    sweep = Sweep(scenario, axes)  # checks the grid and each axis's extreme values
    processes, note = worker_count(args.processes)  # 0 or none: every CPU
    if note and args.scheduler is None:
        print(f"note: {note}", file=sys.stderr)
    out = Path(args.out or f"sweep-{safe_name(scenario.name, 'scenario')}")
    check_destination(str(out), "--out", directory=True)  # before any work, as every command does
    with sweep.lock(out):  # one run owns the folder, until its files are written
        bar = None if args.quiet else ProgressBar(f"sweep {scenario.name}")
        try:
            result = sweep.run(out, resume=args.resume, processes=processes, scheduler=args.scheduler,
                               on_progress=bar)
        finally:
            if bar is not None:
                bar.close()
        # the summary first: if standard output fails (a full disk), nothing is written
        print(result.summary())
        sys.stdout.flush()
        result.write(out, plots=not args.no_plots)
    plots = "" if args.no_plots else f", {out / 'sweep.png'} and {out / 'sweep.svg'}"
    print(f"\nwrote {out / 'sweep.csv'}{plots}", file=sys.stderr)
    failed = result.failed
    for record in failed[:FAILED_LISTED]:
        where = ", ".join(f"{a.key}={record[a.key]}" for a in result.axes)
        print(f"failed point ({where}): {record['error']}", file=sys.stderr)
    if len(failed) > FAILED_LISTED:
        print(f"... and {len(failed) - FAILED_LISTED} more failed points (status in sweep.csv)", file=sys.stderr)
    not_run = sum(1 for r in failed if str(r.get("error", "")).startswith("not run:"))
    if not_run:
        print(f"{not_run} points did not run; the journal keeps the finished ones: run the same command "
              "with --resume to continue", file=sys.stderr)
    return 1 if failed else 0
