"""Load an LKE instrument from its YAML description into the plain dataclasses of areas.scoring.

No Django here: the scoring CLI, tests and the admin import path all build instruments this way.
What the YAML does not carry (raw-input formulas, hasil metric keys, predicate rules) is defined
below as default data from PermenPAN-RB 90/2021 (see /work/shared/domain/README.md); a YAML
file may override each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from areas.instrument import (
    AreaSpec,
    HasilItemSpec,
    IndicatorSpec,
    Instrument,
    OptionSpec,
    PredicateRuleSpec,
    QuestionSpec,
)
from areas.scoring import (
    AREA_METRIC,
    BASE_METRICS,
    FORMULAS,
    PERCENT,
    PRIOR_METRIC,
    SECTIONS,
    SURVEY_INDEX,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "lke-2021.yaml"

# README "Numeric Reform questions": the raw counts asked and the named formula over them.
DEFAULT_NUMERIC: Mapping[str, tuple[tuple[str, ...], str]] = {
    "R1.1.a": (("agents", "changes"), "changes_per_agent"),
    "R1.1.b": (("changes", "integrated"), "integrated_per_change"),
    "R3.3.a": (
        ("violations_last_year", "violations_this_year", "violations_sanctioned"),
        "violation_reduction",
    ),
    "R4.1.a": (("targets", "achieved"), "targets_achieved"),
    "R5.2.a": (("to_follow_up", "in_process", "completed"), "complaints_completed"),
    "R5.3.a": (("obliged", "filed"), "filed_per_obliged"),
    "R5.3.b": (("obliged", "filed"), "filed_per_obliged"),
    "R6.1.b": (("registered", "simplified"), "services_simplified"),
}

# Lowest first; WBBM is only for a unit already holding WBK.
DEFAULT_PREDICATES: tuple[str, ...] = ("WBK", "WBBM")

# Hasil item code -> (group metric, item metric); the keys the predicate rules refer to.
DEFAULT_HASIL_METRICS: Mapping[str, tuple[str, str]] = {
    "H1.1.a": ("birokrasi_bersih", "ipak"),
    "H1.2.a": ("birokrasi_bersih", "capaian"),
    "H2.1.a": ("pelayanan_prima", "pelayanan_prima"),
}


def _rules(predicate: str, *pairs: tuple[str, str]) -> tuple[PredicateRuleSpec, ...]:
    return tuple(
        PredicateRuleSpec(predicate, metric, Decimal(minimum)) for metric, minimum in pairs
    )


# README "Predicate rules" table, in its order (the order failures are reported in).
# area_percent minimums are percent of each area's weight; IPAK 15.75 = survey 3.60 of 4.
DEFAULT_PREDICATE_RULES: tuple[PredicateRuleSpec, ...] = (
    *_rules(
        "WBK",
        ("total", "75"),
        ("pengungkit", "40"),
        (AREA_METRIC, "60"),
        ("birokrasi_bersih", "18.25"),
        ("ipak", "15.75"),
        ("capaian", "2.50"),
        ("pelayanan_prima", "14.00"),
    ),
    *_rules(
        "WBBM",
        ("total", "85"),
        ("pengungkit", "48"),
        (AREA_METRIC, "75"),
        ("birokrasi_bersih", "19.50"),
        ("ipak", "15.75"),
        ("capaian", "3.75"),
        ("pelayanan_prima", "15.75"),
    ),
    PredicateRuleSpec("WBBM", PRIOR_METRIC, "WBK"),  # WBBM only for a unit already WBK
)

# Regulation totals: Pengungkit 60 (Pemenuhan 30 + Reform 30) + Hasil 40 = 100.
EXPECTED_TOTALS: Mapping[str, Decimal] = {
    "pemenuhan": Decimal(30),
    "reform": Decimal(30),
    "hasil": Decimal(40),
    "total": Decimal(100),
}


def _dec(value: Any) -> Decimal:
    # YAML gives floats (0.67); str() keeps their written form instead of the binary expansion.
    return Decimal(str(value))


def _answer_types(raw: Mapping[str, Any]) -> dict[str, tuple[OptionSpec, ...]]:
    """Option tables per type; numeric types (described by a string) have no options."""
    return {
        name: tuple(OptionSpec(str(label), _dec(s)) for label, s in table.items())
        if isinstance(table, Mapping)
        else ()
        for name, table in raw.items()
    }


def _question(
    raw: Mapping[str, Any],
    section: str,
    area: int,
    indicator: int,
    types: Mapping[str, tuple[OptionSpec, ...]],
) -> QuestionSpec:
    code, answer_type = str(raw["code"]), str(raw["type"])
    default_inputs, default_formula = DEFAULT_NUMERIC.get(code, ((), None))
    return QuestionSpec(
        code=code,
        section=section,
        area=area,
        indicator=indicator,
        answer_type=answer_type,
        text=str(raw.get("text", "")),
        options=types.get(answer_type, ()),
        inputs=tuple(raw.get("inputs", default_inputs)),
        formula=raw.get("formula", default_formula),
    )


def _section(
    section: str,
    raw_areas: Iterable[Mapping[str, Any]],
    types: Mapping[str, tuple[OptionSpec, ...]],
) -> tuple[dict[int, tuple[str, Decimal]], list[IndicatorSpec], list[QuestionSpec]]:
    areas: dict[int, tuple[str, Decimal]] = {}
    indicators: list[IndicatorSpec] = []
    questions: list[QuestionSpec] = []
    for raw_area in raw_areas:
        number = int(raw_area["area"])
        areas[number] = (str(raw_area["name"]), _dec(raw_area["weight"]))
        for raw_ind in raw_area["indicators"]:
            ind_no = int(raw_ind["indicator"])
            found = [_question(q, section, number, ind_no, types) for q in raw_ind["questions"]]
            questions.extend(found)
            indicators.append(
                IndicatorSpec(
                    section,
                    number,
                    ind_no,
                    str(raw_ind["name"]),
                    _dec(raw_ind["weight"]),
                    tuple(q.code for q in found),
                )
            )
    return areas, indicators, questions


def _hasil(
    raw_items: Iterable[Mapping[str, Any]], types: Mapping[str, tuple[OptionSpec, ...]]
) -> list[HasilItemSpec]:
    items = []
    for raw in raw_items:
        code, answer_type = str(raw["code"]), str(raw["type"])
        group, metric = DEFAULT_HASIL_METRICS.get(code, (code, code))
        items.append(
            HasilItemSpec(
                code=code,
                group=str(raw.get("group_key", group)),
                group_name=str(raw.get("group", "")),
                metric=str(raw.get("metric", metric)),
                name=str(raw.get("name", "")),
                answer_type=answer_type,
                weight=_dec(raw["weight"]),
                options=types.get(answer_type, ()),
            )
        )
    return items


def _predicate_rules(
    raw: Iterable[Mapping[str, Any]] | None,
) -> tuple[PredicateRuleSpec, ...]:
    if raw is None:
        return DEFAULT_PREDICATE_RULES
    return tuple(
        PredicateRuleSpec(
            str(r["predicate"]),
            str(r["metric"]),
            str(r["minimum"]) if r["metric"] == PRIOR_METRIC else _dec(r["minimum"]),
        )
        for r in raw
    )


def instrument_from_data(data: Mapping[str, Any], *, version: str) -> Instrument:
    types = _answer_types(data.get("answer_scores", {}))
    pem_areas, pem_ind, pem_q = _section("pemenuhan", data.get("pemenuhan", []), types)
    ref_areas, ref_ind, ref_q = _section("reform", data.get("reform", []), types)
    areas = tuple(
        AreaSpec(
            number,
            (pem_areas.get(number) or ref_areas[number])[0],
            pem_areas.get(number, ("", Decimal(0)))[1],
            ref_areas.get(number, ("", Decimal(0)))[1],
        )
        for number in sorted(pem_areas.keys() | ref_areas.keys())
    )
    return Instrument(
        version=str(data.get("version", version)),
        title=str(data.get("lke", "")),
        areas=areas,
        indicators=(*pem_ind, *ref_ind),
        questions=(*pem_q, *ref_q),
        hasil=tuple(_hasil(data.get("hasil", []), types)),
        predicate_rules=_predicate_rules(data.get("predicate_rules")),
        predicates=tuple(str(p) for p in data.get("predicates", DEFAULT_PREDICATES)),
        answer_types=types,
    )


def load_instrument_yaml(path: str | Path) -> Instrument:
    """Build an Instrument from a YAML file; the version defaults to the name after 'lke-'."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return instrument_from_data(data, version=path.stem.removeprefix("lke-"))


