"""The pages around the API (included from zi_portal.urls, outside /api/v1/): a person's own
tokens, and the Admin nasional's service accounts. Ordinary pages: the login redirect applies."""

from django.urls import path

from api import views_tokens as views

app_name = "api_tokens"

urlpatterns = [
    path("akun/token-api/", views.tokens, name="tokens"),
    path("akun/token-api/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("layanan-api/", views.service_accounts, name="service_accounts"),
    path("layanan-api/baru/", views.service_account_create, name="service_account_create"),
    path("layanan-api/<int:pk>/", views.service_account_detail, name="service_account"),
    path(
        "layanan-api/<int:pk>/token/<int:token_pk>/cabut/",
        views.service_token_revoke,
        name="service_token_revoke",
    ),
    path(
        "layanan-api/<int:pk>/nonaktifkan/",
        views.service_account_deactivate,
        name="service_account_deactivate",
    ),
]
