"""The offline LKE workbook from the worksheet: download it for the layer the user writes,
upload it back, see what it changes (conflicts with both values), confirm or cancel."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from areas.labels import answer_text
from areas.selectors import version_parts
from assessments import selectors
from assessments.assessment import Layer
from assessments.worksheet.models import WorkbookUpload
from assessments.worksheet.offline import apply, export, read
from assessments.worksheet.offline.layout import MAX_BYTES
from core.errors import WorkflowError, shown

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_lazy("Workbook LKE (XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Format berkas tidak didukung: gunakan XLSX."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        return upload


def _writable(request, pk):
    """The assessment (404 outside the user's scope) and the layer the user writes now
    (403 when none)."""
    assessment = selectors.assessment_for_user(request.user, pk)
    layer = assessment.access.writable_layer
    if layer is None:
        raise PermissionDenied
    return assessment, layer


@require_GET
def lke_xlsx_download(request, pk):
    assessment, layer = _writable(request, pk)
    source = export.workbook_source(assessment=assessment, layer=layer, reader=request.user)
    response = HttpResponse(export.render_offline_workbook(source), content_type=XLSX)
    filename = export.workbook_filename(assessment, layer)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def lke_xlsx_upload(request, pk):
    assessment, layer = _writable(request, pk)
    posted = request.method == "POST"
    form = WorkbookUploadForm(request.POST, request.FILES) if posted else WorkbookUploadForm()
    context = {"assessment": assessment, "form": form, "layer_label": Layer(layer).label}
    if posted and form.is_valid():
        try:
            reading = read.read_workbook(
                assessment=assessment, layer=layer, by=request.user,
                content=form.cleaned_data["file"].read(),
            )  # fmt: skip
        except WorkflowError as error:
            context["file_error"] = shown(error)
            return render(request, "assessments/lke_xlsx_upload.html", context, status=422)
        if reading.problems:
            context["problems"] = reading.problems
            return render(request, "assessments/lke_xlsx_upload.html", context, status=422)
        if not reading.changes:
            context["no_changes"] = True
            return render(request, "assessments/lke_xlsx_upload.html", context)
        upload = apply.upload_keep(
            assessment=assessment, layer=layer, by=request.user, changes=reading.changes
        )
        return redirect("assessments:lke_xlsx_preview", pk=assessment.pk, token=upload.token)
    return render(request, "assessments/lke_xlsx_upload.html", context)


@require_http_methods(["GET", "POST"])
def lke_xlsx_preview(request, pk, token):
    assessment = selectors.assessment_for_user(request.user, pk)
    upload = WorkbookUpload.objects.filter(
        token=token, assessment=assessment, owner=request.user, expires_at__gte=timezone.now()
    ).first()
    if upload is None:  # someone else's, confirmed, cancelled or expired
        raise Http404
    worksheet_url = reverse("assessments:worksheet", args=[assessment.pk])
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            apply.upload_cancel(upload=upload, by=request.user)
            messages.info(request, _("Unggahan dibatalkan; tidak ada yang disimpan."))
            return redirect(worksheet_url)
        try:
            done = apply.upload_confirm(
                upload=upload, by=request.user, take_theirs=request.POST.getlist("take")
            )
        except WorkflowError as error:
            messages.error(request, shown(error))
            return redirect(worksheet_url)  # which offers the upload again if it still may
        messages.success(request, _saved_message(done))
        return redirect(worksheet_url)
    by_pk = version_parts(assessment.period.lke_version).by_pk
    rows = [
        {
            **change,
            "question_text": by_pk[change["question"]].text,
            "old": answer_text(change["old_value"], by_pk[change["question"]]),
            "new": answer_text(change["value"], by_pk[change["question"]]),
        }
        for change in upload.changes
    ]
    return render(
        request,
        "assessments/lke_xlsx_preview.html",
        {
            "assessment": assessment, "upload": upload, "rows": rows,
            "conflicts": sum(row["conflict"] for row in rows),
            "layer_label": Layer(upload.layer).label,
        },
    )  # fmt: skip


def _saved_message(done: apply.Applied) -> str:
    text = ngettext(
        "%(n)s butir dari workbook tersimpan.", "%(n)s butir dari workbook tersimpan.",
        len(done.saved),
    ) % {"n": len(done.saved)}  # fmt: skip
    if done.kept:
        text += " " + _("Nilai di portal dipertahankan untuk: %(codes)s.") % {
            "codes": ", ".join(done.kept)
        }
    return text
