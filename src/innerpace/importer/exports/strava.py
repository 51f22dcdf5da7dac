"""Strava's bulk export: ``activities.csv`` joined to the activity files it names.

Each row with a file becomes that file's candidate, with the row's title, description,
private note and perceived exertion added; a row without a file (a manual entry) becomes
an activity of its own, built from the row. Photos and account data are counted and
skipped. Titles, descriptions and notes are the runner's (or anyone's) text: they are
kept as plain text, bounded, and carried into Markdown with the title escaped.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from innerpace.domain import Run, Setting, Sport
from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.parsed import CarriedWords, DeviceFeeling, ParsedActivities
from innerpace.importer.exports.strava_columns import MONTHS, columns_of, normalize
from innerpace.importer.exports.tree import (
    ExportTree,
    is_activity_name,
    is_media_name,
    skipped_summary,
)
from innerpace.importer.sources import Candidate, expand

CSV_NAME = "activities.csv"
MAX_CSV_BYTES = 64 * 2**20
MAX_NAME = 300
MAX_TEXT = 20_000
MISSING = frozenset({"", "#error#"})  # Strava writes #error# where it had no value


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
@dataclass(frozen=True, slots=True)
class _Table:
    header: list[str]
    rows: list[list[str]]
    columns: dict[str, int]
    english: bool
    legacy: bool  # the 2019 header (``id,date,…,elapsed_time,distance``): distance in metres


def _find_table(tree: ExportTree) -> tuple[str, str, _Table] | None:
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
        table = _read_table(tree.reader(name)())
    except (ParseError, csv.Error, UnicodeError):
        return None
    if "filename" not in table.columns:
        guessed = _guess_filename_column(table.rows)
        if guessed is not None:
            table.columns["filename"] = guessed
    if "filename" not in table.columns and not has_folder:
        return None
    if "id" not in table.columns and "filename" not in table.columns:
        return None
    return name, root, table


def _read_table(data: bytes) -> _Table:
    if len(data) > MAX_CSV_BYTES:
        raise ParseError("activities.csv is too large")
    text = data.decode("utf-8-sig", errors="replace")
    csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT * 8))  # long descriptions
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise ParseError("activities.csv is empty")
    header = rows[0]
    columns, english = columns_of(header)
    legacy = "elapsed_time" in header
    rows = [r for r in rows[1:] if any(c.strip() for c in r)]
    return _Table(header, rows, columns, english, legacy)


def _guess_filename_column(rows: list[list[str]]) -> int | None:
    """In a header language not known here, the column whose cells name activity files."""
    sample = rows[:50]
    width = max((len(r) for r in sample), default=0)
    for index in range(width):
        cells = [r[index].strip() for r in sample if index < len(r) and r[index].strip()]
        if cells and all(c.startswith("activities/") for c in cells):
            return index
    return None


# -- one row ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Row:
    """What one line of ``activities.csv`` says, by meaning; text cells are raw."""

    cells: dict[str, str]
    english: bool
    legacy: bool = False

    def text(self, field: str, limit: int = MAX_TEXT) -> str | None:
        return clean(self.cells.get(field), limit)

    def number(self, field: str) -> float | None:
        return parse_number(self.cells.get(field), self.english)

    @property
    def activity_id(self) -> str | None:
        return self.text("id", 40)

    @property
    def start(self) -> datetime | None:
        return parse_date(self.cells.get("date"), month_first=self.english)

    @property
    def rpe(self) -> int | None:
        value = self.number("rpe")
        if value is None or not 1 <= value <= 10:
            return None
        return round(value)

    def canonical(self) -> bytes:
        """The row as deterministic JSON: the same activity gives the same bytes."""
        record = {k: v for k, v in sorted(self.cells.items()) if v is not None}
        return json.dumps({"strava": record}, ensure_ascii=False, sort_keys=True).encode()


def _row(table: _Table, cells: list[str]) -> Row:
    values: dict[str, str] = {}
    for field, index in table.columns.items():
        if index < len(cells):
            value = cells[index].strip()
            if value.casefold() not in MISSING:
                values[field] = value
    return Row(values, table.english, table.legacy)


# -- candidates ------------------------------------------------------------------------------
def _candidates(tree: ExportTree, csv_name: str, root: str, table: _Table) -> Iterator[Candidate]:
    used = {csv_name}
    counts = {"photos and videos": 0, "account files": 0, "planned routes": 0}
    try:
        for number, cells in enumerate(table.rows, start=2):
            row = _row(table, cells)
            label = f"{tree.label(csv_name)} line {number}"
            filename = row.cells.get("filename")
            member = _member(root, filename) if filename else None
            if member is not None and member in tree:
                used.add(member)
                annotate = _annotator(row)
                for candidate in expand(tree.label(member), tree.reader(member)):
                    yield replace(candidate, annotate=annotate)
                continue
            note = None
            if filename:
                note = f"its file {filename} is not in the export; imported from the table"
            yield _manual_candidate(row, label, note)
        for name in tree.names:
            if name in used:
                continue
            if is_media_name(name):
                counts["photos and videos"] += 1
            elif name.startswith(f"{root}routes/"):
                counts["planned routes"] += 1
            elif is_activity_name(name):
                yield from expand(tree.label(name), tree.reader(name))
            else:
                counts["account files"] += 1
        yield from skipped_summary(str(tree.path), counts)
    finally:
        tree.close()


def _member(root: str, filename: str) -> str | None:
    path = posixpath.normpath(filename.strip().replace("\\", "/"))
    if path.startswith(("../", "/")) or path == "..":
        return None
    return f"{root}{path}"


def _annotator(row: Row) -> Callable[[ParsedActivities], ParsedActivities]:
    def annotate(parsed: ParsedActivities) -> ParsedActivities:
        if not parsed.runs:
            return parsed
        name = row.text("name", MAX_NAME)
        runs = tuple(replace(run, name=name or run.name) for run in parsed.runs)
        return replace(
            parsed,
            runs=runs,
            words=parsed.words + carried_words(row),
            feelings=parsed.feelings + feelings(row),
        )

    return annotate


def carried_words(row: Row) -> tuple[CarriedWords, ...]:
    """The title and description as one Markdown text; the private note on its own."""
    words: list[CarriedWords] = []
    name = row.text("name", MAX_NAME)
    description = row.text("description")
    if description:
        title = f"**{escape_markdown(name)}**\n\n" if name else ""
        words.append(CarriedWords(0, f"{title}{description}", "strava"))
    elif name and not is_default_title(name):
        words.append(CarriedWords(0, f"**{escape_markdown(name)}**", "strava"))
    note = row.text("private_note")
    if note:
        words.append(CarriedWords(0, note, "strava-private", private=True))
    return tuple(words)


def feelings(row: Row) -> tuple[DeviceFeeling, ...]:
    rpe = row.rpe
    return (DeviceFeeling(0, "strava-rpe", "rpe", float(rpe)),) if rpe is not None else ()


def _manual_candidate(row: Row, label: str, note: str | None) -> Candidate:
    def parsed() -> ParsedActivities:
        return manual_activity(row, label, note)

    identity = f"strava:{row.activity_id}" if row.activity_id else None
    return Candidate(label, row.canonical, parsed=parsed, identity=identity)


def manual_activity(row: Row, source: str, note: str | None = None) -> ParsedActivities:
    """An activity that exists only as a row (entered by hand in Strava)."""
    start = row.start
    if start is None:
        raise ParseError("the row has no date that can be read", source)
    elapsed = row.number("elapsed_s") or row.number("moving_s")
    if not elapsed or elapsed <= 0:
        raise ParseError("the row has no duration", source)
    moving = row.number("moving_s")
    sport, setting, sport_name = sport_of(row.text("type", 60))
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


# -- words -----------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#~|{}()!+-])")


def clean(text: str | None, limit: int = MAX_TEXT) -> str | None:
    """Text from the export, without control characters, bounded; None when blank."""
    if text is None:
        return None
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return cleaned[:limit] or None


def escape_markdown(text: str | None) -> str:
    return _MARKDOWN.sub(r"\\\1", " ".join((text or "").split()))


_TIME_WORDS = [
    "morning",
    "lunch",
    "afternoon",
    "evening",
    "night",
    "matin",
    "midi",
    "apres",
    "soir",
    "soiree",
    "nuit",
    "matutina",
    "almuerzo",
    "tarde",
    "nocturna",
    "nocturno",
    "mattutina",
    "pranzo",
    "pomeridiana",
    "serale",
    "notturna",
    "matinal",
    "almoco",
    "noturna",
    "morgen",
    "mittag",
    "nachmittag",
    "abend",
    "nacht",
    "ochtend",
    "middag",
    "avond",
]
_FILLER = frozenset(
    [
        "the",
        "le",
        "la",
        "l",
        "de",
        "du",
        "dans",
        "en",
        "a",
        "al",
        "all",
        "ora",
        "di",
        "del",
        "hora",
        "por",
        "na",
        "do",
        "da",
        "am",
        "op",
        "s",
        "pied",
        "um",
        "run",
        "ride",
        "walk",
        "hike",
        "swim",
        "workout",
        "activity",
        "course",
        "carrera",
        "corsa",
        "corrida",
        "lauf",
        "loop",
        "radfahrt",
        "fahrt",
        "rit",
        "wandeling",
        "wandelen",
        "marche",
        "randonnee",
        "caminata",
        "camminata",
        "caminhada",
        "escursione",
        "senderismo",
        "trail",
        "velo",
        "bici",
        "fiets",
        "natation",
        "nuoto",
        "zwemmen",
        "yoga",
    ]
)


def is_default_title(name: str) -> bool:
    """Strava's automatic titles ("Morning Run", "Abendlauf", "Course à pied le midi")."""
    words = normalize(name).split()
    timed = False
    for word in words:
        if any(word.startswith(t) for t in _TIME_WORDS):
            timed = True
        elif word not in _FILLER:
            return False
    return timed and len(words) <= 6


