"""Network scenario keys of issues 17 and 18 (io/scenarios/network.py): organisations'
Chinese walls, the coping person values, and the tables [network.partner_choice],
[network.reputation], [network.dynamics] and [network.selection]: every key's
validation (one line naming the file and the key), defaults that are the modules'
own, limits checked when the file is read, and a scenario without these keys read
and played exactly as before."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.games import LearningGame
from learning_dilemma.games.learning import Domain
from learning_dilemma.io.scenarios.network import (
    COPING_DEFAULTS, PART_KEYS, PARTS, donation_limit, load_network_scenario,
)
from learning_dilemma.limits import ResourceLimitError, raised
from learning_dilemma.networks.dynamics import evolve_network
from learning_dilemma.networks.partner_choice import choose_partners
from learning_dilemma.networks.reputation import simulate_reputation
from learning_dilemma.networks.selection import simulate_population

BASE = """
name = "small"
seed = 3
rounds = 6
repetitions = 2
{top}
[network]
structure = "complete"
groups = "size"
group_size = 3
{network}

[[organisations]]
name = "A"
people = 3
{a}policy = {{ strategy = "{first}" }}

[[organisations]]
name = "B"
people = 3
policy = {{ strategy = "{second}" }}
{tail}
"""


def write(tmp_path, network="", tail="", top="", a="", first="Tit For Tat", second="Defector", name="small.toml"):
    path = tmp_path / name
    path.write_text(BASE.format(network=textwrap.dedent(network), tail=textwrap.dedent(tail), top=top, a=a,
                                first=first, second=second))
    return path


def refused(path, key, fragment=""):
    """The one-line error of loading ``path``: names the file and ``key``, then says ``fragment``."""
    with pytest.raises(ParameterError) as caught:
        load_network_scenario(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {key}: "), message
    assert fragment in message, message
    return message


# --- a part-1 scenario is as it was -------------------------------------------------------------

def test_a_scenario_without_the_new_keys_has_no_parts_and_its_old_settings(tmp_path):
    plain = load_network_scenario(write(tmp_path))
    assert plain.parts == () and all(getattr(plain, part) is None for part in PARTS)
    assert all(not str(key).startswith(tuple(f"network.{p}" for p in PARTS)) for key, _ in plain.settings())
    assert all(getattr(person, key) == 0.0 for person in plain.population.people for key in COPING_DEFAULTS)
    assert all(o.walls == 0.0 and not o.walled for o in plain.population.organisations)


def test_the_parts_leave_the_play_and_the_old_settings_as_they_were(tmp_path):
    plain = load_network_scenario(write(tmp_path))
    tables = """
        [network.partner_choice]
        [network.reputation]
        [network.dynamics]
        [network.selection]
        givers = ["A"]
        """
    full = load_network_scenario(write(tmp_path, network=tables, name="full.toml"))
    assert full.parts == PARTS
    old = plain.settings()
    assert full.settings()[:len(old)] == old
    assert {key.split(".")[1] for key, _ in full.settings()[len(old):]} == set(PARTS)
    a, b = plain.play(), full.play()
    for name in ("person_payoffs", "organisation_payoffs", "gives", "acts", "learning", "absorbed"):
        assert np.array_equal(getattr(a.contributions, name), getattr(b.contributions, name))


# --- walls and the coping person values ---------------------------------------------------------

def test_walls_one_number_or_per_domain(tmp_path):
    scenario = load_network_scenario(write(tmp_path, a="walls = 0.4\n"))
    assert scenario.population.organisations[0].walls == 0.4
    assert scenario.population.organisations[1].walls == 0.0
    domains = """
        [[game.domains]]
        name = "products"
        share = 0.5
        overlap = 0.2

        [[game.domains]]
        name = "services"
        share = 0.5
        overlap = 1.0
        """
    path = write(tmp_path, a='walls = { services = 0.8 }\n', tail=domains, name="domains.toml")
    walls = load_network_scenario(path).population.organisations[0].walls
    assert walls == (("services", 0.8),)


@pytest.mark.parametrize("walls, key, fragment", [
    ("1.5", "organisations[0].walls", "in [0, 1]"),
    ('"high"', "organisations[0].walls", "a number in [0, 1] or a table"),
    ("true", "organisations[0].walls", "a number in [0, 1] or a table"),
    ("{ services = 0.5 }", "organisations[0].walls", "need [[game.domains]]"),
])
def test_bad_walls_are_one_line(walls, key, fragment, tmp_path):
    refused(write(tmp_path, a=f"walls = {walls}\n"), key, fragment)


def test_a_wall_on_a_domain_the_game_does_not_have(tmp_path):
    domains = """
        [[game.domains]]
        name = "services"
        share = 1.0
        overlap = 1.0
        """
    refused(write(tmp_path, a='walls = { hardware = 0.5 }\n', tail=domains), "organisations[0].walls.hardware",
            "not a domain of the game (domains: services)")
    refused(write(tmp_path, a='walls = { services = -0.5 }\n', tail=domains, name="b.toml"),
            "organisations[0].walls.services", "in [0, 1]")


def test_coping_values_resolve_person_then_organisation_then_network(tmp_path):
    people = """
        [[people]]
        name = "Own"
        organisations = ["A"]
        efficiency = 0.9
        meta_horizon = 0.95
        """
    path = write(tmp_path, network="efficiency = 0.2\nmeta_synergy = 1.5\nmultivocality = 0.3\n",
                 a="efficiency = 0.5\nmeta_horizon = 0.8\n", tail=people)
    population = load_network_scenario(path).population
    by_name = {p.name: p for p in population.people}
    assert (by_name["A 1"].efficiency, by_name["A 1"].meta_horizon) == (0.5, 0.8)       # the organisation's
    assert (by_name["B 1"].efficiency, by_name["B 1"].meta_horizon) == (0.2, 0.0)       # [network]'s, the default
    assert (by_name["Own"].efficiency, by_name["Own"].meta_horizon) == (0.9, 0.95)      # the person's
    assert all(p.meta_synergy == 1.5 and p.multivocality == 0.3 for p in population.people)


@pytest.mark.parametrize("where, key, value, fragment", [
    ("network", "efficiency", "1.5", "in [0, 1]"),
    ("network", "meta_horizon", "1.0", "in [0, 1)"),
    ("network", "meta_synergy", "-1", ">= 0"),
    ("network", "multivocality", '"much"', "expected a number"),
    ("organisation", "efficiency", "-0.1", "in [0, 1]"),
    ("organisation", "meta_horizon", "-0.5", "in [0, 1)"),
])
def test_bad_coping_values_are_one_line(where, key, value, fragment, tmp_path):
    if where == "network":
        refused(write(tmp_path, network=f"{key} = {value}\n"), f"network.{key}", fragment)
    else:
        refused(write(tmp_path, a=f"{key} = {value}\n"), f"organisations[0].{key}", fragment)


# --- every key of every part ------------------------------------------------------------------

BAD = [
    # partner choice
    ("partner_choice", "rounds = 0", "rounds", ">= 1"),
    ("partner_choice", "arrival = 1.5", "arrival", "in [0, 1]"),
    ("partner_choice", "exploration = -0.1", "exploration", "in [0, 1]"),
    ("partner_choice", 'adjustment = "half"', "adjustment", "expected a number"),
    ("partner_choice", 'prior = "high"', "prior", "expected a number"),
    ("partner_choice", "prior = { Nobody = 1.0 }", "prior.Nobody", "unknown person or organisation"),
    ("partner_choice", 'prior = { A = "x" }', "prior.A", "expected a number"),
    ("partner_choice", "turns = 0", "turns", ">= 1"),
    ("partner_choice", "continuation = 1.0", "continuation", "in [0, 1)"),
    ("partner_choice", "turns = 5\ncontinuation = 0.5", "continuation", "either turns"),
    ("partner_choice", 'rule = "best"', "rule", "expected one of 'greedy', 'softmax'"),
    ("partner_choice", "temperature = 0", "temperature", "> 0"),
    ("partner_choice", "loner = 1", "loner", "true or false"),
    ("partner_choice", 'decision_makers = ["Nobody"]', "decision_makers[0]", "unknown person or organisation"),
    ("partner_choice", "decision_makers = []", "decision_makers", "at least one"),
    ("partner_choice", 'decision_makers = ["A", "A 1"]', "decision_makers[1]", "already named"),
    ("partner_choice", "decision_makers = 3", "decision_makers", "a list of people's or organisations' names"),
    ("partner_choice", 'candidates = { "A 1" = ["A 1", "B 1"] }', "candidates.A 1", "among their own candidates"),
    ("partner_choice", 'candidates = { Nobody = ["B 1"] }', "candidates.Nobody", "unknown person or organisation"),
    ("partner_choice", 'candidates = { "A 1" = ["Nobody"] }', "candidates.A 1[0]", "unknown person"),
    ("partner_choice", 'candidates = { "A 1" = [] }', "candidates.A 1", "at least one candidate"),
    ("partner_choice", "candidates = 3", "candidates", "a table of decision-makers"),
    ("partner_choice", 'candidates = { A = ["B"], "A 1" = ["B 1"] }', "candidates.A 1", "already has candidates"),
    ("partner_choice", "mood = 1", "mood", "unknown key"),
    # reputation
    ("reputation", 'norm = "kindness"', "norm", "unknown norm 'kindness'"),
    ("reputation", "norm = 3", "norm", "a norm's name"),
    ("reputation", 'strategies = "NICE"', "strategies", "expected one of ALLC, ALLD, DISC"),
    ("reputation", "strategies = { DISC = 0.5 }", "strategies", "sum to 1"),
    ("reputation", "strategies = { FOO = 1.0 }", "strategies.FOO", "unknown strategy"),
    ("reputation", "strategies = { DISC = 1.5, ALLD = -0.5 }", "strategies.DISC", "in [0, 1]"),
    ("reputation", "strategies = 3", "strategies", "a strategy name"),
    ("reputation", "execution_error = 2", "execution_error", "in [0, 1]"),
    ("reputation", "assessment_error = -1", "assessment_error", "in [0, 1]"),
    ("reputation", 'observation = "some"', "observation", "expected one of 'all', 'none', 'neighbours'"),
    ("reputation", "observation = 1.5", "observation", "in [0, 1]"),
    ("reputation", 'observation = "neighbours"', "observation", "needs assessment = 'private'"),
    ("reputation", 'assessment = "shared"', "assessment", "expected one of 'public', 'private'"),
    ("reputation", 'pairing = "anyone"', "pairing", "expected one of 'random', 'ties'"),
    ("reputation", "rounds = 0", "rounds", ">= 1"),
    ("reputation", "repetitions = 0", "repetitions", ">= 1"),
    ("reputation", "burn_in = 6", "burn_in", "fewer than rounds=6"),
    ("reputation", "burn_in = -1", "burn_in", ">= 0"),
    ("reputation", "benefit = -1", "benefit", ">= 0"),
    ("reputation", 'cost = "x"', "cost", "expected a number"),
    ("reputation", "errors = 0.1", "errors", "unknown key"),
    # dynamics
    ("dynamics", 'rule = "moran"', "rule", "'pairwise', 'death_birth', 'birth_death'"),
    ("dynamics", "delta = -1", "delta", ">= 0"),
    ("dynamics", "mutation = 2", "mutation", "in [0, 1]"),
    ("dynamics", "rate = -0.5", "rate", "in [0, 1]"),
    ("dynamics", "memory = 0", "memory", ">= 1"),
    ("dynamics", "rounds = 0", "rounds", ">= 1"),
    ("dynamics", "repetitions = 0", "repetitions", ">= 1"),
    ("dynamics", 'fitness = "cubic"', "fitness", "'linear', 'exponential'"),
    ("dynamics", 'restart = "all"', "restart", "'relation', 'side'"),
    ("dynamics", 'keying = "person"', "keying", "'round', 'tie'"),
    ("dynamics", "every = 0", "every", ">= 1"),
    ("dynamics", "strategies = []", "strategies", "a list of strategies"),
    ("dynamics", 'strategies = ["Nope", "Defector"]', "strategies[0].strategy", "unknown strategy 'Nope'"),
    ("dynamics", "strategies = [3]", "strategies[0]", "a strategy name or a player table"),
    ("dynamics", 'strategies = ["Tit For Tat", "Tit For Tat", "Defector"]', "strategies[1]", "already strategies[0]"),
    ("dynamics", 'strategies = ["axelrod:Tit For Tat", "Defector"]', "strategies[0]", "not an automaton"),
    ("dynamics", 'strategies = ["Tit For Tat"]', "strategies", "person 'B 1' plays Defector, which is not in the "
                                                               "roster"),
    ("dynamics", 'strategies = [{ strategy = "Tit For Tat", label = "" }, "Defector"]', "strategies[0].label",
     "non-empty"),
    ("dynamics", 'start = { "A 1" = "Grudger" }', "start.A 1", "not in network.dynamics.strategies"),
    ("dynamics", 'start = { Nobody = "Defector" }', "start.Nobody", "unknown person or organisation"),
    ("dynamics", 'start = { A = "Defector", "A 1" = "Defector" }', "start.A 1", "already has a start"),
    ("dynamics", "start = 3", "start", "a table of people or organisations"),
    ("dynamics", "start = { A = 1 }", "start.A", "by label or name"),
    ("dynamics", "intensity = 1", "intensity", "unknown key"),
    # selection
    ("selection", "q = 2\ngivers = [\"A\"]", "q", "in [0, 1]"),
    ("selection", "w = -1\ngivers = [\"A\"]", "w", ">= 0"),
    ("selection", "steps = 0\ngivers = [\"A\"]", "steps", ">= 1"),
    ("selection", "runs = 0\ngivers = [\"A\"]", "runs", ">= 1"),
    ("selection", "record_every = 0\ngivers = [\"A\"]", "record_every", ">= 1"),
    ("selection", 'fitness = "cubic"\ngivers = ["A"]', "fitness", "'linear', 'exponential'"),
    ("selection", "n = 1\ngivers = [\"A\"]", "n", ">= 2"),
    ("selection", "n = 2\ngivers = [\"A\"]", "n", "at least the largest group (3 members)"),
    ("selection", "n = 41\ngivers = [\"A\"]", "n", "at most 40"),
    ("selection", 'givers = ["Nobody"]', "givers[0]", "unknown person or organisation"),
    ("selection", "givers = 3", "givers", "a list of people's or organisations' names"),
    ("selection", "benefit = -1\ngivers = [\"A\"]", "benefit", ">= 0"),
    ("selection", 'cost = "x"\ngivers = ["A"]', "cost", "expected a number"),
    ("selection", "cost = 5\nw = 1\ngivers = [\"A\"]", "w", "must be positive"),
    ("selection", "", "givers", "person 'A 1' plays Tit For Tat; multilevel selection plays"),
    ("selection", "splits = 1", "splits", "unknown key"),
]


@pytest.mark.parametrize("part, body, key, fragment", BAD, ids=[f"{p}.{k}:{b[:25]}" for p, b, k, _ in BAD])
def test_every_key_of_every_part_is_checked_in_one_line(part, body, key, fragment, tmp_path):
    path = write(tmp_path, network=f"[network.{part}]\n{body}\n")
    refused(path, f"network.{part}.{key}", fragment)


def test_every_documented_key_is_exercised_above():
    """Each key of each part's table appears in a refusal above (the reliability guarantees cover it)."""
    exercised = {(part, key.split(".")[0].split("[")[0]) for part, _, key, _ in BAD}
    for part, keys in PART_KEYS.items():
        assert {(part, key) for key in keys} <= exercised, sorted({(part, k) for k in keys} - exercised)


