"""Guessing ids: another unit's (or another person's) object is "not found", never "forbidden"
or shown, and a made-up id answers exactly like an existing one a stranger may not see.

Built on the access matrix (tests/units/test_access_matrix.py), which holds every URL of the
URLconf and, for unit A's objects, the status of unit B's operator and of the outsider.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from assessments.evidence.services import evidence_upload
from assessments.models import Evidence, Status
from reports.models import ReportJob
from tests.assessments.test_evidence_files import make_pdf
from tests.factories import AssessmentFactory
from tests.units.test_access_matrix import MATRIX, ROLES, data_of
from tests.units.test_access_matrix import world as world  # noqa: F401 (the fixture)

# URLs with an id that is not one unit's data: the published instrument, the reset link, and
# the public survey (its unguessable token is on a poster at the desk; tested below), and the
# programme's periods in the API.
NOT_UNIT_DATA = {
    "areas:version", "areas:version_export", "password_reset_confirm",
    "surveys:take", "surveys:thanks", "api:period",
}  # fmt: skip
OBJECT_URLS = sorted(name for name, spec in MATRIX.items() if spec[1] and name not in NOT_UNIT_DATA)
STRANGERS = ("operator_b", "outsider")


def _admin_only(expected) -> bool:
    return all(expected[role] == 403 for role in ROLES if role != "admin")


def test_matrix_hides_other_units_objects_on_every_url_with_an_id():
    """Unit-scoped object URLs must give 404 to strangers; admin-only ones refuse every other
    role alike (403, before any lookup: see the next test)."""
    assert OBJECT_URLS, "the matrix lost its object URLs"
    for name in OBJECT_URLS:
        expected = MATRIX[name][3]
        if _admin_only(expected):
            continue
        assert {expected[s] for s in STRANGERS} == {404}, name


def _made_up(kwargs: dict) -> dict:
    return {
        key: 10**9 if isinstance(value, int) else "TIDAK-ADA" if key == "code" else value
        for key, value in kwargs.items()
    }


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_a_made_up_id_answers_like_an_existing_one(name, world, client):
    method, kwargs, data, expected = MATRIX[name]
    url = reverse(name, kwargs=_made_up(kwargs(world)))
    client.force_login(world.personas["operator_b"])
    assert getattr(client, method)(url, data_of(data, world)).status_code == expected["operator_b"]
    client.force_login(world.personas["admin"])
    assert getattr(client, method)(url, data_of(data, world)).status_code == 404


def _routes_with(kwarg: str, resolver=None, namespace="") -> list[str]:
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _routes_with(kwarg, pattern, inner)
        elif kwarg in pattern.pattern.converters:
            found.append(f"{namespace}{pattern.name}")
    return sorted(found)


@pytest.fixture
def unit_b(world, tree, personas):
    """Unit B's assessment with a file of its own, and a finished report of its operator."""
    assessment = AssessmentFactory(
        period=world.period, unit=tree.kankemenag_b, status=Status.PEMBANGUNAN
    )
    evidence = evidence_upload(
        assessment=assessment,
        kind="piagam",
        by=personas["operator_b"],
        uploaded_file=SimpleUploadedFile("piagam-b.pdf", make_pdf()),
    )
    job = ReportJob.objects.create(
        kind="evidence_zip", params={"assessment": assessment.pk},
        requested_by=personas["operator_b"], status="done", sha256="1" * 64, size=2,
        filename="b.zip", content_type="application/zip",
        file=default_storage.save("reports/b.zip", ContentFile(b"PK")),
    )  # fmt: skip
    return assessment, evidence, job


@pytest.mark.parametrize("name", _routes_with("evidence_pk"))
def test_another_units_file_through_ones_own_assessment_is_not_found(name, world, unit_b, client):
    own_assessment, _own, _job = unit_b
    client.force_login(world.personas["operator_b"])
    url = reverse(name, kwargs={"pk": own_assessment.pk, "evidence_pk": world.evidence.pk})
    method, _kwargs, data, _expected = MATRIX[name]
    assert getattr(client, method)(url, data_of(data, world)).status_code == 404


def test_walking_evidence_ids_finds_only_ones_own_files(world, unit_b, client):
    own_assessment, own, _job = unit_b
    client.force_login(world.personas["operator_b"])
    last = Evidence.objects.order_by("-pk").first().pk
    found = [
        pk
        for pk in range(1, last + 3)
        for assessment in (own_assessment, world.assessment)
        if client.get(
            reverse(
                "assessments:evidence_download",
                kwargs={"pk": assessment.pk, "evidence_pk": pk},
            )
        ).status_code
        != 404
    ]
    assert found == [own.pk]


def test_walking_report_ids_finds_only_ones_own_reports(world, unit_b, client):
    _assessment, _evidence, own_job = unit_b
    client.force_login(world.personas["operator_b"])
    last = ReportJob.objects.order_by("-pk").first().pk
    for view in ("reports:detail", "reports:download"):
        found = [
            pk
            for pk in range(1, last + 3)
            if client.get(reverse(view, kwargs={"pk": pk})).status_code != 404
        ]
        assert found == [own_job.pk], view


@pytest.mark.parametrize("name", ["surveys:take", "surveys:thanks"])
def test_a_made_up_survey_token_is_not_found(name, client, db):
    assert client.get(reverse(name, kwargs={"token": "TIDAK-ADA"})).status_code == 404
