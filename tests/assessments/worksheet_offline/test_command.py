"""`manage.py lke_workbook export|import`: the same workbook, checks and save path as the
worksheet's buttons."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessments.models import Answer, Layer
from assessments.worksheet.services import answer_save
from tests.assessments.worksheet_offline import helpers as h


def _export(assessment, path):
    call_command(
        "lke_workbook", "export", "--assessment", str(assessment.pk), "--layer", "self",
        "--file", str(path),
    )  # fmt: skip
    return load_workbook(path)


def _import(assessment, path, *extra):
    call_command(
        "lke_workbook", "import", "--assessment", str(assessment.pk), "--layer", "self",
        "--file", str(path), "--as", "operator.a@example.id", *extra,
    )  # fmt: skip


def test_export_edit_dry_run_then_import(building, personas, tmp_path, capsys):
    path = tmp_path / "lke.xlsx"
    workbook = _export(building, path)
    h.answer(workbook, "P1.1.a", "Ya")
    h.count(workbook, "R1.1.a", "agents", 5)
    h.count(workbook, "R1.1.a", "changes", 5)
    path.write_bytes(h.content(workbook))

    _import(building, path, "--dry-run")
    assert "change\tP1.1.a" in capsys.readouterr().out
    assert not Answer.objects.exists()

    _import(building, path)
    stored = {a.question.code: a.value for a in Answer.objects.filter(layer=Layer.SELF)}
    assert stored == {"P1.1.a": "Ya", "R1.1.a": {"inputs": {"agents": 5, "changes": 5}}}


def test_import_lists_bad_cells_and_exits_non_zero(building, personas, tmp_path, capsys):
    path = tmp_path / "lke.xlsx"
    workbook = _export(building, path)
    h.answer(workbook, "P1.1.a", "Z")
    path.write_bytes(h.content(workbook))
    with pytest.raises(CommandError) as raised:
        _import(building, path)
    assert raised.value.returncode == 2
    assert "Area 1\t" in capsys.readouterr().err
    assert not Answer.objects.exists()


def test_import_refuses_a_damaged_file_and_needs_an_account(building, personas, tmp_path):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        _import(building, path)
    with pytest.raises(CommandError, match="--as"):
        call_command(
            "lke_workbook", "import", "--assessment", str(building.pk), "--layer", "self",
            "--file", str(path),
        )  # fmt: skip


def test_import_keeps_conflicts_unless_named(building, personas, tmp_path, capsys):
    path = tmp_path / "lke.xlsx"
    workbook = _export(building, path)
    answer_save(
        assessment=building, question=building.period.lke_version.questions.get(code="P1.1.a"),
        layer=Layer.SELF, by=personas["operator"], value="Tidak", note="", revision=None,
    )  # fmt: skip
    h.answer(workbook, "P1.1.a", "Ya")
    h.answer(workbook, "P1.2.a", "Ya")
    path.write_bytes(h.content(workbook))
    _import(building, path)
    assert "CONFLICT\tP1.1.a" in capsys.readouterr().out
    stored = {a.question.code: a.value for a in Answer.objects.filter(layer=Layer.SELF)}
    assert stored == {"P1.1.a": "Tidak", "P1.2.a": "Ya"}
    _import(building, path, "--take-workbook", "P1.1.a")
    assert Answer.objects.get(question__code="P1.1.a").value == "Ya"
