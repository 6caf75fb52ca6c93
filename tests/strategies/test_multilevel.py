"""Multilevel strategies: product automata of an organisation's policy and a person."""

from __future__ import annotations

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match
from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import (
    BoundarySpanner,
    Calculative,
    ChineseWall,
    ContractualReciprocator,
    MetaIdentity,
    Opportunist,
    RandomPlayer,
    TrustBuilder,
)

GAME = LearningGame().with_power(strength=0.5)


def same_play(a, b, opponent=None):
    opponent = opponent or RandomPlayer(p=0.6)
    x = Match(a, opponent, game=GAME, continuation=0.8, seed=6, repetitions=20).play_batch()
    y = Match(b, opponent, game=GAME, continuation=0.8, seed=6, repetitions=20).play_batch()
    return np.array_equal(x.raw.moves[0], y.raw.moves[0]) and np.allclose(x.totals, y.totals)


@pytest.mark.parametrize("cls, key", [(BoundarySpanner, "identification"), (ChineseWall, "crucial"),
                                      (MetaIdentity, "identification")])
def test_the_extremes_are_the_organisation_or_the_person(cls, key):
    organisation, person = Opportunist(), ContractualReciprocator()
    extra = {"aggregation": 0.0} if cls is MetaIdentity else {}
    assert same_play(cls(organisation=organisation, person=person, **{key: 1.0}, **extra), organisation)
    assert same_play(cls(organisation=organisation, person=person, **{key: 0.0}, **extra), person)


def test_meta_identity_reframes_the_organisations_takes():
    """Acting for a taking organisation, a full meta-identity gives whenever the person would."""
    plain = MetaIdentity(organisation=Opportunist(), person=ContractualReciprocator(), identification=1.0,
                         aggregation=0.0)
    reframed = MetaIdentity(organisation=Opportunist(), person=ContractualReciprocator(), identification=1.0,
                            aggregation=1.0)
    assert same_play(reframed, ContractualReciprocator())
    assert not same_play(plain, ContractualReciprocator())


def test_product_state_space_and_defaults():
    spanner = BoundarySpanner()
    assert spanner.organisation == Calculative() and spanner.person == TrustBuilder()
    table = spanner.compiled(Match(spanner, spanner, continuation=0.9).context)
    assert table.n_states == 3 * 5  # reactive Calculative x five trust levels
    assert spanner.label == "Boundary Spanner"
    assert BoundarySpanner(person=ContractualReciprocator()).label == "Boundary Spanner(person=Contractual Reciprocator)"


def test_mixing_sits_between_the_two_identities():
    organisation, person = Opportunist(), ContractualReciprocator()
    rates = [
        Match(BoundarySpanner(organisation=organisation, person=person, identification=w), ContractualReciprocator(),
              turns=50, seed=2, repetitions=200).play_batch().give_rates[:, 0].mean()
        for w in (0.0, 0.5, 1.0)
    ]
    assert rates[0] == 1.0 and rates[2] == 0.0 and 0.0 < rates[1] < 1.0


def test_parts_must_be_automata():
    from learning_dilemma import GIVE, Player

    class Imperative(Player):
        def strategy(self, opponent):
            return GIVE

    with pytest.raises(ParameterError, match="automaton"):
        BoundarySpanner(person=Imperative())
    with pytest.raises(ParameterError):
        ChineseWall(crucial=2)


def test_meta_identity_aggregation_raises_giving():
    """reframed = org + a (1 - org) person >= org: every state gives at least as often, and in play it gives more."""
    context = Match(Opportunist(), Opportunist(), game=GAME, continuation=0.8).context
    tables = [MetaIdentity(aggregation=a).compiled(context).give for a in (0.0, 0.5, 1.0)]
    assert np.all(tables[0] <= tables[1]) and np.all(tables[1] <= tables[2]) and np.any(tables[0] < tables[2])
    rates = [
        Match(MetaIdentity(aggregation=a), RandomPlayer(p=0.7), game=GAME, turns=40, seed=3,
              repetitions=300).play_batch().give_rates[:, 0].mean()
        for a in (0.0, 1.0)
    ]
    assert rates[1] > rates[0] + 0.05


