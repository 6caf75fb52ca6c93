"""The package version, in its own module so that every layer can read it."""

__all__ = ["__version__"]

__version__ = "0.2.0.dev0"
