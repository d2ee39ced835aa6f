"""What a unit prints for its surveys, rendered with WeasyPrint: the A4 poster for the service
desk (a large QR code of the survey's public address) and a batch of one-time codes as a grid
of slips to cut out and staple to receipts (each with the code, the address and a small QR
code that carries the code).

A poster is one page (about 0.1 s) and is rendered in the request; slips cost some 30 ms each
in WeasyPrint, so a batch of up to `SLIPS_PER_PDF` codes (two pages) is too, and
a larger one goes to the report queue (reports.kinds, kind `survey_codes`, Celery). Every batch
is also a CSV for a receipt printer."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from core.qr import qr_data_uri
from surveys.links import public_url, short_url
from surveys.models import Survey

POSTER_TEMPLATE = "surveys/poster_pdf.html"
CODES_TEMPLATE = "surveys/codes_pdf.html"
SLIPS_PER_PDF = 48  # 24 slips per A4 page (3 x 8): two pages, about 1.5 s in the request


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "survei"


def poster_filename(survey: Survey, service=None) -> str:
    suffix = f"-layanan-{service.pk}" if service is not None else ""
    return f"Poster-{_safe(survey.unit.code)}-{_safe(survey.name)}{suffix}.pdf"


def codes_filename(survey: Survey, batch: int, ext: str) -> str:
    return f"Kode-{_safe(survey.unit.code)}-{_safe(survey.name)}-kelompok-{batch}.{ext}"


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML, URLFetcher  # heavy import (Pango): only where a PDF is made

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def render_poster(survey: Survey, service=None) -> bytes:
    url = public_url(survey, service=service)
    return _pdf(
        POSTER_TEMPLATE,
        {
            "survey": survey,
            "unit": survey.unit,
            "service": service,
            "url": url,
            "short_url": short_url(url),
            "qr": qr_data_uri(url),
        },
    )


def render_code_slips(survey: Survey, batch: int, codes: list[str]) -> bytes:
    slips = []
    for code in codes:
        url = public_url(survey, code=code)
        slips.append({"code": code, "short_url": short_url(url), "qr": qr_data_uri(url)})
    return _pdf(
        CODES_TEMPLATE,
        {"survey": survey, "unit": survey.unit, "batch": batch, "slips": slips},
    )
