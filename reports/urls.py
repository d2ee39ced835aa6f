from django.urls import path

from reports import views, views_verify

app_name = "reports"

urlpatterns = [
    path("reports/", views.job_list, name="list"),
    path("reports/request/", views.job_request, name="request"),
    path("reports/<int:pk>/", views.job_detail, name="detail"),
    path("reports/<int:pk>/download/", views.job_download, name="download"),
    path("reports/assessment/<int:pk>/narrative/", views.narrative_edit, name="narrative"),
    path("v/<str:code>/", views_verify.verify, name="verify"),
]
