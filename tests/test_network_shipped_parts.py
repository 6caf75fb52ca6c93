"""The shipped network scenarios of issue 17's parts: itcom_partners (seed 000: ITCOM's
client managers choose Insys, Bencons or nobody) and delta_reputation (seed 001: personal
reputation in Delta's small world): what their files say, and the effect each claims,
with the ablation that removes it."""

from __future__ import annotations

import numpy as np

from learning_dilemma.io.scenarios.network import load_network_scenario
from learning_dilemma.networks.partner_choice import NOBODY


# --- itcom_partners --------------------------------------------------------------------------

def test_itcom_partners_casts_the_seed():
    scenario = load_network_scenario("itcom_partners")
    population = scenario.population
    assert [o.name for o in population.organisations] == ["ITCOM", "Insys", "Bencons"]
    itcom, insys, bencons = population.organisations
    assert itcom.walls == (("services", 0.8),) and not insys.walled and not bencons.walled
    by_name = {p.name: p for p in population.people}
    assert by_name["Insys 1"].multivocality == 0.5 and by_name["ITCOM 1"].multivocality == 0.0
    options = scenario.partner_choice
    assert options["decision_makers"] == ["ITCOM 1", "ITCOM 2", "ITCOM 3", "ITCOM 4"]
    assert all(c == ["Insys 1", "Bencons 1"] for c in options["candidates"].values())
    assert options["prior"] == {"Bencons 1": 1.0} and options["exploration"] == 0.0
    assert scenario.game.rstp()[3] == 1.0          # the prior puts Bencons at the loner payoff P
    assert options["rounds"] == 30                  # ten opportunities a year for three years
    # every manager has a tie with both partners, three prior rounds with Insys only
    ties = {(population.people[u].name, population.people[v].name): int(k)
            for (u, v), k in zip(population.tie_people, population.tie_prior)}
    assert len(ties) == 8
    assert all(k == (3 if "Insys 1" in pair else 0) for pair, k in ties.items())


def test_itcom_partners_habit_never_tries_bencons_and_exploration_does():
    """The hot stove as habit: Bencons starts at the loner payoff, so without exploration greedy choice
    never picks it (an estimate must beat P, and Insys's does), and its estimate is never corrected.
    With a client's demands (exploration 0.2 over 30 rounds x 4 managers: 12 tries of Bencons
    expected, half of the explorations) Bencons is tried and its estimate moves."""
    habit = load_network_scenario("itcom_partners").choose_partners()
    bencons = habit.population.person_index["Bencons 1"]
    slot = list(habit.candidates[0]).index(bencons)
    assert not np.any(habit.chosen == bencons)
    assert np.all(habit.estimates[:, :, slot] == 1.0)
    assert np.all(habit.ruled_out()[:, slot]) and not habit.ties[-1][:, slot].any()
    assert not np.any(habit.chosen == NOBODY)      # Insys is always worth more than doing it alone here
    demanded = load_network_scenario("itcom_partners", ["network.partner_choice.exploration=0.2"]).choose_partners()
    tried = demanded.chosen == bencons
    assert tried.any()
    for row in range(len(demanded.decision_makers)):   # each manager's first try of Bencons is an exploration
        first = np.flatnonzero(tried[row])
        assert not len(first) or demanded.explored[row, first[0]]
    assert np.any(demanded.estimates[-1][:, slot] != 1.0)


# --- delta_reputation ------------------------------------------------------------------------

def test_delta_reputation_is_delta_network_plus_reputation():
    plain = load_network_scenario("delta_network")
    scenario = load_network_scenario("delta_reputation")
    assert scenario.parts == ("reputation",)
    assert scenario.population.people == plain.population.people
    assert scenario.population.tie_people.tolist() == plain.population.tie_people.tolist()
    assert scenario.population.groups == plain.population.groups and scenario.game == plain.game
    options = scenario.reputation
    assert (options["norm"], options["assessment"], options["observation"], options["pairing"]) == (
        "standing", "private", "neighbours", "ties")
    run = scenario.simulate_reputation()
    assert run.counts == {"ALLD": 3, "DISC": 30}
    # the free riders are Peer institute 1's first three researchers (shares given in the order listed)
    assert [scenario.population.people[p].name for p in np.flatnonzero(run.strategy_of == 1)] == [
        "Peer institute 1 1", "Peer institute 1 2", "Peer institute 1 3"]


def test_delta_reputation_keeps_free_riders_below_discriminators_and_not_without_observation():
    """Seed 001: in Delta's small world personal reputation keeps people honest. With the file's
    observation along the ties the free riders earn less per round than the discriminators; with
    observation off nobody's image changes, every discriminator helps them, and they earn more
    (they take without paying the cost)."""
    options = ["repetitions=4"]
    kept = load_network_scenario("delta_reputation", options).simulate_reputation().mean_payoffs(burn_in=8)
    assert kept["ALLD"] < kept["DISC"]
    blind = load_network_scenario("delta_reputation", options + ['network.reputation.observation="none"'])
    free = blind.simulate_reputation().mean_payoffs(burn_in=8)
    assert free["ALLD"] > free["DISC"]
