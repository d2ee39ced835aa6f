"""Evidence pages: the list (and panel) of one question or stage document, uploads of several
files at once with one result per file, links, removal, review verdicts and the download.

Each POST answers in three ways: JSON for the upload script (one request per file), the
refreshed list partial for htmx, or a redirect back with messages for a plain form post.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.models import EvidenceRequirement, Question
from areas.numbers import parse_id
from assessments import selectors
from assessments.assessment import EvidenceKind
from assessments.evidence import carry
from assessments.evidence import services as evidence
from assessments.evidence.forms import EvidencePolicyForm
from assessments.evidence.intake import clean_filename
from assessments.evidence.limits import evidence_policy_update, limits, max_bytes
from assessments.evidence.models import Evidence, EvidencePolicy
from assessments.evidence.selectors import panel_context
from core import ratelimits
from core.errors import EvidenceError, WorkflowError, shown
from core.http import safe_target
from core.ratelimits import rate_limited
from units.permissions import require_admin

LIST_TEMPLATE = "assessments/evidence/_list.html"
PANEL_TEMPLATE = "assessments/evidence/_panel.html"


def _target(assessment, data) -> tuple[Question | None, str]:
    """The question (or stage document kind) a request is about; 404 if it is not one of this
    assessment's."""
    question_pk = data.get("question")
    if question_pk:
        question_pk = parse_id(question_pk)
        if question_pk is None:
            raise Http404
        question = get_object_or_404(
            Question.objects.prefetch_related("evidence_requirements"),
            pk=question_pk,
            version_id=assessment.period.lke_version_id,
        )
        return question, EvidenceKind.ANSWER
    kind = data.get("kind", "")
    if kind in evidence.DOCUMENT_KINDS:
        return None, kind
    raise Http404


def _list_url(assessment, question, kind) -> str:
    query = f"question={question.pk}" if question is not None else f"kind={kind}"
    return f"{reverse('assessments:evidence_list', args=[assessment.pk])}?{query}"


def _back(request, assessment, question, kind):
    fallback = _list_url(assessment, question, kind)
    return redirect(safe_target(request, request.POST.get("next", ""), fallback))


def _render_list(request, assessment, question, kind, template=LIST_TEMPLATE, **extra):
    context = panel_context(request.user, assessment, question=question, kind=kind)
    context["next"] = _next(request, assessment, question, kind)
    return render(request, template, {**context, **extra})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_GET
