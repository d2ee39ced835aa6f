"""Carrying evidence over from the unit's previous period (kamus eviden, issue 17).

A document accepted last year that is still valid (an SK, a standing procedure) need not be
uploaded again when the dictionary entry allows it: the new row references the same stored file
(same SHA-256, stored and counted against the quota once), is flagged `carried_over_from`, and is
judged again by this period's reviewer, who sees where it came from. The source must be the same
unit's, from its previous period's assessment, accepted and not removed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.assessment import Assessment, EvidenceKind
from assessments.evidence.models import Evidence, EvidenceVerdict
from assessments.evidence.services import _require_upload
from core import audit
from core.errors import EvidenceError


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The unit's assessment of the latest period before this one (1 query)."""
    return (
        Assessment.objects.filter(
            unit_id=assessment.unit_id, period__year__lt=assessment.period.year
        )
        .select_related("period")
        .order_by("-period__year")
        .first()
    )


def _carryable(previous: Assessment):
    return previous.evidence.filter(
        kind=EvidenceKind.ANSWER, verdict=EvidenceVerdict.COMPLETE, removed_at__isnull=True
    ).exclude(scan_status="infected")


def carry_candidates(assessment: Assessment, question) -> list[Evidence]:
    """What "bring from the previous period" offers for an item: the accepted documents of
    the same item (same code) in the unit's previous assessment that this item does not have
    yet (2 queries)."""
    previous = previous_assessment(assessment)
    if previous is None:
        return []
    have = set(
        assessment.evidence.filter(question=question, removed_at__isnull=True)
        .exclude(sha256="")
        .values_list("sha256", flat=True)
    )
    items = _carryable(previous).filter(question__code=question.code).order_by("uploaded_at")
    return [e for e in items.select_related("assessment__period") if e.sha256 not in have]


def evidence_carry_over(*, assessment: Assessment, source: Evidence, requirement, by) -> Evidence:
    """Reference `source` (accepted, the unit's previous period) into `assessment` for the
    dictionary entry `requirement`, which must allow it. Atomic and audited."""
    _require_upload(by, assessment, EvidenceKind.ANSWER)
    question = requirement.question
    if question.version_id != assessment.period.lke_version_id:
        raise EvidenceError(_("Butir ini bukan bagian dari LKE periode ini."))
    if not requirement.carry_over_allowed:
        raise EvidenceError(
            _("Entri “%(label)s” tidak mengizinkan data dukung dibawa dari periode sebelumnya.")
            % {"label": requirement.label}
        )
    previous = previous_assessment(assessment)
    if previous is None or source.assessment_id != previous.pk:
        raise EvidenceError(
            _("Hanya data dukung unit ini dari periode sebelumnya yang dapat dibawa.")
        )
    if not permissions.can_read_evidence(by, previous, source.kind):
        raise EvidenceError(_("Anda tidak dapat membaca data dukung ini."), forbidden=True)
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=source.pk)
        if not _carryable(previous).filter(pk=locked.pk).exists():
            raise EvidenceError(
                _("Hanya data dukung yang sudah diterima (Lengkap) yang dapat dibawa.")
            )
        if locked.question is None or locked.question.code != question.code:
            raise EvidenceError(
                _("Hanya data dukung butir %(code)s yang dapat dibawa ke butir ini.")
                % {"code": question.code}
            )
        same = assessment.evidence.filter(question=question, removed_at__isnull=True)
        if (locked.file and same.filter(sha256=locked.sha256).exists()) or (
            locked.url and same.filter(url=locked.url).exists()
        ):
            raise EvidenceError(
                _("Butir %(code)s sudah memiliki data dukung ini.") % {"code": question.code}
            )
        Assessment.objects.filter(pk=assessment.pk).touch()
        evidence = Evidence.objects.create(
            assessment=assessment,
            kind=EvidenceKind.ANSWER,
            question=question,
            requirement=requirement,
            carried_over_from=locked,
            source=(locked.source or locked) if locked.file else None,
            file=locked.file.name,
            url=locked.url,
            original_name=locked.original_name,
            size=locked.size,
            content_type=locked.content_type,
            sha256=locked.sha256,
            description=requirement.label,
            covers_period=locked.covers_period,
            document_date=locked.document_date,
            scan_status=locked.scan_status,
            uploaded_by=by,
        )
        audit.record(
            "zi.evidence.carried_over", evidence, by=by, source=locked.pk, sha256=locked.sha256,
            question=question.code, requirement=requirement.pk, from_year=previous.period.year,
        )  # fmt: skip
    return evidence
