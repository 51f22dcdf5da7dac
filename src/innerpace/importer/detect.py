"""Tell a file's format from its content, never from its name."""

from __future__ import annotations

import re

FIT, GPX, TCX = "fit", "gpx", "tcx"

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


def detect_format(data: bytes) -> str | None:
    """``"fit"``, ``"gpx"``, ``"tcx"``, or None when the bytes are none of them."""
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT":
        return FIT
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip()
    if not head.startswith(b"<"):
        return None
    for match in _XML_ROOT.finditer(head):
        tag = match.group(1)
        if tag in (b"xml",) or head[match.start() + 1 : match.start() + 2] in (b"?", b"!"):
            continue
        if tag == b"gpx":
            return GPX
        if tag == b"TrainingCenterDatabase":
            return TCX
        return None
    return None