def test_a_part_that_is_not_a_table(tmp_path):
    refused(write(tmp_path, network="dynamics = 3\n"), "network.dynamics", "expected a table ([network.dynamics])")


def test_unknown_part_keys_are_refused_before_anything_is_built(tmp_path, monkeypatch):
    from learning_dilemma.networks import structures

    def never(*args, **kwargs):
        raise AssertionError("the structure was generated before the part's keys were checked")

    monkeypatch.setattr(structures, "structure", never)
    refused(write(tmp_path, network="[network.reputation]\nnorms = 1\n"), "network.reputation.norms", "unknown key")


@pytest.mark.parametrize("part, body, key, fragment", [
    ("reputation", 'pairing = "ties"', "network.reputation.pairing", "has none"),
    ("reputation", 'assessment = "private"\nobservation = "neighbours"', "network.reputation.observation",
     "has none"),
    ("dynamics", "", "network.dynamics", "no ties to play and imitate along"),
    ("partner_choice", "", "network.partner_choice", "nobody has a candidate"),
])
def test_parts_that_need_ties_say_so(part, body, key, fragment, tmp_path):
    path = write(tmp_path, network=f'[network.{part}]\n{body}\n')
    path.write_text(path.read_text().replace('structure = "complete"', 'structure = "none"'))
    refused(path, key, fragment)


