"""What the LKE evaluation report (LHE) draws: the area summary with its bars, the totals, the
predicate rules, and every item in its area, indicator and section with each layer's answer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from areas import labels, scoring
from areas.labels import DASH, format_score, metric_label
from areas.models import HASIL_GROUP_METRIC, HASIL_SECTIONS, Question, Section
from areas.results import PredicateResult
from assessments.assessment import LAYER_COLORS
from assessments.models import Answer, Layer

# Bar chart geometry, in SVG user units (the chart is drawn 44 mm wide).
BAR_FULL, BAR_HEIGHT, BAR_GAP, CHART_WIDTH, CHART_MM = 118, 8, 3, 160, 44


def answer_text(question: Question, value) -> str:
    return labels.answer_text(value, question)


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


def area_summaries(instrument, results, layers) -> list[AreaSummary]:
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


def totals(instrument, results, layers) -> list[tuple[str, str, list[str], str]]:
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


def rule_rows(predicate: PredicateResult) -> list[RuleRow]:
    def shown(value):
        if value is None:
            return DASH
        return format_score(value) if isinstance(value, Decimal) else str(value)

    return [
        RuleRow(metric_label(r.name), shown(r.value), shown(r.minimum), r.passed, shown(r.margin))
        for r in predicate.rules
    ]


def question_blocks(instrument, questions, answers, results, layers) -> list[AreaBlock]:
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
