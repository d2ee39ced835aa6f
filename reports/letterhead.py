"""What the formal documents (the LHE, the predicate certificate) print above and beside their
content: the admin's letterhead, and the number, QR code and short URL of the verification
page. Everything is inlined as data URIs: the PDF renderer never reaches the network."""

from __future__ import annotations

import base64
import mimetypes

from django.utils.translation import gettext as _

from core.qr import qr_data_uri
from reports.issuing import verification_url
from reports.models import IssuedDocument, Letterhead

LOGO_MAX_BYTES = 1024 * 1024


def letterhead_context() -> dict:
    """{"logo": data URI or "", "lines": [...]}: the admin's letterhead, or the ministry's name
    while none is set. One query and one small file read."""
    letterhead = Letterhead.objects.first()
    lines = letterhead.line_list if letterhead else []
    logo = ""
    if letterhead and letterhead.logo:
        try:
            with letterhead.logo.open("rb") as handle:
                data = handle.read(LOGO_MAX_BYTES + 1)
        except OSError:
            data = b""  # a missing logo file leaves the header text-only rather than failing
        if data and len(data) <= LOGO_MAX_BYTES:
            mime = mimetypes.guess_type(letterhead.logo.name)[0] or "image/png"
            logo = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    return {"logo": logo, "lines": lines or [_("KEMENTERIAN AGAMA REPUBLIK INDONESIA")]}


def document_context(issued: IssuedDocument | None) -> dict | None:
    """The number, the short URL and its QR code of an issued document; None for a file
    made outside the issuing path (a preview, a command-line render)."""
    if issued is None:
        return None
    url = verification_url(issued)
    return {"number": issued.number, "url": url, "qr": qr_data_uri(url)}
