"""Reading evidence: an item's list with its required-evidence checklist, and what the
evidence panel shows."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments import permissions
from assessments.assessment import Assessment, EvidenceKind
from assessments.evidence.limits import Limits, limits
from assessments.evidence.models import Evidence


class EvidenceList(list):
    """The evidence of one question (or stage document), with the question's required-evidence
    checklist: an item counts as covered when some evidence's description equals it."""

    def __init__(self, items, question=None):
        super().__init__(items)
        self.question = question

    @property
    def checklist(self) -> list[tuple[str, list[Evidence]]]:
        """Each required item with the documents that cover it (the worksheet's "missing
        evidence" filter reads the same rule: worksheet.selectors.missing_evidence)."""
        items = self.question.evidence_items if self.question is not None else []
        current = [e for e in self if e.removed_at is None]
        return [
            (item, [e for e in current if e.description.casefold() == item.casefold()])
            for item in items
        ]

    @property
    def limits(self) -> Limits:
        return limits()


def evidence_current(
    *, assessment: Assessment, question=None, kind: str = "", include_removed: bool = False
) -> EvidenceList:
    """One query, whatever the number of items. `assessment` must come from the user's scope
    (assessments.selectors.assessment_for_user)."""
    items = assessment.evidence.select_related("uploaded_by", "verdict_by", "removed_by")
    if question is not None:
        items = items.filter(question=question)
    else:
        items = items.filter(kind=kind, question__isnull=True)
    if not include_removed:
        items = items.filter(removed_at__isnull=True)
    return EvidenceList(items.order_by("uploaded_at", "pk"), question)


def panel_context(
    user, assessment: Assessment, *, question=None, kind: str = "", include_removed=False
) -> dict:
    """What templates/assessments/evidence/_panel.html needs."""
    kind = EvidenceKind.ANSWER if question is not None else kind
    uploader = permissions.access(user, assessment).can_change_evidence(kind)
    field_visit = kind == EvidenceKind.FIELD_VISIT
    return {
        "assessment": assessment,
        "question": question,
        "kind": kind,
        "evidence": evidence_current(
            assessment=assessment, question=question, kind=kind, include_removed=include_removed
        ),
        "can_upload": uploader,
        "can_review": not field_visit and permissions.can_review_evidence(user, assessment),
        "upload_locked": not uploader
        and not field_visit
        and permissions.is_unit_member(user, assessment),
        "include_removed": include_removed,
        "attachable": attachable(assessment, question) if uploader and question else [],
    }


def attachable(assessment: Assessment, question) -> list[Evidence]:
    """Files and links already given for the assessment's other items, each once, that this
    item does not have yet: what "attach an uploaded file" offers (one query)."""
    items = (
        assessment.evidence.filter(kind=EvidenceKind.ANSWER, removed_at__isnull=True)
        .exclude(scan_status="infected")
        .select_related("question")
        .order_by("original_name", "url", "uploaded_at")
    )
    have, seen, out = set(), set(), []
    rows = list(items)
    for e in rows:
        if e.question_id == question.pk:
            have.add(e.sha256 or e.url)
    for e in rows:
        key = e.sha256 or e.url
        if e.question_id != question.pk and key not in have and key not in seen:
            seen.add(key)
            out.append(e)
    return out


def evidence_visible_to(user, assessment: Assessment) -> QuerySet[Evidence]:
    """The assessment's evidence rows (current and removed) whose file and metadata the user
    may read. `assessment` must itself come from the user's scope (assessment_for_user); the
    report builders pass the requester, so a PDF or ZIP never holds more than its reader may
    open one by one."""
    kinds = permissions.readable_evidence_kinds(user, assessment)
    return assessment.evidence.filter(kind__in=kinds)
