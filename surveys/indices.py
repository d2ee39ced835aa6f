"""A survey's index on its own scale and its value on the LKE's 1-4 scale, exactly.

For SPKP and SPAK as for the IKM: each question's mean = the sum of its answers / how many
answered it; the index = the mean of the question means that anyone answered (each weighted
equally); on the LKE it is mapped linearly from 1..k onto 1..4 (1 stays 1, k becomes 4), since
institutions run these surveys on 1-4, 1-6 or 1-10 scales. Pure, like `ikm`: SQL gives the sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

LKE_MIN, LKE_MAX = 1, 4  # IPAK/IPKP are entered on the LKE's 1-4 scale


@dataclass(frozen=True)
class IndexResult:
    respondents: int
    means: list[Fraction | None]  # per question; None when nobody answered it
    answered: list[int]  # per question, how many answered it
    index: Fraction | None  # on the instrument's 1..scale_max
    scale_max: int

    @property
    def lke_value(self) -> Fraction | None:
        return None if self.index is None else to_lke_scale(self.index, self.scale_max)


def to_lke_scale(index: Fraction, scale_max: int) -> Fraction:
    """`index` on 1..scale_max, mapped linearly onto the LKE's 1..4."""
    return LKE_MIN + (Fraction(index) - 1) * (LKE_MAX - LKE_MIN) / (scale_max - 1)


def from_totals(
    sums: Sequence[int], counts: Sequence[int], respondents: int, *, scale_max: int
) -> IndexResult:
    means = [Fraction(total, n) if n else None for total, n in zip(sums, counts, strict=True)]
    known = [m for m in means if m is not None]
    index = sum(known, Fraction(0)) / len(known) if known else None
    return IndexResult(
        respondents=respondents,
        means=means,
        answered=list(counts),
        index=index,
        scale_max=scale_max,
    )
