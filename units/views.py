from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit
from core.errors import UnitsError, shown
from core.pagination import page_of
from units import permissions, second_factor, selectors, services
from units.forms import (
    AuditFilterForm,
    MembershipForm,
    PersonForm,
    UnitImportForm,
    UnitSearchForm,
)
from units.unit_import import UnitImportError, read_rows, units_import


def _page(request, queryset):
    return page_of(queryset, request.GET.get("page"))


@require_GET
def unit_list(request):
    form = UnitSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""

    def units():
        if query:
            return selectors.unit_search(request.user, query)
        return selectors.unit_roots_for(request.user)

    template = "units/_unit_rows.html" if request.htmx else "units/unit_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "query": query,
            "page": _page(request, units()),
        },
    )


@require_GET
def unit_detail(request, code):
    unit = selectors.unit_for_user(request.user, code)  # 404 outside the scope
    show_members = permissions.can_view_unit_members(request.user, unit)
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "breadcrumbs": selectors.unit_breadcrumbs(request.user, unit),
            "page": _page(request, selectors.unit_children(request.user, unit)),
            "members": list(selectors.unit_members(unit)) if show_members else None,
        },
    )


@require_http_methods(["GET", "POST"])
def unit_import(request):
    if not permissions.can_import_units(request.user):
        raise PermissionDenied
    report, file_error = None, None
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_rows(upload.name, upload.read())
        except UnitImportError as error:
            file_error = str(error)
        else:
            report = units_import(rows=rows, dry_run=form.cleaned_data["dry_run"])
            if report.ok and not report.dry_run:
                messages.success(request, _("%(n)s unit berhasil diimpor.") % {"n": report.created})
                return redirect("units:import")
    return render(
        request,
        "units/unit_import.html",
        {"form": form, "report": report, "file_error": file_error},
    )


@require_GET
def people(request):
    if not permissions.can_manage_people(request.user):
        raise PermissionDenied
    form = UnitSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "units/people_list.html",
        {
            "form": form,
            "query": query,
            "page": _page(request, selectors.people_list(request.user, query)),
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    if not permissions.can_manage_people(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person = services.person_create(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                nip=form.cleaned_data["nip"],
                is_staff=form.cleaned_data.get("is_staff", False),
                by=request.user,
            )
            base_url = request.build_absolute_uri("/")
            transaction.on_commit(
                lambda: services.person_send_invite(user=person, base_url=base_url)
            )
        messages.success(request, _("Pengguna dibuat; tautan untuk membuat kata sandi dikirim."))
        return redirect("units:person", pk=person.pk)
    return render(request, "units/person_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
def person_detail(request, pk):
    if not permissions.can_manage_people(request.user):
        raise PermissionDenied
    person = selectors.person_for_user(request.user, pk)
    can_change = permissions.can_change_person(request.user, person)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person, prefix="person", actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, by=request.user, **form.changes())
        except UnitsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Data pengguna disimpan."))
            return redirect("units:person", pk=person.pk)
    return _person_page(request, person, form, MembershipForm(prefix="membership"), can_change)


def _person_page(request, person, form, membership_form, can_change, status=200):
    if not can_change:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "form": form,
        "person": person,
        "membership_form": membership_form,
        "can_change": can_change,
        "has_second_factor": second_factor.has_device(person),
    }
    return render(request, "units/person_form.html", context, status=status)


@require_POST
def membership_add(request, pk):
    if not permissions.can_manage_people(request.user):
        raise PermissionDenied
    person = selectors.person_for_user(request.user, pk)
    form = MembershipForm(request.POST, prefix="membership")
    if form.is_valid():
        try:
            services.membership_grant(
                user=person,
                unit=form.cleaned_data["unit_code"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except UnitsError as error:
            messages.error(request, shown(error))
        else:
            messages.success(request, _("Peran ditambahkan."))
        return redirect("units:person", pk=person.pk)
    person_form = PersonForm(instance=person, prefix="person", actor=request.user)
    can_change = permissions.can_change_person(request.user, person)
    return _person_page(request, person, person_form, form, can_change, status=400)


@require_POST
def membership_remove(request, pk, membership_pk):
    if not permissions.can_manage_people(request.user):
        raise PermissionDenied
    person = selectors.person_for_user(request.user, pk)
    membership = get_object_or_404(person.memberships, pk=membership_pk)
    try:
        services.membership_revoke(membership=membership, by=request.user)
    except UnitsError as error:
        raise PermissionDenied(str(error)) from None
    messages.success(request, _("Peran dicabut."))
    return redirect("units:person", pk=person.pk)


@require_GET
def audit_log(request):
    if not permissions.can_read_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(
        request.GET or None,
        content_types=selectors.audited_content_types(),
        actions=selectors.audit_action_choices(),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        request.user,
        content_type=filters.get("content_type"),
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = _page(request, entries)
    rows = [
        (
            entry,
            audit.action_of(entry),
            selectors.audit_label(entry),
            selectors.audit_change_rows(entry),
        )
        for entry in page
    ]
    return render(request, "units/audit_log.html", {"form": form, "page": page, "rows": rows})
