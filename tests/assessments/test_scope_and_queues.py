"""Who sees which assessment, what waits in each queue, and what it costs in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, ItemComment, Layer, Status
from assessments.worksheet import tally
from tests.assessments.helpers import answer_all, best_value
from tests.factories import AssessmentFactory, UnitFactory
from units.models import UnitKind


def test_kanwil_reviewer_gets_404_on_another_provinces_assessment(client_for, assessment_b):
    assessment_b.status = Status.PRELIMINARY_REVIEW
    assessment_b.save()
    response = client_for("reviewer").get(reverse("assessments:detail", args=[assessment_b.pk]))
    assert response.status_code == 404


def test_tpn_sees_only_proposed_units(client_for, assessment):
    client = client_for("tpn")
    url = reverse("assessments:worksheet", args=[assessment.pk])
    assessment.status = Status.TPI_PASSED
    assessment.save()
    assert client.get(url).status_code == 404
    assessment.status = Status.PROPOSED
    assessment.save()
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status", "waits"),
    [
        ("reviewer", Status.PRELIMINARY_REVIEW, True),
        ("reviewer", Status.TPI_REVIEW, False),
        ("tpi", Status.TPI_REVIEW, True),
        ("admin", Status.TPI_PASSED, True),
        ("tpn", Status.PROPOSED, True),
        ("pimpinan", Status.SUBMITTED, True),
        ("operator", Status.RETURNED_TPI, True),
        ("operator_b", Status.RETURNED_TPI, False),
    ],
)
def test_queue_shows_what_waits_for_each_role(client_for, assessment, persona, status, waits):
    assessment.status = status
    assessment.save()
    response = client_for(persona).get(reverse("assessments:queue"))
    assert (assessment.pk in [row["pk"] for row in response.context["queue"].page]) is waits


WORKSHEET_QUERIES = 11  # a tab: session, user, roles, assessment, answers, returns, evidence…
AUTOSAVE_QUERIES = 17  # the save (retry check, lock, history, audit, tally, scores), its card


def _many_assessments(period, parent, n):
    for i in range(n):
        unit = UnitFactory(kind=UnitKind.KANKEMENAG, parent=parent, name=f"Kankemenag {i}")
        AssessmentFactory(period=period, unit=unit, status=Status.PRELIMINARY_REVIEW)


@pytest.mark.parametrize("n", [1, 50])
def test_queue_keeps_a_constant_number_of_queries(
    client_for, period, tree, n, django_assert_max_num_queries
):
    _many_assessments(period, tree.kanwil_a, n)
    client = client_for("reviewer")
    client.get(reverse("home"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessments:queue"), {"group": "KWA"})
    assert len(response.context["queue"].page) == n


def test_queue_shows_how_much_of_each_lke_is_answered(client_for, assessment, personas):
    """Progress is counted for the page's rows only, from the self layer's answered items
    (its tally, kept with the answers)."""
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    answer_all(assessment, Layer.PRELIMINARY, personas["reviewer"], through_service=False)
    items = assessment.period.lke_version.questions.count()
    assessment.answers.filter(layer=Layer.SELF, question__code="P1.1.a").delete()
    tally.rebuild([assessment.pk])  # as every writer of answers outside the services does
    response = client_for("reviewer").get(reverse("assessments:queue"))
    [row] = response.context["queue"].page
    assert (row["answered"], row["items"]) == (items - 1, items)
    assert f"{items - 1}/{items}" in response.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_home_keeps_a_constant_number_of_queries(
    client_for, period, tree, n, django_assert_max_num_queries
):
    _many_assessments(period, tree.kanwil_a, n)
    client = client_for("reviewer")
    client.get(reverse("home"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(("waiting", "counted"), [(3, False), (5, False), (6, True), (7, True)])
def test_home_lists_five_of_the_queue_and_counts_them_all(
    client_for, period, tree, waiting, counted
):
    """Up to five rows and the queue's whole count; a COUNT query runs only past the fifth."""
    _many_assessments(period, tree.kanwil_a, waiting)
    client = client_for("reviewer")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert len(response.context["home"].waiting) == min(waiting, 5)
    assert f"{waiting} penilaian menunggu tindakan Anda" in response.content.decode()
    counts = [
        q["sql"]
        for q in queries
        if 'COUNT(*) AS "__count" FROM "assessments_assessment"' in q["sql"]
    ]
    assert bool(counts) == counted


