"""The evidence forms: the upload limits Admin nasional sets."""

from __future__ import annotations

from django import forms

from assessments.evidence.models import EvidencePolicy


class EvidencePolicyForm(forms.ModelForm):
    class Meta:
        model = EvidencePolicy
        fields = ["max_file_mb", "unit_quota_mb", "allowed_types"]
