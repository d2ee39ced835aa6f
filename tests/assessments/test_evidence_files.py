"""Which files are accepted as evidence: each allowed type by its content, and everything else
refused with a clear message, whatever its name. Also home of the file builders the other
evidence tests import (the private `storage` fixture is in tests/conftest.py)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.evidence.intake import clean_filename
from assessments.evidence.services import evidence_upload
from assessments.models import Evidence, EvidenceKind
from core.errors import EvidenceError
from tests.assessments.helpers import require_evidence

MB = 1024 * 1024


# --------------------------------------------------------------------------- builders


def make_pdf(extra: bytes = b"") -> bytes:
    """The smallest real PDF: one page whose content stream holds `extra`, with a correct
    cross-reference table (qpdf, which checks uploads, refuses a file without a page tree)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(extra), extra),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref, size = len(out), len(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def make_image(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 128, 0)).save(buffer, fmt)
    return buffer.getvalue()


def make_package(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


# The parts declare their namespaces: an XML part with an unbound prefix does not parse, and
# uploads are parsed.
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
P = b'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'


def make_docx(**extra: bytes) -> bytes:
    return make_package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": b"<w:document %s/>" % W,
            **extra,
        }
    )


def make_pptx() -> bytes:
    return make_package(
        {"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p:presentation %s/>" % P}
    )


def make_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Rencana kerja ZI"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0"/>',
        )
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(name="open_assessment")
def open_assessment_fixture(assessment):
    assessment.status = "pembangunan"
    assessment.save()
    return assessment


@pytest.fixture(name="question")
def question_fixture(lke):
    q = lke.questions.order_by("pk").first()
    require_evidence(q, "SK Tim Kerja\nNotulen rapat")
    return q


def put(assessment, by, name, content, question=None, kind=None, **kwargs) -> Evidence:
    return evidence_upload(
        assessment=assessment,
        kind=kind or (EvidenceKind.ANSWER if question else EvidenceKind.PIAGAM),
        question=question,
        uploaded_file=upload(name, content),
        by=by,
        **kwargs,
    )


# --------------------------------------------------------------------------- accepted


OOXML = "application/vnd.openxmlformats-officedocument."
ACCEPTED = [
    ("piagam.pdf", make_pdf, "application/pdf"),
    ("foto kegiatan.JPG", lambda: make_image("JPEG"), "image/jpeg"),
    ("bagan.png", lambda: make_image("PNG"), "image/png"),
    ("sk tim.docx", make_docx, OOXML + "wordprocessingml.document"),
    ("rencana.xlsx", make_xlsx, OOXML + "spreadsheetml.sheet"),
    ("paparan.pptx", make_pptx, OOXML + "presentationml.presentation"),
    ("notulen.odt", make_odt, "application/vnd.oasis.opendocument.text"),
]


