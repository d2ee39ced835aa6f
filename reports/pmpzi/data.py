"""One proposed unit's package for KemenPAN-RB's PMPZI as a plain, versioned dict: the unit,
the period, the TPI layer's answers and the one scoring engine's result of them, and the item
evidence as links to the portal's authorised download. Decimals are strings (exact), dates
ISO 8601. The shape is documented in schema.json beside this file; a change to it is a new
VERSION."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from areas.instrument import Instrument
from areas.results import ScoreResult
from assessments.assessment import EvidenceKind
from assessments.evidence.links import evidence_download_url
from assessments.models import Answer, Assessment, Evidence, Layer, Status
from assessments.permissions import can_read_evidence
from assessments.selectors import StageDates, stage_dates
from assessments.stages.awards import prior_predicates
from assessments.worksheet.scores import instrument_of, layer_results
from notifications.emails import absolute_url
from units.models import Unit

FORMAT = "zi-portal/pmpzi"
VERSION = 1

ANSWER = EvidenceKind.ANSWER
# The statuses an evaluator asks about, each with the last time the assessment entered it
# (assessments.selectors.StageDates: the reading the API's stage dates make too).
STAGE_STATUSES = {
    "submitted_at": Status.SUBMITTED,
    "tpi_passed_at": Status.TPI_PASSED,
    "proposed_at": Status.PROPOSED,
}


def portal_url() -> str:
    """The portal's public address (settings.PORTAL_BASE_URL), as every link is built."""
    return absolute_url("/")


def number(value: Decimal | str | None) -> str | None:
    """A Decimal as its exact string in plain notation (never "1E+1"); a predicate name (str)
    or None unchanged."""
    return format(value, "f") if isinstance(value, Decimal) else value


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def units_data(assessments: Sequence[Assessment], reader) -> list[dict[str, Any]]:
    """The package dicts of several assessments of one period, in five queries whatever their
    number (the instrument cached): TPI answers, prior predicates, item evidence, the units'
    ancestors and the stage events. `reader` None (the command line) reads all evidence."""
    if not assessments:
        return []
    ids = [a.pk for a in assessments]
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(assessment__in=ids, layer=Layer.TPI)
        .select_related("question")
        .only("assessment_id", "layer", "value", "note", "question__code")
    ):
        answers[answer.assessment_id].append(answer)
    priors = prior_predicates(assessments)
    evidence = _item_evidence(
        [a for a in assessments if reader is None or can_read_evidence(reader, a, ANSWER)]
    )
    ancestors = _ancestors(assessments)
    stages = stage_dates(assessments)
    out = []
    for a in assessments:
        instrument = instrument_of(a)
        mine = answers[a.pk]
        result = layer_results(a, [Layer.TPI], answers=mine, prior_predicate=priors[a.pk])
        out.append(
            {
                "format": FORMAT,
                "version": VERSION,
                "unit": _unit(a.unit, ancestors),
                "period": {
                    "year": a.period.year,
                    "name": a.period.name,
                    "lke_version": a.period.lke_version.name,
                    "instrument": instrument.version,
                },
                "assessment": _assessment(a, stages[a.pk], priors[a.pk]),
                "tpi": _tpi(instrument, mine, result[Layer.TPI]),
                "evidence": evidence.get(a.pk, []),
            }
        )
    return out


def _unit(unit: Unit, ancestors: dict[int, Unit]) -> dict[str, Any]:
    chain = [ancestors[pk] for pk in unit.ancestor_ids if pk in ancestors]
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "madrasah_level": unit.madrasah_level or None,
        "province": unit.province or None,
        "parents": [  # from the top of the tree down to the direct parent
            {"code": p.code, "name": p.name, "kind": p.kind} for p in chain
        ],
    }


def _ancestors(assessments: Sequence[Assessment]) -> dict[int, Unit]:
    wanted = {pk for a in assessments for pk in a.unit.ancestor_ids}
    return {u.pk: u for u in Unit.objects.filter(pk__in=wanted).only("code", "name", "kind")}


