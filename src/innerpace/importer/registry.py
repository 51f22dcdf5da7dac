"""One parser per format, all returning :class:`ParsedActivities`."""

from __future__ import annotations

from collections.abc import Callable

from innerpace.formats.errors import ParseError
from innerpace.formats.parsed import DeviceFeeling, ParsedActivities
from innerpace.importer.detect import FIT, GPX, TCX

Parser = Callable[[bytes, str | None], ParsedActivities]


# Garmin stores post-run Feel as 0–100 and RPE as 10–100 (RPE × 10).
_FIT_FEELINGS = {
    "workout_feel": ("garmin-feel", "feel", 1.0),
    "workout_rpe": ("garmin-rpe", "rpe", 0.1),
}


def _fit(data: bytes, source: str | None) -> ParsedActivities:
    from innerpace.formats import fit

    result = fit.parse_fit(data, source)  # a FIT NotAnActivity is the shared one
    feelings = tuple(
        DeviceFeeling(f.run_index, *_FIT_FEELINGS[f.field][:2], f.value * _FIT_FEELINGS[f.field][2])
        for f in result.feelings
        if f.field in _FIT_FEELINGS
    )
    return ParsedActivities("fit", result.runs, result.warnings, feelings)


def _gpx(data: bytes, source: str | None) -> ParsedActivities:
    from innerpace.formats.gpx import parse_gpx

    return parse_gpx(data, source)


def _tcx(data: bytes, source: str | None) -> ParsedActivities:
    from innerpace.formats.tcx import parse_tcx

    return parse_tcx(data, source)


PARSERS: dict[str, Parser] = {FIT: _fit, GPX: _gpx, TCX: _tcx}

# When the same activity arrives twice (Strava exports FIT and GPX), the richer source stays.
SOURCE_RANK = {FIT: 3, TCX: 2, GPX: 1}


def parse(fmt: str, data: bytes, source: str | None) -> ParsedActivities:
    """Parse with the format's parser. Anything but a ParseError escaping one is a bug; it is
    still reported as this file's failure, never allowed to stop an import."""
    try:
        return PARSERS[fmt](data, source)
    except ParseError as exc:
        if exc.source:
            raise
        raise exc.for_source(source or "?") from None
    except Exception as exc:  # noqa: BLE001 - the one place a parser bug is contained
        raise ParseError(
            f"could not be read ({type(exc).__name__}); please report this file", source
        ) from exc
