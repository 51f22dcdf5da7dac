"""The one error every parser raises, naming the file and the reason in plain words."""

from __future__ import annotations

from dataclasses import dataclass


class ParseError(Exception):
    """A file could not be read as an activity.

    ``reason`` is a plain sentence ("file ends in the middle of a record at byte 403456");
    ``source`` names the file (a path, or a path inside an archive).
    """

    def __init__(self, reason: str, source: str | None = None) -> None:
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)

    def for_source(self, source: str) -> ParseError:
        """The same error, naming ``source``."""
        return ParseError(self.reason, source)


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something odd that did not stop the import ("file CRC does not match; data kept")."""

    message: str


class NotAnActivity(ParseError):
    """A valid file that holds no activity (a FIT settings, monitoring or workout file).

    Importers count these as skipped, not failed.
    """
