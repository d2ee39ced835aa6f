"""Payloads hidden in a PDF or an image (a "polyglot"): web markup, scripts and archives."""

from __future__ import annotations

import re

from assessments.evidence import package_rules as rules
from assessments.evidence.filetypes import CHUNK
from assessments.evidence.package_rules import refuse

# Markup a browser or a PHP interpreter would act on; no PDF or image needs it. Each pattern is
# long enough (with the space or ">" after the tag name) not to turn up by chance in the
# compressed data of a 20 MB photo, as a three-byte "<%@" did in a test.
MARKUP = re.compile(rb"<\?php\s|<(?:script|html|iframe)[\s>/]|<!doctype\s+html", re.IGNORECASE)


# Long enough never to occur by chance in compressed data, unlike "MZ" or a ZIP header alone.
ARCHIVE_SIGNATURES = (
    b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\xfd7zXZ\x00", rules.OLE_MAGIC,
)  # fmt: skip


OVERLAP = 64  # bytes kept from one chunk to the next, so no pattern hides across the cut


def refuse_smuggled(chunks) -> None:
    """A PDF or image that is also a web page, a script or an archive (a "polyglot")."""
    tail, local_header, directory_end = b"", False, False
    for chunk in chunks:
        window = tail + chunk
        if MARKUP.search(window):
            refuse(rules.HIDDEN)
        if any(signature in window for signature in ARCHIVE_SIGNATURES):
            refuse(rules.NESTED)
        local_header = local_header or b"PK\x03\x04" in window
        directory_end = directory_end or b"PK\x05\x06" in window
        tail = window[-OVERLAP:]
    if local_header and directory_end:  # a ZIP needs both; either alone can occur by chance
        refuse(rules.NESTED)


def file_chunks(f):
    f.seek(0)
    return iter(lambda: f.read(CHUNK), b"")
