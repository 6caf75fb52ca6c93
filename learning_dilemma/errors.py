"""Errors raised for bad input.

Every error a user can trigger with bad parameters is a :class:`ParameterError`
(a :class:`ValueError`), so the command line can turn it into a one-line message
and exit status 2 without a traceback.
"""

__all__ = ["ParameterError"]


class ParameterError(ValueError):
    """A parameter, scenario value or command-line argument is invalid."""
