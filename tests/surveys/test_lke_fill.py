"""An SPKP/SPAK result of the unit's period fills IPKP/IPAK in the self layer, with where it
came from; an index typed by hand names its source and has its report."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from areas import scoring
from assessments.assessment import Layer, Status
from assessments.worksheet.models import Answer
from assessments.worksheet.scores import instrument_of
from assessments.worksheet.services import answer_save
from core.errors import WorkflowError
from surveys import lke
from surveys.models import Instrument, InstrumentQuestion, LkeFill, SurveyResponse
from tests.assessments.helpers import attach_survey_report
from tests.factories import SurveyFactory

pytestmark = pytest.mark.usefixtures("instruments")


def respond(survey, rows):
    """One response per row of answers (question 1 first)."""
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            submitted_on=datetime.date(2026, 3, 2),
            **{f"a{i + 1:02d}": v for i, v in enumerate(values)},
        )
        for values in rows
    )


@pytest.fixture
def building(assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment


@pytest.fixture
def ipkp(period):
    return period.lke_version.questions.get(code="H2.1.a")


@pytest.fixture
def spkp(period, tree):
    """Unit A's SPKP of semester I: 40 respondents, 30 answering 4 everywhere, 10 answering 3."""
    survey = SurveyFactory(period=period, kind="spkp", unit=tree.kankemenag_a, name="SPKP Sem I")
    respond(survey, [[4] * 9] * 30 + [[3] * 9] * 10)
    return survey


def test_an_spkp_survey_fills_ipkp_in_the_self_layer(building, ipkp, spkp, personas):
    fill = lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    answer = Answer.objects.get(assessment=building, question=ipkp, layer=Layer.SELF)
    assert answer.value == 3.75  # (30 × 4 + 10 × 3) / 40 on 1-4
    points = scoring.hasil_points(instrument_of(building), "H2.1.a", 3.75)
    assert answer.score == points and points == Decimal("16.40625")  # 3.75 / 4 × 17.5
    assert (fill.survey, fill.respondents, fill.index, fill.value) == (
        spkp,
        40,
        Decimal("3.75"),
        Decimal("3.75"),
    )
    assert fill.distribution["questions"]["P1"] == {"1": 0, "2": 0, "3": 10, "4": 30}
    assert fill.distribution["surveys"] == [{"id": spkp.pk, "name": "SPKP Sem I"}]
    assert answer.history.count() == 1 and answer.updated_by == personas["operator"]
    assert answer.history.get().history_change_reason == lke.FILLED_FROM_SURVEY


def test_the_history_says_the_answer_came_from_the_survey(
    building, ipkp, spkp, personas, client_for
):
    lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    assert Answer.objects.get(question=ipkp).history.count() == 1  # the same value again
    url = reverse("assessments:answer_history", args=[building.pk, ipkp.pk])
    assert "diisi dari survei" in client_for("reviewer").get(url).content.decode()


def test_two_windows_of_the_period_are_combined(building, ipkp, spkp, period, tree, personas):
    second = SurveyFactory(period=period, kind="spkp", unit=tree.kankemenag_a, name="Sem II")
    respond(second, [[2] * 9] * 20)  # 60 respondents: (120 + 30 + 40) / 60 per question
    check = lke.fill_check(building, ipkp)
    assert check.respondents == 60 and check.surveys == [spkp, second]
    fill = lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    assert fill.value == Decimal("3.1667") and fill.index == Decimal("3.166667")


def six_point_spkp(period, tree, answers):
    instrument = Instrument.objects.create(
        kind="spkp", version=9, name="SPKP 1-6", scale_max=6, lke_item="H2.1.a",
        published_at=timezone.now(),
    )  # fmt: skip
    InstrumentQuestion.objects.create(
        instrument=instrument, position=1, code="Q1", unsur="Layanan", text="?",
        levels=["1", "2", "3", "4", "5", "6"],
    )  # fmt: skip
    survey = SurveyFactory(period=period, unit=tree.kankemenag_a, instrument=instrument)
    respond(survey, [[a] for a in answers])
    return survey


