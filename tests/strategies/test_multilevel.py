"""Multilevel strategies: product automata of an organisation's policy and a person.

``Chinese Wall`` and ``Meta-Identity`` are deprecated aliases (issue 17): the tests of
their play are kept, since the aliases still play as before, and expect their warning.
The Boundary Spanner's coping parameters (perceived partner wall, meta-identity,
multi-vocality) are tested at the end.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from learning_dilemma import LearningGame, Match, MatchContext
from learning_dilemma.errors import ParameterError
from learning_dilemma.games import Domain
from learning_dilemma.strategies.multilevel import perceive, walled_overlap
from learning_dilemma.strategies import (
    BoundarySpanner,
    Calculative,
    ChineseWall,
    ContractualReciprocator,
    MetaIdentity,
    Opportunist,
    RandomPlayer,
    TitForTat,
    TrustBuilder,
)

GAME = LearningGame().with_power(strength=0.5)


def same_play(a, b, opponent=None):
    opponent = opponent or RandomPlayer(p=0.6)
    x = Match(a, opponent, game=GAME, continuation=0.8, seed=6, repetitions=20).play_batch()
    y = Match(b, opponent, game=GAME, continuation=0.8, seed=6, repetitions=20).play_batch()
    return np.array_equal(x.raw.moves[0], y.raw.moves[0]) and np.allclose(x.totals, y.totals)


@pytest.mark.filterwarnings("ignore:(Chinese Wall|Meta-Identity) is deprecated:DeprecationWarning")
@pytest.mark.parametrize("cls, key", [(BoundarySpanner, "identification"), (ChineseWall, "crucial"),
                                      (MetaIdentity, "identification")])
def test_the_extremes_are_the_organisation_or_the_person(cls, key):
    organisation, person = Opportunist(), ContractualReciprocator()
    extra = {"aggregation": 0.0} if cls is MetaIdentity else {}
    assert same_play(cls(organisation=organisation, person=person, **{key: 1.0}, **extra), organisation)
    assert same_play(cls(organisation=organisation, person=person, **{key: 0.0}, **extra), person)


@pytest.mark.filterwarnings("ignore:(Chinese Wall|Meta-Identity) is deprecated:DeprecationWarning")
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


@pytest.mark.filterwarnings("ignore:(Chinese Wall|Meta-Identity) is deprecated:DeprecationWarning")
def test_parts_must_be_automata():
    from learning_dilemma import GIVE, Player

    class Imperative(Player):
        def strategy(self, opponent):
            return GIVE

    with pytest.raises(ParameterError, match="automaton"):
        BoundarySpanner(person=Imperative())
    with pytest.raises(ParameterError):
        ChineseWall(crucial=2)


@pytest.mark.filterwarnings("ignore:(Chinese Wall|Meta-Identity) is deprecated:DeprecationWarning")
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


@pytest.mark.filterwarnings("ignore:(Chinese Wall|Meta-Identity) is deprecated:DeprecationWarning")
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


# --- the deprecated aliases -----------------------------------------------------------------------------

@pytest.mark.parametrize("cls, replacement", [(ChineseWall, "Organisation(walls=...)"),
                                              (MetaIdentity, "Person(meta_horizon=..., meta_synergy=...)")])
def test_the_deprecated_aliases_warn_naming_what_replaced_them(cls, replacement):
    with pytest.warns(DeprecationWarning, match=rf"{cls.name} is deprecated") as caught:
        cls()
    message = str(caught[0].message)
    assert replacement in message and "Boundary Spanner" in message and "\n" not in message


@pytest.mark.filterwarnings("ignore:(Chinese Wall|Meta-Identity) is deprecated:DeprecationWarning")
def test_the_aliases_are_the_boundary_spanners_formula():
    """The reason they went: Chinese Wall(crucial=x) is Boundary Spanner(identification=x), and
    Meta-Identity(aggregation=0) is that automaton again (same tables, state by state)."""
    context = Match(Opportunist(), Opportunist(), game=GAME, continuation=0.8).context
    parts = {"organisation": Calculative(), "person": ContractualReciprocator()}
    spanner = BoundarySpanner(identification=0.3, **parts).compiled(context)
    for alias in (ChineseWall(crucial=0.3, **parts), MetaIdentity(identification=0.3, aggregation=0.0, **parts)):
        table = alias.compiled(context)
        assert np.array_equal(table.give, spanner.give) and np.array_equal(table.next_state, spanner.next_state)
        assert np.array_equal(table.leave, spanner.leave)


# --- the Boundary Spanner's coping parameters (pairwise view of networks.coping) -----------------------

# R, S, T, P = 6.5, -3.5, 16, 1: Calculative takes after a give at w = 0.9 ((T - R)/(R - S) = 0.95)
HARD = LearningGame(status_quo=1.0, learning_benefit=9.0, leak=4.5, synergy=1.0, race_premium=6.0)
SEED_000 = LearningGame(domains=(Domain("hardware and software", 0.6, 0.1), Domain("services", 0.4, 1.0)))


def calculating_spanner(**coping):
    return BoundarySpanner(organisation=Calculative(), person=Calculative(), identification=0.5, **coping)


def test_coping_off_is_the_spanner_as_before():
    """All four at 0 compile the parts with the match's own context: the same tables as a spanner
    without them, and perceive() hands the context back unread."""
    context = MatchContext(HARD, 0.9, 10)
    plain = calculating_spanner().compiled(context)
    off = calculating_spanner(partner_wall=0.0, meta_horizon=0.0, meta_synergy=0.0, multivocality=0.0)
    assert np.array_equal(off.compiled(context).give, plain.give)
    assert perceive(context) is context and off.perceived(context) is context
    assert perceive(context, horizon=0.5, synergy=0.5) is context     # less than the match's: no change


def test_walled_overlap_by_hand():
    """sum_d share_d gamma_d (1 - omega_d): a wall on services only leaves 0.6 x 0.1 = 0.06 of 0.46."""
    assert walled_overlap(SEED_000, (0.0, 1.0)) == pytest.approx(0.06)
    assert walled_overlap(SEED_000, 0.5) == pytest.approx(0.23)
    assert walled_overlap(LearningGame(overlap=0.8), 0.25) == pytest.approx(0.6)
    with pytest.raises(ParameterError, match="partner_wall: one value per domain"):
        walled_overlap(LearningGame(), (0.5, 0.5))


def test_a_perceived_partner_wall_makes_a_calculating_spanner_give():
    """Facing a walled partner (omega = 0.5: T - R = 7.25 <= 0.9 x 10) both calculating parts give after
    a give; without the wall they take. The wall is the partner's: it changes only partner_overlap."""
    context = MatchContext(HARD, 0.9, 10)
    walled = calculating_spanner(partner_wall=0.5)
    assert walled.perceived(context).game == dataclasses.replace(HARD, partner_overlap=0.5)
    after_give = lambda table: table.give[table.next_state[table.start, 1, 1], 0]  # noqa: E731
    assert after_give(walled.compiled(context)) == 1.0 and after_give(calculating_spanner().compiled(context)) == 0.0
    rates = [Match(s, TitForTat(), game=HARD, turns=10, seed=1).play_batch().give_rates[0, 0]
             for s in (calculating_spanner(), walled)]
    assert rates[1] == 1.0 and rates[0] < 0.5


