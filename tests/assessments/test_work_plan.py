"""Stage 2, the work plan: activities per change area with a target month, the person in
charge, a status and a progress; each area's progress is the mean of its activities'."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Status, WorkPlanItem


def _url(assessment):
    return reverse("assessments:work_plan", args=[assessment.pk])


def _item(assessment, area=1, progress=0, **changes):
    return WorkPlanItem.objects.create(
        assessment=assessment,
        area_number=area,
        activity=changes.pop("activity", "Sosialisasi ZI"),
        target_month=datetime.date(2026, 3, 1),
        person_in_charge="Ketua Pokja",
        progress=progress,
        **changes,
    )


def _save(client, assessment, **changes):
    data = {
        "action": "save",
        "area_number": "1",
        "activity": "Penyusunan SOP layanan",
        "target_month": "2026-05",
        "person_in_charge": "Kasubbag TU",
        "status": "in_progress",
        "progress": "40",
        **changes,
    }
    return client.post(_url(assessment), data)


@pytest.mark.parametrize("persona", ["operator", "pimpinan"])
def test_unit_staff_add_an_item_for_a_month(client_for, assessment, persona):
    assert _save(client_for(persona), assessment).status_code == 302
    item = WorkPlanItem.objects.get(assessment=assessment)
    assert item.target_month == datetime.date(2026, 5, 1)  # the month input, as its first day
    assert (item.area_number, item.status, item.progress) == (1, "in_progress", 40)
    assert item.history.first().history_user is not None


def test_an_item_is_edited_and_its_history_kept(client_for, assessment):
    client = client_for("operator")
    item = _item(assessment)
    form = client.get(_url(assessment), {"edit": item.pk}).context["form"]
    assert form.initial["item"] == item.pk
    assert 'value="2026-03"' in str(form["target_month"])
    response = _save(client, assessment, item=str(item.pk), progress="100", status="done")
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.progress, item.status) == (100, "done")
    assert WorkPlanItem.objects.count() == 1
    assert item.history.count() == 2


def test_an_item_is_removed(client_for, assessment):
    item = _item(assessment)
    response = client_for("operator").post(_url(assessment), {"action": "remove", "item": item.pk})
    assert response.status_code == 302
    assert not WorkPlanItem.objects.exists()


def test_progress_of_each_area_is_the_mean_of_its_items(client_for, assessment):
    _item(assessment, area=1, progress=40)
    _item(assessment, area=1, progress=80)
    _item(assessment, area=5, progress=25)
    page = client_for("reviewer").get(_url(assessment))
    groups = {g["area"].number: g for g in page.context["groups"]}
    assert list(groups) == [1, 2, 3, 4, 5, 6]
    assert groups[1]["progress"] == 60
    assert groups[5]["progress"] == 25
    assert groups[2]["progress"] is None
    assert page.context["overall"] == pytest.approx(48.3)
    assert "60,0%" in page.content.decode()  # Indonesian decimal comma


@pytest.mark.parametrize(
    ("field", "value"), [("progress", "101"), ("area_number", "7"), ("target_month", "Maret")]
)
def test_invalid_items_are_refused(client_for, assessment, field, value):
    response = _save(client_for("operator"), assessment, **{field: value})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not WorkPlanItem.objects.exists()


def test_reviewer_reads_but_may_not_change(client_for, assessment):
    item = _item(assessment)
    client = client_for("reviewer")
    page = client.get(_url(assessment))
    assert page.status_code == 200 and page.context["form"] is None
    assert _save(client, assessment).status_code == 403
    assert client.post(_url(assessment), {"action": "remove", "item": item.pk}).status_code == 403
    assert WorkPlanItem.objects.count() == 1


def test_other_units_get_a_404(client_for, assessment):
    assert client_for("operator_b").get(_url(assessment)).status_code == 404
    assert _save(client_for("operator_b"), assessment).status_code == 404


def test_the_plan_is_locked_once_with_reviewers(client_for, assessment):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    assert _save(client_for("operator"), assessment).status_code == 403


def test_another_assessments_item_cannot_be_edited(client_for, assessment, assessment_b):
    other = _item(assessment_b, activity="Milik unit B")
    client = client_for("operator")
    assert _save(client, assessment, item=str(other.pk)).status_code == 404
    assert client.post(_url(assessment), {"action": "remove", "item": other.pk}).status_code == 404
    assert client.get(_url(assessment), {"edit": other.pk}).status_code == 404
    other.refresh_from_db()
    assert other.activity == "Milik unit B"


@pytest.mark.parametrize("n", [1, 50])
def test_the_page_keeps_constant_queries(client_for, assessment, n, django_assert_max_num_queries):
    WorkPlanItem.objects.bulk_create(
        WorkPlanItem(
            assessment=assessment,
            area_number=k % 6 + 1,
            activity=f"Kegiatan {k}",
            target_month=datetime.date(2026, k % 12 + 1, 1),
            person_in_charge="PJ",
            progress=k % 101,
        )
        for k in range(n)
    )
    client = client_for("operator")
    with django_assert_max_num_queries(10):
        response = client.get(_url(assessment))
    assert response.status_code == 200
    assert sum(len(g["items"]) for g in response.context["groups"]) == n
