"""The downloaded workbook's formulas, recomputed by LibreOffice, give the engine's area,
Pengungkit, Hasil and total scores for the answers it holds (so what the user sees while
typing offline is what the portal will say)."""

from decimal import Decimal

from assessments.models import Layer
from assessments.worksheet.offline import export
from assessments.worksheet.scores import layer_results
from tests.assessments.helpers import answer_all
from tests.reports.test_lke_workbook import recalculated, varied


def _close(cell, value: Decimal) -> bool:
    return abs(Decimal(str(cell)) - value) < Decimal("0.000001")


def test_area_and_total_formulas_equal_the_engine(building, personas, tmp_path):
    answer_all(building, Layer.SELF, personas["operator"], varied, through_service=False)
    source = export.workbook_source(assessment=building, layer=Layer.SELF)
    workbook = recalculated(export.render_offline_workbook(source), tmp_path)
    result = layer_results(building, [Layer.SELF])[Layer.SELF]
    for area in result.areas:
        sheet = workbook[f"Area {area.number}"]
        assert _close(sheet["H3"].value, area.pemenuhan), area.number
        assert _close(sheet["H4"].value, area.reform), area.number
        assert _close(sheet["H5"].value, area.total), area.number
    hasil = workbook["Hasil"]
    assert _close(hasil["H3"].value, result.hasil)
    assert _close(hasil["H4"].value, result.pengungkit)
    assert _close(hasil["H5"].value, result.total)