@cache
def default_instrument() -> Instrument:
    return load_instrument_yaml(DEFAULT_PATH)


# --------------------------------------------------------------------------- structural checks


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _check_weights(instrument: Instrument, totals: Mapping[str, Decimal]) -> list[str]:
    errors = []
    by_half: dict[tuple[str, int], Decimal] = {}
    for ind in instrument.indicators:
        key = (ind.section, ind.area)
        by_half[key] = by_half.get(key, Decimal(0)) + ind.weight
    halves = {(s, a.number): getattr(a, f"{s}_weight") for a in instrument.areas for s in SECTIONS}
    for section, area in by_half.keys() - halves.keys():
        errors.append(f"{section} area {area}: indicators of an unknown area")
    for (section, area), expected in halves.items():
        got = by_half.get((section, area), Decimal(0))
        if got != expected:
            errors.append(
                f"{section} area {area}: indicator weights sum to {got}, area weight is {expected}"
            )
    for section in SECTIONS:
        got = _sum(weight for (s, _), weight in halves.items() if s == section)
        if got != totals[section]:
            errors.append(f"{section}: area weights sum to {got}, expected {totals[section]}")
    hasil = _sum(h.weight for h in instrument.hasil)
    if hasil != totals["hasil"]:
        errors.append(f"hasil: item weights sum to {hasil}, expected {totals['hasil']}")
    whole = _sum(halves.values()) + hasil
    if whole != totals["total"]:
        errors.append(f"instrument: pengungkit + hasil = {whole}, expected {totals['total']}")
    return errors


