"""Errors raised for bad input.

Every error a user can trigger with bad parameters is a :class:`ParameterError`
(a :class:`ValueError`), so the command line can turn it into a one-line message
and exit status 2 without a traceback. A strategy that fails during a match (it
raises, answers with something that is not a move or a probability, or tries to
change its opponent) raises a :class:`StrategyError`, one of them, naming the
strategy, its opponent and the round.
"""

__all__ = ["ParameterError", "StrategyError"]


class ParameterError(ValueError):
    """A parameter, scenario value or command-line argument is invalid."""


class StrategyError(ParameterError):
    """A strategy failed during a match.

    The message is one line naming the strategy, its opponent and the round
    (and the repetition of a match of several), e.g. ``strategy 'Mine' against
    'Peer' failed in round 3: ZeroDivisionError: division by zero``; the
    original exception is chained as ``__cause__``. ``reason`` is the part
    after the colon: what went wrong, without where.
    """

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = message if reason is None else reason
