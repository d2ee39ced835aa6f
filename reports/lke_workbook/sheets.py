"""The item sheets of the LKE workbook (one per area, Hasil, evidence): where each row goes and
which formula each score cell holds. Items first, then the aggregations that reference them, so
every formula knows its cells; the Rekap sheet (reports.lke_workbook.rekap) reads their rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from areas import scoring
from areas.instrument import AreaSpec, HasilItemSpec, IndicatorSpec, QuestionSpec
from areas.labels import input_label, metric_label
from areas.spreadsheet import (
    SPREADSHEET_FORMULAS,
    choice_formula,
    engine_number,
    percent_formula,
    survey_formula,
)
from assessments.models import Layer
from core.cells import spreadsheet_text
from reports.lke_workbook.data import WorkbookData
from reports.lke_workbook.styles import Styles

ZERO = Decimal(0)
HEAD_ROWS = 5  # title, subtitle, blank, two header rows
FIRST, TEXT, WEIGHT, LAYER0 = 0, 1, 2, 3
WIDTHS = {"code": 9, "text": 52, "weight": 8, "answer": 12, "score": 8, "note": 30, "links": 48}
URL_MAX = 2079  # Excel's limit for a hyperlink
LINE_HEIGHT = 13.5  # points per line of wrapped 10-11 pt text


def wrapped_lines(text: str, width: int) -> int:
    """About how many lines `text` takes in a column `width` characters wide."""
    per_line = max(1, int(width * 1.1))
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


@dataclass
class SheetCell:
    """A cell of another sheet, as a formula reaches it."""

    sheet: str
    row: int
    col: int

    def __str__(self) -> str:
        return f"{quote_sheetname(self.sheet)}!{xl_rowcol_to_cell(self.row, self.col)}"


class ItemSheet:
    """An item sheet: code, text, weight, then per layer answer, score and note, then links."""

    def __init__(self, sheet, data: WorkbookData, styles: Styles, cached: bool) -> None:
        self.sheet, self.data, self.styles, self.cached = sheet, data, styles, cached
        self.layers = data.layers
        self.links_col = LAYER0 + 3 * len(self.layers)
        self.row = HEAD_ROWS
        self.widths = [WIDTHS["code"], WIDTHS["text"], WIDTHS["weight"]]
        self.widths += [WIDTHS["answer"], WIDTHS["score"], WIDTHS["note"]] * len(self.layers)
        self.widths.append(WIDTHS["links"])
        self.lines: dict[int, int] = {}

    # columns of layer i: answer, score, note
    def cols(self, index: int) -> tuple[int, int, int]:
        base = LAYER0 + 3 * index
        return base, base + 1, base + 2

    def cached_value(self, value):
        if not self.cached or value is None:
            return None
        return value if isinstance(value, str) else float(value)

    def formula(self, row: int, col: int, text: str, style, value) -> None:
        self.sheet.write_formula(row, col, "=" + text, style, self.cached_value(value))

    def text(self, row: int, col: int, value: str, style) -> None:
        value = spreadsheet_text(str(value))
        self.sheet.write_string(row, col, value, style)
        if row >= HEAD_ROWS and value:
            self.lines[row] = max(self.lines.get(row, 1), wrapped_lines(value, self.widths[col]))

    def fit_rows(self) -> None:
        """Row heights for wrapped text: spreadsheet programs do not grow a row on opening a
        file, so an evaluator would see one line of each question."""
        for row, lines in self.lines.items():
            if lines > 1:
                self.sheet.set_row(row, LINE_HEIGHT * lines)

    def blank_row(self, row: int, style) -> None:
        for col in range(self.links_col + 1):
            self.sheet.write_blank(row, col, None, style)

    def header(self, title: str) -> None:
        sheet, styles, assessment = self.sheet, self.styles, self.data.assessment
        for col, width in enumerate(self.widths):
            sheet.set_column(col, col, width)
        self.text(0, 0, title, styles("title"))
        subtitle = f"{assessment.unit.name} ({assessment.unit.code}) · {assessment.period.name}"
        self.text(1, 0, subtitle, styles("subtitle"))
        head = styles("head")
        for col, label in (
            (FIRST, _("Kode")),
            (TEXT, _("Komponen / pertanyaan")),
            (WEIGHT, _("Bobot")),
            (self.links_col, _("Data dukung")),
        ):
            sheet.merge_range(3, col, 4, col, label, head)  # fmt: skip
        for index, layer in enumerate(self.layers):
            answer, score, note = self.cols(index)
            sheet.merge_range(3, answer, 3, note, str(Layer(layer).label), styles.layer(layer))
            for col, label in ((answer, _("Jawaban")), (score, _("Nilai")), (note, _("Catatan"))):
                sheet.write_string(4, col, label, head)
        sheet.set_row(4, 18)
        sheet.freeze_panes(HEAD_ROWS, WEIGHT + 1)
        sheet.repeat_rows(3, 4)
        sheet.set_landscape()
        sheet.set_paper(8)  # A3: an evaluator's sheet is wide
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)

    def answer_note(self, row: int, col: int, code: str, layer: str) -> None:
        answer = self.data.answers.get((code, layer))
        note = answer.note.strip() if answer is not None else ""
        self.text(row, col, note, self.styles("note"))

    def links(self, row: int, code: str) -> None:
        lines = [f"{e.name} [{e.verdict}]: {e.url}" for e in self.data.evidence.get(code, [])]
        self.text(row, self.links_col, "\n".join(lines), self.styles("note"))

    def choice_score(self, row: int, col: int, options) -> str:
        """The score of the label in (row, col) by the item's option table."""
        return choice_formula(
            xl_rowcol_to_cell(row, col),
            {spreadsheet_text(o.label): o.score for o in options},
        )

    def write_label(self, row: int, col: int, value) -> None:
        if isinstance(value, str):
            self.text(row, col, value, self.styles("cell"))
        else:
            self.sheet.write_blank(row, col, None, self.styles("cell"))

    def sum_of(self, cells: list[str]) -> str:
        return "+".join(cells) if cells else "0"


