"""The one entry point to FIT bytes: every failure becomes a :class:`ParseError`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from innerpace.formats.errors import ParseError, ParseWarning
from innerpace.formats.fit import profile
from innerpace.formats.fit.activity import FitActivities, activities_from
from innerpace.formats.fit.decoder import prepare, walk
from innerpace.formats.fit.messages import FitFile

T = TypeVar("T")


def _decode(data: bytes) -> FitFile:
    found = walk(prepare(data))
    warnings = list(found.warnings)
    if found.stop is not None:
        records = sum(
            len(d.offsets) for d in found.definitions if d.global_num == profile.MESG_RECORD
        )
        noun = "record" if records == 1 else "records"
        warnings.append(ParseWarning(f"{found.stop}; kept {records:,} {noun} before it"))
    return FitFile(found, tuple(warnings))


def guarded(source: str | None, action: Callable[[], T]) -> T:
    """Run ``action``, turning anything but a ParseError into one that names ``source``."""
    try:
        return action()
    except ParseError as exc:
        if source and exc.source is None:
            exc.source = source
            exc.args = (f"{source}: {exc.reason}",)
        raise exc from exc.__cause__
    except MemoryError:
        raise ParseError("the file needs more memory than is available", source) from None
    except Exception as exc:
        raise ParseError(f"the FIT data is damaged ({type(exc).__name__})", source) from exc


def decode_fit(data: bytes, source: str | None = None) -> FitFile:
    """Decode FIT bytes into column-wise message tables. Raises only :class:`ParseError`.

    Columns are converted on first use; reading one raises only :class:`ParseError` too.
    """
    return guarded(source, lambda: _decode(bytes(data)))


def parse_fit(data: bytes, source: str | None = None) -> FitActivities:
    """The runs in FIT bytes. Raises :class:`NotAnActivity` for monitoring, settings, workout
    or weight files, and :class:`ParseError` for anything unreadable."""
    return guarded(source, lambda: activities_from(_decode(bytes(data))))