def evidence_list(request, pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    question, kind = _target(assessment, request.GET)
    if not evidence.can_read(request.user, assessment, kind):
        raise PermissionDenied
    context = panel_context(
        request.user,
        assessment,
        question=question,
        kind=kind,
        include_removed=request.GET.get("removed") == "1",
    )
    context["kind_label"] = EvidenceKind(context["kind"]).label
    context["next"] = _next(request, assessment, question, kind)
    if request.htmx:  # the whole panel when opened inside a worksheet item, else the list
        template = PANEL_TEMPLATE if request.GET.get("panel") == "1" else LIST_TEMPLATE
    else:
        template = "assessments/evidence/page.html"
    return render(request, template, context)


def _next(request, assessment, question, kind) -> str:
    """Where the panel's plain (no-script) forms go back to: the worksheet tab and filter the
    person came from, when they opened it there, else the evidence page itself."""
    data = request.POST if request.method == "POST" else request.GET
    return safe_target(request, data.get("next", ""), _list_url(assessment, question, kind))


class SizeCapUploadHandler(FileUploadHandler):
    """Drops a file as soon as it grows past the limit, so an oversized upload is neither kept
    in memory nor written in full to a temporary file; its name is remembered to report it."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_bytes()
        self.oversized: list[str] = []
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.oversized.append(clean_filename(self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt  # only to install the size cap first: _upload checks the CSRF token itself
@require_POST
@rate_limited("evidence.upload", ratelimits.UPLOADS)
def evidence_upload(request, pk):
    cap = SizeCapUploadHandler(request)
    request.upload_handlers.insert(0, cap)
    return _upload(request, pk=pk, cap=cap)


@csrf_protect
def _upload(request, *, pk, cap):
    assessment = selectors.assessment_for_user(request.user, pk)
    question, kind = _target(assessment, request.POST)
    if not evidence.can_upload(request.user, assessment, kind):
        raise PermissionDenied
    replaces = None
    if (replaced_pk := parse_id(request.POST.get("replaces"))) is not None:
        replaces = get_object_or_404(assessment.evidence, pk=replaced_pk)
    too_big = _("Berkas terlalu besar (maksimum %(max)s).") % {"max": filesizeformat(max_bytes())}
    accepted, rejected = [], [(name, too_big) for name in cap.oversized]
    files = request.FILES.getlist("files")
    document_date, date_error = _document_date(request.POST.get("document_date", ""))
    if date_error:
        rejected.append(("", date_error))
        files = []
    if not files and not rejected:
        rejected.append(("", _("Pilih minimal satu berkas.")))
    for uploaded in files:
        try:
            accepted.append(
                evidence.evidence_upload(
                    assessment=assessment,
                    kind=kind,
                    question=question,
                    uploaded_file=uploaded,
                    by=request.user,
                    description=request.POST.get("checklist_item")
                    or request.POST.get("description", ""),
                    covers_period=request.POST.get("covers_period", ""),
                    replaces=replaces if len(files) == 1 else None,
                    document_date=document_date,
                )
            )
        except WorkflowError as error:
            rejected.append((clean_filename(uploaded.name), shown(error)))
    return _upload_response(request, assessment, question, kind, accepted, rejected)


def _document_date(value: str):
    """The optional document date typed at upload (YYYY-MM-DD, as a date input sends it)."""
    value = value.strip()
    if not value:
        return None, None
    try:
        return datetime.date.fromisoformat(value), None
    except ValueError:
        return None, _("Tanggal dokumen tidak valid (gunakan format TTTT-BB-HH).")


def _upload_response(request, assessment, question, kind, accepted, rejected):
    if _wants_json(request):
        return JsonResponse(
            {
                "accepted": [{"id": e.pk, "name": e.original_name} for e in accepted],
                "rejected": [{"name": name, "error": error} for name, error in rejected],
            },
            status=200 if accepted or not rejected else 400,
        )
    if request.htmx:
        return _render_list(
            request,
            assessment,
            question,
            kind,
            results={"accepted": accepted, "rejected": rejected},
        )
    if accepted:
        messages.success(
            request,
            ngettext("%(n)s berkas diunggah.", "%(n)s berkas diunggah.", len(accepted))
            % {"n": len(accepted)},
        )
    for name, error in rejected:
        messages.error(request, f"{name}: {error}" if name else error)
    return _back(request, assessment, question, kind)


def _finish(request, assessment, item, error: str | None, done: str):
    """Answer a change to one item: the refreshed list for htmx, else a redirect back."""
    question, kind = item.question, item.kind
    if request.htmx:
        return _render_list(request, assessment, question, kind, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return _back(request, assessment, question, kind)


def _call(service, **kwargs) -> str | None:
    try:
        service(**kwargs)
    except WorkflowError as error:
        return shown(error)
    return None


@require_POST
def evidence_link(request, pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    question, kind = _target(assessment, request.POST)
    if not evidence.can_upload(request.user, assessment, kind):
        raise PermissionDenied
    error = _call(
        evidence.evidence_add_link,
        assessment=assessment,
        kind=kind,
        question=question,
        url=request.POST.get("url", ""),
        by=request.user,
        description=request.POST.get("checklist_item") or request.POST.get("description", ""),
    )
    if request.htmx:
        return _render_list(request, assessment, question, kind, error=error)
    (messages.error if error else messages.success)(request, error or _("Tautan ditambahkan."))
    return _back(request, assessment, question, kind)


@require_POST
def evidence_attach(request, pk):
    """Attach a file already uploaded for another item (stored once, each link audited)."""
    assessment = selectors.assessment_for_user(request.user, pk)
    question, kind = _target(assessment, request.POST)
    if question is None or not evidence.can_upload(request.user, assessment, kind):
        raise PermissionDenied
    error = None
    source_pk = parse_id(request.POST.get("source"))
    source = assessment.evidence.filter(pk=source_pk).first() if source_pk else None
    if source is None:
        error = _("Pilih berkas yang akan dilampirkan.")
    else:
        error = _call(
            evidence.evidence_attach,
            source=source,
            question=question,
            by=request.user,
            description=request.POST.get("checklist_item") or "",
        )
    if request.htmx:
        return _render_list(request, assessment, question, kind, PANEL_TEMPLATE, error=error)
    (messages.error if error else messages.success)(
        request, error or _("Berkas dilampirkan pada butir %(code)s.") % {"code": question.code}
    )
    return _back(request, assessment, question, kind)


@require_POST
def evidence_carry(request, pk):
    """Bring an accepted document of the unit's previous period into this item's entry."""
    assessment = selectors.assessment_for_user(request.user, pk)
    if not evidence.can_upload(request.user, assessment, EvidenceKind.ANSWER):
        raise PermissionDenied
    requirement = get_object_or_404(
        EvidenceRequirement.objects.select_related("question"),
        pk=parse_id(request.POST.get("requirement")) or 0,
        question__version_id=assessment.period.lke_version_id,
    )
    # Only the unit's own evidence, in the reader's scope: anything else is not found.
    source = get_object_or_404(
        Evidence.objects.filter(
            assessment__in=selectors.assessments_visible_to(request.user),
            assessment__unit_id=assessment.unit_id,
        ).select_related("assessment__period"),
        pk=parse_id(request.POST.get("source")) or 0,
    )
    if not evidence.can_read(request.user, source.assessment, source.kind):
        raise Http404
    question = requirement.question
    error = _call(
        carry.evidence_carry_over,
        assessment=assessment,
        source=source,
        requirement=requirement,
        by=request.user,
    )
    if request.htmx:
        return _render_list(request, assessment, question, EvidenceKind.ANSWER, PANEL_TEMPLATE,
                            error=error)  # fmt: skip
    (messages.error if error else messages.success)(
        request, error or _("Data dukung dibawa dari periode sebelumnya.")
    )
    return _back(request, assessment, question, EvidenceKind.ANSWER)


def _readable_item(user, assessment, evidence_pk):
    """One evidence item of the assessment: 404 if there is none, 403 if it exists but the
    user may not read its kind (TPN's unreleased field-visit attachments)."""
    item = get_object_or_404(assessment.evidence.select_related("question"), pk=evidence_pk)
    if not evidence.can_read(user, assessment, item.kind):
        raise PermissionDenied
    return item


@require_POST
def evidence_remove(request, pk, evidence_pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    item = _readable_item(request.user, assessment, evidence_pk)
    error = _call(evidence.evidence_remove, evidence=item, by=request.user)
    return _finish(request, assessment, item, error, _("Data dukung dihapus."))


@require_POST
def evidence_verdict(request, pk, evidence_pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    item = _readable_item(request.user, assessment, evidence_pk)
    requirement = evidence.KEEP
    if "requirement" in request.POST and item.question_id:  # the reviewer says which entry
        chosen = parse_id(request.POST["requirement"])
        requirement = chosen and get_object_or_404(
            EvidenceRequirement, pk=chosen, question_id=item.question_id
        )
    error = _call(
        evidence.evidence_set_verdict,
        evidence=item,
        by=request.user,
        verdict=request.POST.get("verdict", ""),
        note=request.POST.get("note", ""),
        requirement=requirement,
    )
    return _finish(request, assessment, item, error, _("Hasil pemeriksaan disimpan."))


def _signed_url(item, inline: bool) -> str:
    """Object storage (S3/MinIO): a URL valid for a few minutes, after the same checks."""
    disposition = "inline" if inline else "attachment"
    name = (item.original_name or "berkas").replace('"', "")
    return item.file.storage.url(
        item.file.name,
        parameters={
            "ResponseContentDisposition": f'{disposition}; filename="{name}"',
            "ResponseContentType": item.content_type or "application/octet-stream",
        },
        expire=settings.ZI_S3_URL_SECONDS,
    )


@require_GET
def evidence_download(request, pk, evidence_pk):
    return evidence_file_response(
        request.user, pk, evidence_pk, inline=request.GET.get("inline") == "1"
    )


def evidence_file_response(user, pk: int, evidence_pk: int, *, inline: bool = False):
    """The one way an evidence file leaves the portal, after the same checks, for the page and
    for the API's token callers alike (api.views_assessments.EvidenceFile)."""
    assessment = selectors.assessment_for_user(user, pk)
    item = _readable_item(user, assessment, evidence_pk)
    if not item.file:
        raise Http404
    if item.scan_status == "infected":
        raise PermissionDenied(_("Berkas ini ditahan karena terdeteksi mengandung virus."))
    inline = inline and item.content_type in evidence.INLINE_TYPES
    if getattr(settings, "ZI_S3_BUCKET", ""):
        return redirect(_signed_url(item, inline))
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=item.original_name or "berkas",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def evidence_policy(request):
    require_admin(request.user)
    current = EvidencePolicy.objects.order_by("pk").first() or EvidencePolicy()
    form = EvidencePolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            evidence_policy_update(by=request.user, **form.cleaned_data)
        except EvidenceError as error:
            form.add_error("allowed_types", str(error))
        else:
            messages.success(
                request, _("Batas unggahan disimpan; berlaku untuk unggahan berikutnya.")
            )
            return redirect("assessments:evidence_policy")
    return render(
        request,
        "assessments/evidence/policy.html",
        {"form": form, "limits": limits()},
    )
