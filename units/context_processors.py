from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from units import permissions
from units.models import Role


def navigation(request):
    """The menu of the signed-in user: only what their roles may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    url = _urls(get_script_prefix())
    items = [
        (_("Beranda"), url["home"]),
        (_("Unit kerja"), url["units:list"]),
        (_("Antrean"), url["assessments:queue"]),
        (_("Instrumen LKE"), url["areas:versions"]),
        (_("Laporan"), url["reports:list"]),
    ]
    if permissions.has_role(user, Role.ADMIN, Role.REVIEWER, Role.TPI):
        items.insert(1, (_("Dasbor"), url["dashboards:home"]))
    if permissions.is_admin(user):
        items.append((_("Periode"), url["assessments:periods"]))
    if permissions.can_manage_people(user):
        items.append((_("Pengguna"), url["units:people"]))
    if permissions.can_import_units(user):
        items.append((_("Impor unit"), url["units:import"]))
    if permissions.can_read_audit_log(user):
        items.append((_("Log audit"), url["units:audit"]))
    return {
        "nav_items": items,
        "user_roles": sorted(
            {m.get_role_display() for m in permissions.memberships_of(user)}
            | ({str(_("Superuser"))} if user.is_superuser else set())
        ),
        "is_admin": permissions.is_admin(user),
    }


@cache
def _urls(script_prefix: str) -> dict[str, str]:
    """The menu's addresses, reversed once per process (and script prefix), not per page."""
    names = (
        "home", "units:list", "assessments:queue", "areas:versions", "reports:list",
        "dashboards:home", "assessments:periods", "units:people", "units:import", "units:audit",
    )  # fmt: skip
    return {name: reverse(name) for name in names}
