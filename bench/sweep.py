"""Benchmark: a 100 x 100 sweep over (continuation, power strength) for the
default roster, exact against simulated, side by side in one run.

    .venv/bin/python bench/sweep.py                # about a minute
    .venv/bin/python bench/sweep.py --size 50      # a smaller grid

Each point computes what `learning-dilemma sweep` computes: the roster's
payoff matrix (exact: the Markov-chain engine; simulated: a self-play
tournament of the scenario's repetitions), the ranking, and the evolved give
rate (replicator dynamics and the small-mutation limit).

- exact, whole grid: measured, on every CPU, the way the sweep command runs it
  (a :class:`~learning_dilemma.experiments.sweep.Sweep`: chunks of grid rows
  sharing chains across strengths and continuation values, evolution
  batched), and on one process;
- exact, point by point: a random sample of points, each solved alone,
  extrapolated to the grid;
- simulated: a random sample of points, extrapolated to the grid and divided
  by the number of CPUs (points run in parallel).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from learning_dilemma.dynamics import replicator, small_mutation_limit
from learning_dilemma.experiments.emergence import evaluate_point, scenario_at
from learning_dilemma.experiments.sweep import Axis, Sweep
from learning_dilemma.io.scenarios import load_scenario


def simulated_point(scenario, point, repetitions):
    results = scenario_at(scenario, {**point, "repetitions": repetitions}).tournament(self_play=True).play()
    payoffs = results.payoff_matrix
    gives = getattr(results, "give_rate_matrix", None)
    gives = results.give_matrix if gives is None else gives
    replicator(payoffs, give_rates=gives)
    small_mutation_limit(payoffs, 50, give_rates=gives)


def whole_grid(sweep, processes):
    start = time.perf_counter()
    result = sweep.run(processes=processes)
    return time.perf_counter() - start, len(result.failed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100, help="points per axis (default 100)")
    parser.add_argument("--sample", type=int, default=30, help="sampled points per sampled method (default 30)")
    parser.add_argument("--repetitions", type=int, default=20, help="repetitions per simulated point")
    args = parser.parse_args()
    scenario = load_scenario("larsson")  # read once: every point starts from it
    sweep = Sweep(scenario, [Axis("continuation", tuple(float(c) for c in np.linspace(0.5, 0.99, args.size))),
                             Axis("game.power.strength", tuple(float(s) for s in np.linspace(0.0, 1.0, args.size)))])
    points = sweep.points
    cpus = os.cpu_count() or 1
    rng = np.random.default_rng(1)
    sample = [points[i] for i in rng.choice(len(points), size=args.sample, replace=False)]
    print(f"grid: {args.size} x {args.size} = {len(points)} points over (continuation, game.power.strength), "
          f"default roster (larsson, {len(scenario.players)} players), {cpus} CPUs")

    parallel, failed = whole_grid(sweep, cpus)
    serial, _ = whole_grid(sweep, 1)
    start = time.perf_counter()
    for point in sample:
        evaluate_point(scenario, point)
    alone = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    for point in sample:
        simulated_point(scenario, point, args.repetitions)
    simulated = (time.perf_counter() - start) / len(sample)
    alone_grid = alone * len(points) / cpus
    simulated_grid = simulated * len(points) / cpus

    print(f"  exact, whole grid, {cpus} processes:  {parallel:8.1f} s measured ({failed} failed points)")
    print(f"  exact, whole grid, 1 process:    {serial:8.1f} s measured")
    print(f"  exact, point by point:           {alone_grid:8.1f} s on {cpus} CPUs "
          f"({alone * 1e3:.1f} ms a point, {args.sample} sampled)")
    print(f"  simulated, {args.repetitions} repetitions:        {simulated_grid:8.1f} s on {cpus} CPUs "
          f"({simulated * 1e3:.1f} ms a point, {args.sample} sampled)")
    print(f"  ratio simulated / exact whole grid: {simulated_grid / parallel:.0f}x; "
          f"point by point / whole grid: {alone_grid / parallel:.0f}x")
    print(f"  target: exact grid under 10 s -> {'met' if parallel < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
