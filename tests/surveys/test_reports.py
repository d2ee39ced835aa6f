"""A survey's results: the page (exact NRR, IKM and mutu; per service; profile; trend; lowest
three), the follow-up plan and who may write it, the report files and the dashboard's survey
figures, each in a constant number of queries."""

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from reports import services, worker
from reports.dashboards import dashboard_data
from reports.models import JobStatus
from surveys.models import FollowUp, Service, SurveyResponse
from surveys.reporting import survey_data_version, survey_report
from tests.factories import PeriodFactory, SurveyFactory, UnitFactory
from units.models import UnitKind

pytestmark = pytest.mark.usefixtures("instruments")

DAY = datetime.date(2026, 3, 2)
# Four respondents. NRR: U1 15/4, U2 14/4, U3 11/4, U4-U7 15/4, U8 10/4, U9 14/4; their mean
# is 31/9, so IKM = 31/9 × 25 = 86.11 (B, Baik); lowest: U8 2.5, U3 2.75, U2 3.5 (U9 ties, later).
ANSWERS = [
    ([4, 4, 4, 4, 4, 4, 4, 4, 4], "L", "20-29", "s1", "asn", 0),
    ([3, 3, 3, 3, 3, 3, 3, 3, 3], "P", "30-39", "sma", "swasta", 0),
    ([4, 3, 2, 4, 4, 4, 4, 2, 4], "L", "30-39", "s1", "asn", 1),
    ([4, 4, 2, 4, 4, 4, 4, 1, 3], "", "50+", "s2", "lain", 1),
]


def _response(survey, answers, service=None, **profile):
    return SurveyResponse(
        survey=survey, service=service, submitted_on=DAY,
        **{f"a{i + 1:02d}": v for i, v in enumerate(answers)}, **profile,
    )  # fmt: skip


@pytest.fixture
def services_a(tree):
    return [
        Service.objects.create(unit=tree.kankemenag_a, name="Layanan Haji"),
        Service.objects.create(unit=tree.kankemenag_a, name="Layanan Nikah"),
    ]


@pytest.fixture
def survey(period, tree, services_a):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a, name="Semester I 2026")
    SurveyResponse.objects.bulk_create(
        _response(survey, a, services_a[s], gender=g, age_band=age, education=e, occupation=o)
        for a, g, age, e, o, s in ANSWERS
    )
    return survey


def _row(report, code):
    return next(r for r in report.questions if r.question.code == code)


def test_report_has_the_exact_nrr_ikm_mutu_and_lowest_three(survey):
    report = survey_report(survey)
    assert report.respondents == 4
    assert str(_row(report, "U1").value) == "3.750" and _row(report, "U1").interval == "A"
    assert str(_row(report, "U3").value) == "2.750" and _row(report, "U3").interval == "C"
    assert str(_row(report, "U8").value) == "2.500" and _row(report, "U8").interval == "D"
    assert _row(report, "U9").interval == "B"
    assert str(report.ikm) == "86.11" and report.mutu == "B" and report.kinerja == "Baik"
    assert [r.question.code for r in report.lowest] == ["U8", "U3", "U2"]