def test_a_meta_identity_and_multivocality_make_a_calculating_spanner_give():
    context = MatchContext(HARD, 0.9, 10)
    after_give = lambda table: table.give[table.next_state[table.start, 1, 1], 0]  # noqa: E731
    for coping, seen in (({"meta_horizon": 0.96}, MatchContext(HARD, 0.96, None)),
                         ({"meta_synergy": 2.0}, MatchContext(dataclasses.replace(HARD, synergy=2.0), 0.9, 10)),
                         ({"multivocality": 0.5}, MatchContext(dataclasses.replace(HARD, synergy=1.5), 0.9, 10))):
        spanner = calculating_spanner(**coping)
        assert spanner.perceived(context) == seen
        assert after_give(spanner.compiled(context)) == 1.0, coping
    assert after_give(calculating_spanner(multivocality=0.2).compiled(context)) == 0.0   # 9.3 > 0.9 x 10.2


def test_parts_that_read_no_payoffs_do_not_perceive():
    """Avoidance and Trust Builder read neither the game nor the horizon: coping leaves their spanner's
    table as it was (the Bencons scenario's spanner, itcom_bencons.toml)."""
    from learning_dilemma.strategies import Avoidance

    context = MatchContext(SEED_000, 0.85)
    parts = {"organisation": Avoidance(), "person": TrustBuilder()}
    plain = BoundarySpanner(**parts).compiled(context)
    walled = BoundarySpanner(partner_wall=[0.0, 0.8], **parts)
    assert walled.partner_wall == (0.0, 0.8)   # a list is kept as a tuple: the player stays hashable
    hash(walled)
    assert np.array_equal(walled.compiled(context).give, plain.give)


@pytest.mark.parametrize("parameters, match", [
    ({"partner_wall": 1.5}, r"partner_wall must be in \[0, 1\]"),
    ({"partner_wall": []}, "partner_wall must be a number or one number per domain"),
    ({"meta_horizon": 1.0}, r"meta_horizon must be in \[0, 1\)"),
    ({"multivocality": -1}, "multivocality must be in"),
])
def test_bad_coping_parameters_are_refused(parameters, match):
    with pytest.raises(ParameterError, match=match):
        BoundarySpanner(**parameters)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BoundarySpanner()   # the spanner itself is not deprecated
