from django.urls import include, path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/summary/", views.summary, name="summary"),
    path("assessments/<int:pk>/transition/<str:name>/", views.transition, name="transition"),
    path("assessments/<int:pk>/release-tpn/", views.release_tpn, name="release_tpn"),
    path("queue/", views.queue, name="queue"),
    path("", include("assessments.worksheet.urls")),
    path("", include("assessments.evidence.urls")),
    path("", include("assessments.stages.urls")),
]