def test_selection_needs_two_groups(tmp_path):
    path = write(tmp_path, network='[network.selection]\ngivers = ["A"]\n')
    path.write_text(path.read_text().replace('groups = "size"\ngroup_size = 3', 'groups = "one"'))
    refused(path, "network.selection", "at least two groups, the network has 1")


# --- what the parts run: the modules' functions with the scenario's values ---------------------

def test_partner_choice_is_choose_partners_with_its_defaults(tmp_path):
    scenario = load_network_scenario(write(tmp_path, network="[network.partner_choice]\nexploration = 0.2\n"))
    ran = scenario.choose_partners()
    direct = choose_partners(scenario.population, scenario.game, rounds=6, seed=3, exploration=0.2)
    for name in ("decision_makers", "candidates", "chosen", "payoff", "estimates", "ties"):
        assert np.array_equal(getattr(ran, name), getattr(direct, name), equal_nan=True), name
    assert ran.settings == direct.settings


def test_partner_choice_names_organisations_for_their_people(tmp_path):
    body = """
        [network.partner_choice]
        decision_makers = ["A"]
        candidates = { A = ["B"] }
        prior = { B = 1.0, "B 2" = 4.0 }
        rounds = 4
        turns = 3
        """
    scenario = load_network_scenario(write(tmp_path, network=body))
    options = scenario.partner_choice
    assert options["decision_makers"] == ["A 1", "A 2", "A 3"]
    assert options["candidates"] == {f"A {k}": ["B 1", "B 2", "B 3"] for k in (1, 2, 3)}
    assert options["prior"] == {"B 1": 1.0, "B 2": 4.0, "B 3": 1.0}   # a person named after their organisation wins
    ran = scenario.choose_partners()
    names = [scenario.population.people[int(c)].name for c in ran.candidates[0]]
    assert names == ["B 1", "B 2", "B 3"] and ran.rounds == 4
    assert ran.estimates[0, 0].tolist() == [1.0, 4.0, 1.0]
    assert set(ran.lengths[ran.lengths > 0].tolist()) == {3}


