"""The public survey: a response is one anonymous row; repeats are refused (one-time codes,
one per device per day); nothing is stored outside the survey's window, on bad input or from
a bot; the page is small and its queries do not grow with the data."""

import datetime
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import SurveyError
from surveys.models import ANSWER_FIELDS, OneTimeCode, Service, SurveyResponse
from surveys.responses import response_submit
from surveys.views_public import DEVICE_COOKIE, form_stamp
from tests.factories import SurveyFactory

pytestmark = pytest.mark.usefixtures("instruments")

DAY = datetime.date(2026, 3, 10)
ALL_GOOD = [4, 3, 4, 4, 3, 4, 4, 2, 3]


@pytest.fixture
def survey(period, tree):
    return SurveyFactory(
        period=period,
        unit=tree.kankemenag_a,
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 6, 30),
    )


@pytest.fixture
def service(survey):
    return Service.objects.create(unit=survey.unit, name="Legalisir ijazah")


def submit(survey, service, answers=None, *, device="perangkat-uji-000000001", code=None,
           today=DAY, profile=None):  # fmt: skip
    return response_submit(
        survey=survey, service=service, answers=ALL_GOOD if answers is None else answers,
        profile=profile or {}, device_key=device, code=code, today=today,
    )  # fmt: skip


def refusal(**kwargs) -> str:
    with pytest.raises(SurveyError) as refused:
        submit(**kwargs)
    return str(refused.value)


# --------------------------------------------------------------------- the service


def test_a_response_is_one_row_with_answers_by_position_and_the_profile(survey, service):
    profile = {"gender": "P", "age_band": "30-39", "education": "s1", "occupation": "asn"}
    submit(survey, service, [4, None, 3, 2, 1, 4, 4, 3, None], profile=profile)
    row = SurveyResponse.objects.get()
    assert row.survey == survey and row.service == service and row.submitted_on == DAY
    assert row.answers()[:9] == [4, None, 3, 2, 1, 4, 4, 3, None]
    assert row.answers()[9:] == [None] * 7
    assert (row.gender, row.age_band, row.education, row.occupation) == ("P", "30-39", "s1", "asn")
    assert len(row.dedupe) == 32


def test_storing_a_response_is_one_insert(survey, service):
    survey = type(survey).objects.prefetch_related("instrument__questions").get(pk=survey.pk)
    list(survey.instrument.questions.all())
    with CaptureQueriesContext(connection) as captured:
        submit(survey, service)
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1 and statements[0].startswith("INSERT")


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([None] * 9, "Jawab paling sedikit satu pertanyaan"),
        ([4] * 8, "Jumlah jawaban tidak sesuai"),
        ([4] * 10, "Jumlah jawaban tidak sesuai"),
        ([5, 4, 4, 4, 4, 4, 4, 4, 4], "U1 harus 1 sampai 4"),
        ([4, 0, 4, 4, 4, 4, 4, 4, 4], "U2 harus 1 sampai 4"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(survey, service, answers, message):
    assert message in refusal(survey=survey, service=service, answers=answers)
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    "profile", [{"gender": "X"}, {"age_band": "17"}, {"name": "Budi"}, {"occupation": "lain "}]
)
def test_a_profile_outside_the_choices_is_refused(survey, service, profile):
    refusal(survey=survey, service=service, profile=profile)
    assert not SurveyResponse.objects.exists()


def test_a_service_of_another_unit_or_inactive_is_refused(survey, service, tree):
    other = Service.objects.create(unit=tree.kankemenag_b, name="Legalisir ijazah")
    assert "tidak tersedia" in refusal(survey=survey, service=other)
    service.is_active = False
    service.save()
    assert "tidak tersedia" in refusal(survey=survey, service=service)
    assert not SurveyResponse.objects.exists()


def test_a_service_must_be_chosen_when_the_unit_lists_services(survey, service):
    assert "Pilih jenis layanan" in refusal(survey=survey, service=None)
    service.delete()
    submit(survey, None)  # a unit without services listed still gets answers
    assert SurveyResponse.objects.get().service is None


@pytest.mark.parametrize("day", [datetime.date(2025, 12, 31), datetime.date(2026, 7, 1)])
def test_outside_its_window_a_survey_refuses_with_its_dates(survey, service, day):
    message = refusal(survey=survey, service=service, today=day)
    assert "Survei ini tidak sedang dibuka" in message
    assert "1 Januari 2026" in message and "30 Juni 2026" in message
    assert not SurveyResponse.objects.exists()


def test_the_same_device_once_a_day_and_again_the_next_day(survey, service):
    submit(survey, service)
    assert "sudah mengisi survei ini hari ini" in refusal(survey=survey, service=service)
    submit(survey, service, device="perangkat-lain-0000000001")
    submit(survey, service, today=DAY + datetime.timedelta(days=1))
    assert SurveyResponse.objects.count() == 3
    assert len(set(SurveyResponse.objects.values_list("dedupe", flat=True))) == 3


