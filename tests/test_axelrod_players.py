"""Our strategies as axelrod players: axelrod's generic player checks, honest
classifiers, play that agrees with our engine and with axelrod's namesakes,
and a mixed axelrod tournament.

axelrod's own checks (``TestPlayer`` in ``axelrod/tests/strategies/test_player.py``)
run unchanged on every exported strategy in ``tests/test_axelrod_testplayer.py``;
the checks here restate some of them with fixed opponents and seeds (each citing
the one it mirrors), so a failure points at one case.
"""

from __future__ import annotations

import itertools
import pickle

import axelrod as axl
import numpy as np
import pytest

from learning_dilemma import GIVE, TAKE, Automaton, LearningGame, Match, MatchContext, Move, Player
from learning_dilemma.engine.vectorised import ENDINGS
from learning_dilemma.games import Knowledge
from learning_dilemma.moves import EXIT
from learning_dilemma.players.automaton import memory_one, table
from learning_dilemma.axelrod import from_axelrod, to_axelrod
from learning_dilemma.axelrod.classifier import memory_depth
from learning_dilemma.axelrod.games import axelrod_view, context_for
from learning_dilemma.axelrod.players import (
    READY_MADE,
    AutomatonPlayer,
    ContractualReciprocator,
    Cooperator,
    ImperativePlayer,
    Opportunist,
    Peer,
    RaceToLearn,
    TrustBuilder,
)
from learning_dilemma import strategies as ld
from learning_dilemma.strategies import ALL_STRATEGIES, Expert, classic

from leaving import WalksOut

C, D = axl.Action.C, axl.Action.D
PLAYER_CLASSES = list(READY_MADE.values())
ids = [cls.__name__ for cls in PLAYER_CLASSES]
# axelrod's TestPlayer draws opponents from short-run-time, short-memory strategies.
OPPONENTS = [axl.TitForTat, axl.Random, axl.Alternator, axl.Grudger, axl.WinStayLoseShift, axl.CyclerCCD]
TEST_OPPONENT_KEYS = (
    "memory_depth", "stochastic", "makes_use_of", "inspects_source", "manipulates_source", "manipulates_state",
)


def limited_memory_plays_alike(player, opponent, memory_length, seed=0, turns=10) -> bool:
    """axelrod's ``test_memory`` (test_player.py): a player plays alike with
    its history cut to ``memory_length`` rounds."""
    plays = [p[0] for p in axl.Match((player, opponent), turns=turns, seed=seed).play()]
    player.reset()
    opponent.reset()
    player._history = axl.LimitedHistory(memory_length)
    opponent._history = axl.LimitedHistory(memory_length)
    limited = [p[0] for p in axl.Match((player, opponent), turns=turns, reset=False, seed=seed).play()]
    return plays == limited


# --- axelrod's generic player checks -------------------------------------------


@pytest.mark.parametrize("cls", PLAYER_CLASSES, ids=ids)
def test_initialisation(cls):
    """TestPlayer.test_initialisation and classifier_test."""
    player = cls()
    assert len(player.history) == 0
    assert player.match_attributes == {"length": -1, "game": axl.DefaultGame, "noise": 0}
    assert player.cooperations == 0 and player.defections == 0
    assert {key: axl.Classifiers[key](player) for key in player.classifier} == player.classifier
    assert "memory_depth" in player.classifier and "stochastic" in player.classifier
    for key in TEST_OPPONENT_KEYS:
        assert key in player.classifier


@pytest.mark.parametrize("cls", PLAYER_CLASSES, ids=ids)
def test_repr(cls):
    """TestPlayer.test_repr: the string of a default player is its name."""
    assert str(cls()) == cls.name == "ld:" + cls.strategy_class.name


