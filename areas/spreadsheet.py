"""The spreadsheet twins of the scoring engine's arithmetic (areas.scoring): an item's score
from its answer, as a formula of the cell holding it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from areas import scoring

# The spreadsheet twin of each numeric formula of areas.scoring.FORMULAS, by the same name:
# a function of the input cells (by input name) giving the ratio in [0, 1]. A formula without
# a twin is written as the engine's value (tests/reports/test_lke_workbook.py checks that
# every formula has one).


def _ratio(numerator: str, denominator: str, when_empty: str = "0") -> Callable:
    def formula(cells: Mapping[str, str]) -> str:
        top, bottom = cells[numerator], cells[denominator]
        return f"IF({bottom}=0,{when_empty},MIN(MAX({top}/{bottom},0),1))"

    return formula


def _violation_reduction(cells: Mapping[str, str]) -> str:
    last, this = cells["violations_last_year"], cells["violations_this_year"]
    return f"IF(AND({last}=0,{this}=0),1,IF({last}=0,0,MIN(MAX(({last}-{this})/{last},0),1)))"


SPREADSHEET_FORMULAS: dict[str, Callable[[Mapping[str, str]], str]] = {
    "changes_per_agent": _ratio("changes", "agents"),
    "integrated_per_change": _ratio("integrated", "changes"),
    "violation_reduction": _violation_reduction,
    "targets_achieved": _ratio("achieved", "targets"),
    "complaints_completed": _ratio("completed", "to_follow_up", "1"),
    "filed_per_obliged": _ratio("filed", "obliged"),
    "services_simplified": _ratio("simplified", "registered"),
}


def number_text(value: Decimal) -> str:
    """A weight or option score as a formula literal: 0.67, 1, 17.5."""
    text = format(value.normalize(), "f")
    return text


def text_literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def choice_formula(answer_cell: str, options: Mapping[str, Decimal]) -> str:
    """The item's option table as nested IFs (as the regulator's LKE writes it); an answer
    that is no option (or none) scores 0, as an unanswered item does in the engine."""
    expression = "0"
    for label, value in reversed(list(options.items())):
        expression = f"IF({answer_cell}={text_literal(label)},{number_text(value)},{expression})"
    return expression


def percent_formula(answer_cell: str) -> str:
    return f"IF(ISNUMBER({answer_cell}),MIN(MAX({answer_cell}/100,0),1),0)"


def survey_formula(answer_cell: str, weight_cell: str) -> str:
    return f"IF(ISNUMBER({answer_cell}),{answer_cell}*{weight_cell}/{scoring.SURVEY_MAX},0)"


def engine_number(raw) -> float | None:
    """A stored number (percent, count, index) as the engine reads it."""
    try:
        return float(scoring.to_decimal(raw))
    except scoring.AnswerError:
        return None
