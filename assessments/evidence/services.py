"""Evidence (data dukung): safe upload, external links, removal and review verdicts.

An upload is accepted only when both its extension and its content are of an allowed type
(checked by assessments.evidence.intake and .inspection: PDFs without scripts or attachments, images
that are only images, office packages without macros, embedded objects, external content or
ZIP bombs). Files are hashed while streamed in chunks, stored under random names in the
private default storage, and never served except through the authorised download view.
Uploads, removals and verdicts all go through the functions below; a removed item keeps its
row and file for the audit.

Settings (all optional): ZI_EVIDENCE_MAX_BYTES (20 MB), ZI_EVIDENCE_UNIT_QUOTA_BYTES (2 GB),
ZI_EVIDENCE_ALLOWED_TYPES (keys of FILE_TYPES), the content limits in evidence.packages, CLAMAV_URL
(tcp://host:port of clamd; its StreamMaxLength must exceed the maximum file size).
Object storage: everything goes through `default_storage`, so S3 is a settings switch once
django-storages is installed: STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage",
"OPTIONS": {"bucket_name": ..., "default_acl": "private", "file_overwrite": False}}.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.assessment import Assessment, EvidenceKind
from assessments.evidence.filetypes import FileType
from assessments.evidence.intake import clean_filename, inspect_upload, virus_scan
from assessments.evidence.limits import unit_quota_bytes
from assessments.evidence.models import Evidence, EvidenceVerdict
from core import audit
from core.clamd import clamd_instream
from core.errors import EvidenceError
from core.metrics import EVIDENCE_SCANS, EVIDENCE_UPLOAD_BYTES
from core.text import TextError, clean_note, clean_text
from units.models import Unit

logger = logging.getLogger(__name__)

MB = 1024 * 1024
CHUNK = MB
STAGE_KINDS = (EvidenceKind.PIAGAM, EvidenceKind.PAKTA, EvidenceKind.SK_TIM)
# Kinds kept per assessment rather than per question: the stage documents and TPN's field-visit
# attachments.
DOCUMENT_KINDS = (*STAGE_KINDS, EvidenceKind.FIELD_VISIT, *permissions.DECISION_KINDS)
UPLOAD_KINDS = (EvidenceKind.ANSWER, *DOCUMENT_KINDS)
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png")


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


def _requirement_for(question, requirement, description: str):
    """The dictionary entry a new item is for: the one chosen (it must be the item's own),
    else the entry whose label the description is, else none."""
    if question is None:
        if requirement is not None:
            raise EvidenceError(_("Dokumen tahapan tidak terkait dengan kamus eviden."))
        return None
    entries = list(question.evidence_requirements.all())
    if requirement is not None:
        if requirement.question_id != question.pk:
            raise EvidenceError(_("Entri kamus eviden ini bukan milik butir %(code)s.")
                                % {"code": question.code})  # fmt: skip
        return requirement
    key = description.casefold()
    return next((e for e in entries if key and e.label.casefold() == key), None)


def _check_document_date(document_date) -> None:
    if document_date is not None and not (1900 <= document_date.year <= 2100):
        raise EvidenceError(_("Tanggal dokumen tidak masuk akal."))


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
    files are kept for the audit); a file attached to several items counts once."""
    total = Evidence.objects.filter(assessment__unit_id=unit_id, source__isnull=True).aggregate(
        total=Sum("size")
    )
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
    requirement=None,
    document_date=None,
) -> Evidence:
    """Store one file as evidence. With `replaces`, the new file is a revision: the old item
    is removed (kept for the audit) in the same transaction. Either the row and the file
    both exist afterwards, or neither does. `requirement` (an entry of the item's evidence
    dictionary) and `document_date` (the date the document bears) are optional."""
    _require_upload(by, assessment, kind)
    _check_target(assessment, kind, question)
    description, covers_period = _clean_texts(description, covers_period)
    if replaces is not None and requirement is None:  # a revision stays for the same entry
        requirement = replaces.requirement
    requirement = _requirement_for(question, requirement, description)
    _check_document_date(document_date)
    name = clean_filename(uploaded_file.name)
    inspection = inspect_upload(uploaded_file, name)
    _check_quota(assessment, inspection.size)  # early, before the scan and the copy
    scan_status = virus_scan(uploaded_file)
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
                requirement=requirement,
                document_date=document_date,
                scan_status=scan_status,
                uploaded_by=by,
            )
            audit.record(
                "zi.evidence.uploaded", evidence, by=by, name=name, sha256=inspection.sha256,
                replaces=getattr(replaces, "pk", None),
            )  # fmt: skip
    except BaseException:
        default_storage.delete(stored)
        raise
    EVIDENCE_UPLOAD_BYTES.observe(inspection.size)
    return evidence


