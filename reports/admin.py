from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import audit
from reports.issuing import verification_url
from reports.letterhead import LOGO_MAX_BYTES
from reports.models import IssuedDocument, Letterhead
from units.permissions import is_admin


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = ("logo", "lines")

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")  # ImageField: Pillow has opened it already
        if logo and getattr(logo, "size", 0) > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Logo paling besar 1 MB."))
        image = getattr(logo, "image", None)
        if image is not None and image.format not in ("PNG", "JPEG"):
            raise forms.ValidationError(_("Logo harus berupa PNG atau JPEG."))
        return logo


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    """The letterhead of the LHE and the certificate: one row, edited by the national admin."""

    form = LetterheadForm
    list_display = ("__str__", "updated_at")

    def has_add_permission(self, request):
        return is_admin(request.user) and not Letterhead.objects.exists()

    def has_change_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record("zi.letterhead.saved", obj, by=request.user)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """The register of issued documents (read only): find a number, open its public page."""

    list_display = ("number", "kind", "assessment", "layer", "issued_at")
    list_filter = ("kind",)
    search_fields = ("number", "assessment__unit__name", "assessment__unit__code")
    list_select_related = ("assessment__unit", "assessment__period")
    readonly_fields = ("verification_link",)
    exclude = ("code", "source_key", "data_key", "job")

    @admin.display(description=_("halaman verifikasi"))
    def verification_link(self, obj):
        return verification_url(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_module_permission(self, request):
        return is_admin(request.user)
