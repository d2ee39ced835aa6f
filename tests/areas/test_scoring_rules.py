"""Rules of the LKE 90/2021 scoring engine, one behaviour per test."""

import dataclasses
from decimal import Decimal

import pytest
import yaml

from areas.instrument import OptionSpec, PredicateRuleSpec
from areas.instrument_yaml import (
    DEFAULT_PATH,
    DEFAULT_PREDICATE_RULES,
    default_instrument,
    load_instrument_yaml,
    validate_instrument,
)
from areas.scoring import (
    AnswerError,
    InvalidAnswersError,
    hasil_points,
    question_score,
    score,
    validate_answers,
)

D = Decimal
INSTRUMENT = default_instrument()


def best_answers() -> dict[str, object]:
    return {q.code: q.options[0].label if q.options else 100 for q in INSTRUMENT.questions}


def worst_answers() -> dict[str, object]:
    return {q.code: q.options[-1].label if q.options else 0 for q in INSTRUMENT.questions}


def with_pemenuhan_only(areas: dict[int, set[int] | None]) -> dict[str, object]:
    """Reform at its best; Pemenuhan best only in the given areas (None = every indicator)."""
    answers = best_answers()
    for q in INSTRUMENT.questions:
        chosen = q.area in areas and (areas[q.area] is None or q.indicator in areas[q.area])
        if q.section == "pemenuhan" and not chosen:
            answers[q.code] = q.options[-1].label
    return answers


def rule(result, predicate: str, name: str):
    return next(r for r in result.predicates[predicate].rules if r.name == name)


# --------------------------------------------------------------------------- answer mapping


@pytest.mark.parametrize(
    ("code", "answer", "expected"),
    [
        ("P1.1.a", "Ya", "1"),  # yes_no
        ("P1.1.a", "Tidak", "0"),
        ("P1.1.b", "A", "1"),  # abc
        ("P1.1.b", "B", "0.5"),
        ("P1.1.b", "C", "0"),
        ("P1.3.a", "A", "1"),  # abcd
        ("P1.3.a", "B", "0.67"),
        ("P1.3.a", "C", "0.33"),
        ("P1.3.a", "D", "0"),
        ("P2.1.b", "A", "1"),  # abcde
        ("P2.1.b", "B", "0.75"),
        ("P2.1.b", "C", "0.5"),
        ("P2.1.b", "D", "0.25"),
        ("P2.1.b", "E", "0"),
        ("R4.1.a", 50, "0.5"),  # percent
        ("R4.1.a", 87.82, "0.8782"),
        ("R4.1.a", D("33.3"), "0.333"),
        ("R4.1.a", "75", "0.75"),
        ("R4.1.a", 0, "0"),
        ("R4.1.a", 116.48, "1"),  # capped, as in the random-high case
    ],
)
def test_answer_maps_to_question_score(code: str, answer: object, expected: str) -> None:
    assert question_score(INSTRUMENT, code, answer) == D(expected)


@pytest.mark.parametrize(
    ("code", "answer", "expected"),
    [
        ("H1.1.a", 4, "17.5"),
        ("H1.1.a", 1, "4.375"),
        ("H1.1.a", 3.60, "15.75"),
        ("H1.1.a", 3.8, "16.625"),
        ("H1.2.a", "A", "5"),
        ("H1.2.a", "B", "3.75"),
        ("H1.2.a", "C", "2.5"),
        ("H1.2.a", "E", "0"),
        ("H2.1.a", 3.2, "14"),
        ("H2.1.a", 3.5, "15.3125"),
    ],
)
def test_hasil_answer_maps_to_points(code: str, answer: object, expected: str) -> None:
    assert hasil_points(INSTRUMENT, code, answer) == D(expected)


# --------------------------------------------------------------------------- whole assessments


def test_readme_worked_example() -> None:
    hasil = {"H1.1.a": 3.80, "H1.2.a": "B", "H2.1.a": 3.50}

    result = score(INSTRUMENT, best_answers(), hasil, "WBK")

    assert result.pengungkit == 60
    assert result.hasil_detail["ipak"] == D("16.625")
    assert result.hasil == D("35.6875")
    assert result.total == D("95.6875")
    assert result.as_dict()["total"] == 95.69
    assert result.predicates["WBK"].eligible
    assert rule(result, "WBBM", "capaian").passed
    assert [r.name for r in result.predicates["WBBM"].failed] == ["pelayanan_prima"]
    assert rule(result, "WBBM", "pelayanan_prima").margin == D("-0.4375")


