"""Strava's bulk export: ``activities.csv`` joined to the activity files it names.

Each row with a file becomes that file's candidate, with the row's title, description,
private note, perceived exertion and activity type added (the row's type wins over the
file's); a row without a file (a manual entry) becomes an activity of its own. Where the
row's elapsed time or distance differs from the file's by more than 2 %, the activity was
cropped on Strava: the run takes the row's figures and is marked ``track_uncropped``.
Photos, planned routes and account files are counted by kind and skipped.

Titles, descriptions and notes are kept as written (plain text, bounded). Automatic titles
("Morning Run", "Namiddagloop") are not the person's words and never become reflections.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from innerpace.domain import Run, Sport
from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.parsed import CarriedWords, DeviceFeeling, ParsedActivities
from innerpace.importer.exports.strava import values, words
from innerpace.importer.exports.strava.values import DayOrder
from innerpace.importer.exports.tree import ExportTree, Skipped, is_activity_name, is_media_name
from innerpace.importer.sources import Candidate, expand

CSV_NAME = "activities.csv"
MAX_CSV_BYTES = 64 * 2**20
MAX_NAME = 300
MAX_TEXT = 20_000
MISSING = frozenset({"", "#error#"})  # Strava writes #error# where it had no value
CROP_TOLERANCE = 0.02
SAMPLE_ROWS = 200


def read_export(path: Path) -> Iterator[Candidate] | None:
    """The candidates of a Strava bulk export (zip or folder), or None if ``path`` is not one."""
    tree = ExportTree.open(path)
    if tree is None:
        return None
    found = _find_table(tree)
    if found is None:
        tree.close()
        return None
    return _candidates(tree, *found)


# -- finding and reading the table -----------------------------------------------------------
@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    columns: dict[str, int]
    decimal_comma: bool = False
    order: DayOrder = DayOrder.MONTH_FIRST
    legacy: bool = False  # the 2019 header (``id,date,…,elapsed_time,distance``): metres
    by_content: dict[str, int] = field(default_factory=dict)  # placed by what they hold
    unplaced: list[str] = field(default_factory=list)  # titles nobody has seen before

    def column(self, meaning: str) -> list[str]:
        index = self.columns.get(meaning)
        if index is None:
            return []
        return [r[index] for r in self.rows[:SAMPLE_ROWS] if index < len(r)]

    def warnings(self) -> tuple[str, ...]:
        notes = []
        if self.by_content:
            placed = ", ".join(
                f"{meaning} from “{self.header[i]}”"
                for meaning, i in sorted(self.by_content.items())
            )
            notes.append(f"columns placed by their content: {placed}")
        if self.unplaced:
            notes.append("columns not recognised: " + ", ".join(f"“{t}”" for t in self.unplaced))
        return tuple(notes)


def _find_table(tree: ExportTree) -> tuple[str, str, Table] | None:
    tables = [
        n for n in tree.names if posixpath.basename(n).lower() == CSV_NAME and n.count("/") <= 1
    ]
    if not tables:
        return None
    name = min(tables, key=lambda n: (n.count("/"), n))
    root = posixpath.dirname(name)
    root = f"{root}/" if root else ""
    has_folder = any(n.startswith(f"{root}activities/") for n in tree.names)
    try:
        table = read_table(tree.reader(name)())
    except (ParseError, csv.Error, UnicodeError):
        return None
    if "filename" not in table.columns and not has_folder:
        return None
    if "id" not in table.columns and "filename" not in table.columns:
        return None
    return name, root, table


def read_table(data: bytes) -> Table:
    """The rows of ``activities.csv``, each column placed by its title or, failing that, by
    what it holds."""
    if len(data) > MAX_CSV_BYTES:
        raise ParseError("activities.csv is too large")
    text = data.decode("utf-8-sig", errors="replace")
    csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT * 8))  # long descriptions
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ParseError("activities.csv is empty")
    header = rows[0]
    rows = [r for r in rows[1:] if any(c.strip() for c in r)]
    table = Table(header, rows, words.columns_of(header))
    table.legacy = "elapsed_time" in [h.strip() for h in header]
    _place_by_content(table)
    english = sum(map(words.is_english_title, header)) * 2 >= max(1, len(header))
    table.order = values.day_order(table.column("date"), english)
    numbers = table.column("distance") + table.column("distance_m")
    table.decimal_comma = values.uses_decimal_comma(numbers, english)
    return table


def _place_by_content(table: Table) -> None:
    """Give a meaning to columns whose title is unknown, by what their cells hold."""
    sample = table.rows[:SAMPLE_ROWS]
    taken = set(table.columns.values())
    unknown = [i for i, t in enumerate(table.header) if not words.is_known_title(t)]

    def cells(index: int) -> list[str]:
        return [
            r[index]
            for r in sample
            if index < len(r) and r[index].strip().casefold() not in MISSING
        ]

    def place(meaning: str, test: Callable[[list[str]], bool], after: int = -1) -> None:
        if meaning in table.columns:
            return
        for index in unknown:
            if index in taken or index <= after:
                continue
            column = cells(index)
            if column and test(column):
                table.columns[meaning] = table.by_content[meaning] = index
                taken.add(index)
                return

    place("filename", lambda c: all(v.strip().startswith("activities/") for v in c))
    place("id", values.looks_like_ids)
    place("date", values.looks_like_dates)
    place("type", _looks_like_types)
    place("elapsed_s", values.looks_like_durations, table.columns.get("type", -1))
    place("distance", values.looks_like_distances, table.columns.get("elapsed_s", -1))
    table.unplaced = [table.header[i] for i in unknown if i not in taken]


def _looks_like_types(cells: list[str]) -> bool:
    known = words.sport_words()
    return sum(1 for v in cells if words.normalize(v) in known) >= 0.8 * len(cells)


# -- one row ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Row:
    """What one line of ``activities.csv`` says, by meaning; text cells are raw."""

    cells: dict[str, str]
    decimal_comma: bool = False
    order: DayOrder = DayOrder.MONTH_FIRST
    legacy: bool = False

    def text(self, meaning: str, limit: int = MAX_TEXT) -> str | None:
        return clean(self.cells.get(meaning), limit)

    def number(self, meaning: str) -> float | None:
        return values.parse_number(self.cells.get(meaning), self.decimal_comma)

    def seconds(self, meaning: str) -> float | None:
        return values.parse_duration(self.cells.get(meaning), self.decimal_comma)

    @property
    def activity_id(self) -> str | None:
        return self.text("id", 40)

    @property
    def start(self) -> datetime | None:
        return values.parse_date(self.cells.get("date"), self.order)

    @property
    def rpe(self) -> int | None:
        value = self.number("rpe")
        if value is None or not 1 <= value <= 10:
            return None
        return round(value)

    @property
    def elapsed(self) -> float | None:
        value = self.seconds("elapsed_s")
        return value if value is not None and value > 0 else None

    def canonical(self) -> bytes:
        """The row as deterministic JSON: the same activity gives the same bytes."""
        record = {k: v for k, v in sorted(self.cells.items()) if v is not None}
        return json.dumps({"strava": record}, ensure_ascii=False, sort_keys=True).encode()


def row_of(table: Table, cells: list[str]) -> Row:
    found: dict[str, str] = {}
    for meaning, index in table.columns.items():
        if index < len(cells):
            value = cells[index].strip()
            if value.casefold() not in MISSING:
                found[meaning] = value
    return Row(found, table.decimal_comma, table.order, table.legacy)


# -- candidates ------------------------------------------------------------------------------
def _candidates(tree: ExportTree, csv_name: str, root: str, table: Table) -> Iterator[Candidate]:
    used = {csv_name}
    skipped = Skipped(str(tree.path))
    notes = table.warnings()
    try:
        for number, cells in enumerate(table.rows, start=2):
            row = row_of(table, cells)
            label = f"{tree.label(csv_name)} line {number}"
            filename = row.cells.get("filename")
            member = _member(root, filename) if filename else None
            if member is not None and member in tree:
                used.add(member)
                annotate = _annotator(row, notes if number == 2 else ())
                for candidate in expand(tree.label(member), tree.reader(member)):
                    yield replace(candidate, annotate=annotate)
                continue
            note = None
            if filename:
                note = f"its file {filename} is not in the export; imported from the table"
            yield _manual_candidate(row, label, note, notes if number == 2 else ())
        for name in tree.names:
            if name in used:
                continue
            if is_media_name(name):
                skipped.add("photos", "photos and videos are not imported")
            elif name.startswith(f"{root}routes/"):
                skipped.add("routes", "planned routes are not activities")
            elif is_activity_name(name):
                yield from expand(tree.label(name), tree.reader(name))
            else:
                skipped.add("account files", "account data (profile, followers, posts)")
        yield from skipped.candidates()
    finally:
        tree.close()


def _member(root: str, filename: str) -> str | None:
    path = posixpath.normpath(filename.strip().replace("\\", "/"))
    if path.startswith(("../", "/")) or path == "..":
        return None
    return f"{root}{path}"


def _annotator(
    row: Row, notes: tuple[str, ...] = ()
) -> Callable[[ParsedActivities], ParsedActivities]:
    def annotate(parsed: ParsedActivities) -> ParsedActivities:
        if not parsed.runs:
            return parsed
        warnings = list(parsed.warnings) + [ParseWarning(n) for n in notes]
        runs = []
        single = len(parsed.runs) == 1  # a multisport file's legs keep their own sport
        for run in parsed.runs:
            run = replace(run, name=row.text("name", MAX_NAME) or run.name)
            if single:
                run = with_row_type(run, row)
                run, cropped = with_row_figures(run, row)
                if cropped:
                    warnings.append(ParseWarning(cropped))
            runs.append(run)
        return replace(
            parsed,
            runs=tuple(runs),
            warnings=tuple(warnings),
            words=parsed.words + carried_words(row),
            feelings=parsed.feelings + feelings(row),
        )

    return annotate


def with_row_type(run: Run, row: Row) -> Run:
    """The row's activity type wins over what the file says."""
    kind = words.sport_of(row.text("type", 60))
    if kind is None:
        return run
    sport, setting, sport_name = kind
    if sport is run.sport and sport_name is None:
        return run if setting.value == "unknown" else replace(run, setting=setting)
    return replace(run, sport=sport, setting=setting, sport_name=sport_name)


