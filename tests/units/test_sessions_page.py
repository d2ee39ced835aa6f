"""Sesi aktif (akun/sesi/): a person sees their sessions and ends them; an admin's role change
or a deactivation ends the person's sessions (units.sessions)."""

from importlib import import_module

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core import audit
from tests.conftest import PASSWORD
from units.models import Role, UserSession
from units.services import membership_grant, person_update

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def _signed_in(user, agent="") -> Client:
    """A client of the person's own; with `agent`, through the login form as that browser."""
    client = Client(HTTP_USER_AGENT=agent)
    if agent:
        client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    else:
        client.force_login(user)
    return client


def _is_signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_the_page_lists_own_sessions_and_marks_this_device(personas):
    operator = personas["operator"]
    laptop = _signed_in(operator, agent="Mozilla/5.0 (Windows NT 10.0) Chrome/120.0")
    _signed_in(operator, agent="Mozilla/5.0 (Linux; Android 14) Firefox/125.0")
    _signed_in(personas["operator_b"])  # someone else's: not listed
    page = laptop.get(reverse("units:sessions")).content.decode()
    assert "Chrome · Windows" in page and "Firefox · Android" in page
    assert page.count('text-bg-success">perangkat ini<') == 1
    assert UserSession.objects.filter(user=operator).count() == 2
    assert page.count(">Akhiri<") == 2


def test_ending_another_session_signs_that_device_out(personas, django_capture_on_commit_callbacks):
    operator = personas["operator"]
    laptop, phone = _signed_in(operator), _signed_in(operator)
    phone_row = UserSession.objects.get(session_key=phone.session.session_key)
    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(reverse("units:session_end", args=[phone_row.pk]))
    assert response.status_code == 302
    assert not _is_signed_in(phone)
    assert _is_signed_in(laptop)
    entry = LogEntry.objects.filter(additional_data__action="zi.sessions.ended").get()
    assert entry.additional_data["reason"] == "own"


def test_ending_all_other_sessions_keeps_this_one(personas, django_capture_on_commit_callbacks):
    operator = personas["operator"]
    laptop, phone, tablet = _signed_in(operator), _signed_in(operator), _signed_in(operator)
    with django_capture_on_commit_callbacks(execute=True):
        laptop.post(reverse("units:sessions_end_others"))
    assert not _is_signed_in(phone) and not _is_signed_in(tablet)
    assert _is_signed_in(laptop)
    assert UserSession.objects.filter(user=operator).count() == 1


def test_ending_this_devices_session_is_signing_out(personas):
    laptop = _signed_in(personas["operator"])
    row = UserSession.objects.get(session_key=laptop.session.session_key)
    response = laptop.post(reverse("units:session_end", args=[row.pk]))
    assert response.status_code == 302 and response.url == reverse("login")
    assert not _is_signed_in(laptop)
    assert not UserSession.objects.filter(pk=row.pk).exists()


def test_another_persons_session_is_not_found(personas):
    theirs = _signed_in(personas["operator_b"])
    row = UserSession.objects.get(session_key=theirs.session.session_key)
    mine = _signed_in(personas["operator"])
    assert mine.post(reverse("units:session_end", args=[row.pk])).status_code == 404
    assert _is_signed_in(theirs)


def test_logout_removes_the_sessions_row(personas):
    client = _signed_in(personas["operator"])
    assert UserSession.objects.filter(user=personas["operator"]).exists()
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user=personas["operator"]).exists()


def test_a_session_from_before_the_index_is_indexed_on_its_next_request(personas):
    client = _signed_in(personas["operator"])
    UserSession.objects.all().delete()
    session = client.session
    del session["_zi_indexed"]
    session.save()
    assert _is_signed_in(client)
    assert UserSession.objects.filter(session_key=client.session.session_key).exists()


def test_admin_role_change_signs_the_person_out(
    personas, tree, client_for, django_capture_on_commit_callbacks
):
    person = personas["outsider"]
    theirs = _signed_in(person)
    assert _is_signed_in(theirs)
    admin = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("units:membership_add", args=[person.pk]),
            {"membership-unit_code": "KWB", "membership-role": Role.REVIEWER},
        )
    response = theirs.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    entry = LogEntry.objects.filter(additional_data__action="zi.sessions.ended").get()
    assert entry.additional_data["reason"] == "role_change"
    assert entry.actor == personas["admin"]
    assert audit.label_of("zi.sessions.ended") == "Sesi pengguna diakhiri"

    theirs = _signed_in(person)  # signs in again, with the new role
    membership = person.memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("units:membership_remove", args=[person.pk, membership.pk]))
    assert not _is_signed_in(theirs)


def test_a_refused_role_change_signs_no_one_out(personas, tree, django_capture_on_commit_callbacks):
    operator = personas["operator"]
    theirs = _signed_in(operator)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        membership_grant(user=operator, unit=tree.kankemenag_a, role=Role.OPERATOR)  # held already
    assert _is_signed_in(theirs)


def test_deactivation_signs_the_person_out(personas, django_capture_on_commit_callbacks):
    operator = personas["operator"]
    theirs = _signed_in(operator)
    with django_capture_on_commit_callbacks(execute=True):
        person_update(person=operator, by=personas["admin"], is_active=False)
    assert not _is_signed_in(theirs)
    entry = LogEntry.objects.filter(additional_data__action="zi.sessions.ended").get()
    assert entry.additional_data["reason"] == "deactivated"


@pytest.mark.parametrize("rows", [1, 50])
def test_sessions_page_queries_do_not_grow_with_sessions(
    rows, personas, django_assert_max_num_queries
):
    operator = personas["operator"]
    client = _signed_in(operator)
    for _ in range(rows - 1):  # the person's other browsers
        other = SessionStore()
        other.create()
        UserSession.objects.create(user=operator, session_key=other.session_key)
    client.get(reverse("home"))  # the layout's per-person reads, cached after the first page
    with django_assert_max_num_queries(6):
        response = client.get(reverse("units:sessions"))
    assert response.status_code == 200
    assert response.content.decode().count(">Akhiri<") == rows


def test_a_session_ended_elsewhere_is_not_listed(personas):
    operator = personas["operator"]
    laptop, phone = _signed_in(operator), _signed_in(operator)
    SessionStore(session_key=phone.session.session_key).delete()  # e.g. its 12 hours ran out
    page = laptop.get(reverse("units:sessions")).content.decode()
    assert page.count(">Akhiri<") == 1
