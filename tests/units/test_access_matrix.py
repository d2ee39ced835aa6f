"""Every URL of the URLconf × every persona, with the status each must get.

The table is checked against the URLconf: a new URL without a row here fails the suite.
"""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from areas.services import version_copy

ANON_REDIRECT = "login"  # LoginRequiredMiddleware sends anonymous visitors to the login page
ROLES = ["outsider", "operator", "operator_b", "pimpinan", "reviewer", "tpi", "tpn", "admin"]


def everyone(status):
    return {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, status)}


def admin_only(status=200):
    return {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 403), "admin": status}


# Kankemenag A's page: its own staff, its Kanwil reviewer and national roles see it; the
# operator of Kankemenag B and the outsider get 404 (they must not learn it exists).
UNIT_A_SCOPE = {
    "anonymous": ANON_REDIRECT,
    "outsider": 404,
    "operator": 200,
    "operator_b": 404,
    "pimpinan": 200,
    "reviewer": 200,
    "tpi": 200,
    "tpn": 200,
    "admin": 200,
}

# Published instrument: readable by anyone holding a role; the outsider has none.
WITH_ROLE = {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 200), "outsider": 404}

# name: (method, kwargs from the world (tree, personas, lke, draft), POST data, expected)
MATRIX = {
    "home": ("get", None, None, everyone(200)),
    "healthz": ("get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}),
    "login": ("get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}),
    "logout": ("post", None, {}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "password_change": ("get", None, None, everyone(200)),
    "password_change_done": ("get", None, None, everyone(200)),
    "password_reset": ("get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}),
    "password_reset_done": ("get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}),
    "password_reset_confirm": (
        "get",
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
        None,
        {"anonymous": 200, **dict.fromkeys(ROLES, 200)},
    ),
    "password_reset_complete": ("get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}),
    "set_language": (
        "post",
        None,
        {"language": "en"},
        {"anonymous": 302, **dict.fromkeys(ROLES, 302)},
    ),
    "admin:index": (
        "get",
        None,
        None,
        {"anonymous": 302, **dict.fromkeys(ROLES, 302), "admin": 200},
    ),
    "units:list": ("get", None, None, everyone(200)),
    "units:detail": ("get", lambda w: {"code": w.tree.kankemenag_a.code}, None, UNIT_A_SCOPE),
    "units:import": ("get", None, None, admin_only()),
    "units:people": ("get", None, None, admin_only()),
    "units:person_create": ("get", None, None, admin_only()),
    "units:person": ("get", lambda w: {"pk": w.personas["operator"].pk}, None, admin_only()),
    "units:membership_add": (
        "post",
        lambda w: {"pk": w.personas["operator"].pk},
        {"membership-unit_code": "NOPE", "membership-role": "operator"},
        admin_only(400),
    ),
    "units:membership_remove": (
        "post",
        lambda w: {
            "pk": w.personas["operator"].pk,
            "membership_pk": w.personas["operator"].memberships.get().pk,
        },
        {},
        admin_only(302),
    ),
    "areas:versions": ("get", None, None, everyone(200)),
    "areas:version": ("get", lambda w: {"pk": w.lke.pk}, None, WITH_ROLE),
    "areas:version_export": ("get", lambda w: {"pk": w.lke.pk}, None, WITH_ROLE),
    "areas:version_import": ("get", None, None, admin_only()),
    "areas:version_edit": ("get", lambda w: {"pk": w.draft.pk}, None, admin_only()),
    "areas:version_copy": ("post", lambda w: {"pk": w.lke.pk}, {}, admin_only(302)),
    "areas:version_publish": ("post", lambda w: {"pk": w.draft.pk}, {}, admin_only(302)),
    "areas:version_delete": ("post", lambda w: {"pk": w.draft.pk}, {}, admin_only(302)),
    "areas:rules_edit": ("get", lambda w: {"pk": w.draft.pk}, None, admin_only()),
    "areas:area_edit": ("get", lambda w: {"pk": w.draft.areas.first().pk}, None, admin_only()),
    "areas:indicator_edit": (
        "get",
        lambda w: {"pk": w.draft.indicators.first().pk},
        None,
        admin_only(),
    ),
    "areas:question_edit": (
        "get",
        lambda w: {"pk": w.draft.questions.first().pk},
        None,
        admin_only(),
    ),
}


@pytest.fixture
def world(tree, personas, lke):
    draft = version_copy(version=lke, by=personas["admin"])
    return SimpleNamespace(tree=tree, personas=personas, lke=lke, draft=draft)


def _named_routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                yield "admin:index"  # the Django admin is one gate: its index stands for it
                continue
            yield from _named_routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_rule_in_the_matrix():
    assert set(_named_routes()) == set(MATRIX)


CASES = [(name, persona) for name, spec in MATRIX.items() for persona in spec[3]]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_url_role_status(name, persona, client_for, world):
    method, kwargs, data, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    client = client_for(persona)
    response = getattr(client, method)(url, data or {})
    want = expected[persona]
    if want == ANON_REDIRECT:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == want, response.content[:300]
