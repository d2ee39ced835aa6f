"""The predicate certificate (piagam) of a granted assessment, one A4 landscape page rendered
with WeasyPrint: the letterhead, the unit, the predicate and its SK, the signer, and the
document number with its QR code and verification URL."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from assessments.models import Assessment
from reports.issuing import certificate_signers
from reports.letterhead import document_context, letterhead_context

TEMPLATE = "reports/certificate.html"


def certificate_filename(assessment: Assessment) -> str:
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", assessment.unit.code).strip("-") or "unit"
    return f"Piagam-{assessment.award.predicate}-{code}-{assessment.period.year}.pdf"


def certificate_context(*, assessment: Assessment, issued=None) -> dict:
    award = assessment.award
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "period": assessment.period,
        "award": award,
        "letterhead": letterhead_context(),
        "document": document_context(issued),
        "signers": certificate_signers(assessment),
    }


def render_certificate(*, assessment: Assessment, issued=None) -> bytes:
    from weasyprint import HTML, URLFetcher  # heavy import (Pango): only where a PDF is made

    html = render_to_string(TEMPLATE, certificate_context(assessment=assessment, issued=issued))
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
