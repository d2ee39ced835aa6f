"""The worked cases in tests/areas/cases score to exactly their *.expected.json."""

import json
from pathlib import Path

import pytest

from areas.instrument_yaml import default_instrument
from areas.scoring import score, validate_answers

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p for p in CASES_DIR.glob("*.json") if not p.name.endswith(".expected.json"))


def _load(case: Path) -> tuple[dict, dict]:
    expected = case.with_name(f"{case.stem}.expected.json")
    return json.loads(case.read_text()), json.loads(expected.read_text())


def test_cases_are_present() -> None:
    assert len(CASES) >= 4


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_scores_exactly_as_expected(case: Path) -> None:
    data, expected = _load(case)
    instrument = default_instrument()
    assert data["lke"] == instrument.version
    assert (
        validate_answers(instrument, data["answers"], data["hasil"], data["prior_predicate"]) == []
    )

    result = score(instrument, data["answers"], data["hasil"], data["prior_predicate"])

    assert result.as_dict() == expected


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_json_text_matches_including_key_order(case: Path) -> None:
    data, _ = _load(case)
    expected_text = case.with_name(f"{case.stem}.expected.json").read_text()

    result = score(default_instrument(), data["answers"], data["hasil"], data["prior_predicate"])

    assert json.dumps(result.as_dict(), indent=1) == expected_text


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_result_round_trips_through_json(case: Path) -> None:
    data, _ = _load(case)
    result = score(default_instrument(), data["answers"], data["hasil"], data["prior_predicate"])

    detailed = result.as_dict(detail=True)

    assert json.loads(json.dumps(detailed)) == detailed
    for predicate in detailed["predicates"].values():
        failed = [
            {"rule": r["rule"], "value": r["value"], "minimum": r["minimum"]}
            for r in predicate["rules"]
            if not r["passed"]
        ]
        assert failed == predicate["failed"]
