"""Benchmark: play and imitation on a network of 10,000 people of 100 organisations, 1,000 rounds,
one core (issue 18's goal: under 10 s), and the play against axelrod's Tournament on a 500-person graph.

    .venv/bin/python bench/network_dynamics.py                  # a few minutes, most of it axelrod
    .venv/bin/python bench/network_dynamics.py --no-axelrod     # the goal only
    .venv/bin/python bench/network_dynamics.py --with-random    # also the comparison with Random (more axelrod)
    .venv/bin/python bench/network_dynamics.py --people 1000 --rounds 100 --small 100   # a quick check

**The goal.** 10,000 people of 100 organisations (100 each), a connected small world (Watts &
Strogatz 1998, ``networks.structures.small_world``) of degree 10 and rewiring 0.1 (50,000 ties),
seeded; organisation k's policy is the k % 5-th of Tit For Tat, Defector, Cooperator, Grudger,
Random (bench/network.py's five); ``networks.dynamics.evolve_network`` for 1,000 rounds, each
round one round of the learning game on every tie and the updates (``rate`` 0.01: about 100
people update a round; ``mutation`` 0.001; ``memory`` 1; one repetition). Runs:

- pairwise imitation on the first edition's limit game (``LearningGame()``), the headline;
- death-birth and birth-death on the same game;
- pairwise on kite_network's learning game (overlap 0.9, power 0.6, stakes of 4 levels at pace
  0.3, ties of 3 levels), where relations close when a race ends and open again when a person
  changes strategy.

Each run is a fresh Python process with BLAS and OpenMP held to one thread (as bench/network.py),
timed (wall and CPU) once the population is built (building it is timed apart), with its peak
memory twice: the largest traced allocation (``tracemalloc``) over a second, untimed run, and
the process's peak resident size (``ru_maxrss``, imports and the population included).
Throughput is tie-rounds per second (ties x rounds / wall time). The goal is judged on CPU time,
the one core's work (the run is one thread: on an idle core its wall time is its CPU time); the
load average is printed, as other work on the same cores stretches wall time.

**The peer comparison** (issue 18: "the same strategies on the same graph give the same
payoffs as axelrod's tournament with ``edges=``, at 500 people"). ``--small`` people (500) on a
connected small world of degree 10 and rewiring 0.1 (seeded), every person their own
organisation, so every tie is between rivals (overlap 1): on the first edition's limit game
(``LearningGame()``) each tie is then axelrod's Prisoner's Dilemma (3, 0, 5, 1;
``docs/axelrod.md``; people of one organisation are no rivals in our model, their overlap 0, so
their ties would not be axelrod's game). The roster is the nine deterministic strategies of
ours whose axelrod namesakes have the same rule and the same first move (``ROSTER``; checked
against axelrod's source: Tit For Tat, Suspicious Tit For Tat (takes first), Tit For 2 Tats,
Hard Tit For Tat, Grudger, Win-Stay Lose-Shift, Alternator (gives first), Cooperator, Defector;
``tests/test_axelrod_bridge.py`` plays each against its namesake's opponents move for move),
dealt to the people by a seeded permutation (each strategy to 55 or 56 people). Ours plays 1,000
rounds without imitation (``rate=0``: play only) with ``evolve_network(..., record=True)``, and
again with ``play_network`` (the tie-by-tie engine of part 1; untimed against axelrod's, timed
alongside); axelrod plays ``axl.Tournament(players, edges=..., turns=1000,
repetitions=1).play(processes=None)`` on the same ties, player k our person k (bench/network.py's
``time_axelrod``: the matches alone, and with axelrod's result set, the figure compared).

Every person is compared: their payoff per turn averaged over their ties (their total over the
ties / rounds / their number of ties) against axelrod's ``normalised_scores`` (the mean over the
player's matches of its score per turn, self-interactions excluded: an edges tournament has
none), and their total over the ties against axelrod's ``scores``. The totals are sums of whole
numbers and must agree exactly; the means may differ by rounding (axelrod divides each match
by its turns before averaging). ``tests/networks/test_axelrod_edges.py`` checks the same on a
36-person graph. The speed ratio is axelrod's time over ours (wall and CPU; its matches alone
over our wall time).

With ``--with-random`` the first comparison is run too: bench/network.py's graph at ``--small``
people (20 organisations playing its five strategies, Random among them), where only the people
who neither play nor meet Random can be compared (axelrod's Random draws from axelrod's
generator, ours from ours), and of those, with the organisations kept, only the people all of
whose ties cross organisations (bench/network.py's ``agreement``), then with every person their
own organisation.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import network as peer  # noqa: E402  bench/network.py: the same graph, strategies and axelrod run

PEOPLE = 10_000
ORGANISATIONS = 100
DEGREE = 10
REWIRING = 0.1
ROUNDS = 1000
SEED = 18
SMALL = 500
RATE = 0.01
MUTATION = 0.001
STRATEGIES = peer.STRATEGIES
GOAL = 10.0
#: The peer comparison's roster: our deterministic strategy and its axelrod namesake (same rule, same
#: first move: Suspicious Tit For Tat takes first, the others give first).
ROSTER = (("Tit For Tat", "TitForTat"), ("Suspicious Tit For Tat", "SuspiciousTitForTat"),
          ("Tit For 2 Tats", "TitFor2Tats"), ("Hard Tit For Tat", "HardTitForTat"), ("Grudger", "Grudger"),
          ("Win-Stay Lose-Shift", "WinStayLoseShift"), ("Alternator", "Alternator"),
          ("Cooperator", "Cooperator"), ("Defector", "Defector"))
#: The runs of the goal: (label, rule, game kind).
RUNS = (("pairwise imitation, first edition's limit game", "pairwise", "limit"),
        ("death-birth, first edition's limit game", "death_birth", "limit"),
        ("birth-death, first edition's limit game", "birth_death", "limit"),
        ("pairwise imitation, kite_network's learning game", "pairwise", "learning"))


def population_of(people: int, organisations: int = ORGANISATIONS):
    """``people`` of ``organisations`` organisations on a small world; organisation k plays STRATEGIES[k % 5]."""
    from learning_dilemma.networks import structures
    from learning_dilemma.networks.population import Organisation, Person, Population
    from learning_dilemma.strategies import CLASSIC

    classes = {cls.name: cls for cls in CLASSIC}
    names = [f"Organisation {k + 1:03d}" for k in range(organisations)]
    policies = [classes[STRATEGIES[k % len(STRATEGIES)][0]]() for k in range(organisations)]
    members = structures.organisation_people(
        names, [people // organisations + (k < people % organisations) for k in range(organisations)])
    persons = [Person(person, organisations=(org,)) for person, org in members]
    ties = structures.small_world([p.name for p in persons], DEGREE, REWIRING, seed=SEED)
    return Population([Organisation(n, policy=p) for n, p in zip(names, policies)], persons, ties=ties)


def roster():
    """The five strategies, in STRATEGIES' order (the start is each person's organisation's policy)."""
    from learning_dilemma.strategies import CLASSIC

    classes = {cls.name: cls for cls in CLASSIC}
    return [classes[name]() for name, _ in STRATEGIES]


