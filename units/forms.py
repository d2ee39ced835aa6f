from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from units import ldap
from units.models import Role, Unit, User

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau kode"), required=False, max_length=100)


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_("Kolom: code, name, kind, parent_code, province (opsional: madrasah_level)."),
    )
    dry_run = forms.BooleanField(
        label=_("Uji saja (tidak menyimpan)"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Format berkas tidak didukung: gunakan CSV atau XLSX."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 10 MB)."))
        return upload


class PersonForm(forms.ModelForm):
    """`actor`: the admin filling it in; the staff flag is offered only to those who hold it
    (units.services checks again)."""

    class Meta:
        model = User
        fields = ["full_name", "email", "nip", "is_active", "is_staff"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if not getattr(actor, "is_staff", False):
            del self.fields["is_staff"]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Email ini sudah terdaftar."))
        return email


class MembershipForm(forms.Form):
    unit_code = forms.CharField(label=_("Kode unit"), max_length=32)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)

    def clean_unit_code(self):
        code = self.cleaned_data["unit_code"].strip()
        try:
            return Unit.objects.get(code=code)
        except Unit.DoesNotExist:
            raise forms.ValidationError(_("Unit dengan kode ini tidak ditemukan.")) from None


class AuditFilterForm(forms.Form):
    content_type = forms.ModelChoiceField(
        label=_("Jenis data"), queryset=None, required=False, empty_label=_("Semua")
    )
    action = forms.ChoiceField(label=_("Tindakan"), required=False)
    actor = forms.CharField(label=_("Pelaku (nama atau email)"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, content_types, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Semua")), *actions]
        field = self.fields["content_type"]
        field.queryset = ContentType.objects.filter(pk__in=[ct.pk for ct in content_types])
        field.label_from_instance = lambda ct: capfirst(ct.model_class()._meta.verbose_name)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        return data


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Email atau kata sandi salah. Periksa kembali; huruf besar/kecil pada kata sandi "
            "berpengaruh."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin satker Anda."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
        if ldap.enabled():  # the directory also finds people by NIP (units/ldap.py)
            self.fields["username"].label = _("Email atau NIP")
            self.fields["username"].widget.attrs.pop("inputmode")

    def get_invalid_login_error(self):
        if ldap.directory_unavailable(self.request):
            return forms.ValidationError(
                _(
                    "Direktori akun (LDAP) tidak dapat dihubungi, jadi kata sandi direktori "
                    "belum dapat diperiksa. Coba lagi beberapa saat lagi; bila berlanjut, "
                    "hubungi admin portal."
                ),
                code="directory_unavailable",
            )
        if ldap.directory_conflict(self.request):
            return forms.ValidationError(
                _(
                    "Data direktori Anda tidak cocok dengan akun ZI Portal (NIP berbeda atau "
                    "tidak unik). Hubungi admin satker Anda."
                ),
                code="directory_conflict",
            )
        if ldap.directory_unknown_person(self.request):
            return forms.ValidationError(
                _(
                    "Kata sandi direktori Anda benar, tetapi Anda belum terdaftar di ZI Portal. "
                    "Minta admin satker Anda mendaftarkan akun dengan email atau NIP Anda."
                ),
                code="directory_unknown_person",
            )
        return super().get_invalid_login_error()


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        help_text=_("Enam angka dari aplikasi autentikator, atau salah satu kode pemulihan."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
