"""The stage pages around the workflow: periods (admin), pencanangan, work plan, proposals to
TPN, TPN's field visits and a unit's predicate history. Views parse, call a service, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.numbers import parse_id
from assessments import checks, periods, permissions, stage_services
from assessments.evidence import UPLOAD_KINDS
from assessments.forms_stages import (
    AwardRevokeForm,
    ChangeAgentForm,
    DeclarationForm,
    FieldVisitForm,
    OpenUnitsForm,
    PeriodForm,
    TeamMemberForm,
    WorkPlanItemForm,
)
from assessments.models import Declaration, EvidenceKind, Period, PredicateAward, Status
from assessments.selectors import assessment_for_user
from assessments.services import WorkflowError
from core.pagination import page_of
from units.models import Role
from units.permissions import is_admin, require_admin
from units.selectors import unit_for_user

STAGE_DOCUMENTS = (EvidenceKind.PIAGAM, EvidenceKind.PAKTA, EvidenceKind.SK_TIM)


def _page(request, queryset):
    return page_of(queryset, request.GET.get("page"))


def _int_or_404(value) -> int:
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def _fail(form, error: WorkflowError) -> None:
    """Show a domain error on the form; a missing permission is a 403, not a form error."""
    if error.forbidden:
        raise PermissionDenied(str(error))
    form.add_error(None, str(error))
    for problem in error.problems:
        form.add_error(None, problem)


# --------------------------------------------------------------------------- periods


@require_GET
def period_list(request):
    require_admin(request.user)
    rows = [(p, periods.status_counts(p)) for p in periods.periods_with_counts()]
    return render(request, "assessments/stages/period_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def period_create(request):
    require_admin(request.user)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = periods.period_create(
                year=data["year"],
                name=data["name"],
                lke_version=data["lke_version"],
                tpn_quota=data["tpn_quota"],
                by=request.user,
                **form.deadlines(),
            )
        except WorkflowError as error:
            _fail(form, error)
        else:
            messages.success(request, _("Periode %(name)s dibuat.") % {"name": period.name})
            return redirect("assessments:period_detail", pk=period.pk)
    status = 400 if form.is_bound else 200
    return render(request, "assessments/stages/period_form.html", {"form": form}, status=status)


@require_GET
def period_detail(request, pk):
    require_admin(request.user)
    period = get_object_or_404(periods.periods_with_counts(), pk=pk)
    assessments = period.assessments.select_related("unit", "unit__parent").order_by("unit__path")
    status = request.GET.get("status")
    if status in Status.values:
        assessments = assessments.filter(status=status)
    context = {
        "period": period,
        "status_counts": periods.status_counts(period),
        "stage_counts": periods.stage_counts(period),
        "status": status,
        "page": _page(request, assessments),
    }
    return render(request, "assessments/stages/period_detail.html", context)


def _chosen_units(form: OpenUnitsForm):
    """The selection of the form: (queryset or unit ids, the code list read from a file)."""
    data = form.cleaned_data
    if data["codes_file"] is not None:
        code_list = periods.resolve_unit_codes(periods.read_unit_codes(data["codes_file"]))
    elif data["codes"].strip():
        codes = [code for code in re.split(r"[\s,;]+", data["codes"]) if code]
        code_list = periods.resolve_unit_codes(list(enumerate(codes, start=1)))
    else:
        selection = periods.units_selection(
            root=data["root_code"], kinds=data["kinds"], provinces=data["provinces"]
        )
        return selection, None
    return code_list.unit_ids, code_list


def _carry(form: OpenUnitsForm, code_list) -> dict:
    """The selection again, as hidden fields of the confirmation form."""
    data = form.cleaned_data
    return {
        "root_code": data["root_code"].code if data["root_code"] else "",
        "kinds": data["kinds"],
        "provinces": data["provinces"],
        "codes": " ".join(code_list.codes) if code_list else "",
    }


@require_http_methods(["GET", "POST"])
def period_open_units(request, pk):
    require_admin(request.user)
    period = get_object_or_404(Period.objects.select_related("lke_version"), pk=pk)
    form = OpenUnitsForm(request.POST or None, request.FILES or None)
    context = {"period": period, "form": form, "preview": None, "code_list": None}
    if request.method == "POST" and form.is_valid():
        try:
            chosen, code_list = _chosen_units(form)
            context["code_list"] = code_list
            if code_list is not None and not code_list.ok:
                return render(
                    request, "assessments/stages/period_open_units.html", context, status=400
                )
            if request.POST.get("action") == "open":
                created = periods.period_open_for_units(
                    period=period, units_queryset_or_ids=chosen, by=request.user
                )
                messages.success(
                    request, _("%(n)s penilaian unit dibuat untuk periode ini.") % {"n": created}
                )
                return redirect("assessments:period_detail", pk=period.pk)
            context["preview"] = periods.period_opening_preview(
                period=period, units_queryset_or_ids=chosen
            )
            context["sample"] = periods.units_sample(chosen)
            context["carry"] = _carry(form, code_list)
        except WorkflowError as error:
            _fail(form, error)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessments/stages/period_open_units.html", context, status=status)


# --------------------------------------------------------------------------- stage 1


def _submit(request, form, service, done: str, **kwargs):
    """Validate the form and call the service with its data; the form again on an error."""
    if form.is_valid():
        try:
            service(**kwargs, **form.cleaned_data)
        except WorkflowError as error:
            _fail(form, error)
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
        _fail(form, error)
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


@require_GET
def proposals(request, pk):
    require_admin(request.user)
    period = get_object_or_404(Period.objects.select_related("lke_version"), pk=pk)
    page = _page(request, stage_services.proposals_queryset(period))
    context = {
        "period": period,
        "page": page,
        "rows": stage_services.proposal_rows(list(page.object_list)),
        "proposed": stage_services.proposed_count(period),
    }
    return render(request, "assessments/stages/proposals.html", context)


@require_GET
def proposals_export(request, pk):
    require_admin(request.user)
    period = get_object_or_404(Period.objects.select_related("lke_version"), pk=pk)
    response = HttpResponse(
        stage_services.proposals_xlsx(period),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"usulan-tpn-{period.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
                _fail(form, error)
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


@require_GET
def unit_awards(request, code):
    unit = unit_for_user(request.user, code)
    awards = unit.awards.select_related("granted_by").order_by("-year", "-pk")
    context = {
        "unit": unit,
        "awards": awards,
        "revoke_form": AwardRevokeForm() if is_admin(request.user) else None,
    }
    return render(request, "assessments/stages/unit_awards.html", context)


@require_POST
def award_revoke(request, pk):
    require_admin(request.user)
    award = get_object_or_404(PredicateAward.objects.select_related("unit"), pk=pk)
    form = AwardRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan pencabutan wajib diisi."))
    else:
        try:
            stage_services.award_revoke(
                award=award, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Predikat %(predicate)s %(year)s dicabut.")
                % {"predicate": award.predicate, "year": award.year},
            )
    return redirect("assessments:unit_awards", code=award.unit.code)
