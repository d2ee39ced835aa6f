from functools import cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from units import permissions, second_factor
from units.models import Role

SURVEY_ROLES = (Role.OPERATOR, Role.PIMPINAN)


def navigation(request):
    """The addresses of the layout (for everyone), and the menu of the signed-in user: only
    what their roles may open."""
    url = _urls(get_script_prefix())
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"layout_urls": url}
    if hasattr(request, "session") and second_factor.session_state(request) != second_factor.OK:
        # Half signed in (the code still to give, or the app to enrol): no menu of pages the
        # middleware would refuse; the page itself offers Keluar.
        return {"layout_urls": url, "second_factor_pending": True}
    items = [
        (_("Beranda"), url["home"]),
        (_("Unit kerja"), url["units"]),
        (_("Antrean"), url["queue"]),
        (_("Instrumen LKE"), url["instrument"]),
        (_("Laporan"), url["reports"]),
    ]
    if permissions.has_role(user, Role.ADMIN, Role.REVIEWER, Role.TPI):
        items.insert(1, (_("Dasbor"), url["dashboard"]))
    own_unit = next(
        (m.unit for m in permissions.memberships_of(user) if m.role in SURVEY_ROLES), None
    )
    if own_unit is not None:  # the unit's own staff run its surveys (surveys.permissions)
        items.insert(2, (_("Survei"), reverse("surveys:manage_unit", args=[own_unit.code])))
    if permissions.is_admin(user):
        items.append((_("Periode"), url["periods"]))
    if permissions.can_manage_people(user):
        items.append((_("Pengguna"), url["people"]))
    if permissions.can_import_units(user):
        items.append((_("Impor unit"), url["unit_import"]))
    if permissions.can_read_audit_log(user):
        items.append((_("Log audit"), url["audit"]))
    return {
        "layout_urls": url,
        "nav_items": items,
        "user_roles": sorted(
            {str(Role(m.role).label) for m in permissions.memberships_of(user)}
            | ({str(_("Superuser"))} if user.is_superuser else set())
        ),
        "is_admin": permissions.is_admin(user),
    }


@cache
def _urls(script_prefix: str) -> dict[str, str]:
    """The layout's and the menu's addresses, reversed once per process (and script prefix)
    rather than on every page."""
    names = {
        "home": "home",
        "units": "units:list",
        "queue": "assessments:queue",
        "instrument": "areas:versions",
        "reports": "reports:list",
        "dashboard": "dashboards:home",
        "periods": "assessments:periods",
        "people": "units:people",
        "unit_import": "units:import",
        "audit": "units:audit",
        "notifications": "notifications:inbox",
        "password_change": "password_change",
        "security": "second_factor:security",
        "api_tokens": "api_tokens:tokens",
        "sessions": "units:sessions",
        "service_accounts": "api_tokens:service_accounts",
        "logout": "logout",
        "set_language": "set_language",
    }
    return {key: reverse(name) for key, name in names.items()}
