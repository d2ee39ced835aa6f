"""Evidence (data dukung): safe upload, external links, removal and review verdicts.

An upload is accepted only when both its extension and its content are of an allowed type
(decoded and checked by assessments.file_inspection: PDFs without scripts or attachments, images
that are only images, office packages without macros, embedded objects, external content or
ZIP bombs). Files are hashed while streamed in chunks, stored under random names in the
private default storage, and never served except through the authorised download view.
Uploads, removals and verdicts all go through the functions below; a removed item keeps its
row and file for the audit.

Settings (all optional): ZI_EVIDENCE_MAX_BYTES (20 MB), ZI_EVIDENCE_UNIT_QUOTA_BYTES (2 GB),
ZI_EVIDENCE_ALLOWED_TYPES (keys of FILE_TYPES), the content limits in file_inspection, CLAMAV_URL
(tcp://host:port of clamd; its StreamMaxLength must exceed the maximum file size).
Object storage: everything goes through `default_storage`, so S3 is a settings switch once
django-storages is installed: STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage",
"OPTIONS": {"bucket_name": ..., "default_acl": "private", "file_overwrite": False}}.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import struct
import unicodedata
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.file_inspection import (  # re-exported: callers import them from here
    DEFAULT_ALLOWED,
    FILE_TYPES,
    ContentRefused,
    FileType,
    inspect_content,
)
from assessments.models import (
    Assessment,
    Evidence,
    EvidenceKind,
    EvidencePolicy,
    EvidenceVerdict,
)
from assessments.services import WorkflowError, clean_note
from core import audit
from core.text import TextError, clean_text
from units.models import Unit

logger = logging.getLogger(__name__)

MB = 1024 * 1024
CHUNK = MB
STAGE_KINDS = (EvidenceKind.PIAGAM, EvidenceKind.PAKTA, EvidenceKind.SK_TIM)
# Kinds kept per assessment rather than per question: the stage documents and TPN's field-visit
# attachments.
DOCUMENT_KINDS = (*STAGE_KINDS, EvidenceKind.FIELD_VISIT)
UPLOAD_KINDS = (EvidenceKind.ANSWER, *DOCUMENT_KINDS)
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png")


class EvidenceError(WorkflowError):
    """An upload, link or verdict was refused; the message is for the user."""


# --------------------------------------------------------------------------- settings


POLICY_CACHE_KEY = "zi:evidence-policy"


def policy() -> EvidencePolicy:
    """The admin-edited limits (cached for a minute; saving them clears the cache)."""
    cached = cache.get(POLICY_CACHE_KEY)
    if cached is None:
        cached = EvidencePolicy.objects.order_by("pk").first() or EvidencePolicy()
        cache.set(POLICY_CACHE_KEY, cached, 60)
    return cached


def max_bytes() -> int:
    if policy().max_file_mb:
        return policy().max_file_mb * MB
    return int(getattr(settings, "ZI_EVIDENCE_MAX_BYTES", 20 * MB))


def unit_quota_bytes() -> int:
    if policy().unit_quota_mb:
        return policy().unit_quota_mb * MB
    return int(getattr(settings, "ZI_EVIDENCE_UNIT_QUOTA_BYTES", 2 * 1024 * MB))


def allowed_types() -> list[FileType]:
    edited = [key.strip().lower() for key in policy().allowed_types.split(",") if key.strip()]
    keys = edited or getattr(settings, "ZI_EVIDENCE_ALLOWED_TYPES", DEFAULT_ALLOWED)
    return [FILE_TYPES[key] for key in keys if key in FILE_TYPES]


@dataclass(frozen=True)
class Limits:
    """What the upload widget tells the user (and checks before sending)."""

    max_bytes: int
    quota_bytes: int
    labels: str
    accept: str


def limits() -> Limits:
    types = allowed_types()
    return Limits(
        max_bytes=max_bytes(),
        quota_bytes=unit_quota_bytes(),
        labels=", ".join(t.label for t in types),
        accept=",".join(f".{ext}" for t in types for ext in t.extensions),
    )


# --------------------------------------------------------------------------- validation


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


# --------------------------------------------------------------------------- virus scan


def clamd_instream(url: str, chunks, timeout: float = 30.0) -> str | None:
    """Scan a stream with clamd's INSTREAM command: None when clean, else the signature found.
    Raises OSError when clamd cannot be reached or answers with an error."""
    parts = urlsplit(url)
    if parts.scheme != "tcp" or not parts.hostname:
        raise OSError(f"unsupported CLAMAV_URL {url!r} (use tcp://host:port)")
    with socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout) as sock:
        sock.sendall(b"zINSTREAM\0")
        for chunk in chunks:
            sock.sendall(struct.pack(">I", len(chunk)) + chunk)
        sock.sendall(struct.pack(">I", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    answer = reply.rstrip(b"\0").decode(errors="replace").strip()
    if answer.endswith(" OK"):
        return None
    if answer.endswith(" FOUND"):
        return answer.split(":", 1)[-1].removesuffix(" FOUND").strip()
    raise OSError(f"clamd: {answer}")


def _scan(uploaded_file) -> str:
    """The scan status of a new upload; an infected file is refused outright. Without a
    scanner configured every file counts as clean; if the scanner is down it is kept as
    pending (to be rescanned) rather than blocking every unit at the deadline."""
    url = getattr(settings, "CLAMAV_URL", "") or os.environ.get("CLAMAV_URL", "")
    if not url:
        return "clean"
    try:
        found = clamd_instream(url, uploaded_file.chunks(CHUNK))
    except OSError:
        logger.warning("evidence scan unavailable; stored as pending", exc_info=True)
        return "pending"
    if found:
        raise EvidenceError(
            _("Berkas terdeteksi mengandung virus (%(name)s) dan ditolak.") % {"name": found}
        )
    return "clean"


# --------------------------------------------------------------------------- services


def _check_target(assessment: Assessment, kind: str, question) -> None:
    if kind not in UPLOAD_KINDS:
        raise EvidenceError(_("Jenis data dukung tidak dikenal."))
    if kind == EvidenceKind.ANSWER:
        if question is None:
            raise EvidenceError(_("Pilih butir LKE untuk data dukung ini."))
        if question.version_id != assessment.period.lke_version_id:
            raise EvidenceError(_("Butir ini bukan bagian dari LKE periode ini."))
    elif question is not None:
        raise EvidenceError(_("Dokumen tahapan tidak terkait dengan butir LKE."))


def _clean_texts(description: str, covers_period: str) -> tuple[str, str]:
    """The two free texts of an item, cleaned (core.text) and bounded."""
    try:
        description = clean_text(description, multiline=False).strip()
        covers_period = clean_text(covers_period, multiline=False).strip()
    except TextError as error:
        raise EvidenceError(str(error)) from None
    if len(description) > 300:
        raise EvidenceError(_("Keterangan terlalu panjang (maksimum 300 karakter)."))
    if len(covers_period) > 60:
        raise EvidenceError(_("Periode data terlalu panjang (maksimum 60 karakter)."))
    return description, covers_period


def can_upload(user, assessment: Assessment, kind: str) -> bool:
    """permissions.Access.can_change_evidence."""
    return permissions.access(user, assessment).can_change_evidence(kind)


def can_read(user, assessment: Assessment, kind: str) -> bool:
    """The one evidence-reading rule (assessments.permissions.can_read_evidence)."""
    return permissions.can_read_evidence(user, assessment, kind)


def _require_upload(by, assessment: Assessment, kind: str) -> None:
    if not can_upload(by, assessment, kind):
        raise EvidenceError(
            _("Anda tidak dapat mengubah data dukung saat ini (terkunci selama penilaian)."),
            forbidden=True,
        )


def quota_used(unit_id: int) -> int:
    """Bytes stored for the unit, over all its assessments, removed items included (their
    files are kept for the audit)."""
    total = Evidence.objects.filter(assessment__unit_id=unit_id).aggregate(total=Sum("size"))
    return total["total"] or 0


def _check_quota(assessment: Assessment, size: int) -> None:
    used, quota = quota_used(assessment.unit_id), unit_quota_bytes()
    if used + size > quota:
        raise EvidenceError(
            _("Kuota unit penuh: terpakai %(used)s dari %(quota)s; berkas ini %(size)s.")
            % {
                "used": filesizeformat(used),
                "quota": filesizeformat(quota),
                "size": filesizeformat(size),
            }
        )


def _storage_name(file_type: FileType) -> str:
    now = timezone.localtime()
    return f"evidence/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{file_type.extensions[0]}"


def evidence_upload(
    *,
    assessment: Assessment,
    kind: str,
    question=None,
    uploaded_file,
    by,
    description: str = "",
    covers_period: str = "",
    replaces: Evidence | None = None,
) -> Evidence:
    """Store one file as evidence. With `replaces`, the new file is a revision: the old item
    is removed (kept for the audit) in the same transaction. Either the row and the file
    both exist afterwards, or neither does."""
    _require_upload(by, assessment, kind)
    _check_target(assessment, kind, question)
    description, covers_period = _clean_texts(description, covers_period)
    name = clean_filename(uploaded_file.name)
    inspection = inspect_upload(uploaded_file, name)
    _check_quota(assessment, inspection.size)  # early, before the scan and the copy
    scan_status = _scan(uploaded_file)
    uploaded_file.seek(0)
    stored = default_storage.save(_storage_name(inspection.file_type), uploaded_file)
    try:
        with transaction.atomic():
            # One upload at a time per unit, so two parallel uploads cannot both fit the quota.
            list(Unit.objects.select_for_update().filter(pk=assessment.unit_id).values("pk"))
            _check_quota(assessment, inspection.size)
            Assessment.objects.filter(pk=assessment.pk).touch()  # its LHE and ZIP list this
            if replaces is not None:
                _remove_locked(replaces, by, assessment=assessment, kind=kind, question=question)
            evidence = Evidence.objects.create(
                assessment=assessment,
                kind=kind,
                question=question,
                file=stored,
                original_name=name,
                size=inspection.size,
                content_type=inspection.file_type.content_type,
                sha256=inspection.sha256,
                description=description,
                covers_period=covers_period,
                scan_status=scan_status,
                uploaded_by=by,
            )
            audit.record(
                "zi.evidence.uploaded", evidence, by=by, name=name, sha256=inspection.sha256,
                replaces=getattr(replaces, "pk", None),
            )  # fmt: skip
            return evidence
    except BaseException:
        default_storage.delete(stored)
        raise


def evidence_add_link(
    *, assessment: Assessment, kind: str, question, url: str, by, description: str = ""
) -> Evidence:
    """Evidence held elsewhere (a public web page, a shared folder): an http(s) link."""
    _require_upload(by, assessment, kind)
    _check_target(assessment, kind, question)
    url = url.strip()
    description, _period = _clean_texts(description, "")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise EvidenceError(
            _("Tautan tidak valid: gunakan alamat lengkap yang diawali http:// atau https://.")
        ) from None
    if len(url) > 500:
        raise EvidenceError(_("Tautan terlalu panjang (maksimum 500 karakter)."))
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).touch()
        evidence = Evidence.objects.create(
            assessment=assessment,
            kind=kind,
            question=question,
            url=url,
            description=description,
            uploaded_by=by,
        )
        audit.record("zi.evidence.linked", evidence, by=by, url=url)
    return evidence


def _remove_locked(evidence: Evidence, by, **same) -> Evidence:
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if locked.removed_at is not None:
        raise EvidenceError(_("Data dukung ini sudah dihapus."))
    if same and (
        locked.assessment_id != same["assessment"].pk
        or locked.kind != same["kind"]
        or locked.question_id != getattr(same["question"], "pk", None)
    ):
        raise EvidenceError(_("Berkas pengganti harus untuk butir yang sama."))
    locked.removed_at, locked.removed_by = timezone.now(), by
    locked._history_user = by
    locked.save(update_fields=["removed_at", "removed_by"])
    Assessment.objects.filter(pk=locked.assessment_id).touch()
    audit.record("zi.evidence.removed", locked, by=by)
    return locked


def evidence_remove(*, evidence: Evidence, by) -> Evidence:
    """Hide an item from the current set; its row and file stay for the audit."""
    _require_upload(by, evidence.assessment, evidence.kind)
    with transaction.atomic():
        return _remove_locked(evidence, by)


def evidence_set_verdict(*, evidence: Evidence, by, verdict: str, note: str = "") -> Evidence:
    """A reviewer's finding on one item; "needs fix" must say what to fix."""
    if not permissions.can_review_evidence(by, evidence.assessment):
        raise EvidenceError(_("Anda tidak dapat memeriksa data dukung saat ini."), forbidden=True)
    if verdict not in EvidenceVerdict.values:
        raise EvidenceError(_("Hasil pemeriksaan tidak dikenal."))
    note = clean_note(note, label=_("Catatan"))
    if verdict == EvidenceVerdict.NEEDS_FIX and not note:
        raise EvidenceError(_("Catatan wajib diisi untuk “Perlu perbaikan”."))
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if locked.removed_at is not None:
            raise EvidenceError(_("Data dukung ini sudah dihapus."))
        before = locked.verdict
        locked.verdict, locked.verdict_note, locked.verdict_by = verdict, note, by
        locked._history_user = by
        locked.save(update_fields=["verdict", "verdict_note", "verdict_by"])
        audit.record(
            "zi.evidence.verdict_set", locked, by=by, before=before, after=verdict, note=note
        )
        Assessment.objects.filter(pk=locked.assessment_id).touch()
    return locked


