"""The pairwise learning game along every tie of a network, and the network's whole play.

Along each tie ``(u, v)`` (``u < v``, the rows of
:attr:`~learning_dilemma.networks.population.Population.tie_people`) the two
people play the second edition's pairwise relation for ``rounds`` fixed rounds
(``docs/model.md``): person ``u`` is side A, ``v`` side B, with their
strategies (:meth:`~learning_dilemma.networks.population.Population.players`),
receptivities and tacitnesses. The tie starts at ``initial_tie(prior,
game.ties)`` and the strategies after ``prior`` rounds of mutual giving (the
tie's prior rounds), the stakes at ``game.initial_stakes(0)``. Repetition
``k`` of the tie draws :func:`~learning_dilemma.seeding.repetition_draws` of
the sequence keyed by :func:`~learning_dilemma.seeding.tie_key` ``(u, v)``, so
a tie plays bit for bit as::

    Match(a, b, game, turns=rounds, seed=seed, key=tie_key(u, v),
          prior_rounds=prior, repetitions=R, noise=noise).play_batch()

and its draws never depend on which other ties there are or the order they
were listed in. Ties between two automata run through the vectorised engine
(:func:`~learning_dilemma.engine.vectorised.play_automata`) in chunks of ties
whose draws stay within a memory budget (:data:`DRAWS_BUDGET`); a tie with an
imperative or axelrod player runs through :class:`~learning_dilemma.match.Match`
(the round-by-round engine, fresh players for every repetition).

**Two levels of payoff** (:mod:`learning_dilemma.games.levels`; seed 001 s.4,
s.7). In each round of tie ``(u, v)``, with ``gamma`` the pair's overlap
(:meth:`~learning_dilemma.networks.population.Population.pair_overlap`: people
of one organisation are no rivals), ``alpha`` each person's absorption,
``lambda_u`` u's identification and ``z`` the power position at the start of
the round (A's view; B's is ``-z``):

- person u earns ``person_payoff(game, g_u, g_v, x_u, x_v, r_u, r_v, z,
  alpha_u, alpha_v, lambda_u, gamma) + act_value(g_u, rho_u, kappa_u, x*_u)``
  (one act per tie-round: recognition for a give, von Hippel 1987; the
  identity term, Akerlof & Kranton 2000);
- u's organisation side earns ``organisation_payoff(game, g_u, g_v, x_u, x_v,
  r_u, r_v, z, alpha_u, alpha_v, gamma)``, split over u's organisations by
  :class:`~learning_dilemma.networks.results.NetworkResults`;
- a closed round (after an exit or the end of the race, EXIT recorded) pays
  both ``closed_payoff(game)`` (``P``) and has no act (nothing was done, so no
  recognition and no identity loss).

At ``alpha = lambda = 1`` and ``rho = kappa = 0`` the person payoff is the
engine's stage payoff to the bit (issue 16's reduction, ``tests/networks/test_play.py``).
What u learned in a round is ``r_u x_v``; ``alpha_u r_u x_v`` of it reached the
organisations (seed 001 s.6/s.7: in KITe learning "stayed individual").

**Identity coping** (:mod:`.coping`; seed 000 s.5.3). A walled organisation's
ties pay with the directional overlap ``(gamma_in(u), gamma_in(v))``, and the
strategy of a person facing a walled person is compiled with the game as they
perceive it (``partner_overlap``); a meta-identity compiles a person's strategy
with a longer horizon or a larger synergy, multi-vocality with a larger
synergy, and adds ``v_u`` to u's person and organisation payoffs in a round
both gave. Tables are compiled once per distinct (player, perceived context).
With every coping value off none of this runs and the play is part 1's, to the
bit (``tests/networks/test_coping.py``).

Per-person sums are accumulated with :func:`numpy.add.at` straight into the
totals, tie by tie in a fixed order (automaton ties by starting tie strength,
then by index; then the other ties by index), so the result does not depend on
the chunk size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .._validation import check_count, check_probability, continuation_of
from ..engine.vectorised import RawPlay, play_automata
from ..errors import ParameterError
from ..games import LearningGame, initial_tie
from ..games.learning import closed_payoff
from ..games.levels import act_value, two_levels
from ..limits import check
from ..match import Match
from ..moves import EXIT, GIVE
from ..players.automaton import MatchContext
from ..seeding import DRAWS_PER_ROUND, repetition_draws, repetition_sequence, root_entropy, tie_key
from .coping import Coping, multivocal_value
from .population import Population
from .results import Contributions, NetworkResults, TieSummary

__all__ = ["DRAWS_BUDGET", "TieChunk", "check_run", "play_network", "play_ties", "tie_chunks", "tie_payoffs"]

#: Largest draws array, in bytes, handed to the vectorised engine at once (a
#: chunk of ties x repetitions x rounds x draw columns of 8 bytes). A chunk's
#: peak memory is several times its draws (the engine's arrays and the
#: two-level payoffs' temporaries, about seven times in all): 16 MB keeps a
#: chunk near 120 MB and was as fast as larger chunks for 5,000 ties of 1,000
#: rounds (our choice, measured on a 2-core machine).
DRAWS_BUDGET = 16_000_000

_GIVE, _EXIT = int(GIVE), int(EXIT)


@dataclass(eq=False)
class TieChunk:
    """Some ties' plays, as the engine returned them.

    Attributes
    ----------
    ties : ndarray of int, shape (n,)
        Indices of the ties (rows of ``population.tie_people``).
    raw : RawPlay
        ``n x repetitions`` rows, tie-major (row ``i R + k`` is repetition
        ``k`` of ``ties[i]``); player 0 is the tie's first person (side A).
    """

    ties: np.ndarray
    raw: RawPlay


def check_run(population, game, rounds, repetitions, noise) -> tuple:
    """Validate a network run's arguments and hold it to the resource limits.

    Returns ``(rounds, repetitions, noise)`` cleaned; raises a one-line
    :class:`~learning_dilemma.errors.ParameterError` naming the key, or a
    :class:`~learning_dilemma.limits.ResourceLimitError` before anything is
    allocated: ``rounds`` (one relation's length) against ``match_rounds``;
    ``ties x repetitions x rounds`` against ``rounds``; the per-person
    trajectories held in memory (``repetitions x people x rounds``) against
    ``match_rounds``.
    """
    if not isinstance(population, Population):
        raise ParameterError(f"population must be a Population, got {population!r}")
    if not isinstance(game, LearningGame):
        raise ParameterError(f"game must be a LearningGame, got {game!r}")
    rounds = check_count("rounds", rounds, 1)
    repetitions = check_count("repetitions", repetitions, 1)
    noise = check_probability("noise", noise)
    check("match_rounds", rounds, f"rounds={rounds}")
    if population.n_ties:
        check("match_rounds", int(population.tie_prior.max()), "the ties' prior rounds")
    check("rounds", population.n_ties * repetitions * rounds,
          f"{population.n_ties:,} ties x repetitions={repetitions} x rounds={rounds}")
    check("match_rounds", repetitions * population.n_people * rounds,
          f"repetitions={repetitions} x {population.n_people:,} people x rounds={rounds} (held in memory)")
    return rounds, repetitions, noise


def _draw_columns(noise: float, game: LearningGame) -> int:
    return DRAWS_PER_ROUND + 2 * (noise > 0) + 2 * game.knowledge.active


def tie_chunks(population: Population, game: LearningGame, rounds: int, entropy: int, repetitions: int = 1,
               noise: float = 0.0, budget: int | None = None) -> Iterator[TieChunk]:
    """Play every tie, chunk by chunk; yields :class:`TieChunk` in the fixed order.

    Ties between two automata come first, grouped by their starting tie
    strength (the engine starts a run at one tie strength) and cut into chunks
    whose draws take at most ``budget`` bytes (:data:`DRAWS_BUDGET`; at least
    one tie a chunk); then every other tie alone, through
    :class:`~learning_dilemma.match.Match`. Arguments are not validated here
    (:func:`play_ties` does).
    """
    budget = DRAWS_BUDGET if budget is None else budget
    players = population.players()
    people, prior = population.tie_people, population.tie_prior
    context = MatchContext(game, continuation_of(rounds, None), rounds)
    coping = Coping(population, game, rounds)
    automaton = np.array([p.is_automaton for p in players], dtype=bool)
    vectorised = automaton[people[:, 0]] & automaton[people[:, 1]] if len(people) else np.zeros(0, dtype=bool)
    starting = np.array([initial_tie(k, game.ties) for k in prior], dtype=np.int64)

    if vectorised.any():
        # one table a distinct player object (and perceived context), stacked once for every chunk
        slot_of, tables = {}, []
        if coping.perceives:
            # each side of each tie: the person's strategy compiled with the game as they perceive it
            person_slot = np.full((len(people), 2), -1, dtype=np.intp)
            for k in np.flatnonzero(vectorised):
                for side in (0, 1):
                    p, q = int(people[k, side]), int(people[k, 1 - side])
                    seen = coping.context(p, coping.inflow[q])
                    key = (id(players[p]), seen.game, seen.continuation, seen.turns)
                    if key not in slot_of:
                        slot_of[key] = len(tables)
                        tables.append(players[p].compiled(seen))
                    person_slot[k, side] = slot_of[key]
        else:
            person_slot = np.full(population.n_people, -1, dtype=np.intp)
            for p in np.flatnonzero(automaton):
                key = id(players[p])
                if key not in slot_of:
                    slot_of[key] = len(tables)
                    tables.append(players[p].compiled(context))
                person_slot[p] = slot_of[key]
        receptivity = population.receptivities()
        tacitness = population.tacitnesses()
        starts = {}

        def start(slot, rounds_before):
            if (slot, rounds_before) not in starts:
                starts[slot, rounds_before] = tables[slot].after_prior_rounds(int(rounds_before))
            return starts[slot, rounds_before]

        per_tie = repetitions * rounds * _draw_columns(noise, game) * 8
        size = max(1, budget // per_tie)
        for tie_strength in np.unique(starting[vectorised]):
            members = np.flatnonzero(vectorised & (starting == tie_strength))
            for first in range(0, len(members), size):
                ties = members[first:first + size]
                yield TieChunk(ties, _play_chunk(
                    game, population, ties, rounds, entropy, repetitions, noise, int(tie_strength), tables,
                    person_slot, receptivity, tacitness, start))

    for k in np.flatnonzero(~vectorised):
        u, v = (int(i) for i in people[k])
        match = Match(players[u], players[v], game, turns=rounds, seed=entropy, key=tie_key(u, v),
                      prior_rounds=int(prior[k]), repetitions=repetitions, noise=noise)
        yield TieChunk(np.array([k]), match.play_batch().raw)


def _play_chunk(game, population, ties, rounds, entropy, repetitions, noise, tie_strength, tables, person_slot,
                receptivity, tacitness, start) -> RawPlay:
    """One engine run: the rows of ``ties`` x repetitions, tie-major."""
    pairs = population.tie_people[ties]
    learning = game.knowledge.active
    draws = np.empty((len(ties) * repetitions, rounds, _draw_columns(noise, game)))
    for i, (u, v) in enumerate(pairs):
        key = tie_key(int(u), int(v))
        for k in range(repetitions):
            _, draws[i * repetitions + k] = repetition_draws(repetition_sequence(entropy, key, k), rounds, None,
                                                             noise > 0, learning)
    row_people = np.repeat(pairs, repetitions, axis=0)  # (rows, 2)
    row_prior = np.repeat(population.tie_prior[ties], repetitions)
    if person_slot.ndim == 2:  # per tie side (perceived contexts, :mod:`.coping`)
        row_slots = np.repeat(person_slot[ties], repetitions, axis=0)
        slots = (row_slots[:, 0], row_slots[:, 1])
    else:
        slots = tuple(person_slot[row_people[:, side]] for side in (0, 1))
    starts = tuple(np.array([start(s, r) for s, r in zip(slots[side], row_prior)], dtype=np.int64)
                   for side in (0, 1))
    lengths = np.full(len(row_people), rounds, dtype=np.int64)
    return play_automata(
        game, (tables, tables), slots,
        tuple(receptivity[row_people[:, side]] for side in (0, 1)),
        tuple(tacitness[row_people[:, side]] for side in (0, 1)),
        starts, draws, lengths, game.initial_stakes(0), noise, None, tie_strength,
    )


class _TieValues:
    """The per-person and per-tie parameters the payoffs read, computed once."""

    def __init__(self, population: Population, game: LearningGame, coping: Coping):
        people = population.tie_people
        self.people = people
        # one array (part 1), or (into the first person, into the second) with Chinese walls
        self.overlap = coping.pair_overlap(people[:, 0], people[:, 1])
        self.multivocality = coping.multivocality if coping.multivocal else None
        self.receptivity = population.receptivities()
        self.absorption = population.absorption
        self.identification = population.person_values("identification")
        self.recognition = population.person_values("recognition")
        self.identity_weight = population.person_values("identity_weight")
        self.prescription = population.person_values("prescription")


def _payoffs(game: LearningGame, values: _TieValues, ties: np.ndarray, raw: RawPlay):
    """``(person, organisation, learning, absorbed)``, each shape (2, rows, rounds), and ``closed``."""
    rows = raw.moves.shape[1]
    repetitions = rows // len(ties)
    row_tie = np.repeat(ties, repetitions)
    u, v = values.people[row_tie, 0], values.people[row_tie, 1]
    column = lambda a, who: np.asarray(a, dtype=float)[who][:, None]  # noqa: E731
    if isinstance(values.overlap, tuple):
        into_u, into_v = (a[row_tie][:, None] for a in values.overlap)
        gammas = ((into_u, into_v), (into_v, into_u))
    else:
        gamma = values.overlap[row_tie][:, None]
        gammas = (gamma, gamma)
    voice = None if values.multivocality is None else (column(values.multivocality, u),
                                                        column(values.multivocality, v))
    r = (column(values.receptivity, u), column(values.receptivity, v))
    alpha = (column(values.absorption, u), column(values.absorption, v))
    lam = (column(values.identification, u), column(values.identification, v))
    rho = (column(values.recognition, u), column(values.recognition, v))
    kappa = (column(values.identity_weight, u), column(values.identity_weight, v))
    xstar = (column(values.prescription, u), column(values.prescription, v))
    closed = raw.moves[0] == _EXIT
    g = [(raw.moves[p] == _GIVE).astype(float) for p in (0, 1)]
    x = [(raw.transfers[p] == 1).astype(float) for p in (0, 1)]
    z = raw.power[:, :-1]
    position = (z, -z)
    status_quo = closed_payoff(game)
    person, organisation, learning, absorbed = (np.empty((2, rows, raw.moves.shape[2])) for _ in range(4))
    for i, j in ((0, 1), (1, 0)):
        _, u_i, pi_i = two_levels(game, g[i], g[j], x[i], x[j], r[i], r[j], position[i], alpha[i], alpha[j], lam[i],
                                  gammas[i])
        u_i = u_i + act_value(g[i], rho[i], kappa[i], xstar[i])
        if voice is not None:  # multi-vocality: a private value of mutual giving, person and organisation
            extra = multivocal_value(g[i], g[j], voice[i])
            u_i, pi_i = u_i + extra, pi_i + extra
        person[i] = np.where(closed, status_quo, u_i)
        organisation[i] = np.where(closed, status_quo, pi_i)
        learning[i] = r[i] * x[j]  # a closed round records no transfer: nothing learned
        absorbed[i] = alpha[i] * learning[i]
    return person, organisation, learning, absorbed, closed


def tie_payoffs(population: Population, game: LearningGame, chunk: TieChunk):
    """The two-level payoffs of a chunk's plays: ``(person, organisation)``,
    each shape (2, rows, rounds), side 0 the tie's first person (see the module
    docstring for the rule and its sources)."""
    coping = Coping(population, game, chunk.raw.moves.shape[2])
    person, organisation, *_ = _payoffs(game, _TieValues(population, game, coping), chunk.ties, chunk.raw)
    return person, organisation


def play_ties(population: Population, game: LearningGame, rounds: int, seed, repetitions: int = 1,
              noise: float = 0.0, budget: int | None = None) -> tuple[Contributions, TieSummary]:
    """Play the pairwise learning game along every tie.

    Parameters
    ----------
    population : Population
    game : LearningGame
    rounds : int
        Rounds of every tie (fixed length).
    seed : int or None
        The run's seed (``None``: fresh entropy; :func:`play_network` resolves
        it once so ties and groups share it).
    repetitions : int
    noise : float
        Probability in [0, 1] that an intended move is flipped.
    budget : int, optional
        Bytes of draws per engine run (:data:`DRAWS_BUDGET`); the results do
        not depend on it.

    Returns
    -------
    contributions : Contributions
        What the ties gave each person, per repetition and round.
    summary : TieSummary
    """
    rounds, repetitions, noise = check_run(population, game, rounds, repetitions, noise)
    if budget is not None:
        budget = check_count("budget", budget, 1)
    entropy = root_entropy(seed)
    n_people, n_ties = population.n_people, population.n_ties
    totals = Contributions.zeros(repetitions, n_people, rounds)
    gives = np.full((repetitions, n_ties, 2), np.nan)
    mutual = np.zeros((repetitions, n_ties))
    open_rounds = np.zeros((repetitions, n_ties), dtype=np.int64)
    ended_by = np.zeros((repetitions, n_ties), dtype=np.int8)
    final_tie = np.zeros((repetitions, n_ties), dtype=np.int64)
    final_stakes = np.zeros((repetitions, n_ties, 2), dtype=np.int64)
    gives_by_round = np.zeros((repetitions, rounds), dtype=np.int64)
    mutual_by_round = np.zeros((repetitions, rounds), dtype=np.int64)
    open_by_round = np.zeros((repetitions, rounds), dtype=np.int64)
    values = _TieValues(population, game, Coping(population, game, rounds))
    flat = {name: getattr(totals, name).reshape(-1)
            for name in ("person_payoffs", "organisation_payoffs", "gives", "acts", "learning", "absorbed")}
    steps = np.arange(rounds)
    for chunk in tie_chunks(population, game, rounds, entropy, repetitions, noise, budget):
        ties, raw = chunk.ties, chunk.raw
        n = len(ties)
        person, organisation, learning, absorbed, closed = _payoffs(game, values, ties, raw)
        g = raw.moves == _GIVE                                      # (2, rows, rounds)
        acted = np.broadcast_to(~closed, g.shape)
        # where each value goes: (tie, repetition, side, round) -> (repetition, person, round), flattened;
        # add.at adds in this order, tie by tie, so the sums do not depend on the chunks
        who = population.tie_people[ties]                           # (n, 2)
        base = (np.arange(repetitions)[None, :, None] * n_people + who[:, None, :]) * rounds
        index = (base[..., None] + steps).reshape(-1)

        def ordered(a):
            return np.ascontiguousarray(a.reshape(2, n, repetitions, rounds).transpose(1, 2, 0, 3)).reshape(-1)

        for name, a in (("person_payoffs", person), ("organisation_payoffs", organisation), ("gives", g),
                        ("acts", acted), ("learning", learning), ("absorbed", absorbed)):
            np.add.at(flat[name], index, ordered(a).astype(flat[name].dtype, copy=False))

        both = g[0] & g[1]
        opened = (~closed).sum(axis=-1).reshape(n, repetitions).T    # (reps, n)
        given = g.sum(axis=-1).reshape(2, n, repetitions).transpose(2, 1, 0)
        gives[:, ties] = np.where(opened[..., None] > 0, given / np.maximum(opened, 1)[..., None], np.nan)
        mutual[:, ties] = both.sum(axis=-1).reshape(n, repetitions).T / rounds
        open_rounds[:, ties] = opened
        ended_by[:, ties] = raw.ended_by.reshape(n, repetitions).T
        final_tie[:, ties] = raw.ties[:, -1].reshape(n, repetitions).T
        final_stakes[:, ties] = raw.stakes[:, :, -1].reshape(2, n, repetitions).transpose(2, 1, 0)
        gives_by_round += g.sum(axis=0).reshape(n, repetitions, rounds).sum(axis=0)
        mutual_by_round += both.reshape(n, repetitions, rounds).sum(axis=0)
        open_by_round += (~closed).reshape(n, repetitions, rounds).sum(axis=0)

    with np.errstate(invalid="ignore", divide="ignore"):
        giving_by_round = np.where(open_by_round > 0, gives_by_round / np.maximum(2 * open_by_round, 1), np.nan)
        mutual_share = mutual_by_round / n_ties if n_ties else np.full((repetitions, rounds), np.nan)
    summary = TieSummary(gives, mutual, open_rounds, ended_by, final_tie, final_stakes, giving_by_round,
                         mutual_share, open_by_round)
    return totals, summary


def play_network(population: Population, game: LearningGame | None = None, rounds: int = 200, seed=None,
                 repetitions: int = 1, noise: float = 0.0, group_game=None) -> NetworkResults:
    """Play a knowledge-sharing network: the pairwise game along its ties and
    the group game in its groups, for ``rounds`` rounds.

    Parameters
    ----------
    population : Population
    game : LearningGame, optional
        Defaults to ``LearningGame()``.
    rounds : int
    seed : int, optional
        ``None`` draws fresh entropy, kept in :attr:`NetworkResults.seed`.
    repetitions : int
    noise : float
    group_game : GroupGame, optional
        The group rules (:mod:`learning_dilemma.games.group`); default
        ``GroupGame()`` where the population has groups.

    Returns
    -------
    NetworkResults
        A person's payoff in a round sums their ties and their groups
        (:class:`~learning_dilemma.networks.results.Contributions`).
    """
    game = LearningGame() if game is None else game
    rounds, repetitions, noise = check_run(population, game, rounds, repetitions, noise)
    entropy = root_entropy(seed)
    contributions, ties, groups = None, None, None
    if population.n_ties:
        contributions, ties = play_ties(population, game, rounds, entropy, repetitions, noise)
    if population.groups:
        from ..games.group import GroupGame
        from .groups import play_groups

        group_game = GroupGame() if group_game is None else group_game
        from_groups, groups = play_groups(population, game, rounds, entropy, repetitions, noise, group_game)
        contributions = from_groups if contributions is None else contributions + from_groups
    else:
        group_game = None
    if contributions is None:  # nobody has a relation: nobody earns or learns anything
        contributions = Contributions.zeros(repetitions, population.n_people, rounds)
    return NetworkResults(population, game, group_game, rounds, repetitions, entropy, contributions, ties, groups)
