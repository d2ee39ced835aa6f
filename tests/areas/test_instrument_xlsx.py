"""The instrument as XLSX: export → import → export is byte-identical; bad sheets change nothing."""

import hashlib
import io

import pytest
from openpyxl import load_workbook

from areas.instrument_xlsx import export_version
from areas.instrument_xlsx_import import InstrumentImportError, import_version
from areas.models import LkeVersion, Question


def test_export_import_export_gives_identical_files(lke):
    first = export_version(lke)
    copy = import_version(first, by=None)
    assert copy.is_draft and copy.questions.count() == 113
    assert hashlib.sha256(export_version(copy)).hexdigest() == hashlib.sha256(first).hexdigest()


def _edited(lke, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(export_version(lke)))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row_of(sheet, column, value):
    header = [c.value for c in sheet[1]]
    index = header.index(column)
    return next(row for row in sheet.iter_rows(min_row=2) if row[index].value == value)


def test_an_edited_sheet_becomes_a_new_draft_with_the_change(lke):
    def add_evidence(workbook):
        row = _row_of(workbook["tree"], "code", "P1.1.a")
        row[14].value = "SK Tim Kerja ZI\nNotulen rapat pembentukan tim"

    before = Question.objects.get(version=lke, code="P1.1.a").required_evidence
    draft = import_version(_edited(lke, add_evidence), by=None)
    question = Question.objects.get(version=draft, code="P1.1.a")
    assert question.evidence_items == ["SK Tim Kerja ZI", "Notulen rapat pembentukan tim"]
    assert Question.objects.get(version=lke, code="P1.1.a").required_evidence == before


def _break_rows(workbook):
    tree = workbook["tree"]
    _row_of(tree, "code", "P1.1.b")[9].value = "skala"  # answer type
    indicator = next(r for r in tree.iter_rows(min_row=2) if r[0].value == "indicator")
    indicator[6].value = "setengah"  # weight
    options = workbook["options"]
    _row_of(options, "code", "P1.3.a")[2].value = 1.5  # score above 1
    rules = workbook["rules"]
    next(rules.iter_rows(min_row=2))[2].value = "tujuh puluh lima"


def test_bad_rows_are_reported_row_by_row_and_nothing_is_saved(lke):
    before = (LkeVersion.objects.count(), Question.objects.count())
    with pytest.raises(InstrumentImportError) as error:
        import_version(_edited(lke, _break_rows), by=None)
    problems = "\n".join(error.value.problems)
    assert "jenis jawaban tidak dikenal: 'skala'" in problems
    assert "weight harus angka ≥ 0, bukan 'setengah'" in problems
    assert "nilai pilihan harus antara 0 dan 1" in problems
    assert "rules baris 2: minimum harus angka" in problems
    assert all(" baris " in line for line in error.value.problems)
    assert (LkeVersion.objects.count(), Question.objects.count()) == before


def test_structural_problems_of_an_imported_sheet_refuse_it(lke):
    def unbalance(workbook):
        _row_of(workbook["tree"], "level", "area")[7].value = 5  # area 1 pemenuhan 4 → 5

    with pytest.raises(InstrumentImportError) as error:
        import_version(_edited(lke, unbalance), by=None)
    assert any("pemenuhan" in p for p in error.value.problems)
    assert LkeVersion.objects.count() == 1


def test_a_file_that_is_not_a_workbook_is_refused(db):
    with pytest.raises(InstrumentImportError, match="XLSX"):
        import_version(b"%PDF-1.7 not a workbook", by=None)


def test_missing_sheet_is_reported(lke):
    with pytest.raises(InstrumentImportError, match="rules"):
        import_version(_edited(lke, lambda wb: wb.remove(wb["rules"])), by=None)


def test_the_years_a_revoked_unit_is_barred_travel_with_the_workbook(lke):
    def three_years(workbook):
        _row_of(workbook["versi"], "field", "revocation_bar_years")[1].value = 3

    assert import_version(export_version(lke), by=None).revocation_bar_years == 2
    assert import_version(_edited(lke, three_years), by=None).revocation_bar_years == 3
