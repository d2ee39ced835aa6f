"""Claims of SECURITY.md that are settings or the absence of something, held by tests: no raw
SQL, gunicorn's and Django's bounds on requests, e-mail links that never come from the Host
header, and no password ever sent to a new person."""

import re
import runpy
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.urls import reverse

from assessments.worksheet.services import answer_save
from notifications.emails import absolute_url

ROOT = Path(__file__).resolve().parents[2]
APPS = ("areas", "assessments", "core", "notifications", "reports", "units", "zi_portal")
RAW_SQL = re.compile(r"\.raw\(|\.extra\(|RawSQL\(|\.cursor\(")


# Raw SQL that was reviewed: the health check's SELECT 1, the dashboards' tally's additive
# upsert (INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x, which the ORM cannot say;
# built from the table's quoted name and placeholders only), and backup/restore's one helper
# (the exported snapshot, the catalogue's table list and count(*) of each quoted table name).
REVIEWED_RAW_SQL = ("core/health.py:", "assessments/worksheet/tally.py:", "core/backup.py:")


def test_no_raw_sql_outside_the_reviewed_places():
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if RAW_SQL.search(line)
    ]
    assert len(found) == len(REVIEWED_RAW_SQL), found
    assert all(place.startswith(REVIEWED_RAW_SQL) for place in found), found


def test_gunicorn_ends_a_runaway_request_and_refuses_oversized_headers(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["timeout"] <= 30 and conf["graceful_timeout"] <= 30
    assert conf["limit_request_line"] <= 8190 and conf["limit_request_fields"] <= 100
    assert conf["limit_request_field_size"] <= 8190
    assert conf["bind"].startswith("127.0.0.1:")  # loopback unless told otherwise


def test_django_bounds_form_bodies():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000


def test_email_links_use_the_configured_address_not_the_request(settings):
    settings.PORTAL_BASE_URL = "https://zi.kemenag.go.id"
    assert absolute_url("/x/") == "https://zi.kemenag.go.id/x/"
    settings.PORTAL_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["zi.example.go.id", "*"]
    assert absolute_url("/x/") == "https://zi.example.go.id/x/"


def test_a_forged_host_header_is_refused(client):
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_a_new_person_gets_a_link_never_a_password(
    client_for, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("admin").post(
            reverse("units:person_create"), {"full_name": "Baru", "email": "baru@example.id"}
        )
    from units.models import User

    assert "/accounts/reset/" in mail.outbox[0].body
    assert not User.objects.get(email="baru@example.id").has_usable_password()


def test_a_transition_leaves_its_event_and_an_answer_its_history(assessment, personas):
    from assessments import services
    from assessments.models import Status, TransitionEvent

    assessment.status = Status.SUBMITTED
    assessment.save()
    services.assessment_transition(
        assessment=assessment, name="reject_submission", by=personas["pimpinan"], note="Lengkapi"
    )
    event = TransitionEvent.objects.get()
    assert (event.by, event.from_status, event.to_status, event.note) == (
        personas["pimpinan"], Status.SUBMITTED, Status.PEMBANGUNAN, "Lengkapi",
    )  # fmt: skip
    assessment.refresh_from_db()
    question = assessment.period.lke_version.questions.get(code="P1.1.a")
    labels = [option.label for option in question.options.all()]
    answer = None
    for label in labels[:2]:
        answer = answer_save(
            assessment=assessment, question=question, layer="self", by=personas["operator"],
            value=label, note="", revision=answer.revision if answer else None,
        )  # fmt: skip
    assert answer.history.count() == 2  # the assessment went back to Pembangunan: writable


def test_failed_logins_are_recorded_without_the_password(client, personas):
    from axes.models import AccessAttempt

    client.post(
        reverse("login"),
        {"username": "operator.a@example.id", "password": "Rahasia-Sekali-123"},
        REMOTE_ADDR="198.51.100.9",
        HTTP_USER_AGENT="uji/1.0",
    )
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.user_agent) == (
        "operator.a@example.id", "198.51.100.9", "uji/1.0",
    )  # fmt: skip
    assert "Rahasia-Sekali-123" not in f"{attempt.post_data}{attempt.get_data}"
