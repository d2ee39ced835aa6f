from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from assessments import views as assessment_views
from core import ratelimits
from core import views as core_views
from core.ratelimits import rate_limited
from units import views_oidc
from units.forms import LoginForm

admin.site.site_header = "ZI Portal"
admin.site.site_title = "ZI Portal"

# Every page reachable without logging in is rate-limited (core/ratelimits.py); the two
# login forms, the portal's and the Django admin's, share one counter.
admin.site.login = rate_limited("login", *ratelimits.LOGIN)(admin.site.login)

urlpatterns = [
    path("", assessment_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path(
        "accounts/login/",
        rate_limited("login", *ratelimits.LOGIN)(
            views_oidc.PortalLoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=False
            )
        ),
        name="login",
    ),
    # The one logout; it also ends the SSO provider's session when there is one (units/oidc.py).
    path("accounts/logout/", views_oidc.PortalLogoutView.as_view(), name="logout"),
    # Sign-in with SSO Kemenag: 404 while ZI_OIDC_CLIENT_ID is empty.
    path(
        "oidc/authenticate/",
        login_not_required(
            rate_limited("login", *ratelimits.LOGIN)(views_oidc.SignInStart.as_view())
        ),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        login_not_required(
            rate_limited("login", *ratelimits.LOGIN)(views_oidc.SignInCallback.as_view())
        ),
        name="oidc_authentication_callback",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password_reset/",
        rate_limited("password_reset", *ratelimits.PASSWORD_RESET)(
            auth_views.PasswordResetView.as_view()
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        rate_limited("public", ratelimits.PUBLIC)(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        rate_limited("password_reset_confirm", *ratelimits.PASSWORD_RESET_CONFIRM)(
            auth_views.PasswordResetConfirmView.as_view()
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        rate_limited("public", ratelimits.PUBLIC)(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "i18n/setlang/",
        core_views.language_set,
        name="set_language",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("units.urls")),
    path("", include("units.urls_second_factor")),
    path("", include("areas.urls")),
    path("", include("assessments.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
    path("", include("reports.urls_dashboards")),
    path("", include("surveys.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.urls_tokens")),  # the token and service-account pages
]
if settings.ZI_BENCH_FLOOR:  # the bench's floor only, never in production (core.views)
    urlpatterns += [
        path("bench/floor/ok/", core_views.floor_view, name="bench_floor_view"),
        path("bench/floor/layout/", core_views.floor_layout, name="bench_floor_layout"),
    ]