def test_reputation_is_simulate_reputation_in_the_donation_limit_of_the_game(tmp_path):
    body = """
        [network.reputation]
        norm = "standing"
        strategies = { DISC = 0.5, ALLD = 0.5 }
        execution_error = 0.1
        benefit = 3.0
        rounds = 10
        """
    scenario = load_network_scenario(write(tmp_path, network=body, top="[game]\noverlap = 0.5\n"))
    ran = scenario.simulate_reputation()
    game = LearningGame(learning_benefit=3.0, leak=1.0, synergy=0.0, race_premium=0.0, overlap=0.5)
    direct = simulate_reputation(scenario.population, "standing", {"DISC": 0.5, "ALLD": 0.5}, game, rounds=10,
                                 seed=3, repetitions=2, execution_error=0.1)
    assert ran.game == game
    for name in ("cooperation", "good_share", "payoffs", "final_images"):
        assert np.array_equal(getattr(ran, name), getattr(direct, name), equal_nan=True), name


def test_the_donation_limit_is_the_donation_game():
    """Spec of issue 18: R = P + b - c, S = P - c, T = P + b, P at full overlap, whatever the game's
    synergy, race premium and stakes were."""
    from learning_dilemma.games import Knowledge

    game = LearningGame(status_quo=0.5, learning_benefit=3.0, leak=1.0, synergy=2.0, race_premium=1.0,
                        knowledge=Knowledge(3, 0.5))
    assert donation_limit(game).rstp() == (2.5, -0.5, 3.5, 0.5)
    assert donation_limit(game, benefit=4.0, cost=2.0).rstp() == (2.5, -1.5, 4.5, 0.5)
    domains = LearningGame(domains=(Domain("a", 0.5, 0.2), Domain("b", 0.5, 1.0)))
    assert donation_limit(domains).overlap == pytest.approx(0.6)