def test_worked_example_without_prior_wbk_also_fails_prior_predicate() -> None:
    hasil = {"H1.1.a": 3.80, "H1.2.a": "B", "H2.1.a": 3.50}

    result = score(INSTRUMENT, best_answers(), hasil, None)

    failed = {r.name: (r.value, r.minimum) for r in result.predicates["WBBM"].failed}
    assert failed["prior_predicate"] == (None, "WBK")


def test_all_best_with_top_surveys_scores_exactly_100() -> None:
    result = score(INSTRUMENT, best_answers(), {"H1.1.a": 4.0, "H1.2.a": "A", "H2.1.a": 4.0}, "WBK")

    assert result.total == D(100)
    assert [a.percent for a in result.areas] == [D(100)] * 6
    assert (result.pemenuhan, result.reform, result.hasil) == (30, 30, 40)
    assert result.predicates["WBK"].eligible and result.predicates["WBBM"].eligible
    assert (result.answered, result.item_count) == (113, 113)


def test_all_worst_scores_only_the_survey_floor() -> None:
    result = score(INSTRUMENT, worst_answers(), {"H1.1.a": 1, "H1.2.a": "E", "H2.1.a": 1})

    assert result.pengungkit == 0
    assert result.hasil == D("8.75")  # two surveys at 1 of 4 = 2 × 4.375
    assert result.total == D("8.75")
    assert not result.predicates["WBK"].eligible


def test_nothing_answered_scores_zero_and_counts_progress() -> None:
    result = score(INSTRUMENT, {"P1.1.a": "Ya", "R1.2.a": None}, {})

    assert result.total == D("0.25")  # P1.1 is weight 0.5 over 2 questions; the other counts 0
    assert (result.answered, result.item_count) == (1, 113)


# --------------------------------------------------------------------------- predicate boundaries


def test_every_rule_is_reported_with_value_minimum_and_margin() -> None:
    result = score(INSTRUMENT, best_answers(), {"H1.1.a": 3.8, "H1.2.a": "B", "H2.1.a": 3.5}, "WBK")

    areas = [f"area_{n}" for n in range(1, 7)]
    hasil = ["birokrasi_bersih", "ipak", "capaian", "pelayanan_prima"]
    names = {p: [r.name for r in pr.rules] for p, pr in result.predicates.items()}
    assert names["WBK"] == ["total", "pengungkit", *areas, *hasil]
    assert names["WBBM"] == ["total", "pengungkit", *areas, *hasil, "prior_predicate"]
    for r in result.predicates["WBK"].rules:
        assert r.margin == r.value - r.minimum
        assert r.passed == (r.margin >= 0)


@pytest.mark.parametrize(
    ("ipak", "capaian", "ipkp", "predicate", "name", "passed"),
    [
        (3.60, "A", 4, "WBK", "ipak", True),  # 3.60/4 × 17.5 == 15.75 exactly
        (3.60, "A", 4, "WBBM", "ipak", True),
        (3.59, "A", 4, "WBK", "ipak", False),
        (4, "C", 4, "WBK", "capaian", True),  # 2.50
        (4, "D", 4, "WBK", "capaian", False),  # 1.25
        (4, "B", 4, "WBBM", "capaian", True),  # 3.75
        (4, "C", 4, "WBBM", "capaian", False),
        (3.60, "C", 4, "WBK", "birokrasi_bersih", True),  # 15.75 + 2.5 == 18.25
        (3.59, "C", 4, "WBK", "birokrasi_bersih", False),
        (3.60, "B", 4, "WBBM", "birokrasi_bersih", True),  # 15.75 + 3.75 == 19.50
        (3.59, "B", 4, "WBBM", "birokrasi_bersih", False),
        (4, "A", 3.20, "WBK", "pelayanan_prima", True),  # 14.00
        (4, "A", 3.19, "WBK", "pelayanan_prima", False),
        (4, "A", 3.60, "WBBM", "pelayanan_prima", True),  # 15.75
        (4, "A", 3.59, "WBBM", "pelayanan_prima", False),
    ],
)
def test_hasil_rules_at_their_boundary(
    ipak: float, capaian: str, ipkp: float, predicate: str, name: str, passed: bool
) -> None:
    hasil = {"H1.1.a": ipak, "H1.2.a": capaian, "H2.1.a": ipkp}

    result = score(INSTRUMENT, best_answers(), hasil, "WBK")

    found = rule(result, predicate, name)
    assert found.passed is passed
    if passed:
        assert found.margin == 0


