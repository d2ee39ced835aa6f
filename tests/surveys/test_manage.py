"""A unit runs its surveys: its operator creates and changes them (audited), another unit's
operator does not learn they exist (404), the Kanwil reviewer reads but changes nothing (403);
a window outside the period is refused with nothing saved; services are added, renamed,
deactivated and never deleted once answered; one-time codes come in batches of 1..5000,
unique per survey, downloadable as CSV; the list costs the same queries at 1 and 50 surveys."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from core import audit
from core.errors import SurveyError
from surveys import services
from surveys.links import public_path, public_url
from surveys.models import CODE_ALPHABET, CODE_LENGTH, OneTimeCode, Service, Survey, SurveyResponse
from tests.factories import SurveyFactory

pytestmark = pytest.mark.usefixtures("instruments")

TODAY = datetime.date(2026, 3, 10)


def _form(period, **overrides):
    return {
        "period": period.pk,
        "kind": "ikm",
        "name": "IKM Semester I 2026",
        "opens_on": "2026-01-01",
        "closes_on": "2026-06-30",
        **overrides,
    }


def _codes_of(obj) -> list[str]:
    from auditlog.models import LogEntry

    entries = LogEntry.objects.get_for_object(obj).filter(additional_data__action__isnull=False)
    entries = entries.order_by("pk")
    return [audit.action_of(e) for e in entries]


# --------------------------------------------------------------------------- creating


def test_operator_creates_a_survey_for_own_unit(client_for, tree, period, personas):
    url = reverse("surveys:manage_create", args=[tree.kankemenag_a.code])
    response = client_for("operator").post(url, _form(period, uses_codes="on"))
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("surveys:manage_detail", args=[survey.pk])
    assert survey.unit == tree.kankemenag_a and survey.uses_codes
    assert survey.instrument.kind == "ikm" and survey.instrument.is_published
    assert survey.created_by == personas["operator"]
    assert 12 <= len(survey.token) <= 16
    assert all(c.isalnum() or c in "-_" for c in survey.token)
    assert _codes_of(survey) == ["zi.survey.created"]


def test_tokens_are_unguessable_and_unique(tree, period, personas):
    surveys = [
        services.survey_create(
            unit=tree.kankemenag_a,
            period=period,
            kind="spkp",
            name=f"S{i}",
            opens_on=datetime.date(2026, 1, 1),
            closes_on=datetime.date(2026, 2, 1),
            uses_codes=False,
            by=personas["operator"],
        )  # fmt: skip
        for i in range(20)
    ]
    assert len({s.token for s in surveys}) == 20


def test_operator_of_another_unit_gets_404(client_for, tree, period):
    client = client_for("operator_b")
    assert client.get(reverse("surveys:manage_unit", args=["KKA"])).status_code == 404
    response = client.post(reverse("surveys:manage_create", args=["KKA"]), _form(period))
    assert response.status_code == 404
    assert not Survey.objects.exists()


def test_reviewer_reads_but_cannot_create(client_for, tree, period):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    client = client_for("reviewer")
    page = client.get(reverse("surveys:manage_unit", args=["KKA"]))
    assert page.status_code == 200
    assert survey.name in page.content.decode()
    assert reverse("surveys:manage_create", args=["KKA"]) not in page.content.decode()
    response = client.post(reverse("surveys:manage_create", args=["KKA"]), _form(period))
    assert response.status_code == 403
    assert Survey.objects.count() == 1
    edit = client.post(reverse("surveys:manage_edit", args=[survey.pk]), _form(period))
    assert edit.status_code == 403


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "message"),
    [
        ("2026-06-30", "2026-01-01", "sebelum atau sama dengan"),
        ("2025-12-01", "2026-01-31", "tahun periode (2026)"),
        ("2026-12-01", "2027-01-31", "tahun periode (2026)"),
    ],
)
def test_bad_window_is_refused_with_message_and_nothing_saved(
    client_for, tree, period, opens_on, closes_on, message
):
    url = reverse("surveys:manage_create", args=["KKA"])
    response = client_for("operator").post(
        url, _form(period, opens_on=opens_on, closes_on=closes_on)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_window_changed_and_closed_early_are_audited(client_for, tree, period, personas):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    client = client_for("operator")
    response = client.post(
        reverse("surveys:manage_edit", args=[survey.pk]),
        {"name": "IKM 2026", "opens_on": "2026-02-01", "closes_on": "2026-11-30"},
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.opens_on, survey.closes_on) == (
        datetime.date(2026, 2, 1), datetime.date(2026, 11, 30)
    )  # fmt: skip
    services.survey_close(survey=survey, by=personas["operator"], today=TODAY)
    survey.refresh_from_db()
    assert survey.closes_on == TODAY - datetime.timedelta(days=1)
    assert not survey.is_open_on(TODAY)
    assert _codes_of(survey) == ["zi.survey.changed", "zi.survey.changed"]


def test_a_bad_edit_changes_nothing(client_for, tree, period):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    response = client_for("operator").post(
        reverse("surveys:manage_edit", args=[survey.pk]),
        {"name": "Baru", "opens_on": "2026-05-01", "closes_on": "2026-04-01"},
    )
    assert response.status_code == 400
    survey.refresh_from_db()
    assert survey.name == "Semester I 2026"


# --------------------------------------------------------------------------- services


def test_services_added_renamed_deactivated_and_kept_once_answered(client_for, tree, period):
    client = client_for("operator")
    unit_url = reverse("surveys:manage_unit", args=["KKA"])
    client.post(reverse("surveys:manage_service_add", args=["KKA"]), {"name": "Haji  dan Umrah"})
    service = Service.objects.get(unit=tree.kankemenag_a)
    assert service.name == "Haji dan Umrah"
    duplicate = client.post(
        reverse("surveys:manage_service_add", args=["KKA"]), {"name": "haji dan umrah"}, follow=True
    )
    assert "sudah memiliki layanan" in duplicate.content.decode()
    change = reverse("surveys:manage_service_change", args=["KKA", service.pk])
    client.post(change, {"action": "rename", "name": "Pelayanan Haji"})
    service.refresh_from_db()
    assert service.name == "Pelayanan Haji"
    SurveyResponse.objects.create(
        survey=SurveyFactory(period=period, unit=tree.kankemenag_a),
        service=service,
        submitted_on=TODAY,
        a01=4,
    )
    refused = client.post(change, {"action": "remove"}, follow=True)
    assert "nonaktifkan saja" in refused.content.decode()
    assert Service.objects.filter(pk=service.pk).exists()
    assert client.post(change, {"action": "deactivate"}).url == unit_url
    service.refresh_from_db()
    assert not service.is_active
    assert _codes_of(service) == [
        "zi.service.added", "zi.service.renamed", "zi.service.deactivated"
    ]  # fmt: skip


def test_an_unanswered_service_can_be_removed(tree, personas):
    service = services.service_add(
        unit=tree.kankemenag_a, name="Legalisir", by=personas["operator"]
    )
    services.service_remove(service=service, by=personas["operator"])
    assert not Service.objects.exists()


def test_another_units_service_is_404(client_for, tree):
    service = Service.objects.create(unit=tree.kankemenag_b, name="Nikah")
    url = reverse("surveys:manage_service_change", args=["KKA", service.pk])
    assert client_for("operator").post(url, {"action": "deactivate"}).status_code == 404


# --------------------------------------------------------------------------- codes


@pytest.fixture
def coded(tree, period):
    return SurveyFactory(period=period, unit=tree.kankemenag_a, uses_codes=True)


@pytest.mark.parametrize("count", [0, 5001, -3])
def test_code_count_out_of_bounds_is_refused(coded, personas, count):
    with pytest.raises(SurveyError, match="antara 1 dan 5000"):
        services.codes_issue(survey=coded, count=count, by=personas["operator"])
    assert not OneTimeCode.objects.exists()


def test_codes_form_refuses_out_of_bounds_counts(client_for, coded):
    url = reverse("surveys:manage_codes_issue", args=[coded.pk])
    response = client_for("operator").post(url, {"count": "5001"}, follow=True)
    assert "5000" in response.content.decode()
    assert not OneTimeCode.objects.exists()


def test_codes_are_random_unique_and_in_batches(coded, personas):
    first = services.codes_issue(survey=coded, count=5000, by=personas["operator"])
    second = services.codes_issue(survey=coded, count=1, by=personas["operator"])
    assert (first, second) == (1, 2)
    codes = list(OneTimeCode.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 5001
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert _codes_of(coded) == ["zi.survey.codes_issued", "zi.survey.codes_issued"]


def test_a_drawn_code_already_in_the_survey_is_drawn_again(coded, personas, monkeypatch):
    OneTimeCode.objects.create(survey=coded, code="AAAAAAAA", batch=1)
    draws = iter(["AAAAAAAA", "AAAAAAAA", "BBBBBBBB"])
    monkeypatch.setattr(services, "_random_code", lambda: next(draws))
    services.codes_issue(survey=coded, count=1, by=personas["operator"])
    assert set(OneTimeCode.objects.filter(batch=2).values_list("code", flat=True)) == {"BBBBBBBB"}


def test_no_codes_for_a_survey_without_them(tree, period, personas):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    with pytest.raises(SurveyError):
        services.codes_issue(survey=survey, count=5, by=personas["operator"])


def test_codes_csv_lists_the_batch_with_its_addresses(client_for, coded, personas):
    services.codes_issue(survey=coded, count=3, by=personas["operator"])
    services.codes_issue(survey=coded, count=2, by=personas["operator"])
    response = client_for("operator").get(reverse("surveys:manage_codes_csv", args=[coded.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    batch = sorted(OneTimeCode.objects.filter(batch=1).values_list("code", flat=True))
    assert rows[0] == ["kode", "alamat"]
    assert [r[0] for r in rows[1:]] == batch
    assert rows[1][1] == public_url(coded, code=batch[0])
    assert rows[1][1].endswith(f"/survei/{coded.token}/?kode={batch[0]}")


def test_the_reviewer_gets_no_codes(client_for, coded, personas):
    services.codes_issue(survey=coded, count=3, by=personas["operator"])
    client = client_for("reviewer")
    assert client.get(reverse("surveys:manage_codes_csv", args=[coded.pk, 1])).status_code == 403
    page = client.get(reverse("surveys:manage_detail", args=[coded.pk])).content.decode()
    assert reverse("surveys:manage_codes_csv", args=[coded.pk, 1]) not in page


def test_the_survey_page_shows_issued_and_used_per_batch(client_for, coded, personas):
    services.codes_issue(survey=coded, count=4, by=personas["operator"])
    OneTimeCode.objects.filter(pk=OneTimeCode.objects.first().pk).update(used=True)
    page = client_for("operator").get(reverse("surveys:manage_detail", args=[coded.pk]))
    cells = page.content.decode()
    assert '<td class="text-end">4</td>' in cells and '<td class="text-end">1</td>' in cells


# --------------------------------------------------------------------------- list


def test_the_public_address_is_the_fixed_one(coded):
    assert public_path(coded) == f"/survei/{coded.token}/"
    service = Service.objects.create(unit=coded.unit, name="Nikah")
    assert public_path(coded, service=service) == f"/survei/{coded.token}/?layanan={service.pk}"


@pytest.mark.parametrize("n", [1, 50])
def test_the_list_costs_the_same_queries_at_1_and_50_surveys(
    client_for, tree, period, django_assert_max_num_queries, n
):
    for i in range(n):
        survey = SurveyFactory(period=period, unit=tree.kankemenag_a, name=f"Survei {i}")
        SurveyResponse.objects.create(survey=survey, submitted_on=TODAY, a01=4)
        Service.objects.create(unit=tree.kankemenag_a, name=f"Layanan {i}")
    client = client_for("operator")
    url = reverse("surveys:manage_unit", args=["KKA"])
    client.get(url)  # the session and the user's roles, read once
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<td class="text-end">1</td>') == n  # each survey's one response
    assert html.count("Layanan ") >= n


def test_the_unit_page_and_the_menu_lead_to_the_surveys(client_for, tree):
    url = reverse("surveys:manage_unit", args=["KKA"])
    assert url in client_for("operator").get(reverse("home")).content.decode()
    detail = client_for("reviewer").get(reverse("units:detail", args=["KKA"]))
    assert url in detail.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_the_survey_page_costs_the_same_queries_at_1_and_50_batches(
    client_for, coded, django_assert_max_num_queries, n
):
    OneTimeCode.objects.bulk_create(
        OneTimeCode(survey=coded, code=f"C{i:07d}", batch=i + 1) for i in range(n)
    )
    Service.objects.bulk_create(Service(unit=coded.unit, name=f"Layanan {i}") for i in range(n))
    client = client_for("operator")
    url = reverse("surveys:manage_detail", args=[coded.pk])
    client.get(url)
    with django_assert_max_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count("?layanan=") == n
    assert response.content.decode().count(".csv") == n


def test_a_closed_survey_cannot_be_closed_again(tree, period, personas):
    survey = SurveyFactory(
        period=period,
        unit=tree.kankemenag_a,
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 2, 1),
    )
    with pytest.raises(SurveyError, match="tidak sedang dibuka"):
        services.survey_close(survey=survey, by=personas["operator"], today=TODAY)


def test_only_the_units_staff_get_the_menu_entry(client_for, tree):
    url = reverse("surveys:manage_unit", args=["KKA"])
    home = client_for("reviewer").get(reverse("home")).content.decode()
    assert url not in home


def test_the_printed_address_is_the_public_pages_own(coded):
    """links.public_path writes /survei/<token>/ without reversing (the public page is built
    in its own module); once that page is installed both must agree."""
    from django.urls import NoReverseMatch

    try:
        reversed_path = reverse("surveys:take", kwargs={"token": coded.token})
    except NoReverseMatch:
        pytest.skip("the public survey page (surveys:take) is not installed in this tree")
    assert public_path(coded) == reversed_path


def test_a_service_name_longer_than_its_column_is_refused(tree, personas):
    service = services.service_add(unit=tree.kankemenag_a, name="Loket", by=personas["operator"])
    with pytest.raises(SurveyError) as refused:
        services.service_rename(service=service, name="x" * 161, by=personas["operator"])
    assert "paling panjang 160 karakter" in str(refused.value)


def test_a_closed_periods_surveys_are_not_created_nor_changed(tree, period, personas):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    period.is_open = False
    period.save()
    with pytest.raises(SurveyError):
        services.survey_update(
            survey=survey, name="Baru", opens_on=survey.opens_on, closes_on=survey.closes_on,
            uses_codes=False, by=personas["operator"],
        )  # fmt: skip
    with pytest.raises(SurveyError):
        services.survey_create(
            unit=tree.kankemenag_a, period=period, kind="ikm", name="Lagi",
            opens_on=survey.opens_on, closes_on=survey.closes_on, uses_codes=False,
            by=personas["operator"],
        )  # fmt: skip


def test_a_survey_holds_at_most_fifty_thousand_codes(coded, personas, monkeypatch):
    monkeypatch.setattr(services, "MAX_CODES_PER_SURVEY", 3)
    services.codes_issue(survey=coded, count=2, by=personas["operator"])
    with pytest.raises(SurveyError):
        services.codes_issue(survey=coded, count=2, by=personas["operator"])


def test_a_window_cannot_leave_out_responses_already_given(tree, period, personas):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    SurveyResponse.objects.create(survey=survey, submitted_on=datetime.date(2026, 5, 2), a01=4)
    with pytest.raises(SurveyError, match="jendela survei harus mencakupnya"):
        services.survey_update(
            survey=survey, name=survey.name, opens_on=datetime.date(2026, 6, 1),
            closes_on=survey.closes_on, uses_codes=False, by=personas["operator"],
        )  # fmt: skip
    survey.refresh_from_db()
    assert survey.opens_on == datetime.date(2026, 1, 1)
