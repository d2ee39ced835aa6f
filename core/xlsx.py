"""Opening an uploaded XLSX with openpyxl, the one way every upload is opened (core.tables,
areas.instrument_xlsx_import, the offline LKE workbook): its ZIP is checked first against a
decompressed budget (core.archives.check_unpacked: entry count, ratio,
declared and real decompressed size), so that a small file whose shared strings inflate to
gigabytes is refused in milliseconds instead of taking minutes and memory to open."""

from __future__ import annotations

import io
import zipfile
import zlib

from core.archives import ContentRefused, check_unpacked

MAX_UNPACKED = 25 * 1024 * 1024  # far above any workbook the portal writes or reads back


class XlsxRefused(ValueError):
    """The file cannot be opened; the message is for the user (already translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def open_xlsx(content: bytes, *, unreadable: str, max_unpacked: int = MAX_UNPACKED):
    """The read-only, values-only workbook of an uploaded XLSX. Raises XlsxRefused with the
    archive check's message, or `unreadable` for a damaged or foreign file."""
    from openpyxl import load_workbook

    try:
        check_unpacked(content, max_unpacked)
    except ContentRefused as refusal:
        raise XlsxRefused(refusal.message) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError,
            ValueError, KeyError, RuntimeError, zlib.error):  # fmt: skip
        raise XlsxRefused(unreadable) from None
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged or foreign file
        raise XlsxRefused(unreadable) from None
