"""The worksheet: one LKE tab at a time, autosaving each item, its history and returns."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from areas.models import Question
from areas.selectors import version_parts
from assessments import permissions, selectors
from assessments.assessment import Layer
from assessments.evidence import services as evidence
from assessments.worksheet import card, services, sources
from assessments.worksheet import selectors as worksheet
from assessments.worksheet.comments import comment_threads
from assessments.worksheet.forms import AnswerInputError, ReturnForm, parse_answer, parse_revision
from assessments.worksheet.models import Answer
from core.errors import ConflictError, WorkflowError, shown


def _filter(data) -> str:
    filter_ = data.get("filter", "all")
    return filter_ if filter_ in worksheet.FILTERS else "all"


@require_GET
def worksheet_view(request, pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    tab = request.GET.get("tab", "1")
    context = _sheet_context(request, assessment, tab, _filter(request.GET))
    if not any(t.key == tab for t in context["sheet"].tabs):
        return redirect(reverse("assessments:worksheet", args=[pk]))
    template = "assessments/_worksheet_tab.html" if request.htmx else "assessments/worksheet.html"
    return render(request, template, context)


ITEM_ROUTES = ("answer_save", "answer_history", "item_comment", "item_return", "lke_fill")
PAGE_ROUTES = ("answers_accept", "evidence_list", "worksheet")


def _urls(assessment) -> dict[str, str]:
    """The addresses every item of a tab needs, reversed once per page rather than ten times
    per item: an item's own address is its prefix followed by the question's id and "/"."""
    urls = {name: reverse(f"assessments:{name}", args=[assessment.pk]) for name in PAGE_ROUTES}
    for name in ITEM_ROUTES:
        sample = reverse(f"assessments:{name}", args=[assessment.pk, 0])
        assert sample.endswith("/0/"), sample  # the question's id ends each of these routes
        urls[name] = sample[: -len("0/")]
    return urls


def _sheet_context(request, assessment, tab: str, filter_: str, **extra) -> dict:
    sheet = worksheet.load(request.user, assessment, tab, filter_)
    return {
        "assessment": assessment,
        "urls": _urls(assessment),
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
        "can_accept": sheet.writable not in (None, Layer.SELF),
        "can_review": assessment.access.can_review_evidence,
        **extra,
    }


def _item(assessment, question_pk) -> Question:
    """One item of the assessment's LKE, with what its card shows; 404 if it is not one."""
    question = version_parts(assessment.period.lke_version).by_pk.get(question_pk)
    if question is None:
        raise Http404
    return question


def _row_context(request, assessment, question, saved_answer=None, **extra):
    sheet_row = worksheet.load_row(request.user, assessment, question, saved_answer)
    return {
        "assessment": assessment,
        "urls": _urls(assessment),
        "row": sheet_row,
        "layers": list(assessment.access.visible_layers),
        "writable": assessment.access.writable_layer,
        "layer_labels": dict(Layer.choices),
        "can_return": assessment.access.writable_layer in (Layer.PRELIMINARY, Layer.TPI),
        "can_accept": assessment.access.writable_layer not in (None, Layer.SELF),
        "threads": comment_threads(request.user, assessment),
        "filter": _filter(request.POST),
        **extra,
    }


