"""Exact expected payoffs of a network's ties: the pairwise chain with two levels of payoff.

Along a tie ``(u, v)`` (``u < v``, a row of :attr:`.Population.tie_people`)
person *u* plays side A and *v* side B of the second edition's pairwise
learning game, exactly as :mod:`.play` simulates it: the strategies
``population.players()[u]`` and ``[v]`` with their receptivities and
tacitnesses, the tie's prior rounds of mutual giving starting the tie strength
and the automata (:class:`~learning_dilemma.match.Match`'s ``prior_rounds``),
stakes at ``game.initial_stakes(0)``. A pairing of automata is a Markov chain
(:mod:`learning_dilemma.exact.chain`); the tie's chain is that pairing's, and
only what a round pays differs. With the payoff hook of
:func:`~learning_dilemma.exact.chain.build_chain`, an open round with gives
``g``, transfers ``x`` and A's power position ``z = K_v - K_u`` pays each side the
two levels of :mod:`learning_dilemma.games.levels` (seed 001 s.4 and s.7;
sources there):

    person u        U_u  = P + A_u + lambda_u C_u^alpha + rho_u g_u - kappa_u |g_u - x*_u|
    organisation    Pi_u = P + alpha_u A_u + C_u^alpha

with ``A_u = (b - c) r_u x_v + w_u s (r_u + r_v) x_u x_v`` the own value (what
*u* learns and creates), ``C_u^alpha = gamma c (alpha_u r_u g_v - alpha_v r_v g_u)
+ gamma e alpha_u r_u x_v (1 - g_u)`` the competitive value at absorbed
receptivities, ``alpha`` each side's absorption (Cohen & Levinthal 1990; Inkpen
& Crossan 1995), ``lambda`` identification (Ashforth & Mael 1989), ``rho``
recognition per act of sharing (von Hippel 1987), ``kappa`` and ``x*`` the
weight and the prescription of the salient identity (Akerlof & Kranton 2000),
and ``gamma`` the tie's overlap ``m_u^T Gamma m_v`` (:meth:`.Population.pair_overlap`).
They are computed as :func:`~learning_dilemma.games.levels.person_payoff` plus
:func:`~learning_dilemma.games.levels.act_value` (one act per open tie-round)
and :func:`~learning_dilemma.games.levels.organisation_payoff`; side *v* is
paid the same with the roles swapped and ``-z``. A closed round (after a leave
or the end of the race) pays both levels the status quo ``P`` and holds no act.

With ``M`` the one-round transition matrix, ``e_0`` the start and ``u`` the
expected pay of each state, a tie of ``T`` fixed rounds has the expected pay per
round ``(1/T) sum_{t<T} e_0 M^t u``, and one that goes on after each round with
probability ``w`` (Axelrod 1984) ``E[total] / E[rounds] = (1 - w) e_0 (I - w
M)^{-1} u`` (:func:`~learning_dilemma.exact.expected.expected_payoffs`,
``averaging="ratio"``). Both levels are solved on the same occupation of the
chain. At ``alpha = lambda = 1`` and ``rho = kappa = 0`` the person payoff is the
stage payoff to the bit, and so a tie's expected person payoffs are
``expected_payoffs(a, b, game, ...).per_round`` (``tests/networks/test_exact.py``).

Only ties are solved: a group's chain grows as the product of its members'
automata and stakes, and groups are simulated (:mod:`.groups`).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_length, check_probability, continuation_of
from ..errors import ParameterError
from ..exact.chain import (
    GIVE_A, GIVE_B, LEARN_A, LEARN_B, MUTUAL, OPEN, PAY_A, PAY_B, check_chain_size, pairing_chain,
)
from ..exact.solve import averaged_occupancy, visits
from ..games import LearningGame
from ..games.levels import act_value, organisation_payoff, person_payoff
from ..players.automaton import MatchContext
from .population import Population

__all__ = ["LEVELS", "expected_people", "expected_ties", "two_level_payoffs"]

#: The two levels of payoff: the person's and their organisation's.
LEVELS = ("person", "organisation")


def two_level_payoffs(level: str, absorption=(1.0, 1.0), identification=(1.0, 1.0), recognition=(0.0, 0.0),
                      identity_weight=(0.0, 0.0), prescribed=(0.0, 0.0), overlap=None):
    """The payoff hook of one level of a tie: ``payoffs(game, g_a, g_b, x_a, x_b, r_a, r_b, z) -> (u_a, u_b)``.

    Parameters
    ----------
    level : {"person", "organisation"}
        ``"person"``: :func:`~learning_dilemma.games.levels.person_payoff` plus
        :func:`~learning_dilemma.games.levels.act_value` of each side's give;
        ``"organisation"``: :func:`~learning_dilemma.games.levels.organisation_payoff`.
    absorption, identification, recognition, identity_weight, prescribed : pair of float
        ``alpha``, ``lambda``, ``rho``, ``kappa`` and ``x*`` of side A and side B
        (the organisation level reads only ``absorption``).
    overlap : float, optional
        The tie's competitive overlap ``gamma``; default the game's.

    Returns
    -------
    callable
        For :func:`~learning_dilemma.exact.chain.build_chain` (``payoffs=``),
        and as the one rule that turns a play's moves, transfers and power
        into two-level payoffs (vectorised over numpy arrays). Side B is paid
        the same rule with the roles swapped and power ``-z``.
    """
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    (alpha_a, alpha_b), (lambda_a, lambda_b) = absorption, identification
    (rho_a, rho_b), (kappa_a, kappa_b), (star_a, star_b) = recognition, identity_weight, prescribed

    if level == "organisation":
        def paid(game, g_a, g_b, x_a, x_b, r_a, r_b, z):
            z = np.asarray(z)
            return (organisation_payoff(game, g_a, g_b, x_a, x_b, r_a, r_b, z, alpha_a, alpha_b, overlap),
                    organisation_payoff(game, g_b, g_a, x_b, x_a, r_b, r_a, -z, alpha_b, alpha_a, overlap))
    else:
        def paid(game, g_a, g_b, x_a, x_b, r_a, r_b, z):
            z = np.asarray(z)
            return (person_payoff(game, g_a, g_b, x_a, x_b, r_a, r_b, z, alpha_a, alpha_b, lambda_a, overlap)
                    + act_value(g_a, rho_a, kappa_a, star_a),
                    person_payoff(game, g_b, g_a, x_b, x_a, r_b, r_a, -z, alpha_b, alpha_a, lambda_b, overlap)
                    + act_value(g_b, rho_b, kappa_b, star_b))
    paid.__qualname__ = f"two_level_payoffs.<{level}>"
    return paid


def expected_ties(population: Population, game: LearningGame | None = None, turns: int | None = None,
                  continuation: float | None = None, noise: float = 0.0) -> dict:
    """The exact expected per-round outcome of every tie, both levels of payoff.

    Parameters
    ----------
    population : Population
        Every person on a tie must play an automaton strategy.
    game : LearningGame, optional
    turns, continuation
        The length of each tie's play, as for :class:`~learning_dilemma.match.Match`
        (200 turns by default).
    noise : float
        Probability that an intended move is flipped.

    Returns
    -------
    dict of ndarray
        Per tie, side 0 the tie's first person (``tie_people[:, 0]``), side 1
        the second; every value is an expectation per round:

        - ``"tie_people"`` (ties, 2): the two people;
        - ``"person_payoffs"`` (ties, 2): ``U`` (with the act value), ``P`` in closed rounds;
        - ``"organisation_payoffs"`` (ties, 2): ``Pi`` of each side's organisations
          (before the split over a person's organisations), ``P`` in closed rounds;
        - ``"give_rates"`` (ties, 2): share of rounds each gave;
        - ``"mutual_giving"`` (ties,): share of rounds both gave;
        - ``"learning"`` (ties, 2): what each learned, ``r_u x_v``;
        - ``"absorbed"`` (ties, 2): what reached the organisations, ``alpha_u r_u x_v``;
        - ``"open_share"`` (ties,): share of rounds the tie was open (each side acts
          once in each);
        - ``"length"`` (): the expected number of rounds.

    Ties with the same strategies, prior rounds, overlap and person parameters
    share one solve.
    """
    population, game = _population(population), _game(game)
    turns, continuation = check_length(turns, continuation)
    noise = check_probability("noise", noise)
    players = population.players()
    first, second = population.tie_people.T
    _check_players(population, players, game, turns, continuation)
    _check_no_coping(population)
    n = population.n_ties
    gamma = population.pair_overlap(first, second, game)
    values = {name: population.person_values(name)
              for name in ("identification", "recognition", "identity_weight", "prescription")}
    values["absorption"] = population.absorption
    out = {"tie_people": population.tie_people.copy()}
    for name in ("person_payoffs", "organisation_payoffs", "give_rates", "learning", "absorbed"):
        out[name] = np.zeros((n, 2))
    for name in ("mutual_giving", "open_share"):
        out[name] = np.zeros(n)
    length = float(turns) if turns is not None else 1.0 / (1.0 - continuation)
    solved = {}
    for k in range(n):
        u, v = int(first[k]), int(second[k])
        sides = {name: (float(value[u]), float(value[v])) for name, value in values.items()}
        prior = int(population.tie_prior[k])
        key = (id(players[u]), id(players[v]), prior, float(gamma[k]), *sorted(sides.items()))
        if key not in solved:
            solved[key] = _solve_tie(players[u], players[v], game, turns, continuation, noise, prior,
                                     float(gamma[k]), sides)
        person, organisation, shares = solved[key]
        out["person_payoffs"][k] = person
        out["organisation_payoffs"][k] = organisation
        out["give_rates"][k] = np.clip(shares[[GIVE_A, GIVE_B]], 0.0, 1.0)
        out["mutual_giving"][k] = np.clip(shares[MUTUAL], 0.0, 1.0)
        out["learning"][k] = shares[[LEARN_A, LEARN_B]]
        out["absorbed"][k] = np.array(sides["absorption"]) * shares[[LEARN_A, LEARN_B]]
        out["open_share"][k] = np.clip(shares[OPEN], 0.0, 1.0)
    out["length"] = np.array(length)
    return out


def expected_people(population: Population, game: LearningGame | None = None, turns: int | None = None,
                    continuation: float | None = None, noise: float = 0.0) -> dict:
    """The exact expected per-round payoffs of every person and organisation from the ties.

    A person's relations add up (as the simulation's ``Contributions`` do): with
    ``E[U_p^{(e)}]`` the expected per-round person payoff of person *p* on tie *e*,

        U_p = sum_{e ∋ p} E[U_p^{(e)}],      Pi_k = sum_p m_pk sum_{e ∋ p} E[Pi_p^{(e)}],

    ``m_pk = 1/m_p`` the person's membership of organisation *k*
    (:attr:`.Population.membership`: a person of several organisations pays each
    an equal share). A person without ties earns nothing here.

    Parameters
    ----------
    population : Population
        Without groups (their payoffs are simulated, :mod:`.groups`); every
        person on a tie plays an automaton strategy.
    game, turns, continuation, noise
        As for :func:`expected_ties`.

    Returns
    -------
    dict of ndarray
        ``"person_payoffs"``, ``"gives"`` (expected gives per round), ``"acts"``
        (expected open relations per round), ``"learning"``, ``"absorbed"`` and
        ``"relation_organisation_payoffs"`` (the ``Pi`` of each person's relations,
        before the split), shape (people,); ``"organisation_payoffs"`` and
        ``"organisation_learning"`` (``absorbed`` split over the memberships),
        shape (organisations,); ``"length"``.
    """
    population = _population(population)
    if population.groups:
        raise ParameterError(f"expected_people: the exact engine solves ties only and the network has "
                             f"{len(population.groups)} groups (simulate it with play_network)")
    ties = expected_ties(population, game, turns, continuation, noise)
    people = population.tie_people.ravel()
    n = population.n_people

    def per_person(values):
        return np.bincount(people, np.asarray(values).ravel(), minlength=n).astype(float)

    out = {
        "person_payoffs": per_person(ties["person_payoffs"]),
        "relation_organisation_payoffs": per_person(ties["organisation_payoffs"]),
        "gives": per_person(ties["give_rates"]),
        "acts": per_person(np.repeat(ties["open_share"][:, None], 2, axis=1)),
        "learning": per_person(ties["learning"]),
        "absorbed": per_person(ties["absorbed"]),
    }
    out["organisation_payoffs"] = population.membership.T @ out["relation_organisation_payoffs"]
    out["organisation_learning"] = population.membership.T @ out["absorbed"]
    out["length"] = ties["length"]
    return out


def _solve_tie(a, b, game, turns, continuation, noise, prior, gamma, sides):
    """Per-round person payoffs, organisation payoffs and reward shares of one tie,
    both levels on the same occupation of its chain."""
    w = continuation_of(turns, continuation)
    hooks = [two_level_payoffs(level, sides["absorption"], sides["identification"], sides["recognition"],
                               sides["identity_weight"], sides["prescription"], gamma) for level in LEVELS]
    person, organisation = (pairing_chain(a, b, game, w, turns, prior, 0, noise, payoffs=hook) for hook in hooks)
    if turns is not None:
        occupation = visits(person, turns)
        # as expected_payoffs sums them: visits @ rewards / turns
        return ((occupation @ person.rewards / turns)[[PAY_A, PAY_B]],
                (occupation @ organisation.rewards / turns)[[PAY_A, PAY_B]],
                occupation @ person.rewards / turns)
    occupation = averaged_occupancy(person, [continuation], "ratio")[0]
    shares = occupation @ person.rewards
    return shares[[PAY_A, PAY_B]], (occupation @ organisation.rewards)[[PAY_A, PAY_B]], shares


def _check_players(population, players, game, turns, continuation):
    """Automata only, and every pairing's chain within the chain_states limit before the first is built."""
    on_ties = np.unique(population.tie_people)
    for p in on_ties:
        if not players[p].is_automaton:
            raise ParameterError(f"expected_ties: person {population.people[p].name!r} plays "
                                 f"{players[p].label}, not an automaton; the exact engine needs automaton "
                                 f"strategies (simulate with play_network)")
    context = MatchContext(game, continuation_of(turns, continuation), turns)
    sizes = {}
    for u, v in population.tie_people:
        pair = (id(players[u]), id(players[v]))
        if pair not in sizes:
            sizes[pair] = None
            n_a, n_b = (players[p].compiled(context).n_states for p in (u, v))
            check_chain_size(n_a, n_b, game, (players[u].tacitness, players[v].tacitness))


def _population(population) -> Population:
    if not isinstance(population, Population):
        raise ParameterError(f"population must be a Population, got {population!r}")
    return population


def _game(game) -> LearningGame:
    if game is None:
        return LearningGame()
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    return game


def _check_no_coping(population) -> None:
    """Refuse identity coping, which these expectations do not include (walls, multi-vocality,
    perceived games: :mod:`.coping`): one line rather than numbers of another model."""
    walled = [o.name for o in population.organisations if getattr(o, "walled", False)]
    coping = [p.name for p in population.people
              if any(getattr(p, key, 0) for key in ("efficiency", "meta_horizon", "meta_synergy", "multivocality"))]
    if walled or coping:
        who = f"organisation {walled[0]!r}" if walled else f"person {coping[0]!r}"
        raise ParameterError(f"the exact expectations do not include identity coping ({who} has it); "
                             "simulate with play_network")
