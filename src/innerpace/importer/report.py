"""What an import did, file by file, and its summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class FileResult:
    file: str
    outcome: Outcome
    activities: int = 0
    duplicates: int = 0
    message: str | None = None
    warnings: tuple[str, ...] = ()
    format: str | None = None


@dataclass(slots=True)
class ImportReport:
    batch: int | None
    dry_run: bool = False
    files: list[FileResult] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(f.activities for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(1 for f in self.files if f.outcome is Outcome.SKIPPED)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.outcome is Outcome.FAILED]

    @property
    def exit_code(self) -> int:
        """0 when nothing failed; 3 when some files failed (others may have imported)."""
        return 3 if self.failed else 0

    def as_json(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "failed": [{"file": f.file, "error": f.message} for f in self.failed],
            "warnings": [{"file": f.file, "warning": w} for f in self.files for w in f.warnings],
            "batch": None if self.batch is None else str(self.batch),
            "dry_run": self.dry_run,
        }
