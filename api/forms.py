"""The token and service-account pages' forms. The rules (a name, a future expiry, read roles
only) are the services'; these forms read what was typed into the values they take."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.services import NAME_MAX, SERVICE_ROLES
from units.forms import MembershipForm
from units.models import Role

EXPIRY_DAYS = (30, 90, 365)
NEVER, ON_DATE = "never", "date"


class TokenForm(forms.Form):
    """A token's name and expiry: 30, 90 or 365 days, or a chosen date (its end, local
    time). `allow_never`: the admin may issue a service account's token without expiry; a
    person's token always expires."""

    name = forms.CharField(
        label=_("Nama token"),
        max_length=NAME_MAX,
        help_text=_("Misalnya nama aplikasi atau skrip yang memakainya."),
    )
    expiry = forms.ChoiceField(label=_("Berlaku"), initial="90")
    expires_on = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Hanya jika memilih 'sampai tanggal'."),
    )

    def __init__(self, *args, allow_never: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_never = allow_never
        choices = [(str(days), _("%(n)d hari") % {"n": days}) for days in EXPIRY_DAYS]
        choices.append((ON_DATE, _("sampai tanggal")))
        if allow_never:
            choices.append((NEVER, _("tanpa batas waktu")))
        self.fields["expiry"].choices = choices

    def clean(self):
        data = super().clean()
        choice = data.get("expiry")
        if choice == ON_DATE:
            day = data.get("expires_on")
            if day is None:
                self.add_error("expires_on", _("Pilih tanggal berakhirnya token."))
            elif day <= timezone.localdate():
                self.add_error("expires_on", _("Tanggal berlaku token harus di masa depan."))
            elif not self.allow_never and day > timezone.localdate() + datetime.timedelta(
                days=max(EXPIRY_DAYS)
            ):
                self.add_error(
                    "expires_on",
                    _("Token pribadi berlaku paling lama %(n)d hari.") % {"n": max(EXPIRY_DAYS)},
                )
        return data

    def expires_at(self) -> datetime.datetime | None:
        choice = self.cleaned_data["expiry"]
        if choice == NEVER:
            return None
        if choice == ON_DATE:
            end = datetime.datetime.combine(self.cleaned_data["expires_on"], datetime.time.max)
            return timezone.make_aware(end)
        return timezone.now() + datetime.timedelta(days=int(choice))


class ServiceAccountForm(MembershipForm):
    """A service account: who it is, and its one scope, a read role in a unit chosen by its
    code as on the people pages (units.forms.MembershipForm)."""

    full_name = forms.CharField(
        label=_("Nama akun layanan"),
        max_length=150,
        help_text=_("Misalnya: Dasbor Biro Ortala."),
    )
    email = forms.EmailField(
        label=_("Nama pengguna (bentuk email)"),
        required=False,
        help_text=_("Kosongkan untuk dibuatkan, misalnya svc-dasbor-ortala-1a2b@layanan.zi."),
    )
    description = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["full_name", "email", "description", "role", "unit_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in SERVICE_ROLES]
        self.fields["role"].help_text = _(
            "Cakupan tetap akun ini: peran baca pada unit di bawah (admin: seluruh data)."
        )
