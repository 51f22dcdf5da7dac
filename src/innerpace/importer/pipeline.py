"""The import of many files: detect, parse (in worker processes), deduplicate, write.

Each file is written in one transaction: a killed import leaves no partial run, and running it
again skips what landed (the original's content hash) and finishes the rest.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from innerpace.domain import (
    CheckIn,
    CheckInKind,
    LapTrigger,
    Moment,
    MomentStatus,
    Reflection,
    Run,
)
from innerpace.formats.errors import NotAnActivity, ParseError
from innerpace.formats.parsed import DeviceFeeling, ParsedActivities
from innerpace.importer import registry
from innerpace.importer.detect import detect_format
from innerpace.importer.exports import export_readers
from innerpace.importer.report import FileResult, ImportReport, Outcome
from innerpace.importer.sources import Candidate, ExportReader, Skip, walk
from innerpace.instruments import get_instrument
from innerpace.store import Store

DUPLICATE_WINDOW_S = 60.0
ORIGINAL_LEVEL = 1  # activity files compress as well at level 1 as at 6, several times faster
Progress = Callable[[FileResult], None]


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A candidate after the (possibly parallel) read-and-parse step."""

    name: str
    explicit: bool
    sha256: str | None = None
    fmt: str | None = None
    data: bytes | None = None
    parsed: ParsedActivities | None = None
    error: ParseError | None = None
    packed: bytes | None = None  # the original, already compressed
    skip: Skip | None = None  # files an export holds that are not imported, by kind


def _parse_bytes(name: str, data: bytes) -> tuple[str | None, ParsedActivities | ParseError | None]:
    fmt = detect_format(data)
    if fmt is None:
        return None, None
    try:
        return fmt, registry.parse(fmt, data, name)
    except ParseError as exc:
        return fmt, exc


def _parse_and_pack(name: str, data: bytes):
    """Run in a worker: parse, and compress the original so the writer need not."""
    fmt, parsed = _parse_bytes(name, data)
    packed = zlib.compress(data, ORIGINAL_LEVEL) if isinstance(parsed, ParsedActivities) else None
    return fmt, parsed, packed


def _ready(candidate: Candidate) -> tuple[str | None, ParsedActivities | ParseError]:
    """An activity an export describes without a file (a manual entry, a workout record)."""
    assert candidate.parsed is not None
    try:
        parsed = candidate.parsed()
    except ParseError as exc:
        return None, exc if exc.source else exc.for_source(candidate.name)
    return parsed.format, parsed


def _prepare(candidate: Candidate) -> tuple[str, bytes | None, ParseError | None]:
    try:
        return candidate.name, candidate.read(), None
    except ParseError as exc:
        return candidate.name, None, exc if exc.source else exc.for_source(candidate.name)


def _same_activity(a: Run, b: Run) -> bool:
    if abs((a.start - b.start).total_seconds()) > DUPLICATE_WINDOW_S:
        return False
    if abs(a.duration_s - b.duration_s) > max(120.0, 0.1 * max(a.duration_s, b.duration_s)):
        return False
    if a.distance_m and b.distance_m:
        return abs(a.distance_m - b.distance_m) <= max(
            200.0, 0.05 * max(a.distance_m, b.distance_m)
        )
    return True


def _richness(run: Run, samples: int) -> tuple[int, int]:
    return registry.SOURCE_RANK.get(run.source, 0), samples


def lap_moments(run: Run, run_id: int, batch_id: int | None = None) -> list[Moment]:
    """Each manual lap press on foot becomes a suggested moment where the lap ended."""
    moments: list[Moment] = []
    distance = 0.0
    if not run.sport.is_on_foot:
        return moments
    for lap in run.laps:
        distance += lap.distance_m or 0.0
        if lap.trigger is not LapTrigger.MANUAL:
            continue
        end = lap.start + timedelta(seconds=lap.elapsed_s)
        at_s = (end - run.start).total_seconds()
        if not 0 <= at_s <= run.duration_s + 1:
            continue
        moments.append(
            Moment(
                run_id=run_id,
                at_s=at_s,
                at_m=distance if distance > 0 else None,
                status=MomentStatus.SUGGESTED,
                source="lap",
                batch_id=batch_id,
            )
        )
    return moments


def device_checkin(
    run: Run, run_id: int, feelings: list[DeviceFeeling], batch_id: int | None = None
) -> CheckIn | None:
    """A watch's own post-run ratings, as a check-in on their own instruments."""
    responses = []
    for feeling in feelings:
        instrument = get_instrument(feeling.instrument_id)
        try:
            responses.append(instrument.response({feeling.item_id: round(feeling.value)}))
        except ValueError:
            continue
    if not responses:
        return None
    return CheckIn(
        at=run.end,
        kind=CheckInKind.AFTER,
        responses=tuple(responses),
        run_id=run_id,
        delay_s=0.0,
        source="device",
        batch_id=batch_id,
    )


PARENT_CHECK_S = 0.5


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_S)
        if os.getppid() != parent:
            os._exit(0)