def test_dynamics_is_evolve_network_with_the_roster_and_the_starts(tmp_path):
    body = """
        [network.dynamics]
        rule = "death_birth"
        delta = 0.1
        rate = 0.5
        strategies = ["Defector", "Tit For Tat", { strategy = "Grudger", label = "Grudge" }]
        start = { "A 1" = "Grudge", B = "Tit For Tat" }
        """
    scenario = load_network_scenario(write(tmp_path, network=body))
    ran = scenario.evolve()
    assert ran.labels == ("Defector", "Tit For Tat", "Grudge")
    # A 2, A 3 keep their own Tit For Tat; A 1 starts as Grudger; B's people as Tit For Tat
    assert ran.start.tolist() == [2, 1, 1, 1, 1, 1]
    direct = evolve_network(scenario.population, scenario.game, list(scenario.dynamics["strategies"]), rounds=6,
                            seed=3, rule="death_birth", intensity=0.1, rate=0.5, repetitions=2,
                            start=[2, 1, 1, 1, 1, 1])
    for name in ("counts", "gives", "acts", "payoff", "final"):
        assert np.array_equal(getattr(ran, name), getattr(direct, name)), name


def test_dynamics_by_default_spreads_the_peoples_own_strategies(tmp_path):
    scenario = load_network_scenario(write(tmp_path, network="[network.dynamics]\n"))
    ran = scenario.evolve()
    assert ran.labels == ("Tit For Tat", "Defector") and ran.start.tolist() == [0, 0, 0, 1, 1, 1]
    assert (ran.rule, ran.intensity, ran.rate, ran.memory, ran.rounds, ran.repetitions) == ("pairwise", 1.0, 0.01, 1,
                                                                                          6, 2)


