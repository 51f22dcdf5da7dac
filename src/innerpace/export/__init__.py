"""The open export: the whole journal as JSON, CSV, Markdown and the original files."""

from innerpace.export.model import EXPORT_MARKER, ExportProblem
from innerpace.export.writer import write_export

__all__ = ["EXPORT_MARKER", "ExportProblem", "write_export"]
