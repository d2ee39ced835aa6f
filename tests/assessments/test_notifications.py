"""Notifications: who hears about a stage change or a deadline, by inbox and by e-mail, and the
inbox pages themselves."""

import datetime
from smtplib import SMTPException

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from assessments import notices
from assessments.models import ItemReturn, Layer, Status, TransitionEvent
from assessments.services import assessment_transition
from assessments.tasks import remind_deadlines
from assessments.workflow import TRANSITIONS
from notifications import emails, services
from notifications.context_processors import notifications as unread_context
from notifications.models import Notification
from notifications.tasks import send_notification_emails
from tests.factories import AssessmentFactory, MembershipFactory, UnitFactory, UserFactory
from units.models import Role, UnitKind


@pytest.fixture
def reviewer_b(tree):
    """A Kanwil B reviewer: outside unit A's chain, never told about unit A."""
    user = UserFactory(email="reviewer.b@example.id")
    MembershipFactory(user=user, unit=tree.kanwil_b, role=Role.REVIEWER)
    return user


def _event(assessment, name, by, note="Catatan uji."):
    transition = TRANSITIONS[name]
    return TransitionEvent.objects.create(
        assessment=assessment,
        transition=name,
        from_status=transition.sources[0],
        to_status=transition.target,
        note=note,
        by=by,
    )


def _recipients(people, **filters):
    emails = set(Notification.objects.filter(**filters).values_list("user__email", flat=True))
    return {name for name, user in people.items() if user is not None and user.email in emails}


def _return_items(assessment, layer, by, count):
    for question in assessment.period.lke_version.questions.order_by("pk")[:count]:
        ItemReturn.objects.create(
            assessment=assessment, question=question, layer=layer, note="Perbaiki.", created_by=by
        )


# --------------------------------------------------------------------------- who hears


UNIT = {"operator", "pimpinan"}
AUDIENCE_CASES = [
    ("confirm_declaration", "pimpinan", {"operator"}),
    ("submit", "operator", {"pimpinan"}),
    ("approve_submission", "pimpinan", {"reviewer", "operator"}),
    ("reject_submission", "pimpinan", {"operator"}),
    ("return_preliminary", "reviewer", UNIT),
    ("return_tpi", "tpi", UNIT),
    ("resubmit_preliminary", "operator", {"reviewer"}),
    ("resubmit_tpi", "operator", {"tpi"}),
    ("forward_to_tpi", "reviewer", {"tpi", *UNIT}),
    ("tpi_pass", "tpi", {*UNIT, "reviewer", "admin"}),
    ("tpi_fail", "tpi", {*UNIT, "reviewer", "admin"}),
    ("propose", "admin", {"tpn", *UNIT}),
    ("grant", "tpn", {*UNIT, "admin"}),
    ("not_grant", "tpn", {*UNIT, "admin"}),
]


@pytest.mark.parametrize(
    ("name", "actor", "expected"), AUDIENCE_CASES, ids=[c[0] for c in AUDIENCE_CASES]
)
def test_transition_reaches_the_right_people_and_never_the_actor(
    name, actor, expected, personas, assessment, reviewer_b
):
    event = _event(assessment, name, personas[actor])

    notices.transition_made(event_id=event.pk)

    people = {**personas, "reviewer_b": reviewer_b}
    assert _recipients(people, kind=name) == expected
    entry = Notification.objects.filter(kind=name).first()
    assert entry.url == reverse("assessments:detail", args=[assessment.pk])
    assert assessment.unit.name in entry.title


def test_actor_holding_an_audience_role_is_left_out(personas, assessment, tree):
    # The head also operates the unit: approving, they must not be told they approved.
    MembershipFactory(user=personas["pimpinan"], unit=tree.kankemenag_a, role=Role.OPERATOR)
    event = _event(assessment, "approve_submission", personas["pimpinan"])

    notices.transition_made(event_id=event.pk)

    assert not Notification.objects.filter(user=personas["pimpinan"]).exists()
    assert Notification.objects.filter(user=personas["operator"]).exists()


