"""``/import``: bring in files, folders or archives from the browser, with the same report as
``innerpace import``; ``/imports/{batch}/undo`` takes a batch back out."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePosixPath

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace.errors import UserError
from innerpace.paths import runtime_dir
from innerpace.web.views.render import journal_of, render
from innerpace.words import text


def _safe_name(filename: str, index: int) -> Path:
    """A relative path inside the upload folder: folder uploads keep their inner paths."""
    parts = [
        p for p in PurePosixPath(filename.replace("\\", "/")).parts if p not in ("", ".", "..")
    ]
    parts = [p for p in parts if not p.startswith("/")]
    return Path(*parts) if parts else Path(f"upload-{index}")


async def page(request: Request) -> Response:
    journal = journal_of(request)
    return render(
        request,
        "import.html",
        {"nav": "import", "report": None, "failed": [], "warnings": [],
         "batches": journal.imports()[:10]},
    )  # fmt: skip


async def upload(request: Request) -> Response:
    journal = journal_of(request)
    form = await request.form()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        await form.close()
        raise UserError(text("web.import.choose_files"))
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=runtime_dir(journal.data_dir)))
    try:
        for index, item in enumerate(files):
            target = folder / _safe_name(item.filename or "", index)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                shutil.copyfileobj(item.file, out, 1 << 20)
        await form.close()
        paths = sorted(folder.iterdir())  # each upload: its own source
        daylio_moods = journal.daylio_moods_to_place(paths)
        report = journal.import_paths(paths)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    prefix = str(folder) + "/"
    failed = [(f.file.removeprefix(prefix), f.message) for f in report.failed]
    warnings = [(f.file.removeprefix(prefix), w) for f in report.files for w in f.warnings]
    return render(
        request,
        "import.html",
        {
            "nav": "import",
            "report": report,
            "failed": failed,
            "warnings": warnings,
            "batches": journal.imports()[:10],
            "daylio_moods": daylio_moods,
        },
        status=200,
    )


async def undo(request: Request) -> Response:
    journal = journal_of(request)
    journal.undo_import(int(request.path_params["batch"]))
    return RedirectResponse("/import", status_code=303)


async def daylio_moods(request: Request) -> Response:
    """Place the person's own Daylio mood names on Daylio's five levels, once."""
    journal = journal_of(request)
    form = await request.form()
    levels = {
        str(key).removeprefix("mood:"): int(value) if str(value).isdigit() else 0
        for key, value in form.multi_items()
        if str(key).startswith("mood:")
    }
    journal.place_daylio_moods(levels)
    return RedirectResponse("/import", status_code=303)
