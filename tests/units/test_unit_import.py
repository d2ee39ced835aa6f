"""Importing units: every bad row reported by line, nothing saved when any row fails."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from units.models import Unit, UnitKind
from units.unit_import import UnitImportError, read_rows, units_import

HEADER = "code,name,kind,parent_code,province\n"


def _import(csv_body: str, dry_run=False):
    return units_import(rows=read_rows("units.csv", (HEADER + csv_body).encode()), dry_run=dry_run)


def test_valid_file_creates_the_whole_tree_with_parents_in_any_order(tree):
    report = _import(
        "KK9,Kankemenag Kota Baru,kankemenag,KW9,Jawa Barat\n"
        "KW9,Kanwil Jawa Barat,Kanwil,PUSAT,Jawa Barat\n"
        "MAN9,MAN 1 Kota Baru,MAN,KK9,Jawa Barat\n"
    )
    assert report.ok and report.created == 3
    madrasah = Unit.objects.get(code="MAN9")
    assert madrasah.kind == UnitKind.MADRASAH and madrasah.madrasah_level == "MAN"
    assert [u.code for u in madrasah.ancestors()] == ["PUSAT", "KW9", "KK9"]
    assert madrasah in tree.pusat.descendants()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("KK9,Kankemenag X,kankemenag,NOPE,Jawa Barat\n", "induk tidak dikenal: NOPE"),
        ("KKA,Kankemenag dobel,kankemenag,KWA,Jawa Tengah\n", "kode sudah ada di portal"),
        (
            "KK9,Kankemenag X,kankemenag,KWA,Jawa Tengah\nKK9,Kankemenag Y,kankemenag,KWA,\n",
            "kode ganda (juga di baris 3)",
        ),
        (
            "C1,Kanwil C1,kanwil,C2,\nC2,Kanwil C2,kanwil,C1,\n",
            "induk membentuk siklus",
        ),
        (
            "KK9,Kankemenag X,kankemenag,PUSAT,Jawa Tengah\n",
            "Kankemenag tidak boleh berada di bawah Pusat",
        ),
        ("KK9,,kankemenag,KWA,Jawa Tengah\n", "kolom wajib kosong: name"),
        ("KK9,Kankemenag X,,KWA,Jawa Tengah\n", "kolom wajib kosong: kind"),
        ("KK9,Kankemenag X,kankemenag,,Jawa Tengah\n", "kolom wajib kosong: parent_code"),
        ("KK9,Kankemenag X,kecamatan,KWA,Jawa Tengah\n", "jenis unit tidak dikenal: kecamatan"),
    ],
    ids=[
        "unknown-parent",
        "code-exists",
        "duplicate-in-file",
        "cycle",
        "kind-under-parent",
        "missing-name",
        "missing-kind",
        "missing-parent",
        "unknown-kind",
    ],
)
def test_each_kind_of_bad_row_is_reported_and_nothing_is_saved(tree, body, message):
    before = Unit.objects.count()
    report = _import("KW9,Kanwil Jawa Barat,kanwil,PUSAT,Jawa Barat\n" + body)
    assert not report.ok
    assert message in [error.message for error in report.errors]
    assert all(error.line > 2 for error in report.errors)  # the good first row is not blamed
    assert Unit.objects.count() == before


def test_every_bad_row_is_reported_not_just_the_first(tree):
    report = _import("A1,,kanwil,PUSAT,\nA2,Kanwil,kanwil,NOPE,\nA3,Kanwil,foo,PUSAT,\n")
    assert [error.line for error in report.errors] == [2, 3, 4]


def test_dry_run_validates_but_saves_nothing(tree):
    report = _import("KW9,Kanwil Jawa Barat,kanwil,PUSAT,Jawa Barat\n", dry_run=True)
    assert report.ok and report.created == 0
    assert not Unit.objects.filter(code="KW9").exists()


def test_missing_column_is_a_file_error():
    with pytest.raises(UnitImportError, match="parent_code"):
        read_rows("u.csv", b"code,name,kind,province\n")


def test_xlsx_and_semicolon_csv_are_read(tree):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Name", "Kind", "Parent_Code", "Province"])
    sheet.append(["KW9", "Kanwil Jawa Barat", "kanwil", "PUSAT", "Jawa Barat"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_rows("u.xlsx", buffer.getvalue())[0].code == "KW9"
    semicolon = b"code;name;kind;parent_code;province\nKW9;Kanwil;kanwil;PUSAT;Jawa Barat\n"
    assert read_rows("u.csv", semicolon)[0].parent_code == "PUSAT"


def test_command_reports_bad_rows_and_exits_with_error(tree, tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "KK9,Kankemenag X,kankemenag,NOPE,\n")
    with pytest.raises(CommandError):
        call_command("import_units", str(path))
    assert "Baris 2 (KK9): induk tidak dikenal: NOPE" in capsys.readouterr().err


def test_command_dry_run_then_import(tree, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "KW9,Kanwil Jawa Barat,kanwil,PUSAT,Jawa Barat\n")
    call_command("import_units", str(path), "--dry-run")
    assert not Unit.objects.filter(code="KW9").exists()
    call_command("import_units", str(path))
    assert Unit.objects.get(code="KW9").parent == tree.pusat


def test_admin_imports_through_the_portal_and_sees_the_error_table(client_for, tree):
    client = client_for("admin")
    bad = io.BytesIO((HEADER + "KK9,Kankemenag X,kankemenag,NOPE,\n").encode())
    bad.name = "units.csv"
    response = client.post(reverse("units:import"), {"file": bad, "dry_run": ""})
    assert response.status_code == 200
    assert "induk tidak dikenal: NOPE" in response.content.decode()
    good = io.BytesIO((HEADER + "KW9,Kanwil Jawa Barat,kanwil,PUSAT,Jawa Barat\n").encode())
    good.name = "units.csv"
    response = client.post(reverse("units:import"), {"file": good}, follow=True)
    assert "1 unit berhasil diimpor" in response.content.decode()
    assert Unit.objects.filter(code="KW9").exists()


def test_portal_refuses_other_file_types(client_for, tree):
    upload = io.BytesIO(b"MZ\x90\x00")
    upload.name = "units.exe"
    response = client_for("admin").post(reverse("units:import"), {"file": upload})
    assert "gunakan CSV atau XLSX" in response.content.decode()


@pytest.mark.slow
def test_ten_thousand_rows_import_in_one_go(tree, tmp_path):
    lines = [HEADER]
    for k in range(100):
        lines.append(f"W{k},Kanwil {k},kanwil,PUSAT,Provinsi {k}\n")
        for j in range(99):
            lines.append(f"W{k}-{j},Kankemenag {k}-{j},kankemenag,W{k},Provinsi {k}\n")
    path = tmp_path / "units.csv"
    path.write_text("".join(lines))
    call_command("import_units", str(path))
    assert Unit.objects.filter(code__startswith="W").count() == 10_000
    leaf = Unit.objects.get(code="W99-98")
    assert [u.code for u in leaf.ancestors()] == ["PUSAT", "W99"]
