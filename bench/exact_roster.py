"""Benchmark: the default roster's exact payoff matrix on one core, against the
simulated tournament of the same scenario at the precision of the exact figures.

    .venv/bin/python bench/exact_roster.py                  # about half a minute
    .venv/bin/python bench/exact_roster.py --decimals 2     # a coarser precision
    .venv/bin/python bench/exact_roster.py --scenario kite

Issue 15's target: at the levels the shipped scenarios use (knowledge levels 4,
pace 0.3, ties 3, tacitness 0.1-0.2), the default roster's (`larsson`'s) exact
payoff matrix stays under 2 s on one core.

- **exact**: `exact.roster_payoffs` for the scenario's players, game, continuation,
  prior rounds, initial power and noise, exactly as `experiments.emergence.roster_matrices`
  calls it (each unordered pairing, self-play included, solved once), with BLAS held to
  one thread (`threadpoolctl`) in this one process. Each run starts from freshly read
  players, so compiling their tables is timed too; best of `--repeat`, wall and CPU
  time. The "ratio" average (what the emergence commands use) and the "match" average
  (the one a simulated tournament estimates) are both timed.
- **simulated**: the scenario's own tournament (`scenario.tournament()`, self-play, one
  process) at `--sample` repetitions, timed, and the standard error of every entry of
  its payoff matrix (each match's mean payoff per round, over repetitions). The exact
  figures are exact to about twelve digits; the simulation is asked for far less: a
  standard error of half a unit in the last of `--decimals` decimals (default 3, as the
  docs' tables print) on every entry. The repetitions that takes follow from the sampled
  spread, ``(sd / target)^2``, and its time from the sampled time, which grows in
  proportion to the repetitions. Each further decimal costs the simulation 100 times
  more and the exact engine nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from threadpoolctl import threadpool_limits

from learning_dilemma import exact
from learning_dilemma.io.scenarios import load_scenario

TARGET_SECONDS = 2.0


def exact_matrix(name: str, averaging: str):
    """Wall and CPU seconds of one exact roster matrix, from freshly read players."""
    scenario = load_scenario(name)
    wall, cpu = time.perf_counter(), time.process_time()
    result = exact.roster_payoffs(scenario.players, scenario.game, scenario.continuation, scenario.turns,
                                  scenario.prior_rounds, scenario.initial_power, averaging=averaging,
                                  noise=scenario.noise)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def simulated_matrix(name: str, repetitions: int):
    """Seconds of the scenario's tournament and the standard error of each payoff-matrix entry."""
    scenario = load_scenario(name)
    tournament = scenario.tournament(repetitions=repetitions, processes=1, self_play=True)
    wall = time.perf_counter()
    results = tournament.play()
    seconds = time.perf_counter() - wall
    outcomes = results.outcomes
    means = outcomes.totals / outcomes.lengths[..., None]  # (pairings, repetitions, 2): each match's mean
    errors = means.std(axis=1, ddof=1) / np.sqrt(repetitions)
    spreads = means.std(axis=1, ddof=1)
    return seconds, results, errors, spreads


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="larsson", help="a shipped scenario or a file (default larsson)")
    parser.add_argument("--repeat", type=int, default=5, help="exact runs, best taken (default 5)")
    parser.add_argument("--sample", type=int, default=1000, help="repetitions of the sampled tournament")
    parser.add_argument("--decimals", type=int, default=3, help="decimals the simulation must reach (default 3)")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    game = scenario.game
    print(f"scenario {scenario.name}: {len(scenario.players)} players, continuation {scenario.continuation}, "
          f"knowledge levels {game.knowledge.levels} (pace {game.knowledge.pace:g}), ties {game.ties.levels}, "
          f"power strength {game.power.strength:g}, overlap {game.effective_overlap:g}")
    with threadpool_limits(limits=1, user_api="blas"):
        exact_matrix(args.scenario, "ratio")  # imports and first-use costs, not timed
        timings = {}
        for averaging in ("ratio", "match"):
            runs = [exact_matrix(args.scenario, averaging) for _ in range(args.repeat)]
            timings[averaging] = (min(r[0] for r in runs), min(r[1] for r in runs), runs[0][2])
        wall, cpu, result = timings["ratio"]
        print(f"  exact roster matrix, 1 core, ratio average:  {wall:6.3f} s wall, {cpu:6.3f} s CPU "
              f"(best of {args.repeat}); target under {TARGET_SECONDS:g} s -> "
              f"{'met' if wall < TARGET_SECONDS else 'NOT met'}")
        match_wall, match_cpu, match_result = timings["match"]
        print(f"  exact roster matrix, 1 core, match average:  {match_wall:6.3f} s wall, {match_cpu:6.3f} s CPU")

        seconds, results, errors, spreads = simulated_matrix(args.scenario, args.sample)
    target = 0.5 * 10.0 ** -args.decimals
    needed = int(np.ceil((spreads.max() / target) ** 2))
    simulated = seconds * needed / args.sample
    gap = np.abs(results.payoff_matrix - match_result.payoffs).max()
    print(f"  simulated tournament, {args.sample} repetitions, 1 process: {seconds:6.3f} s; largest standard "
          f"error {errors.max():.4f}; largest gap to the exact match average {gap:.4f}")
    print(f"  simulated at {args.decimals} decimals (standard error <= {target:g} on every entry): "
          f"{needed:,} repetitions, about {simulated:,.0f} s")
    print(f"  ratio simulated / exact: {simulated / match_wall:,.0f}x (against the exact match average), "
          f"{simulated / wall:,.0f}x (against the ratio average)")


if __name__ == "__main__":
    main()
