"""One hardened way to read GPX and TCX: no entities, no DTDs, no network, bounded input.

Activity files come from anywhere, so the XML reader trusts nothing:

* input over :data:`MAX_BYTES` is refused before parsing;
* any ``<!DOCTYPE`` or ``<!ENTITY`` declaration is refused outright (activity formats never
  need one, and they are how XXE and billion-laughs documents work); the parsed document is
  checked again for a DTD afterwards, in case the bytes hid one in another encoding;
* lxml runs with ``resolve_entities=False``, ``no_network=True``, ``load_dtd=False`` and
  ``huge_tree=False`` (libxml2's own depth and text-size limits stay on);
* a UTF-8 byte-order mark and any junk or whitespace before ``<?xml`` or the root element
  is dropped, as some exporters write it; UTF-16 and UTF-32 files (with a byte-order mark)
  are re-encoded to UTF-8;
* every lxml failure becomes a :class:`ParseError`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from lxml import etree

from innerpace.formats.errors import ParseError

T = TypeVar("T")

MAX_BYTES = 200 * 1024 * 1024

#: The parser options every GPX/TCX read uses.
PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "dtd_validation": False,
    "remove_comments": True,
    "remove_pis": True,
    "remove_blank_text": True,
}

_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
# Byte-order marks of wide encodings (UTF-32 first: its little-endian mark starts like UTF-16's).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_XML_DECLARATION = re.compile(r"^[\s\ufeff]*<\?xml[^>]*\?>")


def clean_bytes(data: bytes, source: str | None = None) -> bytes:
    """Check size and declarations, and drop what comes before the document proper."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ParseError("expected the file's bytes", source)
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ParseError(
            f"file is {len(data) / 1e6:.0f} MB; files over {MAX_BYTES // (1024 * 1024)} MB "
            "are refused",
            source,
        )
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise ParseError(f"file starts like {codec} text but is not", source) from None
            data = _XML_DECLARATION.sub("", text, count=1).encode("utf-8")
            break
    start = data.find(b"<")
    if start < 0:
        raise ParseError("not an XML document (no markup found)", source)
    data = data[start:]
    for marker in _FORBIDDEN:
        if marker in data:
            raise ParseError(
                f"file declares {marker[2:].decode()}s; documents with DTD or entity "
                "declarations are refused",
                source,
            )
    return data


class ElementStream:
    """The elements whose tag is in ``tags``, each yielded when it ends (children complete).

    ``tags`` may use lxml's ``{*}name`` form to match a local name in any namespace. The
    caller may clear elements it has read to keep memory flat. Every XML failure becomes a
    :class:`ParseError`; after the last element the whole document is checked for a DTD,
    and :attr:`root_name` holds the local name of the root element.
    """

    def __init__(self, data: bytes, tags: Iterable[str], source: str | None = None) -> None:
        self.source = source
        self.root_name = ""
        self._data = clean_bytes(data, source)
        self._tags = list(tags)

    def __iter__(self) -> Iterator[etree._Element]:
        source = self.source
        # Safe: PARSER_OPTIONS disable entities, DTD loading and network access.
        events = etree.iterparse(  # noqa: S320
            io.BytesIO(self._data), events=("end",), tag=self._tags, **PARSER_OPTIONS
        )
        while True:
            try:
                _event, element = next(events)
            except StopIteration:
                break
            except etree.LxmlError as error:
                raise ParseError(f"not well-formed XML: {_short(error)}", source) from None
            except (ValueError, TypeError, UnicodeError, OverflowError) as error:
                raise ParseError(f"XML could not be read: {_short(error)}", source) from None
            yield element
        root = events.root
        if root is None:
            raise ParseError("not an XML document", source)
        if root.getroottree().docinfo.internalDTD is not None:
            raise ParseError("documents with DTD declarations are refused", source)
        self.root_name = local_name(root.tag)


def forget(element: etree._Element) -> None:
    """Free an element that has been read, and the siblings read before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def local_name(tag: object) -> str:
    """``{namespace}name`` → ``name``; comments and other non-elements give ``""``."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _short(error: BaseException, limit: int = 200) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def guarded(
    kind: str, parse: Callable[[bytes, str | None], T], data: bytes, source: str | None
) -> T:
    """Run ``parse`` so that nothing but a :class:`ParseError` naming ``source`` escapes."""
    try:
        return parse(data, source)
    except ParseError as error:
        raise (error if error.source or source is None else error.for_source(source)) from None
    except Exception as error:  # the last net: hostile bytes must only ever give a ParseError
        raise ParseError(
            f"the {kind} file could not be read ({type(error).__name__})", source
        ) from None
