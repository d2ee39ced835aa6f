"""Signed-in accounts have their own limits on requests that change something: generous for
autosave, strict for what is expensive (report requests, uploads). Finding 2 of the attack pass:
signed-in requests had no per-account limit at all."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from assessments.models import Status

SAME_WINDOW = 1_800_000_000


@pytest.fixture(autouse=True)
def _frozen_window(monkeypatch):
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=lambda: SAME_WINDOW))


@pytest.fixture
def autosave(assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    url = reverse("assessments:answer_save", args=[assessment.pk, question.pk])
    label = question.options.first().label
    return lambda client: client.post(url, {"value": label}, HTTP_HX_REQUEST="true")


def test_an_account_over_its_write_limit_gets_a_translated_429(
    settings, autosave, client_for, django_user_model
):
    settings.ZI_ACCOUNT_WRITE_RATE = "3/m"
    client = client_for("operator")
    assert [autosave(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = autosave(client)
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert client.get(reverse("home")).status_code == 200  # reading goes on


def test_the_limit_is_per_account_not_per_address(settings, autosave, client, personas):
    settings.ZI_ACCOUNT_WRITE_RATE = "2/m"
    client.force_login(personas["operator"])
    assert [autosave(client).status_code for _ in range(3)] == [200, 200, 429]
    client.force_login(personas["pimpinan"])  # same address, another account
    assert client.post(reverse("notifications:read_all")).status_code == 302


def test_the_default_write_limit_leaves_room_for_a_fast_operator(autosave, client_for):
    client = client_for("operator")
    assert all(autosave(client).status_code == 200 for _ in range(60))


def test_report_requests_have_a_stricter_limit(settings, assessment, client_for, mocker):
    mocker.patch("reports.tasks.enqueue")
    settings.ZI_REPORT_REQUEST_RATE = "2/m"
    client = client_for("operator")
    data = {"kind_of_report": "lhe", "assessment": assessment.pk, "layer": "self"}
    codes = [client.post(reverse("reports:request"), data).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_uploads_have_a_stricter_limit(settings, assessment, client_for, storage):
    settings.ZI_UPLOAD_RATE = "1/m"
    client = client_for("operator")
    url = reverse("assessments:evidence_upload", args=[assessment.pk])
    assert client.post(url, {"kind": "piagam"}).status_code != 429
    assert client.post(url, {"kind": "piagam"}).status_code == 429
