from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.models import Question
from assessments import permissions, queues, selectors, services, worksheet
from assessments.awards import prior_predicate
from assessments.forms import (
    AnswerInputError,
    ReturnForm,
    TransitionForm,
    parse_answer,
    parse_revision,
)
from assessments.models import Answer, Layer
from assessments.scores import layer_results
from core.http import safe_target
from units.models import Role, UnitKind


def _days_left(deadline) -> int | None:
    return None if deadline is None else (deadline - date.today()).days


@require_GET
def assessment_detail(request, pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "days_left": _days_left(assessment.deadline),
            "transitions": services.allowed_transitions(request.user, assessment),
            "form": TransitionForm(),
            "events": assessment.events.select_related("by").order_by("-at", "-pk"),
            "access": assessment.access,
            "is_unit_member": assessment.access.is_unit_member,
            "is_tpn": assessment.access.has(Role.TPN),
            "is_admin": assessment.access.has(Role.ADMIN),
            "report_layers": [
                (layer, Layer(layer).label) for layer in assessment.access.visible_layers
            ],
        },
    )


@require_POST
def transition(request, pk, name):
    assessment = selectors.assessment_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():  # never go on with a note that was dropped
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_safe_next(request, pk))
    data = form.cleaned_data
    try:
        services.assessment_transition(
            assessment=assessment,
            name=name,
            by=request.user,
            note=data.get("note", ""),
            override_note=data.get("override_note", ""),
            sk_number=data.get("sk_number", ""),
            sk_date=data.get("sk_date"),
        )
    except services.WorkflowError as error:
        if error.forbidden:
            raise PermissionDenied(str(error)) from None
        messages.error(request, str(error))
        for problem in error.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("Tersimpan: status penilaian diperbarui."))
    return redirect(_safe_next(request, pk))


def _safe_next(request, pk) -> str:
    fallback = reverse("assessments:detail", args=[pk])
    return safe_target(request, request.POST.get("next", ""), fallback)


