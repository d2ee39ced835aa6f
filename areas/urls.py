from django.urls import path

from areas import views

app_name = "areas"

urlpatterns = [
    path("lke/", views.version_list, name="versions"),
    path("lke/import/", views.version_import, name="version_import"),
    path("lke/<int:pk>/", views.version_detail, name="version"),
    path("lke/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("lke/<int:pk>/copy/", views.version_copy, name="version_copy"),
    path("lke/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("lke/<int:pk>/delete/", views.version_delete, name="version_delete"),
    path("lke/<int:pk>/export.xlsx", views.version_export, name="version_export"),
    path("lke/<int:pk>/rules/", views.rules_edit, name="rules_edit"),
    path("lke/areas/<int:pk>/", views.area_edit, name="area_edit"),
    path("lke/indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("lke/questions/<int:pk>/", views.question_edit, name="question_edit"),
]
