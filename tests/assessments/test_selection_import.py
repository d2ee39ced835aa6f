"""TPN's published list of its administrative selection, imported by the admin: every row is
checked first; one bad row and nothing is saved, with each problem named by its row."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import SelectionOutcome, SelectionResult, Status
from assessments.stages.selection import SelectionImportError, selection_import
from core.errors import WorkflowError
from tests.factories import AssessmentFactory


@pytest.fixture
def proposed_units(period, tree):
    """Three units proposed to TPN in 2026 and one still in TPI review."""
    units = [tree.kankemenag_a, tree.kankemenag_b, tree.madrasah_a]
    made = {u.code: AssessmentFactory(period=period, unit=u, status=Status.PROPOSED) for u in units}
    AssessmentFactory(period=period, unit=tree.kanwil_a, status=Status.TPI_REVIEW)
    return made


def _csv(*lines) -> bytes:
    return ("\n".join(["kode;hasil;catatan", *lines]) + "\n").encode()


def test_a_good_list_moves_every_unit_and_marks_it_imported(proposed_units, period, personas):
    a, b, m = proposed_units
    content = _csv(f"{a};Lulus;", f"{b};Lulus dengan catatan;Lengkapi SPTJM",
                   f"{m};TIDAK  LULUS;Surat usulan tidak ada")  # fmt: skip
    n = selection_import(period=period, filename="seleksi.csv", content=content,
                         by=personas["admin"])  # fmt: skip
    assert n == 3
    status = {x.unit.code: x.status for x in period.assessments.select_related("unit")}
    assert (status[a], status[b], status[m]) == (
        Status.TPN_EVALUATION,
        Status.SELECTION_NOTES,
        Status.SELECTION_FAILED,
    )
    assert set(SelectionResult.objects.values_list("outcome", "imported")) == {
        (SelectionOutcome.PASSED, True),
        (SelectionOutcome.PASSED_WITH_NOTES, True),
        (SelectionOutcome.FAILED, True),
    }


def test_one_bad_row_saves_nothing_and_every_problem_is_named(proposed_units, period, tree,
                                                              personas):  # fmt: skip
    a, b, m = proposed_units
    content = _csv(
        f"{a};Lulus;",
        "XX-99;Lulus;",  # unknown
        f"{tree.kanwil_a.code};Lulus;",  # not waiting for selection
        f"{b};Lulus bersyarat;x",  # unknown outcome
        f"{m};Tidak lulus;",  # a reason is required
        f"{a};Lulus;",  # twice
    )
    with pytest.raises(SelectionImportError) as refused:
        selection_import(period=period, filename="seleksi.csv", content=content,
                         by=personas["admin"])  # fmt: skip
    problems = {(e.line, e.code): e.message for e in refused.value.rows}
    assert problems == {
        (3, "XX-99"): "unit tidak mengikuti periode ini",
        (4, tree.kanwil_a.code): (
            "unit tidak sedang menunggu seleksi administrasi (status: Penilaian TPI)"
        ),
        (5, b): "hasil “lulus bersyarat” tidak dikenal: tulis Lulus, Lulus dengan catatan, "
        "atau Tidak lulus",
        (6, m): "catatan wajib untuk hasil selain Lulus",
        (7, a): "unit ini sudah ada di baris lain",
    }
    assert not SelectionResult.objects.exists()
    assert set(period.assessments.values_list("status", flat=True)) == {
        Status.PROPOSED,
        Status.TPI_REVIEW,
    }


def test_an_xlsx_list_is_read_as_well(proposed_units, period, personas):
    a, *_ = proposed_units
    book = Workbook()
    book.active.append(["Kode", "Hasil", "Catatan"])
    book.active.append([a, "Lulus", None])
    out = io.BytesIO()
    book.save(out)
    assert selection_import(period=period, filename="Hasil.XLSX", content=out.getvalue(),
                            by=personas["admin"]) == 1  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("seleksi.pdf", b"%PDF", "Format berkas tidak didukung"),
        ("seleksi.csv", b"unit;keputusan\nA;Lulus\n", "Kolom wajib tidak ada"),
        ("seleksi.xlsx", b"not a workbook", "tidak dapat dibaca"),
        ("seleksi.csv", "kode;hasil\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_a_file_that_is_not_a_list_is_refused(period, personas, name, content, says):
    with pytest.raises(WorkflowError, match=says):
        selection_import(period=period, filename=name, content=content, by=personas["admin"])


def test_only_the_admin_imports(proposed_units, period, personas):
    with pytest.raises(WorkflowError) as refused:
        selection_import(period=period, filename="s.csv", content=_csv(), by=personas["tpn"])
    assert refused.value.forbidden


def test_the_page_lists_the_row_errors_and_keeps_the_proposals(proposed_units, period,
                                                               client_for):  # fmt: skip
    url = reverse("assessments:selection_import", args=[period.pk])
    upload = SimpleUploadedFile("seleksi.csv", _csv("XX-99;Lulus;"))
    response = client_for("admin").post(url, {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Daftar ditolak; tidak ada yang disimpan." in html
    assert "<code>XX-99</code>" in html and "unit tidak mengikuti periode ini" in html

    a, *_ = proposed_units
    upload = SimpleUploadedFile("seleksi.csv", _csv(f"{a};Lulus;"))
    response = client_for("admin").post(url, {"file": upload}, follow=True)
    assert "Hasil seleksi administrasi 1 unit dicatat." in response.content.decode()
    assert "Seleksi administrasi:" in response.content.decode()


def test_a_list_too_large_is_refused_before_it_is_read(proposed_units, period, client_for):
    url = reverse("assessments:selection_import", args=[period.pk])
    upload = SimpleUploadedFile("seleksi.csv", b"kode;hasil\n" + b"X;Lulus\n" * 300_000)
    response = client_for("admin").post(url, {"file": upload})
    assert response.status_code == 400
    assert "Berkas terlalu besar (maksimal 2 MB)." in response.content.decode()
    assert not SelectionResult.objects.exists()
