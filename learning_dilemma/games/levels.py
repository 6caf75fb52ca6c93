"""Two levels of payoff: the person who shares and the organisation behind them.

Seed 001 (s.4, s.7) argues that people in knowledge-sharing networks do not live
the learning dilemma as their organisations do: they learn for themselves
(their careers, KITe), are recognised by their professional community for
sharing (von Hippel 1987), feel their organisation's losses only as far as they
identify with it, and what they learn reaches the organisation only in part
("learning never reached the organisational level", KITe). This module writes
that split once, for one relation (a tie, or one pair inside a group) seen from
person *i*, who belongs to organisation side *i*, facing person *j*. The
pairwise stage game's parts (:func:`.learning.payoff_parts`) are regrouped:

    own value          A_i = (b - c) r_i x_j + w_i s (r_i + r_j) x_i x_j
                       what i learns and creates with j (absolute + created parts)
    competitive value  C_i = gamma c (r_i g_j - r_j g_i) + gamma e r_i x_j (1 - g_i)
                       standing between the rival organisations (positional + race premium)

and, with ``alpha`` the absorption rate of each side's organisation (the share of
what its person learns that reaches it: Cohen & Levinthal 1990; Inkpen &
Crossan 1995 on learning across levels) and ``C_i^alpha`` the competitive value
with receptivities ``alpha r`` (what each organisation holds, not what its
person heard),

    organisation       Pi_i = P + alpha_i A_i + C_i^alpha
    person             U_i  = P + A_i + lambda_i C_i^alpha + rho g_i - kappa |g_i - x*_i|

``lambda_i`` is the person's identification with the organisation: the share
of its competitive gains and losses (its leak) the person feels (Ashforth &
Mael 1989; seed 000 on identification); ``rho`` the recognition the
professional community pays for an act of sharing (von Hippel 1987; Delta's
specialists "proud" to share); ``kappa`` the weight of identity and ``x*_i``
the prescription of the person's salient identity, 0 (withhold) for the
organisational identity and 1 (share) for the knowledge-sharing network's
professional identity (Akerlof & Kranton 2000; seed 001 s.4 on the network's
shared identity). The positional part with absorbed receptivities,
``gamma c (alpha_i r_i g_j - alpha_j r_j g_i)``, still sums to zero between the
two organisations: standing moves by what each organisation actually holds
(our reading; the seeds are silent on how far a rival's person's learning
harms).

**Reduction.** At ``alpha = lambda = 1`` and ``rho = kappa = 0`` both levels are
the second edition's stage payoff. The functions compute them as that payoff
plus corrections that are exactly ``0.0`` at those limits, so the reduction
holds to the bit, not only to rounding (``tests/games/test_levels.py``).

The per-act terms ``rho g_i - kappa |g_i - x*_i|`` are kept apart
(:func:`act_value`): a give along a tie is one act, a give to a whole group is
one act however many members it reaches (:mod:`.group`).
"""

from __future__ import annotations

import numpy as np

from .learning import payoff_parts, stage_payoff

__all__ = [
    "IDENTITIES", "act_value", "competitive_value", "organisation_payoff", "person_payoff", "person_rstp", "prescription",
    "two_levels",
]

#: The salient identities and what each prescribes (1 share, 0 withhold):
#: the organisation's competitive identity and the network's professional one.
IDENTITIES = {"organisation": 0.0, "profession": 1.0}


def prescription(identity: str) -> float:
    """``x*``: what the salient ``identity`` prescribes (:data:`IDENTITIES`)."""
    return IDENTITIES[identity]


def competitive_value(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, overlap=None):
    """``C_i``: the positional part plus the race premium of *i*'s stage payoff."""
    parts = payoff_parts(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, overlap)
    return parts["positional"] + parts["race premium"]