def test_total_and_pengungkit_exactly_at_wbk_minimum_pass() -> None:
    # Pemenuhan only in areas 4 and 6 (5 + 5) + Reform 30 = 40; Hasil 17.5 + 0 + 17.5 = 35.
    answers = with_pemenuhan_only({4: None, 6: None})
    hasil = {"H1.1.a": 4, "H1.2.a": "E", "H2.1.a": 4}

    at = score(INSTRUMENT, answers, hasil)
    below = score(INSTRUMENT, answers | {"R4.1.a": D("99.5")}, hasil)  # R4.1 weighs 2: −0.01

    assert (at.pengungkit, at.total) == (40, 75)
    assert rule(at, "WBK", "pengungkit").passed and rule(at, "WBK", "total").passed
    assert (below.pengungkit, below.total) == (D("39.99"), D("74.99"))
    assert not rule(below, "WBK", "pengungkit").passed
    assert rule(below, "WBK", "total").margin == D("-0.01")


@pytest.mark.parametrize(
    ("indicators", "predicate"),
    [({1, 2, 6}, "WBK"), ({1, 4, 6}, "WBBM")],  # 0.25+0.5+0.25 = 1; 0.25+2+0.25 = 2.5
)
def test_area_rule_exactly_at_its_percent_passes(indicators: set[int], predicate: str) -> None:
    answers = with_pemenuhan_only({3: indicators})

    at = score(INSTRUMENT, answers, {})
    below = score(INSTRUMENT, answers | {"R3.3.a": D("99.5")}, {})  # R3.3 weighs 2: −0.01

    area_3 = rule(at, predicate, "area_3")
    assert area_3.passed and area_3.value == area_3.minimum
    assert at.areas[2].percent == (60 if predicate == "WBK" else 75)
    assert not rule(below, predicate, "area_3").passed
    assert rule(below, predicate, "area_3").margin == D("-0.01")


@pytest.mark.parametrize(("prior", "passed"), [(None, False), ("WBK", True), ("WBBM", True)])
def test_wbbm_requires_a_prior_wbk(prior: str | None, passed: bool) -> None:
    result = score(INSTRUMENT, best_answers(), {"H1.1.a": 4, "H1.2.a": "A", "H2.1.a": 4}, prior)

    assert rule(result, "WBBM", "prior_predicate").passed is passed
    assert result.predicates["WBBM"].eligible is passed
    assert result.predicates["WBK"].eligible


@pytest.mark.parametrize("rule_index", range(len(DEFAULT_PREDICATE_RULES) - 1))
def test_each_numeric_rule_passes_at_minimum_and_fails_a_cent_above(rule_index: int) -> None:
    spec = DEFAULT_PREDICATE_RULES[rule_index]
    hasil = {"H1.1.a": 3.8, "H1.2.a": "B", "H2.1.a": 3.5}
    base = score(INSTRUMENT, best_answers(), hasil, "WBK")
    value = base.areas[0].percent if spec.metric == "area_percent" else None
    name = "area_1" if value is not None else spec.metric
    value = value if value is not None else rule(base, spec.predicate, name).value

    for minimum, passed in ((value, True), (value + D("0.01"), False)):
        moved = dataclasses.replace(spec, minimum=minimum)
        instrument = dataclasses.replace(INSTRUMENT, predicate_rules=(moved,))
        found = rule(score(instrument, best_answers(), hasil, "WBK"), spec.predicate, name)
        assert found.passed is passed


# --------------------------------------------------------------------------- raw-input formulas


@pytest.mark.parametrize(
    ("code", "inputs", "expected"),
    [
        ("R1.1.a", {"agents": 10, "changes": 7}, "0.7"),
        ("R1.1.a", {"agents": 4, "changes": 9}, "1"),  # capped
        ("R1.1.a", {"agents": 0, "changes": 3}, "0"),  # zero denominator
        ("R1.1.b", {"changes": 8, "integrated": 2}, "0.25"),
        ("R1.1.b", {"changes": 0, "integrated": 0}, "0"),
        (
            "R3.3.a",
            {"violations_last_year": 10, "violations_this_year": 4, "violations_sanctioned": 4},
            "0.6",
        ),  # noqa: E501
        (
            "R3.3.a",
            {"violations_last_year": 0, "violations_this_year": 0, "violations_sanctioned": 0},
            "1",
        ),  # noqa: E501
        (
            "R3.3.a",
            {"violations_last_year": 0, "violations_this_year": 2, "violations_sanctioned": 2},
            "0",
        ),  # noqa: E501
        (
            "R3.3.a",
            {"violations_last_year": 2, "violations_this_year": 5, "violations_sanctioned": 5},
            "0",
        ),  # noqa: E501
        ("R4.1.a", {"targets": 8, "achieved": 6}, "0.75"),
        ("R4.1.a", {"targets": 0, "achieved": 0}, "0"),
        ("R5.2.a", {"to_follow_up": 4, "in_process": 1, "completed": 3}, "0.75"),
        ("R5.2.a", {"to_follow_up": 0, "in_process": 0, "completed": 0}, "1"),  # none: 1
        ("R5.3.a", {"obliged": 5, "filed": 5}, "1"),
        ("R5.3.a", {"obliged": 0, "filed": 0}, "0"),
        ("R5.3.b", {"obliged": 20, "filed": 15}, "0.75"),
        ("R6.1.b", {"registered": 10, "simplified": 3}, "0.3"),
        ("R6.1.b", {"registered": 0, "simplified": 0}, "0"),
    ],
)
def test_raw_inputs_use_the_named_formula(code: str, inputs: dict, expected: str) -> None:
    assert question_score(INSTRUMENT, code, {"inputs": inputs}) == D(expected)


