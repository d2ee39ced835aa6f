"""The Indeks Kepuasan Masyarakat exactly as PermenPAN-RB 14/2017 computes it.

For each of the nine unsur, NRR = the sum of its answers / the number of respondents who
answered it. IKM unit = the mean of the NRR of the unsur anyone answered, each weighted exactly
1/n (1/9 when all were: not the 0.11 of hand calculations, which gives 99 for a perfect score).
IKM = IKM unit × 25, published rounded half up to two decimals, and the mutu is read from that
rounded value (so 64.995 is published 65.00 and is C). Each NRR gets its interval from the same
bands divided by 25, read the same way: NRR × 25 rounded half up (2.5998 → 65.00, C).

Everything is exact (fractions) until the published rounding; a response with no answer at all
is not a respondent; an unsur nobody answered is reported as None and left out of the mean.
The pure functions here serve the pages, the reports and `manage.py ikm_score` alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

UNSUR = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
SCALE = range(1, 5)  # each unsur is answered 1 (tidak baik) to 4 (sangat baik)
CONVERSION = 25  # IKM = IKM unit × 25

# (lowest published IKM of the band, mutu, kinerja), best first: PermenPAN-RB 14/2017, Lampiran.
BANDS = (
    (Decimal("88.31"), "A", "Sangat baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang baik"),
    (Decimal("25.00"), "D", "Tidak baik"),
)
# The NRR intervals (1,00–2,5996 D · 2,60–3,064 C · 3,0644–3,532 B · 3,5324–4,00 A) are the
# bands divided by 25; an NRR is read as the IKM it would publish (NRR × 25, rounded), so a
# value in the regulation's small gaps (2,5998) gets the band its IKM would (65,00: C).


class InvalidResponses(ValueError):
    """The responses are not nine answers 1–4 or null each; `errors` has one line per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class IkmResult:
    respondents: int  # responses with at least one answer
    nrr: dict[str, Fraction | None]  # per unsur; None when nobody answered it
    answered: dict[str, int]  # per unsur, how many answered it
    ikm_unit: Fraction | None  # the weighted mean of the NRR; None without any answer
    ikm_exact: Fraction | None  # ikm_unit × 25, before the published rounding

    @property
    def ikm(self) -> Decimal | None:
        """The published IKM: two decimals, half up."""
        return None if self.ikm_exact is None else round_half_up(self.ikm_exact, 2)

    @property
    def mutu(self) -> str | None:
        return None if self.ikm is None else band(self.ikm)[0]

    @property
    def kinerja(self) -> str | None:
        return None if self.ikm is None else band(self.ikm)[1]

    def interval(self, unsur: str) -> str | None:
        value = self.nrr[unsur]
        return None if value is None else nrr_interval(value)

    def lowest(self, n: int = 3) -> list[str]:
        """The `n` unsur with the lowest NRR (ties in unsur order): where to act first."""
        return [UNSUR[i] for i in lowest_positions([self.nrr[u] for u in UNSUR], n)]

    def as_dict(self) -> dict:
        """The CLI's JSON: numbers at full precision (floats), the IKM rounded as published."""
        return {
            "respondents": self.respondents,
            "nrr": {u: None if v is None else float(v) for u, v in self.nrr.items()},
            "ikm_unit": None if self.ikm_unit is None else float(self.ikm_unit),
            "ikm": None if self.ikm is None else float(self.ikm),
            "mutu": self.mutu,
            "kinerja": self.kinerja,
        }


def lowest_positions(values: Sequence[Fraction | None], n: int = 3) -> list[int]:
    """Positions of the `n` lowest values that are known (ties in order): the unsur or
    questions to act on first."""
    known = [i for i, value in enumerate(values) if value is not None]
    return sorted(known, key=lambda i: (values[i], i))[:n]


def round_half_up(value: Fraction, places: int) -> Decimal:
    """`value` rounded half up (away from zero for these positive values) to `places`."""
    scaled = value * 10**places
    whole = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(whole).scaleb(-places)


def band(ikm: Decimal) -> tuple[str, str]:
    """(mutu, kinerja) of a published (rounded) IKM."""
    for lowest, mutu, kinerja in BANDS:
        if ikm >= lowest:
            return mutu, kinerja
    return BANDS[-1][1], BANDS[-1][2]


def nrr_interval(nrr: Fraction) -> str:
    """The mutu of an unsur's NRR: the band of NRR × 25 as published (rounded half up)."""
    return band(round_half_up(Fraction(nrr) * CONVERSION, 2))[0]


def validate(responses: object) -> list[Sequence[int | None]]:
    """The responses, checked: a list of lists of nine values, each null or an integer 1–4."""
    if not isinstance(responses, list):
        raise InvalidResponses(["responses: expected a list of responses"])
    errors = []
    for i, response in enumerate(responses):
        if not isinstance(response, list) or len(response) != len(UNSUR):
            errors.append(f"responses[{i}]: expected a list of {len(UNSUR)} values (null or 1-4)")
            continue
        for j, value in enumerate(response):
            integer = isinstance(value, int) and not isinstance(value, bool)
            if value is not None and not (integer and value in SCALE):
                shown = json.dumps(value)
                errors.append(f"responses[{i}][{j}] ({UNSUR[j]}): {shown} is not 1-4 or null")
    if errors:
        raise InvalidResponses(errors)
    return responses


def compute(responses: Iterable[Sequence[int | None]]) -> IkmResult:
    """The IKM of validated responses (see `validate`)."""
    sums, counts, respondents = [0] * len(UNSUR), [0] * len(UNSUR), 0
    for response in responses:
        if all(value is None for value in response):
            continue  # an empty form is no respondent
        respondents += 1
        for index, value in enumerate(response):
            if value is not None:
                sums[index] += value
                counts[index] += 1
    return from_totals(sums, counts, respondents)


def from_totals(sums: Sequence[int], counts: Sequence[int], respondents: int) -> IkmResult:
    """The IKM from each unsur's sum of answers and number of answers: what SQL aggregates give
    for thousands of responses without reading them one by one."""
    nrr = {
        u: Fraction(total, n) if n else None
        for u, total, n in zip(UNSUR, sums, counts, strict=True)
    }
    known = [value for value in nrr.values() if value is not None]
    unit = sum(known, Fraction(0)) / len(known) if known else None
    return IkmResult(
        respondents=respondents,
        nrr=nrr,
        answered=dict(zip(UNSUR, counts, strict=True)),
        ikm_unit=unit,
        ikm_exact=None if unit is None else unit * CONVERSION,
    )
