from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas import selectors, services
from areas.forms import (
    AreaForm,
    IndicatorForm,
    OptionFormSet,
    QuestionForm,
    RequirementFormSet,
    RuleFormSet,
    VersionForm,
    VersionImportForm,
)
from areas.instrument_xlsx import export_version
from areas.instrument_xlsx_import import InstrumentImportError, import_version
from areas.labels import metric_label
from areas.models import Area, Indicator, Question
from units import permissions
from units.permissions import require_admin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _editable(user, model, pk):
    """An object of a draft version, for an admin; 404 outside what the user may see."""
    require_admin(user)
    obj = get_object_or_404(
        model.objects.select_related("version"),
        pk=pk,
        version__in=selectors.versions_visible_to(user),
    )
    if not obj.version.is_draft:
        raise PermissionDenied
    return obj


@require_GET
def version_list(request):
    return render(
        request,
        "areas/version_list.html",
        {"versions": selectors.versions_visible_to(request.user).select_related("based_on")},
    )


@require_GET
def version_detail(request, pk):
    version = selectors.version_for_user(request.user, pk)
    areas, hasil = selectors.version_tree(version)
    rules = list(version.predicate_rules.order_by("position", "pk"))
    for rule in rules:
        rule.label = metric_label(rule.metric)
    can_edit = permissions.is_admin(request.user) and version.is_draft
    return render(
        request,
        "areas/version_detail.html",
        {
            "version": version,
            "areas": areas,
            "hasil": hasil,
            "rules": rules,
            "can_edit": can_edit,
            "is_admin": permissions.is_admin(request.user),
            "problems": services.version_problems(version) if can_edit else [],
        },
    )


@require_POST
def version_copy(request, pk):
    require_admin(request.user)
    version = selectors.version_for_user(request.user, pk)
    copy = services.version_copy(version=version, by=request.user)
    messages.success(request, _("Draf baru dibuat dari %(name)s.") % {"name": version.name})
    return redirect("areas:version", pk=copy.pk)


@require_POST
def version_publish(request, pk):
    require_admin(request.user)
    version = selectors.version_for_user(request.user, pk)
    try:
        services.version_publish(version=version, by=request.user)
    except services.InstrumentError as error:
        messages.error(request, str(error))
        for problem in error.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("Versi diterbitkan; sekarang hanya dapat dibaca."))
    return redirect("areas:version", pk=version.pk)


@require_POST
def version_delete(request, pk):
    require_admin(request.user)
    version = selectors.version_for_user(request.user, pk)
    try:
        services.version_delete_draft(version=version)
    except services.InstrumentError as error:
        messages.error(request, str(error))
        return redirect("areas:version", pk=version.pk)
    messages.success(request, _("Draf dihapus."))
    return redirect("areas:versions")


@require_http_methods(["GET", "POST"])
def version_edit(request, pk):
    require_admin(request.user)
    version = selectors.version_for_user(request.user, pk)
    if not version.is_draft:
        raise PermissionDenied
    form = VersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        services.version_update(version=version, **form.cleaned_data)
        messages.success(request, _("Tersimpan."))
        return redirect("areas:version", pk=version.pk)
    return render(
        request,
        "areas/edit_form.html",
        {"form": form, "version": version, "title": _("Ubah versi")},
    )


@require_GET
def version_export(request, pk):
    version = selectors.version_for_user(request.user, pk)
    response = HttpResponse(export_version(version), content_type=XLSX)
    filename = f"{slugify(version.name) or 'lke'}-{version.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def version_import(request):
    require_admin(request.user)
    form = VersionImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            version = import_version(form.cleaned_data["file"].read(), by=request.user)
        except InstrumentImportError as error:
            problems = error.problems
        else:
            messages.success(request, _("Berkas diimpor sebagai draf baru."))
            return redirect("areas:version", pk=version.pk)
    return render(request, "areas/version_import.html", {"form": form, "problems": problems})


@require_http_methods(["GET", "POST"])
def area_edit(request, pk):
    area = _editable(request.user, Area, pk)
    form = AreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        services.area_update(area=area, **form.cleaned_data)
        messages.success(request, _("Tersimpan."))
        return redirect("areas:version", pk=area.version_id)
    return render(
        request, "areas/edit_form.html", {"form": form, "version": area.version, "title": str(area)}
    )


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = _editable(request.user, Indicator, pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_update(indicator=indicator, **form.cleaned_data)
        messages.success(request, _("Tersimpan."))
        return redirect("areas:version", pk=indicator.version_id)
    return render(
        request,
        "areas/edit_form.html",
        {"form": form, "version": indicator.version, "title": indicator.name},
    )


@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = _editable(request.user, Question, pk)
    options = list(question.options.all())
    initial = [{"id": o.pk, "score": o.score, "criteria": o.criteria} for o in options]
    form = QuestionForm(request.POST or None, instance=question)
    formset = OptionFormSet(request.POST or None, initial=initial, prefix="options")
    entries = [
        {"label": e.label, **{name: getattr(e, name) for name in services.REQUIREMENT_FIELDS}}
        for e in question.evidence_requirements.all()
    ]
    requirements = RequirementFormSet(request.POST or None, initial=entries, prefix="evidence")
    valid = form.is_valid() and formset.is_valid() and requirements.is_valid()
    if request.method == "POST" and valid:
        services.question_update(
            question=question,
            options=formset.cleaned_data,
            requirements=[row for row in requirements.cleaned_data if row],
            **form.cleaned_data,
        )
        messages.success(request, _("Pertanyaan %(code)s tersimpan.") % {"code": question.code})
        return redirect("areas:version", pk=question.version_id)
    return render(
        request,
        "areas/question_form.html",
        {
            "form": form,
            "formset": formset,
            "requirements": requirements,
            "question": question,
            "rows": zip(options, formset, strict=False),
        },
    )


@require_http_methods(["GET", "POST"])
def rules_edit(request, pk):
    require_admin(request.user)
    version = selectors.version_for_user(request.user, pk)
    if not version.is_draft:
        raise PermissionDenied
    rules = list(version.predicate_rules.exclude(metric="prior_predicate").order_by("position"))
    initial = [{"id": r.pk, "minimum": r.minimum} for r in rules]
    formset = RuleFormSet(request.POST or None, initial=initial, prefix="rules")
    if request.method == "POST" and formset.is_valid():
        services.rules_update(
            version=version, minimums={row["id"]: row["minimum"] for row in formset.cleaned_data}
        )
        messages.success(request, _("Aturan predikat tersimpan."))
        return redirect("areas:version", pk=version.pk)
    for rule in rules:
        rule.label = metric_label(rule.metric)
    return render(
        request,
        "areas/rules_form.html",
        {"version": version, "formset": formset, "rows": zip(rules, formset, strict=False)},
    )