@require_GET
def worksheet_view(request, pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    tab = request.GET.get("tab", "1")
    filter_ = request.GET.get("filter", "all")
    if filter_ not in worksheet.FILTERS:
        filter_ = "all"
    sheet = worksheet.load(request.user, assessment, tab, filter_)
    if not any(t.key == tab for t in sheet.tabs):
        return redirect(reverse("assessments:worksheet", args=[pk]))
    template = "assessments/_worksheet_tab.html" if request.htmx else "assessments/worksheet.html"
    return render(
        request,
        template,
        {
            "assessment": assessment,
            "sheet": sheet,
            "filter": filter_,
            "filters": [
                ("all", _("Semua")),
                ("unanswered", _("Belum dijawab")),
                ("returned", _("Dikembalikan")),
                ("disagree", _("Beda nilai antarlapisan")),
            ],
            "layer_labels": dict(Layer.choices),
            "can_return": sheet.writable in (Layer.PRELIMINARY, Layer.TPI),
        },
    )


def _row_context(request, assessment, question, **extra):
    sheet_row = worksheet.load_row(request.user, assessment, question)
    return {
        "assessment": assessment,
        "row": sheet_row,
        "layers": list(assessment.access.visible_layers),
        "writable": assessment.access.writable_layer,
        "layer_labels": dict(Layer.choices),
        "can_return": assessment.access.writable_layer in (Layer.PRELIMINARY, Layer.TPI),
        **extra,
    }


@require_POST
def answer_save(request, pk, question_pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    question = get_object_or_404(
        Question.objects.prefetch_related("options"),
        pk=question_pk,
        version_id=assessment.period.lke_version_id,
    )
    layer = assessment.access.writable_layer
    if layer is None:
        raise PermissionDenied
    error, saved = None, False
    try:
        services.answer_save(
            assessment=assessment,
            question=question,
            layer=layer,
            by=request.user,
            value=parse_answer(question, request.POST),
            note=request.POST.get("note", "").strip(),
            revision=parse_revision(request.POST),
        )
        saved = True
    except AnswerInputError as exc:
        error = str(exc)
    except services.WorkflowError as exc:
        if exc.forbidden:
            raise PermissionDenied(str(exc)) from None
        error = str(exc)
    if not request.htmx:
        (messages.success if saved else messages.error)(
            request, _("Jawaban %(code)s tersimpan.") % {"code": question.code} if saved else error
        )
        return redirect(_worksheet_url(assessment, question))
    context = _row_context(request, assessment, question, error=error, saved=saved)
    if error:
        context["posted"] = request.POST
    return render(request, "assessments/_question.html", context)


def _worksheet_url(assessment, question) -> str:
    tab = worksheet.tab_of(question)
    return f"{reverse('assessments:worksheet', args=[assessment.pk])}?tab={tab}#q-{question.pk}"


@require_POST
def item_return(request, pk, question_pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    question = get_object_or_404(
        Question, pk=question_pk, version_id=assessment.period.lke_version_id
    )
    form = ReturnForm(request.POST)
    form.is_valid()
    error = None
    try:
        if request.POST.get("action") == "cancel":
            services.item_return_cancel(assessment=assessment, question=question, by=request.user)
        else:
            services.item_return(
                assessment=assessment,
                question=question,
                by=request.user,
                note=form.cleaned_data.get("note", ""),
            )
    except services.WorkflowError as exc:
        if exc.forbidden:
            raise PermissionDenied(str(exc)) from None
        error = str(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_worksheet_url(assessment, question))
    return render(
        request,
        "assessments/_question.html",
        _row_context(request, assessment, question, error=error),
    )


@require_GET
def summary(request, pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    layers = permissions.visible_layers(request.user, assessment)
    answers = list(assessment.answers.filter(layer__in=layers).select_related("question"))
    results = layer_results(
        assessment, layers, answers=answers, prior_predicate=prior_predicate(assessment)
    )
    columns = [(layer, Layer(layer).label, results[layer]) for layer in layers]
    area_rows = [
        (area, [result.areas[i] for _layer, _label, result in columns])
        for i, area in enumerate(columns[0][2].areas)
    ]
    predicate_checks = []
    for predicate in columns[0][2].predicates:  # the instrument's ladder, lowest first
        for _layer, label, result in columns:
            check = result.predicates[predicate]
            predicate_checks.append((predicate, label, check.eligible, check.failed))
    return render(
        request,
        "assessments/summary.html",
        {
            "assessment": assessment,
            "columns": columns,
            "area_rows": area_rows,
            "predicate_checks": predicate_checks,
        },
    )


@require_GET
def answer_history(request, pk, question_pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    question = get_object_or_404(
        Question, pk=question_pk, version_id=assessment.period.lke_version_id
    )
    layers = permissions.visible_layers(request.user, assessment)
    records = (
        Answer.history.filter(
            assessment_id=assessment.pk, question_id=question.pk, layer__in=layers
        )
        .select_related("history_user")
        .order_by("-history_date")
    )
    returns = assessment.returns.filter(question=question).select_related("created_by")
    return render(
        request,
        "assessments/answer_history.html",
        {"assessment": assessment, "question": question, "records": records, "returns": returns},
    )


@require_POST
def release_tpn(request, pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    try:
        services.assessment_release_tpn_layer(
            assessment=assessment, by=request.user, released=request.POST.get("released") == "1"
        )
    except services.WorkflowError as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("Akses unit ke nilai TPN diperbarui."))
    return redirect("assessments:detail", pk=pk)


@require_http_methods(["GET"])
def queue(request):
    filters = queues.QueueFilters.from_request(request.GET)
    return render(
        request,
        "assessments/queue.html",
        {
            "queue": queues.QueuePage(request.user, filters, request.GET.get("page")),
            "filters": filters,
            "kinds": UnitKind.choices,
        },
    )
