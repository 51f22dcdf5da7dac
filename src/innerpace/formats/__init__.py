"""Bytes to domain objects: one parser per format, all raising :class:`ParseError`."""

from innerpace.formats.errors import NotAnActivity, ParseError, ParseWarning

__all__ = ["NotAnActivity", "ParseError", "ParseWarning"]
