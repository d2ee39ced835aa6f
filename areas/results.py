"""What the scoring engine returns: area scores, each predicate rule's result, the predicates and
the whole score, with their JSON forms (as_dict) for the CLI and the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import (
    Decimal,
)
from typing import Any


def display(value: Decimal) -> float:
    """2-decimal display value, rounded the way the reference cases were produced.

    That is Python's round() of the nearest binary double (half-even on the exact binary value),
    not a decimal mode: the cases show 16.625 -> 16.62 (an exact binary tie, so half-even) but
    6.325 -> 6.33 and 70.325 -> 70.33 (their doubles lie just above the tie). Neither
    ROUND_HALF_UP nor ROUND_HALF_EVEN on the Decimal reproduces all four cases.
    """
    return round(float(value), 2)


def _display_any(value: Decimal | str | None) -> float | str | None:
    return display(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True, slots=True)
class AreaScore:
    number: int
    name: str
    weight: Decimal
    pemenuhan: Decimal
    reform: Decimal
    total: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class RuleResult:
    name: str  # total, pengungkit, area_N, birokrasi_bersih, ipak, ..., prior_predicate
    value: Decimal | str | None  # area_N: the area total (points), as in the worked cases
    minimum: Decimal | str  # area_N: the rule's percent of the area weight, in points
    passed: bool
    margin: Decimal | None  # value − minimum at COMPARISON_PLACES; None for prior_predicate

    def as_dict(self, *, detail: bool = False) -> dict[str, Any]:
        out = {
            "rule": self.name,
            "value": _display_any(self.value),
            "minimum": _display_any(self.minimum),
        }
        if detail:
            out |= {"passed": self.passed, "margin": _display_any(self.margin)}
        return out


@dataclass(frozen=True, slots=True)
class PredicateResult:
    predicate: str
    rules: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return all(rule.passed for rule in self.rules)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(rule for rule in self.rules if not rule.passed)

    def as_dict(self, *, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "eligible": self.eligible,
            "failed": [rule.as_dict() for rule in self.failed],
        }
        if detail:
            out["rules"] = [rule.as_dict(detail=True) for rule in self.rules]
        return out


@dataclass(frozen=True, slots=True)
class ScoreResult:
    version: str
    question_scores: Mapping[str, Decimal]  # answered questions only; unanswered count as 0
    indicator_scores: Mapping[tuple[str, int, int], Decimal]  # (section, area, indicator)
    areas: tuple[AreaScore, ...]
    pemenuhan: Decimal
    reform: Decimal
    pengungkit: Decimal
    hasil_detail: Mapping[str, Decimal]  # group totals and item points, e.g. ipak
    hasil: Decimal
    total: Decimal
    answered: int
    item_count: int
    predicates: Mapping[str, PredicateResult]

    def as_dict(self, *, detail: bool = False) -> dict[str, Any]:
        """The JSON shape of the *.expected.json cases (2 decimals); detail adds every rule."""
        return {
            "areas": {
                str(a.number): {
                    "pemenuhan": display(a.pemenuhan),
                    "reform": display(a.reform),
                    "total": display(a.total),
                    "percent": display(a.percent),
                }
                for a in self.areas
            },
            "pemenuhan": display(self.pemenuhan),
            "reform": display(self.reform),
            "pengungkit": display(self.pengungkit),
            "hasil": display(self.hasil),
            "total": display(self.total),
            "hasil_detail": {key: display(value) for key, value in self.hasil_detail.items()},
            "progress": {"answered": self.answered, "total": self.item_count},
            "predicates": {name: p.as_dict(detail=detail) for name, p in self.predicates.items()},
        }
