"""The portal never sends a person on to another site after an error (open redirect)."""

import pytest
from django.urls import reverse


def test_a_refused_report_request_goes_back_only_within_the_portal(client_for):
    client = client_for("admin")
    url = reverse("reports:request")
    outside = client.post(url, {"kind_of_report": "nope"}, HTTP_REFERER="https://evil.example/")
    assert outside.status_code == 302 and outside.url == reverse("reports:list")
    inside = client.post(
        url, {"kind_of_report": "nope"}, HTTP_REFERER="http://testserver/dashboard/"
    )
    assert inside.url == "http://testserver/dashboard/"


@pytest.mark.parametrize(
    ("target", "secure", "expected"),
    [
        ("/queue/", False, "/queue/"),
        ("https://evil.example/", False, "/fallback/"),
        ("//evil.example/x", False, "/fallback/"),
        ("", False, "/fallback/"),
        ("http://testserver/queue/", True, "/fallback/"),  # no downgrade from https
        ("https://testserver/queue/", True, "https://testserver/queue/"),
    ],
)
def test_the_one_safe_target_stays_on_this_site(rf, target, secure, expected):
    from core.http import safe_target

    request = rf.get("/", secure=secure)
    assert safe_target(request, target, "/fallback/") == expected
