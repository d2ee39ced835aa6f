"""The unit's survey pages (signed in): its surveys per period, creating and changing one, its
services, batches of one-time codes (CSV and printable slips) and the service-desk poster.

Reading follows the unit scope (another unit's operator gets a 404); changing anything needs
surveys.permissions.can_manage_surveys (a 403 otherwise, e.g. for the Kanwil reviewer)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit
from core.errors import SurveyError, shown
from core.http import form_errors_to_messages
from surveys import printing, selectors, services
from surveys.forms_manage import CodesForm, ServiceForm, SurveyEditForm, SurveyForm
from surveys.links import public_url
from surveys.permissions import can_manage_surveys
from units.selectors import unit_for_user


def _managed_unit(request, code):
    unit = unit_for_user(request.user, code)  # 404 outside the scope
    if not can_manage_surveys(request.user, unit):
        raise PermissionDenied
    return unit


def _managed_survey(request, pk):
    survey = selectors.survey_for_user(request.user, pk)  # 404 outside the scope
    if not can_manage_surveys(request.user, survey.unit):
        raise PermissionDenied
    return survey


def _state(survey, today) -> str:
    """open, upcoming or closed: what the list's badge says."""
    if survey.is_open_on(today):
        return "open"
    return "upcoming" if today < survey.opens_on else "closed"


def _refusal_to_form(form, error: SurveyError) -> None:
    shown(error)  # a missing permission is a 403, never a form error
    for problem in error.problems or [str(error)]:
        form.add_error(None, problem)


@require_GET
def unit_surveys(request, code):
    unit = unit_for_user(request.user, code)
    surveys = list(selectors.unit_surveys(request.user, unit))
    today = timezone.localdate()
    for survey in surveys:
        survey.state = _state(survey, today)
    return render(
        request,
        "surveys/unit_surveys.html",
        {
            "unit": unit,
            "surveys": surveys,
            "services": list(selectors.unit_services(unit)),
            "can_manage": can_manage_surveys(request.user, unit),
            "service_form": ServiceForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_create(request, code):
    unit = _managed_unit(request, code)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(unit=unit, by=request.user, **form.cleaned_data)
        except SurveyError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("Survei dibuat."))
            return redirect("surveys:manage_detail", pk=survey.pk)
    status = 400 if form.errors else 200
    return render(request, "surveys/survey_form.html", {"unit": unit, "form": form}, status=status)


@require_GET
def survey_detail(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    can_manage = can_manage_surveys(request.user, survey.unit)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "unit": survey.unit,
            "state": _state(survey, timezone.localdate()),
            "public_url": public_url(survey),
            "services": [s for s in selectors.unit_services(survey.unit) if s.is_active],
            "can_manage": can_manage,
            "batches": selectors.code_batches(survey) if can_manage else [],
            "codes_form": CodesForm(),
            "slips_limit": printing.SLIPS_PER_PDF,
        },
    )


@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = _managed_survey(request, pk)
    initial = {f: getattr(survey, f) for f in ("name", "opens_on", "closes_on", "uses_codes")}
    form = SurveyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, by=request.user, **form.cleaned_data)
        except SurveyError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("Survei disimpan."))
            return redirect("surveys:manage_detail", pk=survey.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "surveys/survey_form.html",
        {"unit": survey.unit, "survey": survey, "form": form},
        status=status,
    )


@require_POST
def survey_close(request, pk):
    survey = _managed_survey(request, pk)
    try:
        services.survey_close(survey=survey, by=request.user)
    except SurveyError as error:
        messages.error(request, shown(error))
    else:
        messages.success(request, _("Survei ditutup."))
    return redirect("surveys:manage_detail", pk=survey.pk)


@require_POST
def service_add(request, code):
    unit = _managed_unit(request, code)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
    else:
        try:
            services.service_add(unit=unit, name=form.cleaned_data["name"], by=request.user)
        except SurveyError as error:
            messages.error(request, shown(error))
        else:
            messages.success(request, _("Layanan ditambahkan."))
    return redirect("surveys:manage_unit", code=unit.code)


SERVICE_ACTIONS = {
    "rename": (
        lambda s, data, by: services.service_rename(service=s, name=data.get("name", ""), by=by),
        gettext_lazy("Nama layanan disimpan."),
    ),
    "deactivate": (
        lambda s, data, by: services.service_set_active(service=s, active=False, by=by),
        gettext_lazy("Layanan dinonaktifkan."),
    ),
    "activate": (
        lambda s, data, by: services.service_set_active(service=s, active=True, by=by),
        gettext_lazy("Layanan diaktifkan kembali."),
    ),
    "remove": (
        lambda s, data, by: services.service_remove(service=s, by=by),
        gettext_lazy("Layanan dihapus."),
    ),
}


@require_POST
def service_change(request, code, pk):
    unit = _managed_unit(request, code)
    service = selectors.service_of_unit(unit, pk)
    action = SERVICE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponse(_("Tindakan tidak dikenal."), status=400)
    run, done = action
    try:
        run(service, request.POST, request.user)
    except SurveyError as error:
        messages.error(request, shown(error))
    else:
        messages.success(request, done)
    return redirect("surveys:manage_unit", code=unit.code)


@require_POST
def codes_issue(request, pk):
    survey = _managed_survey(request, pk)
    form = CodesForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
    else:
        try:
            batch = services.codes_issue(
                survey=survey, count=form.cleaned_data["count"], by=request.user
            )
        except SurveyError as error:
            messages.error(request, shown(error))
        else:
            messages.success(
                request,
                _("Kelompok kode %(batch)s diterbitkan: %(n)s kode.")
                % {"batch": batch, "n": form.cleaned_data["count"]},
            )
    return redirect("surveys:manage_detail", pk=survey.pk)


@never_cache
@require_GET
def codes_csv(request, pk, batch):
    survey = _managed_survey(request, pk)
    codes = selectors.batch_codes(survey, batch)
    audit.record("zi.survey.codes_downloaded", survey, by=request.user, batch=batch, form="csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = printing.codes_filename(survey, batch, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["kode", "alamat"])
    for code in codes:
        writer.writerow([code, public_url(survey, code=code)])
    return response


@never_cache
@require_GET
def codes_pdf(request, pk, batch):
    survey = _managed_survey(request, pk)
    codes = selectors.batch_codes(survey, batch)
    if len(codes) > printing.SLIPS_PER_PDF:
        messages.error(
            request,
            _("Kelompok ini lebih dari %(n)s kode: minta PDF-nya lewat antrean laporan.")
            % {"n": printing.SLIPS_PER_PDF},
        )
        return redirect("surveys:manage_detail", pk=survey.pk)
    audit.record("zi.survey.codes_downloaded", survey, by=request.user, batch=batch, form="pdf")
    pdf = printing.render_code_slips(survey, batch, codes)
    return _pdf_response(pdf, printing.codes_filename(survey, batch, "pdf"))


@require_GET
def poster(request, pk):
    survey = selectors.survey_for_user(request.user, pk)
    service = None
    if request.GET.get("layanan"):
        try:
            service = selectors.service_of_unit(survey.unit, int(request.GET["layanan"]))
        except ValueError:
            return HttpResponse(_("Layanan tidak dikenal."), status=400)
    pdf = printing.render_poster(survey, service)
    return _pdf_response(pdf, printing.poster_filename(survey, service))


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
