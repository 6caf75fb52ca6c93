"""Knowledge-sharing networks: people inside organisations, ties, groups (experimental).

The population layer of the second edition (``docs/networks.md``): organisations
send people (boundary spanners) into knowledge-sharing networks; people play the
pairwise learning game along their ties and the n-party group game in their
groups, and earn their own payoff while their organisations earn what their
learning brings home (:mod:`learning_dilemma.games.levels`).

- :mod:`.population`: :class:`Organisation`, :class:`Person`, :class:`Population`;
- :mod:`.structures`: generators of the usual structures (complete, regular,
  small world, scale free, clustered groups bridged by a few ties);
- :mod:`.readwrite`: networkx graphs, edge lists and GraphML in and out;
- :mod:`.play`: the pairwise game along every tie, vectorised over ties;
- :mod:`.groups`: the group game in every group, vectorised over groups;
- :mod:`.results`: :class:`NetworkResults`, tidy tables per person,
  organisation and round;
- :mod:`.exact`: the exact expected two-level payoffs of every tie;
- :mod:`.coping`: identity coping as structure (Chinese walls, avoidance for
  efficiency, meta-identity, multi-vocality);
- :mod:`.partner_choice`: partner choice opportunity by opportunity, the hot stove;
- :mod:`.reputation`: reputation and indirect reciprocity;
- :mod:`.dynamics`: play and imitation on the structure;
- :mod:`.selection`: multilevel selection (Traulsen & Nowak 2006);
- :mod:`.coalescence`: Allen et al.'s (2017) exact condition on any graph.

Experimental, as mesa's ``experimental`` package: names may change while the
model grows. networkx is imported only by the modules that need it, never by
``import learning_dilemma`` or ``import learning_dilemma.networks``; the names
of the later modules are loaded when first used (networkx's lazy pattern).
"""

import importlib

from .play import play_network
from .population import Group, Organisation, Person, Population
from .results import NetworkResults

__all__ = [
    "Group", "MultilevelSelection", "NetworkEvolution", "NetworkResults", "Organisation", "PartnerChoice", "Person",
    "Population", "ReputationRun", "choose_partners", "critical_ratio", "evolve_network", "play_network",
    "simulate_reputation",
]

_LAZY = {
    "choose_partners": "partner_choice", "PartnerChoice": "partner_choice",
    "simulate_reputation": "reputation", "ReputationRun": "reputation",
    "evolve_network": "dynamics", "NetworkEvolution": "dynamics",
    "MultilevelSelection": "selection", "critical_ratio": "coalescence",
}


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
