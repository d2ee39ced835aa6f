"""Business rules of the stage pages: the declaration and the ZI team (stage 1), the work plan
(stage 2), the proposals to TPN and their export (stage 4), TPN's field visits (stage 5) and
revoking a predicate.

Every function checks the acting user's permission, validates, writes in one transaction and
raises WorkflowError (the app's one domain error) with a message for the user.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import LkeVersion, VersionStatus
from assessments import notices, permissions
from assessments.assessment import Assessment
from assessments.evidence.selectors import EvidenceList, evidence_visible_to
from assessments.stages.models import (
    ChangeAgent,
    Declaration,
    FieldVisit,
    PredicateAward,
    RevocationSource,
    TeamMember,
    WorkPlanItem,
    WorkPlanStatus,
)
from core import audit
from core.errors import WorkflowError
from core.text import clean_note
from units.permissions import is_admin

TEAM_ROLES = ("ketua", "sekretaris", "pokja")


def _require_unit_editor(assessment: Assessment, by) -> None:
    if not permissions.can_edit_unit_documents(by, assessment):
        raise WorkflowError(
            _("Anda tidak dapat mengubah dokumen unit pada tahap ini."), forbidden=True
        )


def _required(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise WorkflowError(_("%(field)s wajib diisi.") % {"field": label})
    return value


def area_numbers(assessment: Assessment) -> list[int]:
    """The change areas of the period's LKE version (six for LKE 90/2021)."""
    return list(assessment.period.lke_version.areas.values_list("number", flat=True))


def _valid_area(assessment: Assessment, number: int | None) -> int:
    if number is None or number not in area_numbers(assessment):
        raise WorkflowError(_("Pilih area perubahan yang ada pada LKE periode ini."))
    return number


# --------------------------------------------------------------------------- stage 1


def declaration_save(
    *,
    assessment: Assessment,
    by,
    declared_on: datetime.date | None,
    sk_tim_number: str,
    sk_tim_date: datetime.date | None,
) -> Declaration:
    _require_unit_editor(assessment, by)
    with transaction.atomic():
        declaration, _created = Declaration.objects.select_for_update().get_or_create(
            assessment=assessment
        )
        declaration.declared_on = declared_on
        declaration.sk_tim_number = (sk_tim_number or "").strip()
        declaration.sk_tim_date = sk_tim_date
        declaration._history_user = by
        declaration.save()
        audit.record("zi.declaration.saved", declaration, by=by, sk_tim=declaration.sk_tim_number)
    return declaration


def team_member_add(
    *,
    assessment: Assessment,
    by,
    name: str,
    position: str,
    role: str,
    area_number: int | None,
) -> TeamMember:
    _require_unit_editor(assessment, by)
    name = _required(name, _("Nama"))
    if role not in TEAM_ROLES:
        raise WorkflowError(_("Peran dalam tim tidak dikenal."))
    area_number = _valid_area(assessment, area_number) if role == "pokja" else None
    with transaction.atomic():
        if role == "ketua" and assessment.team.filter(role="ketua").exists():
            raise WorkflowError(_("Ketua tim sudah dicatat; hapus dulu jika ingin mengganti."))
        member = TeamMember.objects.create(
            assessment=assessment,
            name=name,
            position=(position or "").strip(),
            role=role,
            area_number=area_number,
        )
        audit.record("zi.team.member_added", assessment, by=by, name=name, role=role)
    return member


def team_member_remove(*, member: TeamMember, by) -> None:
    _require_unit_editor(member.assessment, by)
    with transaction.atomic():
        audit.record(
            "zi.team.member_removed", member.assessment, by=by, name=member.name, role=member.role
        )
        member.delete()


def change_agent_add(*, assessment: Assessment, by, name: str, position: str) -> ChangeAgent:
    _require_unit_editor(assessment, by)
    name = _required(name, _("Nama"))
    with transaction.atomic():
        agent = ChangeAgent.objects.create(
            assessment=assessment, name=name, position=(position or "").strip()
        )
        audit.record("zi.change_agent.added", assessment, by=by, name=name)
    return agent


def change_agent_remove(*, agent: ChangeAgent, by) -> None:
    _require_unit_editor(agent.assessment, by)
    with transaction.atomic():
        audit.record("zi.change_agent.removed", agent.assessment, by=by, name=agent.name)
        agent.delete()


def stage_documents(user, assessment: Assessment, kinds) -> dict[str, EvidenceList]:
    """The current evidence of each stage-document kind the user may read, as the evidence
    panel takes it: one query for all the kinds."""
    out = {kind: [] for kind in kinds}
    items = (
        evidence_visible_to(user, assessment)
        .filter(kind__in=list(kinds), question__isnull=True)
        .filter(removed_at__isnull=True)
        .select_related("uploaded_by", "verdict_by", "removed_by")
        .order_by("uploaded_at", "pk")
    )
    for item in items:
        out[item.kind].append(item)
    return {kind: EvidenceList(found) for kind, found in out.items()}


# --------------------------------------------------------------------------- stage 2


