"""Input and output: scenario files, tidy tables, files written atomically, figures,
SVG and HTML."""

__all__ = []
