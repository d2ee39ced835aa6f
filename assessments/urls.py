from django.urls import include, path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/worksheet/", views.worksheet_view, name="worksheet"),
    path("assessments/<int:pk>/answers/<int:question_pk>/", views.answer_save, name="answer_save"),
    path("assessments/<int:pk>/returns/<int:question_pk>/", views.item_return, name="item_return"),
    path("assessments/<int:pk>/summary/", views.summary, name="summary"),
    path("assessments/<int:pk>/transition/<str:name>/", views.transition, name="transition"),
    path(
        "assessments/<int:pk>/history/<int:question_pk>/",
        views.answer_history,
        name="answer_history",
    ),
    path("assessments/<int:pk>/release-tpn/", views.release_tpn, name="release_tpn"),
    path("queue/", views.queue, name="queue"),
    path("", include("assessments.urls_evidence")),
    path("", include("assessments.urls_stages")),
]
