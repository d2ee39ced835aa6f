from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units import permissions
from units.models import Role


def navigation(request):
    """The menu of the signed-in user: only what their roles may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        (_("Beranda"), reverse("home")),
        (_("Unit kerja"), reverse("units:list")),
        (_("Antrean"), reverse("assessments:queue")),
        (_("Instrumen LKE"), reverse("areas:versions")),
        (_("Laporan"), reverse("reports:list")),
    ]
    if permissions.has_role(user, Role.ADMIN, Role.REVIEWER, Role.TPI):
        items.insert(1, (_("Dasbor"), reverse("dashboards:home")))
    if permissions.is_admin(user):
        items.append((_("Periode"), reverse("assessments:periods")))
    if permissions.can_manage_people(user):
        items.append((_("Pengguna"), reverse("units:people")))
    if permissions.can_import_units(user):
        items.append((_("Impor unit"), reverse("units:import")))
    if permissions.can_read_audit_log(user):
        items.append((_("Log audit"), reverse("units:audit")))
    return {
        "nav_items": items,
        "user_roles": sorted(
            {m.get_role_display() for m in permissions.memberships_of(user)}
            | ({str(_("Superuser"))} if user.is_superuser else set())
        ),
        "is_admin": permissions.is_admin(user),
    }
