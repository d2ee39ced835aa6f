"""The dashboards' tally (points and answered items per assessment, layer and area) is always
what the answers give: after autosaves that add, change and clear answers in any order,
after a reviewer accepts the unit's answers, after bulk writes that rebuild it. Its area
points are the engine's area totals. `manage.py answer_tally` finds a drift and mends it."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from areas.models import Question
from assessments.models import Answer, Layer, LayerTally, Status
from assessments.worksheet import selectors as worksheet
from assessments.worksheet import tally
from assessments.worksheet.scores import layer_results
from assessments.worksheet.services import answer_save, answers_accept
from tests.assessments.helpers import MANUAL_INDEX_NOTE, answer_all, attach_survey_report

ENGINE = Decimal("0.00001")  # stored scores keep 6 decimals, the engine more


def _kept(assessment, layer) -> dict[int, tuple[Decimal, int]]:
    return {
        t.part: (Decimal(t.points), t.answered)
        for t in LayerTally.objects.filter(assessment=assessment, layer=layer)
    }


def _values(question) -> list:
    options = [o.label for o in question.options.all()]
    if options:
        return options
    if question.answer_type == "survey_index":
        return [1, 2.5, 4]
    if question.answer_type == "percent":
        return [0, 37, 100]
    return []  # a formula item: left out of the property


def _save(assessment, question, by, value, layer=Layer.SELF):
    current = Answer.objects.filter(assessment=assessment, question=question, layer=layer).first()
    typed_index = layer == Layer.SELF and question.answer_type == "survey_index"
    if typed_index:  # an IPAK/IPKP typed by hand names its source and has its report
        attach_survey_report(assessment, question, by)
    answer_save(
        assessment=assessment, question=question, layer=layer, by=by, value=value,
        note=MANUAL_INDEX_NOTE if typed_index else "",
        revision=None if current is None else current.revision,
    )  # fmt: skip


def _assert_engine_totals(assessment, layer):
    result = layer_results(assessment, [layer])[layer]
    kept = _kept(assessment, layer)
    for area in result.areas:
        assert abs(kept.get(area.number, (Decimal(0), 0))[0] - area.total) < ENGINE
    assert abs(kept.get(tally.HASIL, (Decimal(0), 0))[0] - result.hasil) < ENGINE
    whole = kept.pop(tally.WHOLE, (Decimal(0), 0))
    assert whole[1] == sum(answered for _points, answered in kept.values()) == result.answered
    assert abs(whole[0] - result.total) < ENGINE


@pytest.fixture
def building(assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment


@pytest.fixture
def choices(period):
    questions = Question.objects.filter(version=period.lke_version).prefetch_related("options")
    return [(q, values) for q in questions.order_by("pk") if (values := _values(q))]


def test_a_new_answer_adds_to_its_area_and_clearing_it_takes_it_away(building, personas, choices):
    question, values = next((q, v) for q, v in choices if q.indicator.area_id)
    area = question.indicator.area.number
    _save(building, question, personas["operator"], values[0])
    points, answered = _kept(building, Layer.SELF)[area]
    assert answered == 1 and points > 0
    assert _kept(building, Layer.SELF)[tally.WHOLE] == (points, 1)
    _assert_engine_totals(building, Layer.SELF)

    _save(building, question, personas["operator"], None)
    assert _kept(building, Layer.SELF)[area] == _kept(building, Layer.SELF)[tally.WHOLE] == (0, 0)
    assert tally.differences([building.pk]) == []


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_sequence_of_autosaves_leaves_the_tally_equal_to_the_answers(
    building, personas, choices, data
):
    steps = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(choices) - 1), st.integers(-1, 5)),
            min_size=1, max_size=12,
        )
    )  # fmt: skip
    for index, pick in steps:
        question, values = choices[index]
        value = None if pick < 0 else values[pick % len(values)]
        _save(building, question, personas["operator"], value)
    assert tally.differences([building.pk]) == []
    _assert_engine_totals(building, Layer.SELF)


def test_accepting_the_units_answers_tallies_the_reviewers_layer(in_preliminary, personas):
    area_1 = worksheet.questions_in(in_preliminary, "tab", "1")
    answers_accept(assessment=in_preliminary, questions=area_1, by=personas["reviewer"])
    assert tally.differences([in_preliminary.pk]) == []
    unit, reviewer = _kept(in_preliminary, Layer.SELF), _kept(in_preliminary, Layer.PRELIMINARY)
    assert reviewer == {1: unit[1], tally.WHOLE: unit[1]}  # area 1 only, as the unit has it
    _assert_engine_totals(in_preliminary, Layer.PRELIMINARY)


def test_a_whole_layer_written_in_bulk_is_tallied_by_its_rebuild(building, personas):
    answer_all(building, Layer.SELF, personas["operator"], through_service=False)
    assert set(_kept(building, Layer.SELF)) == {0, 1, 2, 3, 4, 5, 6, tally.WHOLE}
    assert tally.differences() == []
    _assert_engine_totals(building, Layer.SELF)


def test_the_check_finds_a_drift_and_the_rebuild_mends_it(building, personas, capsys):
    answer_all(building, Layer.SELF, personas["operator"])
    call_command("answer_tally")
    assert "tally matches the answers" in capsys.readouterr().out

    Answer.objects.filter(assessment=building, question__indicator__area__number=3).delete()
    with pytest.raises(CommandError) as refused:
        call_command("answer_tally", "--assessment", str(building.pk))
    assert refused.value.returncode == 1
    assert f"assessment {building.pk} layer self part 3" in capsys.readouterr().out

    call_command("answer_tally", "--rebuild")
    assert tally.differences() == []
    assert 3 not in _kept(building, Layer.SELF)


def test_an_assessment_deleted_takes_its_tally_with_it(building, personas):
    answer_all(building, Layer.SELF, personas["operator"], through_service=False)
    building.delete()
    assert not LayerTally.objects.exists()
