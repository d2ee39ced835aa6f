from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationSettingsForm(forms.Form):
    email_muted = forms.BooleanField(
        label=_("Bisukan email notifikasi"),
        required=False,
        help_text=_("Notifikasi tetap muncul di kotak masuk portal."),
    )