def test_a_start_may_name_a_strategy_by_its_name_when_only_one_entry_has_it(tmp_path):
    body = """
        [network.dynamics]
        strategies = ["Defector", { strategy = "Tit For Tat", label = "TFT" },
                      { strategy = "Tit For Tat", label = "TFT 2", receptivity = 0.5 }]
        start = { B = "Tit For Tat" }
        """
    refused(write(tmp_path, network=body), "network.dynamics.start.B", "names 2 strategies of the roster; use a label")


def test_selection_is_simulate_population_with_the_givers(tmp_path):
    body = """
        [network.selection]
        givers = ["A 1", "B"]
        q = 0.2
        w = 0.05
        steps = 40
        record_every = 5
        """
    scenario = load_network_scenario(write(tmp_path, network=body))
    ran = scenario.select()
    population = scenario.selection["_population"]
    assert [player.name for player in population.players()] == ["Cooperator", "Defector", "Defector",
                                                                "Cooperator", "Cooperator", "Cooperator"]
    assert population.groups == scenario.population.groups and population.tie_people is scenario.population.tie_people
    direct = simulate_population(population, 0.2, 0.05, 40, 3, game=donation_limit(scenario.game), runs=2,
                                 record_every=5)
    for name in ("steps", "cooperator_share", "group_share", "organisation_share", "descendants", "outcome"):
        assert np.array_equal(getattr(ran, name), getattr(direct, name), equal_nan=True), name
    assert scenario.population.players()[0].name == "Tit For Tat"   # the scenario's own people are untouched


