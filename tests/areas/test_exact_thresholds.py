"""A score that reaches a threshold exactly passes it, also when it gets there through thirds.

An indicator of three questions with one of them fully met scores 1/3 of its weight: three such
indicators add up to a whole point, as in the regulator's spreadsheet. Each case below is built on
the real instrument so that a rule lands exactly on its minimum through thirds.
"""

from decimal import Decimal

import pytest

from areas.instrument_yaml import default_instrument
from areas.scoring import score

INSTRUMENT = default_instrument()

# Each indicator of three questions scored 1/3 (weight 1): areas 1 and 6, two points lost each.
AREA_1_THIRDS = {
    "P1.2.a": "Ya", "P1.2.b": "C", "P1.2.c": "C",  # (1 + 0 + 0) / 3
    "P1.3.a": "C", "P1.3.b": "B", "P1.3.c": "D",  # (0.33 + 0.67 + 0) / 3
    "R1.1.a": {"inputs": {"agents": 3, "changes": 1}},  # 1/3, so R1.1 = (1/3 + 1) / 2 × 2
}  # fmt: skip
AREA_6_THIRDS = {
    "P6.3.a": "A", "P6.3.b": "C", "P6.3.c": "C",
    "P6.4.a": "A", "P6.4.b": "C", "P6.4.c": "D",
    "P6.5.a": "D", "P6.5.b": "C", "P6.5.c": "Ya",
}  # fmt: skip


def best() -> dict[str, object]:
    answers: dict[str, object] = {
        q.code: q.options[0].label if q.options else 100 for q in INSTRUMENT.questions
    }
    answers["R1.1.a"] = {"inputs": {"agents": 3, "changes": 3}}
    return answers


def scored(changes: dict[str, object], hasil: dict[str, object], prior: str | None = "WBK"):
    return score(INSTRUMENT, best() | changes, hasil, prior)


def rule(result, predicate: str, name: str):
    return next(r for r in result.predicates[predicate].rules if r.name == name)


def assert_exactly_met(result, predicate: str, name: str) -> None:
    met = rule(result, predicate, name)
    assert met.passed, f"{predicate} {name}: {met.value} vs {met.minimum}"
    assert met.margin == 0


TOP_HASIL = {"H1.1.a": 4, "H1.2.a": "A", "H2.1.a": 4}


def test_area_at_exactly_75_percent_through_thirds_meets_wbbm() -> None:
    result = scored(AREA_1_THIRDS, TOP_HASIL)

    assert result.as_dict()["areas"]["1"]["percent"] == 75.0
    assert_exactly_met(result, "WBBM", "area_1")
    assert result.predicates["WBBM"].eligible


def test_area_at_exactly_60_percent_through_thirds_meets_wbk() -> None:
    # The thirds lose 2 points, R1.2 E one more and R1.1.b at 80 % another 0.2: 4.8 of 8.
    result = scored(AREA_1_THIRDS | {"R1.2.a": "E", "R1.1.b": 80}, TOP_HASIL)

    assert result.as_dict()["areas"]["1"]["percent"] == 60.0
    assert_exactly_met(result, "WBK", "area_1")
    assert result.predicates["WBK"].eligible
    assert [r.name for r in result.predicates["WBBM"].failed] == ["area_1"]


def test_total_of_exactly_75_through_thirds_meets_wbk() -> None:
    losses = {
        "R2.2.a": "B",  # area 2: 0.25
        "R3.1.a": "C", "R3.3.a": 0,  # area 3: 3.5
        "R4.1.a": 0, "R4.2.a": "D",  # area 4: 3.5
        "R5.1.a": "E", "R5.2.a": 0,  # area 5: 5.5
        "R6.1.b": 60,  # area 6: 0.5 besides its thirds
    }  # fmt: skip
    hasil = {"H1.1.a": "3.6", "H1.2.a": "C", "H2.1.a": "3.2"}  # 15.75 + 2.5 + 14 = 32.25

    result = scored(AREA_1_THIRDS | AREA_6_THIRDS | losses, hasil)

    assert result.as_dict()["total"] == 75.0
    for name in ("total", "birokrasi_bersih", "ipak", "capaian", "pelayanan_prima"):
        assert_exactly_met(result, "WBK", name)
    assert result.predicates["WBK"].eligible


def test_total_of_exactly_85_and_pengungkit_of_exactly_48_through_thirds_meet_wbbm() -> None:
    losses = {
        "R6.1.b": 60,  # area 6: 0.5 besides its thirds (75 %)
        "R2.1.a": "D", "R2.2.a": "C", "R2.2.b": "C",  # area 2: 1.5
        "R3.1.a": "C", "R3.2.a": "B",  # area 3: 2.25
        "R4.2.a": "D", "R4.1.a": 50,  # area 4: 2.5 (75 %)
        "R5.1.a": "C",  # area 5: 1.25
    }  # fmt: skip
    hasil = {"H1.1.a": 4, "H1.2.a": "B", "H2.1.a": "3.6"}  # 17.5 + 3.75 + 15.75 = 37

    result = scored(AREA_1_THIRDS | AREA_6_THIRDS | losses, hasil)

    assert (result.as_dict()["pengungkit"], result.as_dict()["total"]) == (48.0, 85.0)
    for name in ("total", "pengungkit", "area_1", "area_4", "area_6", "pelayanan_prima"):
        assert_exactly_met(result, "WBBM", name)
    assert result.predicates["WBBM"].eligible


def test_pengungkit_of_exactly_40_through_thirds_meets_wbk() -> None:
    losses = {
        "R1.2.a": "E",  # area 1: 1 besides its thirds
        "R6.1.b": 0,  # area 6: 1.25 besides its thirds
        "R2.1.a": "D", "R2.2.a": "C", "R2.2.b": "C", "P2.3.a": "C",  # area 2: 1.75
        "R3.1.a": "C", "R3.2.a": "C",  # area 3: 3
        "R4.1.a": 0, "R4.2.a": "D",  # area 4: 3.5
        "R5.1.a": "E", "R5.2.a": 0,  # area 5: 5.5
    }  # fmt: skip

    result = scored(AREA_1_THIRDS | AREA_6_THIRDS | losses, TOP_HASIL)

    assert result.as_dict()["pengungkit"] == 40.0
    assert_exactly_met(result, "WBK", "pengungkit")
    assert result.predicates["WBK"].eligible


@pytest.mark.parametrize("short_by", ["0.000001", "0.0000000001"])
def test_a_score_short_of_the_minimum_still_fails(short_by: str) -> None:
    # IPAK index 3.6 gives exactly 15.75; a hair less is a real shortfall, however small.
    index = Decimal("3.6") - Decimal(short_by)
    result = scored({}, {"H1.1.a": str(index), "H1.2.a": "A", "H2.1.a": 4})

    ipak = rule(result, "WBK", "ipak")
    assert not ipak.passed and ipak.margin < 0
