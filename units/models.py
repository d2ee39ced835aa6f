"""Who: the tree of work units, the people and the roles they hold in a unit's subtree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.managers import UserManager
from units.validators import validate_nip


class UnitKind(models.TextChoices):
    PUSAT = "pusat", _("Pusat")
    ESELON1 = "eselon1", _("Eselon I")
    KANWIL = "kanwil", _("Kanwil")
    KANKEMENAG = "kankemenag", _("Kankemenag")
    MADRASAH = "madrasah", _("Madrasah")
    PTKIN = "ptkin", _("PTKIN")
    FAKULTAS = "fakultas", _("Fakultas/unit PTKIN")
    UPT = "upt", _("UPT/Balai")
    KUA = "kua", _("KUA")
    OTHER = "other", _("Lainnya")


class MadrasahLevel(models.TextChoices):
    MIN = "MIN", "MIN"
    MTSN = "MTsN", "MTsN"
    MAN = "MAN", "MAN"


# Which kind may sit directly under which: the organisation chart of Kemenag
# (KMA on the organisation of the ministry and of its vertical offices).
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    UnitKind.PUSAT: frozenset(),
    UnitKind.ESELON1: frozenset({UnitKind.PUSAT}),
    UnitKind.KANWIL: frozenset({UnitKind.PUSAT}),
    UnitKind.KANKEMENAG: frozenset({UnitKind.KANWIL}),
    UnitKind.MADRASAH: frozenset({UnitKind.KANKEMENAG, UnitKind.KANWIL}),
    UnitKind.PTKIN: frozenset({UnitKind.PUSAT, UnitKind.ESELON1}),
    UnitKind.FAKULTAS: frozenset({UnitKind.PTKIN}),
    UnitKind.UPT: frozenset({UnitKind.PUSAT, UnitKind.ESELON1, UnitKind.KANWIL}),
    UnitKind.KUA: frozenset({UnitKind.KANKEMENAG}),
    UnitKind.OTHER: frozenset(UnitKind.values),
}


class VersionedQuerySet(models.QuerySet):
    """Rows with a `content_version`: what a stored report showed of them. The services that
    change what a report shows call touch() in the same transaction, so a report asked for
    again is made afresh exactly when its content changed (reports.kinds)."""

    def touch(self) -> int:
        # updated_at too: what the API's `updated_since` sync reads (issue 19).
        return self.update(content_version=models.F("content_version") + 1, updated_at=Now())


CONTENT_VERSION_HELP = "Moved forward by the services that change what a report shows."


class UnitQuerySet(VersionedQuerySet):
    def subtree_of(self, *units: Unit) -> UnitQuerySet:
        """Units in the subtrees of `units` (themselves included): one query at any depth."""
        if not units:
            return self.none()
        condition = Q()
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition)

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)


class Unit(models.Model):
    """A work unit (satker). `path` is a materialised path of ids ("/1/7/42/"), so a subtree is
    one `LIKE 'path%'` and the ancestors are one `id IN (...)` whatever the depth."""

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=255)
    kind = models.CharField(_("jenis"), max_length=16, choices=UnitKind.choices)
    madrasah_level = models.CharField(
        _("jenjang madrasah"), max_length=4, choices=MadrasahLevel.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.CharField(_("provinsi"), max_length=64, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    path = models.CharField(max_length=255, editable=False, db_index=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=1)
    content_version = models.PositiveIntegerField(
        default=1, editable=False, help_text=CONTENT_VERSION_HELP
    )
    # Moved by save() and by touch(): what the API's `updated_since` sync reads (issue 19).
    updated_at = models.DateTimeField(_("diubah"), auto_now=True, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="unit_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name"], name="unit_parent_name_idx"),
            models.Index(fields=["kind", "province"], name="unit_kind_province_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="madrasah") | Q(madrasah_level=""),
                name="unit_level_only_for_madrasah",
            ),
            models.CheckConstraint(
                condition=~Q(kind="pusat") | Q(parent__isnull=True),
                name="unit_pusat_is_root",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_kind_display(self) -> str:
        # Django's generated method translates every choice label on each call (it hashes
        # them); unit lists call it once per row.
        return str(UnitKind(self.kind).label) if self.kind in UnitKind.values else self.kind

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def ancestors(self) -> UnitQuerySet:
        return Unit.objects.filter(id__in=self.ancestor_ids).order_by("depth")

    def descendants(self, include_self: bool = True) -> UnitQuerySet:
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; logs in by e-mail. NIP is the 18-digit civil-servant number (optional for
    non-civil-servant accounts such as TPN members from outside Kemenag)."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[validate_nip],
        help_text=_("18 digit Nomor Induk Pegawai."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("akses admin Django"), default=False)
    date_joined = models.DateTimeField(_("tanggal bergabung"), default=timezone.now)
    email_muted = models.BooleanField(
        _("bisukan email notifikasi"),
        default=False,
        help_text=_("Notifikasi tetap muncul di kotak masuk portal."),
    )
    # The language last chosen in the menu: the one their e-mails are written in.
    language = models.CharField(_("bahasa"), max_length=8, blank=True)
    # "<iss> <sub>" of the SSO identity bound at the first SSO sign-in (units/oidc.py): later
    # sign-ins match it first, and a NIP or e-mail claim never moves the account to another
    # identity. Cleared by an admin's "Reset faktor kedua".
    sso_subject = models.CharField(_("identitas SSO"), max_length=512, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~Q(nip=""), name="user_nip_unique_when_set"
            ),
            models.UniqueConstraint(
                fields=["sso_subject"],
                condition=~Q(sso_subject=""),
                name="user_sso_subject_unique_when_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def clean(self):
        # E-mails are stored lower-cased (UserManager, the portal's forms); the Django admin's
        # forms call this. SSO and the directory match them exactly (units/oidc.py, ldap.py).
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator satker")
    PIMPINAN = "pimpinan", _("Pimpinan satker")
    REVIEWER = "reviewer", _("Reviewer pendahuluan")
    TPI = "tpi", _("TPI (Itjen)")
    TPN = "tpn", _("TPN (KemenPAN-RB)")
    ADMIN = "admin", _("Admin nasional")


# Roles whose scope is the whole country rather than their unit's subtree.
NATIONAL_ROLES = frozenset({Role.ADMIN, Role.TPN})
# Who speaks for a unit itself (its own members), and who looks after it from the unit or one
# of its ancestors (a Kanwil reviewer, TPI at Pusat).
OWN_UNIT_ROLES = frozenset({Role.OPERATOR, Role.PIMPINAN})
OVERSIGHT_ROLES = frozenset({Role.REVIEWER, Role.TPI})


class Membership(models.Model):
    """A role a user holds in a unit; its scope is the unit's subtree (national for
    Admin nasional and TPN)."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="membership_unique_user_unit_role"
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"], name="membership_unit_role_idx")]

    def __str__(self) -> str:
        return f"{self.user.email}: {self.get_role_display()} @ {self.unit.code}"

    @property
    def is_national(self) -> bool:
        return self.role in NATIONAL_ROLES


class UserSession(models.Model):
    """Index from a person to their sessions (issue 20 part 5). The sessions themselves live in
    the cache with a database copy (cached_db), which cannot be searched by user: this row is
    how "Sesi aktif" lists them and how a role change ends them (units.sessions)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("pengguna")
    )
    session_key = models.CharField(_("kunci sesi"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("masuk"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("terakhir aktif"), default=timezone.now)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sesi pengguna")
        verbose_name_plural = _("sesi pengguna")
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="usersession_user_seen_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