# -- numbers and dates -----------------------------------------------------------------------
def parse_number(text: str | None, english: bool = True) -> float | None:
    """``"3.68"``, ``"3,68"``, ``"1,234.5"`` or ``"1.234,5"``; None when not a finite number."""
    if text is None:
        return None
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in value and "." in value:
        thousands = "," if value.index(",") < value.index(".") else "."
        value = value.replace(thousands, "")
    if "," in value:
        value = value.replace(
            ",", "" if english and re.fullmatch(r"\d{1,3}(,\d{3})+", value) else "."
        )
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
_CLOCK = re.compile(r"(\d{1,2})[:.h](\d{2})(?:[:.](\d{2}))?")
_MERIDIEM = re.compile(r"^\W*([ap])\.?\s?m\b\.?", re.IGNORECASE)


def parse_date(text: str | None, *, month_first: bool = True) -> datetime | None:
    """A start time in any of the forms Strava has written (always UTC).

    ``"Jun 11, 2017, 2:34:09 PM"``, ``"2017-06-11 14:34:09"``, ``"11.06.2017, 14:34:09"``,
    ``"11 juin 2017, 14:34:09"``, ``"11 de junio de 2017, 14:34:09"`` …
    """
    if not text:
        return None
    text = text.strip()
    iso = _ISO.match(text)
    try:
        if iso:
            parts = [int(p) if p else 0 for p in iso.groups()]
            return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]
        return _spoken_date(text, month_first)
    except ValueError:
        return None


