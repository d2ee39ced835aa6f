"""The busiest pages are served from the cache, and never show what a write has changed.

Home, work queue and unit tree keep their rendered body under the generations of what they show
(zi_portal/generations.py); the signed-in user's row, memberships and unread count come from the
cache too (units/principals.py). Each test views a page, changes what it shows the way the
portal does, and views it again.
"""

from datetime import date

import pytest
from django.urls import reverse

from areas.models import Question
from assessments import notifications, periods, services
from assessments.models import Layer, Status
from tests.factories import AssessmentFactory, PeriodFactory, UnitFactory
from units import services as unit_services
from units.models import Membership, Role, UnitKind
from units.unit_import import UnitRow, units_import

pytestmark = pytest.mark.django_db


def _queue(client) -> str:
    return client.get(reverse("assessments:queue")).content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]  # (each CSRF token is masked anew)


def test_a_second_view_of_the_queue_reads_nothing_from_the_database(
    client_for, assessment, django_assert_max_num_queries
):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    client = client_for("reviewer")
    first = _queue(client)
    with django_assert_max_num_queries(1):  # at most the session, when its cache entry is new
        assert _main(_queue(client)) == _main(first)
    assert "Kankemenag Kota Semarang" in first


def test_the_queue_drops_an_assessment_as_soon_as_it_moves_on(client_for, assessment):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    client = client_for("reviewer")
    assert "Kankemenag Kota Semarang" in _queue(client)
    assessment.status = Status.TPI_REVIEW  # forwarded: now TPI's
    assessment.save()
    assert "Kankemenag Kota Semarang" not in _queue(client)


def test_the_queue_progress_follows_each_answer_saved(client_for, assessment, personas):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    client = client_for("operator")
    items = Question.objects.filter(version=assessment.period.lke_version).count()
    assert f"0/{items}" in _queue(client)
    question = Question.objects.filter(version=assessment.period.lke_version).first()
    services.answer_save(
        assessment=assessment,
        question=question,
        layer=Layer.SELF,
        by=personas["operator"],
        value=question.options.first().label if question.options.exists() else 1,
        note="",
        revision=None,
    )
    assert f"1/{items}" in _queue(client)


def test_a_cached_queue_is_never_shown_to_another_scope(client_for, assessment, assessment_b):
    for a in (assessment, assessment_b):
        a.status = Status.PRELIMINARY_REVIEW
        a.save()
    reviewer_b = Membership.objects.get(role=Role.REVIEWER).user
    Membership.objects.create(user=reviewer_b, unit=assessment_b.unit.parent, role=Role.REVIEWER)
    Membership.objects.filter(user=reviewer_b, unit=assessment.unit.parent).delete()
    client = client_for("reviewer")
    page = _queue(client)
    assert "Kankemenag Kabupaten Sleman" in page
    assert "Kankemenag Kota Semarang" not in page


def test_the_unit_tree_shows_a_renamed_unit_at_once(client_for, tree):
    client = client_for("admin")
    url = reverse("units:detail", args=[tree.kanwil_a.code])
    assert "Kankemenag Kota Semarang" in client.get(url).content.decode()
    tree.kankemenag_a.name = "Kankemenag Kota Semarang Baru"
    tree.kankemenag_a.save()
    assert "Kankemenag Kota Semarang Baru" in client.get(url).content.decode()


def test_imported_units_appear_in_the_tree_at_once(client_for, tree):
    client = client_for("admin")
    url = reverse("units:detail", args=[tree.kankemenag_b.code])
    assert "MTsN 9 Sleman" not in client.get(url).content.decode()
    report = units_import(
        rows=[
            UnitRow(
                line=2, code="MTSN9", name="MTsN 9 Sleman", kind="madrasah",
                parent_code=tree.kankemenag_b.code, province="DI Yogyakarta",
                madrasah_level="MTsN",
            )
        ],
        dry_run=False,
    )  # fmt: skip
    assert report.created == 1
    assert "MTsN 9 Sleman" in client.get(url).content.decode()


def test_home_shows_an_assessment_as_soon_as_the_period_opens(client_for, lke, tree, personas):
    client = client_for("operator")
    assert "Buka penilaian" not in client.get(reverse("home")).content.decode()
    period = PeriodFactory(year=2027, lke_version=lke)
    periods.period_open_for_units(
        period=period, units_queryset_or_ids=[tree.kankemenag_a.pk], by=personas["admin"]
    )
    assert "Buka penilaian" in client.get(reverse("home")).content.decode()


def test_the_cached_body_follows_the_language(client_for, assessment):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    client = client_for("reviewer")
    assert "Reviu pendahuluan" in _queue(client)
    client.cookies["django_language"] = "en"
    assert "Preliminary review" in _queue(client)


def test_days_left_are_counted_from_today(client_for, tree, lke):
    period = PeriodFactory(year=date.today().year + 1, lke_version=lke)
    AssessmentFactory(period=period, unit=tree.kankemenag_a, status=Status.PRELIMINARY_REVIEW)
    response = client_for("reviewer").get(reverse("assessments:queue"))
    [row] = response.context["queue"].page
    assert row["days_left"] == (period.deadline_penilaian - date.today()).days


def test_a_revoked_role_ends_access_on_the_next_request(client_for, assessment, personas):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    client = client_for("reviewer")
    url = reverse("assessments:detail", args=[assessment.pk])
    assert client.get(url).status_code == 200
    unit_services.membership_revoke(membership=personas["reviewer"].memberships.get())
    assert client.get(url).status_code == 404
    assert "Kankemenag Kota Semarang" not in _queue(client)


def test_a_deactivated_user_is_signed_out_on_the_next_request(client_for, personas):
    client = client_for("reviewer")
    assert client.get(reverse("home")).status_code == 200
    reviewer = personas["reviewer"]
    reviewer.is_active = False
    reviewer.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_deactivated_unit_takes_its_members_roles_with_it(client_for, tree):
    client = client_for("operator")
    url = reverse("units:detail", args=[tree.kankemenag_a.code])
    assert client.get(url).status_code == 200
    tree.kankemenag_a.is_active = False
    tree.kankemenag_a.save()
    assert client.get(url).status_code == 404


def test_the_bell_counts_new_and_read_notifications(client_for, personas):
    client = client_for("operator")
    assert 'class="badge rounded-pill' not in client.get(reverse("home")).content.decode()
    [created] = notifications.notify(
        users=[personas["operator"]], kind="info", title="Uji", body="", url="/"
    )
    assert (
        'class="badge rounded-pill text-bg-warning">1<'
        in client.get(reverse("home")).content.decode()
    )
    notifications.notification_open(notification=created)
    assert 'class="badge rounded-pill' not in client.get(reverse("home")).content.decode()


def test_unit_kinds_other_than_kanwil_are_not_queue_filters(client_for, tree):
    UnitFactory(code="ES1", name="Itjen", kind=UnitKind.ESELON1, parent=tree.pusat)
    page = _queue(client_for("tpi"))
    assert "Itjen" in page
    assert "Kankemenag Kota Semarang</option>" not in page


def test_the_redis_cache_reuses_one_client_per_pool():
    """Django's backend builds a redis.Redis per call; ours keeps one (zi_portal/cache.py)."""
    import redis

    from zi_portal.cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/9", {})
    try:
        cache.set("zi-test", {"n": 1})
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert cache.get("zi-test") == {"n": 1}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("zi-test")
