"""``/guide``: guided runs to choose, preview and download, and a live pacer for the treadmill."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from innerpace import words as wording
from innerpace.errors import UserError
from innerpace.paths import runtime_dir
from innerpace.web.views.render import journal_of, render

DEFAULT_CADENCE = 170.0
MEDIA_TYPES = {
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
}


def _number(value_text: str | None, name: str, low: float, high: float) -> float | None:
    if value_text in (None, ""):
        return None
    try:
        value = float(value_text)
    except ValueError:
        raise UserError(
            wording.text("web.guide.not_a_number", name=name, value=value_text)
        ) from None
    if not low <= value <= high:
        raise UserError(
            wording.text("web.guide.out_of_range", name=name, low=f"{low:g}", high=f"{high:g}")
        )
    return value


async def page(request: Request) -> Response:
    journal = journal_of(request)
    recent = journal.recent_cadence()
    return render(
        request,
        "guide.html",
        {
            "nav": "guide",
            "sessions": journal.guide_sessions(),
            "cadence": round(recent or DEFAULT_CADENCE),
            "cadence_known": recent is not None,
            "formats": list(MEDIA_TYPES),
        },
    )


async def audio(request: Request) -> Response:
    """Render a session to a file and send it; nothing is kept afterwards."""
    journal = journal_of(request)
    session = request.path_params["session"]
    fmt = request.path_params["fmt"]
    if fmt not in MEDIA_TYPES:
        raise UserError(
            wording.text("web.guide.audio_format", formats=", ".join(MEDIA_TYPES), value=fmt)
        )
    cadence = _number(request.query_params.get("cadence"), "cadence", 120, 230)
    minutes = _number(request.query_params.get("minutes"), "minutes", 1, 180)
    folder = Path(
        tempfile.mkdtemp(prefix=f"guide-{os.getpid()}-", dir=runtime_dir(journal.data_dir))
    )
    out = folder / f"{session}.{fmt}"
    try:
        await run_in_threadpool(
            journal.render_guide,
            session,
            out,
            cadence=cadence or journal.recent_cadence() or DEFAULT_CADENCE,
            minutes=minutes,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    download = request.query_params.get("download") == "1"
    return FileResponse(
        out,
        media_type=MEDIA_TYPES[fmt],
        filename=out.name if download else None,
        content_disposition_type="attachment" if download else "inline",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