@pytest.mark.parametrize("cls", PLAYER_CLASSES, ids=ids)
def test_match_attributes(cls):
    """TestPlayer.test_match_attributes."""
    player = cls()
    player.set_match_attributes()
    assert player.match_attributes["length"] == -1 and player.match_attributes["noise"] == 0
    assert player.match_attributes["game"].RPST() == (3, 1, 0, 5)
    player.set_match_attributes(length=200)
    assert player.match_attributes["length"] == 200
    player.set_match_attributes(length=200, noise=0.5)
    assert player.match_attributes["noise"] == 0.5


def equality_of_players(p1, p2, seed, opponent):
    """TestPlayer.equality_of_players_test."""
    assert p1 == p2
    for player, op in [(p1, opponent()), (p2, opponent())]:
        axl.Match(players=(player, op), turns=10, seed=seed).play()
    assert p1 == p2
    assert pickle.loads(pickle.dumps(p1)) == pickle.loads(pickle.dumps(p2))


@pytest.mark.parametrize("cls", PLAYER_CLASSES, ids=ids)
def test_equality_of_clone_and_of_pickle_clone(cls):
    """TestPlayer.test_equality_of_clone and test_equality_of_pickle_clone."""
    for seed, opponent in zip(range(1, 7), OPPONENTS):
        player = cls()
        equality_of_players(player, player.clone(), seed, opponent)
        player = cls()
        equality_of_players(player, pickle.loads(pickle.dumps(player)), seed, opponent)


@pytest.mark.parametrize("cls", PLAYER_CLASSES, ids=ids)
def test_reset_history_and_attributes(cls):
    """TestPlayer.test_reset_history_and_attributes and test_reset_clone."""
    for opponent in [axl.Defector(), axl.Random(), axl.Alternator(), axl.Cooperator()]:
        player = cls()
        clone = player.clone()
        axl.Match((player, opponent), turns=10, seed=111).play()
        player.reset()
        assert player == clone
    assert cls() == cls().clone()


@pytest.mark.parametrize("cls", PLAYER_CLASSES, ids=ids)
def test_clone_reproducible_play(cls):
    """TestPlayer.test_clone_reproducible_play, over a few seeds, lengths and noise levels."""
    for seed, turns, noise in [(1, 5, 0), (17, 10, 0.1), (20000000, 7, 0.05)]:
        for op in [axl.Cooperator(), axl.Defector(), axl.TitForTat(), axl.Random(p=0.5)]:
            player, player_clone = cls(), cls().clone()
            op, op_clone = op.clone(), op.clone()
            m1 = axl.Match((player, op), turns=turns, seed=seed, noise=noise)
            m2 = axl.Match((player_clone, op_clone), turns=turns, seed=seed, noise=noise)
            m1.play()
            m2.play()
            assert m1.result == m2.result
            assert player == player_clone and op == op_clone


@pytest.mark.parametrize("cls", PLAYER_CLASSES, ids=ids)
def test_memory_depth_upper_bound(cls):
    """TestPlayer.test_memory_depth_upper_bound, with axelrod's test_memory."""
    player = cls()
    memory = axl.Classifiers["memory_depth"](player)
    if memory == float("inf"):
        return  # axelrod checks finite claims only; test_memory_depth_is_exact covers all
    for seed, strategy in enumerate(OPPONENTS, 1):
        player.reset()
        opponent = strategy()
        depth = max(memory, axl.Classifiers["memory_depth"](opponent))
        assert limited_memory_plays_alike(player, opponent, depth, seed=seed, turns=30)


# --- classifiers are honest -------------------------------------------------------

CONTEXT = MatchContext(LearningGame(), 0.995)
OUTCOMES = list(itertools.product((0, 1), repeat=2))


def give_after(table, outcomes) -> float:
    """The probability of C after these outcomes, as the automaton plays in axelrod:
    once it meets a state it leaves for certain it plays D for the rest of the match."""
    column = axelrod_view(CONTEXT)
    state = table.start
    for own, partner in outcomes:
        if table.leave[state, column] == 1:
            return 0.0
        state = table.next_state[state, own, partner]
    return float(table.give[state, column] * (1 - table.leave[state, column]))