def _differs(table_value: float | None, file_value: float | None) -> bool:
    if table_value is None or not table_value > 0 or file_value is None:
        return False
    return abs(table_value - file_value) > CROP_TOLERANCE * table_value


def with_row_figures(run: Run, row: Row) -> tuple[Run, str | None]:
    """When the row's elapsed time or distance differs from the file's by more than 2 %, the
    activity was cropped on Strava: the run takes the row's figures (what the person saw) and
    is marked as carrying the uncropped recording."""
    elapsed = row.elapsed
    distance = distance_m(row, run.sport)
    if not (_differs(elapsed, run.duration_s) or _differs(distance, run.distance_m)):
        return run, None
    changes: dict[str, object] = {"track_uncropped": True}
    if elapsed:
        changes["duration_s"] = elapsed
        moving = row.seconds("moving_s")
        changes["moving_s"] = moving if moving is not None and 0 < moving <= elapsed else None
    if distance is not None and distance > 0:
        changes["distance_m"] = distance
    note = (
        f"Strava's table says {_clock(elapsed or run.duration_s)}"
        f"{f', {distance / 1000:.2f} km' if distance else ''}; the file holds the uncropped "
        f"recording ({_clock(run.duration_s)}); the table's figures are kept"
    )
    return replace(run, **changes), note  # type: ignore[arg-type]


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def carried_words(row: Row) -> tuple[CarriedWords, ...]:
    """The person's own words: a title they wrote with the description, the private note.
    Automatic titles ("Morning Run", "Ochtendrit") are not their words."""
    found: list[CarriedWords] = []
    name = row.text("name", MAX_NAME)
    if name and words.is_automatic_title(name):
        name = None
    description = row.text("description")
    text = "\n\n".join(part for part in (name, description) if part)
    if text:
        found.append(CarriedWords(0, text, "strava"))
    note = row.text("private_note")
    if note:
        found.append(CarriedWords(0, note, "strava-private", private=True))
    return tuple(found)


