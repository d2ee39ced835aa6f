"""Dashboards for Admin nasional, Kanwil/Eselon I reviewers and TPI: who may open them, what
they count within each one's scope, that the averaged area totals are the scoring engine's,
the units at risk, and a fixed number of queries whatever the number of units."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from areas.models import Question
from assessments.models import Answer, Layer, PredicateAward, Stage, Status
from assessments.worksheet import tally
from assessments.worksheet.scores import layer_results
from assessments.worksheet.services import answer_save
from reports.dashboard_filters import DashboardFilters
from reports.dashboards import dashboard_data
from tests.assessments.helpers import answer_all, best_value
from tests.factories import AssessmentFactory, PeriodFactory, UnitFactory

URL = "/dashboard/"
TOLERANCE = Decimal("0.000001")  # stored scores keep 6 decimals; the engine keeps more


def _choice(seed):
    """A value_for giving each question a different, valid answer depending on `seed`."""

    def pick(question):
        options = sorted(question.options.all(), key=lambda o: o.position)
        if options:
            return options[(seed + question.pk) % len(options)].label
        if question.answer_type == "survey_index":
            return 1 + (seed + question.pk) % 4
        return (seed * 37 + question.pk * 11) % 101

    return pick


def _answer(assessment, codes, by, layer=Layer.SELF):
    """Mark the given questions answered in one layer (value and score do not matter here)."""
    rows = []
    for q in Question.objects.filter(version=assessment.period.lke_version, code__in=codes):
        rows.append(
            Answer(
                assessment=assessment, question=q, layer=layer, value="x", score=1, updated_by=by
            )
        )
    Answer.objects.bulk_create(rows)
    tally.rebuild([assessment.pk])


def _due_soon(period, days=3):
    """Every stage deadline of the period from `days` after today on, a month apart."""
    start = datetime.date.today() + datetime.timedelta(days=days)
    for i, stage in enumerate(Stage):
        setattr(period, f"deadline_{stage}", start + datetime.timedelta(days=30 * i))
    period.save()


def _area_progress(dash, number):
    return next(p for p in dash.progress if p.number == number)


def _self_cell(row):
    return next(c for c in row.cells if c.layer == Layer.SELF)


# --------------------------------------------------------------------------- access


def test_url_name_and_path():
    assert reverse("dashboards:home") == URL


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("reviewer", 200), ("tpi", 200), ("operator", 403), ("operator_b", 403),
     ("pimpinan", 403), ("outsider", 403), ("tpn", 403)],
)  # fmt: skip
def test_dashboard_access_per_role(client_for, assessment, persona, status):
    response = client_for(persona).get(URL)
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, assessment):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_dashboard_without_any_period_renders(client_for, tree):
    response = client_for("admin").get(URL)
    assert response.status_code == 200
    assert "Belum ada periode penilaian." in response.content.decode()


# --------------------------------------------------------------------------- scope and counts


def test_reviewer_counts_only_units_of_their_kanwil(personas, assessment, assessment_b):
    reviewer = dashboard_data(personas["reviewer"], {})
    admin = dashboard_data(personas["admin"], {})
    tpi = dashboard_data(personas["tpi"], {})
    assert reviewer.total == 1  # Semarang; Sleman (Kanwil DIY) is not theirs
    assert admin.total == tpi.total == 2
    assert [g.code for g in reviewer.options.groups] == ["KWA"]
    assert reviewer.options.provinces == ["Jawa Tengah"]


def test_reviewer_cannot_widen_scope_with_another_group(personas, tree, assessment, assessment_b):
    dash = dashboard_data(personas["reviewer"], {"group": tree.kanwil_b.code})
    assert dash.filters.group is None
    assert dash.total == 1


def test_reviewer_page_does_not_list_other_kanwil_units(client_for, tree, assessment, assessment_b):
    for a in (assessment, assessment_b):
        a.status = Status.PEMBANGUNAN
        a.save()
    _due_soon(assessment.period, days=-27)  # Pembangunan due in 3 days
    body = client_for("reviewer").get(URL).content.decode()
    assert "Kankemenag Kota Semarang" in body
    assert "Kankemenag Kabupaten Sleman" not in body
    assert "Kankemenag Kabupaten Sleman" in client_for("admin").get(URL).content.decode()


def test_filters_by_group_province_and_kind(personas, tree, assessment, assessment_b):
    AssessmentFactory(period=assessment.period, unit=tree.madrasah_a)
    admin = personas["admin"]
    assert dashboard_data(admin, {}).total == 3
    assert dashboard_data(admin, {"group": tree.kanwil_b.code}).total == 1
    assert dashboard_data(admin, {"province": "DI Yogyakarta"}).total == 1
    assert dashboard_data(admin, {"kind": "madrasah"}).total == 1
    assert dashboard_data(admin, {"kind": "kankemenag", "group": "KWA"}).total == 1
    assert dashboard_data(admin, {"kind": "nonsense"}).filters.kind == ""


def test_default_period_is_the_latest_open_one(personas, lke, tree, assessment):
    PeriodFactory(year=2027, lke_version=lke, is_open=False)
    dash = dashboard_data(personas["admin"], {})
    assert dash.filters.period == assessment.period
    other = dashboard_data(personas["admin"], {"period": "2027"})
    assert other.filters.period.year == 2027
    assert other.total == 0


def test_counts_per_stage_and_status(personas, period, tree, assessment, assessment_b):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    AssessmentFactory(period=period, unit=tree.madrasah_a, status=Status.TPI_REVIEW)
    AssessmentFactory(period=period, unit=tree.kanwil_a, status=Status.GRANTED)
    stages = {s.stage: s for s in dashboard_data(personas["admin"], {}).stages}
    assert list(stages) == list(Stage)
    assert stages[Stage.PENCANANGAN].count == 1  # Sleman
    assert stages[Stage.PENILAIAN].count == 2
    assert stages[Stage.EVALUASI].count == 1
    penilaian = {status: n for status, _label, n in stages[Stage.PENILAIAN].statuses}
    assert penilaian[Status.PRELIMINARY_REVIEW] == penilaian[Status.TPI_REVIEW] == 1


def test_progress_per_area_is_the_mean_share_of_answered_self_items(
    personas, period, assessment, assessment_b
):
    area_1 = list(
        Question.objects.filter(version=period.lke_version, indicator__area__number=1)
        .order_by("code")
        .values_list("code", flat=True)
    )
    _answer(assessment, area_1[:4], personas["operator"])
    _answer(assessment, area_1[:2], personas["operator"], layer=Layer.TPI)  # not progress
    dash = dashboard_data(personas["admin"], {})
    progress = _area_progress(dash, 1)
    assert progress.answered == 4
    assert progress.items == len(area_1) * 2  # two assessments
    assert progress.percent == Decimal(400) / (len(area_1) * 2)
    assert _area_progress(dash, 2).answered == 0


# --------------------------------------------------------------------------- averages


def test_averaged_area_totals_equal_the_engine(personas, period, tree):
    by = personas["operator"]
    units = [tree.kankemenag_a, tree.kankemenag_b, tree.madrasah_a]
    assessments = []
    for seed, unit in enumerate(units):
        a = AssessmentFactory(period=period, unit=unit, status=Status.PRELIMINARY_REVIEW)
        answer_all(a, Layer.SELF, by, value_for=_choice(seed), through_service=False)
        assessments.append(a)
    # the third leaves area 2 unanswered: it counts 0 in its totals
    Answer.objects.filter(assessment=assessments[2], question__indicator__area__number=2).delete()
    tally.rebuild([assessments[2].pk])
    results = [layer_results(a, [Layer.SELF])[Layer.SELF] for a in assessments]
    dash = dashboard_data(personas["admin"], {})
    rows = [row for row in dash.area_scores if row.number is not None]
    assert len(rows) == len(results[0].areas) == 6
    for i, row in enumerate(rows):
        expected = sum(r.areas[i].total for r in results) / len(results)
        cell = _self_cell(row)
        assert abs(cell.points - expected) < TOLERANCE, row.name
        assert abs(cell.percent - expected * 100 / row.weight) < TOLERANCE
    hasil = _self_cell(next(row for row in dash.area_scores if row.number is None))
    assert abs(hasil.points - sum(r.hasil for r in results) / 3) < TOLERANCE
    trend = next(t for t in dash.trend if t.year == period.year)
    assert abs(trend.self_total - sum(r.total for r in results) / 3) < TOLERANCE
    assert trend.tpi_total is None  # nobody scored in the TPI layer yet


def test_layer_average_is_over_assessments_scored_in_that_layer(personas, period, tree):
    by = personas["tpi"]
    scored = AssessmentFactory(period=period, unit=tree.kankemenag_a, status=Status.TPI_PASSED)
    AssessmentFactory(period=period, unit=tree.kankemenag_b)  # nothing answered
    answer_all(scored, Layer.TPI, by, through_service=False)  # every answer at its best
    dash = dashboard_data(personas["admin"], {})
    tpi = {i.layer: i.scored for i in dash.layers}
    assert tpi[Layer.TPI] == 1 and tpi[Layer.SELF] == 0
    for row in dash.area_scores:
        assert [c.layer for c in row.cells] == [Layer.TPI]
        if row.number is not None:
            assert row.cells[0].percent == 100
    assert next(t for t in dash.trend if t.year == period.year).count == 2


def test_trend_spans_periods_and_counts_awards(personas, lke, tree, period, assessment):
    older = PeriodFactory(year=2025, lke_version=lke, is_open=False)
    old = AssessmentFactory(period=older, unit=tree.kankemenag_a, status=Status.GRANTED)
    answer_all(old, Layer.SELF, personas["operator"], through_service=False)
    answer_all(old, Layer.TPI, personas["tpi"], through_service=False)
    PredicateAward.objects.create(unit=tree.kankemenag_a, year=2025, predicate="WBK", sk_number="1")
    PredicateAward.objects.create(unit=tree.kankemenag_b, year=2025, predicate="WBK", sk_number="2")
    PredicateAward.objects.create(unit=tree.kankemenag_a, year=2023, predicate="WBK", sk_number="3")
    admin = {t.year: t for t in dashboard_data(personas["admin"], {}).trend}
    assert list(admin) == [2023, 2025, 2026]
    assert admin[2025].count == 1 and admin[2025].granted == 2
    best = layer_results(old, [Layer.SELF])[Layer.SELF].total
    assert abs(admin[2025].self_total - best) < TOLERANCE
    assert abs(admin[2025].tpi_total - best) < TOLERANCE
    assert admin[2026].count == 1 and admin[2026].self_total is None
    reviewer = {t.year: t for t in dashboard_data(personas["reviewer"], {}).trend}
    assert reviewer[2025].granted == 1  # Sleman's award is outside Kanwil Jateng


# --------------------------------------------------------------------------- units at risk


def test_units_at_risk(personas, period, tree, assessment, assessment_b):
    """Today 25 April 2026: the Pembangunan deadline (30 April) is 5 days away."""
    today = datetime.date(2026, 4, 25)
    by = personas["operator"]
    assessment.status = Status.PEMBANGUNAN  # little answered: at risk
    assessment.save()
    _answer(assessment, ["P1.1.a", "P1.1.b"], by)
    assessment_b.status = Status.PEMBANGUNAN  # everything answered: not at risk
    assessment_b.save()
    answer_all(assessment_b, Layer.SELF, by, through_service=False)
    late = AssessmentFactory(period=period, unit=tree.madrasah_a)  # Pencanangan, 28 Feb passed
    AssessmentFactory(period=period, unit=tree.kanwil_a, status=Status.TPI_FAILED)  # final
    AssessmentFactory(period=period, unit=tree.kanwil_b, status=Status.PRELIMINARY_REVIEW)  # 31 May
    dash = dashboard_data(personas["admin"], {}, today=today)
    assert [r.assessment for r in dash.at_risk] == [late, assessment]
    row = dash.at_risk[1]
    assert (row.deadline, row.days_left, row.answered) == (datetime.date(2026, 4, 30), 5, 2)
    assert row.progress == 2 * 100 // row.items
    assert dash.at_risk[0].days_left < 0
    in_review = dashboard_data(personas["admin"], {}, today=datetime.date(2026, 5, 20))
    assert tree.kanwil_b in [r.assessment.unit for r in in_review.at_risk]  # deadline near
    period.is_open = False
    period.save()
    assert dashboard_data(personas["admin"], {}, today=today).at_risk == []


def test_units_at_risk_link_to_the_assessment(client_for, assessment):
    _due_soon(assessment.period)
    body = client_for("admin").get(URL).content.decode()
    assert reverse("assessments:detail", args=[assessment.pk]) in body


# --------------------------------------------------------------------------- page and queries


def test_page_draws_accessible_svg_charts_without_scripts(client_for, personas, assessment):
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    body = client_for("admin").get(URL).content.decode()
    assert body.count('role="img" aria-labelledby="chart-') == 4
    for chart in ("chart-stages", "chart-progress", "chart-scores", "chart-trend"):
        assert f'<title id="{chart}-title">' in body
        assert f'<desc id="{chart}-desc">' in body
    assert "<script>" not in body and " onclick=" not in body
    assert body.count("<details") >= 4  # a data table beside each chart


def _many(period, tree, personas, n):
    statuses = [Status.PENCANANGAN, Status.PEMBANGUNAN, Status.PRELIMINARY_REVIEW, Status.GRANTED]
    for i in range(n):
        unit = UnitFactory(kind="kankemenag", parent=tree.kanwil_a)
        a = AssessmentFactory(period=period, unit=unit, status=statuses[i % len(statuses)])
        if i % 2:
            answer_all(a, Layer.SELF, personas["operator"], through_service=False)
        if i % 4 == 3:
            answer_all(a, Layer.TPI, personas["tpi"], through_service=False)
            PredicateAward.objects.create(unit=unit, year=period.year, predicate="WBK", sk_number=i)


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize("persona", ["admin", "reviewer", "tpi"])
def test_queries_do_not_grow_with_units(
    client_for, personas, period, tree, django_assert_max_num_queries, n, persona
):
    _many(period, tree, personas, n)
    _due_soon(period)
    client = client_for(persona)
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"kind": "kankemenag", "group": tree.kanwil_a.code})
    assert response.status_code == 200
    assert response.context["dash"].total == n
    assert response.context["dash"].at_risk


def test_dashboard_data_accepts_parsed_filters(personas, tree, period, assessment, assessment_b):
    filters = DashboardFilters(period=period, group=tree.kanwil_b)
    assert dashboard_data(personas["admin"], filters).total == 1


# --------------------------------------------------------------------------- always fresh


def test_an_answer_saved_is_on_the_next_dashboard(client_for, personas, period, assessment):
    """No cache: every request reads the figures as the answers are now."""
    assessment.status = Status.PEMBANGUNAN  # the unit fills its LKE
    assessment.save()
    question = (
        Question.objects.filter(version=period.lke_version, indicator__area__number=1)
        .order_by("pk")
        .first()
    )
    before = _area_progress(dashboard_data(personas["admin"], {}), 1).answered
    answer_save(
        assessment=assessment, question=question, layer=Layer.SELF, by=personas["operator"],
        value=best_value(question), note="", revision=None,
    )  # fmt: skip
    assert _area_progress(dashboard_data(personas["admin"], {}), 1).answered == before + 1
    assert "angka per pukul" not in client_for("admin").get(URL).content.decode()


def test_figures_follow_scope_and_filters(personas, tree, period, assessment, assessment_b):
    assert dashboard_data(personas["admin"], {}).total == 2
    assert dashboard_data(personas["reviewer"], {}).total == 1  # Kanwil Jateng only
    assert dashboard_data(personas["admin"], {"group": tree.kanwil_b.code}).total == 1
