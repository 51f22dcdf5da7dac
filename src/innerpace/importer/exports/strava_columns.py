"""The words Strava has used for the columns of ``activities.csv``, by meaning.

Strava writes the header in the account's language and has added columns over the years
(87, 92, 99, 101 …), so columns are found by what their header says, never by position.
Names are compared after :func:`normalize` (no accents, no case, no punctuation).

Where the export repeats a header, the first column of a meaning is used; ``Distance``
is the one exception: the first is in the athlete's display unit (km or miles; metres for
swims), the second is always metres, kept as ``distance_m``.

English and German headers are taken from real exports; for French, the id, date, name
and filename headers too. The others are Strava's interface wording as best known and
are listed so that a localized export still finds its columns; a column that is not
recognised is simply not used.
"""

from __future__ import annotations

import re
import unicodedata

FIELDS: dict[str, tuple[str, ...]] = {
    "id": (
        "Activity ID",
        "id",
        "Aktivitäts-ID",
        "ID de l'activité",
        "ID de actividad",
        "ID de la actividad",
        "ID attività",
        "ID dell'attività",
        "Activiteits-ID",
        "Activiteit-ID",
        "ID da atividade",
    ),
    "date": (
        "Activity Date",
        "date",
        "Aktivitätsdatum",
        "Date de l'activité",
        "Fecha de la actividad",
        "Fecha de actividad",
        "Data attività",
        "Data dell'attività",
        "Activiteitsdatum",
        "Datum activiteit",
        "Data da atividade",
    ),
    "name": (
        "Activity Name",
        "name",
        "Name der Aktivität",
        "Aktivitätsname",
        "Nom de l'activité",
        "Nombre de la actividad",
        "Nombre de actividad",
        "Nome attività",
        "Nome dell'attività",
        "Naam activiteit",
        "Activiteitsnaam",
        "Nome da atividade",
    ),
    "type": (
        "Activity Type",
        "type",
        "Aktivitätsart",
        "Aktivitätstyp",
        "Type d'activité",
        "Tipo de actividad",
        "Tipo di attività",
        "Tipo attività",
        "Activiteitstype",
        "Type activiteit",
        "Tipo de atividade",
    ),
    "description": (
        "Activity Description",
        "description",
        "Aktivitätsbeschreibung",
        "Description de l'activité",
        "Descripción de la actividad",
        "Descrizione attività",
        "Descrizione dell'attività",
        "Activiteitsbeschrijving",
        "Beschrijving activiteit",
        "Descrição da atividade",
    ),
    "elapsed_s": (
        "Elapsed Time",
        "elapsed_time",
        "Verstrichene Zeit",
        "Temps écoulé",
        "Tiempo transcurrido",
        "Tempo trascorso",
        "Verstreken tijd",
        "Tempo decorrido",
    ),
    "moving_s": (
        "Moving Time",
        "moving_time",
        "Bewegungszeit",
        "Temps de déplacement",
        "Tiempo en movimiento",
        "Tempo in movimento",
        "Bewegingstijd",
        "Beweegtijd",
        "Tempo em movimento",
    ),
    "distance": (
        "Distance",
        "Distanz",
        "Entfernung",
        "Distancia",
        "Distanza",
        "Afstand",
        "Distância",
    ),
    "filename": (
        "Filename",
        "Dateiname",
        "Nom du fichier",
        "Nom de fichier",
        "Nombre del archivo",
        "Nombre de archivo",
        "Nome file",
        "Nome del file",
        "Bestandsnaam",
        "Nome do arquivo",
        "Nome do ficheiro",
    ),
    "private_note": (
        "Activity Private Note",
        "Private Note",
        "Hinweis zur Privatsphäre für Aktivitäten",
        "Private Notiz",
        "Note privée de l'activité",
        "Note privée",
        "Nota privada de la actividad",
        "Nota privada",
        "Nota privata dell'attività",
        "Nota privata",
        "Privénotitie activiteit",
        "Privénotitie",
        "Nota privada da atividade",
    ),
    "rpe": (
        "Perceived Exertion",
        "Gefühlte Anstrengung",
        "Effort perçu",
        "Esfuerzo percibido",
        "Sforzo percepito",
        "Ervaren inspanning",
        "Waargenomen inspanning",
        "Esforço percebido",
    ),
    "commute": (
        "Commute",
        "Pendeln",
        "Trajet domicile-travail",
        "Trajet",
        "Desplazamiento",
        "Trayecto",
        "Pendolarismo",
        "Woon-werkverkeer",
        "Deslocamento",
    ),
    "gear": (
        "Activity Gear",
        "gear",
        "Aktivitätsausrüstung",
        "Équipement de l'activité",
        "Equipo de la actividad",
        "Attrezzatura attività",
        "Uitrusting activiteit",
        "Equipamento da atividade",
    ),
    "max_hr": (
        "Max Heart Rate",
        "Max. Herzfrequenz",
        "Fréquence cardiaque max.",
        "Frecuencia cardiaca máxima",
        "Frequenza cardiaca max",
        "Max. hartslag",
        "Frequência cardíaca máx.",
    ),
    "avg_hr": (
        "Average Heart Rate",
        "Durchschnittliche Herzfrequenz",
        "Fréquence cardiaque moyenne",
        "Frecuencia cardiaca media",
        "Frequenza cardiaca media",
        "Gemiddelde hartslag",
        "Frequência cardíaca média",
    ),
    "elevation_gain_m": (
        "Elevation Gain",
        "Höhenzunahme",
        "Dénivelé positif",
        "Desnivel positivo",
        "Dislivello positivo",
        "Hoogtewinst",
        "Ganho de elevação",
    ),
    "media": ("Media", "Medien", "Médias", "Multimedia", "Contenuti multimediali", "Mídia"),
}