@pytest.fixture
def coded(survey):
    survey.uses_codes = True
    survey.save()
    OneTimeCode.objects.create(survey=survey, code="ABCD2345", batch=1)
    return survey


def test_a_one_time_code_admits_one_response_once(coded, service):
    submit(coded, service, code="abcd-2345 ")
    assert OneTimeCode.objects.get().used
    row = SurveyResponse.objects.get()
    assert row.dedupe is None  # nothing of the code (nor the device) beside the answers
    later = DAY + datetime.timedelta(days=3)
    message = refusal(survey=coded, service=service, code="ABCD2345", device="x" * 24, today=later)
    assert "Kode ini sudah dipakai" in message
    assert SurveyResponse.objects.count() == 1
    assert OneTimeCode.objects.get().used


@pytest.mark.parametrize("code", ["ZZZZ9999", "ABCD234", "ABCD-23O5", "", None])
def test_an_unknown_or_missing_code_is_refused(coded, service, code):
    message = refusal(survey=coded, service=service, code=code)
    assert "Kode tidak dikenal" in message or "Masukkan kode" in message
    assert not SurveyResponse.objects.exists()
    assert not OneTimeCode.objects.get().used


def test_a_code_of_another_survey_is_unknown(coded, service, period):
    other = SurveyFactory(period=period, unit=coded.unit, uses_codes=True)
    OneTimeCode.objects.create(survey=other, code="HJKM6789", batch=1)
    assert "Kode tidak dikenal" in refusal(survey=coded, service=service, code="HJKM6789")


def test_a_refused_response_leaves_the_code_unused(coded, service):
    refusal(survey=coded, service=service, code="ABCD2345", answers=[None] * 9)
    assert not OneTimeCode.objects.get().used


# --------------------------------------------------------------------- the page


@pytest.fixture
def today_survey(survey):
    today = timezone.localdate()
    survey.opens_on, survey.closes_on = today - datetime.timedelta(days=5), today
    survey.save()
    return survey


def form_data(service=None, answers=ALL_GOOD, **extra):
    data = {f"q{n}": str(v) for n, v in enumerate(answers, start=1) if v is not None}
    data.update(t=form_stamp(time.time() - 30), **extra)
    if service is not None:
        data["layanan"] = str(service.pk)
    return data