@pytest.mark.parametrize("layers", [1, 4])
def test_worksheet_keeps_a_constant_number_of_queries(
    client_for, assessment, personas, layers, django_assert_max_num_queries
):
    """A tab, an autosave and the summary cost the same with one layer answered or four, and
    with one discussion message or fifty (the instrument itself is read once per process)."""
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    for layer in [Layer.SELF, Layer.PRELIMINARY, Layer.TPI, Layer.TPN][:layers]:
        answer_all(assessment, layer, personas["admin"], through_service=False)
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    for i in range(1 if layers == 1 else 50):
        ItemComment.objects.create(
            assessment=assessment, question=question, thread=Layer.TPN, from_unit=False,
            author=personas["tpn"], body=f"Catatan {i}",
        )  # fmt: skip
    client = client_for("tpn")
    client.get(reverse("home"))
    for tab in ("1", "5", "hasil"):
        with django_assert_max_num_queries(WORKSHEET_QUERIES):
            response = client.get(
                reverse("assessments:worksheet", args=[assessment.pk]), {"tab": tab}
            )
        assert response.status_code == 200
    save = reverse("assessments:answer_save", args=[assessment.pk, question.pk])
    revision = assessment.answers.filter(layer=Layer.TPN, question=question).first()
    with django_assert_max_num_queries(AUTOSAVE_QUERIES):
        response = client.post(
            save,
            {"value": "Ya", "revision": revision.revision if revision else ""},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(WORKSHEET_QUERIES):
        assert client.get(reverse("assessments:summary", args=[assessment.pk])).status_code == 200


def test_worksheet_shows_layers_side_by_side_and_flags_disagreement(
    client_for, assessment, personas
):
    assessment.status = Status.TPI_REVIEW
    assessment.save()
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)

    def disagree_on_p11a(question):
        return "Tidak" if question.code == "P1.1.a" else best_value(question)

    answer_all(
        assessment, Layer.PRELIMINARY, personas["reviewer"], disagree_on_p11a, through_service=False
    )
    response = client_for("tpi").get(
        reverse("assessments:worksheet", args=[assessment.pk]), {"tab": "1", "filter": "disagree"}
    )
    codes = [row.question.code for _i, rows in response.context["sheet"].groups for row in rows]
    assert codes == ["P1.1.a"]
    assert response.context["sheet"].writable == Layer.TPI


def test_worksheet_tab_bar_counts_every_tab_while_showing_one(client_for, assessment, personas):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    assessment.answers.filter(question__code__in=["P1.1.a", "P5.1.a"]).delete()
    response = client_for("operator").get(
        reverse("assessments:worksheet", args=[assessment.pk]), {"tab": "1"}
    )
    sheet = response.context["sheet"]
    tabs = {t.key: (t.answered, t.total) for t in sheet.tabs}
    assert tabs["1"][0] == tabs["1"][1] - 1 and tabs["5"][0] == tabs["5"][1] - 1
    assert tabs["2"][0] == tabs["2"][1] > 0
    assert sum(total for _answered, total in tabs.values()) == 113
    shown = [row.question.code for _i, rows in sheet.groups for row in rows]
    assert "P1.1.a" in shown and not any(code.startswith("P5.") for code in shown)


def test_worksheet_number_inputs_show_the_indonesian_comma(client_for, assessment, personas):
    """A text input (inputmode=decimal), so "3,45" is sent as typed and shown as it is stored;
    a browser's number input turned "3,5" into 35 or into nothing."""
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_all(
        assessment, Layer.SELF, personas["operator"],
        lambda q: 3.45 if q.answer_type == "survey_index" else best_value(q),
        through_service=False,
    )  # fmt: skip
    response = client_for("operator").get(
        reverse("assessments:worksheet", args=[assessment.pk]), {"tab": "hasil"}
    )
    html = response.content.decode()
    assert 'inputmode="decimal"' in html and 'type="number"' not in html
    assert 'value="3,45"' in html and 'value="3.45"' not in html


def test_operator_home_says_what_to_do_next(client_for, assessment):
    response = client_for("operator").get(reverse("home"))
    assert "Lengkapi pencanangan" in response.content.decode()
    assert Assessment.objects.count() == 1
