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
    source: str | None = None  # the path the person named that this came from
    kind: str | None = None  # for skipped files: "photos", "routes", "account files" …
    count: int = 1  # how many files this result stands for (skipped kinds are counted)
    checkins: int = 0  # feelings it brought (day moods, State of Mind)
    reflections: int = 0  # the person's own words it brought


@dataclass(frozen=True, slots=True)
class SkippedKind:
    kind: str
    count: int
    reason: str


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What happened to everything that came from one path the person named."""

    source: str
    imported: int
    duplicates: int
    failed: int
    checkins: int
    reflections: int
    skipped: tuple[SkippedKind, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "checkins": self.checkins,
            "reflections": self.reflections,
            "skipped": [
                {"kind": s.kind, "count": s.count, "reason": s.reason} for s in self.skipped
            ],
        }


@dataclass(slots=True)
class ImportReport:
    batch: int | None
    dry_run: bool = False
    files: list[FileResult] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(f.activities for f in self.files)

    @property
    def checkins(self) -> int:
        return sum(f.checkins for f in self.files)

    @property
    def reflections(self) -> int:
        return sum(f.reflections for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.count for f in self.files if f.outcome is Outcome.SKIPPED)

    def sources(self) -> list[SourceReport]:
        """Per path named, in the order named: imported, already here, failed, and what was
        skipped by kind with the reason."""
        order: dict[str, list[FileResult]] = {}
        for f in self.files:
            order.setdefault(f.source or f.file, []).append(f)
        found = []
        for source, files in order.items():
            kinds: dict[str, list] = {}
            for f in files:
                if f.outcome is Outcome.SKIPPED:
                    kind = f.kind or "other files"
                    entry = kinds.setdefault(kind, [0, f.message or ""])
                    entry[0] += f.count
            found.append(
                SourceReport(
                    source=source,
                    imported=sum(f.activities for f in files),
                    duplicates=sum(f.duplicates for f in files),
                    failed=sum(1 for f in files if f.outcome is Outcome.FAILED),
                    checkins=sum(f.checkins for f in files),
                    reflections=sum(f.reflections for f in files),
                    skipped=tuple(SkippedKind(k, n, why) for k, (n, why) in sorted(kinds.items())),
                )
            )
        return found

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
            "checkins": self.checkins,
            "reflections": self.reflections,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "failed": [{"file": f.file, "error": f.message} for f in self.failed],
            "warnings": [{"file": f.file, "warning": w} for f in self.files for w in f.warnings],
            "sources": [source.as_json() for source in self.sources()],
            "batch": None if self.batch is None else str(self.batch),
            "dry_run": self.dry_run,
        }
