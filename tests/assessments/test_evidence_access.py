"""Evidence URLs × every persona, in the format of tests/units/test_access_matrix.py (whose
MATRIX these rows are meant to join). The assessment is unit A's, in Pencanangan: its operator
may upload; nobody may give verdicts yet; TPN does not see it (not proposed)."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from areas.services import version_copy
from assessments.evidence.services import evidence_upload
from tests.assessments.test_evidence_files import make_pdf
from tests.factories import AssessmentFactory, PeriodFactory
from tests.units.test_access_matrix import data_of

ANON_REDIRECT = "login"


def assessment_a(in_scope, **overrides):
    """Unit A's assessment: `in_scope` for its people, Kanwil A's reviewer, TPI and the admin
    unless overridden; 404 outside the scope (operator B, the outsider, and TPN before the
    unit is proposed)."""
    expected = {
        "anonymous": ANON_REDIRECT, "outsider": 404, "operator_b": 404, "tpn": 404,
        "operator": in_scope, "pimpinan": in_scope, "reviewer": in_scope, "tpi": in_scope,
        "admin": in_scope,
    }  # fmt: skip
    return {**expected, **overrides}


IN_SCOPE_READ = assessment_a(200)

EVIDENCE_MATRIX = {
    "assessments:evidence_list": (
        "get", lambda w: {"pk": w.assessment.pk}, {"kind": "piagam"}, IN_SCOPE_READ,
    ),
    "assessments:evidence_upload": (
        "post", lambda w: {"pk": w.assessment.pk}, {"kind": "piagam"},
        assessment_a(403, operator=302),
    ),
    "assessments:evidence_link": (
        "post", lambda w: {"pk": w.assessment.pk},
        {"kind": "piagam", "url": "https://kemenag.go.id/"}, assessment_a(403, operator=302),
    ),
    "assessments:evidence_attach": (
        "post", lambda w: {"pk": w.assessment.pk},
        lambda w: {"question": w.question.pk, "source": w.evidence.pk},
        assessment_a(403, operator=302),
    ),
    "assessments:evidence_remove": (
        "post", lambda w: {"pk": w.assessment.pk, "evidence_pk": w.evidence.pk}, {},
        assessment_a(403, operator=302),
    ),
    "assessments:evidence_verdict": (
        "post", lambda w: {"pk": w.assessment.pk, "evidence_pk": w.evidence.pk},
        {"verdict": "complete"}, assessment_a(403),
    ),
    "assessments:evidence_download": (
        "get", lambda w: {"pk": w.assessment.pk, "evidence_pk": w.evidence.pk}, None,
        IN_SCOPE_READ,
    ),
}  # fmt: skip


@pytest.fixture
def world(tree, personas, lke, storage):
    draft = version_copy(version=lke, by=personas["admin"])
    assessment = AssessmentFactory(
        period=PeriodFactory(year=2026, lke_version=lke), unit=tree.kankemenag_a
    )
    evidence = evidence_upload(
        assessment=assessment,
        kind="piagam",
        uploaded_file=SimpleUploadedFile("piagam.pdf", make_pdf()),
        by=personas["operator"],
    )
    return SimpleNamespace(
        tree=tree, personas=personas, lke=lke, draft=draft, assessment=assessment,
        evidence=evidence, question=lke.questions.get(code="P1.1.a"),
    )  # fmt: skip


CASES = [(name, persona) for name, spec in EVIDENCE_MATRIX.items() for persona in spec[3]]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_evidence_url_role_status(name, persona, client_for, world):
    method, kwargs, data, expected = EVIDENCE_MATRIX[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    client = client_for(persona)
    response = getattr(client, method)(url, data_of(data, world))
    want = expected[persona]
    if want == ANON_REDIRECT:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == want, response.content[:300]
