"""Benchmark: a knowledge-sharing network of 1,000 people of 20 organisations, 1,000 rounds, one core,
against axelrod's Tournament on the same graph.

    .venv/bin/python bench/network.py                    # a few minutes, most of it axelrod
    .venv/bin/python bench/network.py --no-axelrod       # ours only, under a minute
    .venv/bin/python bench/network.py --people 200 --rounds 100 --no-axelrod   # a quick check of the script

Issue 16 asks for the speed and memory of a network of 1,000 people of 20 organisations (50
each), mean degree 10, 1,000 rounds (part 3 sets the scale goal). The network: a connected
small world (Watts & Strogatz 1998, ``networks.structures.small_world``) of degree 10 and
rewiring 0.1 over the 1,000 people (5,000 ties), seeded; each organisation's policy one of five
library strategies (Tit For Tat, Defector, Cooperator, Grudger, Random, four organisations
each); one repetition; ties only (no groups) unless said.

Each run is a fresh Python process with BLAS and OpenMP held to one thread
(``OMP_NUM_THREADS`` ... ``= 1``, and ``threadpoolctl``), so the figures are one core's and the
memory is the run's own:

- **ours**: ``networks.play.play_network`` on the population, timed (wall and CPU) once the
  population is built (building it, structure included, is timed apart); throughput as
  tie-rounds per second (ties x rounds / wall time); peak memory twice: the largest traced
  allocation (``tracemalloc``, which numpy reports its arrays to) over a second, untimed
  run, and the process's peak resident size (``resource.getrusage`` ``ru_maxrss``,
  imports included).
  Two games: the first edition's limit (``LearningGame()``: stakes, ties and power off, full
  overlap, receptivity 1), where the learning game is axelrod's Prisoner's Dilemma
  (``docs/axelrod.md``), for the comparison; and ``kite_network``'s learning game (overlap 0.9,
  power 0.6, knowledge stakes of 4 levels at pace 0.3, ties of 3 levels), what a network
  scenario plays. With ``--groups`` also the learning game with the people in groups of at
  most 15 (Delta's layout) on top of the ties.
- **axelrod**: ``axl.Tournament(players, edges=..., turns=1000, repetitions=1)`` on the same
  ties, the same five strategies as axelrod's own (TitForTat, Defector, Cooperator, Grudger,
  Random), ``play(processes=None)`` (in this process: axelrod's ``processes=1`` runs the matches
  in one worker process), timed twice: the matches alone (``build_results=False``) and the
  matches with axelrod's result set (its default, the figure compared). axelrod is first run
  on a smaller graph (``--small`` people, 200, same degree and rewiring; ours on the same
  graph) for the ratio at a matched size; the full graph is run too when that run predicts
  (ties x rounds in proportion) at most ``--budget`` seconds (180), else reported as skipped
  with the prediction.

Both sides play the same ties: with the same seed the small world is the same, and axelrod's
players are numbered as our people. On the limit game the scores of deterministic people
(not Random, all of whose partners are deterministic too, and all of whose ties cross
organisations: two people of one organisation are no rivals in our model, their overlap 0)
are checked to be axelrod's exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings

PEOPLE = 1000
ORGANISATIONS = 20
DEGREE = 10
REWIRING = 0.1
ROUNDS = 1000
SEED = 16
SMALL = 200
BUDGET = 180.0
#: Our strategy and its axelrod namesake; organisation k plays STRATEGIES[k % 5].
STRATEGIES = (("Tit For Tat", "TitForTat"), ("Defector", "Defector"), ("Cooperator", "Cooperator"),
              ("Grudger", "Grudger"), ("Random", "Random"))
DETERMINISTIC = ("Tit For Tat", "Defector", "Cooperator", "Grudger")
#: kite_network's [game]: what a network scenario plays.
LEARNING_GAME = {"overlap": 0.9, "power": {"strength": 0.6}, "knowledge": {"levels": 4, "pace": 0.3},
                 "ties": {"levels": 3}}
THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
           "NUMEXPR_NUM_THREADS")


# --- the network ------------------------------------------------------------------------

def game_of(kind: str):
    from learning_dilemma.games import Knowledge, LearningGame, Power, Ties

    if kind == "limit":
        return LearningGame()
    g = LEARNING_GAME
    return LearningGame(overlap=g["overlap"], power=Power(**g["power"]), knowledge=Knowledge(**g["knowledge"]),
                        ties=Ties(**g["ties"]))


def population_of(people: int, groups: bool = False):
    """The benchmark's population: ``people`` of ORGANISATIONS organisations, a small world."""
    from learning_dilemma.networks import structures
    from learning_dilemma.networks.population import Organisation, Person, Population
    from learning_dilemma.strategies import CLASSIC

    classes = {cls.name: cls for cls in CLASSIC}
    names = [f"Organisation {k + 1:02d}" for k in range(ORGANISATIONS)]
    organisations = [Organisation(name, policy=classes[STRATEGIES[k % len(STRATEGIES)][0]]())
                     for k, name in enumerate(names)]
    per = [people // ORGANISATIONS + (k < people % ORGANISATIONS) for k in range(ORGANISATIONS)]
    members = structures.organisation_people(names, per)
    persons = [Person(person, organisations=(org,)) for person, org in members]
    order = [p.name for p in persons]
    ties = structures.small_world(order, DEGREE, REWIRING, seed=SEED)
    layout = structures.groups_of(order, 15, seed=SEED) if groups else ()
    return Population(organisations, persons, ties=ties, groups=layout)


# --- the runs, each in a fresh process ------------------------------------------------------

def run_ours(people: int, rounds: int, kind: str, groups: bool) -> dict:
    import resource
    import tracemalloc

    from threadpoolctl import threadpool_limits

    from learning_dilemma.networks.play import play_network

    with threadpool_limits(limits=1):
        start = time.perf_counter()
        population = population_of(people, groups)
        built = time.perf_counter() - start
        game = game_of(kind)
        wall, cpu = time.perf_counter(), time.process_time()
        results = play_network(population, game, rounds=rounds, seed=SEED, repetitions=1)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        scores = results.contributions.person_payoffs.sum(axis=(0, 2)).tolist()
        summary = results.summary()
        del results
        tracemalloc.start()
        play_network(population, game, rounds=rounds, seed=SEED, repetitions=1)
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    return {"built": built, "wall": wall, "cpu": cpu, "traced": traced, "rss": rss, "ties": population.n_ties,
            "groups": len(population.groups), "scores": scores, "giving_share": summary["giving_share"]}


def time_axelrod(players, edges, rounds: int) -> dict:
    """Time ``axl.Tournament(players, edges=edges, turns=rounds, repetitions=1, seed=SEED)`` on one core.

    Played twice, in this process (``processes=None``; axelrod's ``processes=1`` runs the matches
    in one worker process): the matches alone (``build_results=False``) and the matches with
    axelrod's result set (its default, the figure compared). Returns the times (``matches``,
    ``wall``, ``cpu``), the edges and, per player, axelrod's ``scores`` (the total over the
    player's matches, self-interactions excluded) and ``normalised`` scores (the mean over the
    player's matches of its score per turn), both of the one repetition.
    """
    import axelrod as axl
    from threadpoolctl import threadpool_limits

    edges = [(int(u), int(v)) for u, v in edges]
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "results will not be accessible": the point of the first run
        tournament = axl.Tournament(players, edges=edges, turns=rounds, repetitions=1, seed=SEED)
        start = time.perf_counter()
        tournament.play(build_results=False, processes=None, progress_bar=False)
        matches = time.perf_counter() - start
        tournament = axl.Tournament(players, edges=edges, turns=rounds, repetitions=1, seed=SEED)
        wall, cpu = time.perf_counter(), time.process_time()
        results = tournament.play(processes=None, progress_bar=False)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"matches": matches, "wall": wall, "cpu": cpu, "ties": len(edges), "version": axl.__version__,
            "scores": [float(s[0]) for s in results.scores],
            "normalised": [float(s[0]) for s in results.normalised_scores]}