@dataclass
class AreaCells:
    """Rows of an area sheet that the Rekap reads (scores in each layer's score column)."""

    sheet: str
    pemenuhan: int
    reform: int
    total: int
    percent: int


def score_ref(sheet: str, row: int, layer_index: int) -> str:
    return str(SheetCell(sheet, row, LAYER0 + 3 * layer_index + 1))


def weight_ref(sheet: str, row: int) -> str:
    return str(SheetCell(sheet, row, WEIGHT))


class AreaSheet(ItemSheet):
    def write(self, area: AreaSpec) -> AreaCells:
        self.header(_("Area %(n)s. %(name)s") % {"n": area.number, "name": area.name})
        sections = {}
        for section, weight in (("pemenuhan", area.pemenuhan_weight),
                                ("reform", area.reform_weight)):  # fmt: skip
            indicators = [
                ind
                for ind in self.data.instrument.indicators
                if ind.area == area.number and ind.section == section
            ]
            sections[section] = self.section(area, section, weight, indicators)
        cells = self.area_total(area, sections)
        self.fit_rows()
        return cells

    def section(self, area: AreaSpec, section: str, weight: Decimal, indicators) -> int:
        row, styles = self.row, self.styles
        self.row += 1
        indicator_rows = [self.indicator(ind) for ind in indicators]
        self.blank_row(row, styles("section"))
        self.text(row, TEXT, metric_label(section).upper(), styles("section"))
        self.sheet.write_number(row, WEIGHT, weight, styles("section", "0.00"))
        for index, layer in enumerate(self.layers):
            _answer, score, _note = self.cols(index)
            cells = [xl_rowcol_to_cell(r, score) for r in indicator_rows]
            value = getattr(self.data.results[layer].areas[self._area_index(area)], section)
            self.formula(row, score, self.sum_of(cells), styles("section", "0.00"), value)
        return row

    def _area_index(self, area: AreaSpec) -> int:
        return self.data.instrument.areas.index(area)

    def indicator(self, ind: IndicatorSpec) -> int:
        row, styles = self.row, self.styles
        self.row += 1
        item_rows = [self.question(self.data.instrument.index.questions[c]) for c in ind.questions]
        self.blank_row(row, styles("indicator"))
        self.text(row, FIRST, f"{ind.area}.{ind.number}", styles("indicator"))
        self.text(row, TEXT, ind.name, styles("indicator"))
        self.sheet.write_number(row, WEIGHT, ind.weight, styles("indicator", "0.00"))
        weight = xl_rowcol_to_cell(row, WEIGHT, col_abs=True)
        for index, layer in enumerate(self.layers):
            _answer, score, _note = self.cols(index)
            value = self.data.results[layer].indicator_scores.get(
                (ind.section, ind.area, ind.number), ZERO
            )
            if item_rows:
                first, last = (xl_rowcol_to_cell(r, score) for r in (item_rows[0], self.row - 1))
                text = f"SUM({first}:{last})*{weight}/{len(item_rows)}"
            else:
                text = "0"
            self.formula(row, score, text, styles("indicator", "0.00"), value)
        return row

    def question(self, spec: QuestionSpec) -> int:
        row, styles = self.row, self.styles
        self.row += 1 + len(spec.inputs)
        self.text(row, FIRST, spec.code, styles("code"))
        self.text(row, TEXT, spec.text, styles("text"))
        self.sheet.write_blank(row, WEIGHT, None, styles("code"))
        for n, name in enumerate(spec.inputs, start=1):
            self.blank_row(row + n, styles("note"))
            self.text(row + n, TEXT, "    " + input_label(name), styles("note"))
        for index, layer in enumerate(self.layers):
            answer_col, score_col, note_col = self.cols(index)
            answer = self.data.answers.get((spec.code, layer))
            value = answer.value if answer is not None else None
            engine = self.data.results[layer].question_scores.get(spec.code, ZERO)
            if spec.options:
                self.write_label(row, answer_col, value)
                text = self.choice_score(row, answer_col, spec.options)
            else:
                self.percent_answer(spec, row, answer_col, value, engine)
                text = percent_formula(xl_rowcol_to_cell(row, answer_col))
            self.formula(row, score_col, text, styles("cell", "0.00"), engine)
            self.answer_note(row, note_col, spec.code, layer)
        self.links(row, spec.code)
        return row

    def percent_answer(self, spec: QuestionSpec, row: int, col: int, value, engine) -> None:
        """A percent typed, or the counts of a numeric item under it and the percent they give
        as a formula (empty until every count is there: unanswered scores 0)."""
        style = self.styles("cell", "0.##")
        twin = SPREADSHEET_FORMULAS.get(spec.formula or "")
        inputs = value.get("inputs") if isinstance(value, Mapping) else None
        if inputs:
            for n, name in enumerate(spec.inputs, start=1):
                number = engine_number(inputs.get(name))
                if number is not None:
                    self.sheet.write_number(row + n, col, number, self.styles("cell", "General"))
        if twin is not None and spec.inputs and not (value is not None and inputs is None):
            cells = {name: xl_rowcol_to_cell(row + n, col) for n, name in
                     enumerate(spec.inputs, start=1)}  # fmt: skip
            first, last = cells[spec.inputs[0]], cells[spec.inputs[-1]]
            text = f'IF(COUNT({first}:{last})<{len(spec.inputs)},"",100*{twin(cells)})'
            self.formula(row, col, text, style, engine * 100 if inputs else "")
        elif inputs is not None:  # counts without a spreadsheet formula: the engine's percent
            self.sheet.write_number(row, col, float(engine * 100), style)
        elif value is not None and engine_number(value) is not None:
            self.sheet.write_number(row, col, engine_number(value), style)
        else:
            self.sheet.write_blank(row, col, None, style)

    def area_total(self, area: AreaSpec, sections: dict[str, int]) -> AreaCells:
        styles, sheet = self.styles, self.sheet
        row = self.row
        percent_row = row + 1
        self.row += 2
        for r in (row, percent_row):
            self.blank_row(r, styles("total"))
        self.text(row, TEXT, _("Nilai area (Pemenuhan + Reform)"), styles("total"))
        self.text(percent_row, TEXT, _("Persentase dari bobot area (%)"), styles("total"))
        pem_w, ref_w = (xl_rowcol_to_cell(sections[s], WEIGHT) for s in ("pemenuhan", "reform"))
        weight = xl_rowcol_to_cell(row, WEIGHT)
        self.formula(row, WEIGHT, f"{pem_w}+{ref_w}", styles("total", "0.00"), area.weight)
        sheet.write_number(percent_row, WEIGHT, 100, styles("total", "0.00"))
        result_index = self._area_index(area)
        for index, layer in enumerate(self.layers):
            _answer, score, _note = self.cols(index)
            scored = self.data.results[layer].areas[result_index]
            pem, ref = (xl_rowcol_to_cell(sections[s], score) for s in ("pemenuhan", "reform"))
            total = xl_rowcol_to_cell(row, score)
            self.formula(row, score, f"{pem}+{ref}", styles("total", "0.00"), scored.total)
            self.formula(
                percent_row, score, f"IF({weight}=0,0,{total}*100/{weight})",
                styles("total", "0.00"), scored.percent,
            )  # fmt: skip
        return AreaCells(
            self.sheet.get_name(), sections["pemenuhan"], sections["reform"], row, percent_row
        )