def test_inexact_ratio_keeps_24_decimals() -> None:
    q = question_score(INSTRUMENT, "R6.1.b", {"inputs": {"registered": 3, "simplified": 1}})

    assert q == D("0." + "3" * 24)


def test_raw_inputs_and_percent_give_the_same_indicator() -> None:
    by_inputs = score(INSTRUMENT, {"R4.1.a": {"inputs": {"targets": 4, "achieved": 3}}})
    by_percent = score(INSTRUMENT, {"R4.1.a": 75})

    assert by_inputs.total == by_percent.total == D("1.5")


# --------------------------------------------------------------------------- invalid answers


@pytest.mark.parametrize(
    ("answers", "hasil", "prior", "message"),
    [
        ({"P9.9.z": "A"}, {}, None, "P9.9.z: unknown question code"),
        ({"H1.1.a": 3.5}, {}, None, "H1.1.a: unknown question code; it is a hasil item"),
        ({"P1.1.b": "D"}, {}, None, "P1.1.b: label 'D' not offered (expected one of A, B, C)"),
        ({"P1.1.a": "A"}, {}, None, "P1.1.a: label 'A' not offered"),
        ({"P1.1.a": True}, {}, None, "P1.1.a: label True not offered"),
        ({"R4.1.a": -1}, {}, None, "R4.1.a: percent -1 out of range"),
        ({"R4.1.a": "lots"}, {}, None, "R4.1.a: expected a number"),
        ({"R4.1.a": float("nan")}, {}, None, "R4.1.a: expected a finite number"),
        ({"R4.1.a": True}, {}, None, "R4.1.a: expected a number"),
        ({"R4.1.a": {"inputs": {"targets": 4}}}, {}, None, "R4.1.a: missing input(s) achieved"),
        ({"R4.1.a": {"inputs": {"targets": 4, "achieved": -1}}}, {}, None, "must not be negative"),
        ({"R4.1.a": {"inputs": {"targets": 4, "achieved": 1, "x": 1}}}, {}, None, "unknown input"),
        ({"R4.1.a": {"value": 5}}, {}, None, "R4.1.a: expected a percent or"),
        ({}, {"H1.1.a": 4.5}, None, "H1.1.a: survey index 4.5 out of range 1–4"),
        ({}, {"H2.1.a": 0.99}, None, "H2.1.a: survey index 0.99 out of range"),
        ({}, {"H1.2.a": "F"}, None, "H1.2.a: label 'F' not offered"),
        ({}, {"H9.9.z": 3}, None, "H9.9.z: unknown hasil item code"),
        ({}, [3.5], None, "hasil: expected an object"),
        ({}, {}, "WBX", "prior_predicate: unknown predicate 'WBX'"),
    ],
)
def test_invalid_entry_gives_one_readable_error(answers, hasil, prior, message: str) -> None:
    errors = validate_answers(INSTRUMENT, answers, hasil, prior)

    assert len(errors) == 1
    assert message in errors[0]
    with pytest.raises(InvalidAnswersError) as raised:
        score(INSTRUMENT, answers, hasil, prior)
    assert list(raised.value.errors) == errors


def test_each_bad_entry_is_its_own_line_and_good_ones_are_silent() -> None:
    answers = best_answers() | {"P1.1.b": "Z", "R5.3.a": -5, "X1": "A"}

    errors = validate_answers(INSTRUMENT, answers, {"H1.1.a": 7, "H1.2.a": "A"})

    assert [e.split(":")[0] for e in errors] == ["P1.1.b", "R5.3.a", "X1", "H1.1.a"]


def test_question_score_raises_answer_error() -> None:
    with pytest.raises(AnswerError):
        question_score(INSTRUMENT, "P1.1.b", "Ya")


