"""Forms of the unit's survey pages: they parse input; the rules live in surveys.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Period
from assessments.stages.forms import DateInput
from surveys.models import InstrumentKind
from surveys.services import MAX_CODES


class SurveyEditForm(forms.Form):
    name = forms.CharField(
        label=_("Nama survei"),
        max_length=120,
        help_text=_("Misalnya “IKM Semester I 2026”."),
    )
    opens_on = forms.DateField(label=_("Dibuka"), widget=DateInput)
    closes_on = forms.DateField(
        label=_("Ditutup"),
        widget=DateInput,
        help_text=_("Kedua tanggal di dalam tahun periode; hari terakhir ikut dihitung."),
    )
    uses_codes = forms.BooleanField(
        label=_("Pakai kode sekali pakai"),
        required=False,
        help_text=_(
            "Satu jawaban per transaksi: responden memasukkan kode dari tanda terima. "
            "Tanpa kode: satu jawaban per perangkat per hari."
        ),
    )


class SurveyForm(SurveyEditForm):
    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.filter(is_open=True).order_by("-year"),
        empty_label=None,  # the newest open period comes first, chosen
        error_messages={"invalid_choice": _("Pilih periode yang dibuka.")},
    )
    kind = forms.ChoiceField(label=_("Jenis survei"), choices=InstrumentKind.choices)
    field_order = ["period", "kind", "name", "opens_on", "closes_on", "uses_codes"]


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Nama layanan"), max_length=160)


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Jumlah kode"),
        min_value=1,
        max_value=MAX_CODES,
        initial=100,
        help_text=_("1 sampai 5000 kode per kelompok."),
    )