def test_product_states_track_both_parts():
    """The product automaton is in state (organisation state, person state) after any history."""
    from learning_dilemma import GIVE, TAKE

    spanner = ChineseWall(organisation=ContractualReciprocator(), person=TrustBuilder())
    context = Match(spanner, spanner, turns=5).context
    spanner.begin(context, None, 0, 0)
    assert spanner.state == "start / trust 3"
    spanner.update(GIVE, TAKE, 0)
    assert spanner.state == "partner took / trust 1"
    spanner.update(TAKE, GIVE, 0)
    assert spanner.state == "partner gave / trust 2"


def test_the_spanner_leaves_by_its_organisations_exit_with_its_identification():
    """The product automaton leaves with probability ``w q_org + (1 - w) q_person`` (w the
    identification), whatever the person's state; a person who does not identify stays."""
    from learning_dilemma import MatchContext
    from learning_dilemma.games import Knowledge
    from learning_dilemma.strategies import RaceToLearn

    context = MatchContext(LearningGame(knowledge=Knowledge(levels=2)), 0.9)
    spanner = BoundarySpanner(organisation=RaceToLearn(), person=TrustBuilder())
    product, organisation = spanner.compiled(context), RaceToLearn().compiled(context)
    persons = TrustBuilder().compiled(context).n_states
    assert product.leaves and product.leave.shape == product.give.shape
    w = spanner.identification
    for state in range(product.n_states):
        assert product.leave[state] == pytest.approx(w * organisation.leave[state // persons])
    loyal = BoundarySpanner(organisation=RaceToLearn(), person=TrustBuilder(), identification=1.0)
    detached = BoundarySpanner(organisation=RaceToLearn(), person=TrustBuilder(), identification=0.0)
    assert loyal.compiled(context).leave.max() == 1.0 and not detached.compiled(context).leaves
    assert not BoundarySpanner(organisation=RaceToLearn(), person=TrustBuilder()).compiled(
        MatchContext(LearningGame(), 0.9)).leaves  # stakes off: nobody is ever ahead


def test_a_spanner_that_stays_gives_as_the_role_it_follows():
    """The spanner follows its organisation with probability w and its person otherwise, in
    leaving as in giving: with an organisation that always leaves (Avoidance, which gives 0.1
    when it stays) and a Cooperator person, it leaves with w and, staying, gives as the person:
    P(give) = (1 - w) * 1, not (1 - w)(w 0.1 + (1 - w)) as two separate mixtures would give."""
    from learning_dilemma import MatchContext
    from learning_dilemma.strategies import Avoidance, Cooperator

    context = MatchContext(LearningGame(), 0.9)
    for w in (0.0, 0.3, 0.5, 1.0):
        table = BoundarySpanner(organisation=Avoidance(), person=Cooperator(), identification=w).compiled(context)
        assert table.leave[table.start, 0] == pytest.approx(w)
        if w < 1:
            assert table.give[table.start, 0] == pytest.approx(1.0)  # staying means following the person
    # nobody leaves: the first edition's mixture, unchanged
    table = BoundarySpanner(organisation=Avoidance(withdrawal=0.0), person=Cooperator(), identification=0.3).compiled(
        context)
    assert table.give[table.start, 0] == pytest.approx(0.3 * 0.1 + 0.7 * 1.0)
    # in play: the share of rounds it gives while the alliance lasts its first round
    batch = Match(BoundarySpanner(organisation=Avoidance(), person=Cooperator(), identification=0.5), Cooperator(),
                  turns=1, seed=5, repetitions=20000).play_batch()
    gave = (batch.raw.moves[0, :, 0] == 1).mean()
    assert abs(gave - 0.5) < 4 * np.sqrt(0.25 / 20000)
