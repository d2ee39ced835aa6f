"""Each layer's answers through the one scoring engine (areas.scoring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from areas import scoring
from areas.instrument import Instrument
from areas.instrument_db import instrument_for
from areas.models import HASIL_SECTIONS
from areas.results import ScoreResult
from assessments.assessment import Assessment
from assessments.worksheet.models import Answer


def instrument_of(assessment: Assessment) -> Instrument:
    return instrument_for(assessment.period.lke_version)


def split_values(instrument: Instrument, answers: Iterable[Answer]) -> dict[str, tuple[dict, dict]]:
    """Per layer: (pengungkit answers, hasil answers) by question code, as the engine takes them."""
    hasil_codes = {h.code for h in instrument.hasil}
    out: dict[str, tuple[dict, dict]] = defaultdict(lambda: ({}, {}))
    for answer in answers:
        if answer.value is None:
            continue
        code = answer.question.code
        out[answer.layer][1 if code in hasil_codes else 0][code] = answer.value
    return out


def layer_results(
    assessment: Assessment,
    layers: Iterable[str],
    answers: Iterable[Answer] | None = None,
    prior_predicate: str | None = None,
) -> dict[str, ScoreResult]:
    """The engine's result for each requested layer (stored values were validated on save)."""
    instrument = instrument_of(assessment)
    if answers is None:
        answers = assessment.answers.select_related("question")
    values = split_values(instrument, answers)
    return {
        layer: scoring.score(instrument, *values[layer], prior_predicate=prior_predicate)
        for layer in layers
    }


def is_hasil_section(section: str) -> bool:
    return section in HASIL_SECTIONS
