"""The local web app: server-rendered pages on 127.0.0.1, guarded like a careful local server."""

from innerpace.web.app import create_app
from innerpace.web.server import LocalServer, serve

__all__ = ["LocalServer", "create_app", "serve"]
