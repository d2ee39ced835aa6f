from django.urls import path

from assessments.stages import views, views_national, views_public

urlpatterns = [
    path("periods/", views_national.period_list, name="periods"),
    path("periods/new/", views_national.period_create, name="period_create"),
    path("periods/<int:pk>/", views_national.period_detail, name="period_detail"),
    path("periods/<int:pk>/units/", views_national.period_open_units, name="period_open_units"),
    path("periods/<int:pk>/proposals/", views_national.proposals, name="proposals"),
    path("periods/<int:pk>/selection/", views_national.selection_import, name="selection_import"),
    path(
        "periods/<int:pk>/appeal-window/",
        views_national.period_appeal_window,
        name="period_appeal_window",
    ),
    path(
        "periods/<int:pk>/proposals.xlsx", views_national.proposals_export, name="proposals_export"
    ),
    path("assessments/<int:pk>/declaration/", views.declaration, name="declaration"),
    path("assessments/<int:pk>/work-plan/", views.work_plan, name="work_plan"),
    path("assessments/<int:pk>/field-visits/", views.field_visits, name="field_visits"),
    path("assessments/<int:pk>/tpn/", views.tpn_decisions, name="tpn_decisions"),
    path("units/<str:code>/awards/", views_national.unit_awards, name="unit_awards"),
    path("awards/<int:pk>/revoke/", views_national.award_revoke, name="award_revoke"),
    # Public, without signing in (rate-limited): the awarded units of each year.
    path("predikat/", views_public.awards, name="public_awards"),
    path("predikat.csv", views_public.awards_csv, name="public_awards_csv"),
]