def test_returned_items_notice_says_how_many(personas, assessment):
    _return_items(assessment, Layer.PRELIMINARY, personas["reviewer"], 3)
    _return_items(assessment, Layer.TPI, personas["tpi"], 1)  # another layer: not counted
    event = _event(assessment, "return_preliminary", personas["reviewer"], note="Lihat catatan.")

    notices.transition_made(event_id=event.pk)

    entry = Notification.objects.get(user=personas["operator"])
    assert entry.title.startswith("3 butir dikembalikan")
    assert "Lihat catatan." in entry.body


def test_tpi_decision_names_the_outcome(personas, assessment):
    notices.transition_made(event_id=_event(assessment, "tpi_fail", personas["tpi"]).pk)

    assert Notification.objects.get(user=personas["admin"]).title.startswith("Keputusan TPI: TMS")


def test_transition_made_twice_makes_no_duplicates(personas, assessment):
    event = _event(assessment, "submit", personas["operator"])

    notices.transition_made(event_id=event.pk)
    notices.transition_made(event_id=event.pk)

    assert Notification.objects.filter(user=personas["pimpinan"]).count() == 1


def test_transition_service_notifies_after_commit(
    personas, assessment, django_capture_on_commit_callbacks, eager_celery
):
    assessment.status = Status.SUBMITTED
    assessment.save()

    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(
            assessment=assessment,
            name="reject_submission",
            by=personas["pimpinan"],
            note="Lengkapi data dukung area 2.",
        )

    entry = Notification.objects.get(user=personas["operator"])
    assert "dikembalikan oleh pimpinan" in entry.title
    assert not Notification.objects.filter(user=personas["pimpinan"]).exists()
    assert [m.to for m in mail.outbox] == [[personas["operator"].email]]
    assert "Lengkapi data dukung area 2." in mail.outbox[0].body


# --------------------------------------------------------------------------- e-mail


def test_email_goes_out_unless_muted_while_inbox_entry_stays(
    personas, assessment, django_capture_on_commit_callbacks, eager_celery
):
    personas["pimpinan"].email_muted = True
    personas["pimpinan"].save()
    event = _event(assessment, "return_tpi", personas["tpi"])

    with django_capture_on_commit_callbacks(execute=True):
        notices.transition_made(event_id=event.pk)

    assert _recipients(personas) == {"operator", "pimpinan"}
    assert [m.to for m in mail.outbox] == [[personas["operator"].email]]
    message = mail.outbox[0]
    entry = Notification.objects.get(user=personas["operator"])
    assert message.subject == f"[ZI Portal] {entry.title}"
    assert reverse("notifications:open", args=[entry.pk]) in message.body
    assert reverse("notifications:settings") in message.body


def test_email_task_sends_each_notification_once(personas, assessment):
    entry = services.notify(users=[personas["operator"]], kind="test", title="Uji")[0]

    assert send_notification_emails(notification_ids=[entry.pk]) == 1
    assert send_notification_emails(notification_ids=[entry.pk]) == 0
    assert len(mail.outbox) == 1


def test_email_task_skips_read_or_since_muted_notifications(personas):
    read, muted = services.notify(
        users=[personas["operator"], personas["pimpinan"]], kind="test", title="Uji"
    )
    services.notification_open(notification=read)
    services.notification_settings_update(user=personas["pimpinan"], email_muted=True)

    assert send_notification_emails(notification_ids=[read.pk, muted.pk]) == 0
    assert mail.outbox == []


def test_failed_send_is_retried_without_resending_the_others(personas, monkeypatch):
    first, second = services.notify(
        users=[personas["operator"], personas["pimpinan"]], kind="test", title="Uji"
    )
    real_send = emails._send_one
    calls = []

    def flaky(notification, connection):
        calls.append(notification.pk)
        if notification.pk == second.pk and len(calls) == 2:
            raise SMTPException("server busy")
        real_send(notification, connection)

    monkeypatch.setattr(emails, "_send_one", flaky)

    with pytest.raises(SMTPException):
        emails.notification_emails_send(notification_ids=[first.pk, second.pk])
    assert emails.notification_emails_send(notification_ids=[first.pk, second.pk]) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas["operator"].email, personas["pimpinan"].email]
    )


