"""A stage step refused keeps what the person typed, a step that happened says what happened,
and the steps that cannot be taken back ask first."""

import pytest
from django.urls import reverse

from assessments.models import Status
from assessments.workflow import TRANSITIONS
from tests.assessments.helpers import (
    answer_all,
    attach_evidence_all,
    best_value,
    complete_declaration,
)
from tests.reports.test_lhe_decision import JUSTIFICATION, SK, proposed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_refused_grant_comes_back_with_the_note_sk_number_and_justification(
    proposed,  # noqa: F811
    client_for,
):
    response = client_for("tpn").post(
        reverse("assessments:transition", args=[proposed.pk, "grant"]),
        {
            "note": "Memenuhi syarat WBK setelah verifikasi.",
            "sk_number": SK,
            "sk_date": "2099-01-01",
            "override_note": JUSTIFICATION,
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "tidak boleh di masa depan" in html
    assert "Memenuhi syarat WBK setelah verifikasi.</textarea>" in html
    assert f'value="{SK}"' in html and 'value="2099-01-01"' in html
    assert JUSTIFICATION in html
    proposed.refresh_from_db()
    assert proposed.status == Status.TPN_EVALUATION


def test_a_refused_note_required_step_keeps_nothing_silently(proposed, client_for):  # noqa: F811
    response = client_for("tpn").post(
        reverse("assessments:transition", args=[proposed.pk, "not_grant"]), {"note": " "}
    )
    assert response.status_code == 400
    proposed.refresh_from_db()
    assert proposed.status == Status.TPN_EVALUATION


def test_each_step_says_what_happened(assessment, client_for, personas):
    complete_declaration(assessment, personas["operator"])
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_all(assessment, "self", personas["operator"], best_value)
    attach_evidence_all(assessment, personas["operator"])

    response = client_for("operator").post(
        reverse("assessments:transition", args=[assessment.pk, "submit"]), {"note": ""},
        follow=True,
    )  # fmt: skip

    assert str(TRANSITIONS["submit"].done) in response.content.decode()
    assert "Penilaian mandiri dikirim ke Pimpinan satker" in response.content.decode()


def test_irreversible_steps_ask_first(proposed, client_for):  # noqa: F811
    html = client_for("tpn").get(reverse("assessments:detail", args=[proposed.pk])).content
    assert f'data-confirm="{TRANSITIONS["grant"].confirm}"'.encode() in html
    assert f'data-confirm="{TRANSITIONS["not_grant"].confirm}"'.encode() in html
    assert all(
        t.confirm for t in TRANSITIONS.values() if t.name in ("propose", "grant", "not_grant")
    )