def _spoken_date(text: str, month_first: bool) -> datetime | None:
    clocks = list(_CLOCK.finditer(text))
    if not clocks:
        return None
    clock = clocks[-1]
    hour, minute, second = (int(p) if p else 0 for p in clock.groups())
    meridiem = _MERIDIEM.match(text[clock.end() :])
    if meridiem:
        pm = meridiem.group(1).lower() == "p"
        hour = hour % 12 + (12 if pm else 0)
    day_part = normalize(text[: clock.start()])
    numbers = [int(n) for n in re.findall(r"\d+", day_part)]
    month = next((MONTHS[w] for w in re.findall(r"[a-z]+", day_part) if w in MONTHS), None)
    if month is not None:
        years = [n for n in numbers if n > 31]
        days = [n for n in numbers if 1 <= n <= 31]
        if len(years) != 1 or not days:
            return None
        year, day = years[0], days[0]
    elif len(numbers) >= 3:
        a, b, c = numbers[:3]
        if a > 31:
            year, month, day = a, b, c
        elif month_first:
            month, day, year = a, b, c
        else:
            day, month, year = a, b, c
    else:
        return None
    if year < 100:
        year += 2000
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# -- sports ---------------------------------------------------------------------------------
_R, _T, _V = (
    (Sport.RUNNING, Setting.UNKNOWN),
    (Sport.RUNNING, Setting.TRAIL),
    (
        Sport.RUNNING,
        Setting.TREADMILL,
    ),
)
_TYPES: dict[tuple[Sport, Setting], tuple[str, ...]] = {
    _R: ("Run", "Lauf", "Course à pied", "Course", "Carrera", "Corsa", "Hardlopen", "Corrida"),
    _T: (
        "Trail Run",
        "Traillauf",
        "Trail",
        "Carrera por montaña",
        "Corsa in montagna",
        "Trailrun",
        "Corrida em trilha",
    ),
    _V: (
        "Virtual Run",
        "Virtueller Lauf",
        "Course virtuelle",
        "Carrera virtual",
        "Corsa virtuale",
        "Virtuele hardloopsessie",
        "Corrida virtual",
    ),
    (Sport.WALKING, Setting.UNKNOWN): (
        "Walk",
        "Spaziergang",
        "Gehen",
        "Marche",
        "Caminata",
        "Camminata",
        "Wandelen",
        "Wandeling",
        "Caminhada",
    ),
    (Sport.HIKING, Setting.UNKNOWN): (
        "Hike",
        "Wanderung",
        "Randonnée",
        "Senderismo",
        "Excursionismo",
        "Escursionismo",
        "Trektocht",
        "Trilha",
    ),
    (Sport.CYCLING, Setting.UNKNOWN): (
        "Ride",
        "Radfahrt",
        "Sortie à vélo",
        "Vélo",
        "Ciclismo",
        "Giro in bici",
        "Fietsrit",
        "Pedalada",
        "Virtual Ride",
        "E-Bike Ride",
        "Gravel Ride",
        "Mountain Bike Ride",
    ),
    (Sport.SWIMMING, Setting.UNKNOWN): (
        "Swim",
        "Schwimmen",
        "Natation",
        "Natación",
        "Nuoto",
        "Zwemmen",
        "Natação",
    ),
    (Sport.ROWING, Setting.UNKNOWN): (
        "Rowing",
        "Rudern",
        "Aviron",
        "Remo",
        "Canottaggio",
        "Roeien",
    ),
}
SPORT_WORDS: dict[str, tuple[Sport, Setting]] = {
    normalize(word): kind for kind, words in _TYPES.items() for word in words
}


def sport_of(text: str | None) -> tuple[Sport, Setting, str | None]:
    """The sport of Strava's type word in any of its languages; other types keep their word."""
    if not text:
        return Sport.RUNNING, Setting.UNKNOWN, None
    kind = SPORT_WORDS.get(normalize(text))
    if kind is not None:
        return kind[0], kind[1], None
    return Sport.OTHER, Setting.UNKNOWN, text
