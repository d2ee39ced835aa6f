"""The download and the upload's preview read a fixed number of queries, whether one item
or fifty are answered and changed."""

import pytest
from django.urls import reverse

from areas.models import Question
from assessments.models import Layer
from tests.assessments.helpers import answer_all
from tests.assessments.worksheet_offline import helpers as h

BEST = {"yes_no": "Ya", "percent": 100, "survey_index": 4}
CHOICES = {"yes_no": "Tidak", "abc": "C", "abcd": "D", "abcde": "E"}


@pytest.mark.parametrize("n", [1, 50])
def test_download_and_preview_queries_do_not_grow(building, client_for, personas, n,
                                                  django_assert_max_num_queries):  # fmt: skip
    client = client_for("operator")
    codes = list(
        Question.objects.filter(version=building.period.lke_version, answer_type__in=CHOICES)
        .order_by("code").values_list("code", flat=True)[:n]
    )  # fmt: skip
    answer_all(
        building, Layer.SELF, personas["operator"],
        value_for=lambda q: BEST.get(q.answer_type, "A"),
        through_service=False,
    )  # fmt: skip
    client.get(reverse("assessments:lke_xlsx", args=[building.pk]))  # warm the instrument cache
    with django_assert_max_num_queries(16):
        workbook = h.download(client, building)
    types = dict(Question.objects.filter(code__in=codes).values_list("code", "answer_type"))
    for code in codes:
        h.answer(workbook, code, CHOICES[types[code]])
    data = h.content(workbook)
    with django_assert_max_num_queries(22):
        response = h.upload(client, building, data)
    with django_assert_max_num_queries(14):
        page = client.get(h.preview_url(response))
    assert page.content.decode().count('id="change-') == n
