"""Players: parameters, labels, the match protocol (learning_dilemma.players.player)."""

from __future__ import annotations

import pickle

import pytest

from learning_dilemma import GIVE, TAKE, LearningGame, MatchContext, Player
from learning_dilemma.errors import ParameterError
from learning_dilemma.players.player import fresh
from learning_dilemma.strategies import ALL_STRATEGIES, Calculative, HabitualAvoidance, Peer, TitForTat, TrustBuilder

CONTEXT = MatchContext(LearningGame(), 0.9)

# Whole-number parameters of the built-in strategies and a value each must refuse.
WHOLE = {"target": 0, "proof": 0, "levels": 0, "drop": 0, "initial": -1, "confident": 0, "tolerance": -1,
         "patience": 0}


def test_parameters_read_as_attributes():
    player = Peer(tolerance=2, receptivity=0.4)
    assert (player.tolerance, player.receptivity, player.tacitness) == (2, 0.4, 0.0)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        player.nonsense


@pytest.mark.parametrize("cls", ALL_STRATEGIES, ids=lambda c: c.__name__)
def test_unknown_parameters_name_the_strategy_the_parameter_and_the_known_ones(cls):
    with pytest.raises(ParameterError) as error:
        cls(colour=1)
    message = str(error.value)
    assert message.startswith(f"{cls.name}: unknown parameter 'colour'")
    assert all(key in message for key in ("receptivity", "tacitness", *cls.defaults))


@pytest.mark.parametrize("cls", ALL_STRATEGIES, ids=lambda c: c.__name__)
def test_bad_values_name_the_strategy_and_the_parameter(cls):
    probabilities = ("receptivity", "tacitness", *cls.probabilities)
    for key in probabilities:
        for value in (-0.1, 1.5):
            with pytest.raises(ParameterError, match=f"^{cls.name}: {key} must be in \\[0, 1\\]"):
                cls(**{key: value})
    for key in set(cls.defaults) & set(WHOLE):
        for value in (WHOLE[key], 1.5, True):
            with pytest.raises(ParameterError, match=f"^{cls.name}: {key} must be"):
                cls(**{key: value})


def test_labels_equality_and_clones():
    assert TrustBuilder().label == "Trust Builder" == repr(TrustBuilder())
    assert TrustBuilder(drop=3, tacitness=0.25).label == "Trust Builder(tacitness=0.25, drop=3)"
    assert Peer(tolerance=2) == Peer(tolerance=2) and hash(Peer(tolerance=2)) == hash(Peer(tolerance=2))
    assert Peer(tolerance=2) != Peer(tolerance=1) and TitForTat() != Calculative()
    named = Peer(tolerance=2).labelled("Delta institute")
    twin = named.clone()
    assert twin.label == "Delta institute" and twin == named and twin is not named
    assert Peer(tolerance=2).clone().label == "Peer(tolerance=2)"


def test_the_base_class_asks_for_a_strategy():
    with pytest.raises(NotImplementedError, match="must implement strategy"):
        Player().strategy(Player())


def test_begin_and_update_keep_history_observations_and_power():
    """``history`` holds its own moves as played, ``observed`` the partner's as seen;
    ``max_power`` is the knowledge levels M (0 with stakes off)."""
    from learning_dilemma.games import Knowledge

    player = HabitualAvoidance(proof=2)
    player.begin(CONTEXT, None, power=0, prior_rounds=1)
    assert player.max_power == 0  # stakes off: nobody ever holds power
    player = HabitualAvoidance(proof=2)
    player.stakes, player.partner_stakes = 3, 2
    player.begin(MatchContext(LearningGame(knowledge=Knowledge(levels=3)), 0.9), None, power=-1, prior_rounds=1)
    assert player.history == [GIVE] and player.observed == [GIVE] and player.power == -1
    assert player.max_power == 3 and player.continuation == 0.9
    assert player.state == "avoiding (1 gives seen)" and player.strategy(None) == 0.0
    player.update(TAKE, GIVE, 0)
    assert player.history == [GIVE, TAKE] and player.observed == [GIVE, GIVE] and player.power == 0
    assert player.state == "engaged" and player.strategy(None) == 1.0
    player.update(GIVE, TAKE, -1)
    assert player.state == "avoiding (0 gives seen)" and player.observed == [GIVE, GIVE, TAKE]
    player.reset()
    assert player.history == [] and player.observed == [] and player.power == 0
    assert (player.stakes, player.partner_stakes) == (0, 0)


def test_an_automaton_reads_its_table_at_its_view_of_the_stakes():
    """The column is K_own (M + 1) + K_partner; give and leave both come from it."""
    from learning_dilemma.games import Knowledge
    from learning_dilemma.strategies import RaceToLearn

    context = MatchContext(LearningGame(knowledge=Knowledge(levels=2)), 0.9)
    racer = RaceToLearn(probe=0.25)
    for own, partner in ((2, 2), (1, 2), (2, 1), (0, 2)):
        racer.stakes, racer.partner_stakes = own, partner
        racer.begin(context, None, partner - own, 0)
        ahead = partner - own >= 1
        assert racer.strategy(None) == (0.0 if ahead else 0.75)
        assert racer.leave_probability() == (1.0 if ahead else 0.0)
    assert Player().leave_probability() == 0.0  # a Python strategy leaves by returning Move.EXIT


def test_compiled_tables_are_cached_per_context_and_dropped_when_pickled():
    player = Calculative()
    assert player.compiled(CONTEXT) is player.compiled(MatchContext(LearningGame(), 0.9))
    assert player.compiled(MatchContext(LearningGame(), 0.5)) is not player.compiled(CONTEXT)
    # Ten turns have the shadow 0.9 too, but a table may read the length.
    assert player.compiled(MatchContext(LearningGame(), 0.9, 10)) is not player.compiled(CONTEXT)
    assert "_tables" not in pickle.loads(pickle.dumps(player)).__dict__


def test_fresh_players_share_no_match_state():
    class Counter(Player):
        defaults = {"step": 1}

        def strategy(self, opponent):
            return GIVE

    counter = Counter()
    counter.history.append(GIVE)
    copy = fresh(counter)
    copy.history.append(TAKE)
    assert counter.history == [GIVE] and copy.history == [GIVE, TAKE]
    automaton = TitForTat(tacitness=0.1)
    assert fresh(automaton) == automaton and fresh(automaton) is not automaton


def test_the_old_name_shadow_still_reads_the_continuation_with_a_warning():
    context = MatchContext(LearningGame(), 0.9)
    with pytest.warns(DeprecationWarning, match="MatchContext.shadow is deprecated; use MatchContext.continuation"):
        assert context.shadow == 0.9
