"""Benchmark: a 100 x 100 sweep over (continuation, power strength) for the
default roster, exact against simulated, side by side in one run.

    .venv/bin/python bench/sweep.py              # sampled points, extrapolated (about a minute)
    .venv/bin/python bench/sweep.py --full       # the whole exact grid on every CPU

Each point computes the roster's payoff matrix (exact: the Markov-chain engine;
simulated: a self-play tournament of the scenario's repetitions) and its
evolutionary outcome, as `learning-dilemma sweep` does. Timings are per point
on a random sample of the grid, extrapolated to all 10,000 points and divided
by the number of CPUs (the sweep runs points in parallel).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from learning_dilemma.emergence import evaluate_point
from learning_dilemma.evolution import replicator, small_mutation_limit
from learning_dilemma.scenario import load_scenario, override
from learning_dilemma.sweep import Axis, grid, run_points


def simulated_point(point, repetitions):
    scenario = load_scenario("larsson", [override(k, v) for k, v in point.items()] + [f"repetitions={repetitions}"])
    results = scenario.tournament(self_play=True).play()
    replicator(results.payoff_matrix, give_rates=results.give_matrix)
    small_mutation_limit(results.payoff_matrix, 50, give_rates=results.give_matrix)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100, help="points per axis (default 100)")
    parser.add_argument("--sample", type=int, default=40, help="sampled points per method (default 40)")
    parser.add_argument("--repetitions", type=int, default=20, help="repetitions per simulated point")
    parser.add_argument("--full", action="store_true", help="run the whole exact grid")
    args = parser.parse_args()
    points = grid([Axis("continuation", tuple(np.linspace(0.5, 0.99, args.size))),
                   Axis("game.power.strength", tuple(np.linspace(0.0, 1.0, args.size)))])
    cpus = os.cpu_count() or 1
    rng = np.random.default_rng(1)
    sample = [points[i] for i in rng.choice(len(points), size=args.sample, replace=False)]
    print(f"grid: {args.size} x {args.size} = {len(points)} points, default roster (larsson, "
          f"{len(load_scenario('larsson').players)} players), {cpus} CPUs")

    start = time.perf_counter()
    for point in sample:
        evaluate_point("larsson", (), point)
    exact = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    for point in sample:
        simulated_point(point, args.repetitions)
    simulated = (time.perf_counter() - start) / len(sample)
    print(f"  exact:     {exact * 1e3:8.1f} ms/point -> whole grid ~{exact * len(points) / cpus:8.1f} s on {cpus} CPUs")
    print(f"  simulated: {simulated * 1e3:8.1f} ms/point -> whole grid ~{simulated * len(points) / cpus:8.1f} s "
          f"on {cpus} CPUs ({args.repetitions} repetitions a pairing)")
    print(f"  ratio simulated / exact: {simulated / exact:.1f}x   (target: exact grid under 10 s)")
    if args.full:
        import functools

        start = time.perf_counter()
        records = run_points(functools.partial(evaluate_point, "larsson", ()), points, processes=cpus)
        elapsed = time.perf_counter() - start
        failed = sum(r["status"] != "ok" for r in records)
        print(f"  exact, whole grid measured: {elapsed:.1f} s ({failed} failed points)")


if __name__ == "__main__":
    main()