def evidence_add_link(
    *, assessment: Assessment, kind: str, question, url: str, by, description: str = ""
) -> Evidence:
    """Evidence held elsewhere (a public web page, a shared folder): an http(s) link."""
    _require_upload(by, assessment, kind)
    _check_target(assessment, kind, question)
    url = url.strip()
    description, _period = _clean_texts(description, "")
    requirement = _requirement_for(question, None, description)
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
            requirement=requirement,
            uploaded_by=by,
        )
        audit.record("zi.evidence.linked", evidence, by=by, url=url)
    return evidence


def evidence_attach(*, source: Evidence, question, by, description: str = "") -> Evidence:
    """Attach an item's file (or link) to another item of the same assessment: the file is
    stored once (same name, same SHA-256), the new row has its own description (the
    requirement it covers there) and verdict, and the link is audited. Attaching what the
    item already has is refused."""
    assessment = source.assessment
    _require_upload(by, assessment, EvidenceKind.ANSWER)
    _check_target(assessment, EvidenceKind.ANSWER, question)
    description, _period = _clean_texts(description, "")
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=source.pk)
        if locked.removed_at is not None:
            raise EvidenceError(_("Data dukung ini sudah dihapus."))
        if locked.kind != EvidenceKind.ANSWER:
            raise EvidenceError(
                _("Hanya data dukung butir LKE yang dapat dilampirkan ke butir lain.")
            )
        if locked.scan_status == "infected":
            raise EvidenceError(_("Berkas ini ditahan karena terdeteksi mengandung virus."))
        original = locked.source or locked
        same = assessment.evidence.filter(question=question, removed_at__isnull=True)
        if (locked.file and same.filter(sha256=locked.sha256).exists()) or (
            locked.url and same.filter(url=locked.url).exists()
        ):
            raise EvidenceError(
                _("Butir %(code)s sudah memiliki data dukung ini.") % {"code": question.code}
            )
        Assessment.objects.filter(pk=assessment.pk).touch()
        description = description or locked.description
        evidence = Evidence.objects.create(
            assessment=assessment,
            kind=EvidenceKind.ANSWER,
            question=question,
            requirement=_requirement_for(question, None, description),
            document_date=locked.document_date,
            source=original if locked.file else None,
            file=locked.file.name,
            url=locked.url,
            original_name=locked.original_name,
            size=locked.size,
            content_type=locked.content_type,
            sha256=locked.sha256,
            description=description,
            covers_period=locked.covers_period,
            scan_status=locked.scan_status,
            uploaded_by=by,
        )
        audit.record(
            "zi.evidence.attached", evidence, by=by, source=original.pk, sha256=locked.sha256,
            question=question.code, from_question=getattr(locked.question, "code", ""),
        )  # fmt: skip
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
    locked.save(update_fields=["removed_at", "removed_by", "updated_at"])
    Assessment.objects.filter(pk=locked.assessment_id).touch()
    audit.record("zi.evidence.removed", locked, by=by)
    return locked


def evidence_remove(*, evidence: Evidence, by) -> Evidence:
    """Hide an item from the current set; its row and file stay for the audit."""
    _require_upload(by, evidence.assessment, evidence.kind)
    with transaction.atomic():
        return _remove_locked(evidence, by)


KEEP = object()  # evidence_set_verdict: leave the item's dictionary entry as it is


def evidence_set_verdict(
    *, evidence: Evidence, by, verdict: str, note: str = "", requirement=KEEP
) -> Evidence:
    """A reviewer's finding on one item; "needs fix" must say what to fix. With
    `requirement` (an entry of the item's evidence dictionary, or None), the reviewer also
    says which entry the file is for."""
    if not permissions.can_review_evidence(by, evidence.assessment):
        raise EvidenceError(_("Anda tidak dapat memeriksa data dukung saat ini."), forbidden=True)
    if verdict not in EvidenceVerdict.values:
        raise EvidenceError(_("Hasil pemeriksaan tidak dikenal."))
    note = clean_note(note, label=_("Catatan"))
    if verdict == EvidenceVerdict.NEEDS_FIX and not note:
        raise EvidenceError(_("Catatan wajib diisi untuk “Perlu perbaikan”."))
    if requirement is not KEEP and requirement is not None:
        _requirement_for(evidence.question, requirement, "")
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if locked.removed_at is not None:
            raise EvidenceError(_("Data dukung ini sudah dihapus."))
        if requirement is not KEEP and locked.requirement_id != getattr(requirement, "pk", None):
            before, locked.requirement = locked.requirement_id, requirement
            locked._history_user = by
            locked.save(update_fields=["requirement", "updated_at"])
            audit.record("zi.evidence.requirement_set", locked, by=by, before=before,
                         after=getattr(requirement, "pk", None))  # fmt: skip
        _set_verdict(locked, by, verdict, note)
        Assessment.objects.filter(pk=locked.assessment_id).touch()
    return locked