# --- the runs, each in a fresh process ---------------------------------------------------------

def run_goal(people: int, rounds: int, rule: str, kind: str) -> dict:
    import resource
    import tracemalloc

    from threadpoolctl import threadpool_limits

    from learning_dilemma.networks.dynamics import evolve_network

    with threadpool_limits(limits=1):
        start = time.perf_counter()
        population = population_of(people)
        built = time.perf_counter() - start
        game = peer.game_of(kind)
        strategies = roster()
        arguments = dict(rule=rule, intensity=1.0, mutation=MUTATION, rate=RATE, memory=1)
        wall, cpu = time.perf_counter(), time.process_time()
        evolution = evolve_network(population, game, strategies, rounds, SEED, **arguments)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        summary = evolution.summary()
        del evolution
        tracemalloc.start()
        evolve_network(population, game, strategies, rounds, SEED, **arguments)
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"built": built, "wall": wall, "cpu": cpu, "traced": traced, "rss": rss, "ties": population.n_ties,
            "people": population.n_people, "final_shares": summary["final_shares"],
            "giving_first": summary["giving_share_first"], "giving_last": summary["giving_share_last"],
            "changes": summary["changes_per_round"]}


def own_organisations(population):
    """The same people, strategies and ties, each person their own organisation: every tie is then
    between rivals, axelrod's game (people of one organisation are no rivals in our model)."""
    from learning_dilemma.networks.population import Organisation, Person, Population

    players = population.players()
    organisations = [Organisation(p.name, policy=players[k]) for k, p in enumerate(population.people)]
    people = [Person(p.name, organisations=(p.name,)) for p in population.people]
    names = [p.name for p in population.people]
    return Population(organisations, people, [(names[u], names[v]) for u, v in population.tie_people])


