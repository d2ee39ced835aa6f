"""Every page is rendered fresh from the database: no page body, layout fragment or user row is
cached, so what a write changed shows on the next request. Roles and the unread count are read
once per request. Each test views a page, changes what it shows the way the portal does, and
views it again; one looks into the cache for anything of the person.
"""

from datetime import date

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Question
from assessments.models import Layer, Status
from assessments.stages import periods
from assessments.worksheet.services import answer_save
from notifications import services as notifications
from tests.factories import AssessmentFactory, PeriodFactory, UnitFactory
from units import services as unit_services
from units.models import Membership, Role, UnitKind
from units.unit_import import UnitRow, units_import

pytestmark = pytest.mark.django_db


def _queue(client) -> str:
    return client.get(reverse("assessments:queue")).content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]  # (each CSRF token is masked anew)


def test_no_user_row_password_hash_or_role_leaves_the_database(client_for, assessment, personas):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    client = client_for("reviewer")
    for name in ("home", "assessments:queue", "units:list"):
        assert client.get(reverse(name)).status_code == 200

    cached = _everything_cached()
    assert cached, "the session at least is in the cache"
    password = personas["reviewer"].password.encode()
    assert not any(password in value for value in cached.values())
    assert not any(b"units.models" in value for value in cached.values())  # no row of units
    assert not any("template.cache" in key for key in cached)  # no page body or fragment


def _everything_cached() -> dict[str, bytes]:
    """Every key of the default cache with its stored bytes (locmem in tests, Redis in CI)."""
    backend = caches["default"]
    if isinstance(getattr(backend, "_cache", None), dict):  # LocMemCache: pickled values
        return dict(backend._cache)
    client = backend._cache.get_client()
    return {key.decode(): client.get(key) or b"" for key in client.keys("*")}


def test_a_page_reads_the_roles_and_the_unread_count_once(
    client_for, assessment, django_assert_max_num_queries
):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    client = client_for("reviewer")
    client.get(reverse("assessments:queue"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("assessments:queue"))
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "units_membership"' in q for q in sql) == 1
    assert sum('FROM "notifications_notification"' in q for q in sql) == 1


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
    question = (  # an IPAK/IPKP typed by hand would need a note and a report besides
        Question.objects.filter(version=assessment.period.lke_version)
        .exclude(answer_type="survey_index")
        .first()
    )
    answer_save(
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


def test_the_page_follows_the_language(client_for, assessment):
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
    """Django's backend builds a redis.Redis per call; ours keeps one (core/cache.py)."""
    import redis

    from core.cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/9", {})
    try:
        cache.set("zi-test", {"n": 1})
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert cache.get("zi-test") == {"n": 1}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("zi-test")