def evidence_verdict_bulk(*, assessment: Assessment, questions, by, verdict: str, note="") -> int:
    """One verdict for every current item evidence of `questions` that nobody judged yet (an
    area at once); items already judged keep their verdict. Returns how many were set."""
    if not permissions.can_review_evidence(by, assessment):
        raise EvidenceError(_("Anda tidak dapat memeriksa data dukung saat ini."), forbidden=True)
    if verdict not in (EvidenceVerdict.COMPLETE, EvidenceVerdict.NEEDS_FIX):
        raise EvidenceError(_("Hasil pemeriksaan tidak dikenal."))
    note = clean_note(note, label=_("Catatan"))
    if verdict == EvidenceVerdict.NEEDS_FIX and not note:
        raise EvidenceError(_("Catatan wajib diisi untuk “Perlu perbaikan”."))
    with transaction.atomic():
        items = list(
            Evidence.objects.select_for_update()
            .filter(
                assessment=assessment,
                kind=EvidenceKind.ANSWER,
                question__in=list(questions),
                removed_at__isnull=True,
                verdict=EvidenceVerdict.UNCHECKED,
            )
            .order_by("pk")
        )
        for item in items:
            _set_verdict(item, by, verdict, note)
        if items:
            Assessment.objects.filter(pk=assessment.pk).touch()
    return len(items)


def _set_verdict(locked: Evidence, by, verdict: str, note: str) -> None:
    """Write one verdict on a locked row, with its history and audit entry."""
    before = locked.verdict
    locked.verdict, locked.verdict_note, locked.verdict_by = verdict, note, by
    locked._history_user = by
    locked.save(update_fields=["verdict", "verdict_note", "verdict_by", "updated_at"])
    audit.record("zi.evidence.verdict_set", locked, by=by, before=before, after=verdict, note=note)


def evidence_rescan_pending(*, limit: int = 200) -> dict[str, int]:
    """Files stored while clamd was down ("pending") are scanned again (Celery beat, every
    10 minutes): clean, or infected (then held: never served, carried or attached again, as an
    upload refused at once would have been). Rows that share a stored file (attached to
    another item, carried into a later period) move together. clamd still down: left pending,
    tried at the next run. Safe to run twice."""
    url = getattr(settings, "CLAMAV_URL", "")
    counts = {"clean": 0, "infected": 0, "pending": 0}
    if not url:
        return counts
    names = list(
        Evidence.objects.filter(scan_status="pending")
        .exclude(file="")
        .values_list("file", flat=True)
        .distinct()
        .order_by("file")[:limit]
    )
    for name in names:
        try:
            with default_storage.open(name, "rb") as stored:
                found = clamd_instream(url, iter(lambda f=stored: f.read(CHUNK), b""))
        except (ConnectionError, TimeoutError):
            logger.warning("evidence rescan unavailable; left pending", exc_info=True)
            counts["pending"] += 1
            break  # clamd (or the store) is down: the next run tries again
        except OSError:
            # This file only (missing from the store, refused by clamd's limits): logged, left
            # pending, and the others are still scanned.
            logger.warning("evidence rescan failed for one file; left pending", exc_info=True)
            counts["pending"] += 1
            continue
        status = "infected" if found else "clean"
        EVIDENCE_SCANS.labels(result=status).inc()
        with transaction.atomic():
            rows = list(
                Evidence.objects.select_for_update()
                .filter(file=name, scan_status="pending")
                .order_by("pk")  # the default ordering joins questions (outer): not lockable
            )
            Evidence.objects.filter(pk__in=[row.pk for row in rows]).update(scan_status=status)
            if found:
                for row in rows:
                    audit.record("zi.evidence.infected_on_rescan", row, signature=found)
                logger.warning("evidence infected on rescan: %s rows, %s", len(rows), found)
        counts[status] += len(rows)
    return counts
