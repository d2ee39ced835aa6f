"""Pure scoring engine for the LKE (Lembar Kerja Evaluasi) of PermenPAN-RB 90/2021.

No Django here on purpose: the CLI, the views, the reports and the exports all call this one
implementation with plain values (see house-style "The scoring engine is pure"). It reads an
areas.instrument.Instrument and returns an areas.results.ScoreResult.

Arithmetic is Decimal throughout, in a 60-digit context. Every division result, survey point
and user-supplied number is bounded to 24 decimal places (far below any displayed digit). Every
sum is then exact, hence associative (Σ areas == pemenuhan + reform == pengungkit to the last
digit), and stays exact when callers add results in Python's default 28-digit context.

Predicate rules compare at COMPARISON_PLACES (12) decimal places, half-even: a value and its
minimum are both rounded there first. A sum of thirds (three indicators at 1/3 each) is
0.999…9 at 24 places, 1 at 12, so a score that reaches a threshold exactly meets it, as in the
regulator's spreadsheet (15 significant digits). Any real shortfall the instrument can produce
(an answer has at most 6 decimals, a count at most 9 digits) is far above 1e-12.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from itertools import repeat
from types import MappingProxyType
from typing import Any

from areas.instrument import Instrument, PredicateRuleSpec, QuestionSpec
from areas.numbers import MAX_MAGNITUDE, within_magnitude
from areas.results import AreaScore, PredicateResult, RuleResult, ScoreResult

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
SECTIONS = ("pemenuhan", "reform")
PERCENT = "percent"
SURVEY_INDEX = "survey_index"
SURVEY_MIN, SURVEY_MAX = Decimal(1), Decimal(4)  # IPAK/IPKP are reported on a 1–4 scale
# Numbers that are neither a section nor a hasil metric; area_percent expands to area_1..area_N.
BASE_METRICS = frozenset({"total", "pengungkit", "pemenuhan", "reform", "hasil"})
AREA_METRIC, PRIOR_METRIC = "area_percent", "prior_predicate"

_CTX = Context(
    prec=60,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
_PLACES = 24
MAX_NUMBER_TEXT = 40
_BOUND = Decimal(1).scaleb(-_PLACES)
COMPARISON_PLACES = 12
_COMPARED = Decimal(1).scaleb(-COMPARISON_PLACES)

Answer = str | int | float | Decimal | Mapping[str, Any] | None


# --------------------------------------------------------------------------- instrument data


# --------------------------------------------------------------------------- numeric formulas


def _bounded(value: Decimal) -> Decimal:
    if value.as_tuple().exponent < -_PLACES:  # type: ignore[operator]
        return value.quantize(_BOUND, context=_CTX)
    return value


def compared(value: Decimal) -> Decimal:
    """The value a predicate rule judges: rounded to COMPARISON_PLACES (see the module doc)."""
    return value.quantize(_COMPARED, context=_CTX)


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ZERO), ONE)


def _ratio(numerator: Decimal, denominator: Decimal, *, when_empty: Decimal = ZERO) -> Decimal:
    if denominator == ZERO:
        return when_empty
    return _clamp(_bounded(_CTX.divide(numerator, denominator)))


def _violation_reduction(v: Mapping[str, Decimal]) -> Decimal:
    last, this = v["violations_last_year"], v["violations_this_year"]
    if last == ZERO and this == ZERO:
        return ONE  # no violations in either year is the best outcome (README table)
    return _ratio(last - this, last)


@dataclass(frozen=True, slots=True)
class Formula:
    inputs: tuple[str, ...]  # inputs the function reads; a question may ask for more
    fn: Callable[[Mapping[str, Decimal]], Decimal]
    # (part, whole): counts that are part of another (targets achieved of all targets). The
    # engine scores a larger part as 100 % (stored answers keep scoring); the worksheet refuses
    # it as the typing mistake it is (assessments.worksheet.forms).
    parts: tuple[tuple[str, str], ...] = ()


def _simple_ratio(
    numerator: str, denominator: str, *, when_empty: Decimal = ZERO, part: bool = True
) -> Formula:
    return Formula(
        (denominator, numerator),
        lambda v: _ratio(v[numerator], v[denominator], when_empty=when_empty),
        ((numerator, denominator),) if part else (),
    )


# Formulas are referenced by name from the instrument data; never eval'd.
FORMULAS: Mapping[str, Formula] = MappingProxyType(
    {
        "changes_per_agent": _simple_ratio("changes", "agents", part=False),
        "integrated_per_change": _simple_ratio("integrated", "changes"),
        "violation_reduction": Formula(
            ("violations_last_year", "violations_this_year"), _violation_reduction
        ),
        "targets_achieved": _simple_ratio("achieved", "targets"),
        "complaints_completed": _simple_ratio("completed", "to_follow_up", when_empty=ONE),
        "filed_per_obliged": _simple_ratio("filed", "obliged", part=False),  # more may file
        "services_simplified": _simple_ratio("simplified", "registered"),
    }
)


# --------------------------------------------------------------------------- answers


class AnswerError(ValueError):
    """One bad answer entry; the message reads well after '<code>: '."""


class InvalidAnswersError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(errors))


def to_decimal(raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise AnswerError(f"expected a number, got {raw!r}")
    if isinstance(raw, str) and len(raw) > MAX_NUMBER_TEXT:
        raise AnswerError(f"number text too long ({len(raw)} characters)")
    if isinstance(raw, int) and raw.bit_length() > 64:
        raise AnswerError("number out of range")
    try:
        # repr() of a float is its shortest round-trip text, so 87.82 stays exactly 87.82.
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    except InvalidOperation:
        raise AnswerError(f"expected a number, got {raw!r}") from None
    if not value.is_finite():
        raise AnswerError(f"expected a finite number, got {raw!r}")
    if not within_magnitude(value):  # the same bound as the worksheet and the imports
        raise AnswerError(f"number {raw!r} out of range (|x| < {MAX_MAGNITUDE:,})")
    return _bounded(value)


def _choice_score(scores: Mapping[str, Decimal], raw: object) -> Decimal:
    if isinstance(raw, str) and raw in scores:
        return scores[raw]
    raise AnswerError(f"label {raw!r} not offered (expected one of {', '.join(scores)})")


def _formula_score(question: QuestionSpec, raw_inputs: object) -> Decimal:
    formula = FORMULAS.get(question.formula or "")
    if formula is None:
        raise AnswerError("raw inputs are not supported for this question; give a percent")
    if not isinstance(raw_inputs, Mapping):
        raise AnswerError("'inputs' must be an object of counts")
    unknown = sorted(set(raw_inputs) - set(question.inputs))
    if unknown:
        raise AnswerError(
            f"unknown input(s) {', '.join(unknown)} (expected {', '.join(question.inputs)})"
        )
    missing = [name for name in question.inputs if raw_inputs.get(name) is None]
    if missing:
        raise AnswerError(f"missing input(s) {', '.join(missing)}")
    values = {name: to_decimal(raw_inputs[name]) for name in question.inputs}
    negative = [name for name, value in values.items() if value < ZERO]
    if negative:
        raise AnswerError(f"input(s) {', '.join(negative)} must not be negative")
    return formula.fn(values)


def _percent_score(question: QuestionSpec, raw: object) -> Decimal:
    if isinstance(raw, Mapping):
        if set(raw) != {"inputs"}:
            raise AnswerError("expected a percent or {'inputs': {...}}")
        return _formula_score(question, raw["inputs"])
    value = to_decimal(raw)
    if value < ZERO:
        raise AnswerError(f"percent {raw!r} out of range (must be ≥ 0)")
    # Above 100 is legitimate (e.g. more LHKPN filed than obliged) and is capped, per README.
    return _clamp(_bounded(_CTX.divide(value, HUNDRED)))


def question_score(instrument: Instrument, code: str, raw: Answer) -> Decimal:
    """q ∈ [0, 1] for one Pemenuhan/Reform answer; raises AnswerError when it is invalid."""
    index = instrument.index
    question = index.questions.get(code)
    if question is None:
        hint = "; it is a hasil item, give it under hasil" if code in index.hasil else ""
        raise AnswerError(f"unknown question code{hint}")
    if question.options:
        return _choice_score(index.option_scores[code], raw)
    if question.answer_type == PERCENT:
        return _percent_score(question, raw)
    raise AnswerError(f"unsupported answer type {question.answer_type!r}")


def hasil_points(instrument: Instrument, code: str, raw: Answer) -> Decimal:
    """Points of one Hasil item (survey index / 4 × weight, or option score × weight)."""
    index = instrument.index
    item = index.hasil.get(code)
    if item is None:
        raise AnswerError("unknown hasil item code")
    if item.options:
        return _CTX.multiply(_choice_score(index.option_scores[code], raw), item.weight)
    if item.answer_type != SURVEY_INDEX:
        raise AnswerError(f"unsupported answer type {item.answer_type!r}")
    value = to_decimal(raw)
    if not SURVEY_MIN <= value <= SURVEY_MAX:
        raise AnswerError(f"survey index {raw!r} out of range {SURVEY_MIN}–{SURVEY_MAX}")
    # Explicit context, so the result is the same when called outside score().
    return _bounded(_CTX.divide(_CTX.multiply(value, item.weight), SURVEY_MAX))


def _collect(
    scorer: Callable[[Instrument, str, Answer], Decimal],
    instrument: Instrument,
    raw: Mapping[str, Answer] | None,
    errors: list[str],
    section: str,
) -> dict[str, Decimal]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        errors.append(f"{section}: expected an object of code: answer")
        return {}
    out: dict[str, Decimal] = {}
    for code, value in raw.items():
        if value is None:  # explicit null = not answered yet
            continue
        try:
            out[code] = scorer(instrument, code, value)
        except AnswerError as exc:
            errors.append(f"{code}: {exc}")
    return out


def _question_scores(
    instrument: Instrument, raw: Mapping[str, Answer] | None, errors: list[str]
) -> dict[str, Decimal]:
    """`_collect(question_score, ...)` with the common case inlined: a choice label of a
    question is looked up directly (a national report scores a million answers); anything
    else goes through question_score, so errors and percents are exactly the same."""
    if raw is None or not isinstance(raw, Mapping):
        return _collect(question_score, instrument, raw, errors, "answers")
    index = instrument.index
    questions, option_scores = index.questions, index.option_scores
    out: dict[str, Decimal] = {}
    rest: dict[str, Answer] = {}  # percents, nulls and anything wrong
    for code, value in raw.items():
        found = None
        if isinstance(value, str) and code in questions:
            found = option_scores[code].get(value)
        if found is None:
            rest[code] = value
        else:
            out[code] = found
    if rest:
        out |= _collect(question_score, instrument, rest, errors, "answers")
    return out


def _check_prior(instrument: Instrument, prior: str | None, errors: list[str]) -> None:
    if prior is not None and prior not in instrument.predicates:
        allowed = ", ".join(instrument.predicates)
        errors.append(f"prior_predicate: unknown predicate {prior!r} (expected {allowed} or null)")


def validate_answers(
    instrument: Instrument,
    answers: Mapping[str, Answer] | None,
    hasil: Mapping[str, Answer] | None = None,
    prior_predicate: str | None = None,
) -> list[str]:
    """One human-readable line per bad entry; empty when everything can be scored."""
    errors: list[str] = []
    with localcontext(_CTX):
        _question_scores(instrument, answers, errors)
        _collect(hasil_points, instrument, hasil, errors, "hasil")
    _check_prior(instrument, prior_predicate, errors)
    return errors


# --------------------------------------------------------------------------- results


# --------------------------------------------------------------------------- scoring


def _indicator_scores(
    instrument: Instrument, q: Mapping[str, Decimal]
) -> dict[tuple[str, int, int], Decimal]:
    out: dict[tuple[str, int, int], Decimal] = {}
    for ind in instrument.indicators:
        count = len(ind.questions)
        # Simple mean over all its questions (unanswered = 0), then × weight; multiply first so
        # the one division is the only inexact step.
        subtotal = sum(map(q.get, ind.questions, repeat(ZERO)), ZERO) * ind.weight
        out[(ind.section, ind.area, ind.number)] = _bounded(subtotal / count) if count else ZERO
    return out


def _area_scores(
    instrument: Instrument, indicators: Mapping[tuple[str, int, int], Decimal]
) -> tuple[AreaScore, ...]:
    halves: dict[tuple[str, int], Decimal] = {}
    for (section, area, _), value in indicators.items():
        halves[(section, area)] = halves.get((section, area), ZERO) + value
    out = []
    for area in instrument.areas:
        pemenuhan = halves.get(("pemenuhan", area.number), ZERO)
        reform = halves.get(("reform", area.number), ZERO)
        total, weight = pemenuhan + reform, area.weight
        percent = _bounded(total * HUNDRED / weight) if weight else ZERO
        out.append(AreaScore(area.number, area.name, weight, pemenuhan, reform, total, percent))
    return tuple(out)


def _hasil_detail(instrument: Instrument, points: Mapping[str, Decimal]) -> dict[str, Decimal]:
    # Each group total, then its items: birokrasi_bersih, ipak, capaian, pelayanan_prima (a
    # one-item group such as pelayanan_prima names the item like the group).
    detail: dict[str, Decimal] = {}
    for group in dict.fromkeys(item.group for item in instrument.hasil):
        items = [item for item in instrument.hasil if item.group == group]
        detail[group] = sum((points.get(item.code, ZERO) for item in items), ZERO)
        for item in items:
            if item.metric != group:
                detail[item.metric] = points.get(item.code, ZERO)
    return detail


def _rule_results(
    rule: PredicateRuleSpec,
    metrics: Mapping[str, Decimal],
    areas: tuple[AreaScore, ...],
    prior: str | None,
    rank: Mapping[str, int],
) -> list[RuleResult]:
    minimum = rule.minimum
    if rule.metric == PRIOR_METRIC:
        passed = prior is not None and rank.get(prior, -1) >= rank.get(str(minimum), len(rank))
        return [RuleResult(PRIOR_METRIC, prior, minimum, passed, None)]
    if not isinstance(minimum, Decimal):
        raise TypeError(f"rule {rule.predicate}/{rule.metric} needs a numeric minimum")
    if rule.metric == AREA_METRIC:
        pairs = [(f"area_{a.number}", a.total, a.weight * minimum / HUNDRED) for a in areas]
    else:
        pairs = [(rule.metric, metrics.get(rule.metric, ZERO), minimum)]
    out = []
    for name, value, low in pairs:
        margin = compared(value) - compared(low)
        out.append(RuleResult(name, value, low, margin >= ZERO, margin))
    return out


def _predicates(
    instrument: Instrument,
    metrics: Mapping[str, Decimal],
    areas: tuple[AreaScore, ...],
    prior: str | None,
) -> dict[str, PredicateResult]:
    rank = {name: position for position, name in enumerate(instrument.predicates)}
    rules: dict[str, list[RuleResult]] = {name: [] for name in instrument.predicates}
    for rule in instrument.predicate_rules:
        rules.setdefault(rule.predicate, []).extend(
            _rule_results(rule, metrics, areas, prior, rank)
        )
    return {name: PredicateResult(name, tuple(found)) for name, found in rules.items()}


def score(
    instrument: Instrument,
    answers: Mapping[str, Answer] | None,
    hasil: Mapping[str, Answer] | None = None,
    prior_predicate: str | None = None,
) -> ScoreResult:
    """Score one assessment; raises InvalidAnswersError (with .errors) on any bad entry."""
    errors: list[str] = []
    with localcontext(_CTX):
        q = _question_scores(instrument, answers, errors)
        points = _collect(hasil_points, instrument, hasil, errors, "hasil")
        _check_prior(instrument, prior_predicate, errors)
        if errors:
            raise InvalidAnswersError(errors)
        indicators = _indicator_scores(instrument, q)
        areas = _area_scores(instrument, indicators)
        pemenuhan = sum((a.pemenuhan for a in areas), ZERO)
        reform = sum((a.reform for a in areas), ZERO)
        pengungkit = pemenuhan + reform
        detail = _hasil_detail(instrument, points)
        hasil_total = sum(points.values(), ZERO)
        total = pengungkit + hasil_total
        metrics = {
            **detail,
            "total": total,
            "pengungkit": pengungkit,
            "pemenuhan": pemenuhan,
            "reform": reform,
            "hasil": hasil_total,
        }
        predicates = _predicates(instrument, metrics, areas, prior_predicate)
    return ScoreResult(
        version=instrument.version,
        question_scores=q,
        indicator_scores=indicators,
        areas=areas,
        pemenuhan=pemenuhan,
        reform=reform,
        pengungkit=pengungkit,
        hasil_detail=detail,
        hasil=hasil_total,
        total=total,
        answered=len(q) + len(points),
        item_count=instrument.item_count,
        predicates=predicates,
    )