def test_selection_plays_the_peoples_own_cooperators_and_defectors(tmp_path):
    scenario = load_network_scenario(write(tmp_path, network="[network.selection]\nsteps = 10\n",
                                           first="Cooperator"))
    assert scenario.selection["givers"] == "own"
    assert scenario.select().cooperator_share[:, 0].tolist() == [0.5, 0.5]


def test_a_run_time_refusal_names_the_file_and_the_key(tmp_path):
    """Linear fitness 1 + delta f must stay positive (the dynamics find the lowest payoff when they
    build their table): a negative status quo with a large delta is refused naming network.dynamics.delta."""
    body = '[network.dynamics]\nrule = "death_birth"\ndelta = 1.0\nrate = 0.5\n'
    scenario = load_network_scenario(write(tmp_path, network=body, top="[game]\nstatus_quo = -1.0\n"))
    with pytest.raises(ParameterError, match=r"small.toml: network.dynamics.delta: fitness 1 \+ intensity"):
        scenario.evolve()


def test_run_plays_and_runs_every_part_present(tmp_path):
    tables = "[network.reputation]\nrounds = 3\n[network.dynamics]\nrounds = 3\n"
    scenario = load_network_scenario(write(tmp_path, network=tables))
    outcome = scenario.run()
    assert outcome.parts == ("reputation", "dynamics") and outcome.results is not None
    assert outcome.partner_choice is None and outcome.selection is None
    assert scenario.run(play=False).results is None
    with pytest.raises(ParameterError, match=r"small.toml: network.selection: the scenario has no "):
        scenario.select()


# --- switching parts on and off ---------------------------------------------------------------

def test_parts_switch_on_with_their_defaults_and_off(tmp_path):
    path = write(tmp_path, network="[network.reputation]\nnorm = \"standing\"\n")
    on = load_network_scenario(path, parts={"dynamics": True, "reputation": True})
    assert on.parts == ("reputation", "dynamics")
    assert on.reputation["norm"] == "standing"                       # a table that is there is kept
    assert on.raw["network"]["dynamics"] == {}
    off = load_network_scenario(path, parts={"reputation": False})
    assert off.parts == () and "reputation" not in off.raw["network"]
    set_on = load_network_scenario(path, ["network.dynamics.delta=0.5"])
    assert set_on.parts == ("reputation", "dynamics") and set_on.dynamics["delta"] == 0.5
    with pytest.raises(ParameterError, match="unknown part 'moran'"):
        load_network_scenario(path, parts={"moran": True})


def test_a_part_switched_on_without_a_network_table(tmp_path):
    path = tmp_path / "bare.toml"
    path.write_text(textwrap.dedent("""
        name = "bare"
        seed = 1
        rounds = 3
        [[organisations]]
        name = "A"
        people = 4
        policy = { strategy = "Cooperator" }
        """))
    with pytest.raises(ParameterError, match="network.dynamics: the network has no ties"):
        load_network_scenario(path, parts={"dynamics": True})
    scenario = load_network_scenario(path, parts={"reputation": True})
    assert scenario.parts == ("reputation",) and scenario.simulate_reputation().mean_cooperation() == 1.0


# --- limits from the numbers, before anything runs ---------------------------------------------