def test_results_page_shows_the_figures(client_for, survey):
    response = client_for("reviewer").get(reverse("surveys:results", args=[survey.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="ikm">86,11<' in html
    assert 'data-figure="mutu">B' in html and "Baik" in html
    assert "Laporan Hasil Survei Kepuasan Masyarakat" in html
    assert 'value="survey_report"' in html  # the report buttons


@pytest.fixture
def one_per_service(monkeypatch):
    """Services shown from one respondent (the tests' small samples; see the test below)."""
    from reports import kinds
    from surveys import reporting

    monkeypatch.setattr(reporting, "MIN_PER_SERVICE", 1)
    monkeypatch.setattr(kinds, "MIN_PER_SERVICE", 1)


def test_a_service_with_few_respondents_shows_no_figures(client_for, survey, personas):
    from reports.services import report_request

    desk = Service.objects.create(unit=survey.unit, name="Loket kecil")
    SurveyResponse.objects.bulk_create([_response(survey, [4] * 9, service=desk)] * 2)
    page = client_for("reviewer").get(
        reverse("surveys:results", args=[survey.pk]) + f"?layanan={desk.pk}"
    )
    html = page.content.decode()
    assert "baru memiliki 2 responden" in html and 'data-figure="mutu">–' in html
    with pytest.raises(Exception, match="baru memiliki 2 responden"):
        report_request(
            kind="survey_report", params={"survey": survey.pk, "service": desk.pk},
            by=personas["operator"],
        )  # fmt: skip


@pytest.mark.usefixtures("one_per_service")
def test_service_filter_limits_every_figure_to_that_service(client_for, survey, services_a):
    haji, nikah = services_a
    assert str(survey_report(survey, service=haji).ikm) == "87.50"  # every NRR 3.5
    # U1..U9 = 4, 3.5, 2, 4, 4, 4, 4, 1.5, 3.5: 30.5 / 9 × 25 = 84.72
    assert str(survey_report(survey, service=nikah).ikm) == "84.72"
    url = reverse("surveys:results", args=[survey.pk])
    html = client_for("operator").get(url, {"layanan": nikah.pk}).content.decode()
    assert 'data-figure="ikm">84,72<' in html and 'data-figure="respondents">2<' in html


def test_a_service_of_another_unit_is_ignored(client_for, survey, tree):
    other = Service.objects.create(unit=tree.kankemenag_b, name="Layanan lain")
    html = (
        client_for("operator")
        .get(reverse("surveys:results", args=[survey.pk]), {"layanan": other.pk})
        .content.decode()
    )
    assert 'data-figure="respondents">4<' in html


def test_profile_breakdown_counts_and_shares(survey):
    profile = {b.key: b for b in survey_report(survey).profile}
    gender = {r.label: (r.count, str(r.percent)) for r in profile["gender"].rows}
    assert gender == {
        "Laki-laki": (2, "50.0"),
        "Perempuan": (1, "25.0"),
        "Tidak diisi": (1, "25.0"),
    }
    services = {r.label: r.count for r in profile["service"].rows}
    assert services == {"Layanan Haji": 2, "Layanan Nikah": 2}
    ages = {r.label: r.count for r in profile["age_band"].rows}
    assert ages["30–39 tahun"] == 2 and ages["Di bawah 20 tahun"] == 0


def test_trend_spans_the_units_surveys_of_the_kind_over_periods(survey, lke, tree):
    earlier = SurveyFactory(
        period=PeriodFactory(year=2025, lke_version=lke), unit=tree.kankemenag_a,
        name="Semester II 2025", opens_on=datetime.date(2025, 7, 1),
        closes_on=datetime.date(2025, 12, 31),
    )  # fmt: skip
    SurveyResponse.objects.bulk_create([_response(earlier, [3] * 9)])
    SurveyFactory(period=survey.period, unit=tree.kankemenag_a, kind="spkp")  # another kind
    trend = survey_report(survey).trend
    assert [(t.survey.name, t.respondents, str(t.value), t.mutu, t.current) for t in trend] == [
        ("Semester II 2025", 1, "75.00", "C", False),
        ("Semester I 2026", 4, "86.11", "B", True),
    ]


def test_spkp_report_gives_the_index_and_its_lke_value(period, tree):
    spkp = SurveyFactory(period=period, unit=tree.kankemenag_a, kind="spkp")
    SurveyResponse.objects.bulk_create([_response(spkp, [4] * 9), _response(spkp, [3] * 9)])
    report = survey_report(spkp)
    assert str(report.index) == "3.50" and str(report.lke_value) == "3.50"
    assert report.ikm is None and all(r.interval is None for r in report.questions)


# --------------------------------------------------------------------------- follow-up plan


def _plan(client, survey, question, **data):
    url = reverse("surveys:follow_up", args=[survey.pk])
    return client.post(url, {"question": question.pk, "action": "Rapat evaluasi",
                             "target_on": "2026-06-30", "progress": "25", **data})  # fmt: skip


def test_operator_writes_and_changes_the_plan_all_readers_see_it(client_for, survey, personas):
    u8 = survey.instrument.questions.get(code="U8")
    response = _plan(client_for("operator"), survey, u8)
    assert response.status_code == 302 and response.url.endswith("#rencana")
    response = _plan(client_for("operator"), survey, u8, action="Kotak saran daring", progress=60)
    item = FollowUp.objects.get(survey=survey, question=u8)
    assert (item.action, item.progress, item.target_on) == (
        "Kotak saran daring",
        60,
        datetime.date(2026, 6, 30),
    )
    assert item.updated_by == personas["operator"]
    codes = LogEntry.objects.get_for_object(item).values_list("additional_data__action", flat=True)
    assert list(codes) == ["zi.survey_follow_up.saved"] * 2
    html = client_for("reviewer").get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Kotak saran daring" in html and "60%" in html
    assert reverse("surveys:follow_up", args=[survey.pk]) not in html  # no form for readers


def test_reviewer_may_not_write_the_plan_and_operator_b_does_not_see_it(client_for, survey):
    u8 = survey.instrument.questions.get(code="U8")
    assert _plan(client_for("reviewer"), survey, u8).status_code == 403
    assert _plan(client_for("operator_b"), survey, u8).status_code == 404
    assert (
        client_for("operator_b").get(reverse("surveys:results", args=[survey.pk])).status_code
        == 404
    )
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"progress": "150"}, "100"),
        ({"progress": "-1"}, "0"),
        ({"action": "   "}, "belum disimpan"),
        ({"action": "x" * 2001}, "2000"),
        ({"action": "Rapat\x00"}, "NUL"),
    ],
)
def test_bad_plan_is_refused_with_a_message_and_nothing_saved(client_for, survey, data, message):
    u8 = survey.instrument.questions.get(code="U8")
    response = _plan(client_for("operator"), survey, u8, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FollowUp.objects.exists()


def test_a_question_of_another_instrument_is_refused(client_for, survey, period, tree):
    other = SurveyFactory(period=period, unit=tree.kankemenag_a, kind="spak")
    question = other.instrument.questions.first()
    response = _plan(client_for("operator"), survey, question)
    assert response.status_code == 400
    assert "bukan bagian dari instrumen survei" in response.content.decode()
    assert not FollowUp.objects.exists()


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("n", [1, 50])
def test_results_page_queries_do_not_grow_with_responses(
    client_for, period, tree, n, django_assert_max_num_queries
):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    SurveyResponse.objects.bulk_create(_response(survey, [n % 4 + 1] * 9) for _ in range(n))
    client = client_for("operator")
    with django_assert_max_num_queries(18):
        assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
@pytest.mark.usefixtures("one_per_service")
def test_results_page_queries_do_not_grow_with_services_and_periods(
    client_for, lke, tree, n, django_assert_max_num_queries
):
    unit = tree.kankemenag_a
    services_ = [Service.objects.create(unit=unit, name=f"Layanan {i}") for i in range(n)]
    surveys = []
    for i in range(n):
        p = PeriodFactory(year=2026 - i, lke_version=lke)
        s = SurveyFactory(period=p, unit=unit, name=f"Survei {i}")
        SurveyResponse.objects.bulk_create(_response(s, [3] * 9, sv) for sv in services_)
        surveys.append(s)
    u1 = surveys[0].instrument.questions.get(code="U1")
    FollowUp.objects.create(survey=surveys[0], question=u1, action="A", progress=10)
    client = client_for("operator")
    with django_assert_max_num_queries(18):
        response = client.get(
            reverse("surveys:results", args=[surveys[0].pk]), {"layanan": services_[0].pk}
        )
    assert response.status_code == 200 and len(response.context["report"].trend) == n


# --------------------------------------------------------------------------- report files


def _run(survey, user, fmt, **params):
    job = services.report_request(
        kind="survey_report", params={"survey": survey.pk, "format": fmt, **params}, by=user
    )
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job


@pytest.fixture
def with_plan(survey, personas):
    FollowUp.objects.create(
        survey=survey, question=survey.instrument.questions.get(code="U8"),
        action="Kotak saran daring", target_on=datetime.date(2026, 6, 30), progress=40,
    )  # fmt: skip
    return survey


def test_pdf_report_holds_the_ikm_mutu_plan_and_trend(with_plan, personas, storage, tmp_path):
    job = _run(with_plan, personas["reviewer"], "pdf")
    assert job.filename.endswith(".pdf") and job.content_type == "application/pdf"
    path = tmp_path / "survei.pdf"
    path.write_bytes(job.file.read())
    text = subprocess.run(
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Laporan Hasil Survei Kepuasan Masyarakat" in text
    assert "86,11" in text and "Baik" in text
    assert "Kotak saran daring" in text and "40%" in text
    assert "Tiga unsur terendah" in text and "Tren antarperiode" in text


def test_xlsx_report_has_the_same_content_as_sheets(with_plan, personas, storage):
    job = _run(with_plan, personas["operator"], "xlsx")
    book = load_workbook(io.BytesIO(job.file.read()))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["IKM"] == 86.11 and summary["Mutu pelayanan"] == "B"
    assert summary["Responden"] == 4
    unsur = list(book["Unsur"].iter_rows(values_only=True))
    assert unsur[0] == ("Kode", "Unsur", "Menjawab", "NRR", "Mutu")
    assert unsur[8] == ("U8", "Penanganan pengaduan, saran dan masukan", 4, 2.5, "D")
    plan = list(book["Rencana tindak lanjut"].iter_rows(values_only=True))
    assert ("U8", "Penanganan pengaduan, saran dan masukan", "Kotak saran daring",
            "2026-06-30", 40) in plan  # fmt: skip
    assert {"Profil responden", "Tren"} <= set(book.sheetnames)


@pytest.mark.usefixtures("one_per_service")
def test_csv_report_has_the_unsur_table_and_the_summary(survey, personas, storage, services_a):
    job = _run(survey, personas["operator"], "csv", service=services_a[1].pk)
    rows = list(csv.reader(io.StringIO(job.file.read().decode("utf-8-sig"))))
    assert rows[0] == ["Kode", "Unsur", "Menjawab", "NRR", "Mutu"]
    assert rows[1] == ["U1", "Persyaratan", "2", "4.000", "A"]
    summary = {row[0]: row[1] for row in rows[11:] if row}
    assert summary["IKM"] == "84.72" and summary["Jenis layanan"] == "Layanan Nikah"


def test_report_file_is_remade_when_responses_or_the_plan_change(survey, personas, storage):
    first = _run(survey, personas["operator"], "csv")
    assert services.report_request(
        kind="survey_report", params={"survey": survey.pk, "format": "csv"},
        by=personas["operator"],
    ).pk == first.pk  # fmt: skip
    version = survey_data_version(survey.pk)
    SurveyResponse.objects.bulk_create([_response(survey, [1] * 9)])
    assert survey_data_version(survey.pk) != version
    second = _run(survey, personas["operator"], "csv")
    assert second.pk != first.pk
    version = survey_data_version(survey.pk)
    FollowUp.objects.create(
        survey=survey, question=survey.instrument.questions.first(), action="A", progress=5
    )
    assert survey_data_version(survey.pk) != version
    assert _run(survey, personas["operator"], "csv").pk != second.pk


def test_report_request_is_refused_outside_scope_and_for_bad_params(survey, personas, tree):
    from core.errors import ReportError

    other = Service.objects.create(unit=tree.kankemenag_b, name="Lain")
    for params, who in [
        ({"survey": survey.pk, "format": "pdf"}, "operator_b"),
        ({"survey": survey.pk, "format": "doc"}, "operator"),
        ({"survey": survey.pk, "format": "pdf", "service": other.pk}, "operator"),
    ]:
        with pytest.raises(ReportError):
            services.report_request(kind="survey_report", params=params, by=personas[who])


def test_results_page_button_starts_a_job(client_for, survey, personas, mocker):
    mocker.patch("reports.tasks.enqueue")
    response = client_for("operator").post(
        reverse("reports:request"),
        {"kind_of_report": "survey_report", "survey": survey.pk, "format": "xlsx"},
    )
    assert response.status_code == 302
    job = personas["operator"].report_jobs.get()
    assert job.params == {"survey": survey.pk, "format": "xlsx", "service": None}


# --------------------------------------------------------------------------- dashboard


def test_dashboard_summarises_each_kind_and_each_kanwil(personas, period, tree, survey):
    b = SurveyFactory(period=period, unit=tree.kankemenag_b)  # IKM 25 × 1 = 25.00: D
    SurveyResponse.objects.bulk_create([_response(b, [1] * 9), _response(b, [1] * 9)])
    m = SurveyFactory(period=period, unit=tree.madrasah_a)  # two windows: 75 and 100 → 87.50
    m2 = SurveyFactory(period=period, unit=tree.madrasah_a, name="Semester II")
    SurveyResponse.objects.bulk_create([_response(m, [3] * 9), _response(m2, [4] * 9)])
    spak = SurveyFactory(period=period, unit=tree.kankemenag_a, kind="spak")
    SurveyResponse.objects.bulk_create([_response(spak, [4] * 7), _response(spak, [2] * 7)])
    SurveyFactory(period=period, unit=tree.kanwil_b, kind="spkp")  # no response yet

    kinds = {k.kind: k for k in dashboard_data(personas["admin"], {"period": "2026"}).surveys}
    ikm = kinds["ikm"].figures
    assert (ikm.units, ikm.respondents) == (3, 8)
    # units: 86.11 (B), 25 (D), 87.5 (B): mean of the exact values 86.111… + 25 + 87.5 → 66.20
    assert str(ikm.mean) == "66.20" and dict(ikm.mutu) == {"A": 0, "B": 2, "C": 0, "D": 1}
    groups = {g.name: g.figures for g in kinds["ikm"].groups}
    assert (groups["Kanwil Jawa Tengah"].units, str(groups["Kanwil Jawa Tengah"].mean)) == (
        2,
        "86.81",
    )
    assert dict(groups["Kanwil DI Yogyakarta"].mutu)["D"] == 1
    spak_fig = kinds["spak"].figures
    assert (spak_fig.units, spak_fig.respondents, str(spak_fig.mean)) == (1, 2, "3.00")
    assert (kinds["spkp"].figures.units, kinds["spkp"].figures.mean) == (1, None)

    reviewer = {k.kind: k for k in dashboard_data(personas["reviewer"], {"period": "2026"}).surveys}
    assert (reviewer["ikm"].figures.units, reviewer["ikm"].figures.respondents) == (2, 6)
    assert [g.name for g in reviewer["ikm"].groups] == ["Kanwil Jawa Tengah"]


def test_dashboard_page_shows_the_survey_table(client_for, survey):
    html = client_for("admin").get(reverse("dashboards:home")).content.decode()
    assert 'id="survey-summary"' in html and "86,11" in html


@pytest.mark.parametrize("n", [1, 50])
def test_dashboard_survey_queries_do_not_grow_with_units(
    client_for, period, tree, n, django_assert_max_num_queries
):
    for i in range(n):
        unit = UnitFactory(
            code=f"SV{i}", kind=UnitKind.MADRASAH, parent=tree.kankemenag_a, madrasah_level="MIN"
        )
        for kind in ("ikm", "spkp"):
            s = SurveyFactory(period=period, unit=unit, kind=kind)
            SurveyResponse.objects.bulk_create([_response(s, [3] * 9)] * 2)
    client = client_for("admin")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("dashboards:home"))
    kinds = {k.kind: k for k in response.context["dash"].surveys}
    assert kinds["ikm"].figures.units == n and kinds["spkp"].figures.respondents == 2 * n


@pytest.mark.parametrize("kind", ["ikm", "spkp", "spak"])
def test_a_survey_without_responses_renders_every_page_and_file(
    client_for, period, tree, personas, storage, kind
):
    empty = SurveyFactory(period=period, unit=tree.kankemenag_a, kind=kind)
    response = client_for("operator").get(reverse("surveys:results", args=[empty.pk]))
    assert response.status_code == 200
    assert 'data-figure="respondents">0<' in response.content.decode()
    for fmt in ("pdf", "xlsx", "csv"):
        assert _run(empty, personas["operator"], fmt).size > 0


def test_spkp_page_shows_the_index_and_the_lke_value(client_for, period, tree):
    spkp = SurveyFactory(period=period, unit=tree.kankemenag_a, kind="spkp")
    SurveyResponse.objects.bulk_create([_response(spkp, [4] * 9), _response(spkp, [3] * 9)])
    html = client_for("reviewer").get(reverse("surveys:results", args=[spkp.pk])).content.decode()
    assert 'data-figure="index">3,50<' in html and 'data-figure="lke">3,50<' in html
    assert "Laporan Hasil Survei Persepsi Kualitas Pelayanan" in html


def test_an_odd_unsur_in_the_plan_form_is_refused_not_a_crash(client_for, survey):
    url = reverse("surveys:follow_up", args=[survey.pk])
    response = client_for("operator").post(url, {"question": "%d", "action": "x"})
    assert response.status_code == 400


def test_an_spkp_report_counts_who_answered_each_question(period, tree):
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a, kind="spkp")
    rows = [[4] * 9, [3] * 9, [2] + [None] * 8]
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey, submitted_on=survey.opens_on,
            **{f"a{i + 1:02d}": v for i, v in enumerate(row)},
        )
        for row in rows
    )  # fmt: skip
    report = survey_report(survey)
    assert [q.answered for q in report.questions[:2]] == [3, 2]


def test_dashboard_pools_a_units_windows_as_the_lke_does(personas, period, tree):
    first = SurveyFactory(period=period, unit=tree.madrasah_a)
    second = SurveyFactory(period=period, unit=tree.madrasah_a, name="Semester II")
    SurveyResponse.objects.bulk_create([_response(first, [2] * 9)] * 1)
    SurveyResponse.objects.bulk_create([_response(second, [4] * 9) for _ in range(3)])
    kinds = {k.kind: k for k in dashboard_data(personas["admin"], {"period": "2026"}).surveys}
    # pooled: NRR (2 + 12) / 4 = 3.5 → 87.50 (B); the mean of 50 and 100 would be 75 (C)
    assert str(kinds["ikm"].figures.mean) == "87.50"
    assert dict(kinds["ikm"].figures.mutu)["B"] == 1