def differs_with_same_last(table, k, prefix_length=3) -> bool:
    """Whether two histories that end in the same ``k`` rounds can lead to
    different give probabilities (brute force)."""
    prefixes = [p for n in range(prefix_length + 1) for p in itertools.product(OUTCOMES, repeat=n)]
    for suffix in itertools.product(OUTCOMES, repeat=k):
        if len({give_after(table, prefix + suffix) for prefix in prefixes}) > 1:
            return True
    return False


@pytest.mark.parametrize("strategy_class", ALL_STRATEGIES, ids=[cls.__name__ for cls in ALL_STRATEGIES])
def test_memory_depth_is_exact(strategy_class):
    """The claimed depth d: the last d rounds fix the next move, the last d - 1
    do not; an infinite claim has no bound up to 3 (brute force over histories)."""
    table = strategy_class().compiled(CONTEXT)
    depth = READY_MADE[strategy_class]().classifier["memory_depth"]
    leave = table.leave[:, axelrod_view(CONTEXT)]
    if ((leave > 0) & (leave < 1)).any():  # a random exit is hidden: the safe bound is claimed
        assert depth == float("inf")
    elif depth == float("inf"):
        assert all(differs_with_same_last(table, k) for k in range(4))
    else:
        assert not differs_with_same_last(table, depth)
        assert depth == 0 or differs_with_same_last(table, depth - 1)


# axelrod's classifiers of the namesakes of our classic automata.
NAMESAKES = [
    (classic.Cooperator, axl.Cooperator), (classic.Defector, axl.Defector), (classic.TitForTat, axl.TitForTat),
    (classic.Grudger, axl.Grudger), (classic.TitForTwoTats, axl.TitFor2Tats),
    (classic.WinStayLoseShift, axl.WinStayLoseShift), (classic.GTFT, axl.GTFT), (classic.RandomPlayer, axl.Random),
    (classic.SuspiciousTitForTat, axl.SuspiciousTitForTat), (classic.HardTitForTat, axl.HardTitForTat),
    (classic.ZDExtort2, axl.ZDExtort2),
]


@pytest.mark.parametrize("ours, theirs", NAMESAKES, ids=lambda cls: cls.__name__)
def test_classifiers_agree_with_axelrods_namesakes(ours, theirs):
    mine, reference = READY_MADE[ours](), theirs()
    for key in ("memory_depth", "stochastic"):
        assert axl.Classifiers[key](mine) == axl.Classifiers[key](reference), key


def test_our_alternator_reads_its_own_last_move_like_axelrods():
    """Both play the opposite of their own last move, so both have memory one."""
    assert axl.Classifiers["memory_depth"](READY_MADE[classic.Alternator]()) == 1
    assert axl.Classifiers["memory_depth"](axl.Alternator()) == 1


def test_stochastic_and_makes_use_of_follow_the_table():
    assert Cooperator().classifier["stochastic"] is False
    # Second edition: a give that fails to transfer is still played as C, so
    # tacitness does not change what is played (the learning game's scoring draws it).
    assert Cooperator(tacitness=0.2).classifier == Cooperator().classifier
    assert TrustBuilder().classifier["stochastic"] is True  # hesitant at trust 1
    assert READY_MADE[classic.GTFT]().classifier["makes_use_of"] == {"game"}
    assert READY_MADE[classic.GTFT](p=0.2).classifier["makes_use_of"] == set()
    assert READY_MADE[ld.Calculative]().classifier["makes_use_of"] == {"game", "length"}


def test_memory_depth_of_a_custom_table():
    # Memory-one with a distinct opening is still memory one; a constant table is memoryless.
    wsls = memory_one(CONTEXT, 0.0, 1.0, 0.0, 0.0, 1.0)
    assert memory_depth(wsls, axelrod_view(CONTEXT)) == 1
    flat = memory_one(CONTEXT, 1.0, 1.0, 1.0, 1.0, 1.0)
    assert memory_depth(flat, axelrod_view(CONTEXT)) == 0


