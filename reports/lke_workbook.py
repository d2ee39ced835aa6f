"""The official LKE workbook ("LKE hasil reviu TPI") of one assessment as XLSX, in the layout
evaluators use: a Rekap sheet, one sheet per area, the Hasil sheet and the list of evidence.

Each item's score is a formula of the answer typed in its row (the option table of the item,
a percent, the raw counts of a numeric item, a survey index); every aggregation above it
(indicator, section, area, Pengungkit, Hasil, total) is a formula over cells holding the
instrument's weights, the same arithmetic as the one scoring engine (areas.scoring). A
spreadsheet program therefore recomputes the portal's totals; each formula also carries the
engine's value, so viewers that do not recalculate show them too. The layers shown are the ones
the reader may see (assessments.permissions.visible_layers, decided by reports.kinds).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areas import scoring
from areas.instrument import Instrument
from areas.results import ScoreResult
from assessments.assessment import EvidenceKind
from assessments.evidence.selectors import evidence_visible_to
from assessments.models import Answer, Assessment, Layer
from assessments.stages.awards import prior_predicate
from assessments.worksheet.scores import instrument_of, layer_results
from notifications.emails import absolute_url

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        .only("pk", "file", "url", "original_name", "description", "verdict", "question__code")
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


def render_workbook(data: WorkbookData, *, cached: bool = True) -> bytes:
    """The XLSX bytes. `cached=False` leaves the formulas without the engine's values (the
    test that recomputes them in LibreOffice uses it, so nothing is read back unrecomputed)."""
    from reports.lke_workbook_sheets import write_workbook

    buffer = io.BytesIO()
    write_workbook(buffer, data, cached=cached)
    return buffer.getvalue()


def workbook_title(layers: list[str]) -> str:
    if Layer.TPI in layers:
        return _("LKE hasil reviu TPI")
    return _("LKE hasil penilaian")


# --------------------------------------------------------------------------- formulas
# The spreadsheet twin of each numeric formula of areas.scoring.FORMULAS, by the same name:
# a function of the input cells (by input name) giving the ratio in [0, 1]. A formula without
# a twin is written as the engine's value (tests/reports/test_lke_workbook.py checks that
# every formula has one).


def _ratio(numerator: str, denominator: str, when_empty: str = "0") -> Callable:
    def formula(cells: Mapping[str, str]) -> str:
        top, bottom = cells[numerator], cells[denominator]
        return f"IF({bottom}=0,{when_empty},MIN(MAX({top}/{bottom},0),1))"

    return formula


def _violation_reduction(cells: Mapping[str, str]) -> str:
    last, this = cells["violations_last_year"], cells["violations_this_year"]
    return f"IF(AND({last}=0,{this}=0),1,IF({last}=0,0,MIN(MAX(({last}-{this})/{last},0),1)))"


SPREADSHEET_FORMULAS: dict[str, Callable[[Mapping[str, str]], str]] = {
    "changes_per_agent": _ratio("changes", "agents"),
    "integrated_per_change": _ratio("integrated", "changes"),
    "violation_reduction": _violation_reduction,
    "targets_achieved": _ratio("achieved", "targets"),
    "complaints_completed": _ratio("completed", "to_follow_up", "1"),
    "filed_per_obliged": _ratio("filed", "obliged"),
    "services_simplified": _ratio("simplified", "registered"),
}


def number_text(value: Decimal) -> str:
    """A weight or option score as a formula literal: 0.67, 1, 17.5."""
    text = format(value.normalize(), "f")
    return text


def text_literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def choice_formula(answer_cell: str, options: Mapping[str, Decimal]) -> str:
    """The item's option table as nested IFs (as the regulator's LKE writes it); an answer
    that is no option (or none) scores 0, as an unanswered item does in the engine."""
    expression = "0"
    for label, value in reversed(list(options.items())):
        expression = f"IF({answer_cell}={text_literal(label)},{number_text(value)},{expression})"
    return expression


def percent_formula(answer_cell: str) -> str:
    return f"IF(ISNUMBER({answer_cell}),MIN(MAX({answer_cell}/100,0),1),0)"


def survey_formula(answer_cell: str, weight_cell: str) -> str:
    return f"IF(ISNUMBER({answer_cell}),{answer_cell}*{weight_cell}/{scoring.SURVEY_MAX},0)"


def engine_number(raw) -> float | None:
    """A stored number (percent, count, index) as the engine reads it."""
    try:
        return float(scoring.to_decimal(raw))
    except scoring.AnswerError:
        return None
