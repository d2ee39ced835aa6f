from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import permissions, queues, selectors, services
from assessments.assessment import Layer
from assessments.forms import TransitionForm
from assessments.home import HomePage
from assessments.stages.awards import prior_predicate
from assessments.workflow import TRANSITIONS
from assessments.worksheet.scores import layer_results
from core.errors import WorkflowError, shown
from core.http import form_errors_to_messages, safe_target
from units import permissions as unit_permissions
from units.models import Role, UnitKind


def _days_left(deadline) -> int | None:
    return None if deadline is None else (deadline - date.today()).days


@require_GET
def assessment_detail(request, pk):
    return _detail_page(request, selectors.assessment_for_user(request.user, pk))


def _detail_page(request, assessment, *, posted=None, refused: str = "", status: int = 200):
    """The assessment's page; after a refused transition, with what was typed still in that
    transition's form (`posted`, `refused` its name)."""
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "days_left": _days_left(assessment.deadline),
            "transitions": services.allowed_transitions(request.user, assessment),
            "form": TransitionForm(),
            "posted": posted,
            "refused_form": {refused: True} if refused else {},
            "events": assessment.events.select_related("by").order_by("-at", "-pk"),
            "access": assessment.access,
            "is_unit_member": assessment.access.is_unit_member,
            "is_tpn": assessment.access.has(Role.TPN),
            "is_admin": assessment.access.has(Role.ADMIN),
            "report_layers": [
                (layer, Layer(layer).label) for layer in assessment.access.visible_layers
            ],
        },
        status=status,
    )


@require_POST
def transition(request, pk, name):
    assessment = selectors.assessment_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():  # never go on with a note that was dropped
        form_errors_to_messages(request, form)
        return _detail_page(request, assessment, posted=request.POST, refused=name, status=400)
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
            links=data.get("links", ""),
        )
    except WorkflowError as error:
        messages.error(request, shown(error))
        for problem in error.problems:
            messages.error(request, problem)
        # Nothing typed is lost: the page comes back with the form as it was posted.
        return _detail_page(request, assessment, posted=request.POST, refused=name, status=400)
    done = TRANSITIONS[name].done
    messages.success(request, str(done) if done else _("Tersimpan: status penilaian diperbarui."))
    return redirect(_safe_next(request, pk))


def _safe_next(request, pk) -> str:
    fallback = reverse("assessments:detail", args=[pk])
    return safe_target(request, request.POST.get("next", ""), fallback)


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


@require_POST
def release_tpn(request, pk):
    assessment = selectors.assessment_for_user(request.user, pk)
    try:
        services.assessment_release_tpn_layer(
            assessment=assessment, by=request.user, released=request.POST.get("released") == "1"
        )
    except WorkflowError as exc:
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


@require_GET
def home(request):
    user = request.user
    return render(
        request,
        "home.html",
        {
            "role": unit_permissions.primary_role(user),
            "Role": Role,
            "memberships": unit_permissions.memberships_of(user),
            "home": HomePage(user),
        },
    )