# --- names ------------------------------------------------------------------------


def test_names_carry_parameters_and_never_collide():
    assert str(Peer(tolerance=2)) == "ld:Peer(tolerance=2)"
    assert str(TrustBuilder(drop=3, receptivity=0.5)) == "ld:Trust Builder(receptivity=0.5, drop=3)"
    close_a, close_b = Expert(generosity=0.1234567), Expert(generosity=0.1234568)
    assert close_a.label == close_b.label  # our short labels round ...
    assert str(to_axelrod(close_a)) != str(to_axelrod(close_b))  # ... axelrod names do not
    ours = {cls.name for cls in PLAYER_CLASSES}
    assert len(ours) == len(PLAYER_CLASSES)
    assert not ours & {cls.name for cls in axl.all_strategies}


def test_ready_made_classes_take_the_strategy_parameters():
    player = TrustBuilder(levels=6, initial=5)
    assert player.automaton == ld.TrustBuilder(levels=6, initial=5)
    assert player.init_kwargs["levels"] == 6 and player.clone() == player
    assert player.receptivity == 1.0
    with pytest.raises(ValueError, match="initial must be <= levels"):
        TrustBuilder(initial=9)


# --- play -------------------------------------------------------------------------


def transcript(result) -> str:
    """Our moves as axelrod's letters, X for a round after the alliance closed."""
    return "".join("DCX"[a] + "DCX"[b] for a, b in zip(result.moves[0], result.moves[1]))


@pytest.mark.parametrize("strategy_class", ALL_STRATEGIES, ids=[cls.__name__ for cls in ALL_STRATEGIES])
def test_deterministic_play_in_axelrod_equals_our_engine(strategy_class):
    strategy = strategy_class()
    if READY_MADE[strategy_class]().classifier["stochastic"]:
        return  # random streams differ between the libraries; see the namesake test below
    for opponent in (axl.TitForTat, axl.Alternator, axl.Prober, axl.Gradual):
        ours = Match(strategy, from_axelrod(opponent), turns=50, seed=0).play()
        player = to_axelrod(strategy)
        theirs = axl.Match((player, opponent()), turns=50).play()
        expected = "".join(f"{a}{b}" for a, b in theirs)
        if player.exited_at is not None:
            # inside axelrod the leaver plays D from its exit on and its partner plays on;
            # our engine closes the alliance for both (EXIT) from that round
            left = player.exited_at - 1
            assert all(a == D for a, _ in theirs[left:]), opponent.name
            expected = expected[: 2 * left] + "XX" * (50 - left)
        assert transcript(ours) == expected, opponent.name


@pytest.mark.parametrize("ours, theirs", [(classic.GTFT, axl.GTFT), (classic.RandomPlayer, axl.Random),
                                          (classic.ZDExtort2, axl.ZDExtort2)], ids=["GTFT", "Random", "ZD"])
def test_stochastic_automata_draw_as_their_namesakes(ours, theirs):
    """Same axelrod seed, same moves: our automata draw from axelrod's own
    generator exactly when axelrod's memory-one players do."""
    for seed, opponent in zip((3, 4, 5), (axl.Random, axl.Alternator, axl.Gradual)):
        mine = axl.Match((READY_MADE[ours](), opponent()), turns=100, seed=seed, noise=0.05).play()
        reference = axl.Match((theirs(), opponent()), turns=100, seed=seed, noise=0.05).play()
        assert mine == reference


def test_stochastic_play_follows_the_table_and_the_seed():
    def gives(player, seed, turns=4000):
        result = axl.Match((player, axl.Cooperator()), turns=turns, seed=seed).play()
        return np.mean([a == C for a, _ in result])

    collaboration = to_axelrod(ld.Collaboration())  # gives with probability 0.9
    assert gives(collaboration, 1) == gives(collaboration.clone(), 1)
    assert gives(collaboration, 1) != gives(collaboration, 2)
    assert abs(gives(collaboration, 1) - 0.9) < 0.02
    # a tacit give is still a give: played as C every round (its transfer is scored, not played)
    assert gives(Cooperator(tacitness=0.25), 1) == 1.0