@require_POST
def answer_save(request, pk, question_pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    question = _item(assessment, question_pk)
    layer = assessment.access.writable_layer
    if layer is None:
        raise PermissionDenied
    error, saved, status, answer = None, False, 200, None
    try:
        answer = services.answer_save(
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
        request, assessment, question, answer, error=error, saved=saved, conflict=status == 409
    )
    if saved:  # the tab bar's counts, updated by the autosave script
        context["tabs"] = worksheet.tab_progress(request.user, assessment)
    if error:
        context["posted"] = request.POST  # what was typed stays in the form, never lost
    # The autosave script swaps the card whatever the status; the status says what happened.
    return card.render_card(request, context, status=status)


@require_POST
def lke_fill(request, pk, question_pk):
    """ "Isi dari survei SPKP/SPAK": the period's survey result as the unit's IPKP/IPAK."""
    assessment = selectors.assessment_for_user(request.user, pk)
    question = _item(assessment, question_pk)
    error = None
    try:
        sources.source().fill(assessment=assessment, question=question, by=request.user)
    except WorkflowError as exc:
        error = shown(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Jawaban %(code)s tersimpan.") % {"code": question.code})
        return redirect(_worksheet_url(assessment, question))
    context = _row_context(request, assessment, question, error=error, saved=not error)
    if not error:
        context["tabs"] = worksheet.tab_progress(request.user, assessment)
    # 200 either way, like a return: htmx swaps the card, which says what happened.
    return card.render_card(request, context)


def _worksheet_url(assessment, question) -> str:
    tab = worksheet.tab_of(question)
    return f"{reverse('assessments:worksheet', args=[assessment.pk])}?tab={tab}#q-{question.pk}"


@require_POST
def item_return(request, pk, question_pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    question = _item(assessment, question_pk)
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
    return card.render_card(request, _row_context(request, assessment, question, error=error))


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
    labels = dict(Layer.choices)
    records = list(records[:200])
    for record in records:  # "Setujui nilai unit" leaves where the answer came from
        reason = record.history_change_reason or ""
        if reason.startswith(services.ACCEPTED_FROM):
            record.accepted_from = labels.get(reason.removeprefix(services.ACCEPTED_FROM), "")
        record.from_survey = reason == sources.FILLED_FROM_SURVEY
    template = (
        "assessments/_answer_history.html" if request.htmx else "assessments/answer_history.html"
    )
    return render(
        request,
        template,
        {"assessment": assessment, "question": question, "records": records, "returns": returns},
    )


def _tab_answer(request, assessment, tab, filter_, notice: str, error: str | None):
    """After a bulk action: the tab again (htmx), or a redirect to it with a message."""
    if request.htmx:
        context = _sheet_context(
            request,
            assessment,
            tab,
            filter_,
            bulk_notice=None if error else notice,
            bulk_error=error,
        )
        return render(request, "assessments/_worksheet_tab.html", context)
    (messages.error if error else messages.success)(request, error or notice)
    url = reverse("assessments:worksheet", args=[assessment.pk])
    return redirect(f"{url}?tab={tab}&filter={filter_}")


@require_POST
def answers_accept(request, pk):
    """ "Setujui nilai unit" for one item, one indicator or a whole tab."""
    assessment = selectors.assessment_for_user(request.user, pk)
    tab, filter_ = request.POST.get("tab", "1"), _filter(request.POST)
    scope, key = request.POST.get("scope", ""), request.POST.get("key", "")
    questions = worksheet.questions_in(assessment, scope, key)
    error, notice = None, ""
    try:
        done = services.answers_accept(assessment=assessment, questions=questions, by=request.user)
    except WorkflowError as exc:
        error = shown(exc)
    else:
        notice = _("Disetujui: %(copied)s butir disalin dari lapisan sebelumnya.") % {
            "copied": len(done.copied)
        }
        if done.kept:
            notice += " " + _("%(n)s butir yang sudah Anda nilai tidak diubah.") % {
                "n": len(done.kept)
            }
        if done.without:
            notice += " " + _("Belum dijawab di lapisan sebelumnya: %(codes)s.") % {
                "codes": ", ".join(done.without)
            }
    return _tab_answer(request, assessment, tab, filter_, notice, error)


@require_POST
def evidence_verdict_bulk(request, pk):
    """One evidence verdict for every not yet judged document of a tab."""
    assessment = selectors.assessment_for_user(request.user, pk)
    tab, filter_ = request.POST.get("tab", "1"), _filter(request.POST)
    error, notice = None, ""
    try:
        count = evidence.evidence_verdict_bulk(
            assessment=assessment,
            questions=worksheet.questions_in(assessment, "tab", tab),
            by=request.user,
            verdict=request.POST.get("verdict", ""),
            note=request.POST.get("note", ""),
        )
    except WorkflowError as exc:
        error = shown(exc)
    else:
        notice = ngettext(
            "%(n)s data dukung diberi hasil pemeriksaan; yang sudah diperiksa tidak diubah.",
            "%(n)s data dukung diberi hasil pemeriksaan; yang sudah diperiksa tidak diubah.",
            count,
        ) % {"n": count}
    return _tab_answer(request, assessment, tab, filter_, notice, error)


@require_POST
def item_comment(request, pk, question_pk):
    """A message in the item's discussion with one reviewer layer."""
    assessment = selectors.assessment_for_user(request.user, pk)
    question = _item(assessment, question_pk)
    error = None
    try:
        services.comment_add(
            assessment=assessment,
            question=question,
            by=request.user,
            thread=request.POST.get("thread", ""),
            body=request.POST.get("body", ""),
        )
    except WorkflowError as exc:
        error = shown(exc)
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or _("Komentar terkirim."))
        return redirect(_worksheet_url(assessment, question))
    context = _row_context(request, assessment, question, comments_open=True, comment_error=error)
    if error:
        context["comment_posted"] = request.POST.get("body", "")
    return card.render_card(request, context, status=422 if error else 200)
