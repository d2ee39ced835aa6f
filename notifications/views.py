"""The user's notification inbox and e-mail preference."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import safe_target
from core.pagination import page_of
from notifications import selectors, services
from notifications.forms import NotificationSettingsForm

PAGE_SIZE = 30


@require_GET
def notification_list(request):
    page = page_of(selectors.notifications_for(request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "notifications/list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def notification_open(request, pk):
    # GET too, so the link in the e-mail marks the entry read on the way to its page.
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    url = services.notification_open(notification=notification)
    return redirect(safe_target(request, url, reverse("notifications:inbox")))


@require_POST
def notifications_read_all(request):
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    # An unticked box posts nothing: bind on POST even when the data is empty.
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"email_muted": request.user.email_muted},
    )
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(
            user=request.user, email_muted=form.cleaned_data["email_muted"]
        )
        if request.user.email_muted:
            messages.success(request, _("Email notifikasi dibisukan."))
        else:
            messages.success(request, _("Email notifikasi diaktifkan."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