@pytest.mark.parametrize("ours, theirs", NAMESAKES, ids=lambda cls: cls.__name__)
def test_under_noise_automata_play_as_their_namesakes(ours, theirs):
    """axelrod flips actions with noise and records the flipped ones; the
    automaton moves on what was recorded, as in our engine it moves on tacit
    failures, so under noise it still plays its namesake's moves."""
    for seed, opponent in zip((1, 2, 3), (axl.TitForTat, axl.Cooperator, axl.Gradual)):
        mine = axl.Match((READY_MADE[ours](), opponent()), turns=100, seed=seed, noise=0.1).play()
        reference = axl.Match((theirs(), opponent()), turns=100, seed=seed, noise=0.1).play()
        assert mine == reference, opponent.name


def test_a_mixed_axelrod_tournament_runs_and_ranks():
    players = [
        TrustBuilder(), Peer(), Opportunist(), ContractualReciprocator(),
        axl.TitForTat(), axl.Cooperator(), axl.Grudger(), axl.Random(),
    ]
    results = axl.Tournament(players, turns=100, repetitions=3, seed=1).play(progress_bar=False)
    again = axl.Tournament([p.clone() for p in players], turns=100, repetitions=3, seed=1).play(progress_bar=False)
    assert sorted(results.ranked_names) == sorted(str(p) for p in players)
    assert results.payoff_matrix == again.payoff_matrix and results.ranked_names == again.ranked_names
    names = [str(p) for p in players]
    payoff = dict(zip(names, results.payoff_matrix))
    assert payoff["ld:Opportunist"][names.index("Cooperator")] == 5.0
    assert payoff["ld:Contractual Reciprocator"][names.index("Tit For Tat")] == 3.0
    assert payoff["ld:Opportunist"][names.index("ld:Contractual Reciprocator")] == (5 + 99 * 1) / 100


# --- beyond the built-ins ----------------------------------------------------------


class Reluctant(Player):
    """Gives only after the partner has given twice in a row."""

    name = "Reluctant"

    def strategy(self, opponent):
        return GIVE if opponent.history[-2:] == [GIVE, GIVE] else TAKE


class Wavering(Player):
    name = "Wavering"

    def strategy(self, opponent):
        return 0.5


class Stubborn(Automaton):
    name = "Stubborn"
    defaults = {"p": 0.0}
    probabilities = ("p",)

    def table(self, context):
        return memory_one(context, 1.0, 1.0, self.p, 0.0, 0.0)


def test_custom_automata_and_imperative_strategies_become_axelrod_players():
    stubborn = to_axelrod(Stubborn())
    assert type(stubborn) is AutomatonPlayer and str(stubborn) == "ld:Stubborn"
    # It never gives again after one take, yet only through its own last move: memory one.
    assert stubborn.classifier["memory_depth"] == 1 and stubborn.classifier["stochastic"] is False
    assert axl.Match((stubborn, axl.Alternator()), turns=4).play() == [(C, C), (C, D), (D, C), (D, D)]

    reluctant = to_axelrod(Reluctant())
    assert type(reluctant) is ImperativePlayer and reluctant.classifier["stochastic"] is True
    assert reluctant.clone() == reluctant and pickle.loads(pickle.dumps(reluctant)) == reluctant
    result = axl.Match((reluctant, axl.Cooperator()), turns=5, seed=1).play()
    assert [a for a, _ in result] == [D, D, C, C, C]
    assert pickle.loads(pickle.dumps(reluctant)) == reluctant  # mid-life too
    reluctant.reset()
    assert reluctant == to_axelrod(Reluctant()) and len(reluctant.history) == 0

    wavering = to_axelrod(Wavering())
    plays = lambda seed: axl.Match((wavering, axl.Cooperator()), turns=200, seed=seed).play()  # noqa: E731
    assert plays(1) == plays(1) != plays(2)
    assert 60 < sum(a == C for a, _ in plays(1)) < 140


