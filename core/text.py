"""Free text typed by people, cleaned at the boundary (request, form, command line, import).

A NUL byte is never typed by a person; PostgreSQL cannot store it (psycopg2 raises, a 500) and
it truncates strings in C libraries further on: it is refused with a translated message. Other
control characters (vertical tab, form feed, escape, C1 codes...) arrive by copy and paste from
word processors and PDFs; they are removed. Tab and line breaks stay in multi-line text.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.errors import WorkflowError

_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile(r"[\x01-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class TextError(ValueError):
    """The text cannot be taken; the message is for the user."""


def has_nul(value: str) -> bool:
    return "\x00" in value


def has_control(value: str) -> bool:
    """Whether clean_text would change or refuse `value` (tab and line breaks aside)."""
    return _ANY_CONTROL.search(value) is not None


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """`value` without control characters (tab and line breaks kept when `multiline`);
    TextError when it holds a NUL byte."""
    value = value or ""
    if has_nul(value):
        raise TextError(_("Teks berisi karakter yang tidak sah (NUL). Ketik ulang teks tersebut."))
    return (_CONTROLS if multiline else _LINE_CONTROLS).sub("", value)


NOTE_MAX = 4000  # a page of text: more than any note, justification or finding needs


def clean_note(value: str | None, *, label: str, limit: int = NOTE_MAX, multiline=True) -> str:
    """Free text as the services store it: control characters removed, a NUL byte or an
    overlong text refused with a message naming the field (a WorkflowError: a note
    belongs to an assessment's work)."""
    try:
        text = clean_text(value, multiline=multiline).strip()
    except TextError as error:
        raise WorkflowError(f"{label}: {error}") from None
    if len(text) > limit:
        raise WorkflowError(
            _("%(field)s terlalu panjang (%(n)s karakter; maksimum %(max)s).")
            % {"field": label, "n": len(text), "max": limit}
        )
    return text
