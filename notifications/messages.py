"""Inbox texts stored as message keys with parameters, rendered in the reader's language.

A caller describes a text with `message(msgid, **params)`: `msgid` is the source (Indonesian)
text, marked for translation (gettext_noop, or a gettext_lazy such as a TextChoices label: its
msgid is kept); each parameter is plain data (a unit's name, a count, a person's note) or a
translatable label itself. `raw(text)` is a person's own words, shown as written. The inbox
and the e-mail render a stored message with `render` in the reader's language; the row's
title and body columns keep the portal-language text, for the admin and for search.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext

Part = dict[str, Any]


def message(msgid, **params) -> Part:
    return {"m": _msgid(msgid), "p": {name: _param(value) for name, value in params.items()}}


def raw(text) -> Part:
    return {"raw": str(text)}


def _msgid(value) -> str:
    """The source text of a lazy translation (so it is translated when read, not now)."""
    if isinstance(value, Promise):
        args = getattr(value, "_args", ())
        if len(args) == 1 and isinstance(args[0], str):
            return args[0]
    return str(value)


def _param(value):
    if isinstance(value, Promise):
        return {"t": _msgid(value)}
    if isinstance(value, dict) and ("m" in value or "raw" in value):
        return value
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float):
        return value
    return str(value)


def render(part: Part | list | str | None) -> str:
    """A stored message (or list of paragraphs) in the active language."""
    if not part:
        return ""
    if isinstance(part, str):
        return part
    if isinstance(part, list):
        return "\n\n".join(text for text in (render(p) for p in part) if text)
    if "raw" in part:
        return part["raw"]
    text = gettext(part["m"])
    params = {name: _shown(value) for name, value in part.get("p", {}).items()}
    if not params:
        return text
    try:
        return text % params
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return part["m"] % params


def _shown(value):
    if isinstance(value, dict):
        return gettext(value["t"]) if "t" in value else render(value)
    return value
