"""``learning-dilemma sweep SCENARIO --vary KEY=START:STOP:COUNT``: phase diagrams."""

from __future__ import annotations

import sys

from .scenario_options import add_scenario_options


def register(subparsers):
    parser = subparsers.add_parser(
        "sweep",
        help="vary one or two scenario values and map where giving emerges",
        description="At each grid point: the ranking and the evolved share of giving (exact engine when every "
        "player is an automaton, simulation otherwise). Writes sweep.csv and a heatmap with the critical boundary.",
    )
    add_scenario_options(parser, repetitions=False)
    parser.add_argument("--vary", action="append", required=True, metavar="KEY=START:STOP:COUNT",
                        help="a value to vary, e.g. continuation=0.5:0.99:50 (once or twice)")
    parser.add_argument("--out", metavar="DIR", help="output directory (default sweep-SCENARIO)")
    parser.add_argument("--processes", type=int, metavar="P", help="local worker processes (default: every CPU)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run the grid on this Dask distributed scheduler")
    parser.add_argument("--resume", action="store_true", help="skip the points an interrupted sweep finished")
    parser.add_argument("--no-plots", action="store_true", help="skip the heatmap")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args):
    import functools
    import hashlib
    import os
    from pathlib import Path

    from ..experiments import sweep
    from ..experiments.emergence import evaluate_point, evaluate_points
    from ..errors import ParameterError
    from ..io.progress import ProgressBar
    from .scenario_options import load_from_args

    axes = [sweep.parse_axis(spec) for spec in args.vary]
    points = sweep.grid(axes)
    scenario = load_from_args(args)  # validates the scenario and the overrides up front
    overrides = tuple(_overrides(args))
    for axis in axes:  # and each axis's extreme values
        for value in (axis.values[0], axis.values[-1]):
            try:
                load_from_args_with(args, overrides, {axis.key: value})
            except ParameterError as error:
                raise ParameterError(f"--vary {axis.key}: {error}") from None
    out = Path(args.out or f"sweep-{scenario.name}")
    processes = args.processes if args.processes is not None else (os.cpu_count() or 1)
    if processes < 1:
        raise ParameterError(f"--processes must be >= 1, got {processes}")
    # The file's content, not only its name: an edited scenario is another sweep.
    content = hashlib.sha256(Path(scenario.path).read_bytes()).hexdigest()
    sweep_id = sweep.fingerprint(str(scenario.path), content, overrides, [(a.key, a.values) for a in axes],
                                 sweep.RECORD_VERSION)
    journal = sweep.Journal(out / "journal.jsonl", sweep_id)
    done = journal.start(args.resume)
    bar = None if args.quiet else ProgressBar(f"sweep {scenario.name}")
    finished = [len(done)]

    def on_results(records):
        journal.record(*records)
        finished[0] += len(records)
        if bar is not None:
            bar(finished[0], len(points))

    evaluate = functools.partial(evaluate_point, str(scenario.path), overrides)
    evaluate_many = functools.partial(evaluate_points, str(scenario.path), overrides)
    try:
        records = sweep.run_points(evaluate, points, done=done, processes=processes, scheduler=args.scheduler,
                                   on_results=on_results, evaluate_many=evaluate_many)
    finally:
        if bar is not None:
            bar.close()
    sweep.write_outputs(records, axes, out, scenario.name, plots=not args.no_plots)
    failed = [r for r in records if r["status"] != "ok"]
    print(sweep.summary(records, axes))
    plots = "" if args.no_plots else f", {out / 'sweep.png'} and {out / 'sweep.svg'}"
    print(f"\nwrote {out / 'sweep.csv'}{plots}", file=sys.stderr)
    for record in failed:
        where = ", ".join(f"{a.key}={record[a.key]}" for a in axes)
        print(f"failed point ({where}): {record['error']}", file=sys.stderr)
    return 1 if failed else 0


def _overrides(args):
    from ..io.scenarios import override

    overrides = list(args.set)
    for key in ("seed", "turns", "continuation"):
        value = getattr(args, key, None)
        if value is not None:
            overrides.append(override(key, value))
    return overrides


def load_from_args_with(args, overrides, point):
    from ..io.scenarios import load_scenario, override

    return load_scenario(args.scenario, list(overrides) + [override(k, v) for k, v in point.items()])
