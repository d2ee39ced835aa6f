"""Stage 5: TPN records its field visits on a proposed unit; a unit's predicate history, and
the national admin revoking a predicate with a reason."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import FieldVisit, PredicateAward, Status
from assessments.stages import periods


def _url(assessment):
    return reverse("assessments:field_visits", args=[assessment.pk])


def _visit(client, assessment, **changes):
    data = {
        "visited_on": "2026-09-10",
        "team": "Dr. Rina\n\n  Agus Salim  \n",
        "findings": "Layanan PTSP sudah berjalan; survei IKM belum dipublikasikan.",
        **changes,
    }
    return client.post(_url(assessment), data)


@pytest.fixture
def proposed(assessment):
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    return assessment


# --------------------------------------------------------------------------- field visits


def test_tpn_records_a_field_visit_on_a_proposed_unit(client_for, proposed, personas):
    client = client_for("tpn")
    assert client.get(_url(proposed)).context["form"] is not None
    assert _visit(client, proposed).status_code == 302
    visit = FieldVisit.objects.get(assessment=proposed)
    assert visit.team == "Dr. Rina\nAgus Salim"
    assert visit.visited_on == datetime.date(2026, 9, 10)
    assert visit.created_by == personas["tpn"]
    assert "Agus Salim" in client.get(_url(proposed)).content.decode()


def test_tpn_does_not_see_an_assessment_that_was_not_proposed(client_for, assessment):
    client = client_for("tpn")
    assert client.get(_url(assessment)).status_code == 404
    assert _visit(client, assessment).status_code == 404
    assert not FieldVisit.objects.exists()


def test_after_the_decision_tpn_reads_but_adds_nothing(client_for, proposed):
    proposed.status = Status.GRANTED
    proposed.save()
    client = client_for("tpn")
    page = client.get(_url(proposed))
    assert page.status_code == 200 and page.context["form"] is None
    assert _visit(client, proposed).status_code == 403


@pytest.mark.parametrize("persona", ["operator", "pimpinan", "reviewer", "tpi", "admin"])
def test_only_tpn_records_visits(client_for, proposed, persona):
    assert _visit(client_for(persona), proposed).status_code == 403
    assert not FieldVisit.objects.exists()


def test_the_unit_reads_the_findings_only_once_tpn_results_are_released(
    client_for, proposed, personas
):
    FieldVisit.objects.create(
        assessment=proposed, visited_on=datetime.date(2026, 9, 10), team="Dr. Rina",
        findings="Temuan rahasia", created_by=personas["tpn"],
    )  # fmt: skip
    page = client_for("operator").get(_url(proposed))
    assert page.status_code == 200
    assert "Temuan rahasia" not in page.content.decode()
    proposed.tpn_layer_released = True
    proposed.save()
    assert "Temuan rahasia" in client_for("operator").get(_url(proposed)).content.decode()


def test_other_units_get_a_404(client_for, proposed):
    assert client_for("operator_b").get(_url(proposed)).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"), [("team", " \n "), ("findings", ""), ("visited_on", "")]
)
def test_an_incomplete_visit_is_refused(client_for, proposed, field, value):
    response = _visit(client_for("tpn"), proposed, **{field: value})
    assert response.status_code == 400
    assert not FieldVisit.objects.exists()


@pytest.mark.parametrize("n", [1, 50])
def test_visit_list_keeps_constant_queries(
    client_for, proposed, personas, n, django_assert_max_num_queries
):
    FieldVisit.objects.bulk_create(
        FieldVisit(
            assessment=proposed, visited_on=datetime.date(2026, 9, 1), team=f"Penilai {k}",
            findings="-", created_by=personas["tpn"],
        )
        for k in range(n)
    )  # fmt: skip
    client = client_for("tpn")
    with django_assert_max_num_queries(11):
        response = client.get(_url(proposed))
    assert len(response.context["visits"]) == n


# --------------------------------------------------------------------------- awards


def _award(unit, year=2024, predicate="WBK", **fields):
    return PredicateAward.objects.create(
        unit=unit, year=year, predicate=predicate, sk_number=f"SK-{year}", **fields
    )


@pytest.mark.parametrize("persona", ["operator", "pimpinan", "reviewer", "tpi", "tpn", "admin"])
def test_the_units_predicate_history_is_visible_in_scope(client_for, tree, persona):
    _award(tree.kankemenag_a, granted_by=None)
    response = client_for(persona).get(reverse("assessments:unit_awards", args=["KKA"]))
    assert response.status_code == 200
    assert "SK-2024" in response.content.decode()
    revoke = reverse("assessments:award_revoke", args=[response.context["awards"][0].pk])
    assert (revoke in response.content.decode()) == (persona == "admin")


@pytest.mark.parametrize("persona", ["operator_b", "outsider"])
def test_another_units_history_is_a_404(client_for, tree, persona):
    assert (
        client_for(persona).get(reverse("assessments:unit_awards", args=["KKA"])).status_code == 404
    )


def test_admin_revokes_with_a_reason(client_for, tree, period, personas):
    award = _award(tree.kankemenag_a)
    url = reverse("assessments:award_revoke", args=[award.pk])
    response = client_for("admin").post(
        url,
        {
            "reason": "Hasil monitoring: pungli terbukti",
            "source": "sp4n_lapor",
            "decided_on": "2026-11-30",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("assessments:unit_awards", args=["KKA"])
    award.refresh_from_db()
    assert award.revoked_at is not None
    assert award.revoked_reason == "Hasil monitoring: pungli terbukti"
    page = client_for("operator").get(response.url).content.decode()
    assert "pungli terbukti" in page
    # A revoked WBK no longer makes the unit aim for WBBM.
    periods.period_open_for_units(
        period=period, units_queryset_or_ids=[tree.kankemenag_a.pk], by=personas["admin"]
    )
    assert period.assessments.get().target_predicate == "WBK"


def test_revoking_requires_a_reason(client_for, tree):
    award = _award(tree.kankemenag_a)
    client = client_for("admin")
    response = client.post(
        reverse("assessments:award_revoke", args=[award.pk]), {"reason": "  "}, follow=True
    )
    assert "Alasan pencabutan wajib diisi." in response.content.decode()
    award.refresh_from_db()
    assert award.revoked_at is None


def test_a_revoked_award_is_not_revoked_again(client_for, tree):
    when = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    award = _award(tree.kankemenag_a, revoked_at=when, revoked_reason="Pertama")
    response = client_for("admin").post(
        reverse("assessments:award_revoke", args=[award.pk]),
        {"reason": "Kedua", "source": "media", "decided_on": "2026-11-30"},
        follow=True,
    )
    assert "sudah dicabut" in response.content.decode()
    award.refresh_from_db()
    assert (award.revoked_at, award.revoked_reason) == (when, "Pertama")


@pytest.mark.parametrize("persona", ["operator", "pimpinan", "reviewer", "tpi", "tpn"])
def test_only_the_admin_revokes(client_for, tree, persona):
    award = _award(tree.kankemenag_a)
    url = reverse("assessments:award_revoke", args=[award.pk])
    assert (
        client_for(persona)
        .post(url, {"reason": "x", "source": "media", "decided_on": "2026-11-30"})
        .status_code
        == 403
    )
    award.refresh_from_db()
    assert award.revoked_at is None


@pytest.mark.parametrize("n", [1, 50])
def test_history_keeps_constant_queries(
    client_for, tree, lke, personas, n, django_assert_max_num_queries
):
    for k in range(n):
        _award(tree.kankemenag_a, year=1990 + k, granted_by=personas["tpn"])
    client = client_for("admin")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("assessments:unit_awards", args=["KKA"]))
    assert len(response.context["awards"]) == n
