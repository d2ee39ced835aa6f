"""Numbers are bounded on their text before any conversion, the same way in the worksheet, the
command line and the imports.

Finding 2 of the attack pass: `input_agents=1e1000000` made the worksheet run
`int(Decimal("1e1000000"))` for 55 s of CPU; `1e4400` gave a 500."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from areas import scoring
from areas.numbers import NumberError, parse_count, parse_decimal, parse_id
from assessments.models import Answer, Status
from tests.assessments.helpers import MANUAL_INDEX_NOTE, attach_survey_report

HOSTILE = ["1e1000000", "1e4400", "9" * 5000, "-1", "2.5", "1_000", "٣", "²", "0x10", "inf", "NaN"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_count_takes_only_plain_digits(text):
    with pytest.raises(NumberError):
        parse_count(text, label="agents")


@pytest.mark.parametrize("text", ["0", "12", " 42 ", "999999999"])
def test_a_count_of_up_to_nine_digits_is_read(text):
    assert parse_count(text, label="agents") == int(text)


def test_ten_digits_is_not_a_count():
    with pytest.raises(NumberError, match="9"):
        parse_count("1000000000", label="agents")


@pytest.mark.parametrize("text,value", [("87,5", "87.5"), ("3.4567", "3.4567"), ("-2", "-2")])
def test_a_decimal_takes_a_dot_or_the_indonesian_comma(text, value):
    assert parse_decimal(text, label="Nilai") == Decimal(value)


@pytest.mark.parametrize(
    "text", ["1e1000000", "1e4400", "1" * 20, "1,2,3", "1.1234567", "Infinity"]
)
def test_a_decimal_refuses_exponents_and_long_texts(text):
    with pytest.raises(NumberError):
        parse_decimal(text, label="Nilai")


@given(st.text(max_size=60))
def test_any_text_is_a_number_or_a_clear_refusal(text):
    for parse in (parse_count, parse_decimal):
        try:
            value = parse(text, label="x")
        except NumberError as error:
            assert str(error)
        else:
            assert abs(value) < 10**9


@pytest.mark.parametrize("text", ["9" * 5000, "²", "", None, "-3", "1e5"])
def test_an_id_that_cannot_be_one_is_none(text):
    assert parse_id(text) is None


@pytest.fixture
def worksheet(assessment, client_for, personas):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    questions = assessment.period.lke_version.questions.all()
    counted = next(q for q in questions if q.inputs)
    survey = next(q for q in questions if q.answer_type == "survey_index")
    client = client_for("operator")
    attach_survey_report(assessment, survey, personas["operator"])  # a typed index needs one
    return assessment, counted, survey, client


def _save(client, assessment, question, data):
    url = reverse("assessments:answer_save", args=[assessment.pk, question.pk])
    return client.post(url, data, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("text", ["1e1000000", "1e4400", "9" * 5000, "-3", "2.5", "dua"])
def test_the_worksheet_refuses_a_hostile_count_with_a_message(worksheet, text):
    assessment, question, _survey, client = worksheet
    data = {f"input_{name}": text for name in question.inputs}
    response = _save(client, assessment, question, data)
    assert response.status_code == 422  # refused, with the item's card saying why
    assert "bilangan bulat tidak negatif" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment, question=question).exists()


@pytest.mark.parametrize("text", ["1e1000000", "1e4400", "9" * 5000])
def test_the_worksheet_refuses_a_hostile_index_with_a_message(worksheet, text):
    assessment, _question, survey, client = worksheet
    response = _save(client, assessment, survey, {"value": text})
    assert "harus berupa angka" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment, question=survey).exists()


def test_the_worksheet_takes_the_indonesian_decimal_comma(worksheet):
    assessment, _question, survey, client = worksheet
    _save(client, assessment, survey, {"value": "3,5", "note": MANUAL_INDEX_NOTE})
    assert Answer.objects.get(assessment=assessment, question=survey).value == 3.5


def test_a_huge_revision_is_ignored_not_a_500(worksheet):
    assessment, _question, survey, client = worksheet
    data = {"value": "3", "revision": "9" * 5000, "note": MANUAL_INDEX_NOTE}
    response = _save(client, assessment, survey, data)
    assert response.status_code == 200


@pytest.mark.parametrize("raw", ["1e1000000", "1" * 100, 10**400])
def test_the_engine_refuses_what_the_boundary_refuses(raw):
    with pytest.raises(scoring.AnswerError):
        scoring.to_decimal(raw)


def test_the_command_line_reports_a_hostile_number(lke, tmp_path):
    answers = tmp_path / "answers.json"
    code = next(q.code for q in lke.questions.all() if q.inputs)
    inputs = dict.fromkeys(lke.questions.get(code=code).inputs, "1e1000000")
    answers.write_text(json.dumps({"answers": {code: {"inputs": inputs}}, "hasil": {}}))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("lke_score", str(answers), stderr=err)
    assert "out of range" in err.getvalue()
