"""Every URL of the URLconf × every persona, with the status each must get.

The table is checked against the URLconf: a new URL without a row here fails the suite.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from areas.services import version_copy
from assessments.evidence.services import evidence_upload
from assessments.models import PredicateAward, Status
from assessments.worksheet.offline import apply
from notifications.models import Notification
from reports.models import ReportJob
from surveys.models import Service
from surveys.services import codes_issue
from tests.assessments.test_evidence_files import make_pdf
from tests.factories import AssessmentFactory, PeriodFactory, SurveyFactory

ANON_REDIRECT = "login"  # LoginRequiredMiddleware sends anonymous visitors to the login page
ROLES = ["outsider", "operator", "operator_b", "pimpinan", "reviewer", "tpi", "tpn", "admin"]


def everyone(status):
    return {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, status)}


def admin_only(status=200):
    return {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 403), "admin": status}


def api(spec):
    """An API row: the anonymous get 401 (the API authenticates each request, no redirect)."""
    return {**spec, "anonymous": 401}


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

# Unit A's assessment in Pencanangan: TPN sees assessments only once proposed to TPN.
UNIT_A_PENCANANGAN = {**UNIT_A_SCOPE, "tpn": 404}


def unit_a_assessment(in_scope, **overrides):
    return {
        "anonymous": ANON_REDIRECT,
        "outsider": 404,
        "operator_b": 404,
        "tpn": 404,
        **dict.fromkeys(["operator", "pimpinan", "reviewer", "tpi", "admin"], in_scope),
        **overrides,
    }


# Running unit A's surveys: its operator, pimpinan and the admin; readers in scope get 403.
def unit_a_surveys(status):
    return {**UNIT_A_SCOPE, "reviewer": 403, "tpi": 403, "tpn": 403,
            **dict.fromkeys(["operator", "pimpinan", "admin"], status)}  # fmt: skip


OWN_JOB = {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 404), "operator": 200, "admin": 200}

# name: (method, kwargs from the world (tree, personas, lke, draft), POST data, expected)
MATRIX = {
    "home": ("get", None, None, everyone(200)),
    "healthz": ("get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}),
    # Prometheus only (a token or an allowed address; none in tests): 404 to every person,
    # signed in or not, as an unknown URL (tests/test_metrics_access.py).
    "metrics": ("get", None, None, {"anonymous": 404, **dict.fromkeys(ROLES, 404)}),
    "login": ("get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}),
    "logout": ("post", None, {}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    # SSO is off in the test settings: its two pages answer 404 to everyone (tests/oidc/).
    "oidc_authentication_init": ("get", None, None, {**everyone(404), "anonymous": 404}),
    "oidc_authentication_callback": ("get", None, None, {**everyone(404), "anonymous": 404}),
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
    "units:audit": ("get", None, None, admin_only()),
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
    # --- second factor (issue 20 part 3); a fully signed-in session: verify sends it on ---
    "second_factor:verify": ("get", None, None, everyone(302)),
    "second_factor:enrol": ("get", None, None, everyone(200)),
    "second_factor:security": ("get", None, None, everyone(200)),
    "second_factor:disable": ("post", None, {}, everyone(302)),
    "second_factor:recovery_codes": ("post", None, {}, everyone(302)),
    "second_factor:reset": (
        "post", lambda w: {"pk": w.personas["operator"].pk}, {}, admin_only(302),
    ),  # fmt: skip
    # --- a person's own sessions (issue 20 part 5) ---
    "units:sessions": ("get", None, None, everyone(200)),
    "units:session_end": (  # another session of the operator's own: anyone else gets 404
        "post", lambda w: {"pk": _operator_session(w).pk}, {},
        {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 404), "operator": 302},
    ),
    "units:sessions_end_others": ("post", None, {}, everyone(302)),
    # --- API tokens and service accounts (issue 19 part 3): pages, not /api/v1/ ---
    "api_tokens:tokens": ("get", None, None, everyone(200)),
    "api_tokens:token_revoke": (  # the operator's own token: anyone else gets 404
        "post", lambda w: {"pk": _operator_token(w).pk}, {},
        {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 404), "operator": 302},
    ),
    "api_tokens:service_accounts": ("get", None, None, admin_only()),
    "api_tokens:service_account_create": ("get", None, None, admin_only()),
    "api_tokens:service_account": ("get", lambda w: {"pk": _service(w).pk}, None, admin_only()),
    "api_tokens:service_token_revoke": (
        "post", lambda w: {"pk": _service(w).pk, "token_pk": _service_token(w).pk}, {},
        admin_only(302),
    ),
    "api_tokens:service_account_deactivate": (
        "post", lambda w: {"pk": _service(w).pk}, {}, admin_only(302),
    ),
    # --- end API tokens ---
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
    # assessments: workflow, worksheet, queues
    "assessments:detail": ("get", lambda w: {"pk": w.assessment.pk}, None, UNIT_A_PENCANANGAN),
    "assessments:worksheet": ("get", lambda w: {"pk": w.assessment.pk}, None, UNIT_A_PENCANANGAN),
    "assessments:summary": ("get", lambda w: {"pk": w.assessment.pk}, None, UNIT_A_PENCANANGAN),
    "assessments:answer_history": (
        "get", lambda w: {"pk": w.assessment.pk, "question_pk": w.question.pk}, None,
        UNIT_A_PENCANANGAN,
    ),
    "assessments:answer_save": (
        "post", lambda w: {"pk": w.building.pk, "question_pk": w.question.pk}, {"value": "Ya"},
        unit_a_assessment(403, operator=302),
    ),
    "assessments:lke_fill": (
        # The unit's operator may (refused in place: no survey fills P1.1.a); no one else.
        "post", lambda w: {"pk": w.building.pk, "question_pk": w.question.pk}, {},
        unit_a_assessment(403, operator=302),
    ),
    # the offline LKE workbook: only who writes a layer now (the operator while building)
    "assessments:lke_xlsx": (
        "get", lambda w: {"pk": w.building.pk}, None, unit_a_assessment(403, operator=200),
    ),
    "assessments:lke_xlsx_upload": (
        "get", lambda w: {"pk": w.building.pk}, None, unit_a_assessment(403, operator=200),
    ),
    "assessments:lke_xlsx_preview": (  # an upload is its owner's only
        "get", lambda w: {"pk": w.building.pk, "token": w.workbook_upload.token}, None,
        {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 404), "operator": 200},
    ),
    "assessments:item_return": (
        "post", lambda w: {"pk": w.building.pk, "question_pk": w.question.pk}, {"note": "x"},
        unit_a_assessment(403),
    ),
    "assessments:transition": (
        # The Pimpinan may; the step is refused for its content (no declaration yet): the page
        # comes back with the note typed (400), never a 403.
        "post", lambda w: {"pk": w.assessment.pk, "name": "confirm_declaration"}, {"note": "x"},
        unit_a_assessment(403, pimpinan=400),
    ),
    "assessments:release_tpn": (
        "post", lambda w: {"pk": w.assessment.pk}, {"released": "1"},
        unit_a_assessment(403, admin=302),
    ),
    "assessments:queue": ("get", None, None, everyone(200)),
    # periods and stage pages
    "assessments:periods": ("get", None, None, admin_only()),
    "assessments:period_create": ("get", None, None, admin_only()),
    "assessments:period_detail": ("get", lambda w: {"pk": w.period.pk}, None, admin_only()),
    "assessments:period_open_units": ("get", lambda w: {"pk": w.period.pk}, None, admin_only()),
    "assessments:proposals": ("get", lambda w: {"pk": w.period.pk}, None, admin_only()),
    "assessments:proposals_export": ("get", lambda w: {"pk": w.period.pk}, None, admin_only()),
    "assessments:declaration": ("get", lambda w: {"pk": w.assessment.pk}, None, UNIT_A_PENCANANGAN),
    "assessments:work_plan": ("get", lambda w: {"pk": w.assessment.pk}, None, UNIT_A_PENCANANGAN),
    "assessments:field_visits": ("get", lambda w: {"pk": w.proposed.pk}, None, UNIT_A_SCOPE),
    "assessments:tpn_decisions": ("get", lambda w: {"pk": w.proposed.pk}, None, UNIT_A_SCOPE),
    # Without a file the form is refused (400): only the admin gets that far.
    "assessments:selection_import": ("post", lambda w: {"pk": w.period.pk}, {}, admin_only(400)),
    "assessments:period_appeal_window": (
        "post", lambda w: {"pk": w.period.pk},
        {"appeal_opens": "2026-09-01", "appeal_closes": "2026-09-05"}, admin_only(302),
    ),
    # Public: the awarded units of each year, without signing in.
    "assessments:public_awards": (
        "get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}
    ),
    "assessments:public_awards_csv": (
        "get", None, None, {"anonymous": 200, **dict.fromkeys(ROLES, 200)}
    ),
    "assessments:unit_awards": (
        "get", lambda w: {"code": w.tree.kankemenag_a.code}, None, UNIT_A_SCOPE
    ),
    "assessments:award_revoke": (
        "post",
        lambda w: {"pk": w.award.pk},
        {"reason": "Pencabutan uji", "source": "media", "decided_on": "2026-11-30"},
        admin_only(302),
    ),
    # evidence
    "assessments:evidence_list": (
        "get", lambda w: {"pk": w.assessment.pk}, {"kind": "piagam"}, unit_a_assessment(200)
    ),
    "assessments:evidence_upload": (
        "post", lambda w: {"pk": w.assessment.pk}, {"kind": "piagam"},
        unit_a_assessment(403, operator=302),
    ),
    "assessments:evidence_link": (
        "post", lambda w: {"pk": w.assessment.pk},
        {"kind": "piagam", "url": "https://kemenag.go.id/"}, unit_a_assessment(403, operator=302),
    ),
    "assessments:item_comment": (
        "post", lambda w: {"pk": w.assessment.pk, "question_pk": w.question.pk},
        {"thread": "preliminary", "body": "Halo"},
        unit_a_assessment(403, operator=302, pimpinan=302, reviewer=302),
    ),
    "assessments:answers_accept": (
        "post", lambda w: {"pk": w.assessment.pk}, {"scope": "tab", "key": "1", "tab": "1"},
        unit_a_assessment(403),
    ),
    "assessments:evidence_verdict_bulk": (
        "post", lambda w: {"pk": w.assessment.pk}, {"tab": "1", "verdict": "complete"},
        unit_a_assessment(403),
    ),
    "assessments:evidence_attach": (
        "post", lambda w: {"pk": w.assessment.pk},
        lambda w: {"question": w.question.pk, "source": w.evidence.pk},
        unit_a_assessment(403, operator=302),
    ),
    "assessments:evidence_carry": (
        "post", lambda w: {"pk": w.assessment.pk},
        lambda w: {"requirement": w.question.evidence_requirements.first().pk,
                   "source": w.evidence.pk},
        unit_a_assessment(403, operator=302),
    ),
    "assessments:evidence_remove": (
        "post", lambda w: {"pk": w.assessment.pk, "evidence_pk": w.evidence.pk}, {},
        unit_a_assessment(403, operator=302),
    ),
    "assessments:evidence_verdict": (
        "post", lambda w: {"pk": w.assessment.pk, "evidence_pk": w.evidence.pk},
        {"verdict": "complete"}, unit_a_assessment(403),
    ),
    "assessments:evidence_download": (
        "get", lambda w: {"pk": w.assessment.pk, "evidence_pk": w.evidence.pk}, None,
        unit_a_assessment(200),
    ),
    "assessments:evidence_policy": ("get", None, None, admin_only()),
    # notifications
    "notifications:inbox": ("get", None, None, everyone(200)),
    "notifications:open": (
        "get", lambda w: {"pk": w.notification.pk}, None,
        {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 404), "operator": 302},
    ),
    "notifications:read_all": ("post", None, {}, everyone(302)),
    "notifications:settings": ("get", None, None, everyone(200)),
    "dashboards:home": (
        "get", None, None,
        {"anonymous": ANON_REDIRECT, **dict.fromkeys(ROLES, 403), "admin": 200, "reviewer": 200,
         "tpi": 200},
    ),
    # reports: a job is private to its requester (operator) and admins
    "reports:list": ("get", None, None, everyone(200)),
    "reports:request": (
        "post", None, {"kind_of_report": "evidence_zip", "assessment": "0"}, everyone(302)
    ),
    "reports:detail": ("get", lambda w: {"pk": w.job.pk}, None, OWN_JOB),
    "reports:download": ("get", lambda w: {"pk": w.job.pk}, None, OWN_JOB),
    # the LHE narrative: only the writer of an open reviewer layer (none in Pencanangan)
    "reports:narrative": ("get", lambda w: {"pk": w.assessment.pk}, None, unit_a_assessment(403)),
    # the public verification page: no login; an unknown code is a 404 for everyone
    "reports:verify": (
        "get", lambda w: {"code": "tidak-dikenal-0000000000"}, None,
        {"anonymous": 404, **dict.fromkeys(ROLES, 404)},
    ),
    # the public survey from a unit's QR code: no login, the same page for everyone
    "surveys:take": (
        "get", lambda w: {"token": w.survey.token}, None,
        {"anonymous": 200, **dict.fromkeys(ROLES, 200)},
    ),
    "surveys:thanks": (
        "get", lambda w: {"token": w.survey.token}, None,
        {"anonymous": 200, **dict.fromkeys(ROLES, 200)},
    ),
    # --- surveys, reports part (issue 18): unit A's survey results and its follow-up plan ---
    "surveys:results": ("get", lambda w: {"pk": w.survey.pk}, None, UNIT_A_SCOPE),
    "surveys:follow_up": (
        "post", lambda w: {"pk": w.survey.pk},
        lambda w: {"question": w.survey.instrument.questions.get(code="U8").pk,
                   "action": "Rapat evaluasi", "progress": "10"},
        unit_a_assessment(403, operator=302, pimpinan=302, admin=302, tpn=403),
    ),
    # --- end surveys, reports part ---
    # a unit's surveys: read in the unit's scope, run by its own staff (and the admin)
    "surveys:manage_unit": (
        "get", lambda w: {"code": w.tree.kankemenag_a.code}, None, UNIT_A_SCOPE
    ),
    "surveys:manage_create": (
        "get", lambda w: {"code": w.tree.kankemenag_a.code}, None, unit_a_surveys(200)
    ),
    "surveys:manage_service_add": (
        "post", lambda w: {"code": w.tree.kankemenag_a.code}, {"name": "Loket baru"},
        unit_a_surveys(302),
    ),
    "surveys:manage_service_change": (
        "post", lambda w: {"code": w.tree.kankemenag_a.code, "pk": w.service.pk},
        {"action": "deactivate"}, unit_a_surveys(302),
    ),
    "surveys:manage_detail": ("get", lambda w: {"pk": w.survey.pk}, None, UNIT_A_SCOPE),
    "surveys:manage_edit": ("get", lambda w: {"pk": w.survey.pk}, None, unit_a_surveys(200)),
    "surveys:manage_close": ("post", lambda w: {"pk": w.survey.pk}, {}, unit_a_surveys(302)),
    "surveys:manage_codes_issue": (
        "post", lambda w: {"pk": w.survey.pk}, {"count": "2"}, unit_a_surveys(302)
    ),
    "surveys:manage_codes_csv": (
        "get", lambda w: {"pk": w.survey.pk, "batch": 1}, None, unit_a_surveys(200)
    ),
    "surveys:manage_codes_pdf": (
        "get", lambda w: {"pk": w.survey.pk, "batch": 1}, None, unit_a_surveys(200)
    ),
    "surveys:manage_poster": ("get", lambda w: {"pk": w.survey.pk}, None, UNIT_A_SCOPE),
    # --- API (issue 19): the same scopes as the pages; no session, no token: 401 ---
    "api:units": ("get", None, None, api(everyone(200))),
    "api:unit": ("get", lambda w: {"code": w.tree.kankemenag_a.code}, None, api(UNIT_A_SCOPE)),
    "api:periods": ("get", None, None, api(everyone(200))),
    "api:period": ("get", lambda w: {"year": w.period.year}, None, api(everyone(200))),
    "api:assessments": ("get", None, None, api(everyone(200))),
    "api:assessment": ("get", lambda w: {"pk": w.assessment.pk}, None, api(UNIT_A_PENCANANGAN)),
    "api:answers": ("get", lambda w: {"pk": w.assessment.pk}, None, api(UNIT_A_PENCANANGAN)),
    "api:answer_save": (
        # The test client's PUT body is not JSON: whoever may write the layer gets as far as
        # reading it (415); everyone else in scope is refused before (403).
        "put", lambda w: {"pk": w.building.pk, "code": w.question.code}, None,
        api(unit_a_assessment(403, operator=415)),
    ),
    "api:evidence": ("get", lambda w: {"pk": w.assessment.pk}, None, api(unit_a_assessment(200))),
    # the file itself, through the page's own download (the same checks)
    "api:evidence_file": (
        "get", lambda w: {"pk": w.assessment.pk, "evidence_id": w.evidence.pk}, None,
        api(unit_a_assessment(200)),
    ),
    "api:awards": ("get", None, None, api(everyone(200))),
    # the national readiness report's rows: whoever may request the report (the admin)
    "api:readiness": ("get", None, lambda w: {"period": w.period.year}, api(admin_only())),
    "api:schema": ("get", None, None, api(everyone(200))),
    "api:docs": ("get", None, None, everyone(200)),
}  # fmt: skip


def _operator_token(world):
    from api.services import token_create

    operator = world.personas["operator"]
    return token_create(user=operator, name="matrix", expires_at=None, by=operator)[0]


def _operator_session(world):
    """Another browser's session of the operator (the row and the stored session)."""
    from importlib import import_module

    from django.conf import settings

    from units.models import UserSession

    stored = import_module(settings.SESSION_ENGINE).SessionStore()
    stored.create()
    operator = world.personas["operator"]
    return UserSession.objects.create(user=operator, session_key=stored.session_key)


