"""All current evidence of an assessment as one ZIP with a manifest, for reviewers working
offline. Files are copied from storage in chunks, never held whole in memory."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from typing import IO

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify

from assessments.evidence.selectors import evidence_visible_to
from assessments.models import Assessment
from core.cells import spreadsheet_row

CHUNK = 1024 * 1024
MANIFEST_HEADER = [
    "butir", "jenis", "berkas_dalam_zip", "nama_asli", "revisi", "sha256", "sha256_diperiksa",
    "ukuran", "diunggah_oleh", "diunggah_pada", "tautan", "keterangan", "hasil_pemeriksaan",
    "dibawa_dari_periode",
]  # fmt: skip


def evidence_zip_filename(assessment: Assessment) -> str:
    return f"data-dukung-{slugify(assessment.unit.code)}-{assessment.period.year}.zip"


def write_evidence_zip(*, assessment: Assessment, reader, out: IO[bytes], progress=None) -> int:
    """`reader`: the person the archive is made for; it holds only the evidence they may read."""
    items = list(
        evidence_visible_to(reader, assessment)
        .filter(removed_at__isnull=True)
        .select_related("question", "uploaded_by", "carried_over_from__assessment__period")
        .order_by("question__code", "kind", "uploaded_at", "pk")
    )
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(spreadsheet_row(MANIFEST_HEADER))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for number, item in enumerate(items, start=1):
            folder = item.question.code if item.question else item.kind
            path, checked = "", ""
            if item.file:
                name = get_valid_filename(item.original_name or "berkas") or "berkas"
                path = f"{folder}/{item.pk}-{name}"
                checked = _copy(item.file.name, archive, path)
            # File names and descriptions come from the unit's operator; reviewers open the
            # manifest in Excel.
            writer.writerow(spreadsheet_row([
                item.question.code if item.question else "", item.get_kind_display(), path,
                item.original_name, item.pk, item.sha256, checked, item.size,
                item.uploaded_by.get_full_name(),
                timezone.localtime(item.uploaded_at).isoformat(timespec="seconds"), item.url,
                item.description, item.get_verdict_display(),
                item.carried_over_from.assessment.period.year if item.carried_over_from else "",
            ]))  # fmt: skip
            if progress and number % 20 == 0:
                progress(min(95, 100 * number // max(len(items), 1)))
        archive.writestr("manifest.csv", "\ufeff" + manifest.getvalue())
    return len(items)


def _copy(storage_name: str, archive: zipfile.ZipFile, path: str) -> str:
    """Copy a stored file into the archive; returns the SHA-256 of the bytes copied, written
    beside the one recorded at upload so an auditor sees whether a file changed since."""
    digest = hashlib.sha256()
    with default_storage.open(storage_name, "rb") as source, archive.open(path, "w") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
    return digest.hexdigest()