#: A meaning whose header repeats, and what its second column means.
SECOND: dict[str, str] = {"distance": "distance_m"}

#: Header languages whose numeric dates put the month first.
MONTH_FIRST = frozenset({"en"})

_ENGLISH = frozenset(names[0].casefold() for names in FIELDS.values()) | frozenset(
    ("id", "date", "name", "type", "description", "elapsed_time", "moving_time", "gear")
)


def normalize(text: str) -> str:
    """Lower case, accents and punctuation dropped, single spaces: for comparing words."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain.casefold()).replace("_", " ").split())


VOCABULARY: dict[str, str] = {
    normalize(name): field for field, names in FIELDS.items() for name in names
}


def columns_of(header: list[str]) -> tuple[dict[str, int], bool]:
    """Column index by meaning for one header row, and whether the header is English."""
    found: dict[str, int] = {}
    english = 0
    for index, title in enumerate(header):
        field = VOCABULARY.get(normalize(title))
        if field is None:
            continue
        if title.strip().casefold() in _ENGLISH:
            english += 1
        if field not in found:
            found[field] = index
        elif field in SECOND and SECOND[field] not in found:
            found[SECOND[field]] = index
    return found, english * 2 >= max(1, len(found))


# -- dates -----------------------------------------------------------------------------------
_MONTHS: dict[int, tuple[str, ...]] = {
    1: (
        "jan",
        "january",
        "januar",
        "janvier",
        "janv",
        "enero",
        "ene",
        "gennaio",
        "gen",
        "januari",
        "janeiro",
    ),
    2: (
        "feb",
        "february",
        "februar",
        "fevrier",
        "fevr",
        "fev",
        "febrero",
        "febbraio",
        "februari",
        "fevereiro",
    ),
    3: ("mar", "march", "marz", "maerz", "mrz", "mars", "marzo", "maart", "mrt", "marco"),
    4: ("apr", "april", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "mag", "mei", "maio"),
    6: ("jun", "june", "juni", "juin", "junio", "giugno", "giu", "junho"),
    7: ("jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"),
    8: ("aug", "august", "aout", "agosto", "ago", "augustus"),
    9: (
        "sep",
        "sept",
        "september",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "set",
        "setembro",
    ),
    10: (
        "oct",
        "october",
        "oktober",
        "okt",
        "octobre",
        "octubre",
        "ottobre",
        "ott",
        "outubro",
        "out",
    ),
    11: ("nov", "november", "novembre", "noviembre", "novembro"),
    12: (
        "dec",
        "december",
        "dezember",
        "dez",
        "decembre",
        "dic",
        "diciembre",
        "dicembre",
        "dezembro",
    ),
}
MONTHS: dict[str, int] = {name: month for month, names in _MONTHS.items() for name in names}
