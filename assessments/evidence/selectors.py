"""Reading evidence: an item's list with its required-evidence checklist, and what the
evidence panel shows."""

from __future__ import annotations

from functools import cached_property

from django.db.models import QuerySet

from assessments import permissions
from assessments.assessment import Assessment, EvidenceKind
from assessments.evidence.coverage import Fact, coverage, entry_for
from assessments.evidence.limits import Limits, limits
from assessments.evidence.models import Evidence


class EvidenceList(list):
    """The evidence of one question (or stage document), with the question's evidence
    dictionary: each entry's coverage (assessments.evidence.coverage) and its documents."""

    def __init__(self, items, question=None, year: int = 0):
        super().__init__(items)
        self.question = question
        self.year = year

    @cached_property
    def checklist(self) -> list[tuple[object, list[Evidence]]]:
        """Each entry's coverage with the current documents given for it (the worksheet's
        card and "missing evidence" filter read the same rule)."""
        if self.question is None:
            return []
        entries = list(self.question.evidence_requirements.all())
        current = [e for e in self if e.removed_at is None]
        facts = [
            Fact(e.question_id, e.requirement_id, e.description, e.verdict, e.document_date)
            for e in current
        ]
        return [
            (entry, [e for e in current if entry_for(entries, e.requirement_id, e.description)
                     is entry.requirement])
            for entry in coverage(entries, facts, self.year)
        ]  # fmt: skip

    @property
    def limits(self) -> Limits:
        return limits()


def evidence_current(
    *, assessment: Assessment, question=None, kind: str = "", include_removed: bool = False
) -> EvidenceList:
    """One query, whatever the number of items. `assessment` must come from the user's scope
    (assessments.selectors.assessment_for_user)."""
    items = assessment.evidence.select_related(
        "uploaded_by", "verdict_by", "removed_by", "requirement",
        "carried_over_from__assessment__period",
    )  # fmt: skip
    if question is not None:
        items = items.filter(question=question)
    else:
        items = items.filter(kind=kind, question__isnull=True)
    if not include_removed:
        items = items.filter(removed_at__isnull=True)
    return EvidenceList(items.order_by("uploaded_at", "pk"), question, assessment.period.year)


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
        **_carry_context(assessment, question if uploader else None),
    }


def _carry_context(assessment: Assessment, question) -> dict:
    """The entries that allow carry-over and the previous period's accepted documents of the
    item, for "bring from the previous period" (no query unless an entry allows it)."""
    entries = [e for e in question.evidence_requirements.all() if e.carry_over_allowed] if (
        question is not None
    ) else []  # fmt: skip
    if not entries:
        return {"carry_entries": [], "carryable": []}
    from assessments.evidence.carry import carry_candidates

    return {"carry_entries": entries, "carryable": carry_candidates(assessment, question)}


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
