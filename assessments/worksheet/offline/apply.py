"""Saving what an uploaded workbook proposes, once its owner has seen and confirmed it: every
change through the worksheet's one save path (history, revision, tally, audit), all in one
transaction, and an item changed in the portal since the download only when the user chose
the workbook's value for it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.selectors import version_parts
from assessments import permissions
from assessments.assessment import Assessment
from assessments.worksheet import services
from assessments.worksheet.models import WorkbookUpload
from core import audit
from core.errors import ConflictError, WorkflowError

UPLOAD_LIFETIME = timedelta(hours=2)


@dataclass
class Applied:
    saved: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # conflicts left as the portal holds them


def workbook_apply(
    *, assessment: Assessment, layer: str, by, changes: list[dict], take_theirs
) -> Applied:
    """Save `changes` (assessments.worksheet.offline.read) in `layer`. A conflict (the portal
    changed the item since the download) is saved only when its code is in `take_theirs`
    (the workbook's value wins), from the revision seen at the preview; any refusal, or a save
    by someone else since the preview, leaves everything as it was."""
    take = set(take_theirs)
    done = Applied()
    questions = version_parts(assessment.period.lke_version).by_pk
    with transaction.atomic():
        for change in changes:
            if change["conflict"] and change["code"] not in take:
                done.kept.append(change["code"])
                continue
            revision = change["current_revision"] if change["conflict"] else change["revision"]
            try:
                services.answer_save(
                    assessment=assessment,
                    question=questions[change["question"]],
                    layer=layer,
                    by=by,
                    value=change["value"],
                    note=change["note"],
                    revision=revision or None,
                )
            except ConflictError as error:
                raise ConflictError(
                    _("%(error)s Tidak ada perubahan dari workbook yang disimpan.")
                    % {"error": error}
                ) from None
            except WorkflowError as error:
                if error.forbidden:
                    raise
                raise WorkflowError(
                    _("%(code)s: %(error)s Tidak ada perubahan dari workbook yang disimpan.")
                    % {"code": change["code"], "error": error}
                ) from None
            done.saved.append(change["code"])
        if done.saved:
            audit.record(
                "zi.lke_workbook.imported", assessment, by=by, layer=layer, items=done.saved,
                kept=done.kept,
            )  # fmt: skip
    return done


def upload_keep(*, assessment: Assessment, layer: str, by, changes: list[dict]) -> WorkbookUpload:
    """Keep a checked proposal until its owner confirms or cancels it (or it expires)."""
    WorkbookUpload.objects.filter(expires_at__lt=timezone.now()).delete()
    return WorkbookUpload.objects.create(
        token=uuid.uuid4(), owner=by, assessment=assessment, layer=layer, changes=changes,
        expires_at=timezone.now() + UPLOAD_LIFETIME,
    )  # fmt: skip


def upload_confirm(*, upload: WorkbookUpload, by, take_theirs) -> Applied:
    """Save a kept proposal. Refused because the layer closed or someone saved meanwhile, the
    proposal is stale: it is thrown away (it cannot be confirmed again) and the user is told
    to upload the workbook again."""
    if upload.owner_id != by.pk or upload.expires_at < timezone.now():
        raise WorkflowError(_("Unggahan ini sudah kedaluwarsa; unggah ulang workbook Anda."))
    try:
        if permissions.writable_layer(by, upload.assessment) != upload.layer:  # e.g. sent
            raise WorkflowError(
                _("Lapisan ini tidak dapat Anda isi pada status penilaian sekarang.")
            )
        with transaction.atomic():
            done = workbook_apply(
                assessment=upload.assessment, layer=upload.layer, by=by,
                changes=upload.changes, take_theirs=take_theirs,
            )  # fmt: skip
            upload.delete()
    except WorkflowError as error:
        upload.delete()
        again = _("Pratinjau ini tidak berlaku lagi; unggah ulang workbook Anda.")
        raise type(error)(f"{error} {again}", forbidden=error.forbidden) from None
    return done


def upload_cancel(*, upload: WorkbookUpload, by) -> None:
    if upload.owner_id == by.pk:
        upload.delete()