# --- inside axelrod: the view of full stakes, and exits played as D ---------------------


@pytest.mark.parametrize("levels", [2, 4])
@pytest.mark.parametrize("strategy_class", ALL_STRATEGIES, ids=[cls.__name__ for cls in ALL_STRATEGIES])
def test_inside_axelrod_an_automaton_plays_its_view_of_full_stakes(strategy_class, levels):
    """axelrod tells only its game, so the context has stakes off and one
    column; for every built-in it is the column of full stakes (M, M), z = 0, of
    a game with stakes (from M = 2: at M = 1 a calculative organisation already
    weighs that one level learned ends the race)."""
    inside = context_for({"game": axl.DefaultGame, "length": 200})
    assert inside.levels == 0 and axelrod_view(inside) == 0
    staked = MatchContext(LearningGame(knowledge=Knowledge(levels=levels, pace=0.3)), inside.continuation, 200)
    column = axelrod_view(staked)
    assert (staked.own_stakes[column], staked.partner_stakes[column], staked.positions[column]) == (levels, levels, 0)
    played = READY_MADE[strategy_class]()
    table_with_stakes = strategy_class().compiled(staked)
    assert np.array_equal(played._give, table_with_stakes.give[:, column])
    assert np.array_equal(played._leave, table_with_stakes.leave[:, column])


def test_race_to_learn_never_leaves_inside_axelrod():
    """Nobody learns inside axelrod, so Race To Learn is never ahead (z = 0 < target):
    it gives, probing with its probability, and never leaves; in our engine with
    stakes it leaves once it is ahead."""
    racer = RaceToLearn(probe=0.0)
    assert racer.classifier["memory_depth"] == 0 and racer.classifier["stochastic"] is False
    assert axl.Match((racer, axl.Cooperator()), turns=50).play() == [(C, C)] * 50
    assert racer.exited_at is None
    prober = RaceToLearn()
    assert prober.classifier["memory_depth"] == 0 and prober.classifier["stochastic"] is True
    game = LearningGame(knowledge=Knowledge(levels=4, pace=0.3))
    ours = Match(ld.RaceToLearn(probe=0.0), ld.Cooperator(receptivity=0.1), game=game, turns=200, seed=1).play()
    assert ENDINGS[ours.ended_by] == "first left"


class MayLeave(Automaton):
    """Gives, but leaves with probability ``q`` before each round."""

    name = "May Leave"
    defaults = {"q": 0.25}
    probabilities = ("q",)

    def table(self, context):
        return table(context, [1.0], np.zeros((1, 2, 2), dtype=int), 0, ("only",), leave=[self.q])


def test_an_automaton_that_leaves_plays_d_for_the_rest_of_an_axelrod_match():
    walks_out = to_axelrod(WalksOut())
    # it leaves in round 3, after the Alternator's take in round 2, and plays D from then on
    assert axl.Match((walks_out, axl.Alternator()), turns=6).play() == [
        (C, C), (C, D), (D, C), (D, D), (D, C), (D, D)]
    assert walks_out.exited_at == 3 and walks_out.state == "left"
    # in our engine the same exit closes the alliance for both
    assert Match(WalksOut(), from_axelrod("Alternator"), turns=6).play().transcript() == "GG GT XX XX XX XX"
    # deterministic, and it remembers the take for ever (as a grudger): memory depth infinite
    assert walks_out.classifier["stochastic"] is False and walks_out.classifier["memory_depth"] == float("inf")
    # a new match starts trusting again
    walks_out.reset()
    assert walks_out.exited_at is None and walks_out == to_axelrod(WalksOut())
    assert axl.Match((walks_out, axl.Cooperator()), turns=3).play() == [(C, C)] * 3


