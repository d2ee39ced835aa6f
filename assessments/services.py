"""Business rules of an assessment: stage transitions, layered answers, returned items."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import notices, permissions, policy
from assessments.assessment import Assessment, TransitionEvent
from assessments.stages import checks
from assessments.workflow import TRANSITIONS, transitions_from
from core import audit
from core.errors import WorkflowError
from core.text import clean_note
from units.models import Role

# --------------------------------------------------------------------------- transitions


def assessment_transition(
    *,
    assessment: Assessment,
    name: str,
    by,
    note: str = "",
    override_note: str = "",
    sk_number: str = "",
    sk_date: datetime.date | None = None,
    links: str = "",
) -> TransitionEvent:
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise WorkflowError(_("Tindakan tidak dikenal."))
    note = clean_note(note, label=_("Catatan"))
    override_note = clean_note(override_note, label=_("Justifikasi"))
    sk_number = clean_note(sk_number, label=_("Nomor SK"), limit=120, multiline=False)
    link_list = clean_links(links)
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("period__lke_version", "unit")
            .get(pk=assessment.pk)
        )
        if assessment.status not in transition.sources:
            raise WorkflowError(
                _("“%(action)s” tidak dapat dilakukan saat status “%(status)s”.")
                % {"action": transition.label, "status": assessment.get_status_display()}
            )
        if not permissions.has_role_on(by, assessment, *transition.roles):
            raise WorkflowError(
                _("Anda tidak berwenang melakukan “%(action)s”.") % {"action": transition.label},
                forbidden=True,
            )
        if transition.note_required and not note.strip():
            raise WorkflowError(
                _("Catatan wajib diisi untuk “%(action)s”.") % {"action": transition.label}
            )
        role = transition.roles[0]
        context = checks.Context(
            assessment=assessment,
            by=by,
            layer=policy.layer_written({role}, assessment.status),
            note=note,
            override_note=override_note,
            sk_number=sk_number,
            sk_date=sk_date,
            links=link_list,
        )
        problems = [p for condition in transition.conditions for p in condition(context)]
        if problems:
            raise WorkflowError(
                _("“%(action)s” belum dapat dilakukan:") % {"action": transition.label}, problems
            )
        event = TransitionEvent.objects.create(
            assessment=assessment,
            transition=name,
            from_status=assessment.status,
            to_status=transition.target,
            note="\n\n".join(filter(None, [note.strip(), override_note.strip()])),
            by=by,
        )
        for effect in transition.effects:
            effect(context)
        audit.record(
            f"zi.assessment.{name}", assessment, by=by, event=event.pk,
            from_status=event.from_status, to_status=event.to_status,
        )  # fmt: skip
        assessment.status = transition.target
        assessment.status_changed_at = timezone.now()
        assessment.content_version += 1  # the row is locked: its reports show the new status
        assessment.save()
        transaction.on_commit(lambda: notices.transition_made(event_id=event.pk))
    return event


MAX_LINKS = 5


def clean_links(text: str) -> tuple[str, ...]:
    """Links typed one per line (a sanggah's supporting data): http(s) addresses only."""
    links = tuple(line.strip() for line in (text or "").splitlines() if line.strip())
    if len(links) > MAX_LINKS:
        raise WorkflowError(_("Paling banyak %(n)s tautan.") % {"n": MAX_LINKS})
    for link in links:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise WorkflowError(
                _(
                    "Tautan tidak valid: %(link)s. Gunakan alamat lengkap yang diawali http:// "
                    "atau https://."
                )
                % {"link": link[:80]}
            ) from None
        if len(link) > 500:
            raise WorkflowError(_("Tautan terlalu panjang (maksimum 500 karakter)."))
    return links


def allowed_transitions(user, assessment: Assessment):
    """Transitions the user could attempt now (conditions are checked when attempted)."""
    return [
        t for t in transitions_from(assessment.status)
        if permissions.has_role_on(user, assessment, *t.roles)
    ]  # fmt: skip


# --------------------------------------------------------------------------- answers


def assessment_release_tpn_layer(*, assessment: Assessment, by, released: bool) -> None:
    if not permissions.has_role_on(by, assessment, Role.ADMIN):
        raise WorkflowError(_("Hanya Admin nasional yang dapat membuka nilai TPN."), forbidden=True)
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(tpn_layer_released=released)
        Assessment.objects.filter(pk=assessment.pk).touch()
        code = "zi.assessment.tpn_released" if released else "zi.assessment.tpn_closed"
        audit.record(code, assessment, by=by)
