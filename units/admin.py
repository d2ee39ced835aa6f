from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from units import services
from units.models import Membership, Unit, User
from units.permissions import is_admin


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "is_active")
    list_filter = ("kind", "is_active", "province")
    search_fields = ("code", "name")
    readonly_fields = ("code", "kind", "parent", "path", "depth")
    list_select_related = ("parent",)

    def has_add_permission(self, request):
        # New units enter through the import (portal page or `import_units`), which checks the
        # tree rules and keeps the materialised path right.
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: assessments and history refer to units

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_admin(request.user)

    def save_model(self, request, obj, form, change):
        # Through the service, so the unit's reports are made afresh (content version).
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        services.unit_update(unit=obj, by=request.user, **changed)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("full_name",)
    list_display = ("email", "full_name", "nip", "is_active", "is_staff")
    search_fields = ("email", "full_name", "nip")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identitas"), {"fields": ("full_name", "nip")}),
        (_("Akses"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ("is_active", "is_staff")


# Second-factor devices are managed in the portal only (units/second_factor.py): django-otp's
# own admin would show each person's TOTP secret and QR code to any superuser, and a device
# deleted there would bypass the audited reset on the person's page.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


# The audit log is evidence: nobody deletes entries, not even a superuser in the Django admin.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ImmutableLogEntryAdmin(LogEntryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False
