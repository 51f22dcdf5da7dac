"""``/import``: bring in files, folders or archives from the browser, with the same report as
``innerpace import``; ``/imports/{batch}/undo`` takes a batch back out.

The upload streams to a private folder (:mod:`innerpace.web.uploads`), and the import runs in a
worker process (spawned, watching this one: it ends if the server does) over a connection of
its own, so the app keeps answering while it works.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from innerpace.errors import UserError
from innerpace.importer.report import ImportReport
from innerpace.paths import runtime_dir
from innerpace.services import Journal
from innerpace.web.uploads import receive_files, remove_folder, upload_folder
from innerpace.web.views.render import journal_of, render
from innerpace.words import text


async def page(request: Request) -> Response:
    journal = journal_of(request)
    return render(
        request,
        "import.html",
        {"nav": "import", "report": None, "failed": [], "warnings": [],
         "batches": journal.imports()[:10]},
    )  # fmt: skip


def _import_job(data_dir: Path, key: bytes | None, demo: bool, paths: list[Path]) -> ImportReport:
    """In the worker process: the journal over a connection of its own, then the import."""
    from innerpace.store import Store

    with Journal(Store.open(data_dir, key=key), demo=demo) as journal:
        return journal.import_paths(paths)


def _import_apart(journal: Journal, paths: list[Path]) -> ImportReport:
    """Run in a worker thread: the import itself runs in a worker process, so neither its
    parsing nor its writing competes with the pages for this process's time."""
    from innerpace.importer.pipeline import worker_pool

    with worker_pool(1) as pool:
        job = pool.submit(
            _import_job, journal.data_dir, journal.store.data_key, journal.demo, paths
        )
        return job.result()


async def upload(request: Request) -> Response:
    journal = journal_of(request)
    folder = upload_folder(runtime_dir(journal.data_dir))
    try:
        files = await receive_files(request, folder)
        if not files:
            raise UserError(text("web.import.choose_files"))
        paths = sorted(folder.iterdir())  # each upload: its own source
        daylio_moods = await asyncio.to_thread(journal.daylio_moods_to_place, paths)
        report = await asyncio.to_thread(_import_apart, journal, paths)
    finally:
        await asyncio.to_thread(remove_folder, folder)
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
