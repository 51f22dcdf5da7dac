"""Strava's bulk export in every language its site offers: the same activities exported in
any of them import to the same journal.

Header rows for en, de, fr, es and nl are quoted from real exports (tests/data/SOURCES.md);
it, pt, ru, ja and zh use Strava's interface wording as best known. Date forms are the ones
Strava writes per locale, e.g. "2 ago 2026, 12:20:32 p. m." (es-419, narrow no-break space).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from innerpace.domain import Setting, Sport
from innerpace.importer.exports.strava import reader as strava
from innerpace.importer.exports.strava.words import (
    columns_of,
    is_automatic_title,
    is_known_title,
)
from innerpace.services import Journal

NNBSP = "\u202f"

# Where each column sits in the test exports, by meaning.
LAYOUT = ("id", "date", "name", "type", "description", "elapsed", "distance", "note", "file",
          "moving", "distance_m")  # fmt: skip


@dataclass(frozen=True)
class Language:
    header: tuple[str, ...]  # titles in LAYOUT order
    date: str  # "{d} {mon} {y}, {time}" style template, filled by ``when``
    months: tuple[str, ...] | None  # the month names the date uses, Jan … Dec
    run: str
    ride: str
    auto_run: str  # Strava's own title for an afternoon run
    auto_ride: str  # … and for an evening ride
    decimal_comma: bool
    twelve_hour: str | None = None  # "{h}:{mm}:{ss} PM" style for the 12-hour locales

    def when(self, at: datetime) -> str:
        clock = f"{at:%H:%M:%S}"
        if self.twelve_hour:  # "^…" marks a word written before the clock
            hour = at.hour % 12 or 12
            half = self.twelve_hour.split("|")[0 if at.hour < 12 else 1]
            plain = f"{hour}:{at:%M:%S}"
            clock = half[1:] + plain if half.startswith("^") else plain + half
        month = self.months[at.month - 1] if self.months else ""
        return self.date.format(
            d=at.day, dd=f"{at.day:02d}", m=at.month, mm=f"{at.month:02d}", y=at.year,
            mon=month, time=clock,
        )  # fmt: skip

    def number(self, value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if self.decimal_comma else text


EN = (
    "Activity ID",
    "Activity Date",
    "Activity Name",
    "Activity Type",
    "Activity Description",
    "Elapsed Time",
    "Distance",
    "Activity Private Note",
    "Filename",
    "Moving Time",
    "Distance",
)
DE = (
    "Aktivitäts-ID",
    "Aktivitätsdatum",
    "Name der Aktivität",
    "Aktivitätsart",
    "Aktivitätsbeschreibung",
    "Verstrichene Zeit",
    "Distanz",
    "Hinweis zur Privatsphäre für Aktivitäten",
    "Dateiname",
    "Bewegungszeit",
    "Distanz",
)
FR = (
    "ID de l'activité",
    "Date de l'activité",
    "Nom de l'activité",
    "Type d'activité",
    "Description de l'activité",
    "Temps écoulé",
    "Distance",
    "Note privée sur les activités",
    "Nom du fichier",
    "Durée de déplacement",
    "Distance",
)
ES = (
    "ID de actividad",
    "Fecha de la actividad",
    "Nombre de la actividad",
    "Tipo de actividad",
    "Descripción de la actividad",
    "Tiempo transcurrido",
    "Distancia",
    "Nota privada de actividad",
    "Nombre del archivo",
    "Tiempo en movimiento",
    "Distancia",
)
NL = (
    "Activiteits-ID",
    "Datum van activiteit",
    "Naam activiteit",
    "Activiteitstype",
    "Beschrijving van activiteit",
    "Verstreken tijd",
    "Afstand",
    "Privénotitie bij activiteit",
    "Bestandsnaam",
    "Beweegtijd",
    "Afstand",
)
IT = (
    "ID attività",
    "Data attività",
    "Nome attività",
    "Tipo di attività",
    "Descrizione attività",
    "Tempo trascorso",
    "Distanza",
    "Nota privata dell'attività",
    "Nome file",
    "Tempo in movimento",
    "Distanza",
)
PT = (
    "ID da atividade",
    "Data da atividade",
    "Nome da atividade",
    "Tipo de atividade",
    "Descrição da atividade",
    "Tempo decorrido",
    "Distância",
    "Nota privada da atividade",
    "Nome do arquivo",
    "Tempo em movimento",
    "Distância",
)
RU = (
    "ID занятия",
    "Дата занятия",
    "Название занятия",
    "Тип занятия",
    "Описание занятия",
    "Прошедшее время",
    "Расстояние",
    "Личная заметка к занятию",
    "Имя файла",
    "Время в движении",
    "Расстояние",
)
JA = (
    "アクティビティID",
    "アクティビティの日付",
    "アクティビティ名",
    "アクティビティの種類",
    "アクティビティの説明",
    "経過時間",
    "距離",
    "アクティビティのプライベートメモ",
    "ファイル名",
    "移動時間",
    "距離",
)
KO = (
    "활동 ID",
    "활동 날짜",
    "활동 이름",
    "활동 유형",
    "활동 설명",
    "경과 시간",
    "거리",
    "활동 비공개 메모",
    "파일 이름",
    "이동 시간",
    "거리",
)
ZH_HANT = (
    "活動 ID",
    "活動日期",
    "活動名稱",
    "活動類型",
    "活動說明",
    "經過時間",
    "距離",
    "活動私人筆記",
    "檔案名稱",
    "移動時間",
    "距離",
)
ZH = ("活动 ID", "活动日期", "活动名称", "活动类型", "活动描述", "总用时", "距离", "活动私人备注",
      "文件名", "移动时间", "距离")  # fmt: skip

MON_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MON_FR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
MON_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic")
MON_IT = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")
MON_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MON_PT = (
    "jan.",
    "fev.",
    "mar.",
    "abr.",
    "mai.",
    "jun.",
    "jul.",
    "ago.",
    "set.",
    "out.",
    "nov.",
    "dez.",
)
MON_RU = ("янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.",
          "нояб.", "дек.")  # fmt: skip

LANGUAGES = {
    "en-US": Language(EN, "{mon} {d}, {y}, {time}", MON_EN, "Run", "Ride", "Afternoon Run",
                      "Evening Ride", False, " AM| PM"),
    "en-GB": Language(EN, "{d} {mon} {y}, {time}", MON_EN, "Run", "Ride", "Afternoon Run",
                      "Evening Ride", False),
    "de": Language(DE, "{dd}.{mm}.{y}, {time}", None, "Lauf", "Radfahrt", "Nachmittagslauf",
                   "Abendradfahrt", True),
    "fr": Language(FR, "{d} {mon} {y}, {time}", MON_FR, "Course à pied", "Vélo",
                   "Course à pied dans l'après-midi", "Sortie vélo le soir", True),
    "es-ES": Language(ES, "{d} {mon} {y}, {time}", MON_ES, "Carrera", "Ciclismo",
                      "Carrera por la tarde", "Ciclismo por la noche", True),
    "es-419": Language(ES, "{d} {mon} {y}, {time}", MON_ES, "Carrera", "Vuelta ciclista",
                       "Carrera vespertina", "Vuelta ciclista nocturna", False,
                       f"{NNBSP}a. m.|{NNBSP}p. m."),
    "it": Language(IT, "{d} {mon} {y}, {time}", MON_IT, "Corsa", "Giro in bici",
                   "Corsa pomeridiana", "Giro in bici serale", True),
    "nl": Language(NL, "{d} {mon} {y}, {time}", MON_NL, "Hardloopsessie", "Fietsrit",
                   "Namiddagloop", "Avondrit", True),
    "pt-PT": Language(PT, "{dd}/{mm}/{y}, {time}", None, "Corrida", "Pedalada", "Corrida à tarde",
                      "Pedalada noturna", True),
    "pt-BR": Language(PT, "{d} de {mon} de {y}, {time}", MON_PT, "Corrida", "Pedalada",
                      "Corrida vespertina", "Pedalada noturna", True),
    "ru": Language(RU, "{d} {mon} {y} г., {time}", MON_RU, "Забег", "Велозаезд", "Дневной забег",
                   "Вечерний велозаезд", True),
    "ja": Language(JA, "{y}/{mm}/{dd} {time}", None, "ラン", "ライド", "午後のラン", "夜のライド",
                   False),
    "ko": Language(KO, "{y}. {m}. {d}. {time}", None, "달리기", "라이딩", "오후 달리기",
                   "저녁 라이딩", False, "^오전 |^오후 "),
    "zh-Hant": Language(ZH_HANT, "{y}年{m}月{d}日 {time}", None, "跑步", "騎乘", "午後跑步",
                        "傍晚騎乘", False, "^上午|^下午"),
    "zh": Language(ZH, "{y}年{m}月{d}日 {time}", None, "跑步", "骑行", "午后跑步", "傍晚骑行",
                   False, "^上午|^下午"),
}  # fmt: skip

AFTERNOON = datetime(2026, 8, 2, 12, 20, 32, tzinfo=UTC)
MORNING = datetime(2026, 8, 3, 7, 5, 0, tzinfo=UTC)
EVENING = datetime(2026, 8, 4, 19, 30, 0, tzinfo=UTC)


def gpx(start: datetime, points: int = 60, step_s: int = 5) -> bytes:
    rows = []
    for i in range(points):
        at = datetime.fromtimestamp(start.timestamp() + i * step_s, UTC)
        rows.append(
            f'<trkpt lat="{52.35 + i * 0.0001:.6f}" lon="{4.87 + i * 0.0001:.6f}">'
            f"<time>{at:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        + "".join(rows)
        + "</trkseg></trk></gpx>"
    ).encode()


def export(language: Language, *, ride_elapsed: str = "295") -> dict[str, bytes]:
    """The same three activities: an afternoon run entered by hand (automatic title), a ride
    with a GPX file that says nothing of cycling (the person's own title, description and
    note), and an evening ride by hand (automatic title)."""
    rows = [
        {"id": "1001", "date": language.when(AFTERNOON), "name": language.auto_run,
         "type": language.run, "elapsed": "1800", "distance": language.number(5.2),
         "moving": "1750", "distance_m": "5200.0"},
        {"id": "1002", "date": language.when(MORNING), "name": "Rondje Vondelpark met Sam",
         "type": language.ride, "description": "Wind mee, benen goed.", "note": "Knie ok",
         "file": "activities/1002.gpx", "elapsed": ride_elapsed,
         "distance": language.number(0.77)},
        {"id": "1003", "date": language.when(EVENING), "name": language.auto_ride,
         "type": language.ride, "elapsed": "3600", "distance": language.number(20.5),
         "distance_m": "20500.0"},
    ]  # fmt: skip
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(language.header)
    for row in rows:
        writer.writerow([row.get(meaning, "") for meaning in LAYOUT])
    return {
        "activities.csv": ("\ufeff" + out.getvalue()).encode(),
        "activities/1002.gpx": gpx(MORNING),
        "media/1.jpg": b"\xff\xd8\xff",
        "profile.csv": b"Athlete ID\n1\n",
    }


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def journal_of(tmp_path: Path, code: str, members: dict[str, bytes]):
    path = write_zip(tmp_path / f"export_{code}.zip", members)
    with Journal.open(tmp_path / f"journal_{code}") as journal:
        report = journal.import_paths([path], workers=1)
        runs = sorted((listing.run for listing in journal.runs()), key=lambda r: r.start)
        words = sorted((r.text, r.private) for r in journal.store.list_reflections())
    shape = [
        (r.start, r.sport, r.setting, r.sport_name, r.duration_s, round(r.distance_m or 0))
        for r in runs
    ]
    return report, runs, shape, words


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return journal_of(tmp_path_factory.mktemp("en"), "en-US", export(LANGUAGES["en-US"]))


@pytest.mark.parametrize("code", sorted(set(LANGUAGES) - {"en-US"}))
def test_the_same_activities_in_any_language_make_the_same_journal(code, english, tmp_path):
    report, runs, shape, words = journal_of(tmp_path, code, export(LANGUAGES[code]))
    _, _, expected_shape, expected_words = english
    assert not report.failed and report.imported == 3
    assert shape == expected_shape
    assert words == expected_words
    assert not any(w for r in report.files for w in r.warnings if "not recognised" in w)


def test_the_english_journal_itself(english):
    report, runs, shape, words = english
    assert [(r.start, r.sport) for r in runs] == [
        (AFTERNOON, Sport.RUNNING),
        (MORNING, Sport.CYCLING),  # the table says Ride; the GPX file says nothing of it
        (EVENING, Sport.CYCLING),
    ]
    assert runs[0].distance_m == pytest.approx(5200) and runs[0].moving_s == 1750
    # only the person's words: the automatic titles became nothing
    assert words == [
        ("Knie ok", True),
        ("Rondje Vondelpark met Sam\n\nWind mee, benen goed.", False),
    ]
    (source,) = report.sources()
    assert {(s.kind, s.count) for s in source.skipped} == {("photos", 1), ("account files", 1)}


def test_a_cropped_activity_takes_the_tables_figures_and_says_the_track_is_uncropped(tmp_path):
    members = export(LANGUAGES["es-419"], ride_elapsed="250")  # the file records 295 s
    report, runs, _, _ = journal_of(tmp_path, "crop", members)
    ride = next(r for r in runs if r.start == MORNING)
    assert ride.duration_s == 250 and ride.track_uncropped
    assert not any(r.track_uncropped for r in runs if r is not ride)
    (noted,) = [f for f in report.files if f.file.endswith("1002.gpx")]
    assert any("uncropped" in w for w in noted.warnings)


def test_within_two_percent_the_files_figures_stay(tmp_path):
    members = export(LANGUAGES["nl"], ride_elapsed="300")  # 295 s recorded: 1.7 % apart
    _, runs, _, _ = journal_of(tmp_path, "close", members)
    ride = next(r for r in runs if r.start == MORNING)
    assert ride.duration_s == pytest.approx(295) and not ride.track_uncropped


AUTOMATIC = [
    "Namiddagloop", "Ochtendrit", "Avondloop", "Carrera vespertina", "Carrera por la mañana",
    "Entrenamiento con pesas matutino", "Afternoon Football (Soccer)", "Night Weight Training",
    "Lunch Kayaking", "Morning Run", "Abendlauf", "Course à pied le midi",
    "Sortie vélo dans l'après-midi", "Corsa mattutina", "Corrida na hora do almoço",
    "Утренний забег", "朝のラン", "晨跑", *(lang.auto_run for lang in LANGUAGES.values()),
    *(lang.auto_ride for lang in LANGUAGES.values()),
]  # fmt: skip
PERSONAL = [
    "Rondje Vondelpark met Sam", "Run to the lake", "Evening run with Sam", "Morning",
    "Run", "Carrera de la mujer 10K", "Lauf am See", "Parkrun #212", "Night", "",
    "Ochtendrit naar oma", "Намиддаг",
]  # fmt: skip


@pytest.mark.parametrize("title", AUTOMATIC)
def test_automatic_titles_are_known_in_every_language(title):
    assert is_automatic_title(title)


@pytest.mark.parametrize("title", PERSONAL)
def test_the_persons_own_titles_are_theirs(title):
    assert not is_automatic_title(title)


# Real header rows (tests/data/SOURCES.md): where the columns that matter sit.
def test_real_header_rows_place_every_column_that_matters():
    import tomllib
    from importlib import resources

    with (
        resources.files("innerpace.importer.exports.strava")
        .joinpath("headers.toml")
        .open("rb") as handle
    ):
        known = tomllib.load(handle)["known"]
    english = columns_of(known["en_103"])
    assert (english["id"], english["date"], english["name"], english["type"]) == (0, 1, 2, 3)
    assert (english["elapsed_s"], english["distance"], english["private_note"]) == (5, 6, 10)
    assert (english["filename"], english["moving_s"], english["distance_m"]) == (12, 16, 17)
    assert (english["avg_hr"], english["rpe"]) == (31, 43)
    german = columns_of(known["de_92"])
    shared = ("id", "date", "name", "type", "elapsed_s", "distance", "private_note", "filename")
    assert {k: german[k] for k in shared} == {k: english[k] for k in shared}
    assert (german["moving_s"], german["distance_m"], german["avg_hr"], german["rpe"]) == (
        16,
        17,
        31,
        43,
    )
    french = columns_of(known["fr_21"])
    assert (french["private_note"], french["filename"], french["moving_s"]) == (10, 12, 16)
    spanish = columns_of(known["es_419"])
    assert (spanish["private_note"], spanish["filename"], spanish["rpe"]) == (5, 6, 11)
    assert spanish["distance_m"] == 9
    dutch = columns_of(known["nl"])
    assert (dutch["date"], dutch["description"], dutch["avg_hr"]) == (1, 4, 9)
    legacy = columns_of(known["en_2019"])
    assert (legacy["elapsed_s"], legacy["filename"]) == (5, 9)


FRAGMENT = (
    '<span class="translation_missing" title="translation missing: '
    'en-US.lib.export.portability_exporter.activities.horton_values.{key}">{text}</span>'
)


def test_an_untranslated_html_fragment_header_is_read_by_its_text_and_key():
    # As in a real en-US export: the type and jump-count columns came as untranslated fragments.
    header = [
        "Activity ID",
        "Activity Date",
        FRAGMENT.format(key="type", text="Type"),
        FRAGMENT.format(key="total_grit", text="Total Grit"),
        FRAGMENT.format(key="elapsed_time", text="Elapsed Time"),
    ]
    assert columns_of(header) == {"id": 0, "date": 1, "type": 2, "elapsed_s": 4}
    assert all(map(is_known_title, header))  # never named as unknown


def test_unknown_titles_are_placed_by_content_and_named_in_a_warning(tmp_path):
    header = ["Kolom A", "Kolom B", "Kolom C", "Kolom D", "Kolom E", "Kolom F", "Kolom G"]
    rows = [
        ["12345678901", "2 ago 2026, 12:20:32", "Mi carrera", "Carrera", "1800", "5,20", "x"],
        ["12345678902", "3 ago 2026, 07:05:00", "Otra", "Carrera", "2400", "7,00", "y"],
    ]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    members = {"activities.csv": out.getvalue().encode(), "activities/.keep": b""}
    report, runs, _, _ = journal_of(tmp_path, "unknown", members)
    assert not report.failed and len(runs) == 2
    assert runs[0].start == AFTERNOON and runs[0].duration_s == 1800
    assert runs[0].distance_m == pytest.approx(5200)
    notes = [w for f in report.files for w in f.warnings]
    assert any("placed by their content" in n and "date from “Kolom B”" in n for n in notes)
    assert any("not recognised" in n and "“Kolom C”" in n and "“Kolom G”" in n for n in notes)


def test_numeric_dates_are_read_day_first_when_the_content_says_so():
    table = strava.read_table(
        b"Activity ID,Activity Date,Activity Type,Elapsed Time,Filename\n"
        b'1,"02/08/2026, 12:20:32",Run,1800,\n'
        b'2,"13/08/2026, 07:00:00",Run,1800,\n'
    )
    row = strava.row_of(table, table.rows[0])
    assert row.start == AFTERNOON  # 2 August, as the 13th in the same column shows
    us = strava.read_table(
        b"Activity ID,Activity Date,Activity Type,Elapsed Time,Filename\n"
        b'1,"08/02/2026, 12:20:32",Run,1800,\n'
    )
    assert strava.row_of(us, us.rows[0]).start == AFTERNOON


def test_the_older_lower_case_export_gives_metres_and_seconds(tmp_path):
    text = (
        "id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n"
        "77,2017-06-11 14:34:09,Hill reps,Run,Steep.,1500,4100.5,false,,\n"
    )
    members = {"activities.csv": text.encode(), "activities/.keep": b""}
    report, runs, _, words = journal_of(tmp_path, "2019", members)
    (run,) = runs
    assert run.distance_m == pytest.approx(4100.5) and run.duration_s == 1500
    assert words == [("Hill reps\n\nSteep.", False)]


def test_a_table_type_nobody_mapped_keeps_its_own_word(tmp_path):
    language = LANGUAGES["en-GB"]
    members = export(language)
    text = members["activities.csv"].decode().replace(",Ride,", ",Canoe,", 1)
    members["activities.csv"] = text.encode()
    _, runs, _, _ = journal_of(tmp_path, "canoe", members)
    ride = next(r for r in runs if r.start == MORNING)
    assert (ride.sport, ride.sport_name, ride.setting) == (Sport.OTHER, "Canoe", Setting.UNKNOWN)


# -- dates and numbers in each locale's forms, for any instant and any value ------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from innerpace.importer.exports.strava.values import (  # noqa: E402
    DayOrder,
    parse_duration,
    parse_number,
    uses_decimal_comma,
)

INSTANTS = st.datetimes(
    min_value=datetime(2009, 1, 1), max_value=datetime(2035, 12, 31, 23, 59, 59)
).map(lambda d: d.replace(microsecond=0, tzinfo=UTC))


@given(at=INSTANTS, code=st.sampled_from(sorted(LANGUAGES)))
def test_every_locales_date_form_reads_back_to_the_same_instant(at, code):
    language = LANGUAGES[code]
    order = DayOrder.MONTH_FIRST if code == "en-US" else DayOrder.DAY_FIRST
    from innerpace.importer.exports.strava.values import parse_date

    assert parse_date(language.when(at), order) == at


@given(
    value=st.decimals(min_value=0, max_value=10**7, places=2),
    comma=st.booleans(),
    grouping=st.sampled_from(["", ",", ".", " ", "\u00a0", NNBSP]),
)
def test_numbers_read_back_in_every_grouping_and_decimal_mark(value, comma, grouping):
    whole, fraction = f"{value:.2f}".split(".")
    mark = "," if comma else "."
    if grouping and grouping != mark and len(whole) > 3:
        groups = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = grouping.join(groups)
    text = f"{whole}{mark}{fraction}"
    assert parse_number(text, decimal_comma=comma) == pytest.approx(float(value))


@given(seconds=st.integers(min_value=0, max_value=99 * 3600))
def test_durations_as_seconds_or_clocks(seconds):
    hours, rest = divmod(seconds, 3600)
    clock = f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    assert parse_duration(clock) == parse_duration(str(seconds)) == seconds


def test_the_decimal_mark_is_told_by_the_numbers():
    assert uses_decimal_comma(["5,20", "12,00"], english=True)
    assert not uses_decimal_comma(["5.20", "1,234"], english=False)
    assert uses_decimal_comma([], english=False) and not uses_decimal_comma([], english=True)
    assert parse_number("2 ago 2026") is None and parse_number("#error#") is None


@pytest.mark.parametrize("width", [72, 86, 92, 99, 101, 103])
def test_every_width_strava_has_written_places_the_same_columns(width):
    import tomllib
    from importlib import resources

    with (
        resources.files("innerpace.importer.exports.strava")
        .joinpath("headers.toml")
        .open("rb") as handle
    ):
        full = tomllib.load(handle)["known"]["en_103"]
    header = full[: width - 1] + ["Media"]  # older exports end sooner, always with Media
    columns = columns_of(header)
    assert (columns["id"], columns["date"], columns["elapsed_s"], columns["filename"]) == (
        0,
        1,
        5,
        12,
    )
    assert (columns["moving_s"], columns["distance_m"], columns["rpe"]) == (16, 17, 43)
    table = strava.read_table(",".join(f'"{t}"' for t in header).encode() + b"\n")
    assert table.unplaced == []
