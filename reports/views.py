from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import Layer, Period, Stage
from assessments.selectors import assessment_for_user
from assessments.worksheet.scores import instrument_of
from core import ratelimits
from core.errors import ReportError, WorkflowError
from core.http import safe_target
from core.pagination import page_of
from core.ratelimits import rate_limited
from reports import narratives, selectors, services
from reports.models import JobStatus
from units import permissions
from units.models import Role, UnitKind

PARAM_FIELDS = (
    "assessment", "layer", "period", "format", "province", "stage", "survey", "service",
    "batch",
)  # fmt: skip


@require_GET
def job_list(request):
    page = page_of(selectors.jobs_visible_to(request.user), request.GET.get("page"), 30)
    return render(
        request,
        "reports/list.html",
        {
            "page": page,
            "can_request_readiness": permissions.is_admin(request.user),
            "can_request_workbooks": permissions.has_role(request.user, Role.ADMIN, Role.TPN),
            "periods": Period.objects.order_by("-year"),
            "kinds": UnitKind.choices,
            "stages": Stage.choices,
        },
    )


@require_POST
@rate_limited("reports.request", ratelimits.REPORT_REQUESTS)
def job_request(request):
    params = {name: request.POST.get(name, "") for name in PARAM_FIELDS if name in request.POST}
    if "unit_kind" in request.POST:
        params["kind"] = request.POST["unit_kind"]
    try:
        job = services.report_request(
            kind=request.POST.get("kind_of_report", ""), params=params, by=request.user
        )
    except ReportError as error:
        messages.error(request, str(error))
        back = request.META.get("HTTP_REFERER", "")
        return redirect(safe_target(request, back, reverse("reports:list")))
    if job.status == JobStatus.DONE:
        messages.info(
            request, _("Data tidak berubah sejak laporan terakhir; berkas yang sama dipakai.")
        )
    elif job.status == JobStatus.QUEUED and not job.refreshed_sent_at():
        messages.warning(
            request,
            _(
                "Antrean laporan sedang tidak terjangkau. Permintaan Anda tersimpan dan "
                "laporan akan diproses segera; halaman ini diperbarui sendiri."
            ),
        )
    return redirect("reports:detail", pk=job.pk)


@require_GET
def job_detail(request, pk):
    job = selectors.job_for_user(request.user, pk)
    template = "reports/_status.html" if request.htmx else "reports/detail.html"
    return render(request, template, {"job": job})


@require_GET
def job_download(request, pk):
    job = selectors.job_for_user(request.user, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def narrative_edit(request, pk):
    """The executive summary and per-area recommendations the evaluator of the layer writes
    for its LHE; only while they write that layer."""
    assessment = assessment_for_user(request.user, pk)
    layer = narratives.narrative_layer(request.user, assessment)
    if layer is None:
        raise PermissionDenied
    areas = instrument_of(assessment).areas
    current = narratives.lhe_narrative(assessment, layer, areas)
    form = narratives.NarrativeForm(
        request.POST or None, areas=areas, initial=narratives.NarrativeForm.initial_from(current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            narratives.lhe_narrative_save(
                assessment=assessment, by=request.user, texts=form.texts()
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Ringkasan dan rekomendasi LHE disimpan."))
            return redirect("assessments:detail", pk=assessment.pk)
    return render(
        request,
        "reports/narrative.html",
        {"assessment": assessment, "form": form, "layer_label": Layer(layer).label},
        status=400 if form.errors else 200,
    )
