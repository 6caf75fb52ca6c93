"""Finding strategies by name, and their labels."""

from __future__ import annotations

import pytest

from learning_dilemma.errors import ParameterError
from learning_dilemma.strategies import ALL_STRATEGIES, FAMILIES, Peer, TrustBuilder, make_strategy, strategy_class


def test_every_strategy_is_found_by_display_and_class_name_in_any_case():
    for cls in ALL_STRATEGIES:
        assert strategy_class(cls.name) is cls
        assert strategy_class(cls.__name__.lower()) is cls
        assert strategy_class(cls.name.upper().replace(" ", "")) is cls
        assert cls.family in FAMILIES and cls.description and cls.source


def test_unknown_names_suggest_the_closest():
    with pytest.raises(ParameterError, match="did you mean 'Trust Builder'"):
        strategy_class("Trust Bilder")


def test_labels_name_changed_parameters_and_custom_labels_survive_clones():
    assert Peer().label == "Peer" and Peer(tolerance=2).label == "Peer(tolerance=2)"
    player = make_strategy("trust builder", drop=3).labelled("Ann")
    assert player.label == "Ann" and player.clone().label == "Ann"
    assert TrustBuilder(drop=3) == TrustBuilder(drop=3) != TrustBuilder(drop=2)


def test_families_partition_the_library():
    from learning_dilemma import strategies

    groups = [strategies.ORGANISATIONAL, strategies.LARSSON, strategies.INTERPERSONAL, strategies.MULTILEVEL,
              strategies.CLASSIC]
    for family, group in zip(FAMILIES, groups):
        assert all(cls.family == family for cls in group)
    assert sum(map(len, groups)) == len(ALL_STRATEGIES) == len(set(ALL_STRATEGIES))
    assert len({cls.name for cls in ALL_STRATEGIES}) == len(ALL_STRATEGIES)


def test_make_strategy_passes_parameters_and_checks_them():
    assert make_strategy("Know-How Trader", cruciality=0.5) == strategy_class("knowhowtrader")(cruciality=0.5)
    with pytest.raises(ParameterError, match="Know-How Trader: unknown parameter 'crucial'"):
        make_strategy("know how trader", crucial=0.5)


def test_unknown_names_without_a_close_match_point_to_the_list():
    with pytest.raises(ParameterError) as error:
        strategy_class("Xyzzy")
    assert str(error.value) == "unknown strategy 'Xyzzy' (`learning-dilemma strategies` lists them)"