def test_notify_skips_users_who_already_have_the_key(personas):
    users = [personas["operator"], personas["pimpinan"]]
    services.notify(users=users[:1], kind="test", title="Uji", dedupe_key="k:1")

    created = services.notify(users=users, kind="test", title="Uji", dedupe_key="k:1")

    assert [n.user for n in created] == [personas["pimpinan"]]
    assert Notification.objects.filter(dedupe_key="k:1").count() == 2


# --------------------------------------------------------------------------- deadlines


def test_deadline_reminder_is_idempotent_and_repeats_on_the_last_day(
    personas, assessment, assessment_b
):
    deadline = assessment.period.deadline_pencanangan
    week_before = (deadline - datetime.timedelta(days=5)).isoformat()

    assert remind_deadlines(today=week_before) == 3  # operator, pimpinan (A), operator_b (B)
    assert remind_deadlines(today=week_before) == 0
    assert remind_deadlines(today=(deadline - datetime.timedelta(days=4)).isoformat()) == 0
    assert _recipients(personas, kind="deadline") == {"operator", "pimpinan", "operator_b"}

    notices.deadline_reminders_send(today=deadline - datetime.timedelta(days=1))
    notices.deadline_reminders_send(today=deadline)

    assert Notification.objects.filter(user=personas["operator"], kind="deadline").count() == 2
    assert Notification.objects.filter(kind="deadline").count() == 6


@pytest.mark.parametrize(
    ("status", "stage_field", "expected"),
    [
        (Status.PENCANANGAN, "deadline_pencanangan", UNIT),
        (Status.PEMBANGUNAN, "deadline_pembangunan", {"operator"}),
        (Status.SUBMITTED, "deadline_pembangunan", {"pimpinan"}),
        (Status.RETURNED_PRELIMINARY, "deadline_penilaian", {"operator"}),
        (Status.RETURNED_TPI, "deadline_penilaian", {"operator"}),
        (Status.PRELIMINARY_REVIEW, "deadline_penilaian", {"reviewer"}),
        (Status.TPI_REVIEW, "deadline_penilaian", {"tpi"}),
        (Status.TPI_PASSED, "deadline_pengusulan", {"admin"}),
        (Status.PROPOSED, "deadline_evaluasi", {"tpn"}),
    ],
)
def test_deadline_reminder_goes_to_who_must_act_now(
    status, stage_field, expected, personas, assessment
):
    assessment.status = status
    assessment.save()

    notices.deadline_reminders_send(today=getattr(assessment.period, stage_field))

    assert _recipients(personas, kind="deadline") == expected


def test_no_reminder_far_from_deadline_after_it_or_when_closed_or_final(
    personas, assessment, assessment_b, period
):
    deadline = period.deadline_pencanangan
    notices.deadline_reminders_send(today=deadline - datetime.timedelta(days=8))
    notices.deadline_reminders_send(today=deadline + datetime.timedelta(days=1))
    assert not Notification.objects.exists()

    assessment_b.status = Status.TPI_FAILED
    assessment_b.save()
    period.is_open = False
    period.save()
    notices.deadline_reminders_send(today=deadline)
    assert not Notification.objects.exists()


def _units_with_people(tree, period, count):
    for i in range(count):
        unit = UnitFactory(code=f"KK{i:03d}", kind=UnitKind.KANKEMENAG, parent=tree.kanwil_a)
        MembershipFactory(unit=unit, role=Role.OPERATOR)
        MembershipFactory(unit=unit, role=Role.PIMPINAN)
        AssessmentFactory(period=period, unit=unit)


@pytest.mark.parametrize("count", [1, 40])
def test_deadline_reminders_keep_constant_queries(
    count, tree, period, django_assert_max_num_queries
):
    _units_with_people(tree, period, count)

    with django_assert_max_num_queries(9):  # 5 queries + 2 savepoints
        created = notices.deadline_reminders_send(today=period.deadline_pencanangan)

    assert created == 2 * count


