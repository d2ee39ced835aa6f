"""The Rekap sheet of the LKE workbook: each area's halves, total and percent, Pengungkit, Hasil
and the total, one column per layer, every number a formula over the area and Hasil sheets."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_rowcol_to_cell

from areas.instrument import AreaSpec
from areas.labels import metric_label
from assessments.models import Layer
from core.cells import spreadsheet_text
from reports.lke_workbook.data import WorkbookData, workbook_title
from reports.lke_workbook.sheets import (
    ZERO,
    AreaCells,
    HasilCells,
    Styles,
    score_ref,
    weight_ref,
)


class Rekap:
    """The summary: each area's halves, total and percent, Pengungkit, Hasil and the total,
    one column per layer, all formulas over the area and Hasil sheets."""

    def __init__(self, sheet, data: WorkbookData, styles: Styles, cached: bool) -> None:
        self.sheet, self.data, self.styles, self.cached = sheet, data, styles, cached
        self.results = [data.results[layer] for layer in data.layers]
        self.value_cols = [4 + i for i in range(len(data.layers))]
        self.weights: dict[int, Decimal] = {}  # row -> weight shown (the formulas' cached value)
        self.row = 0

    def put(self, row, col, text, style, value) -> None:
        cached = float(value) if self.cached and value is not None else None
        self.sheet.write_formula(row, col, "=" + text, style, cached)

    def write(self, areas: dict[int, AreaCells], hasil: HasilCells) -> None:
        self.heading()
        self.band(_("A. PENGUNGKIT"))
        pem_rows, ref_rows = [], []
        for index, area in enumerate(self.data.instrument.areas):
            first = self.area_block(index, area, areas[area.number])
            pem_rows.append(first)
            ref_rows.append(first + 1)
        pemenuhan = self.sum_line(
            metric_label("pemenuhan"), pem_rows, [r.pemenuhan for r in self.results], "indicator"
        )
        reform = self.sum_line(
            metric_label("reform"), ref_rows, [r.reform for r in self.results], "indicator"
        )
        pengungkit = self.sum_line(
            metric_label("pengungkit"),
            [pemenuhan, reform],
            [r.pengungkit for r in self.results],
            "total",
        )
        self.band(_("B. HASIL"))
        group_rows = []
        for group, (label, row) in hasil.groups.items():
            group_rows.append(self.row)
            values = [r.hasil_detail.get(group) for r in self.results]
            weight = sum((i.weight for i in self.data.instrument.hasil if i.group == group), ZERO)
            self.line("", label, "", hasil.sheet, row, values, weight, "indicator")
            for metric, (spec, item_row) in hasil.items.items():
                if spec.group == group and metric != group:
                    values = [r.hasil_detail.get(metric) for r in self.results]
                    self.line(
                        spec.code,
                        metric_label(metric),
                        "",
                        hasil.sheet,
                        item_row,
                        values,
                        spec.weight,
                    )
        total_hasil = self.sum_line(
            metric_label("hasil"), group_rows, [r.hasil for r in self.results], "total"
        )
        self.sum_line(
            metric_label("total").upper(),
            [pengungkit, total_hasil],
            [r.total for r in self.results],
            "total",
        )
        self.progress()
        self.sheet.write_string(self.row + 1, 0, _(
            "Setiap nilai di lembar ini adalah rumus atas lembar area dan Hasil; nilai butir "
            "dihitung dari jawaban dengan tabel pilihannya. Angka tampil dengan 2 desimal."
        ), self.styles("subtitle"))  # fmt: skip

    def area_block(self, index: int, area: AreaSpec, cells: AreaCells) -> int:
        """Pemenuhan, Reform, total and percent of one area; returns the first row."""
        sheet, styles, first = self.sheet, self.styles, self.row
        scores = [r.areas[index] for r in self.results]
        self.line(
            "",
            "",
            metric_label("pemenuhan"),
            cells.sheet,
            cells.pemenuhan,
            [s.pemenuhan for s in scores],
            area.pemenuhan_weight,
        )
        self.line(
            "",
            "",
            metric_label("reform"),
            cells.sheet,
            cells.reform,
            [s.reform for s in scores],
            area.reform_weight,
        )
        self.sum_line("", [first, first + 1], [s.total for s in scores], "text", _("Total"))
        self.percent_line(first + 2, [s.percent for s in scores])
        sheet.merge_range(first, 0, first + 3, 0, str(area.number), styles("code"))
        sheet.merge_range(first, 1, first + 3, 1, spreadsheet_text(area.name), styles("text"))
        return first

    def heading(self) -> None:
        sheet, styles, data = self.sheet, self.styles, self.data
        assessment = data.assessment
        for col, width in enumerate([6, 44, 16, 10, *[14] * len(data.layers)]):
            sheet.set_column(col, col, width)
        sheet.write_string(0, 0, workbook_title(data.layers), styles("title"))
        facts = [
            (_("Unit"), f"{assessment.unit.name} ({assessment.unit.code})"),
            (_("Induk"), assessment.unit.parent.name if assessment.unit.parent else "–"),
            (_("Periode"), assessment.period.name),
            (_("Instrumen"), data.instrument.title),
            (_("Status"), assessment.get_status_display()),
            (_("Dicetak"), formats.date_format(data.printed_at, "j F Y H:i")),
        ]
        for n, (label, value) in enumerate(facts, start=1):
            sheet.write_string(n, 0, label, styles("label"))
            sheet.write_string(n, 2, spreadsheet_text(str(value)))
        self.row = len(facts) + 2
        head = styles("head")
        for col, label in enumerate([_("No."), _("Komponen"), _("Bagian"), _("Bobot")]):
            sheet.write_string(self.row, col, label, head)
        for col, layer in zip(self.value_cols, data.layers, strict=True):
            sheet.write_string(self.row, col, str(Layer(layer).label), styles.layer(layer))
        sheet.set_row(self.row, 30)
        sheet.freeze_panes(self.row + 1, 2)
        sheet.repeat_rows(self.row)
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        self.row += 1

    def band(self, label: str) -> None:
        last = 3 + len(self.data.layers)
        self.sheet.merge_range(self.row, 0, self.row, last, label, self.styles("section"))
        self.row += 1

    def labels(self, row: int, texts, style) -> None:
        for col, text in enumerate(texts):
            self.sheet.write_string(row, col, spreadsheet_text(str(text)), self.styles(style))

    def line(self, no, name, part, sheet_name, source_row, values, weight, style="text") -> int:
        """A row read from another sheet: its weight and each layer's score there."""
        row, number = self.row, self.styles(style, "0.00")
        self.labels(row, (no, name, part), style)
        self.put(row, 3, weight_ref(sheet_name, source_row), number, weight)
        self.weights[row] = weight
        for index, (col, value) in enumerate(zip(self.value_cols, values, strict=True)):
            self.put(row, col, score_ref(sheet_name, source_row, index), number, value)
        self.row += 1
        return row

    def sum_line(self, name, parts, values, style, part="") -> int:
        """The sum of rows of this sheet, weights and scores alike."""
        row, number = self.row, self.styles(style, "0.00")
        self.labels(row, ("", name, part), style)
        for col in (3, *self.value_cols):
            cells = "+".join(xl_rowcol_to_cell(r, col) for r in parts) or "0"
            value = self.weight_sum(parts) if col == 3 else values[col - 4]
            self.put(row, col, cells, number, value)
        self.weights[row] = self.weight_sum(parts)
        self.row += 1
        return row

    def weight_sum(self, parts) -> Decimal:
        return sum((self.weights[r] for r in parts), ZERO)

    def percent_line(self, total_row: int, values) -> None:
        row, number = self.row, self.styles("text", "0.00")
        self.labels(row, ("", "", _("Persentase (%)")), "text")
        self.sheet.write_number(row, 3, 100, number)
        weight = xl_rowcol_to_cell(total_row, 3)
        for col, value in zip(self.value_cols, values, strict=True):
            total = xl_rowcol_to_cell(total_row, col)
            self.put(row, col, f"IF({weight}=0,0,{total}*100/{weight})", number, value)
        self.row += 1

    def progress(self) -> None:
        row = self.row
        self.labels(row, ("", _("Butir terjawab"), "", ""), "text")
        for col, result in zip(self.value_cols, self.results, strict=True):
            text = f"{result.answered}/{result.item_count}"
            self.sheet.write_string(row, col, text, self.styles("cell"))
        self.row += 1
