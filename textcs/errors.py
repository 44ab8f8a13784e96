"""Exceptions raised by textcs. Every error a caller can act on derives from :class:`TextcsError`."""

from __future__ import annotations


class TextcsError(Exception):
    """Base class of all textcs errors."""


class InvalidTextError(TextcsError, ValueError):
    """A comment could not be processed (strict mode only; lenient mode flags the record instead).

    Attributes
    ----------
    index : int
        Position of the offending item in the input.
    status : str
        The status the record would have had (``empty``, ``invalid`` or ``truncated``).
    reason : str
        Why, in words.
    """

    def __init__(self, index: int, status: str, reason: str):
        self.index, self.status, self.reason = index, status, reason
        super().__init__(f"input #{index} is {status}: {reason}")


class ResourceError(TextcsError, FileNotFoundError):
    """A data file or model directory textcs needs is missing or malformed."""
