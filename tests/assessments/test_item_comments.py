"""A discussion per item between the unit and each reviewer: who wrote, in which layer's
thread, when; the other side is told; each reader sees the threads they may; the LHE keeps it
in its annex."""

import pytest
from django.urls import reverse

from assessments.models import ItemComment, Layer, Status
from assessments.worksheet import selectors as worksheet
from assessments.worksheet.services import comment_add
from core.errors import WorkflowError
from notifications.models import Notification
from reports.lhe import lhe_context


@pytest.fixture
def under_review(assessment):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    return assessment


@pytest.fixture
def item(lke):
    return lke.questions.get(code="P1.1.a")


def _say(assessment, item, who, text, thread=Layer.PRELIMINARY):
    return comment_add(assessment=assessment, question=item, by=who, thread=thread, body=text)


def test_the_unit_asks_the_reviewer_is_told_and_answers(under_review, item, personas):
    asked = _say(under_review, item, personas["operator"], "Apakah SK tahun lalu cukup?")
    assert asked.from_unit and asked.author == personas["operator"]
    told = Notification.objects.get(user=personas["reviewer"], kind="item_comment")
    assert "P1.1.a" in told.title and "Apakah SK tahun lalu cukup?" in told.body
    assert told.url.endswith(f"?tab=1#q-{item.pk}")

    _say(under_review, item, personas["reviewer"], "Perlu SK tahun berjalan.")
    assert {n.user for n in Notification.objects.filter(kind="item_comment")} == {
        personas["reviewer"], personas["operator"], personas["pimpinan"],
    }  # fmt: skip


def test_each_reader_sees_the_threads_they_may(under_review, item, personas):
    _say(under_review, item, personas["operator"], "Untuk Kanwil.")
    under_review.status = Status.TPI_REVIEW
    under_review.save()
    _say(under_review, item, personas["tpi"], "Untuk unit, dari TPI.", thread=Layer.TPI)

    def seen(who):
        sheet = worksheet.load(personas[who], under_review, "1")
        row = next(r for _i, rows in sheet.groups for r in rows if r.question == item)
        return [c.body for c in row.comments]

    assert seen("operator") == ["Untuk Kanwil.", "Untuk unit, dari TPI."]
    assert seen("tpi") == ["Untuk Kanwil.", "Untuk unit, dari TPI."]
    assert seen("reviewer") == ["Untuk Kanwil."]  # Kanwil does not read TPI's layer


@pytest.mark.parametrize(
    ("who", "thread"),
    [("operator", Layer.TPI), ("reviewer", Layer.TPI), ("admin", Layer.PRELIMINARY)],
)
def test_nobody_writes_in_a_thread_that_is_not_theirs(under_review, item, personas, who, thread):
    with pytest.raises(WorkflowError) as refused:
        _say(under_review, item, personas[who], "Halo", thread=thread)
    assert refused.value.forbidden
    assert not ItemComment.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"), [("   ", "Tulis komentar"), ("x" * 2001, "terlalu panjang")]
)
def test_an_empty_or_overlong_comment_is_refused(under_review, item, personas, text, message):
    with pytest.raises(WorkflowError, match=message):
        _say(under_review, item, personas["operator"], text)


def test_a_refused_comment_keeps_what_was_typed(under_review, item, client_for):
    response = client_for("operator").post(
        reverse("assessments:item_comment", args=[under_review.pk, item.pk]),
        {"thread": Layer.PRELIMINARY, "body": "x" * 2001},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "x" * 2001 in response.content.decode()


def test_the_lhe_annex_keeps_the_discussion(under_review, item, personas):
    _say(under_review, item, personas["operator"], "Apakah SK tahun lalu cukup?")
    context = lhe_context(assessment=under_review, reader=personas["operator"])
    assert [(c.question.code, c.body) for c in context["comments"]] == [
        ("P1.1.a", "Apakah SK tahun lalu cukup?")
    ]
