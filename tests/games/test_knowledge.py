"""The relation's state in play (learning_dilemma.games.knowledge and .execution through
both engines), judged by issue 15: tacit knowledge is a partial, private transfer that
never pays its holder more than a give; exit is reachable and ends the alliance for both;
a race whose stakes are exhausted ends; ties make tacit knowledge move; and the
vectorised and round-by-round engines give identical arrays."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match, Player
from learning_dilemma.engine.vectorised import BOTH_LEFT, ENDINGS, FIRST_LEFT, OPEN, RACE_OVER, SECOND_LEFT
from learning_dilemma.games import Knowledge, Ties, stage_payoff
from learning_dilemma.moves import EXIT, GIVE, TAKE, Move
from learning_dilemma.seeding import GIVE_DRAWS
from learning_dilemma.strategies import (
    GTFT, BoundarySpanner, Calculative, Cooperator, Opportunist, Peer, RaceToLearn, TitForTat, TrustBuilder,
)

from leaving import Wanderer


def test_the_endings_are_named_in_code_order():
    assert ENDINGS == ("open", "first left", "second left", "both left", "race over")
    assert (OPEN, FIRST_LEFT, SECOND_LEFT, BOTH_LEFT, RACE_OVER) == (0, 1, 2, 3, 4)


# --- tacit knowledge: a partial, private transfer ----------------------------------------


def test_a_tacit_failure_never_pays_its_holder_more_than_a_give_that_transfers():
    """Enumerate every outcome, strength, position, overlap and receptivity: a give that
    failed (g = 1, x = 0) pays at most what the same give transferring pays (it is paid as
    a giver: the first edition paid it as a take, with the race premium and no leak)."""
    for levels, strength, gamma in itertools.product((0, 2), (0.0, 0.5, 1.0), (0.0, 0.5, 1.0)):
        game = LearningGame(overlap=gamma, knowledge=Knowledge(levels=levels)).with_power(strength=strength)
        for g_j, x_j, z, r_i, r_j in itertools.product((0, 1), (0, 1), range(-levels, levels + 1),
                                                       (0.0, 0.4, 1.0), (0.0, 0.7, 1.0)):
            if x_j > g_j:
                continue
            failed = stage_payoff(game, 1, g_j, 0, x_j, r_i, r_j, z)
            transferred = stage_payoff(game, 1, g_j, 1, x_j, r_i, r_j, z)
            took = stage_payoff(game, 0, g_j, 0, x_j, r_i, r_j, z)
            assert failed <= transferred + 1e-12
            # it is not paid as a taker: exposure costs the leak and earns no premium
            assert failed == pytest.approx(took - gamma * game.leak * r_j - gamma * game.race_premium * r_i * x_j)


class Sincere(Player):
    """Always gives, and checks in every round that its own history records its gives."""

    name = "Sincere"

    def strategy(self, opponent):
        assert all(move is GIVE for move in self.history), self.history
        self.__dict__.setdefault("seen_histories", []).append(list(self.history))
        return GIVE


class Watcher(Player):
    """Always gives, and records what it sees of its opponent each round."""

    name = "Watcher"

    def strategy(self, opponent):
        self.__dict__.setdefault("seen", []).append(list(opponent.history))
        return GIVE


def play_round_by_round(first, second, rounds, seed, **match):
    """Play through the round-by-round engine and keep the players that played."""
    from learning_dilemma.engine.stepwise import play_generic
    from learning_dilemma.seeding import player_generators, repetition_sequence

    game = match.pop("game", LearningGame())
    m = Match(first, second, game=game, turns=rounds, seed=seed, **match)
    lengths, draws = m.draws()
    played = play_generic((first, second), m.context, draws[0], player_generators(repetition_sequence(m.entropy, (), 0)),
                          noise=m.noise, initial_power=m.initial_power)
    return m, played


def test_a_failed_give_is_a_give_to_the_giver_and_a_take_to_the_partner():
    """Tacitness 1, ties off: every give fails. The giver's own history records GIVE in
    every round; its partner saw TAKE in every round and learned nothing."""
    sincere, watcher = Sincere(tacitness=1.0), Watcher()
    _, played = play_round_by_round(sincere, watcher, 6, seed=2)
    assert played.moves[0].tolist() == [1] * 6 and played.transfers[0].tolist() == [0] * 6
    assert sincere.history == [GIVE] * 6 and len(sincere.seen_histories) == 6
    assert watcher.seen[-1] == [TAKE] * 5 and watcher.observed == [TAKE] * 6
    assert sincere.observed == [GIVE] * 6  # the watcher's gives did transfer
    result = Match(Sincere(tacitness=1.0), Watcher(), turns=6, seed=2).play()
    assert result.moves[0].tolist() == [1] * 6 and result.give_rates[0] == 1.0
    assert result.learning == (1.0, 0.0)  # what each absorbed: only the holder's partner is left without


def test_a_partly_tacit_giver_is_seen_to_take_exactly_where_its_give_failed():
    sincere, watcher = Sincere(tacitness=0.5), Watcher()
    _, played = play_round_by_round(sincere, watcher, 40, seed=7)
    transfers = played.transfers[0].tolist()
    assert played.moves[0].tolist() == [1] * 40 and 0 < sum(transfers) < 40
    assert [int(m) for m in watcher.observed] == transfers
    assert [int(m) for m in watcher.seen[-1]] == transfers[:-1]


def test_strong_ties_carry_tacit_knowledge():
    """Fully tacit knowledge (tacitness 1) over a tie of H = 2: the first mutual give
    fails for sure (t = 0), the second fails with probability 1/2 (t = 1), every later one
    transfers (t = 2) (Hansen 1999). Ties off (ablation): nothing ever transfers."""
    game = LearningGame(ties=Ties(levels=2))
    batch = Match(Cooperator(tacitness=1.0), Cooperator(), game=game, turns=6, seed=5, repetitions=400).play_batch()
    transfers = batch.raw.transfers[0]
    assert (transfers[:, 0] == 0).all() and (transfers[:, 2:] == 1).all()
    assert abs(transfers[:, 1].mean() - 0.5) < 4 * np.sqrt(0.25 / 400)
    assert (batch.raw.ties == [0, 1, 2, 2, 2, 2, 2]).all()  # mutual gives as played build it, failed or not
    assert (batch.raw.moves[0] == 1).all()
    off = Match(Cooperator(tacitness=1.0), Cooperator(), turns=6, seed=5, repetitions=50).play_batch()
    assert (off.raw.transfers[0] == 0).all() and (off.raw.ties == 0).all()
    # a take never builds the tie
    takers = Match(Opportunist(), Cooperator(), game=game, turns=5, seed=1).play()
    assert takers.ties.tolist() == [0] * 6


# --- exit ---------------------------------------------------------------------------------


def check_closed_after(result, round_index, code):
    """From ``round_index`` on the alliance is closed: EXIT for both, P for both."""
    P = result.game.status_quo
    assert result.ended_by == code
    assert (result.moves[:, round_index:] == int(EXIT)).all() and (result.moves[:, :round_index] != int(EXIT)).all()
    assert (result.payoffs[:, round_index:] == P).all()
    assert (result.transfers[:, round_index:] == 0).all()
    assert result.duration == round_index


def test_an_automaton_that_leaves_ends_the_alliance_for_both():
    """The exit round is the first whose give draw is below q for either side (one draw
    decides exit, then intention: games/execution.chooses); its ending names who left."""
    match = Match(Wanderer(q=0.3), Wanderer(q=0.3), turns=30, seed=4, repetitions=60)
    batch = match.play_batch()
    _, draws = match.draws()
    codes = set()
    for k, result in enumerate(batch):
        left = draws[k][:, list(GIVE_DRAWS)] < 0.3  # (round, player)
        exits = np.flatnonzero(left.any(axis=1))
        if not exits.size:
            assert result.ended_by == OPEN and (result.moves == 1).all()
            continue
        t = int(exits[0])
        code = FIRST_LEFT * bool(left[t, 0]) + SECOND_LEFT * bool(left[t, 1])
        check_closed_after(result, t, code)
        codes.add(code)
    assert codes == {FIRST_LEFT, SECOND_LEFT, BOTH_LEFT}
    assert np.array_equal(batch.raw.moves, match.play_batch(vectorised=False).raw.moves)


class LeavesInRound(Player):
    """Gives, and returns Move.EXIT in round ``when``; counts its calls."""

    name = "Leaves In Round"
    defaults = {"when": 3}

    def strategy(self, opponent):
        self.__dict__["calls"] = self.__dict__.get("calls", 0) + 1
        return EXIT if len(self.history) + 1 == self.when else GIVE


@pytest.mark.parametrize("first_leaves", [True, False])
def test_a_python_strategy_leaves_by_returning_exit(first_leaves):
    leaver, partner = LeavesInRound(when=3), Watcher()
    pair = (leaver, partner) if first_leaves else (partner, leaver)
    _, played = play_round_by_round(*pair, 8, seed=1)
    assert played.moves.tolist() == [[1, 1, 2, 2, 2, 2, 2, 2]] * 2
    assert played.ended_by == (FIRST_LEFT if first_leaves else SECOND_LEFT)
    assert leaver.calls == 3 and len(partner.seen) == 3  # nobody is asked to move once the alliance closed
    result = Match(*(LeavesInRound(when=3), Watcher())[:: 1 if first_leaves else -1], turns=8, seed=1).play()
    check_closed_after(result, 2, FIRST_LEFT if first_leaves else SECOND_LEFT)
    assert result.transcript() == "GG GG XX XX XX XX XX XX"


def test_exit_is_not_flipped_by_noise():
    result = Match(LeavesInRound(when=1), Cooperator(), turns=5, seed=3, noise=1.0).play()
    check_closed_after(result, 0, FIRST_LEFT)


def test_the_race_to_learner_leaves_once_ahead():
    """Exit is reachable by a built-in strategy: with stakes on, Race To Learn leaves as
    soon as its power position reaches its target."""
    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.5))
    batch = Match(RaceToLearn(probe=0.0), Cooperator(receptivity=0.2), game=game, turns=60, seed=8,
                  repetitions=100).play_batch()
    assert (batch.raw.ended_by == FIRST_LEFT).mean() > 0.9
    for result in batch:
        if result.ended_by == FIRST_LEFT:
            t = result.duration
            assert result.power[t] >= 1 and (result.power[:t] < 1).all()
            check_closed_after(result, t, FIRST_LEFT)


# --- the end of the race ------------------------------------------------------------------


def test_a_match_whose_stakes_are_exhausted_ends():
    """Two givers at pace 1 and receptivity 1 learn a level a round each: with M = 2 both
    stakes are exhausted after round 2, and every later round pays P to both."""
    game = LearningGame(knowledge=Knowledge(levels=2)).with_power(strength=0.5)
    result = Match(Cooperator(), Cooperator(), game=game, turns=7, seed=1).play()
    check_closed_after(result, 2, RACE_OVER)
    assert result.stakes.tolist() == [[2, 1, 0, 0, 0, 0, 0, 0]] * 2 and result.final_stakes == (0, 0)
    assert result.payoffs[:, :2].tolist() == [[3.0, 3.0]] * 2
    # one side exhausted is enough: a taker learns from a giver and is done after M rounds
    one_sided = Match(Opportunist(), Cooperator(), game=game, turns=5, seed=1).play()
    check_closed_after(one_sided, 2, RACE_OVER)
    assert one_sided.final_stakes == (0, 2) and one_sided.final_power == 2
    # stakes off: the endless flow of the first edition never ends
    assert Match(Cooperator(), Cooperator(), turns=50, seed=1).play().ended_by == OPEN


# --- the two engines ------------------------------------------------------------------------

PAIRINGS = [
    (RaceToLearn(probe=0.3, tacitness=0.2), TitForTat(receptivity=0.6)),
    (Wanderer(p=0.8, q=0.04, tacitness=0.5, receptivity=0.7), Calculative(tacitness=0.1)),
    (TrustBuilder(receptivity=0.9), GTFT(tacitness=0.3)),
    (Peer(tacitness=0.4), BoundarySpanner(organisation=RaceToLearn(target=2), receptivity=0.5)),
    (Wanderer(p=0.5, q=0.1), Wanderer(p=0.9, q=0.1, tacitness=0.6)),
]
GAMES = [
    LearningGame(knowledge=Knowledge(levels=3, pace=0.4), ties=Ties(levels=2), overlap=0.7).with_power(strength=0.6),
    LearningGame(knowledge=Knowledge(levels=1), ties=Ties(levels=3)).with_power(strength=1.0),
    LearningGame(ties=Ties(levels=2)),
]


@pytest.mark.parametrize("pairing", range(len(PAIRINGS)))
def test_both_engines_give_identical_arrays(pairing):
    a, b = PAIRINGS[pairing]
    for game, noise, seed in itertools.product(GAMES, (0.0, 0.05), (1, 2)):
        extra = {"initial_power": 1} if game.knowledge.levels >= 2 else {}
        match = Match(a, b, game=game, continuation=0.93, seed=seed, repetitions=6, noise=noise, **extra)
        fast, slow = match.play_batch(), match.play_batch(vectorised=False)
        for name in ("moves", "payoffs", "power", "lengths", "transfers", "stakes", "ties", "ended_by"):
            assert np.array_equal(getattr(fast.raw, name), getattr(slow.raw, name)), (name, game, noise, seed)


def test_the_engines_were_compared_on_runs_that_use_every_mechanism():
    """The comparison above is not vacuous: its runs leave, finish races, fail to transfer,
    build ties, flip moves and move power."""
    endings, failed, ties, power = set(), 0, 0, 0
    for (a, b), game in itertools.product(PAIRINGS, GAMES[:2]):
        raw = Match(a, b, game=game, continuation=0.93, seed=1, repetitions=6, noise=0.05).play_batch().raw
        endings |= set(raw.ended_by.tolist())
        failed += int(((raw.moves == 1) & (raw.transfers == 0)).sum())
        ties += int(raw.ties.max())
        power += int(np.abs(raw.power).max())
    assert {FIRST_LEFT, SECOND_LEFT, RACE_OVER} <= endings and failed > 0 and ties > 0 and power > 0


def test_the_move_codes_of_a_result_read_back_as_moves():
    result = Match(LeavesInRound(when=2), Cooperator(), turns=3, seed=1).play()
    assert result.rounds() == [(GIVE, GIVE), (EXIT, EXIT), (EXIT, EXIT)]
    assert Move(int(result.moves[0][1])) is EXIT


def test_an_automaton_moves_on_what_it_saw():
    """Private monitoring: tit for tat answers a tacit give that failed as it would a take,
    in both engines, while the giver's own record is all gives."""
    match = Match(TitForTat(), Cooperator(tacitness=1.0), turns=5, seed=1)
    for vectorised in (True, False):
        result = match.play(vectorised=vectorised)
        assert result.transcript() == "GG TG TG TG TG"
        assert result.transfers[1].tolist() == [0] * 5


