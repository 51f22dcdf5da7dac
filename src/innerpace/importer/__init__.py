"""Bringing activity files into a journal: files, folders, archives; every format by content."""

from innerpace.importer.detect import detect_format
from innerpace.importer.pipeline import Importer
from innerpace.importer.report import FileResult, ImportReport, Outcome

__all__ = ["FileResult", "ImportReport", "Importer", "Outcome", "detect_format"]