@dataclass
class HasilCells:
    groups: dict[str, tuple[str, int]]  # group metric -> (label, row)
    items: dict[str, tuple[HasilItemSpec, int]]  # item metric -> (spec, row)
    total: int
    sheet: str


class HasilSheet(ItemSheet):
    def write(self) -> HasilCells:
        self.header(_("Hasil"))
        items = self.data.instrument.hasil
        groups, rows = {}, {}
        group_rows = []
        for group in dict.fromkeys(item.group for item in items):
            members = [item for item in items if item.group == group]
            row = self.row
            self.row += 1
            member_rows = [self.item(item) for item in members]
            rows |= {item.metric: (item, r) for item, r in zip(members, member_rows, strict=True)}
            self.group_row(row, members[0].group_name, group, member_rows)
            groups[group] = (members[0].group_name, row)
            group_rows.append(row)
        total = self.row
        self.row += 1
        self.group_row(total, metric_label("hasil"), "hasil", group_rows, style="total")
        self.fit_rows()
        return HasilCells(groups, rows, total, self.sheet.get_name())

    def group_row(self, row: int, label: str, metric: str, parts: list[int], style="section"):
        styles = self.styles
        self.blank_row(row, styles(style))
        self.text(row, TEXT, label, styles(style))
        weights = [xl_rowcol_to_cell(r, WEIGHT) for r in parts]
        weight = sum(
            (i.weight for i in self.data.instrument.hasil if metric in ("hasil", i.group)), ZERO
        )
        self.formula(row, WEIGHT, self.sum_of(weights), styles(style, "0.00"), weight)
        for index, layer in enumerate(self.layers):
            _answer, score, _note = self.cols(index)
            result = self.data.results[layer]
            value = result.hasil if metric == "hasil" else result.hasil_detail.get(metric, ZERO)
            cells = [xl_rowcol_to_cell(r, score) for r in parts]
            self.formula(row, score, self.sum_of(cells), styles(style, "0.00"), value)

    def item(self, spec: HasilItemSpec) -> int:
        row, styles = self.row, self.styles
        self.row += 1
        self.text(row, FIRST, spec.code, styles("code"))
        self.text(row, TEXT, spec.name, styles("text"))
        self.sheet.write_number(row, WEIGHT, spec.weight, styles("cell", "0.00"))
        weight = xl_rowcol_to_cell(row, WEIGHT, col_abs=True)
        for index, layer in enumerate(self.layers):
            answer_col, score_col, note_col = self.cols(index)
            answer = self.data.answers.get((spec.code, layer))
            value = answer.value if answer is not None else None
            points = (
                scoring.hasil_points(self.data.instrument, spec.code, value)
                if value is not None
                else ZERO
            )
            if spec.options:
                self.write_label(row, answer_col, value)
                text = f"({self.choice_score(row, answer_col, spec.options)})*{weight}"
            else:
                number = engine_number(value) if value is not None else None
                if number is None:
                    self.sheet.write_blank(row, answer_col, None, styles("cell"))
                else:
                    self.sheet.write_number(row, answer_col, number, styles("cell", "0.00"))
                text = survey_formula(xl_rowcol_to_cell(row, answer_col), weight)
            self.formula(row, score_col, text, styles("cell", "0.00"), points)
            self.answer_note(row, note_col, spec.code, layer)
        self.links(row, spec.code)
        return row


def write_evidence(sheet, data: WorkbookData, styles: Styles) -> None:
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 2, 18)
    sheet.set_column(3, 3, 70)
    sheet.write_string(0, 0, _("Data dukung per butir"), styles("title"))
    head = styles("head")
    for col, label in enumerate([_("Kode"), _("Berkas / tautan"), _("Hasil pemeriksaan"),
                                 _("Alamat (unduh lewat portal, perlu masuk)")]):  # fmt: skip
        sheet.write_string(2, col, label, head)
    sheet.freeze_panes(3, 0)
    sheet.repeat_rows(2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    row = 3
    for code in sorted(data.evidence):
        for link in data.evidence[code]:
            sheet.write_string(row, 0, spreadsheet_text(link.code), styles("code"))
            sheet.write_string(row, 1, spreadsheet_text(link.name), styles("text"))
            sheet.write_string(row, 2, spreadsheet_text(link.verdict), styles("code"))
            safe = link.url.startswith(("https://", "http://")) and len(link.url) <= URL_MAX
            if safe:
                sheet.write_url(row, 3, link.url, styles("link"), spreadsheet_text(link.url))
            else:
                sheet.write_string(row, 3, spreadsheet_text(link.url), styles("note"))
            row += 1
