"""The surveys' pages: the public survey reached from a QR code (no login) and the unit's own
pages (surveys, services, codes, posters, results, follow-up)."""

from django.urls import include, path

app_name = "surveys"

urlpatterns = [
    path("", include("surveys.urls_public")),
    path("", include("surveys.urls_manage")),
    path("", include("surveys.urls_reports")),
]
