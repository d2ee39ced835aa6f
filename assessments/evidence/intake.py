"""What an upload must pass before it is stored: a clean name, the size limit, an allowed
type by extension and by content (evidence.inspection), and the virus scan (clamd, CLAMAV_URL)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from assessments.evidence.filetypes import CHUNK, FileType
from assessments.evidence.inspection import inspect_content
from assessments.evidence.limits import allowed_types, limits, max_bytes
from assessments.evidence.package_rules import ContentRefused
from core.clamd import clamd_instream
from core.errors import EvidenceError
from core.metrics import EVIDENCE_SCANS

logger = logging.getLogger(__name__)


def clean_filename(name: str) -> str:
    """A display name safe to show and to put in a Content-Disposition header: no path, no
    control or bidi-override characters (which can disguise "gpj.exe" as "exe.jpg")."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 190 - len(ext)]}{dot}{ext}" if dot and len(ext) <= 8 else name[:200]
    return name or "berkas"


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


@dataclass(frozen=True)
class Inspection:
    file_type: FileType
    size: int
    sha256: str


def inspect_upload(uploaded_file, name: str) -> Inspection:
    """Check one file by its name and its content; hash it while reading it in chunks."""
    size = uploaded_file.size or 0
    if size == 0:
        raise EvidenceError(_("Berkas kosong."))
    _check_size(size)
    ext = extension_of(name)
    file_type = next((t for t in allowed_types() if ext in t.extensions), None)
    if file_type is None:
        raise EvidenceError(
            _("Tipe berkas tidak diizinkan (%(ext)s). Yang diizinkan: %(allowed)s.")
            % {"ext": f".{ext}" if ext else _("tanpa ekstensi"), "allowed": limits().labels}
        )
    try:
        inspect_content(file_type, uploaded_file, size)
    except ContentRefused as refused:
        raise EvidenceError(refused.message) from None
    digest, counted = hashlib.sha256(), 0
    for chunk in uploaded_file.chunks(CHUNK):
        digest.update(chunk)
        counted += len(chunk)
    _check_size(counted)
    return Inspection(file_type, counted, digest.hexdigest())


def _check_size(size: int) -> None:
    if size > max_bytes():
        raise EvidenceError(
            _("Berkas terlalu besar (%(size)s; maksimum %(max)s).")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes())}
        )


def virus_scan(uploaded_file) -> str:
    """The scan status of a new upload; an infected file is refused outright. Without a
    scanner configured every file counts as clean; if the scanner is down it is kept as
    pending (to be rescanned) rather than blocking every unit at the deadline. Each outcome
    is counted (zi_evidence_scans_total{result}: clean, infected, pending, skipped)."""
    url = getattr(settings, "CLAMAV_URL", "") or os.environ.get("CLAMAV_URL", "")
    if not url:
        EVIDENCE_SCANS.labels(result="skipped").inc()
        return "clean"
    try:
        found = clamd_instream(url, uploaded_file.chunks(CHUNK))
    except OSError:
        logger.warning("evidence scan unavailable; stored as pending", exc_info=True)
        EVIDENCE_SCANS.labels(result="pending").inc()
        return "pending"
    EVIDENCE_SCANS.labels(result="infected" if found else "clean").inc()
    if found:
        raise EvidenceError(
            _("Berkas terdeteksi mengandung virus (%(name)s) dan ditolak.") % {"name": found}
        )
    return "clean"
