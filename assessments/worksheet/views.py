"""The worksheet: one LKE tab at a time, autosaving each item, its history and returns."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from areas.models import Question
from assessments import permissions, selectors
from assessments.assessment import Layer
from assessments.worksheet import selectors as worksheet
from assessments.worksheet import services
from assessments.worksheet.forms import AnswerInputError, ReturnForm, parse_answer, parse_revision
from assessments.worksheet.models import Answer
from core.errors import ConflictError, WorkflowError, shown


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
                ("missing_evidence", _("Data dukung belum lengkap")),
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
        Question.objects.select_related("indicator__area").prefetch_related("options"),
        pk=question_pk,
        version_id=assessment.period.lke_version_id,
    )
    layer = assessment.access.writable_layer
    if layer is None:
        raise PermissionDenied
    error, saved, status = None, False, 200
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
        error, status = str(exc), 422
    except ConflictError as exc:
        error, status = str(exc), 409
    except WorkflowError as exc:
        error, status = shown(exc), 422
    if not request.htmx:
        (messages.success if saved else messages.error)(
            request, _("Jawaban %(code)s tersimpan.") % {"code": question.code} if saved else error
        )
        return redirect(_worksheet_url(assessment, question))
    context = _row_context(
        request, assessment, question, error=error, saved=saved, conflict=status == 409
    )
    if saved:  # the tab bar's counts, updated by the autosave script
        context["tabs"] = worksheet.tab_progress(request.user, assessment)
    if error:
        context["posted"] = request.POST  # what was typed stays in the form, never lost
    # The autosave script swaps the card whatever the status; the status says what happened.
    return render(request, "assessments/_question.html", context, status=status)


def _worksheet_url(assessment, question) -> str:
    tab = worksheet.tab_of(question)
    return f"{reverse('assessments:worksheet', args=[assessment.pk])}?tab={tab}#q-{question.pk}"


@require_POST
def item_return(request, pk, question_pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    question = get_object_or_404(
        Question.objects.select_related("indicator__area"),
        pk=question_pk,
        version_id=assessment.period.lke_version_id,
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
    except WorkflowError as exc:
        error = shown(exc)
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
