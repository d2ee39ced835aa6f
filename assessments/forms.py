"""Parsing of worksheet answers and workflow actions (the engine validates the values again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from core.text import NOTE_MAX


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_lazy("Catatan"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    override_note = forms.CharField(
        label=_lazy("Justifikasi (jika nilai belum memenuhi aturan)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sk_number = forms.CharField(label=_lazy("Nomor SK penetapan"), required=False, max_length=120)
    sk_date = forms.DateField(label=_lazy("Tanggal SK penetapan"), required=False)
    links = forms.CharField(
        label=_lazy("Tautan data dukung (satu per baris)"),
        required=False,
        max_length=2600,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
