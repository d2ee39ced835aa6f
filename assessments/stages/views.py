"""The stage pages around the workflow: periods (admin), pencanangan, work plan, proposals to
TPN, TPN's field visits and a unit's predicate history. Views parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.numbers import parse_id
from assessments import permissions
from assessments import services as assessment_services
from assessments.assessment import EvidenceKind, Stage, Status
from assessments.evidence.services import UPLOAD_KINDS
from assessments.selectors import assessment_for_user
from assessments.stages import checks
from assessments.stages import services as stage_services
from assessments.stages.decisions import Appeal, SelectionResult
from assessments.stages.forms import (
    ChangeAgentForm,
    DeclarationForm,
    FieldVisitForm,
    TeamMemberForm,
    WorkPlanItemForm,
    add_refusal,
)
from assessments.stages.models import Declaration
from core.errors import WorkflowError
from units.models import Role

STAGE_DOCUMENTS = (EvidenceKind.PIAGAM, EvidenceKind.PAKTA, EvidenceKind.SK_TIM)


def _int_or_404(value) -> int:
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


# --------------------------------------------------------------------------- periods


# --------------------------------------------------------------------------- stage 1


def _submit(request, form, service, done: str, **kwargs):
    """Validate the form and call the service with its data; the form again on an error."""
    if form.is_valid():
        try:
            service(**kwargs, **form.cleaned_data)
        except WorkflowError as error:
            add_refusal(form, error)
        else:
            messages.success(request, done)
            return None
    return form


def _declaration_post(request, assessment, areas):
    """Handle one of the page's forms: None when done, else the form to show again."""
    action, by, data = request.POST.get("action"), request.user, request.POST
    owner = {"assessment": assessment, "by": by}
    if action == "declaration":
        form = DeclarationForm(data, prefix="decl")
        done = _("Data pencanangan disimpan.")
        return _submit(request, form, stage_services.declaration_save, done, **owner)
    if action == "member_add":
        form = TeamMemberForm(data, prefix="member", areas=areas)
        done = _("Anggota tim ditambahkan.")
        return _submit(request, form, stage_services.team_member_add, done, **owner)
    if action == "agent_add":
        form = ChangeAgentForm(data, prefix="agent")
        done = _("Agen perubahan ditambahkan.")
        return _submit(request, form, stage_services.change_agent_add, done, **owner)
    if action == "member_remove":
        member = get_object_or_404(assessment.team.all(), pk=_int_or_404(data.get("pk")))
        stage_services.team_member_remove(member=member, by=by)
        messages.success(request, _("Anggota tim dihapus."))
        return None
    if action == "agent_remove":
        agent = get_object_or_404(assessment.change_agents.all(), pk=_int_or_404(data.get("pk")))
        stage_services.change_agent_remove(agent=agent, by=by)
        messages.success(request, _("Agen perubahan dihapus."))
        return None
    return HttpResponseBadRequest(_("Tindakan tidak dikenal."))


