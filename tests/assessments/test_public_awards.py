"""The public list of awarded units (no sign-in): year, predicate and SK, filterable by province
and kind, as CSV too; a revoked predicate stays listed with its date; nothing else of a unit."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from assessments.models import PredicateAward
from units.models import Unit, UnitKind


@pytest.fixture
def awards(tree):
    return [
        PredicateAward.objects.create(unit=tree.kankemenag_a, year=2025, predicate="WBK",
                                      sk_number="B/10/M.PAN-RB/12/2025",
                                      sk_date=datetime.date(2025, 12, 10)),
        PredicateAward.objects.create(unit=tree.madrasah_a, year=2026, predicate="WBK",
                                      sk_number="B/20/M.PAN-RB/12/2026",
                                      revoked_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
                                      revoked_reason="Pungli", revoked_source="media",
                                      revoked_on=datetime.date(2026, 3, 1)),
    ]  # fmt: skip


def test_anyone_reads_the_awarded_units_without_signing_in(client, awards, tree):
    page = client.get(reverse("assessments:public_awards"))
    assert page.status_code == 200
    html = page.content.decode()
    assert tree.kankemenag_a.name in html and "B/10/M.PAN-RB/12/2025" in html
    assert "dicabut 1 Maret 2026" in html
    assert "Pungli" not in html  # the reason is the unit's file, not the public list


def test_filters_by_province_and_kind(client, awards, tree):
    url = reverse("assessments:public_awards")
    by_kind = client.get(url, {"kind": UnitKind.MADRASAH}).content.decode()
    assert tree.madrasah_a.name in by_kind and tree.kankemenag_a.name not in by_kind
    elsewhere = client.get(url, {"province": "Papua"}).content.decode()
    assert "Tidak ada unit berpredikat" in elsewhere
    odd = client.get(url, {"year": "abc", "predicate": "<x>", "kind": "nope"})
    assert odd.status_code == 200 and tree.kankemenag_a.name in odd.content.decode()


def test_the_csv_has_one_row_per_award_with_the_filters_applied(client, awards, tree):
    response = client.get(reverse("assessments:public_awards_csv"), {"year": "2025"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["tahun", "kode_unit", "nama_unit"]
    assert rows[1:] == [[
        "2025", tree.kankemenag_a.code, tree.kankemenag_a.name, "Kankemenag",
        tree.kankemenag_a.province, "WBK", "B/10/M.PAN-RB/12/2025", "2025-12-10", "",
    ]]  # fmt: skip


@pytest.mark.parametrize("n", [1, 50])
def test_the_list_costs_the_same_for_one_award_or_fifty(
    client, tree, n, django_assert_max_num_queries
):
    for i in range(n):
        unit = Unit.objects.create(name=f"MAN {i}", code=f"MAN-{i}", kind=UnitKind.MADRASAH,
                                   parent=tree.kankemenag_a, province="Jawa Tengah")  # fmt: skip
        PredicateAward.objects.create(unit=unit, year=2026, predicate="WBK", sk_number=f"B/{i}")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("assessments:public_awards")).status_code == 200
