from django.urls import path

from reports import views_dashboards

app_name = "dashboards"

urlpatterns = [
    path("dashboard/", views_dashboards.dashboard, name="home"),
]
