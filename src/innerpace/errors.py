"""Errors a person can act on. Front ends show their message as one line, never a traceback."""


class UserError(Exception):
    """Something the user asked for cannot be done; the message says what and why."""


class DataDirError(UserError):
    """The data folder cannot be used (it is a file, cannot be created, or is not writable)."""


class NotFound(UserError):
    """A run, check-in or other record named by the user does not exist."""
