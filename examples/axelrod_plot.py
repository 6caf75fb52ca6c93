"""axelrod's plots of the learning game, knowledge stakes and power included.

An axelrod tournament between our strategies and axelrod's is played once and
scored twice: by axelrod (the classic prisoner's dilemma, each turn on its own)
and by the learning game of the second edition: what transfers runs down the
learner's knowledge stakes, the side that still needs less holds power over the
value created by mutual giving (Emerson 1962; Hamel 1991), and when one side has
learned everything the race is over and both earn the status quo for the rest
of the match. A Moran process scored by the learning game follows. The figure
shows axelrod's boxplot of both scorings and the Moran population over time.

    python examples/axelrod_plot.py learning_game.png --power 0.8 --seed 1
"""

from __future__ import annotations

import argparse
import functools
import tempfile
from pathlib import Path


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="PNG file to write")
    parser.add_argument("--power", type=float, default=0.8, help="power strength in [0, 1] (default 0.8)")
    parser.add_argument("--turns", type=int, default=100, help="turns per match (default 100)")
    parser.add_argument("--repetitions", type=int, default=5, help="tournament repetitions (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of every random draw (default 1)")
    return parser.parse_args(argv)


def main(argv=None) -> Path:
    args = parse(argv)
    import matplotlib

    matplotlib.use("Agg")
    import axelrod as axl
    import matplotlib.pyplot as plt

    from learning_dilemma import LearningGame
    from learning_dilemma.games import Knowledge, Ties
    from learning_dilemma.axelrod.players import Opportunist, Peer, RaceToLearn, TrustBuilder
    from learning_dilemma.axelrod.scoring import LearningGameMatch, rescore_tournament

    # the shipped scenarios' stakes and ties: without stakes power has nothing to act on
    game = LearningGame(knowledge=Knowledge(levels=4, pace=0.3), ties=Ties(levels=3)).with_power(strength=args.power)
    players = [
        TrustBuilder(), Peer(), RaceToLearn(), Opportunist(),
        axl.TitForTat(), axl.Grudger(), axl.WinStayLoseShift(), axl.Defector(), axl.Random(),
    ]
    tournament = axl.Tournament(players, turns=args.turns, repetitions=args.repetitions, seed=args.seed)
    with tempfile.TemporaryDirectory() as folder:
        classic = tournament.play(filename=str(Path(folder) / "interactions.csv"), progress_bar=False)
        learning = rescore_tournament(tournament, game, seed=args.seed)

    # axelrod's documented hook: every match of the process is a LearningGameMatch.
    population = [TrustBuilder(), TrustBuilder(), Opportunist(), Opportunist(), axl.TitForTat(), axl.TitForTat()]
    moran = axl.MoranProcess(
        population, turns=args.turns, seed=args.seed,
        match_class=functools.partial(LearningGameMatch, learning_game=game),
    )
    moran.play()

    figure, axes = plt.subplots(1, 3, figsize=(20, 6.5), gridspec_kw={"width_ratios": [2, 2, 1.3]})
    axl.Plot(classic).boxplot(ax=axes[0], title="axelrod's scores (prisoner's dilemma)")
    axl.Plot(learning).boxplot(ax=axes[1], title=f"learning game, stakes 4, power strength {args.power:g}")
    for ax in axes[:2]:
        ax.set_ylabel("mean payoff per turn")
    moran.populations_plot(ax=axes[2])
    axes[2].set_title("Moran process, learning game")
    axes[2].set_xlabel(f"iteration ({moran.winning_strategy_name} fixates)")
    axes[2].legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(args.output, dpi=90)
    plt.close(figure)
    return args.output


if __name__ == "__main__":
    print(main())
