"""The "Sesi aktif" page (akun/sesi/): a person's own sessions, each ended from here. Only one's
own: another person's session is a 404 (the row is looked up among the requester's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.pagination import page_of
from units import sessions


@require_GET
def session_list(request):
    page = page_of(sessions.sessions_of(request.user), request.GET.get("page"))
    context = {"page": page, "current_key": request.session.session_key}
    return render(request, "units/sessions.html", context)


@require_POST
def session_end(request, pk):
    row = get_object_or_404(sessions.sessions_of(request.user), pk=pk)
    if row.session_key == request.session.session_key:
        logout(request)  # ending this device's session is signing out
        return redirect("login")
    sessions.session_end(session=row, by=request.user)
    messages.success(request, _("Sesi diakhiri."))
    return redirect("units:sessions")


@require_POST
def sessions_end_others(request):
    count = sessions.sessions_end_others(user=request.user, keep_key=request.session.session_key)
    messages.success(request, _("Sesi lain yang diakhiri: %(count)d.") % {"count": count})
    return redirect("units:sessions")
