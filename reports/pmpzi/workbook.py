"""The package of one unit (reports.pmpzi.data) as an XLSX for people: sheets Unit, Skor,
Jawaban (TPI) and Data dukung with the same values as the JSON. Scores are numbers here
(rounded by the viewer only); the JSON keeps them exact."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from core.cells import XLSX_OPTIONS


def _num(value: str | None):
    """A score string of the JSON as a number cell; a predicate name or None unchanged."""
    if value is None:
        return None
    try:
        return float(Decimal(value))
    except ArithmeticError:
        return value


def _cell(value: Any):
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if value is None or isinstance(value, (int, float, str)):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)  # raw counts of an item


class _Sheet:
    def __init__(self, workbook, name: str, widths: list[int], bold) -> None:
        self.sheet, self.row, self.bold = workbook.add_worksheet(name), 0, bold
        for column, width in enumerate(widths):
            self.sheet.set_column(column, column, width)

    def write(self, values: list, head: bool = False) -> None:
        for column, value in enumerate(values):
            cell = _cell(value)
            if cell is not None:
                self.sheet.write(self.row, column, cell, self.bold if head else None)
        self.row += 1


def write_unit_workbook(out: IO[bytes], doc: dict[str, Any]) -> None:
    import xlsxwriter

    # Every str is written as a string: nothing typed by a person becomes a formula or a link.
    workbook = xlsxwriter.Workbook(out, XLSX_OPTIONS)
    bold = workbook.add_format({"bold": True})
    _unit_sheet(_Sheet(workbook, _("Unit"), [30, 60], bold), doc)
    _score_sheet(_Sheet(workbook, _("Skor"), [28, 40, 12, 12, 12, 12, 12], bold), doc)
    answers = _Sheet(workbook, _("Jawaban (TPI)"), [12, 12, 8, 10, 16, 50, 12], bold)
    answers.write([_("Kode"), _("Bagian"), _("Area"), _("Indikator"), _("Jawaban"),
                   _("Catatan"), _("Nilai")], head=True)  # fmt: skip
    for item in doc["tpi"]["items"]:
        answers.write([item["code"], item["section"], item["area"], item["indicator"],
                       item["value"], item["note"] or None, _num(item["score"])])  # fmt: skip
    evidence = _Sheet(workbook, _("Data dukung"), [12, 40, 36, 12, 66, 26, 14, 70], bold)
    head = [_("Kode"), _("Jenis dokumen"), _("Nama berkas"), _("Ukuran (bita)"), "SHA-256",
            _("Diunggah"), _("Pemeriksaan"), _("Tautan")]  # fmt: skip
    evidence.write(head, head=True)
    for item in doc["evidence"]:
        evidence.write([item["item"], item["label"], item["file_name"], item["size"],
                        item["sha256"], item["uploaded_at"], item["verdict"],
                        item["download_url"] or item["external_url"]])  # fmt: skip
    workbook.close()


def _unit_sheet(sheet: _Sheet, doc: dict[str, Any]) -> None:
    unit, period, assessment = doc["unit"], doc["period"], doc["assessment"]
    rows = [
        (_("Kode unit"), unit["code"]),
        (_("Nama unit"), unit["name"]),
        (_("Jenis unit"), unit["kind_label"]),
        (_("Provinsi"), unit["province"]),
        (_("Induk"), " / ".join(f"{p['name']} ({p['code']})" for p in unit["parents"]) or None),
        (_("Periode"), period["year"]),
        (_("Versi LKE"), period["lke_version"]),
        (_("Predikat yang diusulkan"), assessment["predicate_proposed"]),
        (_("Predikat sebelumnya"), assessment["prior_predicate"]),
        (_("Status"), assessment["status_label"]),
        (_("Ada jawaban TPI"), doc["tpi"]["answered"]),
    ]
    rows += [(name, value) for name, value in assessment["stage_dates"].items()]
    for label, value in rows:
        sheet.write([label, value])
    sheet.write([_("Format"), f"{doc['format']} v{doc['version']}"])


def _score_sheet(sheet: _Sheet, doc: dict[str, Any]) -> None:
    scores = doc["tpi"]["scores"]
    if scores is None:
        sheet.write([_("Lapisan TPI belum dijawab.")])
        return
    sheet.write([_("Area"), _("Nama"), _("Bobot"), _("Pemenuhan"), _("Reform"), _("Total"),
                 "%"], head=True)  # fmt: skip
    for area in scores["areas"]:
        sheet.write([area["number"], area["name"], _num(area["weight"]), _num(area["pemenuhan"]),
                     _num(area["reform"]), _num(area["total"]), _num(area["percent"])])  # fmt: skip
    sheet.row += 1
    for key in ("pemenuhan", "reform", "pengungkit", "hasil", "total"):
        sheet.write([key.capitalize(), None, None, None, None, _num(scores[key])])
    for key, value in scores["hasil_detail"].items():
        sheet.write([f"hasil: {key}", None, None, None, None, _num(value)])
    sheet.row += 1
    sheet.write([_("Predikat"), _("Aturan"), _("Nilai"), _("Minimum"), _("Terpenuhi"),
                 _("Selisih")], head=True)  # fmt: skip
    for name, predicate in scores["predicates"].items():
        for rule in predicate["rules"]:
            sheet.write([name, rule["rule"], _num(rule["value"]), _num(rule["minimum"]),
                         rule["passed"], _num(rule["margin"])])  # fmt: skip
        sheet.write([name, _("Memenuhi syarat"), None, None, predicate["eligible"]], head=True)