def work_plan_item_save(
    *,
    assessment: Assessment,
    by,
    item: WorkPlanItem | None = None,
    area_number: int,
    activity: str,
    target_month: datetime.date,
    person_in_charge: str,
    status: str,
    progress: int,
) -> WorkPlanItem:
    """Add an item (item=None) or change one; the history of each item is kept."""
    _require_unit_editor(assessment, by)
    if item is not None and item.assessment_id != assessment.pk:
        raise WorkflowError(_("Kegiatan ini bukan bagian dari rencana kerja unit ini."))
    area_number = _valid_area(assessment, area_number)
    activity = _required(activity, _("Kegiatan"))
    person_in_charge = _required(person_in_charge, _("Penanggung jawab"))
    if target_month is None:
        raise WorkflowError(_("Bulan target wajib diisi."))
    if status not in WorkPlanStatus.values:
        raise WorkflowError(_("Status kegiatan tidak dikenal."))
    if progress is None or not 0 <= progress <= 100:
        raise WorkflowError(_("Progres harus antara 0 dan 100."))
    with transaction.atomic():
        item = item or WorkPlanItem(assessment=assessment)
        item.area_number = area_number
        item.activity = activity
        item.target_month = target_month.replace(day=1)
        item.person_in_charge = person_in_charge
        item.status = status
        item.progress = progress
        item._history_user = by
        item.save()
        audit.record("zi.work_plan.item_saved", item, by=by, progress=item.progress)
    return item


def work_plan_item_remove(*, item: WorkPlanItem, by) -> None:
    _require_unit_editor(item.assessment, by)
    with transaction.atomic():
        audit.record("zi.work_plan.item_removed", item.assessment, by=by, activity=item.activity)
        item._history_user = by
        item.delete()


def work_plan_by_area(items, areas) -> list[dict]:
    """Items grouped under each area with the area's progress (mean of its items' progress;
    None when the area has no item yet)."""
    grouped: dict[int, list[WorkPlanItem]] = {area.number: [] for area in areas}
    for item in items:
        grouped.setdefault(item.area_number, []).append(item)
    out = []
    for area in areas:
        rows = grouped[area.number]
        progress = round(sum(i.progress for i in rows) / len(rows), 1) if rows else None
        out.append({"area": area, "items": rows, "progress": progress})
    return out


# --------------------------------------------------------------------------- stage 4


# --------------------------------------------------------------------------- stage 5


def field_visit_add(
    *, assessment: Assessment, by, visited_on: datetime.date, team: str, findings: str
) -> FieldVisit:
    if not permissions.can_record_field_visit(by, assessment):
        raise WorkflowError(
            _("Kunjungan lapangan hanya dicatat oleh TPN untuk unit yang diusulkan."),
            forbidden=True,
        )
    if visited_on is None:
        raise WorkflowError(_("Tanggal kunjungan wajib diisi."))
    names = [line.strip() for line in (team or "").splitlines() if line.strip()]
    if not names:
        raise WorkflowError(_("Tuliskan anggota tim, satu nama per baris."))
    findings = _required(findings, _("Temuan"))
    with transaction.atomic():
        visit = FieldVisit.objects.create(
            assessment=assessment,
            visited_on=visited_on,
            team="\n".join(names),
            findings=findings,
            created_by=by,
        )
        audit.record("zi.field_visit.recorded", visit, by=by, visited_on=visited_on)
    return visit


def award_revoke(
    *, award: PredicateAward, by, reason: str, source: str, decided_on: datetime.date
) -> PredicateAward:
    """Revoke (cabut) a predicate: the row stays in the unit's history with the reason, the
    report's source and the decision's date; the unit may not be proposed until the end of the
    bar (the regulation's years, areas.LkeVersion.revocation_bar_years); its people are told."""
    if not is_admin(by):
        raise WorkflowError(_("Hanya Admin nasional yang dapat mencabut predikat."), forbidden=True)
    reason = clean_note(reason or "", label=_("Alasan pencabutan")).strip()
    if not reason:
        raise WorkflowError(_("Alasan pencabutan wajib diisi."))
    if source not in RevocationSource.values:
        raise WorkflowError(_("Pilih sumber laporan yang mendasari pencabutan."))
    if decided_on is None or decided_on > timezone.localdate():
        raise WorkflowError(_("Tanggal keputusan pencabutan wajib diisi dan tidak di masa depan."))
    with transaction.atomic():
        award = (
            PredicateAward.objects.select_for_update(of=("self",))
            .select_related("unit", "assessment__period__lke_version")
            .get(pk=award.pk)
        )
        if award.revoked_at is not None:
            raise WorkflowError(_("Predikat ini sudah dicabut."))
        if decided_on.year < award.year:
            raise WorkflowError(_("Tanggal pencabutan tidak boleh sebelum tahun penetapan."))
        award.revoked_at = timezone.now()
        award.revoked_reason = reason
        award.revoked_source = source
        award.revoked_on = decided_on
        award.revoked_by = by
        award.barred_until = bar_end(decided_on, _bar_years(award))
        award.save(update_fields=["revoked_at", "revoked_reason", "revoked_source", "revoked_on",
                                  "revoked_by", "barred_until", "updated_at"])  # fmt: skip
        audit.record(
            "zi.award.revoked", award, by=by, reason=reason, source=source,
            decided_on=decided_on.isoformat(), barred_until=award.barred_until.isoformat(),
        )  # fmt: skip
        # Its own LHE says it was revoked; later periods read another prior predicate.
        Assessment.objects.filter(unit_id=award.unit_id).touch()
        transaction.on_commit(lambda: notices.award_revoked(award_id=award.pk))
    return award


def _bar_years(award: PredicateAward) -> int:
    """The bar of the regulation the award was granted under (else the newest published)."""
    if award.assessment_id is not None:
        return award.assessment.period.lke_version.revocation_bar_years
    version = (
        LkeVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-published_at").first()
    )
    return version.revocation_bar_years if version else 2


def bar_end(decided_on: datetime.date, years: int) -> datetime.date:
    """The last day of a bar of `years` from `decided_on` (29 February counts to 28th)."""
    try:
        end = decided_on.replace(year=decided_on.year + years)
    except ValueError:
        end = decided_on.replace(year=decided_on.year + years, day=28)
    return end - datetime.timedelta(days=1)
