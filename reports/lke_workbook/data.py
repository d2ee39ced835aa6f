"""What one workbook shows, read before any cell is written: the answers of the layers the
reader may see, each layer's result from the one scoring engine, and the item evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from areas.instrument import Instrument
from areas.results import ScoreResult
from assessments.assessment import LAYER_ORDER, EvidenceKind
from assessments.evidence.links import evidence_download_url
from assessments.models import Answer, Assessment, Evidence, Layer
from assessments.permissions import can_read_evidence, visible_layers
from assessments.stages.awards import prior_predicates
from assessments.worksheet.scores import instrument_of, layer_results


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


def workbook_layers(reader, assessment: Assessment) -> list[str]:
    """The layers a workbook made for `reader` shows: those they may see (None, the command
    line without --as: every layer)."""
    if reader is None:
        return [str(layer) for layer in LAYER_ORDER]
    return [str(layer) for layer in visible_layers(reader, assessment)]


def workbook_data(*, assessment: Assessment, reader, layers: list[str]) -> WorkbookData:
    """One assessment's workbook data: the answers of `layers`, scored by the engine, and the
    item evidence `reader` may read (None: what anyone in the assessment's scope reads)."""
    return workbooks_data([assessment], reader, lambda _assessment: layers)[0]


def workbooks_data(
    assessments: Sequence[Assessment], reader, layers_of: Callable[[Assessment], list[str]]
) -> list[WorkbookData]:
    """The workbook data of several assessments (a period's ZIP reads them in chunks) in three
    queries once the instrument is cached: their answers, their prior predicates, their item
    evidence. Item evidence is what everyone in an assessment's scope reads
    (assessments.permissions.readable_evidence_kinds); it is asked per assessment all the same."""
    layers = {a.pk: list(layers_of(a)) for a in assessments}
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(
            assessment__in=[a.pk for a in assessments],
            layer__in={layer for chosen in layers.values() for layer in chosen},
        )
        .select_related("question")
        .only("assessment_id", "layer", "value", "note", "question__code")
    ):
        if answer.layer in layers[answer.assessment_id]:
            answers[answer.assessment_id].append(answer)
    priors = prior_predicates(assessments)
    evidence = _item_evidence(
        [a for a in assessments if can_read_evidence(reader, a, EvidenceKind.ANSWER)]
    )
    return [
        WorkbookData(
            assessment=a,
            instrument=instrument_of(a),
            layers=layers[a.pk],
            results=layer_results(
                a, layers[a.pk], answers=answers[a.pk], prior_predicate=priors[a.pk]
            ),  # fmt: skip
            answers={(x.question.code, x.layer): x for x in answers[a.pk]},
            evidence=evidence.get(a.pk, {}),
        )
        for a in assessments
    ]


def _item_evidence(assessments: Sequence[Assessment]) -> dict[int, dict[str, list[EvidenceLink]]]:
    """The current item evidence of the assessments, as links, per assessment and item code."""
    out: dict[int, dict[str, list[EvidenceLink]]] = defaultdict(lambda: defaultdict(list))
    items = (
        Evidence.objects.filter(
            assessment__in=[a.pk for a in assessments],
            kind=EvidenceKind.ANSWER,
            removed_at__isnull=True,
            question__isnull=False,
        )  # fmt: skip
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
        )  # fmt: skip
        .order_by("question__code", "uploaded_at", "pk")
    )
    for item in items:
        url = evidence_download_url(item) or item.url
        name = item.original_name or item.description or item.url
        code = item.question.code
        out[item.assessment_id][code].append(
            EvidenceLink(code, name, item.get_verdict_display(), url)
        )
    return {pk: dict(by_code) for pk, by_code in out.items()}


def workbook_title(layers: list[str]) -> str:
    if Layer.TPI in layers:
        return _("LKE hasil reviu TPI")
    return _("LKE hasil penilaian")
