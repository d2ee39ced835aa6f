"""Worksheet URLs; included from assessments.urls (namespace "assessments")."""

from django.urls import path

from assessments.worksheet import views, views_offline

urlpatterns = [
    path("assessments/<int:pk>/worksheet/", views.worksheet_view, name="worksheet"),
    path("assessments/<int:pk>/answers/<int:question_pk>/", views.answer_save, name="answer_save"),
    path("assessments/<int:pk>/returns/<int:question_pk>/", views.item_return, name="item_return"),
    path(
        "assessments/<int:pk>/comments/<int:question_pk>/",
        views.item_comment,
        name="item_comment",
    ),
    path(
        "assessments/<int:pk>/survey-fill/<int:question_pk>/",
        views.lke_fill,
        name="lke_fill",
    ),
    path("assessments/<int:pk>/answers/accept/", views.answers_accept, name="answers_accept"),
    path(
        "assessments/<int:pk>/evidence/verdicts/",
        views.evidence_verdict_bulk,
        name="evidence_verdict_bulk",
    ),
    path(
        "assessments/<int:pk>/history/<int:question_pk>/",
        views.answer_history,
        name="answer_history",
    ),
    path("assessments/<int:pk>/lke-xlsx/", views_offline.lke_xlsx_download, name="lke_xlsx"),
    path(
        "assessments/<int:pk>/lke-xlsx/upload/",
        views_offline.lke_xlsx_upload,
        name="lke_xlsx_upload",
    ),
    path(
        "assessments/<int:pk>/lke-xlsx/upload/<uuid:token>/",
        views_offline.lke_xlsx_preview,
        name="lke_xlsx_preview",
    ),
]