def _service(world):
    """Made when a row asks (the world is shared by every row)."""
    from api.services import service_account_create

    if not hasattr(world, "service_account"):
        world.service_account = service_account_create(
            full_name="Dasbor uji", email="", description="", role="reviewer",
            unit=world.tree.kanwil_a, by=world.personas["admin"],
        )  # fmt: skip
    return world.service_account


def _service_token(world):
    from api.services import service_token_create

    return service_token_create(
        account=_service(world), name="matrix", expires_at=None, by=world.personas["admin"]
    )[0]


@pytest.fixture
def world(tree, personas, lke, storage):
    draft = version_copy(version=lke, by=personas["admin"])
    period = PeriodFactory(year=2026, lke_version=lke)
    assessment = AssessmentFactory(period=period, unit=tree.kankemenag_a)
    building = AssessmentFactory(
        period=PeriodFactory(year=2027, lke_version=lke), unit=tree.kankemenag_a,
        status=Status.PEMBANGUNAN,
    )  # fmt: skip
    survey = SurveyFactory(  # unit A's survey, open today, with one-time codes
        period=period,
        unit=tree.kankemenag_a,
        uses_codes=True,
        opens_on=timezone.localdate() - timedelta(days=1),
        closes_on=timezone.localdate() + timedelta(days=1),
    )
    codes_issue(survey=survey, count=2, by=personas["operator"])
    evidence = evidence_upload(
        assessment=assessment, kind="piagam", by=personas["operator"],
        uploaded_file=SimpleUploadedFile("piagam.pdf", make_pdf()),
    )  # fmt: skip
    return SimpleNamespace(
        tree=tree, personas=personas, lke=lke, draft=draft, period=period,
        assessment=assessment, building=building, evidence=evidence, survey=survey,
        service=Service.objects.create(unit=tree.kankemenag_a, name="Pelayanan Haji"),
        question=lke.questions.get(code="P1.1.a"),
        proposed=AssessmentFactory(period=period, unit=tree.madrasah_a, status=Status.PROPOSED),
        award=PredicateAward.objects.create(
            unit=tree.kankemenag_a, year=2024, predicate="WBK", sk_number="SK-1"
        ),
        job=ReportJob.objects.create(
            kind="evidence_zip", params={"assessment": assessment.pk},
            requested_by=personas["operator"], status="done", sha256="0" * 64, size=2,
            filename="x.zip", content_type="application/zip",
            file=default_storage.save("reports/x.zip", ContentFile(b"PK")),
        ),
        workbook_upload=apply.upload_keep(
            assessment=building, layer="self", by=personas["operator"], changes=[]
        ),
        notification=Notification.objects.create(
            user=personas["operator"], kind="test", title="Uji", url="/"
        ),
    )  # fmt: skip


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


