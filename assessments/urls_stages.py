from django.urls import path

from assessments import views_stages as views

urlpatterns = [
    path("periods/", views.period_list, name="periods"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/units/", views.period_open_units, name="period_open_units"),
    path("periods/<int:pk>/proposals/", views.proposals, name="proposals"),
    path("periods/<int:pk>/proposals.xlsx", views.proposals_export, name="proposals_export"),
    path("assessments/<int:pk>/declaration/", views.declaration, name="declaration"),
    path("assessments/<int:pk>/work-plan/", views.work_plan, name="work_plan"),
    path("assessments/<int:pk>/field-visits/", views.field_visits, name="field_visits"),
    path("units/<str:code>/awards/", views.unit_awards, name="unit_awards"),
    path("awards/<int:pk>/revoke/", views.award_revoke, name="award_revoke"),
]