# --------------------------------------------------------------------------- inbox pages


@pytest.fixture
def own_entry(personas):
    return services.notify(
        users=[personas["operator"]], kind="test", title="Untuk operator", url="/queue/"
    )[0]


@pytest.mark.parametrize("persona", ["outsider", "operator", "reviewer", "tpn", "admin"])
def test_inbox_shows_only_own_notifications(persona, personas, client_for, own_entry):
    services.notify(users=[personas[persona]], kind="test", title="Milik saya")

    response = client_for(persona).get(reverse("notifications:inbox"))

    assert response.status_code == 200
    assert "Milik saya" in response.text
    assert ("Untuk operator" in response.text) == (persona == "operator")


def test_inbox_needs_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("count", [1, 50])
def test_inbox_keeps_constant_queries(count, personas, client_for, django_assert_max_num_queries):
    for i in range(count):
        services.notify(users=[personas["operator"]], kind="test", title=f"Pesan {i}")
    client = client_for("operator")

    with django_assert_max_num_queries(9):  # session, user, nav, counts, page, session save
        response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 200
    assert response.text.count("list-group-item-warning") == min(count, 30)


def test_opening_marks_read_and_follows_the_link(client_for, own_entry):
    response = client_for("operator").get(reverse("notifications:open", args=[own_entry.pk]))

    assert response.status_code == 302
    assert response.url == "/queue/"
    own_entry.refresh_from_db()
    assert own_entry.read_at is not None


@pytest.mark.parametrize("persona", ["operator_b", "pimpinan", "admin"])
def test_another_users_notification_is_not_found(persona, client_for, own_entry):
    client = client_for(persona)
    url = reverse("notifications:open", args=[own_entry.pk])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    own_entry.refresh_from_db()
    assert own_entry.read_at is None


def test_open_refuses_to_redirect_off_site(personas, client_for):
    entry = services.notify(
        users=[personas["operator"]], kind="test", title="Uji", url="https://evil.example/"
    )[0]

    response = client_for("operator").post(reverse("notifications:open", args=[entry.pk]))

    assert response.url == reverse("notifications:inbox")


def test_read_all_marks_only_own_unread(personas, client_for, own_entry):
    other = services.notify(users=[personas["pimpinan"]], kind="test", title="Lain")[0]
    services.notify(users=[personas["operator"]], kind="test", title="Kedua")
    client = client_for("operator")

    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert not Notification.objects.filter(user=personas["operator"], read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_settings_mute_and_unmute_email(personas, client_for):
    client = client_for("reviewer")
    url = reverse("notifications:settings")

    assert client.get(url).status_code == 200
    assert client.post(url, {"email_muted": "on"}).status_code == 302
    personas["reviewer"].refresh_from_db()
    assert personas["reviewer"].email_muted is True

    client.post(url, {})
    personas["reviewer"].refresh_from_db()
    assert personas["reviewer"].email_muted is False


# --------------------------------------------------------------------------- nav badge


def test_unread_count_costs_one_query_and_only_when_shown(personas, django_assert_num_queries):
    services.notify(users=[personas["operator"]], kind="test", title="Satu")
    services.notify(users=[personas["operator"]], kind="test", title="Dua")
    request = RequestFactory().get("/")
    request.user = personas["operator"]

    with django_assert_num_queries(0):  # a partial page (htmx) never asks
        count = unread_context(request)["unread_notifications"]
    with django_assert_num_queries(1):
        assert (count(), count(), unread_context(request)["unread_notifications"]()) == (2, 2, 2)


def test_unread_count_is_empty_for_anonymous(db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with django_assert_num_queries(0):
        assert unread_context(request) == {}


def test_bell_shows_the_unread_badge(personas, client_for):
    from django.template.loader import render_to_string

    services.notify(users=[personas["operator"]], kind="test", title="Satu")
    request = RequestFactory().get("/")
    request.user = personas["operator"]

    html = render_to_string("notifications/_bell.html", request=request)

    assert reverse("notifications:inbox") in html
    assert "badge" in html
