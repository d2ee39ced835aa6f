"""The bridge between the stored instrument (areas.models) and the pure engine (areas.scoring).

`instrument_for(version)` reads a version in five queries and returns the engine's plain data;
published versions never change, so each process keeps them once built. `version_from_instrument`
stores an engine instrument (e.g. the shipped LKE 90/2021 YAML) as a new version.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from areas import evidence_dictionary
from areas.instrument import (
    AreaSpec,
    HasilItemSpec,
    IndicatorSpec,
    Instrument,
    OptionSpec,
    PredicateRuleSpec,
    QuestionSpec,
)
from areas.instrument_yaml import DEFAULT_PREDICATES
from areas.models import (
    HASIL_GROUP_METRIC,
    HASIL_SECTIONS,
    Area,
    Indicator,
    LkeVersion,
    Option,
    PredicateRule,
    Question,
    Section,
    VersionStatus,
)
from areas.texts import AREA_TEXTS, DEFAULT_CRITERIA

# Canonical labels and scores of each answer type (README "Scoring"); options are checked
# against the labels, while scores stay editable per question.
ANSWER_TYPE_OPTIONS: dict[str, tuple[OptionSpec, ...]] = {
    "yes_no": (OptionSpec("Ya", Decimal(1)), OptionSpec("Tidak", Decimal(0))),
    "abc": tuple(OptionSpec(k, Decimal(v)) for k, v in zip("ABC", ("1", "0.5", "0"), strict=True)),
    "abcd": tuple(
        OptionSpec(k, Decimal(v)) for k, v in zip("ABCD", ("1", "0.67", "0.33", "0"), strict=True)
    ),
    "abcde": tuple(
        OptionSpec(k, Decimal(v))
        for k, v in zip("ABCDE", ("1", "0.75", "0.5", "0.25", "0"), strict=True)
    ),
    "percent": (),
    "survey_index": (),
}

# Keyed by the publication time as well as the id, as areas.selectors.version_parts: a version
# stored again under a reused id (SQLite reuses the highest id after a rollback) is read afresh.
_published_cache: dict[tuple[int, object], Instrument] = {}


def instrument_for(version: LkeVersion) -> Instrument:
    key = (version.pk, version.published_at)
    if version.status == VersionStatus.PUBLISHED and key in _published_cache:
        return _published_cache[key]
    instrument = _build(version)
    if version.status == VersionStatus.PUBLISHED:
        _published_cache[key] = instrument
    return instrument


def _options(question: Question) -> tuple[OptionSpec, ...]:
    return tuple(OptionSpec(o.label, o.score) for o in question.options.all())


def _build(version: LkeVersion) -> Instrument:
    areas = list(version.areas.order_by("number"))
    area_numbers = {area.pk: area.number for area in areas}
    indicators = list(version.indicators.order_by("section", "area__number", "number"))
    questions_by_indicator: dict[int, list[Question]] = defaultdict(list)
    for question in version.questions.prefetch_related("options").order_by("position", "pk"):
        questions_by_indicator[question.indicator_id].append(question)

    indicator_specs, question_specs, hasil_specs = [], [], []
    for indicator in indicators:
        questions = questions_by_indicator[indicator.pk]
        if indicator.section in HASIL_SECTIONS:
            hasil_specs += [_hasil_spec(indicator, q) for q in questions]
            continue
        area = area_numbers[indicator.area_id]
        indicator_specs.append(
            IndicatorSpec(
                indicator.section,
                area,
                indicator.number,
                indicator.name,
                indicator.weight,
                tuple(q.code for q in questions),
            )
        )
        question_specs += [
            QuestionSpec(
                code=q.code,
                section=indicator.section,
                area=area,
                indicator=indicator.number,
                answer_type=q.answer_type,
                text=q.text,
                options=_options(q),
                inputs=tuple(q.inputs),
                formula=q.formula or None,
            )
            for q in questions
        ]
    return Instrument(
        version=str(version.pk),
        title=version.name,
        areas=tuple(AreaSpec(a.number, a.name, a.pemenuhan_weight, a.reform_weight) for a in areas),
        indicators=tuple(indicator_specs),
        questions=tuple(question_specs),
        hasil=tuple(sorted(hasil_specs, key=lambda h: h.code)),
        predicate_rules=tuple(
            PredicateRuleSpec(r.predicate, r.metric, r.minimum_predicate or r.minimum)
            for r in version.predicate_rules.order_by("position", "pk")
        ),
        predicates=DEFAULT_PREDICATES,
        answer_types=ANSWER_TYPE_OPTIONS,
    )


def _hasil_spec(indicator: Indicator, question: Question) -> HasilItemSpec:
    return HasilItemSpec(
        code=question.code,
        group=HASIL_GROUP_METRIC[indicator.section],
        group_name=Section(indicator.section).label,
        metric=question.metric,
        name=question.text,
        answer_type=question.answer_type,
        weight=indicator.weight,
        options=_options(question),
    )


# --------------------------------------------------------------------------- storing


def _hasil_section(item: HasilItemSpec) -> str:
    return next(s for s, metric in HASIL_GROUP_METRIC.items() if metric == item.group)


@transaction.atomic
def version_from_instrument(
    instrument: Instrument,
    *,
    name: str,
    regulation: str,
    year: int,
    status: str = VersionStatus.DRAFT,
    created_by=None,
    required_evidence: dict[str, list[str]] | None = None,
) -> LkeVersion:
    version = LkeVersion.objects.create(
        name=name,
        regulation=regulation,
        year=year,
        status=status,
        created_by=created_by,
        published_at=timezone.now() if status == VersionStatus.PUBLISHED else None,
    )
    areas = {
        spec.number: Area(
            version=version,
            number=spec.number,
            name=spec.name,
            pemenuhan_weight=spec.pemenuhan_weight,
            reform_weight=spec.reform_weight,
            purpose=AREA_TEXTS.get(spec.number, ("", ""))[0],
            examples=AREA_TEXTS.get(spec.number, ("", ""))[1],
        )
        for spec in instrument.areas
    }
    Area.objects.bulk_create(areas.values())
    questions = {q.code: q for q in instrument.questions}
    indicators, question_rows, options = [], [], []
    for spec in instrument.indicators:
        indicator = Indicator(
            version=version,
            section=spec.section,
            area=areas[spec.area],
            number=spec.number,
            name=spec.name,
            weight=spec.weight,
        )
        indicators.append(indicator)
        for position, code in enumerate(spec.questions):
            q = questions[code]
            question_rows.append(
                (
                    indicator,
                    Question(
                        version=version,
                        code=code,
                        position=position,
                        text=q.text,
                        answer_type=q.answer_type,
                        inputs=list(q.inputs),
                        formula=q.formula or "",
                    ),
                    q.options,
                )
            )
    for number, item in enumerate(instrument.hasil, start=1):
        indicator = Indicator(
            version=version,
            section=_hasil_section(item),
            area=None,
            number=number,
            name=item.name,
            weight=item.weight,
        )
        indicators.append(indicator)
        question_rows.append(
            (
                indicator,
                Question(
                    version=version,
                    code=item.code,
                    position=0,
                    text=item.name,
                    answer_type=item.answer_type,
                    metric=item.metric,
                ),
                item.options,
            )
        )
    Indicator.objects.bulk_create(indicators)
    for indicator, question, _ in question_rows:
        question.indicator = indicator
    for _, question, _ in question_rows:
        question.required_evidence = "\n".join((required_evidence or {}).get(question.code, []))
    Question.objects.bulk_create([q for _, q, _ in question_rows])
    evidence_dictionary.create_from_text(q for _, q, _ in question_rows)
    for _, question, specs in question_rows:
        criteria = DEFAULT_CRITERIA.get(question.answer_type, {})
        options += [
            Option(
                question=question,
                position=position,
                label=o.label,
                score=o.score,
                criteria=criteria.get(o.label, ""),
            )
            for position, o in enumerate(specs)
        ]
    Option.objects.bulk_create(options)
    PredicateRule.objects.bulk_create(
        PredicateRule(
            version=version,
            position=position,
            predicate=rule.predicate,
            metric=rule.metric,
            minimum=None if isinstance(rule.minimum, str) else rule.minimum,
            minimum_predicate=rule.minimum if isinstance(rule.minimum, str) else "",
        )
        for position, rule in enumerate(instrument.predicate_rules)
    )
    return version
