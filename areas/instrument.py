"""The LKE instrument as the scoring engine reads it: areas, indicators, questions, Hasil items,
predicate rules and the predicate ladder, as frozen plain values (areas.instrument_db builds
them from the database, areas.instrument_yaml from the shipped YAML)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import (
    Decimal,
)


@dataclass(frozen=True, slots=True)
class OptionSpec:
    label: str
    score: Decimal


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    code: str
    section: str  # "pemenuhan" | "reform"
    area: int
    indicator: int
    answer_type: str  # yes_no, abc, abcd, abcde, percent
    text: str = ""
    options: tuple[OptionSpec, ...] = ()
    inputs: tuple[str, ...] = ()  # raw counts asked for a numeric question
    formula: str | None = None  # name in FORMULAS


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    section: str
    area: int
    number: int
    name: str
    weight: Decimal
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AreaSpec:
    number: int
    name: str
    pemenuhan_weight: Decimal
    reform_weight: Decimal

    @property
    def weight(self) -> Decimal:
        return self.pemenuhan_weight + self.reform_weight


@dataclass(frozen=True, slots=True)
class HasilItemSpec:
    code: str
    group: str  # metric key of the group total, e.g. birokrasi_bersih
    group_name: str
    metric: str  # metric key of this item, e.g. ipak
    name: str
    answer_type: str  # survey_index or a choice type
    weight: Decimal
    options: tuple[OptionSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class PredicateRuleSpec:
    predicate: str  # WBK | WBBM
    metric: str  # total, pengungkit, area_percent, <hasil metric>, prior_predicate
    minimum: Decimal | str  # a predicate name for prior_predicate, else points (area: percent)


@dataclass(frozen=True, slots=True)
class Instrument:
    version: str
    title: str
    areas: tuple[AreaSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    questions: tuple[QuestionSpec, ...]
    hasil: tuple[HasilItemSpec, ...]
    predicate_rules: tuple[PredicateRuleSpec, ...]
    # Predicate ladder, lowest first: holding a later one also satisfies a prior-predicate rule.
    predicates: tuple[str, ...]
    answer_types: Mapping[str, tuple[OptionSpec, ...]] = field(default_factory=dict, compare=False)
    _index: _Index | None = field(default=None, init=False, repr=False, compare=False, hash=False)

    @property
    def index(self) -> _Index:
        # Built once per instrument on first use; frozen, so bypass __setattr__ for the cache.
        if self._index is None:
            object.__setattr__(self, "_index", _Index.build(self))
        return self._index  # type: ignore[return-value]

    @property
    def item_count(self) -> int:
        return len(self.questions) + len(self.hasil)


@dataclass(frozen=True, slots=True)
class _Index:
    questions: dict[str, QuestionSpec]
    option_scores: dict[str, dict[str, Decimal]]  # question or hasil code -> label -> score
    hasil: dict[str, HasilItemSpec]

    @classmethod
    def build(cls, instrument: Instrument) -> _Index:
        items = (*instrument.questions, *instrument.hasil)
        return cls(
            questions={q.code: q for q in instrument.questions},
            option_scores={i.code: {o.label: o.score for o in i.options} for i in items},
            hasil={h.code: h for h in instrument.hasil},
        )
