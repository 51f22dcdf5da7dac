"""Where a journal lives: ``--data-dir``, else ``INNERPACE_HOME``, else the user data folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

from innerpace.errors import DataDirError
from innerpace.words import text

APP_NAME = "innerpace"
JOURNAL_FILE = "journal.db"


def default_data_dir() -> Path:
    env = os.environ.get("INNERPACE_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_demo_dir() -> Path:
    """The demo journal's own folder, apart from the user's real journal."""
    env = os.environ.get("INNERPACE_DEMO_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME + "-demo", appauthor=False))


def prepare_data_dir(path: Path) -> Path:
    """Create ``path`` if needed (mode 0700) and check it is a writable folder."""
    path = path.expanduser()
    if path.exists() and not path.is_dir():
        raise DataDirError(text("paths.is_a_file", path=path))
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise DataDirError(
            text("paths.cannot_create", path=path, reason=exc.strerror or exc)
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise DataDirError(text("paths.not_writable", path=path))
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-check-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise DataDirError(
            text("paths.not_writable_because", path=path, reason=exc.strerror or exc)
        ) from None
    return path


def runtime_dir(data_dir: Path) -> Path:
    """``<data dir>/runtime`` (mode 0700): the server's sign-in file, uploads and renders in
    progress. Nothing in it outlives the program that wrote it."""
    folder = data_dir / "runtime"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder
