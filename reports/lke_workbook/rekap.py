"""The Rekap sheet of the LKE workbook: each area's halves, total and percent, Pengungkit, Hasil
and the total, one column per layer, every number a formula over the area and Hasil sheets."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_rowcol_to_cell

from areas import scoring
from areas.instrument import AreaSpec
from areas.labels import metric_label
from areas.spreadsheet import number_text
from assessments.models import Layer
from core.cells import spreadsheet_text
from reports.lke_workbook.data import WorkbookData, workbook_title
from reports.lke_workbook.sheets import (
    ZERO,
    AreaCells,
    HasilCells,
    score_ref,
    weight_ref,
)
from reports.lke_workbook.styles import Styles

PLACES = scoring.COMPARISON_PLACES


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
        self.metric_rows: dict[str, int] = {}  # engine metric -> its row here
        self.area_rows: dict[int, int] = {}  # area number -> its total's row here
        pengungkit = self.pengungkit(areas)
        total_hasil = self.hasil(hasil)
        self.metric_rows["total"] = self.sum_line(
            metric_label("total").upper(),
            [pengungkit, total_hasil],
            [r.total for r in self.results],
            "total",
        )
        self.progress()
        self.predicates()
        self.sheet.write_string(self.row + 1, 0, _(
            "Setiap nilai di lembar ini adalah rumus atas lembar area dan Hasil; nilai butir "
            "dihitung dari jawaban dengan tabel pilihannya. Angka tampil dengan 2 desimal."
        ), self.styles("subtitle"))  # fmt: skip

    def pengungkit(self, areas: dict[int, AreaCells]) -> int:
        self.band(_("A. PENGUNGKIT"))
        pem_rows, ref_rows = [], []
        for index, area in enumerate(self.data.instrument.areas):
            first = self.area_block(index, area, areas[area.number])
            pem_rows.append(first)
            ref_rows.append(first + 1)
            self.area_rows[area.number] = first + 2
        rows = self.metric_rows
        rows["pemenuhan"] = self.sum_line(
            metric_label("pemenuhan"), pem_rows, [r.pemenuhan for r in self.results], "indicator"
        )
        rows["reform"] = self.sum_line(
            metric_label("reform"), ref_rows, [r.reform for r in self.results], "indicator"
        )
        rows["pengungkit"] = self.sum_line(
            metric_label("pengungkit"),
            [rows["pemenuhan"], rows["reform"]],
            [r.pengungkit for r in self.results],
            "total",
        )
        return rows["pengungkit"]

    def hasil(self, hasil: HasilCells) -> int:
        self.band(_("B. HASIL"))
        group_rows = []
        for group, (label, row) in hasil.groups.items():
            self.metric_rows[group] = self.row
            group_rows.append(self.row)
            values = [r.hasil_detail.get(group) for r in self.results]
            weight = sum((i.weight for i in self.data.instrument.hasil if i.group == group), ZERO)
            self.line("", label, "", hasil.sheet, row, values, weight, "indicator")
            for metric, (spec, item_row) in hasil.items.items():
                if spec.group == group and metric != group:
                    values = [r.hasil_detail.get(metric) for r in self.results]
                    self.metric_rows[metric] = self.line(
                        spec.code, metric_label(metric), "", hasil.sheet, item_row, values,
                        spec.weight,
                    )  # fmt: skip
        self.metric_rows["hasil"] = self.sum_line(
            metric_label("hasil"), group_rows, [r.hasil for r in self.results], "total"
        )
        return self.metric_rows["hasil"]

    def predicates(self) -> None:
        """Each predicate's rules as the engine judges them (value and minimum compared at
        areas.scoring.COMPARISON_PLACES), and whether all hold."""
        instrument = self.data.instrument
        self.band(_("C. SYARAT PREDIKAT"))
        for name in instrument.predicates:
            rules = [rule for rule in instrument.predicate_rules if rule.predicate == name]
            if not rules:
                continue
            passed = [
                {r.name: r.passed for r in result.predicates[name].rules} for result in self.results
            ]
            rows = [row for rule in rules for row in self.rule_rows(rule, passed)]
            style = self.styles("verdict")
            self.labels(self.row, ("", _("Memenuhi syarat %(p)s") % {"p": name}, "", ""), "total")
            for index, col in enumerate(self.value_cols):
                cells = ",".join(f'{xl_rowcol_to_cell(r, col)}="{_("Ya")}"' for r in rows)
                eligible = all(passed[index].values())
                self.put_text(self.row, col, f"AND({cells})" if cells else "TRUE", style, eligible)
            self.row += 1

    def rule_rows(self, rule, passed: list[dict[str, bool]]) -> list[int]:
        if rule.metric == scoring.PRIOR_METRIC:  # a fact about the unit, not in this workbook
            row = self.row
            label = f"{metric_label(rule.metric)}: {rule.minimum}"
            self.labels(row, ("", label, _("data portal"), ""), "text")
            for index, col in enumerate(self.value_cols):
                self.sheet.write_string(
                    row, col, self.yes_no(passed[index].get(rule.metric)), self.styles("cell")
                )
            self.row += 1
            return [row]
        if rule.metric == scoring.AREA_METRIC:
            # The rule is a percent of the area's weight; the engine compares points.
            weights = {area.number: area.weight for area in self.data.instrument.areas}
            percent = number_text(rule.minimum)
            pairs = [
                (f"area_{number}", row, f"{xl_rowcol_to_cell(row, 3)}*{percent}/100",
                 weights[number] * rule.minimum / 100)
                for number, row in self.area_rows.items()
            ]  # fmt: skip
        elif rule.metric in self.metric_rows:
            row = self.metric_rows[rule.metric]
            pairs = [(rule.metric, row, number_text(rule.minimum), rule.minimum)]
        else:
            return []
        out = []
        for metric, source, minimum, low_value in pairs:
            row = self.row
            self.labels(row, ("", metric_label(metric), "≥", ""), "text")
            self.put(row, 3, minimum, self.styles("text", "0.00"), low_value)
            for index, col in enumerate(self.value_cols):
                value = xl_rowcol_to_cell(source, col)
                low = xl_rowcol_to_cell(row, 3, col_abs=True)
                text = f"ROUND({value},{PLACES})>=ROUND({low},{PLACES})"
                self.put_text(row, col, text, self.styles("cell"), passed[index].get(metric))
            out.append(row)
            self.row += 1
        return out

    def yes_no(self, value: bool | None) -> str:
        return _("Ya") if value else _("Tidak")

    def put_text(self, row: int, col: int, condition: str, style, value: bool | None) -> None:
        """A yes/no formula: "Ya" when `condition` holds."""
        text = f'IF({condition},"{_("Ya")}","{_("Tidak")}")'
        cached = self.yes_no(value) if self.cached and value is not None else None
        self.sheet.write_formula(row, col, "=" + text, style, cached)

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
