"""Every word in the reader's language: an inbox entry is stored as a message key with its
parameters, so the operator reading in English sees English and the head reading in
Indonesian sees Indonesian, for the same event; statuses inside the text follow too; a
person's own note stays as written; and e-mail goes out in the language they last chose."""

from django.core import mail
from django.urls import reverse
from django.utils import translation

from assessments import notices
from assessments.models import TransitionEvent
from assessments.workflow import TRANSITIONS
from notifications.models import Notification


def _event(assessment, name, by, note="Mohon lengkapi SK."):
    transition = TRANSITIONS[name]
    return TransitionEvent.objects.create(
        assessment=assessment, transition=name, from_status=transition.sources[0],
        to_status=transition.target, note=note, by=by,
    )  # fmt: skip


def test_the_same_entry_reads_in_each_readers_language(personas, assessment):
    notices.transition_made(event_id=_event(assessment, "tpi_pass", personas["tpi"]).pk)
    entry = Notification.objects.get(user=personas["operator"])
    unit = assessment.unit.name

    with translation.override("en"):
        assert entry.shown_title == f"TPI decision: Passed · {unit}"
        assert "Passed by TPI" in entry.shown_body and "Lolos" not in entry.shown_body
        assert "Mohon lengkapi SK." in entry.shown_body  # the note as its author wrote it
    with translation.override("id"):
        assert entry.shown_title == f"Keputusan TPI: Lolos · {unit}"
        assert "Lolos TPI" in entry.shown_body
    assert entry.title == f"Keputusan TPI: Lolos · {unit}"  # the portal-language text


def test_the_inbox_page_is_in_the_readers_language(personas, assessment, client_for):
    notices.transition_made(event_id=_event(assessment, "submit", personas["operator"]).pk)
    client = client_for("pimpinan")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Self-assessment awaiting approval" in page
    assert "menunggu persetujuan" not in page


def test_email_is_written_in_the_language_the_person_chose(
    personas, assessment, client_for, django_capture_on_commit_callbacks, eager_celery
):
    client_for("operator").post(reverse("set_language"), {"language": "en", "next": "/"})
    personas["operator"].refresh_from_db()
    assert personas["operator"].language == "en"
    event = _event(assessment, "return_tpi", personas["tpi"])
    with django_capture_on_commit_callbacks(execute=True):
        notices.transition_made(event_id=event.pk)
    by_address = {m.to[0]: m for m in mail.outbox}
    english = by_address[personas["operator"].email]
    indonesian = by_address[personas["pimpinan"].email]
    assert "returned by the TPI" in english.subject and "Dear" in english.body
    assert "dikembalikan oleh TPI" in indonesian.subject and "Yth." in indonesian.body
