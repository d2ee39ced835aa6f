"""Forms of the stage pages: they parse and check input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import LkeVersion, VersionStatus
from assessments.stages.models import Period, RevocationSource, WorkPlanStatus
from assessments.stages.periods import DEADLINE_FIELDS, MAX_CODES_BYTES, deadline_order_errors
from core.errors import DomainError, shown
from units.models import Unit, UnitKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month (<input type="month">, "2026-03") kept as the first day of that month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


# --------------------------------------------------------------------------- periods


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Nama periode"), max_length=120)
    lke_version = forms.ModelChoiceField(
        label=_("Versi LKE"),
        queryset=LkeVersion.objects.filter(status=VersionStatus.PUBLISHED),
        help_text=_("Hanya versi yang sudah terbit."),
        error_messages={
            "invalid_choice": _("Pilih versi LKE yang sudah terbit."),
        },
    )
    tpn_quota = forms.IntegerField(
        label=_("Kuota usulan ke TPN"),
        min_value=1,
        required=False,
        help_text=_("Kosongkan jika tanpa batas."),
    )
    deadline_pencanangan = forms.DateField(label=_("Batas pencanangan"), widget=DateInput)
    deadline_pembangunan = forms.DateField(label=_("Batas penilaian mandiri"), widget=DateInput)
    deadline_penilaian = forms.DateField(label=_("Batas penilaian internal"), widget=DateInput)
    deadline_pengusulan = forms.DateField(label=_("Batas pengusulan ke TPN"), widget=DateInput)
    deadline_evaluasi = forms.DateField(label=_("Batas evaluasi TPN"), widget=DateInput)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Period.objects.filter(year=year).exists():
            raise forms.ValidationError(
                _("Periode tahun %(year)s sudah ada."), params={"year": year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        errors = deadline_order_errors({name: cleaned.get(name) for name, _l in DEADLINE_FIELDS})
        for name, message in errors.items():
            self.add_error(name, message)
        return cleaned

    def deadlines(self) -> dict:
        return {name: self.cleaned_data[name] for name, _label in DEADLINE_FIELDS}


class OpenUnitsForm(forms.Form):
    """Which units take part: a subtree, narrowed by kind and province, or a list of codes."""

    root_code = forms.CharField(
        label=_("Kode unit induk"),
        max_length=32,
        required=False,
        help_text=_("Seluruh unit di bawahnya (termasuk unit itu sendiri) ikut dipilih."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Jenis unit"),
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    provinces = forms.MultipleChoiceField(
        label=_("Provinsi"), choices=(), required=False, widget=forms.SelectMultiple(
            attrs={"size": 8}
        )
    )  # fmt: skip
    codes_file = forms.FileField(
        label=_("Atau unggah CSV kode unit"),
        required=False,
        help_text=_(
            "Satu kode per baris, atau tabel dengan kolom code. Pilihan di atas diabaikan."
        ),
    )
    # Codes read from an uploaded file, carried from the preview to the confirmation.
    codes = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = (
            Unit.objects.active()
            .exclude(province="")
            .order_by("province")
            .values_list("province", flat=True)
            .distinct()
        )
        self.fields["provinces"].choices = [(p, p) for p in provinces]

    def clean_root_code(self):
        code = self.cleaned_data["root_code"].strip()
        if not code:
            return None
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit is None:
            raise forms.ValidationError(_("Unit aktif dengan kode ini tidak ditemukan."))
        return unit

    def clean(self):
        cleaned = super().clean()
        chosen = ("root_code", "kinds", "provinces", "codes_file", "codes")
        if not self.errors and not any(cleaned.get(name) for name in chosen):
            raise forms.ValidationError(
                _(
                    "Pilih unit induk, jenis unit atau provinsi, atau unggah daftar kode. Untuk "
                    "seluruh unit, isi kode unit Pusat sebagai unit induk."
                )
            )
        return cleaned

    def clean_codes_file(self):
        upload = self.cleaned_data["codes_file"]
        if upload is None:
            return None
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Gunakan berkas CSV (atau teks), satu kode per baris."))
        if upload.size > MAX_CODES_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 2 MB)."))
        return upload.read()


# --------------------------------------------------------------------------- stage 1


class DeclarationForm(forms.Form):
    declared_on = forms.DateField(label=_("Tanggal pencanangan"), required=False, widget=DateInput)
    sk_tim_number = forms.CharField(label=_("Nomor SK Tim Kerja"), max_length=120, required=False)
    sk_tim_date = forms.DateField(label=_("Tanggal SK Tim Kerja"), required=False, widget=DateInput)


def _area_choices(areas) -> list[tuple[str, str]]:
    return [("", "---------")] + [(str(a.number), f"{a.number}. {a.name}") for a in areas]


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Peran dalam tim"),
        choices=[("ketua", _("Ketua")), ("sekretaris", _("Sekretaris")), ("pokja", _("Pokja"))],
    )
    area_number = forms.TypedChoiceField(
        label=_("Pokja area"), coerce=int, empty_value=None, required=False, choices=()
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_number"].choices = _area_choices(areas)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == "pokja" and not cleaned.get("area_number"):
            self.add_error("area_number", _("Anggota pokja harus memilih area perubahan."))
        return cleaned


class ChangeAgentForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)


# --------------------------------------------------------------------------- stage 2


class WorkPlanItemForm(forms.Form):
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    area_number = forms.TypedChoiceField(label=_("Area"), coerce=int, choices=())
    activity = forms.CharField(label=_("Kegiatan"), max_length=300)
    target_month = MonthField(label=_("Bulan target"))
    person_in_charge = forms.CharField(label=_("Penanggung jawab"), max_length=150)
    status = forms.ChoiceField(label=_("Status"), choices=WorkPlanStatus.choices)
    progress = forms.IntegerField(label=_("Progres (%)"), min_value=0, max_value=100, initial=0)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_number"].choices = _area_choices(areas)


# --------------------------------------------------------------------------- stage 5


class FieldVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Tanggal kunjungan"), widget=DateInput)
    team = forms.CharField(
        label=_("Tim"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu nama per baris."),
    )
    findings = forms.CharField(label=_("Temuan"), widget=forms.Textarea(attrs={"rows": 5}))


class AwardRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        error_messages={"required": _("Alasan pencabutan wajib diisi.")},
    )  # fmt: skip
    source = forms.ChoiceField(
        label=_("Sumber laporan"), choices=RevocationSource.choices,
        error_messages={"required": _("Pilih sumber laporan yang mendasari pencabutan."),
                        "invalid_choice": _("Pilih sumber laporan yang mendasari pencabutan.")},
    )  # fmt: skip
    decided_on = forms.DateField(
        label=_("Tanggal keputusan pencabutan"), widget=DateInput,
        error_messages={"required": _("Tanggal keputusan pencabutan wajib diisi."),
                        "invalid": _("Tanggal keputusan pencabutan tidak valid.")},
    )  # fmt: skip


class SelectionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Daftar hasil seleksi TPN (CSV atau XLSX)"),
        help_text=_("Kolom: kode, hasil (Lulus / Lulus dengan catatan / Tidak lulus), catatan."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CODES_BYTES:  # refused before it is read
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 2 MB)."))
        return upload


class AppealWindowForm(forms.Form):
    appeal_opens = forms.DateField(label=_("Masa sanggah dibuka"), widget=DateInput)
    appeal_closes = forms.DateField(label=_("Masa sanggah ditutup"), widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("appeal_opens"), cleaned.get("appeal_closes")
        if opens and closes and closes < opens:
            self.add_error("appeal_closes", _("Masa sanggah ditutup setelah dibuka."))
        return cleaned


def add_refusal(form, error: DomainError) -> None:
    """Show a domain error on the form; a missing permission is a 403, not a form error."""
    form.add_error(None, shown(error))
    for problem in error.problems:
        form.add_error(None, problem)