def feelings(row: Row) -> tuple[DeviceFeeling, ...]:
    rpe = row.rpe
    return (DeviceFeeling(0, "strava-rpe", "rpe", float(rpe)),) if rpe is not None else ()


def _manual_candidate(row: Row, label: str, note: str | None, notes: tuple[str, ...]) -> Candidate:
    def parsed() -> ParsedActivities:
        activity = manual_activity(row, label, note)
        extra = tuple(ParseWarning(n) for n in notes)
        return replace(activity, warnings=activity.warnings + extra)

    identity = f"strava:{row.activity_id}" if row.activity_id else None
    return Candidate(label, row.canonical, parsed=parsed, identity=identity)


def manual_activity(row: Row, source: str, note: str | None = None) -> ParsedActivities:
    """An activity that exists only as a row (entered by hand in Strava)."""
    start = row.start
    if start is None:
        raise ParseError("the row has no date that can be read", source)
    elapsed = row.elapsed or row.seconds("moving_s")
    if not elapsed or elapsed <= 0:
        raise ParseError("the row has no duration", source)
    moving = row.seconds("moving_s")
    sport, setting, sport_name = words.sport_of(row.text("type", 60)) or (
        Sport.RUNNING,
        words.Setting.UNKNOWN,
        None,
    )
    warnings = [ParseWarning(note)] if note else []
    run = Run(
        start=start,
        duration_s=elapsed,
        sport=sport,
        sport_name=sport_name,
        moving_s=moving if moving is not None and moving >= 0 else None,
        distance_m=distance_m(row, sport),
        setting=setting,
        name=row.text("name", MAX_NAME),
        avg_hr=_positive(row.number("avg_hr")),
        max_hr=_positive(row.number("max_hr")),
        elevation_gain_m=_positive(row.number("elevation_gain_m")),
        source="strava",
    )
    return ParsedActivities("strava", (run,), tuple(warnings), feelings(row), carried_words(row))


def distance_m(row: Row, sport: Sport) -> float | None:
    """Metres: the export's metres column when present, else its display column (km)."""
    metres = row.number("distance_m")
    shown = row.number("distance")
    if metres is not None and metres >= 0 and (metres > 0 or not shown):
        return metres
    if shown is None or shown < 0:
        return None
    if sport is Sport.SWIMMING or row.legacy:
        return shown  # swims, and exports before mid-2019, gave metres
    return shown * 1000.0


def _positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str | None, limit: int = MAX_TEXT) -> str | None:
    """Text from the export, without control characters, bounded; None when blank."""
    if text is None:
        return None
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return cleaned[:limit] or None
