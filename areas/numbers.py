"""Numbers typed by people (the worksheet, imports, the command line), bounded on their text
before any conversion.

A count is a non-negative integer of at most COUNT_DIGITS digits; a percent or a survey index
is a decimal of at most DECIMAL_INTEGER_DIGITS + DECIMAL_FRACTION_DIGITS digits, with a dot or
the Indonesian decimal comma. Nothing else reaches `int()` or `Decimal()`: "1e1000000" once
cost 55 s of CPU in `int(Decimal(...))`, and a 5,000-digit string raises past Python's
integer-string limit (a 500). Pure functions, no ORM: the engine uses them too.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

COUNT_DIGITS = 9  # 999,999,999: more people or documents than any unit has
DECIMAL_INTEGER_DIGITS = 9
DECIMAL_FRACTION_DIGITS = 6
ID_DIGITS = 18  # a database id in a URL or form field (bigint)
# Past this a number is not a count, percent or index of this domain, whatever its form.
MAX_MAGNITUDE = Decimal(10) ** DECIMAL_INTEGER_DIGITS

_COUNT = re.compile(rf"[0-9]{{1,{COUNT_DIGITS}}}")
_DECIMAL = re.compile(
    rf"-?[0-9]{{1,{DECIMAL_INTEGER_DIGITS}}}(?:[.,][0-9]{{1,{DECIMAL_FRACTION_DIGITS}}})?"
)
_ID = re.compile(rf"[0-9]{{1,{ID_DIGITS}}}")


class NumberError(ValueError):
    """The text is not a number this field takes; the message is for the user."""


def parse_count(raw: str, *, label: str) -> int:
    """A count: digits only (no sign, no decimals, no thousands separator)."""
    text = (raw or "").strip()
    if not _COUNT.fullmatch(text):
        raise NumberError(
            _("%(field)s harus bilangan bulat tidak negatif, paling banyak %(n)s angka.")
            % {"field": label, "n": COUNT_DIGITS}
        )
    return int(text)


def parse_decimal(raw: str, *, label: str) -> Decimal:
    """A decimal such as 87,5 or 3.4567 (the comma is the Indonesian decimal separator)."""
    text = (raw or "").strip()
    if not _DECIMAL.fullmatch(text):
        raise NumberError(
            _(
                "%(field)s harus berupa angka (misalnya 87,5), paling banyak %(i)s angka di "
                "depan koma dan %(f)s di belakangnya."
            )
            % {"field": label, "i": DECIMAL_INTEGER_DIGITS, "f": DECIMAL_FRACTION_DIGITS}
        )
    return Decimal(text.replace(",", "."))


def parse_id(raw) -> int | None:
    """A database id posted in a form or a URL parameter; None when it cannot be one."""
    text = str(raw if raw is not None else "").strip()
    return int(text) if _ID.fullmatch(text) else None


def within_magnitude(value: Decimal) -> bool:
    """For numbers that arrive already converted (a spreadsheet cell, a JSON number). Reads
    the exponent only: arithmetic on 1E+1000000 would overflow the decimal context."""
    return value.is_finite() and value.adjusted() < DECIMAL_INTEGER_DIGITS
