from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from units.forms import LoginForm
from zi_portal import views

admin.site.site_header = "ZI Portal"
admin.site.site_title = "ZI Portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=False
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("units.urls")),
    path("", include("areas.urls")),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("reports.urls_dashboards")),
]
