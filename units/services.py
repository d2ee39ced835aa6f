"""Business rules for units, people and memberships."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.functions import Now
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.errors import UnitsError
from units import permissions
from units.models import ALLOWED_PARENT_KINDS, Membership, Role, Unit, UnitKind, User
from units.sessions import sessions_end_all


def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    province: str = "",
    madrasah_level: str = "",
) -> Unit:
    if parent is None and kind != UnitKind.PUSAT:
        raise UnitsError(_("Hanya unit Pusat yang boleh tanpa induk."))
    if parent is not None and parent.kind not in ALLOWED_PARENT_KINDS[kind]:
        raise UnitsError(
            _("%(kind)s tidak boleh berada di bawah %(parent)s")
            % {"kind": UnitKind(kind).label, "parent": UnitKind(parent.kind).label}
        )
    if Unit.objects.filter(code=code).exists():
        raise UnitsError(_("Kode unit %(code)s sudah dipakai.") % {"code": code})
    with transaction.atomic():
        unit = Unit.objects.create(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            province=province,
            madrasah_level=madrasah_level,
            path="",
        )
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.depth = unit.path.count("/") - 1
        unit.save(update_fields=["path", "depth", "updated_at"])
    return unit


UNIT_FIELDS = ("name", "province", "madrasah_level", "is_active")


def unit_update(*, unit: Unit, by: User, **changes) -> Unit:
    """Rename a unit, or change its province, madrasah level or whether it is active. Its
    content version moves on, so its reports (and those of the units whose parent it is) are
    made afresh. Code, kind and place in the tree stay: the import decides them."""
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise UnitsError(_("Data tidak dikenal: %(fields)s.") % {"fields": ", ".join(unknown)})
    if not permissions.is_admin(by):
        raise UnitsError(_("Hanya Admin nasional yang dapat mengubah unit."), forbidden=True)
    with transaction.atomic():
        stored = Unit.objects.select_for_update().get(pk=unit.pk)
        for name, value in changes.items():
            setattr(stored, name, value)
        stored.content_version += 1
        stored.save()
        # Their rows in the API carry the unit's name: the next sync must bring them again.
        stored.assessments.all().touch()
        stored.awards.update(updated_at=Now())
    return stored


def person_create(
    *,
    email: str,
    full_name: str,
    nip: str = "",
    password: str | None = None,
    is_staff=False,
    by: User | None = None,
) -> User:
    """`by` is the acting admin (None from the command line and the demo data)."""
    if by is not None and is_staff and not permissions.can_grant_flag(by, "is_staff"):
        raise UnitsError(_("Anda tidak dapat memberi akses staf yang tidak Anda miliki."))
    if User.objects.filter(email__iexact=email).exists():
        raise UnitsError(_("Email %(email)s sudah terdaftar.") % {"email": email})
    return User.objects.create_user(
        email=email, full_name=full_name, nip=nip, password=password, is_staff=is_staff
    )


def person_send_invite(*, user: User, base_url: str) -> None:
    """E-mail a new person a one-time link to choose their own password (Django's reset token:
    it stops working once a password is set)."""
    context = {
        "user": user,
        "link": base_url.rstrip("/")
        + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        ),
    }
    subject = "".join(render_to_string("registration/welcome_subject.txt", context).splitlines())
    body = render_to_string("registration/welcome_email.txt", context)
    send_mail(subject, body, None, [user.email])


PERSON_FIELDS = ("full_name", "email", "nip", "is_active", "is_staff")

# What else ends when an account is deactivated (api: its tokens, so reactivating the account
# does not bring them back). The apps that keep such things register here in their ready(),
# so units imports none of them.
ON_DEACTIVATE: list = []


def person_update(*, person: User, by: User, **changes) -> User:
    """An admin changes a person's data. Staff and superuser accounts are changed only by a
    superuser, and nobody grants a flag they do not hold (units.permissions). The checks read
    the stored account, not `person` (a bound ModelForm has already changed that object)."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise UnitsError(_("Data tidak dikenal: %(fields)s.") % {"fields": ", ".join(unknown)})
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=person.pk)
        _require_change(by, stored)
        raising_staff = changes.get("is_staff") and not stored.is_staff
        if raising_staff and not permissions.can_grant_flag(by, "is_staff"):
            raise UnitsError(_("Anda tidak dapat memberi akses staf yang tidak Anda miliki."))
        if "email" in changes:
            changes["email"] = changes["email"].strip().lower()
            clash = User.objects.filter(email__iexact=changes["email"]).exclude(pk=stored.pk)
            if clash.exists():
                raise UnitsError(_("Email ini sudah terdaftar."))
        deactivating = stored.is_active and changes.get("is_active") is False
        for name, value in changes.items():
            setattr(stored, name, value)
        stored.save()
        if deactivating:
            for end in ON_DEACTIVATE:
                end(user=stored, by=by)
    return stored


def _require_change(by: User, person: User) -> None:
    if not permissions.can_change_person(by, person):
        raise UnitsError(
            _("Hanya superuser yang dapat mengubah akun staf atau superuser."), forbidden=True
        )


def membership_grant(*, user: User, unit: Unit, role: str, by: User | None = None) -> Membership:
    """`by` is the acting admin (None from the command line and the demo data)."""
    if role not in Role.values:
        raise UnitsError(_("Peran tidak dikenal."))
    if by is not None:
        _require_change(by, user)
        if not permissions.can_grant_role(by, role):
            raise UnitsError(_("Anda tidak dapat memberi peran yang tidak Anda miliki."))
    if not unit.is_active:
        raise UnitsError(_("Unit %(unit)s tidak aktif.") % {"unit": unit})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        if not created:
            raise UnitsError(_("Pengguna sudah memiliki peran ini di unit tersebut."))
        # Roles are read with the session's user: the person signs in again with the new ones.
        sessions_end_all(user=user, by=by, reason="role_change")
    return membership


def membership_revoke(*, membership: Membership, by: User | None = None) -> None:
    if by is not None:
        _require_change(by, membership.user)
    with transaction.atomic():
        membership.delete()
        sessions_end_all(user=membership.user, by=by, reason="role_change")