@pytest.mark.parametrize(
    ("answers", "value"),
    [([6] * 30, Decimal(4)), ([1] * 30, Decimal(1)), ([3] * 15 + [4] * 15, Decimal("2.5"))],
)
def test_a_one_to_six_scale_maps_linearly_onto_one_to_four(
    building, ipkp, period, tree, personas, answers, value
):
    six_point_spkp(period, tree, answers)
    fill = lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    assert fill.value == value
    assert Decimal(str(Answer.objects.get(question=ipkp, layer=Layer.SELF).value)) == value


def test_surveys_on_different_scales_cannot_be_combined(building, ipkp, spkp, period, tree):
    six_point_spkp(period, tree, [6] * 30)
    check = lke.fill_check(building, ipkp)
    assert not check.can_fill and "versi instrumen yang berbeda (v1 1–4, v9 1–6)" in check.reason


def test_below_the_minimum_the_item_says_why(building, ipkp, period, tree, personas):
    survey = SurveyFactory(period=period, kind="spkp", unit=tree.kankemenag_a)
    respond(survey, [[4] * 9] * 12)
    assert lke.fill_check(building, ipkp).reason == "Baru 12 dari minimal 30 responden."
    with pytest.raises(WorkflowError, match="Baru 12 dari minimal 30 responden"):
        lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    assert not Answer.objects.filter(question=ipkp).exists() and not LkeFill.objects.exists()


