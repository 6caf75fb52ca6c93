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
- :mod:`.exact`: the exact expected two-level payoffs of every tie.

Experimental, as mesa's ``experimental`` package: names may change until the
later network issues (identity coping, dynamics on graphs) have landed.
networkx is imported only by the modules that need it, never by
``import learning_dilemma``.
"""

from .play import play_network
from .population import Group, Organisation, Person, Population
from .results import NetworkResults

__all__ = ["Group", "NetworkResults", "Organisation", "Person", "Population", "play_network"]