def _check_options(
    code: str, answer_type: str, options: tuple[OptionSpec, ...], types: Mapping
) -> list[str]:
    if answer_type in (PERCENT, SURVEY_INDEX):
        return [f"{code}: a {answer_type} question must not have options"] if options else []
    if not options:
        return [f"{code}: answer type {answer_type!r} has no options"]
    errors = []
    # Labels are fixed by the type; scores may be amended by administrators (within [0, 1]).
    expected = [o.label for o in types.get(answer_type, ())]
    if expected and [o.label for o in options] != expected:
        errors.append(
            f"{code}: options {', '.join(o.label for o in options)} do not match answer type "
            f"{answer_type!r} ({', '.join(expected)})"
        )
    labels = [o.label for o in options]
    if len(set(labels)) != len(labels):
        errors.append(f"{code}: duplicate option labels")
    if any(not 0 <= o.score <= 1 for o in options) or max(o.score for o in options) != 1:
        errors.append(f"{code}: option scores must lie in [0, 1] with a best option scoring 1")
    return errors


def _check_numeric(question: QuestionSpec) -> list[str]:
    if question.answer_type != PERCENT:
        if question.inputs or question.formula:
            return [f"{question.code}: only percent questions take raw inputs and a formula"]
        return []
    if question.formula is None:
        return [f"{question.code}: percent question has no formula for its raw inputs"]
    formula = FORMULAS.get(question.formula)
    if formula is None:
        return [f"{question.code}: unknown formula {question.formula!r}"]
    if len(set(question.inputs)) != len(question.inputs):
        return [f"{question.code}: duplicate input names"]
    missing = [name for name in formula.inputs if name not in question.inputs]
    if missing:
        return [
            f"{question.code}: formula {question.formula!r} needs input(s) {', '.join(missing)}"
        ]
    return []


def _check_membership(instrument: Instrument) -> list[str]:
    """Every question sits in exactly the indicator that lists it; no code is used twice."""
    codes = [q.code for q in instrument.questions] + [h.code for h in instrument.hasil]
    errors = [f"{c}: duplicate code" for c in sorted({c for c in codes if codes.count(c) > 1})]
    by_code = {q.code: q for q in instrument.questions}
    listed: set[str] = set()
    for ind in instrument.indicators:
        where = f"{ind.section} indicator {ind.area}.{ind.number}"
        if ind.section not in SECTIONS:
            errors.append(f"{where}: unknown section")
        if not ind.questions:
            errors.append(f"{where}: has no questions")
        for code in ind.questions:
            q = by_code.get(code)
            if q is None or (q.section, q.area, q.indicator) != (ind.section, ind.area, ind.number):
                errors.append(f"{where}: question {code} is missing or belongs elsewhere")
        listed.update(ind.questions)
    return errors + [f"{code}: not in any indicator" for code in by_code if code not in listed]


def _check_questions(instrument: Instrument) -> list[str]:
    errors = _check_membership(instrument)
    types = instrument.answer_types
    for q in instrument.questions:
        if q.answer_type == SURVEY_INDEX:
            errors.append(f"{q.code}: survey_index is only for hasil items")
        errors += _check_options(q.code, q.answer_type, q.options, types)
        errors += _check_numeric(q)
    for h in instrument.hasil:
        if h.answer_type == PERCENT:
            errors.append(f"{h.code}: a hasil item is a survey_index or a choice")
        errors += _check_options(h.code, h.answer_type, h.options, types)
    return errors


def _check_rules(instrument: Instrument) -> list[str]:
    metrics = (
        BASE_METRICS
        | {AREA_METRIC}
        | {h.group for h in instrument.hasil}
        | {h.metric for h in instrument.hasil}
    )
    errors = []
    predicates = instrument.predicates
    for rule in instrument.predicate_rules:
        where = f"predicate rule {rule.predicate}/{rule.metric}"
        if rule.predicate not in predicates:
            errors.append(f"{where}: unknown predicate")
        elif rule.metric == PRIOR_METRIC:
            if rule.minimum not in predicates:
                errors.append(f"{where}: minimum must be one of {', '.join(predicates)}")
        elif rule.metric not in metrics:
            errors.append(f"{where}: unknown metric")
        elif not isinstance(rule.minimum, Decimal) or rule.minimum < 0:
            errors.append(f"{where}: minimum must be a non-negative number")
    return errors


def validate_instrument(
    instrument: Instrument, *, totals: Mapping[str, Decimal] = EXPECTED_TOTALS
) -> list[str]:
    """Structural problems, one line each; empty for a sound instrument."""
    return (
        _check_weights(instrument, totals) + _check_questions(instrument) + _check_rules(instrument)
    )
