from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("units/", views.unit_list, name="list"),
    path("units/import/", views.unit_import, name="import"),
    path("units/<str:code>/", views.unit_detail, name="detail"),
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