def data_of(data, world) -> dict:
    """A row's request data: a dict, or a function of the world (for ids made per test)."""
    return (data(world) if callable(data) else data) or {}


def test_every_url_has_a_rule_in_the_matrix():
    assert set(_named_routes()) == set(MATRIX)


CASES = [(name, persona) for name, spec in MATRIX.items() for persona in spec[3]]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_url_role_status(name, persona, client_for, world):
    method, kwargs, data, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    client = client_for(persona)
    response = getattr(client, method)(url, data_of(data, world))
    want = expected[persona]
    if want == ANON_REDIRECT:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == want, response.content[:300]


# The report kinds asked for through reports:request, per persona: whether a job is made
# (True), or the request is refused with a message (False). Unit A's proposed madrasah: every
# role in its scope gets its workbook; the period's ZIPs are for the admin and TPN.
WORKBOOK_REQUESTS = {
    "lke_workbook": (
        lambda w: {"assessment": w.proposed.pk},
        {**dict.fromkeys(ROLES, True), "outsider": False, "operator_b": False},
    ),
    "lke_workbook_zip": (
        lambda w: {"period": w.period.year},
        {**dict.fromkeys(ROLES, False), "tpn": True, "admin": True},
    ),
    # the package for KemenPAN-RB: the same readers as the LKE workbooks of the proposed units
    "pmpzi_export": (
        lambda w: {"period": w.period.year},
        {**dict.fromkeys(ROLES, False), "tpn": True, "admin": True},
    ),
    # whoever reads unit A's survey gets its report
    "survey_report": (
        lambda w: {"survey": w.survey.pk, "format": "csv"},
        {**dict.fromkeys(ROLES, True), "outsider": False, "operator_b": False},
    ),
    # its one-time codes as slips: only those who run the unit's surveys
    "survey_codes": (
        lambda w: {"survey": w.survey.pk, "batch": "1"},
        {**dict.fromkeys(ROLES, False), "operator": True, "pimpinan": True, "admin": True},
    ),
}
REQUEST_CASES = [(kind, persona) for kind, spec in WORKBOOK_REQUESTS.items() for persona in spec[1]]


@pytest.mark.parametrize(
    ("kind", "persona"), REQUEST_CASES, ids=[f"{k}-{p}" for k, p in REQUEST_CASES]
)
def test_report_kind_role_outcome(kind, persona, client_for, world):
    params, expected = WORKBOOK_REQUESTS[kind]
    response = client_for(persona).post(
        reverse("reports:request"), {"kind_of_report": kind, **params(world)}
    )
    assert response.status_code == 302
    made = ReportJob.objects.filter(kind=kind, requested_by=world.personas[persona]).exists()
    assert made is expected[persona]