@require_http_methods(["GET", "POST"])
def declaration(request, pk):
    assessment = assessment_for_user(request.user, pk)
    user = request.user
    can_edit = permissions.can_edit_unit_documents(user, assessment)
    areas = list(assessment.period.lke_version.areas.all())
    record = Declaration.objects.filter(assessment=assessment).first()
    forms = {
        "declaration": DeclarationForm(
            prefix="decl",
            initial={
                "declared_on": record and record.declared_on,
                "sk_tim_number": record.sk_tim_number if record else "",
                "sk_tim_date": record and record.sk_tim_date,
            },
        ),
        "member_add": TeamMemberForm(prefix="member", areas=areas),
        "agent_add": ChangeAgentForm(prefix="agent"),
    }
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        result = _declaration_post(request, assessment, areas)
        if result is None:
            return redirect("assessments:declaration", pk=assessment.pk)
        if isinstance(result, HttpResponse):
            return result
        forms[request.POST["action"]] = result
    documents = stage_services.stage_documents(request.user, assessment, STAGE_DOCUMENTS)
    can_upload = permissions.can_upload_evidence(user, assessment)
    context = {
        "assessment": assessment,
        "declaration": record,
        "can_edit": can_edit,
        "forms": forms,
        "team": assessment.team.all(),
        "agents": assessment.change_agents.all(),
        "missing": checks.declaration_complete(
            checks.Context(assessment=assessment, by=user, layer=None)
        ),
        "can_confirm": assessment.status == Status.PENCANANGAN
        and permissions.has_role_on(user, assessment, Role.PIMPINAN),
        "documents": [(kind, kind.label, documents[kind]) for kind in STAGE_DOCUMENTS],
        "can_upload": can_upload,
        "can_review": permissions.can_review_evidence(user, assessment),
        "upload_locked": not can_upload and permissions.is_unit_member(user, assessment),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/stages/declaration.html", context, status=status)


# --------------------------------------------------------------------------- stage 2


def _work_plan_post(request, assessment, areas):
    action, by = request.POST.get("action"), request.user
    if action == "remove":
        pk = _int_or_404(request.POST.get("item"))
        item = get_object_or_404(assessment.work_plan.all(), pk=pk)
        stage_services.work_plan_item_remove(item=item, by=by)
        messages.success(request, _("Kegiatan dihapus dari rencana kerja."))
        return None
    if action != "save":
        return HttpResponseBadRequest(_("Tindakan tidak dikenal."))
    form = WorkPlanItemForm(request.POST, areas=areas)
    if not form.is_valid():
        return form
    data = dict(form.cleaned_data)
    item_pk = data.pop("item")
    item = get_object_or_404(assessment.work_plan.all(), pk=item_pk) if item_pk else None
    try:
        stage_services.work_plan_item_save(assessment=assessment, by=by, item=item, **data)
    except WorkflowError as error:
        add_refusal(form, error)
        return form
    messages.success(request, _("Rencana kerja disimpan."))
    return None


@require_http_methods(["GET", "POST"])
def work_plan(request, pk):
    assessment = assessment_for_user(request.user, pk)
    can_edit = permissions.can_edit_unit_documents(request.user, assessment)
    areas = list(assessment.period.lke_version.areas.all())
    form, editing = None, None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        result = _work_plan_post(request, assessment, areas)
        if result is None:
            return redirect("assessments:work_plan", pk=assessment.pk)
        if isinstance(result, HttpResponse):
            return result
        form = result
    elif can_edit and request.GET.get("edit"):
        editing = get_object_or_404(
            assessment.work_plan.all(), pk=_int_or_404(request.GET.get("edit"))
        )
        initial = {
            "item": editing.pk,
            "area_number": editing.area_number,
            "activity": editing.activity,
            "target_month": editing.target_month,
            "person_in_charge": editing.person_in_charge,
            "status": editing.status,
            "progress": editing.progress,
        }
        form = WorkPlanItemForm(initial=initial, areas=areas)
    elif can_edit:
        form = WorkPlanItemForm(areas=areas, initial={"area_number": request.GET.get("area")})
    items = list(assessment.work_plan.all())
    context = {
        "assessment": assessment,
        "can_edit": can_edit,
        "form": form,
        "editing": editing,
        "groups": stage_services.work_plan_by_area(items, areas),
        "overall": round(sum(i.progress for i in items) / len(items), 1) if items else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/stages/work_plan.html", context, status=status)


# --------------------------------------------------------------------------- stage 4


# --------------------------------------------------------------------------- stage 5


@require_http_methods(["GET", "POST"])
def field_visits(request, pk):
    assessment = assessment_for_user(request.user, pk)
    can_read = permissions.can_read_field_findings(request.user, assessment)
    can_add = assessment.access.can_record_field_visit
    form = FieldVisitForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                stage_services.field_visit_add(
                    assessment=assessment, by=request.user, **form.cleaned_data
                )
            except WorkflowError as error:
                add_refusal(form, error)
            else:
                messages.success(request, _("Kunjungan lapangan dicatat."))
                return redirect("assessments:field_visits", pk=assessment.pk)
    visits = assessment.field_visits.select_related("created_by").order_by("-visited_on")
    attachments = stage_services.stage_documents(
        request.user, assessment, [EvidenceKind.FIELD_VISIT]
    )
    context = {
        "assessment": assessment,
        "form": form,
        "can_read": can_read,
        "visits": visits if can_read else [],
        "attachments": attachments[EvidenceKind.FIELD_VISIT] if can_read else [],
        # The evidence service accepts field-visit attachments only once it lists the kind.
        "can_upload": can_add and EvidenceKind.FIELD_VISIT in UPLOAD_KINDS,
        "can_review": False,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/stages/field_visits.html", context, status=status)


DECISION_DOCUMENTS = (EvidenceKind.PROPOSAL_LETTER, EvidenceKind.SPTJM, EvidenceKind.APPEAL)


@require_http_methods(["GET"])
def tpn_decisions(request, pk):
    """TPN's administrative selection and the unit's sanggah: the decisions, the documents each
    asks for (uploaded here through the evidence panel) and the appeal window."""
    assessment = assessment_for_user(request.user, pk)
    if assessment.stage != Stage.EVALUASI:
        raise Http404
    access = assessment.access
    documents = stage_services.stage_documents(request.user, assessment, DECISION_DOCUMENTS)
    selection = SelectionResult.objects.filter(assessment=assessment).first()
    appeal = Appeal.objects.filter(assessment=assessment).first()
    panels = [
        (kind, EvidenceKind(kind).label, documents[kind], access.can_change_evidence(kind))
        for kind in DECISION_DOCUMENTS
        if documents[kind] or access.can_change_evidence(kind)
    ]
    return render(
        request,
        "assessments/stages/tpn_decisions.html",
        {
            "assessment": assessment,
            "selection": selection,
            "appeal": appeal,
            "panels": panels,
            "appeal_open": assessment.period.appeal_window_open(timezone.localdate()),
            "may_appeal": "file_appeal"
            in {t.name for t in assessment_services.allowed_transitions(request.user, assessment)},
        },
    )