def _worker_start(parent: int) -> None:
    """In each worker: leave Ctrl+C to the parent, and end as soon as the parent is gone (a
    ``kill -9`` of the server must not leave workers holding the journal's data in memory)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for parsing, started with ``spawn`` on every platform: a fresh
    interpreter inherits no listening socket, no open journal, no key and no signal handlers of
    the server (``fork`` would copy them all, and does not exist on Windows)."""
    import multiprocessing

    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
        initargs=(os.getpid(),),
    )


class Importer:
    """Imports files into one journal as one batch."""

    def __init__(
        self,
        store: Store,
        *,
        workers: int = 1,
        keep_coordinates: bool = True,
        readers: Sequence[ExportReader] | None = None,
    ) -> None:
        self.store = store
        self.readers = tuple(export_readers() if readers is None else readers)
        self.workers = max(1, workers)
        self.keep_coordinates = keep_coordinates

    def run(
        self, paths: Iterable[Path], *, dry_run: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        batch = None if dry_run else self.store.start_batch()
        report = ImportReport(batch=batch, dry_run=dry_run)
        for path in paths:  # one path at a time, so every result knows where it came from
            for item in self._parsed(walk([path], self.readers)):
                result = replace(self._write(item, batch, dry_run), source=str(path))
                report.files.append(result)
                if progress is not None:
                    progress(result)
        if batch is not None:
            summary = report.as_json()
            summary.pop("warnings")
            self.store.finish_batch(batch, summary)
        return report

    # -- reading and parsing, in parallel when asked ----------------------------------------
    def _parsed(self, candidates: Iterator[Candidate]) -> Iterator[_Parsed]:
        if self.workers == 1:
            for candidate in candidates:
                yield self._parse_one(candidate)
            return
        with worker_pool(self.workers) as pool:
            window: deque[tuple[Candidate, _Parsed | Future]] = deque()
            for candidate in candidates:
                window.append((candidate, self._submit(candidate, pool)))
                if len(window) >= self.workers * 4:
                    yield self._finish(*window.popleft())
            while window:
                yield self._finish(*window.popleft())

    def _read_and_check(self, candidate: Candidate) -> _Parsed | tuple[str, bytes, str]:
        """The candidate's bytes and hash, or its outcome when no parsing is needed."""
        if candidate.skip is not None:
            return _Parsed(candidate.name, candidate.explicit, skip=candidate.skip)
        name, data, error = _prepare(candidate)
        if error is not None or data is None:
            return _Parsed(name, candidate.explicit, error=error)
        sha = hashlib.sha256(data).hexdigest()
        if self.store.original_exists(sha):
            return _Parsed(name, candidate.explicit, sha256=sha, data=data)
        if candidate.parsed is not None:
            return self._as_parsed(candidate, sha, data, *_ready(candidate))
        return name, data, sha

    def _submit(self, candidate: Candidate, pool: Executor) -> _Parsed | Future:
        early = self._read_and_check(candidate)
        if isinstance(early, _Parsed):
            return early
        name, data, sha = early
        future = pool.submit(_parse_and_pack, name, data)
        future.meta = (sha, data)  # type: ignore[attr-defined]  # the file rides with its future
        return future

    def _finish(self, candidate: Candidate, pending: _Parsed | Future) -> _Parsed:
        if isinstance(pending, _Parsed):
            return pending
        sha, data = pending.meta  # type: ignore[attr-defined]  # set in _submit
        try:
            fmt, parsed, packed = pending.result()
        except Exception as exc:  # noqa: BLE001 - a worker that died must not stop the import
            error = ParseError(f"could not be read ({type(exc).__name__})", candidate.name)
            return _Parsed(candidate.name, candidate.explicit, sha, None, data, error=error)
        return self._as_parsed(candidate, sha, data, fmt, parsed, packed)

    def _parse_one(self, candidate: Candidate) -> _Parsed:
        early = self._read_and_check(candidate)
        if isinstance(early, _Parsed):
            return early
        name, data, sha = early
        return self._as_parsed(candidate, sha, data, *_parse_and_pack(name, data))

    @staticmethod
    def _as_parsed(candidate, sha, data, fmt, parsed, packed=None) -> _Parsed:
        if isinstance(parsed, ParseError):
            return _Parsed(candidate.name, candidate.explicit, sha, fmt, data, error=parsed)
        if parsed is not None and candidate.annotate is not None:
            try:
                parsed = candidate.annotate(parsed)
            except ParseError as exc:
                return _Parsed(candidate.name, candidate.explicit, sha, fmt, data, error=exc)
        return _Parsed(
            candidate.name, candidate.explicit, sha, fmt, data, parsed=parsed, packed=packed
        )

    # -- writing -----------------------------------------------------------------------------
    def _write(self, item: _Parsed, batch: int | None, dry_run: bool) -> FileResult:
        name = item.name
        if item.skip is not None:
            skip = item.skip
            return FileResult(
                name, Outcome.SKIPPED, message=skip.reason, kind=skip.kind, count=skip.count
            )
        if item.error is not None:
            if isinstance(item.error, NotAnActivity):
                kind = (
                    f"non-activity {item.fmt.upper()} files" if item.fmt else "non-activity files"
                )
                return FileResult(
                    name, Outcome.SKIPPED, message=item.error.reason, format=item.fmt, kind=kind
                )
            return FileResult(name, Outcome.FAILED, message=item.error.reason, format=item.fmt)
        if item.parsed is None and item.fmt is None and item.sha256 is not None:
            if self.store.original_exists(item.sha256):
                return FileResult(name, Outcome.DUPLICATE, duplicates=1, message="already imported")
            if item.explicit:
                return FileResult(name, Outcome.FAILED, message="not a FIT, GPX or TCX file")
            return FileResult(
                name, Outcome.SKIPPED, message="not an activity file", kind="other files"
            )
        parsed = item.parsed
        assert parsed is not None and item.data is not None and item.sha256 is not None
        warnings = tuple(w.message for w in parsed.warnings)
        if dry_run:
            fresh = sum(1 for run in parsed.runs if self._duplicate_of(run) is None)
            return FileResult(
                name,
                Outcome.IMPORTED
                if fresh or parsed.checkins or parsed.day_words
                else Outcome.DUPLICATE,
                activities=fresh,
                duplicates=len(parsed.runs) - fresh,
                warnings=warnings,
                format=parsed.format,
            )
        assert batch is not None
        if self.store.original_exists(item.sha256):  # the same bytes twice in one import
            return FileResult(name, Outcome.DUPLICATE, duplicates=1, message="already imported")
        with self.store.transaction():
            original_id = self.store.add_original(
                sha256=item.sha256,
                fmt=parsed.format,
                name=name,
                size=len(item.data),
                codec="zlib",
                data=item.packed or zlib.compress(item.data, ORIGINAL_LEVEL),
                batch_id=batch,
            )
            added, upgraded, duplicates, words = self._add_runs(parsed, batch, original_id)
            loose = [c for c in parsed.checkins if not self.store.holds_checkin_like(c)]
            for checkin in loose:  # one the person changed, and kept through an undo, stays
                self.store.add_checkin(replace(checkin, batch_id=batch))
            day_words = [r for r in parsed.day_words if not self.store.holds_reflection_like(r)]
            for reflection in day_words:
                self.store.add_reflection(replace(reflection, batch_id=batch))
            landed = added or len(loose) or len(day_words)
            if not landed and not upgraded:  # a copy of what is here: not kept, so that it
                self.store.forget_original(original_id)  # comes in if that is taken back
        outcome = Outcome.IMPORTED if landed else Outcome.DUPLICATE
        message = None if landed else "the same activity is already in the journal"
        return FileResult(
            name,
            outcome,
            activities=added,
            duplicates=duplicates,
            message=message,
            warnings=warnings,
            format=parsed.format,
            checkins=len(loose),
            reflections=words + len(day_words),
        )

    def _duplicate_of(self, run: Run) -> Run | None:
        for other in self.store.runs_starting_near(run, DUPLICATE_WINDOW_S):
            if _same_activity(run, other):
                return other
        return None

    def _add_runs(
        self, parsed: ParsedActivities, batch: int, original_id: int
    ) -> tuple[int, int, int, int]:
        """Write the new runs with what they carry; (added, upgraded, duplicates, reflections)."""
        added = upgraded = duplicates = words_added = 0
        for index, run in enumerate(parsed.runs):
            if not self.keep_coordinates and run.series is not None:
                run = _without_coordinates(run)
            samples = len(run.series) if run.series is not None else 0
            existing = self._duplicate_of(run)
            if existing is not None and existing.id is not None:
                duplicates += 1
                mine = _richness(run, samples)
                theirs = _richness(existing, self.store.series_samples(existing.id))
                if mine > theirs and existing.source != "manual":
                    self.store.upgrade_run(
                        existing.id, run, by_batch=batch, original_id=original_id
                    )
                    upgraded += 1
                continue
            run_id = self.store.add_run(run, batch_id=batch, original_id=original_id)
            added += 1
            for moment in lap_moments(run, run_id, batch):
                self.store.add_moment(moment)
            feelings = [f for f in parsed.feelings if f.run_index == index]
            checkin = device_checkin(run, run_id, feelings, batch) if feelings else None
            if checkin is not None and not self.store.holds_checkin_like(checkin):
                self.store.add_checkin(replace(checkin, batch_id=batch))
            for words in parsed.words:
                if words.run_index == index and words.text.strip():
                    reflection = Reflection(
                        text=words.text,
                        created=run.end,
                        run_id=run_id,
                        private=words.private,
                        origin=words.origin,
                        batch_id=batch,
                    )
                    if self.store.holds_reflection_like(reflection):
                        continue  # the person's changed copy, kept through an undo, stays
                    self.store.add_reflection(reflection)
                    words_added += 1
        return added, upgraded, duplicates, words_added


def _without_coordinates(run: Run) -> Run:
    assert run.series is not None
    return replace(run, series=run.series.without_coordinates())