@pytest.mark.parametrize(("name", "build", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_allowed_type_is_accepted_by_its_content(
    storage, open_assessment, personas, name, build, content_type
):
    item = put(open_assessment, personas["operator"], name, build())
    assert item.content_type == content_type
    assert item.original_name == name
    assert stored_files(storage) == [storage / item.file.name]


# --------------------------------------------------------------------------- refused


def _bomb_docx() -> bytes:
    return make_docx(**{"word/media/filler.xml": b"\0" * (5 * MB)})


NOT_ALLOWED = "tipe berkas tidak diizinkan"
REFUSED = [
    ("program.pdf", lambda: b"MZ\x90\x00\x03" + b"\0" * 200, NOT_ALLOWED),
    ("halaman.pdf", lambda: b"<!doctype html><script>alert(1)</script>", NOT_ALLOWED),
    ("logo.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"/>', NOT_ALLOWED),
    ("halaman.html", lambda: b"<html></html>", NOT_ALLOWED),
    ("setup.exe", lambda: b"MZ" + b"\0" * 100, NOT_ALLOWED),
    ("kosong.pdf", lambda: b"", "kosong"),
    ("bom.docx", _bomb_docx, "mencurigakan"),
    ("xlsx-menyamar.docx", make_xlsx, NOT_ALLOWED),
    ("arsip.docx", lambda: make_docx(**{"word/lampiran.zip": b"PK\x03\x04"}), "arsip atau program"),
    ("makro.docx", lambda: make_docx(**{"word/vbaProject.bin": b"\0" * 10}), "makro"),
    ("rusak.docx", lambda: b"PK\x03\x04 not really a zip", NOT_ALLOWED),
    ("zip.docx", lambda: make_package({"a.txt": b"x"}), NOT_ALLOWED),
]  # fmt: skip


@pytest.mark.parametrize(("name", "build", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_whatever_the_name_with_a_clear_message(
    storage, open_assessment, personas, name, build, message
):
    with pytest.raises(EvidenceError) as error:
        put(open_assessment, personas["operator"], name, build())
    assert message in str(error.value).lower()
    assert not Evidence.objects.exists()
    assert stored_files(storage) == []


def test_file_over_the_limit_is_refused_as_too_big(settings, storage, open_assessment, personas):
    settings.ZI_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(EvidenceError, match="terlalu besar"):
        put(open_assessment, personas["operator"], "besar.pdf", make_pdf(b"%" * 2000))
    put(open_assessment, personas["operator"], "kecil.pdf", make_pdf())


def test_encrypted_package_is_refused(storage, open_assessment, personas):
    content = bytearray(make_docx())
    # Set the "encrypted" flag in the local and the central headers of every entry.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            content[start + offset] |= 0x1
            start += 4
    with pytest.raises(EvidenceError, match="terenkripsi"):
        put(open_assessment, personas["operator"], "rahasia.docx", bytes(content))


def test_too_many_entries_or_too_much_uncompressed_is_refused(
    settings, storage, open_assessment, personas
):
    settings.ZI_EVIDENCE_ZIP_MAX_ENTRIES = 10
    many = make_docx(**{f"word/media/{i}.xml": b"x" for i in range(20)})
    with pytest.raises(EvidenceError, match="terlalu banyak"):
        put(open_assessment, personas["operator"], "banyak.docx", many)
    settings.ZI_EVIDENCE_ZIP_MAX_ENTRIES = 5000
    settings.ZI_EVIDENCE_ZIP_MAX_UNCOMPRESSED = 10_000
    large = make_docx(**{"word/media/a.bin": bytes(range(256)) * 100})
    with pytest.raises(EvidenceError, match="mencurigakan"):
        put(open_assessment, personas["operator"], "besar.docx", large)


def test_odf_can_be_switched_off(settings, storage, open_assessment, personas):
    settings.ZI_EVIDENCE_ALLOWED_TYPES = ["pdf"]
    with pytest.raises(EvidenceError, match=r"\(\.odt\)"):
        put(open_assessment, personas["operator"], "notulen.odt", make_odt())


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\ani\\SK Tim.pdf", "SK Tim.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("laporan\u202efdp.exe", "laporanfdp.exe"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("  spasi   ganda .pdf ", "spasi ganda .pdf"),
        ("...", "berkas"),
        ("x" * 300 + ".pdf", "x" * 187 + ".pdf"),
    ],
)
def test_filenames_are_sanitised_for_display(raw, clean):
    assert clean_filename(raw) == clean


def test_stored_under_a_random_name_in_private_storage(storage, open_assessment, personas):
    item = put(open_assessment, personas["operator"], "../piagam rahasia.pdf", make_pdf())
    assert item.original_name == "piagam rahasia.pdf"
    assert item.file.name.startswith("evidence/")
    parts = item.file.name.split("/")
    assert len(parts) == 4 and len(parts[1]) == 4 and len(parts[2]) == 2
    assert len(parts[3]) == len("0" * 32 + ".pdf") and parts[3].endswith(".pdf")
    assert "rahasia" not in item.file.name