def two_levels(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, absorption_i, absorption_j, identification, overlap=None):
    """``(stage, person, organisation)`` payoffs of *i* from one relation, from one
    evaluation of each part (the engines need all three every round).

    ``person`` is ``U_i`` without the per-act terms (add :func:`act_value` once per
    act), ``organisation`` is ``Pi_i``. Both are the stage payoff plus
    corrections, ``(lambda_i - 1) C_i^alpha + (C_i^alpha - C_i)`` and
    ``(alpha_i - 1) A_i + (C_i^alpha - C_i)``, each exactly ``0.0`` at
    ``alpha = lambda = 1``, so the reduction holds to the bit.
    Vectorised over numpy arrays.
    """
    g_i, g_j, x_i, x_j = (np.asarray(v, dtype=float) for v in (g_i, g_j, x_i, x_j))
    stage = stage_payoff(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, overlap)
    heard = payoff_parts(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, overlap)
    held = payoff_parts(game, g_i, g_j, x_i, x_j, absorption_i * r_i, absorption_j * r_j, z_i, overlap)
    competitive_heard = heard["positional"] + heard["race premium"]
    competitive_held = held["positional"] + held["race premium"]
    shift = competitive_held - competitive_heard
    person = stage + ((identification - 1.0) * competitive_held + shift)
    organisation = stage + ((absorption_i - 1.0) * (heard["absolute"] + heard["created"]) + shift)
    return stage, person, organisation


def organisation_payoff(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, absorption_i, absorption_j, overlap=None):
    """``Pi_i = P + alpha_i A_i + C_i^alpha``: organisation *i*'s payoff from one relation of its person.

    Computed as the stage payoff plus ``(alpha_i - 1) A_i + (C_i^alpha - C_i)``,
    both exactly zero at full absorption (:func:`two_levels`). Vectorised over numpy arrays.
    """
    return two_levels(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, absorption_i, absorption_j, 1.0, overlap)[2]


def person_payoff(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, absorption_i, absorption_j, identification,
                  overlap=None):
    """``U_i`` without the per-act terms: ``P + A_i + lambda_i C_i^alpha``.

    Computed as the stage payoff plus ``(lambda_i - 1) C_i^alpha + (C_i^alpha - C_i)``,
    exactly zero at full identification and absorption (:func:`two_levels`); add
    :func:`act_value` once per act of sharing. Vectorised over numpy arrays.
    """
    return two_levels(game, g_i, g_j, x_i, x_j, r_i, r_j, z_i, absorption_i, absorption_j, identification,
                      overlap)[1]


def act_value(g_i, recognition, identity_weight, prescribed):
    """``rho g_i - kappa |g_i - x*_i|``: recognition for sharing and the identity
    loss of acting against the salient identity's prescription, once per act."""
    g_i = np.asarray(g_i, dtype=float)
    return recognition * g_i - identity_weight * np.abs(g_i - prescribed)


def person_rstp(game, identification=1.0, absorption=(1.0, 1.0), recognition=0.0, identity_weight=0.0,
                identity="organisation", receptivity=(1.0, 1.0), overlap=None):
    """The person's own stage game ``(R, S, T, P)``: does the person feel the dilemma?

    Seed 001 (s.7) finds that "at the interpersonal level people do not feel
    that 'torn'". The person is torn when their own payoffs
    :func:`person_payoff` ``+`` :func:`act_value` (every give transferring,
    power even) still make a prisoner's dilemma, ``T > R > P > S``. At the
    defaults (Axelrod's 3, 0, 5, 1 for the organisation) the person's game is
    ``R = 3 + rho``, ``S = 1 - lambda + rho``, ``T = 2 + 3 lambda``, ``P = 1``
    (without identity weight): taking a giver's knowledge tempts only when
    ``lambda > (1 + rho) / 3``, and below ``lambda = rho`` giving even to a
    taker pays; at ``lambda = 1``, ``rho = 0`` it is the organisation's game.

    Returns
    -------
    tuple of float
        ``(R, S, T, P)`` of the person (the row player); the partner has the
        same parameters except ``receptivity`` and ``absorption``, given as pairs.
    """
    r_i, r_j = receptivity
    a_i, a_j = absorption
    xstar = prescription(identity)

    def value(g_i, g_j):
        base = person_payoff(game, g_i, g_j, g_i, g_j, r_i, r_j, 0, a_i, a_j, identification, overlap)
        return float(base + act_value(g_i, recognition, identity_weight, xstar))

    return value(1, 1), value(1, 0), value(0, 1), value(0, 0)
