"""Stage 1, Pencanangan: the unit records its declaration, ZI team and change agents; others
in scope read it; the head confirms once the checklist is complete."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import ChangeAgent, Declaration, Evidence, Status, TeamMember
from tests.assessments.helpers import complete_declaration


def _url(assessment):
    return reverse("assessments:declaration", args=[assessment.pk])


def _declare(client, assessment, **changes):
    data = {
        "action": "declaration",
        "decl-declared_on": "2026-01-15",
        "decl-sk_tim_number": "B-12/Kk.11.32/2026",
        "decl-sk_tim_date": "2026-01-10",
        **changes,
    }
    return client.post(_url(assessment), data)


@pytest.mark.parametrize("persona", ["operator", "pimpinan"])
def test_unit_staff_record_the_declaration_in_pencanangan(client_for, assessment, persona):
    response = _declare(client_for(persona), assessment)
    assert response.status_code == 302
    declaration = Declaration.objects.get(assessment=assessment)
    assert declaration.declared_on == datetime.date(2026, 1, 15)
    assert declaration.sk_tim_number == "B-12/Kk.11.32/2026"
    assert declaration.history.first().history_user is not None

    again = _declare(client_for(persona), assessment, **{"decl-sk_tim_number": "B-13/2026"})
    assert again.status_code == 302
    assert Declaration.objects.get(assessment=assessment).sk_tim_number == "B-13/2026"


def test_reviewer_reads_the_page_but_may_not_change_it(client_for, assessment):
    client = client_for("reviewer")
    page = client.get(_url(assessment))
    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert 'name="action"' not in page.content.decode()
    assert _declare(client, assessment).status_code == 403
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("persona", ["operator_b", "outsider"])
def test_other_units_do_not_learn_the_assessment_exists(client_for, assessment, persona):
    client = client_for(persona)
    assert client.get(_url(assessment)).status_code == 404
    assert _declare(client, assessment).status_code == 404


def test_the_declaration_is_locked_once_with_reviewers(client_for, assessment):
    assessment.status = Status.TPI_REVIEW
    assessment.save()
    assert client_for("operator").get(_url(assessment)).context["can_edit"] is False
    assert _declare(client_for("operator"), assessment).status_code == 403


def test_team_members_are_added_and_removed(client_for, assessment):
    client = client_for("operator")
    ketua = {"action": "member_add", "member-name": "H. Ahmad", "member-role": "ketua"}
    assert client.post(_url(assessment), ketua).status_code == 302
    pokja = {
        "action": "member_add",
        "member-name": "Siti Aminah",
        "member-position": "Kasubbag TU",
        "member-role": "pokja",
        "member-area_number": "3",
    }
    assert client.post(_url(assessment), pokja).status_code == 302
    assert list(assessment.team.values_list("name", "role", "area_number")) == [
        ("H. Ahmad", "ketua", None),
        ("Siti Aminah", "pokja", 3),
    ]
    member = assessment.team.get(role="pokja")
    removed = client.post(_url(assessment), {"action": "member_remove", "pk": member.pk})
    assert removed.status_code == 302
    assert list(assessment.team.values_list("name", flat=True)) == ["H. Ahmad"]


def test_a_pokja_member_needs_an_area(client_for, assessment):
    data = {"action": "member_add", "member-name": "Siti", "member-role": "pokja"}
    response = client_for("operator").post(_url(assessment), data)
    assert response.status_code == 400
    assert "harus memilih area" in response.content.decode()
    assert not TeamMember.objects.exists()


def test_an_area_outside_the_lke_is_refused(client_for, assessment):
    data = {
        "action": "member_add",
        "member-name": "Siti",
        "member-role": "pokja",
        "member-area_number": "9",
    }
    response = client_for("operator").post(_url(assessment), data)
    assert response.status_code == 400
    assert not TeamMember.objects.exists()


def test_change_agents_are_added_and_removed(client_for, assessment):
    client = client_for("pimpinan")
    data = {"action": "agent_add", "agent-name": "Budi Santoso", "agent-position": "Penyuluh"}
    assert client.post(_url(assessment), data).status_code == 302
    agent = ChangeAgent.objects.get(assessment=assessment)
    assert (agent.name, agent.position) == ("Budi Santoso", "Penyuluh")
    assert (
        client.post(_url(assessment), {"action": "agent_remove", "pk": agent.pk}).status_code == 302
    )
    assert not ChangeAgent.objects.exists()


def test_removing_another_assessments_member_is_a_404(client_for, assessment, assessment_b):
    other = TeamMember.objects.create(assessment=assessment_b, name="X", role="ketua")
    response = client_for("operator").post(
        _url(assessment), {"action": "member_remove", "pk": other.pk}
    )
    assert response.status_code == 404
    assert TeamMember.objects.filter(pk=other.pk).exists()


def test_an_unknown_action_is_a_bad_request(client_for, assessment):
    assert client_for("operator").post(_url(assessment), {"action": "nope"}).status_code == 400


def test_checklist_says_what_is_missing_and_then_that_all_is_there(
    client_for, assessment, personas
):
    page = client_for("pimpinan").get(_url(assessment))
    missing = page.context["missing"]
    assert "Tanggal pencanangan belum diisi." in missing
    assert "Agen perubahan belum dicatat." in missing
    complete_declaration(assessment, personas["operator"])
    page = client_for("pimpinan").get(_url(assessment))
    assert page.context["missing"] == []
    assert "Semua syarat pencanangan sudah terpenuhi." in page.content.decode()


def test_only_the_head_sees_the_confirm_button(client_for, assessment):
    action = reverse("assessments:transition", args=[assessment.pk, "confirm_declaration"])
    head = client_for("pimpinan").get(_url(assessment)).content.decode()
    assert f'action="{action}"' in head
    assert 'name="note"' in head
    operator = client_for("operator").get(_url(assessment)).content.decode()
    assert f'action="{action}"' not in operator


def test_documents_of_each_kind_are_listed_in_their_panel(client_for, assessment, personas):
    Evidence.objects.create(
        assessment=assessment, kind="piagam", url="https://kemenag.go.id/piagam.pdf",
        original_name="piagam.pdf", uploaded_by=personas["operator"],
    )  # fmt: skip
    page = client_for("reviewer").get(_url(assessment))
    documents = {kind: items for kind, _label, items in page.context["documents"]}
    assert [e.original_name for e in documents["piagam"]] == ["piagam.pdf"]
    assert documents["pakta"] == [] and documents["sk_tim"] == []


@pytest.mark.parametrize("n", [1, 50])
def test_the_page_keeps_constant_queries(
    client_for, assessment, personas, n, django_assert_max_num_queries
):
    TeamMember.objects.bulk_create(
        TeamMember(assessment=assessment, name=f"Anggota {k}", role="pokja", area_number=k % 6 + 1)
        for k in range(n)
    )
    ChangeAgent.objects.bulk_create(
        ChangeAgent(assessment=assessment, name=f"Agen {k}") for k in range(n)
    )
    Evidence.objects.bulk_create(
        Evidence(
            assessment=assessment,
            kind="pakta",
            url=f"https://x.id/{k}.pdf",
            uploaded_by=personas["operator"],
        )
        for k in range(n)
    )
    client = client_for("operator")
    with django_assert_max_num_queries(19):
        response = client.get(_url(assessment))
    assert response.status_code == 200
    assert len(response.context["team"]) == n


def test_the_team_has_one_head(client_for, assessment):
    TeamMember.objects.create(assessment=assessment, name="H. Ahmad", role="ketua")
    data = {"action": "member_add", "member-name": "Drs. Umar", "member-role": "ketua"}
    response = client_for("operator").post(_url(assessment), data)
    assert response.status_code == 400
    assert "Ketua tim sudah dicatat" in response.content.decode()
    assert assessment.team.filter(role="ketua").count() == 1
