"""Evidence (data dukung) URLs; included from assessments.urls (namespace "assessments")."""

from django.urls import path

from assessments.evidence import views

urlpatterns = [
    path("evidence/limits/", views.evidence_policy, name="evidence_policy"),
    path("assessments/<int:pk>/evidence/", views.evidence_list, name="evidence_list"),
    path("assessments/<int:pk>/evidence/upload/", views.evidence_upload, name="evidence_upload"),
    path("assessments/<int:pk>/evidence/link/", views.evidence_link, name="evidence_link"),
    path("assessments/<int:pk>/evidence/attach/", views.evidence_attach, name="evidence_attach"),
    path("assessments/<int:pk>/evidence/carry/", views.evidence_carry, name="evidence_carry"),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/verdict/",
        views.evidence_verdict,
        name="evidence_verdict",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
]
