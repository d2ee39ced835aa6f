from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Indicator, LkeVersion, Question

WEIGHT = {"min_value": 0, "max_digits": 7, "decimal_places": 4}


class VersionForm(forms.ModelForm):
    class Meta:
        model = LkeVersion
        fields = ["name", "regulation", "year", "notes", "revocation_bar_years"]


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "pemenuhan_weight", "reform_weight", "purpose", "examples"]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "weight"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "guidance"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
        }


CHECK = forms.CheckboxInput(attrs={"class": "form-check-input"})


class RequirementForm(forms.Form):
    """One entry of the item's evidence dictionary; an empty label drops the row. Rendered as
    a table row (templates/areas/question_form.html), so the widgets carry their classes."""

    label = forms.CharField(
        label=_("Jenis dokumen"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )  # fmt: skip
    min_count = forms.IntegerField(
        label=_("Jumlah"), min_value=1, max_value=99, initial=1,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )  # fmt: skip
    must_be_in_period = forms.BooleanField(label=_("Dalam periode"), required=False, widget=CHECK)
    must_be_signed = forms.BooleanField(label=_("Ditandatangani"), required=False, widget=CHECK)
    carry_over_allowed = forms.BooleanField(label=_("Boleh dibawa"), required=False, widget=CHECK)


RequirementFormSet = formset_factory(RequirementForm, extra=2)


class OptionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.DecimalField(
        label=_("Nilai"), min_value=0, max_value=1, max_digits=5, decimal_places=4
    )
    criteria = forms.CharField(
        label=_("Kriteria"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


OptionFormSet = formset_factory(OptionForm, extra=0)


class RuleForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput)
    minimum = forms.DecimalField(label=_("Nilai minimum"), **WEIGHT)


RuleFormSet = formset_factory(RuleForm, extra=0)


class VersionImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas XLSX hasil ekspor"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Gunakan berkas XLSX."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        return upload
