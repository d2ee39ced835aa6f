"""Documents anyone can verify: the number, the verification code and the signers of an LHE
or a predicate certificate are given before the file is rendered (the file prints them), the
file's SHA-256 once it is stored; the public page (reports.views_verify) reads the state.

A document is one distinct file (a report job's kind and fingerprint): rendering it again, for
a retry or for another reader with the same access, keeps its number. A later document of the
same assessment, kind and layer made from other data supersedes it; a certificate whose award
was revoked is revoked.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Layer, TransitionEvent
from assessments.selectors import content_versions
from assessments.workflow import TRANSITIONS
from notifications.emails import absolute_url
from reports.models import (
    DocumentCounter,
    DocumentKind,
    DocumentState,
    IssuedDocument,
    ReportJob,
    ReportKind,
)
from units.models import Role

PREFIX = {DocumentKind.LHE: "LHE-ZI", DocumentKind.CERTIFICATE: "PIAGAM-ZI"}
CODE_BYTES = 18  # 24 URL-safe characters: 144 random bits, nothing to enumerate

# Who signs a layer's LHE: the people whose decisions closed that layer, in this order (the
# latest event of each transition). The Role gives the line under their name.
# The decisions that close each layer (workflow.TRANSITIONS gives who makes them).
SIGNING: dict[str, tuple[str, ...]] = {
    Layer.SELF: ("submit", "approve_submission"),
    Layer.PRELIMINARY: ("forward_to_tpi",),
    Layer.TPI: ("tpi_pass", "tpi_fail"),
    Layer.TPN: ("grant", "not_grant"),
}


def _data_key(assessment_id: int) -> str:
    versions = content_versions(assessment_id)
    return hashlib.sha256(json.dumps(versions, default=str).encode()).hexdigest()


def _next_number(kind: str, year: int) -> str:
    """The next number of `kind` in `year`, taken under a row lock (call inside atomic)."""
    DocumentCounter.objects.get_or_create(kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{PREFIX[kind]}/{year}/{counter.last:06d}"


def signers_of(assessment: Assessment, layer: str, events=None) -> list[dict]:
    """[{name, nip, role}] of who made the layer's decisions; nobody yet: an empty list (the
    file then prints no signature lines at all)."""
    wanted = SIGNING.get(layer, ())
    if events is None:
        events = TransitionEvent.objects.filter(
            assessment=assessment, transition__in=wanted
        ).select_related("by")
    latest: dict[str, TransitionEvent] = {}
    for event in sorted(events, key=lambda e: (e.at, e.pk)):
        latest[event.transition] = event
    people, seen = [], set()
    for code in wanted:
        event = latest.get(code)
        if event is None or event.by_id in seen:
            continue
        seen.add(event.by_id)
        role = TRANSITIONS[code].roles[0]
        people.append(
            {"name": event.by.full_name, "nip": event.by.nip, "role": str(Role(role).label)}
        )
    return people


def certificate_signers(assessment: Assessment) -> list[dict]:
    award = assessment.award
    user = award.granted_by
    if user is None:
        return []
    # The certificate names the body that grants, not the portal's role.
    return [{"name": user.full_name, "nip": user.nip, "role": str(_("Tim Penilai Nasional"))}]


def document_issue(*, job: ReportJob) -> IssuedDocument:
    """The document a job's file is: the one already given to this file, or a new number and
    code. Idempotent (a retried job keeps its number)."""
    kind = DocumentKind.LHE if job.kind == ReportKind.LHE else DocumentKind.CERTIFICATE
    assessment = Assessment.objects.select_related("award__granted_by").get(
        pk=job.params["assessment"]
    )
    layer = job.params.get("layer", "") if kind == DocumentKind.LHE else ""
    signers = (
        signers_of(assessment, layer)
        if kind == DocumentKind.LHE
        else certificate_signers(assessment)
    )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                found = (
                    IssuedDocument.objects.select_for_update()
                    .filter(kind=kind, source_key=job.fingerprint)
                    .first()
                )
                if found is not None:
                    if not found.sha256:  # not issued yet: this job may be the one that is
                        found.job = job
                        found.signers = signers
                        found.save(update_fields=["job", "signers"])
                    return found
                return IssuedDocument.objects.create(
                    kind=kind,
                    number=_next_number(kind, timezone.localdate().year),
                    code=secrets.token_urlsafe(CODE_BYTES),
                    source_key=job.fingerprint,
                    data_key=_data_key(assessment.pk),
                    job=job,
                    assessment=assessment,
                    layer=layer,
                    signers=signers,
                )
        except IntegrityError:  # another worker issued the same file at the same moment
            continue
    raise RuntimeError("could not issue a document number")


def document_file_stored(*, document: IssuedDocument, job_id: int, sha256: str) -> bool:
    """The rendered file becomes the issued one, unless another job of the same document (two
    people asked at once) stored its file first: then False, and that file is the document."""
    return bool(
        IssuedDocument.objects.filter(pk=document.pk, sha256="").update(
            sha256=sha256, job_id=job_id
        )
    )


# --------------------------------------------------------------------------- reading


def verification_url(document: IssuedDocument) -> str:
    return absolute_url(reverse("reports:verify", args=[document.code]))


@dataclass(frozen=True)
class Verification:
    document: IssuedDocument
    state: str
    newer: IssuedDocument | None

    @property
    def state_label(self) -> str:
        return str(DocumentState(self.state).label)


def verification_of(code: str) -> Verification | None:
    """The public view of a document by its code; None for an unknown code."""
    document = (
        IssuedDocument.objects.select_related(
            "assessment__unit", "assessment__period", "assessment__award"
        )
        .filter(code=code)
        .exclude(sha256="")
        .first()
    )
    if document is None:
        return None
    award = getattr(document.assessment, "award", None)
    if document.kind == DocumentKind.CERTIFICATE and (award is None or award.revoked_at):
        return Verification(document, DocumentState.REVOKED, None)
    newer = (
        IssuedDocument.objects.filter(
            assessment_id=document.assessment_id,
            kind=document.kind,
            layer=document.layer,
            pk__gt=document.pk,
        )
        .exclude(pk=document.pk)
        .exclude(data_key=document.data_key)
        .exclude(sha256="")
        .order_by("-issued_at", "-pk")
        .first()
    )
    if newer is not None:
        return Verification(document, DocumentState.SUPERSEDED, newer)
    return Verification(document, DocumentState.VALID, None)
