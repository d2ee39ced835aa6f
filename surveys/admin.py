"""Survey instruments in the Django admin (national admin only): a draft's questions and
answer wording are edited here, then published; a published version is read only and a
change starts from "Buat versi baru" (surveys already run keep the version they used)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import audit
from surveys.instruments import InstrumentError, instrument_new_version, instrument_publish
from surveys.models import Instrument, InstrumentQuestion
from units.permissions import is_admin


class QuestionInline(admin.TabularInline):
    model = InstrumentQuestion
    extra = 0
    fields = ("position", "code", "unsur", "text", "levels")

    def _editable(self, obj) -> bool:
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return is_admin(request.user) and self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return is_admin(request.user) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return is_admin(request.user) and self._editable(obj)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "name", "scale_max", "lke_item", "min_respondents", "published_at")
    list_filter = ("kind",)
    inlines = [QuestionInline]
    actions = ["publish", "new_version"]
    readonly_fields = ("published_at",)
    fields = (
        "kind", "version", "name", "scale_max", "lke_item", "min_respondents", "intro",
        "published_at",
    )  # fmt: skip

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_add_permission(self, request):
        return False  # versions start from the shipped ones: "Buat versi baru"

    def has_change_permission(self, request, obj=None):
        return is_admin(request.user) and (obj is None or not obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return is_admin(request.user) and obj is not None and not obj.is_published

    def get_readonly_fields(self, request, obj=None):
        return ("kind", "version", "published_at") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record("zi.survey_instrument.edited", obj, by=request.user)

    @admin.action(description=_("Terbitkan versi draf yang dipilih"))
    def publish(self, request, queryset):
        for instrument in queryset.filter(published_at__isnull=True):
            try:
                instrument_publish(instrument=instrument)
            except InstrumentError as error:
                for line in error.errors:
                    self.message_user(request, f"{instrument}: {line}", messages.ERROR)
                continue
            audit.record("zi.survey_instrument.published", instrument, by=request.user)
            self.message_user(request, _("%s diterbitkan.") % instrument, messages.SUCCESS)

    @admin.action(description=_("Buat versi baru (draf) dari yang dipilih"))
    def new_version(self, request, queryset):
        made = [instrument_new_version(instrument=i) for i in queryset]
        for draft in made:
            audit.record("zi.survey_instrument.drafted", draft, by=request.user)
        count = len(made)
        self.message_user(
            request,
            ngettext("%d versi draf dibuat.", "%d versi draf dibuat.", count) % count,
            messages.SUCCESS,
        )
