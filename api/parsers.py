"""Request bodies the API reads: JSON, bounded in size and depth (a body nested 200,000 levels
deep would otherwise end in a RecursionError, a 500)."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_BODY_BYTES = 64 * 1024  # one answer with its note (notes are capped far below this)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise ParseError(_("Isi permintaan terlalu besar (paling banyak 64 KB)."))
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError):
            raise ParseError(_("Isi permintaan bukan JSON yang sah.")) from None
        except RecursionError:
            raise ParseError(_("JSON terlalu dalam bersarang.")) from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")
