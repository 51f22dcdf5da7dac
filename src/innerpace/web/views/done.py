"""The line a page shows after a change: what happened, and one click to take a deletion back."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from innerpace import words as wording
from innerpace.services.trash import KINDS


def done_words(request: Request) -> dict[str, Any] | None:
    params = request.query_params
    done = params.get("done")
    if done == "saved":
        return {"text": wording.text("web.edit.saved")}
    if done == "attached":
        return {"text": wording.text("web.checkin.attached")}
    if done == "restored":
        return {"text": wording.text("web.edit.restored")}
    if done == "deleted" and params.get("kind") in KINDS and params.get("id", "").isdigit():
        return {
            "text": wording.text("web.edit.deleted"),
            "kind": params["kind"],
            "id": int(params["id"]),
            "here": request.url.path,
        }
    return None