def test_a_refused_fill_comes_back_as_the_card_with_the_reason(
    building, ipkp, period, tree, client_for
):
    survey = SurveyFactory(period=period, kind="spkp", unit=tree.kankemenag_a)
    respond(survey, [[4] * 9] * 12)
    response = client_for("operator").post(
        reverse("assessments:lke_fill", args=[building.pk, ipkp.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps the card, which says why
    assert "Baru 12 dari minimal 30 responden." in response.content.decode()
    assert not Answer.objects.filter(question=ipkp).exists()


def test_without_a_survey_or_answers_the_item_says_why(building, ipkp, period, tree):
    assert "Belum ada survei SPKP" in lke.fill_check(building, ipkp).reason
    SurveyFactory(period=period, kind="spkp", unit=tree.kankemenag_b)  # another unit's
    assert "Belum ada survei SPKP" in lke.fill_check(building, ipkp).reason
    SurveyFactory(period=period, kind="spkp", unit=tree.kankemenag_a)  # nobody answered yet
    assert lke.fill_check(building, ipkp).reason == "Survei SPKP belum memiliki jawaban."


def test_only_who_may_write_the_self_layer_fills(building, ipkp, spkp, personas, assessment):
    with pytest.raises(WorkflowError) as refused:
        lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["reviewer"])
    assert refused.value.forbidden
    building.status = Status.PRELIMINARY_REVIEW
    building.save()
    with pytest.raises(WorkflowError, match="tidak dapat mengisi lapisan ini"):
        lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    assert not LkeFill.objects.exists()


def test_the_operator_sees_the_button_and_the_reviewer_the_provenance(
    building, ipkp, spkp, personas, client_for, client
):
    url = reverse("assessments:worksheet", args=[building.pk])
    page = client_for("operator").get(url, {"tab": "hasil"}).content.decode()
    assert "Isi dari survei SPKP (40 responden)" in page
    assert "Belum ada survei SPAK unit ini pada periode ini." in page  # IPAK: no survey
    fill_url = reverse("assessments:lke_fill", args=[building.pk, ipkp.pk])
    response = client.post(fill_url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "40 responden" in response.content.decode()
    building.status = Status.PRELIMINARY_REVIEW
    building.save()
    page = client_for("reviewer").get(url, {"tab": "hasil"}).content.decode()
    assert "SPKP Sem I" in page and "40 responden" in page
    assert "<code>P1</code> 1:0 2:0 3:10 4:30" in page
    # how they were collected, for the reviewer to weigh: no codes, all 40 on one day
    assert "tanpa kode (satu jawaban per perangkat per hari): 1 hari, paling banyak 40" in page
    assert "Isi dari survei" not in page  # the reviewer does not write the unit's layer


def test_the_provenance_goes_once_the_answer_is_changed_by_hand(
    building, ipkp, spkp, personas, client_for
):
    fill = lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    answer = Answer.objects.get(question=ipkp, layer=Layer.SELF)
    attach_survey_report(building, ipkp, personas["operator"])
    answer_save(
        assessment=building, question=ipkp, layer=Layer.SELF, by=personas["operator"],
        value=3.5, note="Survei oleh BPS", revision=answer.revision,
    )  # fmt: skip
    page = client_for("operator").get(
        reverse("assessments:worksheet", args=[building.pk]), {"tab": "hasil"}
    )
    assert "SPKP Sem I" not in page.content.decode()
    assert LkeFill.objects.get(pk=fill.pk).value == Decimal("3.75")  # kept for the record


def _type(building, question, by, note, revision=None):
    return answer_save(
        assessment=building, question=question, layer=Layer.SELF, by=by, value=3.6,
        note=note, revision=revision,
    )  # fmt: skip


def test_a_typed_index_needs_a_note_and_a_report(building, ipkp, personas):
    operator = personas["operator"]
    with pytest.raises(WorkflowError, match="wajib diberi catatan sumbernya"):
        _type(building, ipkp, operator, "")
    with pytest.raises(WorkflowError, match="wajib didukung data dukung"):
        _type(building, ipkp, operator, "Survei oleh Universitas Diponegoro")
    assert not Answer.objects.filter(question=ipkp).exists()
    attach_survey_report(building, ipkp, operator)
    answer = _type(building, ipkp, operator, "Survei oleh Universitas Diponegoro")
    assert answer.value == 3.6 and answer.score == Decimal("15.75")


def test_the_rule_is_the_unit_layer_s_only(in_preliminary, personas):
    """A reviewer's own judgement of the index needs neither (it is not a source)."""
    question = in_preliminary.period.lke_version.questions.get(code="H1.1.a")
    answer = answer_save(
        assessment=in_preliminary, question=question, layer=Layer.PRELIMINARY,
        by=personas["reviewer"], value=3.2, note="", revision=None,
    )  # fmt: skip
    assert answer.score == Decimal("14")


def test_the_typed_index_is_refused_over_http_with_the_reason(building, ipkp, client_for):
    response = client_for("operator").post(
        reverse("assessments:answer_save", args=[building.pk, ipkp.pk]),
        {"value": "3,6", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "wajib diberi catatan sumbernya" in response.content.decode()


@pytest.mark.parametrize("responses", [1, 50])
def test_the_hasil_tab_keeps_its_queries_with_a_fill(
    building, ipkp, period, tree, personas, client_for, responses, django_assert_max_num_queries
):
    for name in ("Sem I", "Sem II"):
        survey = SurveyFactory(period=period, kind="spkp", unit=tree.kankemenag_a, name=name)
        respond(survey, [[4] * 9] * (15 * responses))
    lke.lke_fill_from_survey(assessment=building, question=ipkp, by=personas["operator"])
    url = reverse("assessments:worksheet", args=[building.pk])
    client = client_for("operator")
    client.get(reverse("home"))
    with django_assert_max_num_queries(12):  # 11 without a survey: +1 for the fills
        assert client.get(url, {"tab": "hasil"}).status_code == 200


def test_the_demo_s_typed_indices_name_their_source_and_have_their_report(lke):
    from django.core.management import call_command
    from django.db.models import Exists, OuterRef

    from assessments.evidence.models import Evidence

    call_command("seed_demo", verbosity=0)
    typed = Answer.objects.filter(layer=Layer.SELF, question__answer_type="survey_index")
    reported = Evidence.objects.filter(
        assessment=OuterRef("assessment"), question=OuterRef("question"), removed_at=None
    )
    assert typed.count() > 10
    assert not typed.filter(note="").exists()
    assert not typed.exclude(Exists(reported)).exists()