class Accountant(Player):
    """Records, each round, what the engine told it about the relation."""

    name = "Accountant"

    def strategy(self, opponent):
        self.__dict__.setdefault("books", []).append(
            (self.stakes, self.partner_stakes, self.power, self.max_power, opponent.power))
        return GIVE


def test_a_python_strategy_sees_its_stakes_its_partners_and_its_power():
    game = LearningGame(knowledge=Knowledge(levels=3, pace=0.5)).with_power(strength=0.5)
    accountant = Accountant(receptivity=0.8)
    _, played = play_round_by_round(accountant, Cooperator(receptivity=0.3), 12, seed=6, game=game, initial_power=1)
    rounds = len(accountant.books)
    assert rounds == int((played.moves[0] != 2).sum()) and rounds > 1
    for t, (own, partner, power, levels, theirs) in enumerate(accountant.books):
        assert (own, partner) == tuple(played.stakes[:, t]) and power == partner - own == played.power[t]
        assert levels == 3 and theirs == -power
    assert accountant.books[0][:2] == (2, 3)  # one level ahead at the start


def test_a_give_that_fails_to_transfer_teaches_nothing_in_every_engine():
    """The stakes run down on gives that transferred, not on gives as played: against a
    Cooperator whose knowledge is wholly tacit (tacitness 1, no ties) a taker never learns,
    its stakes never move and the race never ends, in both simulation engines and in the
    exact engine (the alliance stays open every round)."""
    from learning_dilemma.exact import expected_payoffs
    from learning_dilemma.games import Knowledge, LearningGame
    from learning_dilemma.match import Match
    from learning_dilemma.strategies import Cooperator, Opportunist

    game = LearningGame(knowledge=Knowledge(levels=2, pace=1.0))
    match = Match(Opportunist(), Cooperator(tacitness=1.0), game=game, turns=7, seed=4, repetitions=20)
    for vectorised in (True, False):
        raw = match.play_batch(vectorised=vectorised).raw
        assert (raw.stakes == 2).all() and (raw.ended_by == 0).all()
    assert expected_payoffs(Opportunist(), Cooperator(tacitness=1.0), game, continuation=0.9).open_share == 1.0
    # the control: the same knowledge made explicit is learned in two rounds and the race ends
    raw = Match(Opportunist(), Cooperator(), game=game, turns=7, seed=4).play_batch().raw
    assert raw.stakes[0, 0].tolist() == [2, 1, 0, 0, 0, 0, 0, 0] and raw.ended_by[0] == 4