# --------------------------------------------------------------------------- read side


class EvidenceList(list):
    """The evidence of one question (or stage document), with the question's required-evidence
    checklist: an item counts as covered when some evidence's description equals it."""

    def __init__(self, items, question=None):
        super().__init__(items)
        self.question = question

    @property
    def checklist(self) -> list[tuple[str, list[Evidence]]]:
        items = self.question.evidence_items if self.question is not None else []
        current = [e for e in self if e.removed_at is None]
        return [
            (item, [e for e in current if e.description.casefold() == item.casefold()])
            for item in items
        ]

    @property
    def limits(self) -> Limits:
        return limits()


def evidence_current(
    *, assessment: Assessment, question=None, kind: str = "", include_removed: bool = False
) -> EvidenceList:
    """One query, whatever the number of items. `assessment` must come from the user's scope
    (assessments.selectors.assessment_for_user)."""
    items = assessment.evidence.select_related("uploaded_by", "verdict_by", "removed_by")
    if question is not None:
        items = items.filter(question=question)
    else:
        items = items.filter(kind=kind, question__isnull=True)
    if not include_removed:
        items = items.filter(removed_at__isnull=True)
    return EvidenceList(items.order_by("uploaded_at", "pk"), question)


def panel_context(
    user, assessment: Assessment, *, question=None, kind: str = "", include_removed=False
) -> dict:
    """What templates/assessments/evidence/_panel.html needs."""
    kind = EvidenceKind.ANSWER if question is not None else kind
    uploader = can_upload(user, assessment, kind)
    field_visit = kind == EvidenceKind.FIELD_VISIT
    return {
        "assessment": assessment,
        "question": question,
        "kind": kind,
        "evidence": evidence_current(
            assessment=assessment, question=question, kind=kind, include_removed=include_removed
        ),
        "can_upload": uploader,
        "can_review": not field_visit and permissions.can_review_evidence(user, assessment),
        "upload_locked": not uploader
        and not field_visit
        and permissions.is_unit_member(user, assessment),
        "include_removed": include_removed,
    }


def evidence_policy_update(
    *, max_file_mb: int | None, unit_quota_mb: int | None, allowed_types: str, by
) -> EvidencePolicy:
    """Admin nasional changes the upload limits; they apply from the next upload."""
    from units.permissions import is_admin

    if not is_admin(by):
        raise EvidenceError(
            _("Hanya Admin nasional yang dapat mengubah batas unggahan."), forbidden=True
        )
    keys = [key.strip().lower() for key in allowed_types.split(",") if key.strip()]
    unknown = [key for key in keys if key not in FILE_TYPES]
    if unknown:
        raise EvidenceError(_("Tipe tidak dikenal: %(types)s.") % {"types": ", ".join(unknown)})
    with transaction.atomic():
        current = EvidencePolicy.objects.select_for_update().order_by("pk").first()
        current = current or EvidencePolicy()
        current.max_file_mb, current.unit_quota_mb = max_file_mb, unit_quota_mb
        current.allowed_types = ", ".join(keys)
        current.save()
        transaction.on_commit(lambda: cache.delete(POLICY_CACHE_KEY))
    return current
