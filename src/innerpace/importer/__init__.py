"""Bringing activity files into a journal: files, folders, archives; every format by content."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from innerpace.importer.detect import detect_format
    from innerpace.importer.pipeline import Importer
    from innerpace.importer.report import FileResult, ImportReport, Outcome

__all__ = ["FileResult", "ImportReport", "Importer", "Outcome", "detect_format"]

# Loaded when first asked for: reading an import's report must not load every parser.
_HOME = {
    "detect_format": "innerpace.importer.detect",
    "Importer": "innerpace.importer.pipeline",
    "FileResult": "innerpace.importer.report",
    "ImportReport": "innerpace.importer.report",
    "Outcome": "innerpace.importer.report",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
