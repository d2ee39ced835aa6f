from django.urls import path

from units import views, views_sessions

app_name = "units"

urlpatterns = [
    path("units/", views.unit_list, name="list"),
    path("units/import/", views.unit_import, name="import"),
    path("units/<str:code>/", views.unit_detail, name="detail"),
    path("akun/sesi/", views_sessions.session_list, name="sessions"),
    path("akun/sesi/<int:pk>/akhiri/", views_sessions.session_end, name="session_end"),
    path(
        "akun/sesi/akhiri-lainnya/",
        views_sessions.sessions_end_others,
        name="sessions_end_others",
    ),
    path("people/", views.people, name="people"),
    path("audit/", views.audit_log, name="audit"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/memberships/", views.membership_add, name="membership_add"),
    path(
        "people/<int:pk>/memberships/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
]
