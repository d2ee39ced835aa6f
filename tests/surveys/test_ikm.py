"""The IKM of PermenPAN-RB 14/2017, exactly: NRR per unsur, the mean weighted 1/9 (not 0.11),
× 25, published rounded half up to two decimals, the mutu read from the rounded value; nulls
and empty forms; every band boundary."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys import ikm


def _equal(nrr: str) -> list[list[int]]:
    """Responses that give every unsur the NRR `nrr` exactly (as few respondents as that takes)."""
    target = Fraction(nrr)
    n, total = target.denominator, target.numerator
    # n answers of 1-4 summing to `total`: as many 4s as fit, then one remainder, then 1s.
    answers, left = [], total
    for remaining in range(n, 0, -1):
        value = min(4, left - (remaining - 1))
        answers.append(value)
        left -= value
    assert sum(answers) == total and all(1 <= a <= 4 for a in answers)
    return [[a] * 9 for a in answers]


@pytest.mark.parametrize(
    ("nrr", "published", "mutu", "kinerja"),
    [
        ("6499/2500", "64.99", "D", "Tidak baik"),  # 2,5996 × 25
        ("13/5", "65.00", "C", "Kurang baik"),
        ("383/125", "76.60", "C", "Kurang baik"),
        ("7661/2500", "76.61", "B", "Baik"),
        ("883/250", "88.30", "B", "Baik"),
        ("8831/2500", "88.31", "A", "Sangat baik"),
        ("1", "25.00", "D", "Tidak baik"),
        ("4", "100.00", "A", "Sangat baik"),  # weights of 0.11 would publish 99.00
    ],
)
def test_every_band_boundary(nrr, published, mutu, kinerja):
    result = ikm.compute(_equal(nrr))
    assert result.ikm == Decimal(published)
    assert (result.mutu, result.kinerja) == (mutu, kinerja)


@pytest.mark.parametrize(
    ("nrr", "published", "mutu"),
    [
        ("12999/5000", "65.00", "C"),  # 64.995: half up is 65.00, read as C
        ("15321/5000", "76.61", "B"),  # 76.605: half up (half-even would give 76.60, C)
        ("17661/5000", "88.31", "A"),  # 88.305
        ("64989/25000", "64.99", "D"),  # 64.989
    ],
)
def test_the_mutu_is_read_from_the_published_rounding(nrr, published, mutu):
    result = ikm.compute(_equal(nrr))
    assert result.ikm_exact == Fraction(nrr) * 25
    assert (result.ikm, result.mutu) == (Decimal(published), mutu)


@pytest.mark.parametrize(
    ("nrr", "interval"),
    [("1", "D"), ("2.5996", "D"), ("2.5997", "D"), ("2.5998", "C"), ("2.6", "C"),
     ("3.064", "C"), ("3.0641", "C"), ("3.0642", "B"), ("3.0644", "B"), ("3.532", "B"),
     ("3.5322", "A"), ("3.5324", "A"), ("4", "A")],
)  # fmt: skip
# In the regulation's gaps (2,5996-2,60 …) an NRR has the band of the IKM it would publish:
# 2,5998 × 25 = 64,995 → 65,00 (C), as an IKM unit of 2,5998 is published C.
def test_each_nrr_gets_its_interval(nrr, interval):
    assert ikm.nrr_interval(Fraction(nrr)) == interval


def test_the_mean_is_exact_with_different_counts_per_unsur():
    responses = [
        [4, 3, None, 4, 4, 3, 3, 2, 4],
        [3, 3, 3, 3, 3, 3, 3, 3, 3],
        [2, 4, None, 4, 4, 4, 4, 4, 4],
    ]
    result = ikm.compute(responses)
    assert result.respondents == 3
    assert result.nrr["U1"] == 3 and result.nrr["U3"] == 3 and result.answered["U3"] == 1
    assert result.nrr["U8"] == Fraction(9, 3)
    nrr = [3, Fraction(10, 3), 3, Fraction(11, 3), Fraction(11, 3), Fraction(10, 3),
           Fraction(10, 3), 3, Fraction(11, 3)]  # fmt: skip
    assert list(result.nrr.values()) == nrr
    expected = sum(nrr, Fraction(0)) / 9  # 30/9: each weighted exactly 1/9
    assert result.ikm_unit == expected
    assert result.ikm == Decimal("83.33") and result.mutu == "B"


def test_an_empty_form_is_no_respondent_and_an_unanswered_unsur_is_left_out():
    responses = [[None] * 9, [4, 4, 4, 4, 4, 4, 4, 4, None], [3, 3, 3, 3, 3, 3, 3, 3, None]]
    result = ikm.compute(responses)
    assert result.respondents == 2
    assert result.nrr["U9"] is None and result.interval("U9") is None
    assert result.ikm_unit == Fraction(7, 2)  # the mean of eight NRR, not nine
    assert result.ikm == Decimal("87.50")


def test_no_answer_at_all_gives_no_ikm():
    result = ikm.compute([[None] * 9])
    assert result.respondents == 0 and result.ikm is None and result.mutu is None
    assert result.as_dict()["nrr"] == dict.fromkeys(ikm.UNSUR)


def test_the_lowest_three_unsur():
    responses = [[4, 1, 4, 2, 4, 4, 2, 4, 3]]
    assert ikm.compute(responses).lowest() == ["U2", "U4", "U7"]


def test_bad_values_are_each_named():
    with pytest.raises(ikm.InvalidResponses) as bad:
        ikm.validate([[5, 1, 1, 1, 1, 1, 1, 1, 1], [1, 2], "x", [True, 1, 1, 1, 1, 1, 1, 1, 2.5]])
    assert bad.value.errors == [
        "responses[0][0] (U1): 5 is not 1-4 or null",
        "responses[1]: expected a list of 9 values (null or 1-4)",
        "responses[2]: expected a list of 9 values (null or 1-4)",
        "responses[3][0] (U1): true is not 1-4 or null",
        "responses[3][8] (U9): 2.5 is not 1-4 or null",
    ]


ANSWER = st.one_of(st.none(), st.integers(1, 4))
RESPONSES = st.lists(st.lists(ANSWER, min_size=9, max_size=9), max_size=40)


@given(RESPONSES)
def test_the_published_ikm_lies_in_25_to_100_and_its_mutu_matches_its_band(responses):
    result = ikm.compute(responses)
    if result.ikm is None:
        assert all(all(v is None for v in r) for r in responses)
        return
    assert Decimal(25) <= result.ikm <= Decimal(100)
    off = Fraction(str(result.ikm)) - result.ikm_exact  # half up: a half rounds up
    assert Fraction(-1, 200) < off <= Fraction(1, 200)
    lowest = {"A": Decimal("88.31"), "B": Decimal("76.61"), "C": Decimal("65.00"),
              "D": Decimal("25.00")}  # fmt: skip
    assert result.ikm >= lowest[result.mutu]


@given(RESPONSES, st.randoms())
def test_order_and_empty_forms_change_nothing(responses, random):
    shuffled = responses[:]
    random.shuffle(shuffled)
    padded = shuffled + [[None] * 9]
    assert ikm.compute(padded) == ikm.compute(responses)


@given(RESPONSES)
def test_totals_give_the_same_result_as_the_responses(responses):
    sums = [sum(r[i] or 0 for r in responses) for i in range(9)]
    counts = [sum(r[i] is not None for r in responses) for i in range(9)]
    respondents = sum(any(v is not None for v in r) for r in responses)
    assert ikm.from_totals(sums, counts, respondents) == ikm.compute(responses)
