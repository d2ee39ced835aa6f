from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.job_list, name="list"),
    path("reports/request/", views.job_request, name="request"),
    path("reports/<int:pk>/", views.job_detail, name="detail"),
    path("reports/<int:pk>/download/", views.job_download, name="download"),
]
