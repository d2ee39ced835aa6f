"""An LKE version as an XLSX workbook (sheets versi, tree, options, rules); read back by
instrument_xlsx_import.

Export → import → export gives a byte-identical file: the workbook is written with fixed
timestamps, so administrators (and tests) can compare files. An import creates a new draft in
one transaction; any bad row aborts it with a row-by-row report and nothing is saved.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from areas.models import (
    Area,
    Indicator,
    LkeVersion,
    Question,
    Section,
)
from core.cells import spreadsheet_row

TREE_COLUMNS = [
    "level", "section", "area", "indicator", "code", "name", "weight", "pemenuhan_weight",
    "reform_weight", "answer_type", "metric", "formula", "inputs", "guidance",
    "required_evidence", "purpose", "examples",
]  # fmt: skip
OPTION_COLUMNS = ["code", "label", "score", "criteria"]
RULE_COLUMNS = ["predicate", "metric", "minimum"]
# The evidence dictionary (areas.evidence_dictionary): one row per entry; 1/0 for the rules.
EVIDENCE_COLUMNS = ["code", "label", "in_period", "signed", "min_count", "carry_over"]
VERSION_FIELDS = ["name", "regulation", "year", "notes", "revocation_bar_years"]
FIXED_TIME = (2021, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- export


def _number(value: Decimal | None):
    return None if value is None else float(value)


def export_version(version: LkeVersion) -> bytes:
    workbook = Workbook()
    info = workbook.active
    info.title = "versi"
    _sheet(info, ["field", "value"], [[f, getattr(version, f)] for f in VERSION_FIELDS])
    areas = list(version.areas.order_by("number"))
    indicators = list(version.indicators.select_related("area"))
    indicators.sort(
        key=lambda i: (
            list(Section.values).index(i.section),
            i.area.number if i.area else 0,
            i.number,
        )
    )
    questions = list(
        version.questions.prefetch_related("options", "evidence_requirements").order_by(
            "position", "pk"
        )
    )
    tree = [_area_row(area) for area in areas]
    by_indicator: dict[int, list[Question]] = {}
    for question in questions:
        by_indicator.setdefault(question.indicator_id, []).append(question)
    option_rows, evidence_rows = [], []
    for indicator in indicators:
        tree.append(_indicator_row(indicator))
        for question in by_indicator.get(indicator.pk, []):
            tree.append(_question_row(indicator, question))
            option_rows += [
                [question.code, o.label, _number(o.score), o.criteria]
                for o in question.options.all()
            ]
            evidence_rows += [
                _evidence_row(question, e) for e in question.evidence_requirements.all()
            ]
    _sheet(workbook.create_sheet("tree"), TREE_COLUMNS, tree)
    _sheet(workbook.create_sheet("options"), OPTION_COLUMNS, option_rows)
    rules = version.predicate_rules.order_by("position", "pk")
    _sheet(
        workbook.create_sheet("rules"),
        RULE_COLUMNS,
        [[r.predicate, r.metric, r.minimum_predicate or _number(r.minimum)] for r in rules],
    )
    _sheet(workbook.create_sheet("kamus_eviden"), EVIDENCE_COLUMNS, evidence_rows)
    return _deterministic(workbook)


def _evidence_row(question: Question, entry) -> list:
    flags = (entry.must_be_in_period, entry.must_be_signed)
    return [question.code, entry.label, *(int(f) for f in flags), entry.min_count,
            int(entry.carry_over_allowed)]  # fmt: skip


def _row(**values) -> list:
    return [values.get(column) for column in TREE_COLUMNS]


def _area_row(area: Area) -> list:
    return _row(
        level="area",
        area=area.number,
        name=area.name,
        pemenuhan_weight=_number(area.pemenuhan_weight),
        reform_weight=_number(area.reform_weight),
        purpose=area.purpose or None,
        examples=area.examples or None,
    )


def _indicator_row(indicator: Indicator) -> list:
    return _row(
        level="indicator",
        section=indicator.section,
        area=indicator.area.number if indicator.area else None,
        indicator=indicator.number,
        name=indicator.name,
        weight=_number(indicator.weight),
    )


def _question_row(indicator: Indicator, question: Question) -> list:
    return _row(
        level="question",
        section=indicator.section,
        area=indicator.area.number if indicator.area else None,
        indicator=indicator.number,
        code=question.code,
        name=question.text,
        answer_type=question.answer_type,
        metric=question.metric or None,
        formula=question.formula or None,
        inputs=", ".join(question.inputs) or None,
        guidance=question.guidance or None,
        required_evidence=question.required_evidence or None,
    )


def _sheet(sheet, header: list[str], rows: list[list]) -> None:
    sheet.append(spreadsheet_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(spreadsheet_row(row))  # texts typed by administrators


def _deterministic(workbook: Workbook) -> bytes:
    """Save with fixed timestamps in the document properties and in the ZIP entries."""
    raw = io.BytesIO()
    workbook.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2021-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --------------------------------------------------------------------------- import