def run_play(people: int, rounds: int) -> dict:
    """Play only (rate 0) on bench/network.py's graph, each person's total payoff for the comparison;
    then the same graph with every person their own organisation (untimed)."""
    import resource

    from threadpoolctl import threadpool_limits

    from learning_dilemma.networks.dynamics import evolve_network

    with threadpool_limits(limits=1):
        population = peer.population_of(people)
        game = peer.game_of("limit")
        strategies = roster()
        wall, cpu = time.perf_counter(), time.process_time()
        evolution = evolve_network(population, game, strategies, rounds, peer.SEED, rate=0.0, record=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rivals = evolve_network(own_organisations(population), game, strategies, rounds, peer.SEED, rate=0.0,
                                record=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"wall": wall, "cpu": cpu, "rss": rss, "ties": population.n_ties,
            "scores": evolution.person_payoffs[0].sum(axis=1).tolist(),
            "rival_scores": rivals.person_payoffs[0].sum(axis=1).tolist()}


def rival_agreement(people: int, ours: dict, theirs: dict) -> str:
    """Max |our score - axelrod's| over the people who play no Random and have no Random partner,
    every person their own organisation (every tie axelrod's game)."""
    import numpy as np

    population = peer.population_of(people)
    strategy = np.array([STRATEGIES[population.organisation_index[p.organisations[0]] % len(STRATEGIES)][0]
                         for p in population.people])
    deterministic = np.isin(strategy, peer.DETERMINISTIC)
    eligible = deterministic.copy()
    for u, v in population.tie_people:
        eligible[u] &= deterministic[v]
        eligible[v] &= deterministic[u]
    difference = np.abs(np.array(ours["rival_scores"]) - np.array(theirs["scores"]))[eligible]
    return f"max |difference| {difference.max():.3g} over {difference.size} people" if difference.size else \
        "no person to compare"


def rival_deal(people: int):
    """Each person's index into ROSTER: a seeded permutation of the people taken mod len(ROSTER)."""
    import numpy as np

    return np.random.default_rng(SEED).permutation(people) % len(ROSTER)


def rival_population(people: int):
    """``people`` on a small world of degree ``peer.DEGREE`` (rewiring ``peer.REWIRING``, seed SEED),
    each person their own organisation (every tie between rivals), person k playing ROSTER[deal[k]]."""
    from learning_dilemma.networks import structures
    from learning_dilemma.networks.population import Organisation, Person, Population
    from learning_dilemma.strategies import CLASSIC

    classes = {cls.name: cls for cls in CLASSIC}
    names = [f"Person {k + 1:04d}" for k in range(people)]
    organisations = [Organisation(name, policy=classes[ROSTER[d][0]]()) for name, d in zip(names, rival_deal(people))]
    persons = [Person(name, organisations=(name,)) for name in names]
    ties = structures.small_world(names, peer.DEGREE, peer.REWIRING, seed=SEED)
    return Population(organisations, persons, ties=ties)


def run_rivals(people: int, rounds: int) -> dict:
    """Play only (rate 0) on the rival population, timed: evolve_network, then play_network;
    each person's total payoff over their ties and their number of ties."""
    import resource

    import numpy as np
    from threadpoolctl import threadpool_limits

    from learning_dilemma.networks.dynamics import evolve_network
    from learning_dilemma.networks.play import play_network
    from learning_dilemma.strategies import CLASSIC

    with threadpool_limits(limits=1):
        population = rival_population(people)
        game = peer.game_of("limit")
        classes = {cls.name: cls for cls in CLASSIC}
        strategies = [classes[name]() for name, _ in ROSTER]
        start = rival_deal(people)
        wall, cpu = time.perf_counter(), time.process_time()
        evolution = evolve_network(population, game, strategies, rounds, SEED, rate=0.0, start=start, record=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        network_wall, network_cpu = time.perf_counter(), time.process_time()
        results = play_network(population, game, rounds=rounds, seed=SEED)
        network_wall, network_cpu = time.perf_counter() - network_wall, time.process_time() - network_cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    degree = np.bincount(population.tie_people.reshape(-1), minlength=people)
    return {"wall": wall, "cpu": cpu, "network_wall": network_wall, "network_cpu": network_cpu, "rss": rss,
            "ties": population.n_ties, "degree": degree.tolist(),
            "scores": evolution.person_payoffs[0].sum(axis=1).tolist(),
            "network_scores": results.contributions.person_payoffs[0].sum(axis=1).tolist()}


def run_rivals_axelrod(people: int, rounds: int) -> dict:
    """axelrod's edges tournament on the rival population's ties, player k the namesake of person k's strategy."""
    import resource

    start = time.perf_counter()
    import axelrod as axl

    imported = time.perf_counter() - start
    population = rival_population(people)
    players = [getattr(axl, ROSTER[d][1])() for d in rival_deal(people)]
    out = peer.time_axelrod(players, population.tie_people, rounds)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"import": imported, "rss": rss, **out}


def compare_rivals(ours: dict, theirs: dict, rounds: int) -> dict:
    """Every person's payoff against axelrod's: per turn over their ties (normalised) and in total."""
    import numpy as np

    degree = np.array(ours["degree"], dtype=float)
    normalised = np.array(theirs["normalised"])
    totals = np.array(theirs["scores"])
    out = {"people": int(degree.size), "with_ties": int((degree > 0).sum())}
    for engine, key in (("evolve", "scores"), ("network", "network_scores")):
        mine = np.array(ours[key])
        with np.errstate(invalid="ignore", divide="ignore"):
            per_turn = mine / rounds / degree
        tied = degree > 0
        out[engine] = {"normalised": float(np.abs(per_turn - normalised)[tied].max()),
                       "total": float(np.abs(mine - totals).max())}
    out["spread"] = (float(normalised.min()), float(normalised.max()))
    return out


def child(argv) -> int:
    """``--child goal PEOPLE ROUNDS RULE KIND`` / ``rivals PEOPLE ROUNDS`` / ``rivals-axelrod PEOPLE ROUNDS`` /
    ``play PEOPLE ROUNDS`` / ``axelrod PEOPLE ROUNDS``: one JSON line."""
    what, people, rounds = argv[0], int(argv[1]), int(argv[2])
    if what == "goal":
        out = run_goal(people, rounds, argv[3], argv[4])
    elif what == "rivals":
        out = run_rivals(people, rounds)
    elif what == "rivals-axelrod":
        out = run_rivals_axelrod(people, rounds)
    elif what == "play":
        out = run_play(people, rounds)
    else:
        out = peer.run_axelrod(people, rounds)
    print(json.dumps(out))
    return 0


def fresh(*args) -> dict:
    """Run ``child(args)`` in a fresh Python process held to one thread."""
    env = dict(os.environ, **{name: "1" for name in peer.THREADS})
    root = os.path.dirname(HERE)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", *map(str, args)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the report ------------------------------------------------------------------------------

def load() -> str:
    return f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "load unknown"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=PEOPLE, help=f"people of the goal (default {PEOPLE:,})")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds (default {ROUNDS:,})")
    parser.add_argument("--small", type=int, default=SMALL,
                        help=f"people of the comparison with axelrod (default {SMALL})")
    parser.add_argument("--no-axelrod", action="store_true", help="the goal only")
    parser.add_argument("--headline", action="store_true", help="only the first run of the goal")
    parser.add_argument("--with-random", action="store_true",
                        help="also bench/network.py's graph with Random (partial comparison)")
    args = parser.parse_args(argv)
    people, rounds = args.people, args.rounds

    print(f"goal: {people:,} people of {ORGANISATIONS} organisations, small world of degree {DEGREE} (rewiring "
          f"{REWIRING:g}), {rounds:,} rounds of play and imitation (rate {RATE:g}, mutation {MUTATION:g}, memory 1), "
          f"1 repetition, seed {SEED}; one thread per process; under {GOAL:g} s on one core")
    print(f"  ({os.cpu_count()} CPUs, {load()} at the start; precision: float64 draws, payoffs and fitness, int64 "
          "states and indices, int32 stakes and ties)")
    runs = RUNS[:1] if args.headline else RUNS
    for k, (label, rule, kind) in enumerate(runs):
        out = fresh("goal", people, rounds, rule, kind)
        if k == 0:
            print(f"  building the population (structure included): {out['built']:.2f} s; {out['ties']:,} ties")
        rate = out["ties"] * rounds / out["wall"]
        verdict = "met" if out["cpu"] < GOAL else "NOT met"   # one core's time; wall adds the other work's
        print(f"  {label:<52} {out['wall']:6.2f} s wall {out['cpu']:6.2f} s CPU {rate:>12,.0f} tie-rounds/s  "
              f"peak traced {out['traced'] / 1e6:,.0f} MB, max RSS {out['rss'] / 1e6:,.0f} MB  -> goal {verdict}")
        shares = ", ".join(f"{name} {share:.2f}" for name, share in out["final_shares"].items())
        print(f"      giving share {out['giving_first']:.2f} in round 1, {out['giving_last']:.2f} in round "
              f"{rounds:,}; {out['changes']:.0f} changes a round; final shares: {shares}  ({load()})")
    if args.no_axelrod:
        return 0

    small = args.small
    print(f"peer comparison: {small:,} people, each their own organisation (every tie between rivals: axelrod's "
          f"game), small world of degree {peer.DEGREE} (rewiring {peer.REWIRING:g}, seed {SEED}), {rounds:,} rounds, "
          "play only (rate 0), the first edition's limit game; nine deterministic axelrod namesakes dealt by a seeded "
          f"permutation: {', '.join(name for name, _ in ROSTER)}")
    ours = fresh("rivals", small, rounds)
    theirs = fresh("rivals-axelrod", small, rounds)
    print(f"  (axelrod {theirs['version']} imported in {theirs['import']:.1f} s, not counted; {ours['ties']:,} ties, "
          f"{min(ours['degree'])} to {max(ours['degree'])} a person)")
    network = {"wall": ours["network_wall"], "cpu": ours["network_cpu"], "ties": ours["ties"], "rss": ours["rss"]}
    for label, out in (("ours: evolve_network(..., rate=0)", ours), ("ours: play_network (the tie engine)", network),
                       ("axelrod Tournament(edges=...).play()", theirs)):
        rate = out["ties"] * rounds / out["wall"]
        print(f"  {label:<52} {out['wall']:6.2f} s wall {out['cpu']:6.2f} s CPU {rate:>12,.0f} tie-rounds/s  "
              f"max RSS {out['rss'] / 1e6:,.0f} MB")
    print(f"  (axelrod's matches alone, build_results=False: {theirs['matches']:.2f} s; ours' max RSS is the "
          "process's, both engines)")
    print(f"  ratio axelrod / ours (evolve_network): {theirs['wall'] / ours['wall']:,.0f}x (wall), "
          f"{theirs['cpu'] / ours['cpu']:,.0f}x (CPU); matches alone {theirs['matches'] / ours['wall']:,.0f}x; "
          f"against play_network {theirs['wall'] / network['wall']:,.0f}x (wall), "
          f"{theirs['cpu'] / network['cpu']:,.0f}x (CPU)  ({load()})")
    agree = compare_rivals(ours, theirs, rounds)
    print(f"  payoffs vs axelrod: {agree['people']:,} people compared (every person; {agree['with_ties']:,} with "
          f"ties), axelrod's per-turn scores from {agree['spread'][0]:.3f} to {agree['spread'][1]:.3f}")
    for engine, label in (("evolve", "evolve_network"), ("network", "play_network")):
        print(f"    {label}: per turn, mean over the person's ties (axelrod's normalised_scores): max |difference| "
              f"{agree[engine]['normalised']:.3g}; total over the ties (axelrod's scores): max |difference| "
              f"{agree[engine]['total']:.3g}")
    if not args.with_random:
        return 0

    print(f"with Random: bench/network.py's graph at {small:,} people ({peer.ORGANISATIONS} organisations, "
          f"degree {peer.DEGREE}, seed {peer.SEED}), its five strategies, {rounds:,} rounds, play only (rate 0), the "
          "first edition's limit game; only people who neither play nor meet Random can agree (axelrod's Random "
          "draws from axelrod's generator)")
    ours = fresh("play", small, rounds)
    theirs = fresh("axelrod", small, rounds)
    for label, out in (("ours: evolve_network(..., rate=0)", ours), ("axelrod Tournament(edges=...).play()", theirs)):
        rate = out["ties"] * rounds / out["wall"]
        print(f"  {label:<52} {out['wall']:6.2f} s wall {out['cpu']:6.2f} s CPU {rate:>12,.0f} tie-rounds/s  "
              f"max RSS {out['rss'] / 1e6:,.0f} MB")
    print(f"  (axelrod's matches alone, build_results=False: {theirs['matches']:.2f} s)")
    print(f"  ratio axelrod / ours: {theirs['wall'] / ours['wall']:,.0f}x (wall), {theirs['cpu'] / ours['cpu']:,.0f}x "
          f"(CPU); matches alone {theirs['matches'] / ours['wall']:,.0f}x; totals vs axelrod's scores, organisations "
          f"kept: {peer.agreement(small, ours, theirs)} (deterministic, no Random partner, every tie across "
          f"organisations)  ({load()})")
    print(f"  the same graph and strategies, every person their own organisation: totals vs axelrod's scores: "
          f"{rival_agreement(small, ours, theirs)} (everyone who neither plays nor meets Random)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