def _assessment(a: Assessment, stages: StageDates, prior: str | None) -> dict[str, Any]:
    declaration = getattr(a, "declaration", None)
    period = a.period
    return {
        "status": a.status,
        "status_label": a.get_status_display(),
        "predicate_proposed": a.target_predicate,
        "prior_predicate": prior,
        "proposal_justification": a.proposal_override_note or None,
        "stage_dates": {
            "declared_on": _date(declaration.declared_on) if declaration else None,
            **{name: _date(stages.last_entered(status)) for name, status in STAGE_STATUSES.items()},
        },
        "period_deadlines": {
            stage: _date(getattr(period, f"deadline_{stage}"))
            for stage in ("pencanangan", "pembangunan", "penilaian", "pengusulan", "evaluasi")
        },
    }


def _tpi(instrument: Instrument, answers: list[Answer], result: ScoreResult) -> dict[str, Any]:
    """Every item of the instrument with TPI's answer (null when none) and the engine's score
    of it: q in [0, 1] for a question, the points for a Hasil item."""
    by_code = {answer.question.code: answer for answer in answers}
    items = []
    for q in instrument.questions:
        items.append(_item(q.code, q.section, q.area, q.indicator, by_code.get(q.code),
                           result.question_scores.get(q.code)))  # fmt: skip
    for h in instrument.hasil:
        points = result.hasil_detail.get(h.metric)  # null below while unanswered
        items.append(_item(h.code, "hasil", None, None, by_code.get(h.code), points))
    answered = any(answer.value is not None for answer in answers)
    return {
        "answered": answered,
        "items": items,
        "scores": _scores(result) if answered else None,
    }


def _item(code, section, area, indicator, answer: Answer | None, score) -> dict[str, Any]:
    has_value = answer is not None and answer.value is not None
    return {
        "code": code,
        "section": section,
        "area": area,
        "indicator": indicator,
        "value": answer.value if answer is not None else None,
        "note": answer.note if answer is not None else "",
        "score": number(score) if has_value else None,
    }


def _scores(result: ScoreResult) -> dict[str, Any]:
    return {
        "areas": [
            {
                "number": a.number,
                "name": a.name,
                "weight": number(a.weight),
                "pemenuhan": number(a.pemenuhan),
                "reform": number(a.reform),
                "total": number(a.total),
                "percent": number(a.percent),
            }
            for a in result.areas
        ],
        "pemenuhan": number(result.pemenuhan),
        "reform": number(result.reform),
        "pengungkit": number(result.pengungkit),
        "hasil": number(result.hasil),
        "hasil_detail": {key: number(value) for key, value in result.hasil_detail.items()},
        "total": number(result.total),
        "answered": result.answered,
        "item_count": result.item_count,
        "predicates": {
            name: {
                "eligible": predicate.eligible,
                "rules": [
                    {
                        "rule": rule.name,
                        "value": number(rule.value),
                        "minimum": number(rule.minimum),
                        "passed": rule.passed,
                        "margin": number(rule.margin),
                    }
                    for rule in predicate.rules
                ],
            }
            for name, predicate in result.predicates.items()
        },
    }


def _item_evidence(assessments: Sequence[Assessment]) -> dict[int, list[dict[str, Any]]]:
    """The current item evidence of the assessments: metadata and a link, never the bytes. A
    file is linked through the portal's download view (which checks who asks), never storage."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not assessments:
        return out
    items = (
        Evidence.objects.filter(
            assessment__in=[a.pk for a in assessments],
            kind=EvidenceKind.ANSWER,
            removed_at__isnull=True,
            question__isnull=False,
        )
        .select_related("question", "requirement")
        .only(
            "pk",
            "assessment_id",
            "file",
            "url",
            "original_name",
            "description",
            "size",
            "sha256",
            "uploaded_at",
            "verdict",
            "document_date",
            "question__code",
            "requirement__label",
        )  # fmt: skip
        .order_by("question__code", "uploaded_at", "pk")
    )
    for item in items:
        out[item.assessment_id].append(
            {
                "item": item.question.code,
                "label": item.requirement.label if item.requirement else item.description,
                "file_name": item.original_name or None,
                "size": item.size if item.file else None,
                "sha256": item.sha256 or None,
                "uploaded_at": item.uploaded_at.isoformat(),
                "document_date": _date(item.document_date),
                "verdict": item.verdict,
                "download_url": evidence_download_url(item),
                "external_url": None if item.file else item.url,
            }
        )
    return out
