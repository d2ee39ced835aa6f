"""What the offline workbook's writer and reader agree on: the columns, the hidden sheet and
its signature, and the way a row's cells are compared with what was downloaded."""

from __future__ import annotations

import hashlib
import json

from django.core import signing

FORMAT = "zi-lke-offline/1"
META_SHEET = "_lke"
SALT = "zi.lke_workbook.offline"

# Columns of an area or Hasil sheet
CODE, QUESTION, KIND, ALLOWED, ANSWER, NOTE, EVIDENCE, SCORE = "ABCDEFGH"
FIRST_EARLIER = 9  # column I onwards: the earlier layers' answers, read only
HEADER_ROW = 6
MAX_ROWS = 1000  # the LKE has 113 items and a few input rows; anything far beyond is no LKE
MAX_COLUMNS = 16
MAX_BYTES = 5 * 1024 * 1024

# The hidden sheet: key/value rows, then one row per item from ITEMS_ROW
META_KEYS = ("format", "assessment", "layer", "version", "published")
SIGNATURE_ROW = len(META_KEYS) + 1
ITEMS_ROW = SIGNATURE_ROW + 2
# per item: code, revision (0: no answer), sheet, row, inputs ("name=row;…"), digest


def cell_text(value) -> str:
    """A cell's content as text, the same whether it was just written or read back."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def digest(cells) -> str:
    """A row as downloaded (answer, inputs, note): a row that still reads the same was not
    edited offline, whatever the portal holds now."""
    text = json.dumps([cell_text(value) for value in cells], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def canonical(head: dict, items: list[list]) -> str:
    return json.dumps(
        [[str(head.get(key, "")) for key in META_KEYS], [[str(v) for v in row] for row in items]],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def sign(head: dict, items: list[list]) -> str:
    return signing.Signer(salt=SALT).signature(canonical(head, items))


def verified(head: dict, items: list[list], signature: str) -> bool:
    import hmac

    return hmac.compare_digest(sign(head, items), str(signature or ""))
