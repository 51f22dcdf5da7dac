"""Bytes to domain objects: one parser per format, all raising :class:`ParseError`."""

from innerpace.formats.errors import ParseError, ParseWarning

__all__ = ["ParseError", "ParseWarning"]
