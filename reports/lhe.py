"""LHE (Laporan Hasil Evaluasi) of one assessment as a PDF, rendered with WeasyPrint.

`render_lhe` reads the assessment's data in a fixed number of queries, scores every layer up to
the reported one with the one scoring engine (`assessments.scores.layer_results`), lays the
result out in `templates/reports/lhe.html` and returns the PDF bytes. Numbers keep full
precision until they are formatted here for display (2 decimals, the engine's `display`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from areas import scoring
from areas.labels import DASH, format_score, metric_label
from areas.models import HASIL_GROUP_METRIC, HASIL_SECTIONS, Question, Section
from assessments.assessment import LAYER_ORDER
from assessments.evidence.selectors import evidence_visible_to
from assessments.models import Answer, Assessment, ItemReturn, Layer, TransitionEvent
from assessments.stages.awards import prior_predicate
from assessments.workflow import TRANSITIONS
from assessments.worksheet.scores import instrument_of, layer_results

TEMPLATE = "reports/lhe.html"
SECTION_ORDER = {Section.PEMENUHAN: 0, Section.REFORM: 1, Section.HASIL_1: 2, Section.HASIL_2: 3}
LAYER_COLORS = {
    Layer.SELF: "#7a8793",
    Layer.PRELIMINARY: "#3b7dd8",
    Layer.TPI: "#1f8a5b",
    Layer.TPN: "#c28a12",
}
# Bar chart geometry, in SVG user units (the chart is drawn 44 mm wide).
BAR_FULL, BAR_HEIGHT, BAR_GAP, CHART_WIDTH, CHART_MM = 118, 8, 3, 160, 44

Progress = Callable[[int], None] | None


# --------------------------------------------------------------------------- formatting


def _number(raw) -> str:
    try:
        return formats.number_format(scoring.to_decimal(raw))
    except scoring.AnswerError:
        return str(raw)


def answer_text(question: Question, value) -> str:
    """An answer as entered: an option label, a percent, a survey index or raw inputs."""
    if value is None:
        return DASH
    if isinstance(value, dict):
        inputs = value.get("inputs") or {}
        names = [n for n in question.inputs if n in inputs] + sorted(
            set(inputs) - set(question.inputs)
        )
        return ", ".join(f"{name}={_number(inputs[name])}" for name in names)
    if isinstance(value, str):
        return value
    if question.answer_type == "percent":
        return f"{_number(value)} %"
    return _number(value)


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


# --------------------------------------------------------------------------- report rows


@dataclass
class Cell:
    value: str
    score: str


@dataclass
class ItemRow:
    code: str
    text: str
    cells: list[Cell]
    notes: list[tuple[str, str]]  # (layer label, note) of layers that left one


@dataclass
class IndicatorBlock:
    title: str
    weight: str
    scores: list[str]
    rows: list[ItemRow] = field(default_factory=list)


@dataclass
class SectionBlock:
    title: str
    scores: list[str]
    indicators: list[IndicatorBlock] = field(default_factory=list)


@dataclass
class AreaBlock:
    title: str
    sections: list[SectionBlock] = field(default_factory=list)


@dataclass
class Bar:
    y: int
    width: float
    color: str
    text: str
    text_x: float


@dataclass
class AreaSummary:
    number: int
    name: str
    weight: str
    lines: list[tuple[str, str, list[str]]]  # (label, weight, value per layer)
    bars: list[Bar]
    chart_height: int
    chart_height_mm: float
    thresholds: list[tuple[str, float]]  # (predicate, x) of each area-percent rule


@dataclass
class RuleRow:
    label: str
    value: str
    minimum: str
    passed: bool
    margin: str


# --------------------------------------------------------------------------- data


def _load(assessment: Assessment, layers: list[str], reader) -> dict:
    """Every row the report shows, in one query per table."""
    assessment = Assessment.objects.select_related(
        "unit", "unit__parent", "period", "period__lke_version", "award"
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
            "question", "uploaded_by", "removed_by"
        )
    )
    position = {q.pk: n for n, q in enumerate(questions)}
    evidence.sort(key=lambda e: (position.get(e.question_id, -1), e.uploaded_at, e.pk))
    returns.sort(key=lambda r: (position.get(r.question_id, -1), r.created_at, r.pk))
    events = list(
        TransitionEvent.objects.filter(assessment=assessment)
        .select_related("by")
        .order_by("at", "pk")
    )
    return {
        "assessment": assessment,
        "questions": questions,
        "answers": answers,
        "returns": returns,
        "evidence": evidence,
        "events": events,
    }


def _question_order(question: Question) -> tuple:
    indicator = question.indicator
    area = indicator.area.number if indicator.area_id else 99
    section = SECTION_ORDER.get(indicator.section, 9)
    return (area, section, indicator.number, question.position, question.pk)


# --------------------------------------------------------------------------- summary


def _area_summaries(instrument, results, layers) -> list[AreaSummary]:
    thresholds = [
        (rule.predicate, float(rule.minimum) * BAR_FULL / 100)
        for rule in instrument.predicate_rules
        if rule.metric == scoring.AREA_METRIC and isinstance(rule.minimum, Decimal)
    ]
    out = []
    for index, spec in enumerate(instrument.areas):
        scores = [results[layer].areas[index] for layer in layers]
        lines = [
            (_("Pemenuhan"), format_score(spec.pemenuhan_weight), [
                format_score(s.pemenuhan) for s in scores]),
            (_("Reform"), format_score(spec.reform_weight), [
                format_score(s.reform) for s in scores]),
            (_("Total"), format_score(spec.weight), [format_score(s.total) for s in scores]),
            (_("Persen"), "100", [format_score(s.percent) for s in scores]),
        ]  # fmt: skip
        bars = []
        for n, (layer, area_score) in enumerate(zip(layers, scores, strict=True)):
            width = max(0.0, min(100.0, float(area_score.percent))) * BAR_FULL / 100
            bars.append(
                Bar(
                    y=BAR_GAP + n * (BAR_HEIGHT + BAR_GAP),
                    width=round(width, 2),
                    color=LAYER_COLORS[layer],
                    text=f"{format_score(area_score.percent)} %",
                    text_x=BAR_FULL + 3,
                )
            )
        height = BAR_GAP + len(layers) * (BAR_HEIGHT + BAR_GAP)
        out.append(
            AreaSummary(
                spec.number,
                spec.name,
                format_score(spec.weight),
                lines,
                bars,
                height,
                round(height * CHART_MM / CHART_WIDTH, 2),
                thresholds,
            )
        )
    return out


def _totals(instrument, results, layers) -> list[tuple[str, str, list[str], str]]:
    """(label, weight, value per layer, css class) for the Pengungkit/Hasil/total table."""

    def row(label, weight, values, css=""):
        return (label, format_score(weight), [format_score(v) for v in values], css)

    areas = instrument.areas
    rs = [results[layer] for layer in layers]
    pemenuhan_w = sum((a.pemenuhan_weight for a in areas), Decimal(0))
    reform_w = sum((a.reform_weight for a in areas), Decimal(0))
    hasil_w = sum((h.weight for h in instrument.hasil), Decimal(0))
    rows = [
        row(metric_label("pemenuhan"), pemenuhan_w, [r.pemenuhan for r in rs]),
        row(metric_label("reform"), reform_w, [r.reform for r in rs]),
        row(metric_label("pengungkit"), pemenuhan_w + reform_w, [r.pengungkit for r in rs], "sum"),
    ]
    for group in dict.fromkeys(item.group for item in instrument.hasil):
        items = [item for item in instrument.hasil if item.group == group]
        weight = sum((item.weight for item in items), Decimal(0))
        rows.append(row(metric_label(group), weight, [r.hasil_detail[group] for r in rs]))
        for item in items:
            if item.metric != group:
                values = [r.hasil_detail[item.metric] for r in rs]
                rows.append(row(metric_label(item.metric), item.weight, values, "sub"))
    rows.append(row(metric_label("hasil"), hasil_w, [r.hasil for r in rs], "sum"))
    rows.append(row(metric_label("total"), pemenuhan_w + reform_w + hasil_w,
                    [r.total for r in rs], "grand"))  # fmt: skip
    return rows


def _rule_rows(predicate: scoring.PredicateResult) -> list[RuleRow]:
    def shown(value):
        if value is None:
            return DASH
        return format_score(value) if isinstance(value, Decimal) else str(value)

    return [
        RuleRow(metric_label(r.name), shown(r.value), shown(r.minimum), r.passed, shown(r.margin))
        for r in predicate.rules
    ]


# --------------------------------------------------------------------------- questions


def _question_blocks(instrument, questions, answers, results, layers) -> list[AreaBlock]:
    by_item: dict[int, dict[str, Answer]] = defaultdict(dict)
    for answer in answers:
        by_item[answer.question_id][answer.layer] = answer
    labels = {layer: Layer(layer).label for layer in layers}
    rs = [results[layer] for layer in layers]
    area_names = {a.number: a.name for a in instrument.areas}
    blocks: list[AreaBlock] = []
    for question in questions:
        indicator = question.indicator
        hasil = indicator.section in HASIL_SECTIONS
        area_title = (
            _("Hasil")
            if hasil
            else _("Area %(number)s. %(name)s")
            % {"number": indicator.area.number, "name": area_names[indicator.area.number]}
        )
        if not blocks or blocks[-1].title != area_title:
            blocks.append(AreaBlock(area_title))
        area = blocks[-1]
        if not area.sections or area.sections[-1].title != Section(indicator.section).label:
            area.sections.append(_section_block(indicator, rs))
        section = area.sections[-1]
        if not section.indicators or section.indicators[-1].title != _indicator_title(indicator):
            section.indicators.append(_indicator_block(indicator, rs))
        row_answers = by_item[question.pk]
        cells, notes = [], []
        for layer, result in zip(layers, rs, strict=True):
            answer = row_answers.get(layer)
            cells.append(_cell(instrument, question, answer, result, hasil))
            if answer is not None and answer.note.strip():
                notes.append((labels[layer], answer.note.strip()))
        section.indicators[-1].rows.append(ItemRow(question.code, question.text, cells, notes))
    return blocks


def _section_block(indicator, rs) -> SectionBlock:
    section = indicator.section
    if section in HASIL_SECTIONS:
        metric = HASIL_GROUP_METRIC[section]
        scores = [format_score(r.hasil_detail.get(metric)) for r in rs]
    else:
        number = indicator.area.number
        scores = [
            format_score(getattr(next(a for a in r.areas if a.number == number), section))
            for r in rs
        ]
    return SectionBlock(Section(section).label, scores)


def _indicator_title(indicator) -> str:
    if indicator.section in HASIL_SECTIONS:
        return indicator.name
    return f"{indicator.area.number}.{indicator.number} {indicator.name}"


def _indicator_block(indicator, rs) -> IndicatorBlock:
    if indicator.section in HASIL_SECTIONS:
        # A Hasil item is an indicator of one question: its points show on the item's row.
        scores = [""] * len(rs)
    else:
        key = (indicator.section, indicator.area.number, indicator.number)
        scores = [format_score(r.indicator_scores.get(key)) for r in rs]
    return IndicatorBlock(_indicator_title(indicator), format_score(indicator.weight), scores)


def _cell(instrument, question, answer, result, hasil: bool) -> Cell:
    if answer is None or answer.value is None:
        return Cell(DASH, DASH)
    if hasil:
        score = format_score(scoring.hasil_points(instrument, question.code, answer.value))
    else:
        score = format_score(result.question_scores.get(question.code))
    return Cell(answer_text(question, answer.value), score)


# --------------------------------------------------------------------------- context & render


def lhe_context(*, assessment: Assessment, reader, layer: str = Layer.SELF) -> dict:
    """Everything the template shows (also handy for tests and previews). `reader` is the
    person the file is made for: it lists only the evidence they may read (None: only what
    anyone in the assessment's scope may read)."""
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
    return {
        "assessment": assessment,
        "award": getattr(assessment, "award", None),  # TPN's decision, once granted
        "unit": assessment.unit,
        "period": assessment.period,
        "layer": layers[-1],
        "layer_label": Layer(layers[-1]).label,
        "columns": columns,
        "printed_at": printed_at,
        "footer_left": css_content(
            _("Laporan Hasil Evaluasi · dicetak %(date)s")
            % {"date": formats.date_format(printed_at, "j F Y H:i")}
        ),
        "footer_right": css_content(_("Halaman {page} dari {pages}")),
        "reported_total": format_score(reported.total),
        "area_summaries": _area_summaries(instrument, results, layers),
        "chart_width": CHART_WIDTH,
        "bar_full": BAR_FULL,
        "bar_height": BAR_HEIGHT,
        "totals": _totals(instrument, results, layers),
        "progress_row": [f"{results[x].answered}/{results[x].item_count}" for x in layers],
        "predicates": [
            (name, p.eligible, _rule_rows(p)) for name, p in reported.predicates.items()
        ],
        "blocks": _question_blocks(instrument, data["questions"], data["answers"], results, layers),
        "evidence": data["evidence"],
        "returns": data["returns"],
        "events": [(event, _transition_label(event)) for event in data["events"]],
    }


def _transition_label(event: TransitionEvent) -> str:
    transition = TRANSITIONS.get(event.transition)
    return str(transition.label) if transition else event.transition


def render_lhe(
    *, assessment: Assessment, reader, layer: str = Layer.SELF, progress: Progress = None
) -> bytes:
    """The LHE PDF of `assessment` with every layer up to and including `layer`."""
    from weasyprint import HTML, URLFetcher  # heavy import (Pango): only where a PDF is made

    def report(percent: int) -> None:
        if progress is not None:
            progress(percent)

    report(5)
    context = lhe_context(assessment=assessment, reader=reader, layer=layer)
    report(30)
    html = render_to_string(TEMPLATE, context)
    report(45)
    # Everything is inline; no URL found in the data may make the renderer reach the network.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()
    report(85)
    pdf = document.write_pdf()
    report(100)
    return pdf
