"""The unit's survey pages (signed in): its surveys, services, one-time codes and posters."""

from django.urls import path

from surveys import views_manage as views

urlpatterns = [
    path("units/<str:code>/survei/", views.unit_surveys, name="manage_unit"),
    path("units/<str:code>/survei/baru/", views.survey_create, name="manage_create"),
    path("units/<str:code>/layanan/", views.service_add, name="manage_service_add"),
    path(
        "units/<str:code>/layanan/<int:pk>/",
        views.service_change,
        name="manage_service_change",
    ),
    path("survei-unit/<int:pk>/", views.survey_detail, name="manage_detail"),
    path("survei-unit/<int:pk>/ubah/", views.survey_edit, name="manage_edit"),
    path("survei-unit/<int:pk>/tutup/", views.survey_close, name="manage_close"),
    path("survei-unit/<int:pk>/kode/", views.codes_issue, name="manage_codes_issue"),
    path("survei-unit/<int:pk>/kode/<int:batch>.csv", views.codes_csv, name="manage_codes_csv"),
    path("survei-unit/<int:pk>/kode/<int:batch>.pdf", views.codes_pdf, name="manage_codes_pdf"),
    path("survei-unit/<int:pk>/poster.pdf", views.poster, name="manage_poster"),
]