# --------------------------------------------------------------------------- invalid instruments


def replace_question(code: str, **changes) -> object:
    questions = tuple(
        dataclasses.replace(q, **changes) if q.code == code else q for q in INSTRUMENT.questions
    )
    return dataclasses.replace(INSTRUMENT, questions=questions)


def test_default_instrument_is_sound() -> None:
    assert validate_instrument(INSTRUMENT) == []
    assert len(INSTRUMENT.questions) == 110
    assert sum(q.section == "pemenuhan" for q in INSTRUMENT.questions) == 87
    assert len(INSTRUMENT.hasil) == 3


def test_indicator_weight_not_matching_area_is_reported() -> None:
    first, *rest = INSTRUMENT.indicators
    broken = dataclasses.replace(
        INSTRUMENT, indicators=(dataclasses.replace(first, weight=D("0.75")), *rest)
    )

    errors = validate_instrument(broken)

    assert errors == ["pemenuhan area 1: indicator weights sum to 4.25, area weight is 4.0"]


def test_area_weights_not_summing_to_section_total_are_reported() -> None:
    first, *rest = INSTRUMENT.areas
    broken = dataclasses.replace(
        INSTRUMENT, areas=(dataclasses.replace(first, reform_weight=D(5)), *rest)
    )

    errors = validate_instrument(broken)

    assert "reform: area weights sum to 31.0, expected 30" in errors
    assert any(e.startswith("instrument: pengungkit + hasil = 101") for e in errors)


def test_hasil_weights_not_summing_to_40_are_reported() -> None:
    first, *rest = INSTRUMENT.hasil
    broken = dataclasses.replace(
        INSTRUMENT, hasil=(dataclasses.replace(first, weight=D(20)), *rest)
    )

    errors = validate_instrument(broken)

    assert "hasil: item weights sum to 42.5, expected 40" in errors


def test_missing_options_are_reported() -> None:
    assert validate_instrument(replace_question("P1.1.b", options=())) == [
        "P1.1.b: answer type 'abc' has no options"
    ]


def test_options_not_matching_the_type_are_reported() -> None:
    options = (OptionSpec("A", D(1)), OptionSpec("B", D(0)))

    errors = validate_instrument(replace_question("P1.1.b", options=options))

    assert errors == ["P1.1.b: options A, B do not match answer type 'abc' (A, B, C)"]


def test_amended_option_scores_keep_the_instrument_valid() -> None:
    options = (OptionSpec("A", D(1)), OptionSpec("B", D("0.6")), OptionSpec("C", D(0)))

    assert validate_instrument(replace_question("P1.1.b", options=options)) == []


def test_unknown_formula_is_reported() -> None:
    assert validate_instrument(replace_question("R4.1.a", formula="magic")) == [
        "R4.1.a: unknown formula 'magic'"
    ]


def test_formula_missing_its_inputs_is_reported() -> None:
    errors = validate_instrument(replace_question("R4.1.a", inputs=("targets",)))

    assert errors == ["R4.1.a: formula 'targets_achieved' needs input(s) achieved"]


def test_unknown_predicate_metric_is_reported() -> None:
    rules = (*DEFAULT_PREDICATE_RULES, PredicateRuleSpec("WBK", "luck", D(1)))

    errors = validate_instrument(dataclasses.replace(INSTRUMENT, predicate_rules=rules))

    assert errors == ["predicate rule WBK/luck: unknown metric"]


def test_percent_question_without_formula_is_reported() -> None:
    assert validate_instrument(replace_question("R4.1.a", formula=None)) == [
        "R4.1.a: percent question has no formula for its raw inputs"
    ]


def test_survey_index_outside_hasil_is_reported() -> None:
    errors = validate_instrument(replace_question("R4.1.a", answer_type="survey_index"))

    assert "R4.1.a: survey_index is only for hasil items" in errors


def test_yaml_may_override_the_default_rules_and_formulas(tmp_path) -> None:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["predicate_rules"] = [{"predicate": "WBK", "metric": "total", "minimum": 50}]
    reform_area_4 = next(a for a in data["reform"] if a["area"] == 4)
    question = reform_area_4["indicators"][0]["questions"][0]
    question |= {"inputs": ["goals", "achieved"], "formula": "filed_per_obliged"}
    path = tmp_path / "lke-2099.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")

    instrument = load_instrument_yaml(path)

    assert instrument.version == "2099"
    assert instrument.predicate_rules == (PredicateRuleSpec("WBK", "total", D(50)),)
    assert validate_instrument(instrument) == [
        "R4.1.a: formula 'filed_per_obliged' needs input(s) obliged, filed"
    ]
