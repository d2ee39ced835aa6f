"""Service accounts: made by the Admin nasional with one fixed read scope; they read the API
with a token and nothing else (no login, no password reset, no writes, no notices)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from api.models import ApiToken, ServiceAccount
from api.services import service_account_create, service_token_create
from core.errors import UnitsError
from tests.conftest import PASSWORD
from units.models import Membership, Role
from units.selectors import RoleHolders, people_list

pytestmark = pytest.mark.django_db

RAW = re.compile(r"zi_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")
LIST = "/layanan-api/"


def _create(admin_client, **data):
    form = {
        "full_name": "Dasbor Kanwil Jateng",
        "email": "svc-jateng@layanan.zi",
        "description": "Dasbor provinsi",
        "role": "reviewer",
        "unit_code": "KWA",
        **data,
    }
    return admin_client.post(reverse("api_tokens:service_account_create"), form)


def _issue(admin_client, account, **data):
    url = reverse("api_tokens:service_account", args=[account.pk])
    response = admin_client.post(url, {"name": "etl", "expiry": "never", **data})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return RAW.search(response.content.decode())[0]


def _api(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def account(personas, tree):
    return service_account_create(
        full_name="Dasbor Kanwil Jateng", email="svc-jateng@layanan.zi", description="",
        role=Role.REVIEWER, unit=tree.kanwil_a, by=personas["admin"],
    )  # fmt: skip


def test_admin_creates_an_account_and_its_token_reads_the_fixed_scope(client_for):
    admin = client_for("admin")
    response = _create(admin)
    account = ServiceAccount.objects.get()
    assert response.status_code == 302 and response.url == f"{LIST}{account.pk}/"
    user = account.user
    assert not user.has_usable_password()
    assert [(m.role, m.unit.code) for m in user.memberships.all()] == [("reviewer", "KWA")]

    raw = _issue(admin, account)
    token = ApiToken.objects.get(user=user)
    assert token.expires_at is None and token.created_by.email == "admin@example.id"
    units = _api(raw).get("/api/v1/units/").json()["results"]
    assert {row["code"] for row in units} == {"KWA", "KKA", "MINA"}
    assert _api(raw).get("/api/v1/units/KKB/").status_code == 404
    assert "Dasbor Kanwil Jateng" in admin.get(LIST).content.decode()


def test_a_generated_username_when_none_is_given(client_for):
    _create(client_for("admin"), email="")
    assert re.fullmatch(
        r"svc-dasbor-kanwil-jateng-[0-9a-f]{4}@layanan\.zi", ServiceAccount.objects.get().user.email
    )


def test_only_read_roles_are_offered(client_for, personas, tree):
    response = _create(client_for("admin"), role="operator")
    assert response.status_code == 200 and not ServiceAccount.objects.exists()
    with pytest.raises(UnitsError):
        service_account_create(
            full_name="x", email="", description="", role=Role.OPERATOR, unit=tree.kankemenag_a,
            by=personas["admin"],
        )  # fmt: skip


def test_an_unknown_unit_or_taken_username_is_refused_in_place(client_for, account):
    assert _create(client_for("admin"), unit_code="NOPE").status_code == 200
    assert _create(client_for("admin")).status_code == 200  # the same username again
    assert ServiceAccount.objects.count() == 1


def test_it_cannot_write_through_the_api(account, personas):
    admin = personas["admin"]
    _token, raw = service_token_create(account=account, name="etl", expires_at=None, by=admin)
    client = _api(raw)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/units/", {}, content_type="application/json")
        assert response.status_code == 403, method
    assert client.post("/api/v1/units/KWA/", {}).status_code == 403


def _api_paths():
    """Every /api/v1/ endpoint (but the schema and the docs), its parameters filled in: the
    permission is asked before any object is looked up."""
    from api import urls

    for pattern in urls.urlpatterns:
        if pattern.name in ("schema", "docs"):
            continue
        route = re.sub(r"<int:\w+>", "1", str(pattern.pattern))
        yield "/api/v1/" + re.sub(r"<(?:\w+:)?\w+>", "KWA", route)


def test_no_api_endpoint_takes_a_write_from_it(account, personas):
    admin = personas["admin"]
    _token, raw = service_token_create(account=account, name="etl", expires_at=None, by=admin)
    client = _api(raw)
    paths = list(_api_paths())
    assert {"/api/v1/units/", "/api/v1/units/KWA/", "/api/v1/periods/1/"} <= set(paths)
    for path in paths:
        for method in ("post", "put"):
            response = getattr(client, method)(path, {}, content_type="application/json")
            assert response.status_code == 403, (method, path)


def test_it_cannot_sign_in_nor_reset_a_password(account, client):
    user = account.user
    response = client.post(reverse("login"), {"username": user.email, "password": ""}, follow=False)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    # Even with a password set behind the portal's back, the login backend refuses it.
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    user.set_unusable_password()
    user.save()
    client.post(reverse("password_reset"), {"email": user.email})
    assert mail.outbox == []


def test_a_session_of_a_service_account_reads_no_api(account, client):
    client.force_login(account.user)
    assert client.get("/api/v1/units/").status_code == 401


def test_it_is_neither_a_person_to_manage_nor_told_of_work(account, personas, tree, client_for):
    assert account.user not in people_list(personas["admin"])
    holders = RoleHolders(units=[tree.kankemenag_a], roles=[Role.REVIEWER])
    assert holders.of(tree.kankemenag_a, [Role.REVIEWER]) == [personas["reviewer"]]
    person_page = reverse("units:person", args=[account.user.pk])
    assert client_for("admin").get(person_page).status_code == 404


def test_revoking_a_token_and_deactivating_the_account(client_for, account, personas):
    admin = client_for("admin")
    first, second = _issue(admin, account), _issue(admin, account, name="cadangan")
    token = ApiToken.objects.get(user=account.user, name="etl")
    url = reverse("api_tokens:service_token_revoke", args=[account.pk, token.pk])
    assert admin.post(url).status_code == 302
    assert _api(first).get("/api/v1/units/").status_code == 401
    assert _api(second).get("/api/v1/units/").status_code == 200

    url = reverse("api_tokens:service_account_deactivate", args=[account.pk])
    assert admin.post(url).status_code == 302
    assert _api(second).get("/api/v1/units/").status_code == 401
    assert not ApiToken.objects.live().filter(user=account.user).exists()
    account.user.refresh_from_db()
    assert not account.user.is_active
    page = admin.post(reverse("api_tokens:service_account", args=[account.pk]), {"name": "x"})
    assert not RAW.search(page.content.decode())


def test_a_persons_token_cannot_be_revoked_through_a_service_account_url(
    client_for, account, personas, token_for
):
    token_for("operator")
    token = ApiToken.objects.get(user=personas["operator"])
    url = reverse("api_tokens:service_token_revoke", args=[account.pk, token.pk])
    assert client_for("admin").post(url).status_code == 404


@pytest.mark.parametrize("persona", ["operator", "reviewer", "tpi", "tpn"])
def test_non_admins_cannot_open_the_pages(persona, client_for, account):
    client = client_for(persona)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("api_tokens:service_account", args=[account.pk])).status_code == 403
    assert _create(client).status_code == 403
    assert Membership.objects.filter(user=account.user).count() == 1


@pytest.mark.parametrize("n", [1, 50])
def test_list_queries_do_not_grow_with_accounts(
    n, client_for, personas, tree, django_assert_max_num_queries
):
    for i in range(n):
        account = service_account_create(
            full_name=f"Sistem {i}", email="", description="", role=Role.TPI, unit=tree.pusat,
            by=personas["admin"],
        )  # fmt: skip
        service_token_create(account=account, name="t", expires_at=None, by=personas["admin"])
    client = client_for("admin")
    client.get(LIST)
    with django_assert_max_num_queries(5):
        response = client.get(LIST)
    assert response.content.decode().count("@layanan.zi") == n


@pytest.mark.parametrize("n", [1, 50])
def test_detail_queries_do_not_grow_with_tokens(
    n, client_for, account, django_assert_max_num_queries
):
    from tests.api.test_tokens_pages import tokens_of

    tokens_of(account.user, n)
    client = client_for("admin")
    url = reverse("api_tokens:service_account", args=[account.pk])
    client.get(url)
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count("<code>zi_") == n
