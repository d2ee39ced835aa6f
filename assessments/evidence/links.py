"""The one link to an evidence file: the portal's authorised download page, which asks the
reader to sign in and checks their access (scope, kinds, the virus scan) before it serves the
file. The pages, the API and the report packages all point there."""

from __future__ import annotations

from django.urls import reverse

from notifications.emails import absolute_url


def evidence_download_path(evidence) -> str | None:
    """The download page's path; None for evidence given as a link (no file to download).
    Only `pk`, `assessment_id` and `file` are read."""
    if not evidence.file:
        return None
    return reverse("assessments:evidence_download", args=[evidence.assessment_id, evidence.pk])


def evidence_download_url(evidence) -> str | None:
    """The download page on the portal's public address (settings.PORTAL_BASE_URL), as the
    report packages print it; None for a link. The API makes the path absolute on the host
    the caller asked."""
    path = evidence_download_path(evidence)
    return absolute_url(path) if path else None
