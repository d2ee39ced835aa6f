"""Periods: created by the national admin with a published LKE and ordered deadlines, then
opened for a subtree, a kind and province, or a list of codes (one assessment per unit)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from areas.services import version_copy
from assessments.models import Assessment, Period, PredicateAward, Status
from assessments.stages import periods
from core.errors import WorkflowError
from tests.factories import AssessmentFactory, PeriodFactory, UnitFactory
from units.models import UnitKind

DEADLINES = {
    "deadline_pencanangan": "2027-02-28",
    "deadline_pembangunan": "2027-04-30",
    "deadline_penilaian": "2027-05-31",
    "deadline_pengusulan": "2027-06-30",
    "deadline_evaluasi": "2027-11-30",
}


def _period_data(lke, **changes):
    return {"year": 2027, "name": "Periode ZI 2027", "lke_version": lke.pk, **DEADLINES, **changes}


def _units_of(period):
    return set(period.assessments.values_list("unit__code", flat=True))


# --------------------------------------------------------------------------- creating


def test_admin_creates_a_period_with_ordered_deadlines(client_for, lke, personas):
    response = client_for("admin").post(
        reverse("assessments:period_create"), _period_data(lke, tpn_quota=40)
    )
    period = Period.objects.get(year=2027)
    assert response.status_code == 302
    assert response.url == reverse("assessments:period_detail", args=[period.pk])
    assert period.tpn_quota == 40
    assert period.created_by == personas["admin"]
    assert period.deadline_evaluasi == datetime.date(2027, 11, 30)


def test_deadlines_out_of_order_are_refused_with_a_message(client_for, lke):
    data = _period_data(lke, deadline_penilaian="2027-03-01")  # before penilaian mandiri
    response = client_for("admin").post(reverse("assessments:period_create"), data)
    assert response.status_code == 400
    assert not Period.objects.filter(year=2027).exists()
    errors = response.context["form"].errors
    assert "deadline_penilaian" in errors
    assert "tidak boleh sebelum batas penilaian mandiri" in errors["deadline_penilaian"][0]
    assert "tidak boleh sebelum" in response.content.decode()


def test_only_a_published_lke_version_may_be_chosen(client_for, lke, personas):
    draft = version_copy(version=lke, by=personas["admin"])
    response = client_for("admin").post(
        reverse("assessments:period_create"), _period_data(lke, lke_version=draft.pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["lke_version"] == ["Pilih versi LKE yang sudah terbit."]
    form_choices = [
        c[0].value for c in response.context["form"].fields["lke_version"].choices if c[0]
    ]
    assert form_choices == [lke.pk]


def test_service_refuses_a_draft_version_and_a_second_period_of_a_year(lke, period, personas):
    draft = version_copy(version=lke, by=personas["admin"])
    deadlines = {k: datetime.date.fromisoformat(v) for k, v in DEADLINES.items()}
    with pytest.raises(WorkflowError, match="sudah terbit"):
        periods.period_create(
            year=2030, name="X", lke_version=draft, tpn_quota=None, by=personas["admin"],
            **deadlines,
        )  # fmt: skip
    with pytest.raises(WorkflowError, match="sudah ada"):
        periods.period_create(
            year=period.year, name="X", lke_version=lke, tpn_quota=None, by=personas["admin"],
            **deadlines,
        )  # fmt: skip


@pytest.mark.parametrize("persona", ["operator", "pimpinan", "reviewer", "tpi", "tpn"])
def test_period_pages_are_for_the_national_admin_only(client_for, period, persona):
    client = client_for(persona)
    for name in ("periods", "period_create"):
        assert client.get(reverse(f"assessments:{name}")).status_code == 403
    for name in ("period_detail", "period_open_units", "proposals", "proposals_export"):
        assert client.get(reverse(f"assessments:{name}", args=[period.pk])).status_code == 403


# --------------------------------------------------------------------------- opening


def test_opening_a_subtree_creates_one_assessment_per_unit(client_for, period, tree):
    url = reverse("assessments:period_open_units", args=[period.pk])
    client = client_for("admin")
    preview = client.post(url, {"root_code": "KWA", "action": "preview"})
    assert preview.status_code == 200
    assert preview.context["preview"].new == 3
    assert not Assessment.objects.exists()  # a preview creates nothing

    response = client.post(url, {"root_code": "KWA", "action": "open"})
    assert response.status_code == 302
    assert _units_of(period) == {"KWA", "KKA", "MINA"}
    assert set(period.assessments.values_list("status", flat=True)) == {Status.PENCANANGAN}


def test_opening_by_kind_and_province(client_for, period, tree):
    url = reverse("assessments:period_open_units", args=[period.pk])
    data = {"kinds": ["kankemenag"], "provinces": ["DI Yogyakarta"], "action": "open"}
    assert client_for("admin").post(url, data).status_code == 302
    assert _units_of(period) == {"KKB"}


def test_opening_from_a_csv_with_a_code_column(client_for, period, tree):
    url = reverse("assessments:period_open_units", args=[period.pk])
    upload = SimpleUploadedFile("units.csv", b"name,code\nA,KKA\nB,KKB\nA again,KKA\n")
    preview = client_for("admin").post(url, {"codes_file": upload, "action": "preview"})
    assert preview.context["preview"].new == 2
    carried = preview.context["carry"]["codes"]
    response = client_for("admin").post(url, {"codes": carried, "action": "open"})
    assert response.status_code == 302
    assert _units_of(period) == {"KKA", "KKB"}


def test_a_csv_with_unknown_codes_is_reported_line_by_line_and_creates_nothing(
    client_for, period, tree
):
    url = reverse("assessments:period_open_units", args=[period.pk])
    upload = SimpleUploadedFile("units.csv", b"KKA\nNOPE\n\nKKB\nGHOST\n")
    response = client_for("admin").post(url, {"codes_file": upload, "action": "open"})
    assert response.status_code == 400
    errors = response.context["code_list"].errors
    assert [(e.line, e.code) for e in errors] == [(2, "NOPE"), (5, "GHOST")]
    assert "GHOST" in response.content.decode()
    assert not Assessment.objects.exists()


def test_reopening_does_not_duplicate(period, tree, personas, assessment):
    admin = personas["admin"]
    first = periods.period_open_for_units(
        period=period, units_queryset_or_ids=tree.kanwil_a.descendants(), by=admin
    )
    assert first == 2  # Kankemenag A already had its assessment
    again = periods.period_open_for_units(
        period=period, units_queryset_or_ids=[tree.kanwil_a.pk, tree.madrasah_a.pk], by=admin
    )
    assert again == 0
    assert period.assessments.count() == 3


def test_a_unit_holding_wbk_aims_for_wbbm(period, tree, personas):
    PredicateAward.objects.create(unit=tree.kankemenag_a, year=2024, predicate="WBK", sk_number="1")
    PredicateAward.objects.create(
        unit=tree.kankemenag_b, year=2024, predicate="WBK", sk_number="2",
        revoked_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC), revoked_reason="Temuan",
    )  # fmt: skip
    periods.period_open_for_units(
        period=period,
        units_queryset_or_ids=[tree.kankemenag_a.pk, tree.kankemenag_b.pk, tree.madrasah_a.pk],
        by=personas["admin"],
    )
    targets = dict(period.assessments.values_list("unit__code", "target_predicate"))
    assert targets == {"KKA": "WBBM", "KKB": "WBK", "MINA": "WBK"}


def test_only_the_admin_may_open_a_period(period, tree, personas):
    with pytest.raises(WorkflowError) as error:
        periods.period_open_for_units(
            period=period, units_queryset_or_ids=[tree.kankemenag_a.pk], by=personas["tpi"]
        )
    assert error.value.forbidden
    assert not Assessment.objects.exists()


def test_inactive_units_are_not_opened(period, tree, personas):
    tree.madrasah_a.is_active = False
    tree.madrasah_a.save()
    created = periods.period_open_for_units(
        period=period, units_queryset_or_ids=tree.kankemenag_a.descendants(), by=personas["admin"]
    )
    assert created == 1


# --------------------------------------------------------------------------- lists


@pytest.mark.parametrize("n", [1, 50])
def test_period_list_keeps_constant_queries(
    client_for, lke, tree, n, django_assert_max_num_queries
):
    client = client_for("admin")
    for k in range(n):
        p = PeriodFactory(year=2100 + k, lke_version=lke)
        AssessmentFactory(period=p, unit=tree.kankemenag_a, status=Status.PEMBANGUNAN)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assessments:periods"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == n
    assert response.context["rows"][0][1] == [("pembangunan", Status.PEMBANGUNAN.label, 1)]


@pytest.mark.parametrize("n", [1, 50])
def test_period_detail_keeps_constant_queries(
    client_for, period, tree, n, django_assert_max_num_queries
):
    client = client_for("admin")
    units = [UnitFactory(kind=UnitKind.MADRASAH, parent=tree.kankemenag_a) for _ in range(n)]
    Assessment.objects.bulk_create(
        Assessment(period=period, unit=u, target_predicate="WBK") for u in units
    )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessments:period_detail", args=[period.pk]))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == n
    assert response.context["period"].n_pencanangan == n


def test_opening_needs_a_choice_of_units(client_for, period, tree):
    url = reverse("assessments:period_open_units", args=[period.pk])
    response = client_for("admin").post(url, {"action": "open"})
    assert response.status_code == 400
    assert "Pilih unit induk" in response.content.decode()
    assert not Assessment.objects.exists()
