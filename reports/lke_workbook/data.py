"""What one workbook shows, read before any cell is written: the answers of the layers the
reader may see, each layer's result from the one scoring engine, and the item evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.instrument import Instrument
from areas.results import ScoreResult
from assessments.assessment import EvidenceKind
from assessments.evidence.selectors import evidence_visible_to
from assessments.models import Answer, Assessment, Layer
from assessments.stages.awards import prior_predicate
from assessments.worksheet.scores import instrument_of, layer_results
from notifications.emails import absolute_url


@dataclass(frozen=True)
class EvidenceLink:
    code: str
    name: str
    verdict: str
    url: str


@dataclass
class WorkbookData:
    """Everything one workbook shows, read before any cell is written."""

    assessment: Assessment
    instrument: Instrument
    layers: list[str]
    results: dict[str, ScoreResult]
    answers: dict[tuple[str, str], Answer]  # (question code, layer)
    evidence: dict[str, list[EvidenceLink]] = field(default_factory=dict)
    printed_at: datetime = field(default_factory=timezone.localtime)


def workbook_filename(assessment: Assessment) -> str:
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", assessment.unit.code).strip("-") or "unit"
    return f"LKE-{code}-{assessment.period.year}.xlsx"


def workbook_data(*, assessment: Assessment, reader, layers: list[str]) -> WorkbookData:
    """The assessment's answers of `layers`, scored by the engine, and the item evidence
    `reader` may read (None: what anyone in the assessment's scope reads). Three queries once
    the instrument is cached."""
    answers = list(
        Answer.objects.filter(assessment=assessment, layer__in=layers)
        .select_related("question")
        .only("assessment_id", "layer", "value", "note", "question__code")
    )
    results = layer_results(
        assessment, layers, answers=answers, prior_predicate=prior_predicate(assessment)
    )
    items = (
        evidence_visible_to(reader, assessment)
        .filter(kind=EvidenceKind.ANSWER, removed_at__isnull=True, question__isnull=False)
        .select_related("question")
        .only(
            "pk",
            "assessment_id",
            "file",
            "url",
            "original_name",
            "description",
            "verdict",
            "question__code",
        )
        .order_by("question__code", "uploaded_at", "pk")
    )
    evidence: dict[str, list[EvidenceLink]] = defaultdict(list)
    for item in items:
        if item.file:
            url = absolute_url(
                reverse("assessments:evidence_download", args=[assessment.pk, item.pk])
            )
        else:
            url = item.url
        name = item.original_name or item.description or item.url
        code = item.question.code
        evidence[code].append(EvidenceLink(code, name, item.get_verdict_display(), url))
    return WorkbookData(
        assessment=assessment,
        instrument=instrument_of(assessment),
        layers=list(layers),
        results=results,
        answers={(a.question.code, a.layer): a for a in answers},
        evidence=dict(evidence),
    )


def workbook_title(layers: list[str]) -> str:
    if Layer.TPI in layers:
        return _("LKE hasil reviu TPI")
    return _("LKE hasil penilaian")
