"""The offline LKE workbook of one assessment's layer: one sheet per area and Hasil, one row
per item (a numeric item's counts each on a row below it), only the answer, count and note
cells unlocked, earlier layers beside them read only, and formulas that show the item, indicator
and area scores as the user types (the review workbook's spreadsheet twins of the engine,
areas.spreadsheet). A hidden, signed sheet names the assessment, layer, instrument
version and each item's revision and cells, so the upload knows what it reads."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from areas import labels
from areas.models import AnswerType, Question
from areas.selectors import version_parts
from areas.spreadsheet import (
    SPREADSHEET_FORMULAS,
    choice_formula,
    number_text,
    percent_formula,
    survey_formula,
)
from assessments import permissions
from assessments.assessment import LAYER_COLORS, LAYER_ORDER, Assessment, Layer
from assessments.worksheet.models import Answer
from assessments.worksheet.offline import layout as L
from assessments.worksheet.selectors import HASIL_TAB, items_open, tab_of
from core.cells import SHEET_FILLS as FILLS
from core.cells import spreadsheet_text

UNLOCKED = Protection(locked=False)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_COUNT = 10**9 - 1  # areas.numbers.COUNT_DIGITS


def _fill(color: str) -> PatternFill:
    return PatternFill("solid", fgColor=color.lstrip("#"))


@dataclass
class Source:
    """What the workbook is made from (three queries past the cached instrument)."""

    assessment: Assessment
    layer: str
    questions: tuple[Question, ...]
    answers: dict[tuple[int, str], Answer]
    evidence: Counter
    earlier: list[str]
    editable: set[int] | None = None  # None: every item; else only these (returned items)
    items: list[list] = field(default_factory=list)  # the hidden sheet's rows


def workbook_source(*, assessment: Assessment, layer: str, reader=None) -> Source:
    parts = version_parts(assessment.period.lke_version)
    earlier = LAYER_ORDER[: LAYER_ORDER.index(layer)]
    if reader is not None:
        visible = permissions.visible_layers(reader, assessment)
        earlier = [older for older in earlier if older in visible]
    answers = {
        (a.question_id, a.layer): a
        for a in Answer.objects.filter(
            assessment=assessment, layer__in=[*earlier, layer]
        ).order_by()
    }
    evidence = Counter(
        dict(
            assessment.evidence.filter(removed_at__isnull=True, question__isnull=False)
            .order_by()
            .values("question_id")
            .annotate(n=Count("pk"))
            .values_list("question_id", "n")
        )
    )
    editable = items_open(assessment, layer)
    return Source(assessment, layer, parts.questions, answers, evidence, earlier, editable)


def workbook_filename(assessment: Assessment, layer: str) -> str:
    return f"LKE-{assessment.unit.code}-{assessment.period.year}-{layer}.xlsx"


def render_offline_workbook(source: Source) -> bytes:
    source.items.clear()  # the hidden sheet's rows are those of this rendering
    workbook = Workbook()
    workbook.remove(workbook.active)
    by_tab: dict[str, list[Question]] = {}
    for question in source.questions:
        by_tab.setdefault(tab_of(question), []).append(question)
    totals = []
    for key, questions in by_tab.items():
        if key == HASIL_TAB:
            continue
        area = questions[0].indicator.area
        title = _("Area %(n)s") % {"n": area.number}
        sheet = workbook.create_sheet(title)
        totals.append(f"'{title}'!H5")
        _Sheet(sheet, source).write_area(area, questions)
    hasil = workbook.create_sheet(_("Hasil"))
    _Sheet(hasil, source).write_hasil(by_tab.get(HASIL_TAB, []), totals)
    _write_meta(workbook.create_sheet(L.META_SHEET), source)
    workbook.security = WorkbookProtection(lockStructure=True)  # the hidden sheet stays hidden
    workbook.calculation.fullCalcOnLoad = True  # formulas carry no cached value: compute on open
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_meta(sheet, source: Source) -> None:
    assessment = source.assessment
    version = assessment.period.lke_version
    head = {
        "format": L.FORMAT,
        "assessment": assessment.pk,
        "layer": source.layer,
        "version": version.pk,
        "published": version.published_at.isoformat() if version.published_at else "",
    }
    for row, key in enumerate(L.META_KEYS, start=1):
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, str(head[key]))
    sheet.cell(L.SIGNATURE_ROW, 1, "signature")
    sheet.cell(L.SIGNATURE_ROW, 2, L.sign(head, source.items))
    for row, item in enumerate(source.items, start=L.ITEMS_ROW):
        for column, value in enumerate(item, start=1):
            sheet.cell(row, column, str(value))
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


class _Sheet:
    def __init__(self, sheet, source: Source) -> None:
        self.sheet, self.source, self.row = sheet, source, L.HEADER_ROW
        self.validations: dict[tuple, DataValidation] = {}

    # -------------------------------------------------------------- frame

    def _head(self, title: str) -> None:
        sheet, assessment = self.sheet, self.source.assessment
        sheet["A1"] = spreadsheet_text(f"{assessment.unit.name} · {assessment.period.year}")
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A2"] = spreadsheet_text(
            f"{title} · " + _("Lapisan: %(layer)s") % {"layer": Layer(self.source.layer).label}
        )
        heads = [
            _("Kode"), _("Pertanyaan"), _("Jenis jawaban"), _("Pilihan / isian"), _("Jawaban"),
            _("Catatan"), _("Data dukung"), _("Nilai"),
            *[str(Layer(older).label) for older in self.source.earlier],
        ]  # fmt: skip
        for column, text in enumerate(heads, start=1):
            cell = sheet.cell(L.HEADER_ROW, column, text)
            cell.font, cell.alignment = BOLD, Alignment(wrap_text=True, horizontal="center")
            cell.fill = _fill(FILLS["head"])
        for offset, older in enumerate(self.source.earlier):
            cell = sheet.cell(L.HEADER_ROW, L.FIRST_EARLIER + offset)
            cell.fill, cell.font = _fill(LAYER_COLORS[older]), Font(bold=True, color="FFFFFF")
        widths = {"A": 10, "B": 60, "C": 14, "D": 30, "E": 14, "F": 40, "G": 11, "H": 10}
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width
        for offset in range(len(self.source.earlier)):
            sheet.column_dimensions[get_column_letter(L.FIRST_EARLIER + offset)].width = 18
        sheet.freeze_panes = f"C{L.HEADER_ROW + 1}"
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False  # widths may change; nothing else
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

    def _summary(self, row: int, label: str, formula: str) -> None:
        """A total of the sheet, in the score column (H) under the item scores' heading."""
        self.sheet.cell(row, 2, label).font = BOLD
        self.sheet.cell(row, 2).alignment = Alignment(horizontal="right")
        cell = self.sheet.cell(row, 8, formula)
        cell.font, cell.fill, cell.number_format = BOLD, _fill(FILLS["total"]), "0.00"

    def _validation(self, key: tuple, **spec) -> DataValidation:
        if key not in self.validations:
            validation = DataValidation(allow_blank=True, showErrorMessage=True, **spec)
            self.sheet.add_data_validation(validation)
            self.validations[key] = validation
        return self.validations[key]

    def _next(self) -> int:
        self.row += 1
        return self.row

    # -------------------------------------------------------------- areas and Hasil

    def write_area(self, area, questions: list[Question]) -> None:
        self._head(_("Area %(n)s: %(name)s") % {"n": area.number, "name": area.name})
        halves = {}
        for section, label in (("pemenuhan", _("Pemenuhan")), ("reform", _("Reform"))):
            items = [q for q in questions if q.indicator.section == section]
            if items:
                row = self._next()
                self.sheet.cell(row, 1, label).font = BOLD
                self.sheet.cell(row, 1).fill = _fill(FILLS["section"])
            halves[section] = self._indicators(items)
        self._summary(3, _("Nilai pemenuhan"), _sum(halves.get("pemenuhan")))
        self._summary(4, _("Nilai reform"), _sum(halves.get("reform")))
        weight = number_text(area.weight)
        self._summary(5, _("Nilai area (bobot %(w)s)") % {"w": weight}, "=H3+H4")

    def write_hasil(self, questions: list[Question], area_totals: list[str]) -> None:
        self._head(_("Hasil"))
        cells = []
        for question in questions:
            cells.append(f"H{self._item(question, weight=question.indicator.weight)}")
        self._summary(3, _("Nilai hasil"), "=" + ("+".join(cells) or "0"))
        self._summary(4, _("Pengungkit"), "=" + ("+".join(area_totals) or "0"))
        self._summary(5, _("Nilai total"), "=H3+H4")

    def _indicators(self, questions: list[Question]) -> list[str]:
        cells, by_indicator = [], {}
        for question in questions:
            by_indicator.setdefault(question.indicator_id, []).append(question)
        for items in by_indicator.values():
            indicator = items[0].indicator
            head = self._next()
            self.sheet.cell(head, 2, spreadsheet_text(indicator.name)).font = BOLD
            for column in range(1, 9):
                self.sheet.cell(head, column).fill = _fill(FILLS["indicator"])
            first = None
            for question in items:
                row = self._item(question)
                first = first or row
            weight = number_text(indicator.weight)
            formula = f"=SUM(H{first}:H{self.row})/{len(items)}*{weight}"
            cell = self.sheet.cell(head, 8, formula)
            cell.number_format, cell.font = "0.00", BOLD
            cells.append(f"H{head}")
        return cells

    # -------------------------------------------------------------- one item

    def _item(self, question: Question, weight=None) -> int:
        source, sheet = self.source, self.sheet
        row = self._next()
        mine = source.answers.get((question.pk, source.layer))
        value = mine.value if mine else None
        editable = source.editable is None or question.pk in source.editable
        options = [option.label for option in question.options.all()]
        sheet.cell(row, 1, question.code)
        sheet.cell(row, 2, spreadsheet_text(question.text)).alignment = WRAP
        sheet.row_dimensions[row].height = 15 * max(1, -(-len(question.text) // 70))
        sheet.cell(row, 3, str(AnswerType(question.answer_type).label))
        answer = sheet.cell(row, 5)
        inputs: list[tuple[str, int]] = []
        if question.inputs:
            sheet.cell(row, 4, _("Isi angka pada baris di bawah"))
            counts = value.get("inputs", {}) if isinstance(value, dict) else {}
            for name in question.inputs:
                at = self._next()
                sheet.cell(at, 4, labels.input_label(name)).alignment = WRAP
                cell = sheet.cell(at, 5, counts.get(name))
                self._unlock(cell, editable, "count", type="whole", operator="between",
                             formula1="0", formula2=str(MAX_COUNT))  # fmt: skip
                inputs.append((name, at))
            formula = SPREADSHEET_FORMULAS.get(question.formula)
            names = {name: f"E{at}" for name, at in inputs}
            cells = ",".join(names.values())
            score = f"=IF(COUNT({cells})={len(inputs)},{formula(names)},0)" if formula else "=0"
        elif options:
            sheet.cell(row, 4, " / ".join(options))
            answer.value = value if isinstance(value, str) else None
            listed = '"' + ",".join(options) + '"'
            self._unlock(answer, editable, ("list", *options), type="list", formula1=listed)
            scores = {option.label: option.score for option in question.options.all()}
            score = "=" + choice_formula(f"E{row}", scores)
            if weight is not None:
                score += f"*{number_text(weight)}"
        elif question.answer_type == AnswerType.SURVEY_INDEX:
            sheet.cell(row, 4, _("Angka 1–4 (misalnya 3,25)"))
            answer.value = value
            self._unlock(answer, editable, "index", type="decimal", operator="between",
                         formula1="1", formula2="4")  # fmt: skip
            score = "=" + survey_formula(f"E{row}", number_text(weight or 0))
        else:
            sheet.cell(row, 4, _("Persen, 0 atau lebih (misalnya 87,5)"))
            answer.value = value
            self._unlock(answer, editable, "percent", type="decimal",
                         operator="greaterThanOrEqual", formula1="0")  # fmt: skip
            score = "=" + percent_formula(f"E{row}")
        note = sheet.cell(row, 6, spreadsheet_text(mine.note) if mine else None)
        note.alignment = WRAP
        if editable:
            note.protection = UNLOCKED
        sheet.cell(row, 7, source.evidence.get(question.pk, 0))
        sheet.cell(row, 8, score).number_format = "0.00"
        for offset, older in enumerate(source.earlier):
            theirs = source.answers.get((question.pk, older))
            text = labels.answer_text(theirs.value, question) if theirs else ""
            cell = sheet.cell(row, L.FIRST_EARLIER + offset, spreadsheet_text(text))
            cell.font, cell.alignment = Font(color="555555"), WRAP
        written = [answer.value, *(sheet.cell(at, 5).value for _n, at in inputs), note.value]
        source.items.append([
            question.code, mine.revision if mine else 0, sheet.title, row,
            ";".join(f"{name}={at}" for name, at in inputs), L.digest(written),
        ])  # fmt: skip
        return row

    def _unlock(self, cell, editable: bool, key, **validation) -> None:
        if not editable:
            cell.fill = _fill(FILLS["head"])
            return
        cell.protection = UNLOCKED
        cell.fill = _fill("#FFFFFF")
        spec = {"error": _("Isian tidak sesuai dengan pilihan atau batas butir ini.")}
        self._validation(key if isinstance(key, tuple) else (key,), **spec, **validation).add(cell)


def _sum(cells: list[str] | None) -> str:
    return "=" + ("+".join(cells) if cells else "0")
