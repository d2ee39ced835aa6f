"""What administrators change is recorded with who, when and from where, and only the Admin
nasional reads it; entries cannot be deleted."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from areas.models import PredicateRule
from assessments.models import Period
from units.models import Membership, Role, User


def _entries(model):
    return LogEntry.objects.get_for_model(model).order_by("pk")


@pytest.fixture(autouse=True)
def _empty_log(personas):
    """The log starts empty once the personas (and their memberships) exist."""
    LogEntry.objects.all().delete()


def test_granting_and_revoking_a_role_records_the_admin_and_their_address(client_for, personas):
    client = client_for("admin")
    person = personas["outsider"]
    client.post(
        reverse("units:membership_add", args=[person.pk]),
        {"membership-unit_code": "KWB", "membership-role": Role.REVIEWER},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="203.0.113.9",  # written by the client, not by a proxy of ours
    )
    membership = Membership.objects.get(user=person)
    client.post(reverse("units:membership_remove", args=[person.pk, membership.pk]))

    created, deleted = _entries(Membership)
    assert created.action == LogEntry.Action.CREATE
    assert deleted.action == LogEntry.Action.DELETE
    assert created.actor == personas["admin"]
    assert created.remote_addr == "10.1.2.3"
    assert created.changes_dict["role"] == [None, Role.REVIEWER]


def test_editing_a_person_is_recorded_without_the_password(client_for, personas):
    person = personas["outsider"]
    client_for("admin").post(
        reverse("units:person", args=[person.pk]),
        {
            "person-full_name": "Nama Baru",
            "person-email": person.email,
            "person-nip": "",
            "person-is_active": "on",
        },
    )
    person.set_password("another-Secret-1")
    person.save()
    changes = [entry.changes_dict for entry in _entries(User)]
    assert changes[0]["full_name"][1] == "Nama Baru"
    assert all("password" not in change for change in changes)


def test_changing_an_instrument_rule_records_old_and_new_minimum(client_for, lke):
    from areas.services import version_copy

    admin = client_for("admin")
    draft = version_copy(version=lke, by=None)
    rule = draft.predicate_rules.get(predicate="WBK", metric="total")
    rules = list(draft.predicate_rules.exclude(metric="prior_predicate").order_by("position"))
    data = {"rules-TOTAL_FORMS": len(rules), "rules-INITIAL_FORMS": len(rules)}
    for i, each in enumerate(rules):
        data[f"rules-{i}-id"] = each.pk
        data[f"rules-{i}-minimum"] = "80" if each.pk == rule.pk else each.minimum
    admin.post(reverse("areas:rules_edit", args=[draft.pk]), data)

    entries = _entries(PredicateRule)
    assert entries.count() == 1, "only the rule that changed is recorded"
    old, new = entries.get().changes_dict["minimum"]
    assert (float(old), float(new)) == (float(rule.minimum), 80.0)


def test_opening_a_period_records_one_summary_entry(client_for, period, tree):
    client = client_for("admin")
    client.post(
        reverse("assessments:period_open_units", args=[period.pk]),
        {"root_code": "KWA", "action": "open"},
    )
    entry = _entries(Period).filter(object_pk=str(period.pk)).last()
    assert entry.additional_data == {"action": "zi.period.units_opened", "assessments_opened": 3}
    page = client.get(reverse("units:audit")).content.decode()
    assert "Penilaian dibuka untuk unit" in page


def test_the_page_filters_by_kind_of_data_and_actor(client_for, personas):
    client = client_for("admin")
    client.post(
        reverse("units:membership_add", args=[personas["outsider"].pk]),
        {"membership-unit_code": "KWB", "membership-role": Role.REVIEWER},
    )
    ct = LogEntry.objects.get_for_model(Membership).first().content_type
    page = client.get(reverse("units:audit"), {"content_type": ct.pk, "actor": "admin"})
    rows = page.context["rows"]
    assert [entry.content_type for entry, _code, _action, _changes in rows] == [ct]
    assert client.get(reverse("units:audit"), {"actor": "nobody-like-this"}).context["rows"] == []


def test_a_reversed_date_range_says_so(client_for, personas):
    page = client_for("admin").get(
        reverse("units:audit"), {"date_from": "2026-12-01", "date_to": "2026-11-01"}
    )
    assert "Tanggal awal harus sebelum tanggal akhir" in page.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_the_page_keeps_a_constant_number_of_queries(
    n, client_for, personas, tree, django_assert_max_num_queries
):
    client = client_for("admin")
    for i in range(n):
        Membership.objects.create(user=personas["outsider"], unit=tree.kankemenag_b, role=f"r{i}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("units:audit"))
    assert len(response.context["rows"]) == n


def test_entries_cannot_be_deleted_in_the_django_admin(client_for, personas):
    client = client_for("admin")
    client.post(
        reverse("units:membership_add", args=[personas["outsider"].pk]),
        {"membership-unit_code": "KWB", "membership-role": Role.REVIEWER},
    )
    entry = LogEntry.objects.first()
    url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_a_new_person_is_shown_by_their_fields_not_by_empty_relations(client_for, tree):
    client = client_for("admin")
    client.post(
        reverse("units:person_create"),
        {"full_name": "Siti Aminah", "email": "siti@kemenag.go.id", "nip": ""},
    )
    page = client.get(reverse("units:audit")).content.decode()
    assert "dibuat" in page and "Siti Aminah" in page
    assert ".None" not in page  # reverse relations (memberships, notifications…) are left out
