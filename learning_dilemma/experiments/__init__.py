"""Experiments: workflows built on the engines, as library functions.

- :mod:`.sweep`: :class:`~.sweep.Sweep`, a resumable parameter sweep of a
  validated scenario, and :class:`~.sweep.SweepResult`;
- :mod:`.axes`: the grid (``--vary`` specs, :class:`~.axes.Axis`);
- :mod:`.journal`: the resume journal and the sweep's fingerprint;
- :mod:`.execution`: running points locally or on a Dask cluster;
- :mod:`.results`: tidy rows, where giving emerges, the text summary;
- :mod:`.files`: ``sweep.csv`` and the heatmaps;
- :mod:`.emergence`: a roster's payoff matrices and the evaluation of sweep points;
- :mod:`.report`: :func:`~.report.build_report`, a scenario's report as data.

The command line (:mod:`learning_dilemma.cli`) only parses arguments, calls
these and prints.
"""

__all__ = []  # the workflows live in the submodules named above
