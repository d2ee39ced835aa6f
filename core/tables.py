"""Reading an uploaded table (CSV in UTF-8 with "," or ";", or the first sheet of an XLSX) as
rows of text cells: the one reader behind every import of a list (units, TPN's selection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from core.xlsx import XlsxRefused, open_xlsx


class TableError(ValueError):
    """The file cannot be read as a table; the message is for the user."""


def read_table(filename: str, content: bytes) -> Iterator[list[str]]:
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".csv":
        return _read_csv(content)
    if suffix == ".xlsx":
        return _read_xlsx(content)
    raise TableError(_("Format berkas tidak didukung: gunakan CSV atau XLSX."))


def _read_csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("Berkas CSV harus berenkoding UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _read_xlsx(content: bytes) -> Iterator[list[str]]:
    try:
        workbook = open_xlsx(content, unreadable=_("Berkas XLSX tidak dapat dibaca."))
    except XlsxRefused as refusal:
        raise TableError(refusal.message) from None
    return _sheet_rows(workbook.worksheets[0])


def _sheet_rows(sheet) -> Iterator[list[str]]:
    for values in sheet.iter_rows(values_only=True):
        yield ["" if value is None else str(value) for value in values]
