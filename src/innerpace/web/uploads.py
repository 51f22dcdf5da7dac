"""Files sent to the import page, streamed straight to a private folder.

The multipart body is parsed as it arrives (``python-multipart``'s streaming parser) and each
file's bytes go to a file of mode 0600 inside the journal's private runtime folder: the body is
never held in memory, and nothing is written to the system's temporary folder. A folder of a
process that no longer runs is removed at the next start (``web.server.sweep_runtime``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from starlette.requests import Request

from innerpace.errors import UserError
from innerpace.words import text

try:  # the package was renamed; both names exist in the versions innerpace accepts
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, parse_options_header
except ImportError:  # pragma: no cover - older python-multipart
    from multipart.exceptions import FormParserError  # type: ignore[no-redef]
    from multipart.multipart import MultipartParser, parse_options_header  # type: ignore[no-redef]

MAX_FILES = 20_000
MAX_FIELD_BYTES = 64 * 1024
FILE_FIELD = "files"


class UploadProblem(UserError):
    """The upload itself is malformed (not the files in it)."""


def upload_folder(runtime: Path) -> Path:
    """A new private folder for one upload, named after this process (for the start-up sweep)."""
    return Path(tempfile.mkdtemp(prefix=f"upload-{os.getpid()}-", dir=runtime))


def safe_relative(filename: str, index: int) -> Path:
    """A relative path inside the upload folder: folder uploads keep their inner paths."""
    parts = [
        p for p in PurePosixPath(filename.replace("\\", "/")).parts if p not in ("", ".", "..")
    ]
    parts = [p for p in parts if not p.startswith("/") and "\x00" not in p]
    return Path(*parts) if parts else Path(f"upload-{index}")


def _place(folder: Path, relative: Path, index: int) -> Path:
    """Where one file goes: its own path if free, else a unique name at the top. Names that
    clash with each other (``a`` and ``a/b``, or the same name twice) never fail the upload."""
    target = folder / relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not target.exists():
            return target
    except (FileExistsError, NotADirectoryError):
        pass
    return folder / f"{index}-{secrets.token_hex(3)}-{relative.name or 'file'}"


class _Receiver:
    """The parser's callbacks: headers of each part, then its bytes to a file or a field."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[Path] = []
        self.fields: dict[str, str] = {}
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._fd: int | None = None
        self._field: bytearray | None = None
        self._field_name = ""

    def on_part_begin(self) -> None:
        self._disposition = b""
        self._fd = None
        self._field = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options and name == FILE_FIELD:
            filename = options[b"filename"].decode("utf-8", "replace")
            if not filename:
                self._fd = -1  # an empty file input: nothing chosen
                return
            if len(self.files) >= MAX_FILES:
                raise UploadProblem(text("web.upload.too_many", limit=f"{MAX_FILES:,}"))
            index = len(self.files)
            target = _place(self.folder, safe_relative(filename, index), index)
            self._fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            self.files.append(target)
        else:
            self._field_name = name
            self._field = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._fd is not None:
            if self._fd >= 0:
                view = memoryview(data)[start:end]
                while view:
                    written = os.write(self._fd, view)
                    view = view[written:]
        elif self._field is not None:
            if len(self._field) + (end - start) > MAX_FIELD_BYTES:
                raise UploadProblem(text("web.upload.field_too_long"))
            self._field.extend(data[start:end])

    def on_part_end(self) -> None:
        if self._fd is not None and self._fd >= 0:
            os.close(self._fd)
        elif self._field is not None:
            self.fields[self._field_name] = self._field.decode("utf-8", "replace")
        self._fd = None
        self._field = None

    def close(self) -> None:
        if self._fd is not None and self._fd >= 0:
            os.close(self._fd)
            self._fd = None


async def receive_files(request: Request, folder: Path) -> list[Path]:
    """Stream the request's ``files`` parts into ``folder``; returns the files written."""
    content_type = request.headers.get("content-type", "")
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadProblem(text("web.upload.not_files"))
    receiver = _Receiver(folder)
    callbacks = {
        "on_part_begin": receiver.on_part_begin,
        "on_part_data": receiver.on_part_data,
        "on_part_end": receiver.on_part_end,
        "on_header_field": receiver.on_header_field,
        "on_header_value": receiver.on_header_value,
        "on_header_end": receiver.on_header_end,
        "on_headers_finished": receiver.on_headers_finished,
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise UploadProblem(text("web.upload.damaged")) from None
    finally:
        receiver.close()
    return receiver.files


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