def test_a_random_exit_draws_once_a_round_from_axelrods_generator():
    """One uniform a round decides exit then give (games.execution.chooses): it
    leaves in the first round whose uniform is below q, and plays D from then on."""
    q, turns = 0.25, 30
    for seed in range(1, 6):
        player = to_axelrod(MayLeave(q=q))
        player.set_seed(seed)
        reference = axl.RandomGenerator(seed=seed)
        first = next(k for k in range(turns) if reference.random() < q)
        moves = []
        for _ in range(turns):
            move = player.strategy(axl.Cooperator())
            player.update_history(move, C)
            moves.append(move)
        assert moves == [C] * first + [D] * (turns - first)
        assert player.exited_at == first + 1
    leaver = to_axelrod(MayLeave())
    assert leaver.classifier["stochastic"] is True and leaver.classifier["memory_depth"] == float("inf")
    assert to_axelrod(MayLeave(q=0.0)).classifier["stochastic"] is False
    # seeded in a match as axelrod seeds its stochastic players
    plays = lambda seed: axl.Match((to_axelrod(MayLeave()), axl.Cooperator()), turns=40, seed=seed).play()  # noqa: E731
    assert plays(3) == plays(3)


CALLS = []


class Quits(Player):
    """Gives twice, then returns Move.EXIT (and counts the calls to it)."""

    name = "Quits"

    def strategy(self, opponent):
        CALLS.append(len(self.history))
        return Move.EXIT if len(self.history) >= 2 else GIVE


def test_a_python_strategy_that_returns_exit_plays_d_for_the_rest_of_an_axelrod_match():
    CALLS.clear()
    quits = to_axelrod(Quits())
    assert type(quits) is ImperativePlayer
    assert axl.Match((quits, axl.Cooperator()), turns=6, seed=1).play() == [(C, C)] * 2 + [(D, C)] * 4
    assert quits.exited_at == 3
    assert CALLS == [0, 1, 2]  # not asked again after it left, as in our engine
    CALLS.clear()
    ours = Match(Quits(), from_axelrod("Cooperator"), turns=6).play()
    assert ours.transcript() == "GG GG XX XX XX XX" and (ours.moves[:, 2:] == EXIT).all()
    assert CALLS == [0, 1, 2]
    quits.reset()
    assert quits.exited_at is None


class Fades(Player):
    """Gives, but declares a leave probability of 1 from the second round on."""

    name = "Fades"

    def strategy(self, opponent):
        return GIVE

    def leave_probability(self):
        return 1.0 if self.history else 0.0


def test_a_python_strategy_that_declares_a_leave_probability_leaves_inside_axelrod():
    fades = to_axelrod(Fades())
    assert axl.Match((fades, axl.Cooperator()), turns=4, seed=1).play() == [(C, C)] + [(D, C)] * 3
    assert fades.exited_at == 2
    assert Match(Fades(), from_axelrod("Cooperator"), turns=4).play().transcript() == "GG XX XX XX"


def test_avoidance_is_a_defector_inside_axelrod():
    """Larsson's Avoidance leaves at once (withdrawal 1): inside axelrod it plays D
    every round, a memoryless deterministic Defector that exploits a cooperator
    (T = 5 a round), where our engine pays both the loner payoff P = 1."""
    avoidance = READY_MADE[ld.Avoidance]()
    assert avoidance.classifier["memory_depth"] == 0 and avoidance.classifier["stochastic"] is False
    match = axl.Match((avoidance, axl.Cooperator()), turns=10)
    assert match.play() == [(D, C)] * 10 and avoidance.exited_at == 1
    assert match.final_score() == (50, 0)
    ours = Match(ld.Avoidance(), from_axelrod("Cooperator"), turns=10).play()
    assert ours.totals == (10.0, 10.0) and (ours.moves == EXIT).all()
    # a partial withdrawal leaves at random: stochastic, its memory claimed unbounded
    partial = READY_MADE[ld.Avoidance](withdrawal=0.5)
    assert partial.classifier["stochastic"] is True and partial.classifier["memory_depth"] == float("inf")