def run_axelrod(people: int, rounds: int) -> dict:
    import resource

    start = time.perf_counter()
    import axelrod as axl

    imported = time.perf_counter() - start
    population = population_of(people)
    by_org = {o.name: k for k, o in enumerate(population.organisations)}
    players = [getattr(axl, STRATEGIES[by_org[p.organisations[0]] % len(STRATEGIES)][1])()
               for p in population.people]
    out = time_axelrod(players, population.tie_people, rounds)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"import": imported, "rss": rss, **out}


def child(argv) -> int:
    """``--child ours PEOPLE ROUNDS KIND GROUPS`` or ``--child axelrod PEOPLE ROUNDS``: one JSON line."""
    what, people, rounds = argv[0], int(argv[1]), int(argv[2])
    if what == "ours":
        out = run_ours(people, rounds, argv[3], argv[4] == "groups")
    else:
        out = run_axelrod(people, rounds)
    print(json.dumps(out))
    return 0


def fresh(*args) -> dict:
    """Run ``child(args)`` in a fresh Python process held to one thread."""
    env = dict(os.environ, **{name: "1" for name in THREADS})
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", *map(str, args)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the report ---------------------------------------------------------------------------

def megabytes(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def line(what: str, out: dict, rounds: int) -> None:
    rate = out["ties"] * rounds / out["wall"]
    memory = (f"peak traced {megabytes(out['traced'])}, " if "traced" in out else "") + f"max RSS {megabytes(out['rss'])}"
    print(f"  {what:<58} {out['wall']:8.2f} s wall {out['cpu']:8.2f} s CPU {rate:>13,.0f} tie-rounds/s   {memory}")


def agreement(people: int, ours: dict, theirs: dict) -> str:
    """Max |our score - axelrod's| over the deterministic people whose ties are all deterministic and
    cross organisations (on the limit game they must agree exactly)."""
    import numpy as np

    population = population_of(people)
    strategy = [STRATEGIES[population.organisation_index[p.organisations[0]] % len(STRATEGIES)][0]
                for p in population.people]
    org = [p.organisations[0] for p in population.people]
    eligible = np.array([s in DETERMINISTIC for s in strategy])
    for u, v in population.tie_people:
        if strategy[u] not in DETERMINISTIC or strategy[v] not in DETERMINISTIC or org[u] == org[v]:
            eligible[u] = eligible[v] = False
    difference = np.abs(np.array(ours["scores"]) - np.array(theirs["scores"]))[eligible]
    if not difference.size:
        return "no person to compare"
    return f"max |difference| {difference.max():.3g} over {difference.size} people"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=PEOPLE, help=f"people (default {PEOPLE})")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds (default {ROUNDS})")
    parser.add_argument("--small", type=int, default=SMALL, help=f"people of the matched comparison (default {SMALL})")
    parser.add_argument("--budget", type=float, default=BUDGET,
                        help=f"largest predicted seconds of axelrod on the full graph (default {BUDGET:g})")
    parser.add_argument("--no-axelrod", action="store_true", help="ours only")
    parser.add_argument("--groups", action="store_true", help="also the learning game with groups of at most 15")
    args = parser.parse_args(argv)
    people, rounds = args.people, args.rounds

    print(f"network: {people:,} people of {ORGANISATIONS} organisations, small world of degree {DEGREE} "
          f"(rewiring {REWIRING:g}), {rounds:,} rounds, 1 repetition, seed {SEED}; one thread per process; "
          f"strategies by organisation: {', '.join(s for s, _ in STRATEGIES)}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  ({os.cpu_count()} CPUs, load average {load:.2f} at the start)")
    limit = fresh("ours", people, rounds, "limit", "ties")
    print(f"  building the population (structure included): {limit['built']:.2f} s; {limit['ties']:,} ties")
    line("ours, first edition's limit (axelrod's game)", limit, rounds)
    learning = fresh("ours", people, rounds, "learning", "ties")
    line("ours, kite_network's learning game (stakes, ties, power)", learning, rounds)
    if args.groups:
        grouped = fresh("ours", people, rounds, "learning", "groups")
        line(f"ours, learning game, + {grouped['groups']} groups of <= 15 (*)", grouped, rounds)
        print("  (*) tie-rounds/s counts the ties only: the groups' time is on top")
    if args.no_axelrod:
        return 0

    small = min(args.small, people)
    print(f"matched size: {small:,} people, same degree and rewiring, {rounds:,} rounds")
    ours_small = fresh("ours", small, rounds, "limit", "ties")
    theirs_small = fresh("axelrod", small, rounds)
    print(f"  (axelrod {theirs_small['version']} imported in {theirs_small['import']:.1f} s, not counted)")
    line("ours, first edition's limit", ours_small, rounds)
    line("axelrod Tournament(edges=...).play()", theirs_small, rounds)
    print(f"  (axelrod's matches alone, build_results=False: {theirs_small['matches']:.2f} s)")
    print(f"  ratio axelrod / ours at {small:,} people: {theirs_small['wall'] / ours_small['wall']:,.0f}x "
          f"(wall), {theirs_small['cpu'] / ours_small['cpu']:,.0f}x (CPU); matches alone "
          f"{theirs_small['matches'] / ours_small['wall']:,.0f}x; scores vs axelrod: "
          f"{agreement(small, ours_small, theirs_small)}")
    predicted = theirs_small["wall"] * (limit["ties"] * rounds) / (theirs_small["ties"] * rounds)
    if people == small:
        return 0
    if predicted > args.budget:
        print(f"full size: axelrod skipped (predicted {predicted:,.0f} s > {args.budget:g} s); ours at full size: "
              f"{limit['wall']:.2f} s on the limit game, {learning['wall']:.2f} s on the learning game")
        return 0
    print(f"full size: {people:,} people (axelrod predicted {predicted:,.0f} s)")
    theirs = fresh("axelrod", people, rounds)
    line("axelrod Tournament(edges=...).play()", theirs, rounds)
    print(f"  (axelrod's matches alone, build_results=False: {theirs['matches']:.2f} s)")
    print(f"  ratio axelrod / ours at {people:,} people: {theirs['wall'] / limit['wall']:,.0f}x (wall), "
          f"{theirs['cpu'] / limit['cpu']:,.0f}x (CPU); matches alone {theirs['matches'] / limit['wall']:,.0f}x; "
          f"against our learning game "
          f"{theirs['wall'] / learning['wall']:,.0f}x (wall); scores vs axelrod: {agreement(people, limit, theirs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
