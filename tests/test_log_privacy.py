"""No personal data in the logs: an e-mail address in a query string or a form body never
reaches a log line, whatever writes it (the access line, Django's 4xx warnings, django-axes)."""

from django.urls import reverse

from tests.log_capture import json_log  # noqa: F401 (fixture)

EMAIL = "operator.a@example.id"


def test_an_email_in_the_query_string_is_not_logged(client_for, json_log):  # noqa: F811
    client = client_for("operator")
    assert client.get(reverse("home"), {"email": EMAIL}).status_code == 200
    assert client.get("/tidak-ada/", {"q": EMAIL}).status_code == 404  # django.request logs it
    assert [line["route"] for line in json_log.lines("zi.access")] == ["home", None]
    assert json_log.lines("django.request")  # the 404 was logged, without the query
    assert EMAIL not in json_log.text
    assert "example.id" not in json_log.text


def test_an_email_in_a_post_body_is_not_logged(client, personas, json_log):  # noqa: F811
    # A failed login: django-axes logs the failure, its username masked (axes' own
    # AXES_SENSITIVE_PARAMETERS).
    response = client.post(reverse("login"), {"username": EMAIL, "password": "salah-sekali-1"})
    assert response.status_code == 200
    assert any("AXES" in line["message"] for line in json_log.lines("axes.handlers.database"))
    # A password reset asked for that address.
    assert client.post(reverse("password_reset"), {"email": EMAIL}).status_code == 302
    assert len(json_log.lines("zi.access")) == 2
    assert EMAIL not in json_log.text
    assert "example.id" not in json_log.text


def test_an_email_in_an_exceptions_text_is_not_logged(json_log):  # noqa: F811
    """Celery logs a retry with the exception's text; a refused recipient names the address."""
    import logging
    from smtplib import SMTPRecipientsRefused

    refused = SMTPRecipientsRefused({EMAIL: (550, b"mailbox unavailable")})
    logging.getLogger("celery.app.trace").info("Task x retry: Retry in 30s: %r", refused)
    try:
        raise refused
    except SMTPRecipientsRefused:
        logging.getLogger("notifications").exception("mail to %s failed", EMAIL)
    assert "[email]" in json_log.text
    assert EMAIL not in json_log.text and "example.id" not in json_log.text
    assert len(json_log.lines()) == 2  # still one JSON object per line