@pytest.mark.parametrize("body, limits, key, says", [
    ("[network.partner_choice]\nrounds = 50\nturns = 100", {"rounds": 10_000}, "network.partner_choice",
     "6 decision-makers x rounds=50 x 100 rounds an engagement"),
    ("[network.partner_choice]\nturns = 20", {"match_rounds": 10}, "network.partner_choice.turns", "turns=20"),
    ("[network.reputation]\nrounds = 100\nrepetitions = 10", {"rounds": 1_000}, "network.reputation",
     "repetitions=10 x rounds=100 x 6 donors"),
    ('[network.reputation]\nassessment = "private"', {"ties": 20}, "network.reputation.assessment",
     "private assessment of 6 people"),
    ("[network.dynamics]\nrounds = 100\nrepetitions = 10", {"rounds": 1_000}, "network.dynamics",
     "15 ties x repetitions=10 x rounds=100"),
    ("[network.dynamics]\nmemory = 50", {"match_rounds": 500}, "network.dynamics.memory", "memory=50"),
    ('[network.dynamics]\nkeying = "tie"\nrounds = 40', {"match_rounds": 1_000}, "network.dynamics.keying",
     "keying='tie': 15 ties x repetitions=2 x rounds=40"),
    ('[network.selection]\ngivers = ["A"]\nsteps = 5000', {"generations": 1_000}, "network.selection.steps",
     "steps=5000"),
])
def test_each_parts_limits_are_checked_when_the_file_is_read(body, limits, key, says, tmp_path, monkeypatch):
    from learning_dilemma.networks import dynamics, partner_choice, reputation, selection

    def never(*args, **kwargs):
        raise AssertionError("a part ran before its limits were checked")

    for module, name in ((partner_choice, "choose_partners"), (reputation, "simulate_reputation"),
                         (dynamics, "evolve_network"), (selection, "simulate_population")):
        monkeypatch.setattr(module, name, never)
    path = write(tmp_path, network=body + "\n")
    with raised(**limits), pytest.raises(ResourceLimitError) as caught:
        load_network_scenario(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: ") and says in message, message


def test_a_counted_organisation_entry_names_all_its_copies(tmp_path):
    path = tmp_path / "counted.toml"
    path.write_text(textwrap.dedent("""
        name = "counted"
        seed = 1
        rounds = 3
        [network]
        structure = "complete"
        groups = "none"
        [network.dynamics]
        strategies = ["Tit For Tat", "Defector"]
        start = { Firm = "Defector" }
        [[organisations]]
        name = "Firm"
        count = 2
        people = 2
        policy = { strategy = "Tit For Tat" }
        [[organisations]]
        name = "Lab"
        people = 2
        policy = { strategy = "Tit For Tat" }
        """))
    scenario = load_network_scenario(path)
    assert scenario.dynamics["_start"].tolist() == [1, 1, 1, 1, 0, 0]    # Firm 1's and Firm 2's people
    assert scenario.dynamics["start"] == {"Firm 1 1": "Defector", "Firm 1 2": "Defector", "Firm 2 1": "Defector",
                                          "Firm 2 2": "Defector"}


def test_the_coping_keys_reach_the_play(tmp_path):
    """A wall and multi-vocality set in the file change what the play pays (networks/coping.py's effects
    are its own tests'; here: the keys reach the mechanisms, and off is part 1's play)."""
    def payoffs(a="", network=""):
        scenario = load_network_scenario(write(tmp_path, a=a, network=network, first="Cooperator",
                                               second="Tit For Tat", name="coping.toml"))
        return scenario.play().contributions.person_payoffs

    plain = payoffs()
    assert np.array_equal(payoffs(a="walls = 0.0\nmultivocality = 0.0\n"), plain)
    walled = payoffs(a="walls = 1.0\n")
    assert not np.array_equal(walled, plain)
    voiced = payoffs(network="multivocality = 0.5\n")
    # everyone gives here (Cooperator and Tit For Tat), so every relation-round adds 0.5 to each side
    assert np.all(voiced >= plain) and not np.array_equal(voiced, plain)
