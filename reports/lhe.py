"""LHE (Laporan Hasil Evaluasi) of one assessment as a PDF, rendered with WeasyPrint.

`render_lhe` reads the assessment's data in a fixed number of queries, scores every layer up to
the reported one with the one scoring engine (`assessments.scores.layer_results`), lays the
result out in `templates/reports/lhe.html` and returns the PDF bytes. Numbers keep full
precision until they are formatted here for display (2 decimals, the engine's `display`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from areas.labels import format_score
from areas.models import Question, Section
from assessments.assessment import LAYER_COLORS, LAYER_ORDER
from assessments.evidence.selectors import evidence_visible_to
from assessments.models import (
    Answer,
    Assessment,
    ItemComment,
    ItemReturn,
    Layer,
    TransitionEvent,
)
from assessments.permissions import can_read_field_findings
from assessments.stages.awards import prior_predicate
from assessments.stages.models import FieldVisit
from assessments.workflow import TRANSITIONS
from assessments.worksheet.scores import instrument_of, layer_results
from reports import lhe_blocks
from reports.issuing import signers_of
from reports.letterhead import document_context, letterhead_context
from reports.lhe_blocks import BAR_FULL, BAR_HEIGHT, CHART_WIDTH
from reports.narratives import lhe_narrative

TEMPLATE = "reports/lhe.html"
SECTION_ORDER = {Section.PEMENUHAN: 0, Section.REFORM: 1, Section.HASIL_1: 2, Section.HASIL_2: 3}

Progress = Callable[[int], None] | None


# --------------------------------------------------------------------------- formatting


def css_content(text: str) -> str:
    """`text` as a CSS `content` value; {page} and {pages} become the page counters."""
    parts = []
    for n, piece in enumerate(re.split(r"\{(page|pages)\}", text)):
        if n % 2:
            parts.append(f"counter({piece})")
        elif piece:
            escaped = "".join(
                ch if ch.isalnum() or ch in " .,:;-·()/" else f"\\{ord(ch):x} " for ch in piece
            )
            parts.append(f'"{escaped}"')
    return " ".join(parts) or '""'


def lhe_filename(assessment: Assessment, layer: str) -> str:
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", assessment.unit.code).strip("-") or "unit"
    return f"LHE-{code}-{assessment.period.year}-{layer}.pdf"


def layers_up_to(layer: str) -> list[str]:
    if layer not in LAYER_ORDER:
        raise ValueError(f"unknown layer {layer!r} (expected one of {', '.join(LAYER_ORDER)})")
    return [str(item) for item in LAYER_ORDER[: LAYER_ORDER.index(layer) + 1]]


# --------------------------------------------------------------------------- data


def _related(assessment: Assessment, name: str):
    """A reverse one-to-one read by select_related, or None when there is none."""
    try:
        return getattr(assessment, name)
    except ObjectDoesNotExist:
        return None


def _load(assessment: Assessment, layers: list[str], reader) -> dict:
    """Every row the report shows, in one query per table."""
    assessment = Assessment.objects.select_related(
        "unit", "unit__parent", "period", "period__lke_version", "award", "selection", "appeal"
    ).get(pk=assessment.pk)
    questions = list(
        Question.objects.filter(version=assessment.period.lke_version).select_related(
            "indicator", "indicator__area"
        )
    )
    questions.sort(key=_question_order)
    by_pk = {q.pk: q for q in questions}
    answers = list(Answer.objects.filter(assessment=assessment, layer__in=layers))
    for answer in answers:  # the engine reads answer.question.code; reuse the loaded rows
        answer.question = by_pk[answer.question_id]
    returns = list(
        ItemReturn.objects.filter(assessment=assessment, layer__in=layers).select_related(
            "question", "created_by"
        )
    )
    evidence = list(
        evidence_visible_to(reader, assessment).select_related(
            "question", "uploaded_by", "removed_by", "carried_over_from__assessment__period"
        )
    )
    position = {q.pk: n for n, q in enumerate(questions)}
    evidence.sort(key=lambda e: (position.get(e.question_id, -1), e.uploaded_at, e.pk))
    returns.sort(key=lambda r: (position.get(r.question_id, -1), r.created_at, r.pk))
    # The discussion with the reviewer layers the report covers (the pre-screen's thread is
    # read by everyone in the assessment's scope).
    threads = {*layers, Layer.PRELIMINARY}
    comments = list(
        ItemComment.objects.filter(assessment=assessment, thread__in=threads).select_related(
            "question", "author"
        )
    )
    comments.sort(key=lambda c: (position.get(c.question_id, -1), c.created_at, c.pk))
    events = list(
        TransitionEvent.objects.filter(assessment=assessment)
        .select_related("by")
        .order_by("at", "pk")
    )
    # TPN's field-visit findings: only for a reader who may read them, and only in a report
    # that covers TPN's layer (they belong to TPN's evaluation).
    field_visits = []
    if Layer.TPN in layers and can_read_field_findings(reader, assessment):
        field_visits = list(FieldVisit.objects.filter(assessment=assessment))
    return {
        "field_visits": field_visits,
        "assessment": assessment,
        "questions": questions,
        "answers": answers,
        "returns": returns,
        "comments": comments,
        "evidence": evidence,
        "events": events,
    }


def _question_order(question: Question) -> tuple:
    indicator = question.indicator
    area = indicator.area.number if indicator.area_id else 99
    section = SECTION_ORDER.get(indicator.section, 9)
    return (area, section, indicator.number, question.position, question.pk)


# --------------------------------------------------------------------------- context & render


def lhe_context(*, assessment: Assessment, reader, layer: str = Layer.SELF, issued=None) -> dict:
    """Everything the template shows (also handy for tests and previews). `reader` is the
    person the file is made for: it lists only the evidence they may read (None: only what
    anyone in the assessment's scope may read). `issued`: the IssuedDocument the file is (its
    number, QR code and verification URL are printed), None for a preview."""
    layers = layers_up_to(layer)
    data = _load(assessment, layers, reader)
    assessment = data["assessment"]
    instrument = instrument_of(assessment)
    results = layer_results(
        assessment,
        layers,
        answers=data["answers"],
        prior_predicate=prior_predicate(assessment),
    )
    reported = results[layers[-1]]
    columns = [(layer_, Layer(layer_).label, LAYER_COLORS[layer_]) for layer_ in layers]
    printed_at = timezone.localtime()
    document = document_context(issued)
    footer = _("Laporan Hasil Evaluasi · dicetak %(date)s") % {
        "date": formats.date_format(printed_at, "j F Y H:i")
    }
    if document:
        footer = f"{document['number']} · {footer}"
    return {
        "assessment": assessment,
        "award": getattr(assessment, "award", None),  # TPN's decision, once granted
        # TPN's administrative selection and the unit's sanggah, once there are any.
        "selection": _related(assessment, "selection"),
        "appeal": _related(assessment, "appeal"),
        "unit": assessment.unit,
        "period": assessment.period,
        "layer": layers[-1],
        "layer_label": Layer(layers[-1]).label,
        "columns": columns,
        "printed_at": printed_at,
        "footer_left": css_content(footer),
        "footer_right": css_content(_("Halaman {page} dari {pages}")),
        "reported_total": format_score(reported.total),
        "area_summaries": lhe_blocks.area_summaries(instrument, results, layers),
        "chart_width": CHART_WIDTH,
        "bar_full": BAR_FULL,
        "bar_height": BAR_HEIGHT,
        "totals": lhe_blocks.totals(instrument, results, layers),
        "progress_row": [f"{results[x].answered}/{results[x].item_count}" for x in layers],
        "predicates": [
            (name, p.eligible, lhe_blocks.rule_rows(p)) for name, p in reported.predicates.items()
        ],
        "blocks": lhe_blocks.question_blocks(
            instrument, data["questions"], data["answers"], results, layers
        ),
        "evidence": data["evidence"],
        "returns": data["returns"],
        "comments": data["comments"],
        "events": [(event, _transition_label(event)) for event in data["events"]],
        "letterhead": letterhead_context(),
        "document": document,
        "narrative": lhe_narrative(assessment, layers[-1], instrument.areas),
        "field_visits": data["field_visits"],
        "signers": signers_of(assessment, layers[-1], events=data["events"]),
    }


def _transition_label(event: TransitionEvent) -> str:
    transition = TRANSITIONS.get(event.transition)
    return str(transition.label) if transition else event.transition


def render_lhe(
    *,
    assessment: Assessment,
    reader,
    layer: str = Layer.SELF,
    progress: Progress = None,
    issued=None,
) -> bytes:
    """The LHE PDF of `assessment` with every layer up to and including `layer`."""
    from weasyprint import HTML, URLFetcher  # heavy import (Pango): only where a PDF is made

    def report(percent: int) -> None:
        if progress is not None:
            progress(percent)

    report(5)
    context = lhe_context(assessment=assessment, reader=reader, layer=layer, issued=issued)
    report(30)
    html = render_to_string(TEMPLATE, context)
    report(45)
    # Everything is inline; no URL found in the data may make the renderer reach the network.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
    report(85)
    pdf = document.write_pdf()
    report(100)
    return pdf
