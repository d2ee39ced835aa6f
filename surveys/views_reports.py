"""A survey's results page (respondents, profile, NRR per unsur, IKM and mutu or the index,
the lowest three unsur, the trend) and the unit's follow-up plan on it. Readers are the
survey's scope (404 outside); the plan is written by whoever runs the unit's surveys."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from areas.numbers import parse_id
from core.errors import SurveyError, shown
from surveys.follow_ups import ACTION_MAX, follow_up_save
from surveys.permissions import can_manage_surveys
from surveys.reporting import MIN_PER_SERVICE, survey_report
from surveys.selectors import survey_for_user, unit_service


class FollowUpForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.CharField(
        label=gettext_lazy("Rencana tindak lanjut"),
        max_length=ACTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_on = forms.DateField(
        label=gettext_lazy("Target selesai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    progress = forms.IntegerField(
        label=gettext_lazy("Kemajuan (%)"), min_value=0, max_value=100, initial=0
    )


def _page(request, survey, *, service=None, form=None, status=200):
    report = survey_report(survey, service=service)
    can_edit = can_manage_surveys(request.user, survey.unit)
    forms_by_question = {}
    if can_edit:
        for question, item in report.plan:
            if form is not None and form.data.get("question") == str(question.pk):
                forms_by_question[question.pk] = form
                continue
            initial = {"question": question.pk}
            if item is not None:
                initial.update(action=item.action, target_on=item.target_on, progress=item.progress)
            forms_by_question[question.pk] = FollowUpForm(
                initial=initial, auto_id=f"fu-{question.pk}-%s"
            )
    plan = [(q, item, forms_by_question.get(q.pk)) for q, item in report.plan]
    context = {
        "report": report,
        "survey": survey,
        "can_edit": can_edit,
        "plan": plan,
        "min_per_service": MIN_PER_SERVICE,
        "report_formats": [
            ("pdf", _("Laporan (PDF)")),
            ("xlsx", _("Laporan (XLSX)")),
            ("csv", _("Tabel unsur (CSV)")),
        ],
    }
    return render(request, "surveys/results.html", context, status=status)


@require_GET
def results(request, pk):
    survey = survey_for_user(request.user, pk)
    # No service, not an id or another unit's: the figures of every service.
    service = unit_service(survey.unit, parse_id(request.GET.get("layanan")))
    return _page(request, survey, service=service)


@require_POST
def follow_up(request, pk):
    survey = survey_for_user(request.user, pk)
    if not can_manage_surveys(request.user, survey.unit):
        raise PermissionDenied
    question = parse_id(request.POST.get("question"))  # the form's ids name the unsur's row
    form = FollowUpForm(request.POST, auto_id=f"fu-{question or 0}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            follow_up_save(
                survey=survey, question_id=data["question"], by=request.user,
                action=data["action"], target_on=data["target_on"], progress=data["progress"],
            )  # fmt: skip
        except SurveyError as error:
            form.add_error(None, shown(error))
        else:
            messages.success(request, _("Rencana tindak lanjut disimpan."))
            return redirect(reverse("surveys:results", args=[survey.pk]) + "#rencana")
    refused = form.non_field_errors()  # a rule of the service: also shown when the unsur
    # has no form on the page (a question of another instrument)
    messages.error(
        request,
        refused[0] if refused else _("Rencana tindak lanjut belum disimpan: periksa isiannya."),
    )
    return _page(request, survey, form=form, status=400)
