"""``learning-dilemma demo``: the guided classroom walk-through."""

from __future__ import annotations

import sys

__all__ = ["register", "run", "STEP_COUNT"]

#: The demo's steps (learning_dilemma.classroom.lessons.STEPS, not imported here so
#: that --help stays fast; tests/test_demo.py checks that the two agree).
STEP_COUNT = 8


def register(subparsers):
    parser = subparsers.add_parser(
        "demo",
        help=f"a guided classroom walk-through in {STEP_COUNT} steps",
        description=f"{STEP_COUNT} steps through the learning dilemma (the dilemma, the shadow of the future, power "
        "from dependence and the race to learn, tacit knowledge and ties, people and organisations, identity, "
        "exit, the seeds' cases), each with real computations, the numbers and what to notice. "
        "Non-interactive unless --pause.",
    )
    parser.add_argument("--step", type=int, metavar="N", help=f"run only step N (1-{STEP_COUNT})")
    parser.add_argument("--pause", action="store_true", help="wait for Enter between steps (for a projector)")
    parser.add_argument("--save-figures", metavar="DIR", help="write each step's figure to DIR/stepN.png")
    parser.add_argument("--seed", type=int, default=None, help="seed of every random draw (default 2026)")
    parser.set_defaults(run=run)


def run(args):
    from pathlib import Path

    from ..classroom import lessons as demo
    from ..errors import ParameterError

    seed = demo.DEFAULT_SEED if args.seed is None else args.seed
    if args.step is not None and not 1 <= args.step <= len(demo.STEPS):
        raise ParameterError(f"--step must be between 1 and {len(demo.STEPS)}, got {args.step}")
    figures = Path(args.save_figures) if args.save_figures else None
    if figures is not None:
        from ..io.outputs import check_destination

        check_destination(figures, "--save-figures", directory=True)
        figures.mkdir(parents=True, exist_ok=True)
    numbers = range(1, len(demo.STEPS) + 1) if args.step is None else (args.step,)
    for k, number in enumerate(numbers):
        if k and args.pause:
            input("\n[Enter for the next step] ")
        step = demo.run(number, seed)[0]
        print(("\n" if k else "") + step.render())
        if figures is not None and step.chart is not None:
            path = figures / f"step{number}.png"
            demo.draw(step.chart, path)
            print(f"(figure: {path})")
        sys.stdout.flush()
