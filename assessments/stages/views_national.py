"""The national side of the year: periods and the units they open, TPN proposals and
their export, a unit's awards and their revocation."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.assessment import Status
from assessments.stages import periods, selection
from assessments.stages import services as stage_services
from assessments.stages.forms import (
    AppealWindowForm,
    AwardRevokeForm,
    OpenUnitsForm,
    PeriodForm,
    SelectionImportForm,
    add_refusal,
)
from assessments.stages.models import Period, PredicateAward, RevocationSource
from assessments.stages.proposals import (
    proposal_rows,
    proposals_queryset,
    proposals_xlsx,
    proposed_count,
)
from core.errors import WorkflowError
from core.http import form_errors_to_messages
from core.pagination import page_of
from units.permissions import is_admin, require_admin
from units.selectors import unit_for_user


def _page(request, queryset):
    return page_of(queryset, request.GET.get("page"))


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
            add_refusal(form, error)
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


@require_POST
def period_appeal_window(request, pk):
    require_admin(request.user)
    period = get_object_or_404(Period, pk=pk)
    form = AppealWindowForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
    else:
        try:
            periods.period_set_appeal_window(period=period, by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Masa sanggah disimpan."))
    return redirect("assessments:period_detail", pk=period.pk)


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
            add_refusal(form, error)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessments/stages/period_open_units.html", context, status=status)


@require_GET
def proposals(request, pk):
    require_admin(request.user)
    period = get_object_or_404(Period.objects.select_related("lke_version"), pk=pk)
    return _proposals_page(request, period)


def _proposals_page(request, period, *, import_errors=(), status: int = 200):
    page = _page(request, proposals_queryset(period))
    context = {
        "period": period,
        "page": page,
        "rows": proposal_rows(list(page.object_list)),
        "proposed": proposed_count(period),
        "selection_form": SelectionImportForm(),
        "import_errors": import_errors,
    }
    return render(request, "assessments/stages/proposals.html", context, status=status)


@require_POST
def selection_import(request, pk):
    """TPN's published selection list (CSV/XLSX): all rows recorded, or none and every error."""
    require_admin(request.user)
    period = get_object_or_404(Period.objects.select_related("lke_version"), pk=pk)
    form = SelectionImportForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return _proposals_page(request, period, status=400)
    upload = form.cleaned_data["file"]
    try:
        n = selection.selection_import(
            period=period, filename=upload.name, content=upload.read(), by=request.user
        )
    except selection.SelectionImportError as error:
        messages.error(request, str(error))
        return _proposals_page(request, period, import_errors=error.rows, status=400)
    except WorkflowError as error:
        messages.error(request, str(error))
        return _proposals_page(request, period, status=400)
    messages.success(request, _("Hasil seleksi administrasi %(n)s unit dicatat.") % {"n": n})
    return redirect("assessments:proposals", pk=pk)


@require_GET
def proposals_export(request, pk):
    require_admin(request.user)
    period = get_object_or_404(Period.objects.select_related("lke_version"), pk=pk)
    response = HttpResponse(
        proposals_xlsx(period),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"usulan-tpn-{period.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def unit_awards(request, code):
    unit = unit_for_user(request.user, code)
    awards = unit.awards.select_related("granted_by").order_by("-year", "-pk")
    context = {
        "unit": unit,
        "awards": awards,
        "revoke_form": AwardRevokeForm() if is_admin(request.user) else None,
        "revoke_sources": RevocationSource.choices,
    }
    return render(request, "assessments/stages/unit_awards.html", context)


@require_POST
def award_revoke(request, pk):
    require_admin(request.user)
    award = get_object_or_404(PredicateAward.objects.select_related("unit"), pk=pk)
    form = AwardRevokeForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
    else:
        try:
            stage_services.award_revoke(award=award, by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Predikat %(predicate)s %(year)s dicabut.")
                % {"predicate": award.predicate, "year": award.year},
            )
    return redirect("assessments:unit_awards", code=award.unit.code)
