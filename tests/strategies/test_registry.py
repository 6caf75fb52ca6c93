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