def take_url(survey, **query):
    url = reverse("surveys:take", args=[survey.token])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_page_shows_the_unit_the_questions_and_presets_the_service(
    client, today_survey, service
):
    Service.objects.create(unit=today_survey.unit, name="Konsultasi")
    response = client.get(take_url(today_survey, layanan=service.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert today_survey.unit.name in html
    assert f'<option value="{service.pk}" selected>' in html
    assert html.count('type="radio"') == 9 * 4
    assert "Tidak sesuai" in html and "Sangat sesuai" in html
    assert html.index("Tidak sesuai") < html.index("Sangat sesuai")  # worst first
    assert "anonim" in html
    assert 'name="kode"' not in html
    assert "<script" not in html and "bootstrap" not in html
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60


def test_a_survey_with_codes_asks_for_the_code_prefilled_from_the_address(
    client, today_survey, service
):
    today_survey.uses_codes = True
    today_survey.save()
    html = client.get(take_url(today_survey, kode="ABCD2345")).content.decode()
    assert 'name="kode" value="ABCD2345"' in html


def test_an_unknown_token_is_a_404(client, db):
    assert client.get(reverse("surveys:take", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("surveys:thanks", args=["tidak-ada"])).status_code == 404


def test_posting_stores_one_row_and_thanks(client, today_survey, service):
    client.get(take_url(today_survey))
    response = client.post(take_url(today_survey), form_data(service, gender="L", usia=""))
    assert response.status_code == 302
    assert response.url == reverse("surveys:thanks", args=[today_survey.token])
    row = SurveyResponse.objects.get()
    assert row.answers()[:9] == ALL_GOOD and row.gender == "L"
    assert row.submitted_on == timezone.localdate()
    thanks = client.get(response.url)
    assert thanks.status_code == 200 and "Terima kasih" in thanks.content.decode()


def test_the_same_phone_twice_a_day_is_told_so(client, today_survey, service):
    client.get(take_url(today_survey))
    client.post(take_url(today_survey), form_data(service))
    again = client.post(take_url(today_survey), form_data(service))
    assert again.status_code == 400
    assert "sudah mengisi survei ini hari ini" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_bad_input_keeps_what_the_person_chose(client, today_survey, service):
    today_survey.uses_codes = True
    today_survey.save()
    data = form_data(service, [4, None, 2, None, None, None, None, None, None], kode="QQQQ2222",
                     education="sma")  # fmt: skip
    response = client.post(take_url(today_survey), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kode tidak dikenal" in html
    assert 'name="q1" value="4" checked' in html and 'name="q3" value="2" checked' in html
    assert 'value="sma" selected' in html and 'value="QQQQ2222"' in html
    assert f'<option value="{service.pk}" selected>' in html
    assert not SurveyResponse.objects.exists()


def test_a_form_sent_back_within_two_seconds_is_shown_again(client, today_survey, service):
    data = {**form_data(service), "t": form_stamp()}
    response = client.post(take_url(today_survey), data)
    assert response.status_code == 400
    assert "terlalu cepat" in response.content.decode()
    forged = client.post(take_url(today_survey), {**data, "t": "123:forged"})
    assert forged.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, today_survey, service):
    html = client.get(take_url(today_survey)).content.decode()
    assert 'class="hp" aria-hidden="true"' in html
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in html
    response = client.post(
        take_url(today_survey), form_data(service, website="http://spam.example")
    )
    assert response.status_code == 302 and response.url.endswith("/terima-kasih/")
    assert not SurveyResponse.objects.exists()


def test_outside_its_window_the_page_says_so_and_refuses_a_post(client, survey, service):
    survey.opens_on = survey.closes_on = timezone.localdate() + datetime.timedelta(days=1)
    survey.save()
    page = client.get(take_url(survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Survei ini tidak sedang dibuka" in html and 'type="radio"' not in html
    refused = client.post(take_url(survey), form_data(service))
    assert refused.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_the_page_with_its_stylesheet_is_under_30_kb(client, today_survey, service, tree):
    for n in range(12):  # a unit with many services
        Service.objects.create(unit=today_survey.unit, name=f"Layanan nomor {n} yang panjang")
    today_survey.uses_codes = True
    today_survey.save()
    html = client.get(take_url(today_survey)).content
    css = (Path(settings.BASE_DIR) / "static" / "css" / "survey.css").read_bytes()
    favicon = (Path(settings.BASE_DIR) / "static" / "img" / "favicon.svg").read_bytes()
    assert len(html) + len(css) + len(favicon) < 30 * 1024, (len(html), len(css))


def _queries(client, method, *args) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(*args)
    assert response.status_code in (200, 302), response.content[:300]
    return len(captured.captured_queries)


def test_queries_stay_the_same_however_many_responses_and_services(
    client, today_survey, service, period
):
    url = take_url(today_survey)
    small_get = _queries(client, "get", url)
    small_post = _queries(client, "post", url, form_data(service))
    for n in range(30):
        Service.objects.create(unit=today_survey.unit, name=f"Layanan {n}")
    SurveyResponse.objects.bulk_create(
        SurveyResponse(survey=today_survey, submitted_on=DAY, a01=4) for _ in range(50)
    )
    client.cookies.pop(DEVICE_COOKIE)
    assert _queries(client, "get", url) == small_get <= 3
    assert (
        _queries(client, "post", url, form_data(service)) == small_post <= 6
    )  # with the insert's savepoint


def test_the_stored_row_holds_no_address_user_agent_or_time(client, today_survey, service):
    from auditlog.models import LogEntry

    client.post(
        take_url(today_survey), form_data(service),
        REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Mozilla/5.0 (iPhone) UjiAgen",
    )  # fmt: skip
    row = SurveyResponse.objects.values().get()
    names = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not {"ip", "user_agent", "created_at", "submitted_at"} & names
    expected = {"id", "survey_id", "service_id", "submitted_on", "gender", "age_band",
                "education", "occupation", "dedupe", *ANSWER_FIELDS}  # fmt: skip
    assert set(row) == expected
    text = " ".join(str(v) for v in row.values())
    assert "203.0.113" not in text and "UjiAgen" not in text and "iPhone" not in text
    assert isinstance(row["submitted_on"], datetime.date)
    assert not LogEntry.objects.filter(remote_addr="203.0.113.77").exists()


def test_the_device_cookie_is_secure_in_production_and_kept_once_set(
    client, today_survey, service, settings
):
    settings.SESSION_COOKIE_SECURE = True
    first = client.get(take_url(today_survey))
    assert first.cookies[DEVICE_COOKIE]["secure"]
    again = client.get(take_url(today_survey))
    assert DEVICE_COOKIE not in again.cookies  # the same device keeps its key
    client.cookies[DEVICE_COOKIE] = "<script>"  # not a key the portal made: replaced
    assert client.get(take_url(today_survey)).cookies[DEVICE_COOKIE].value != "<script>"


def test_a_digit_that_is_not_ascii_is_no_service_nor_answer(client, today_survey, service):
    page = client.get(take_url(today_survey, layanan="²"))
    assert page.status_code == 200
    response = client.post(take_url(today_survey), form_data(service, q1="²"))
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()
