"""Light on a slow link: pages leave compressed, and a worksheet tab is small once compressed."""

import gzip
import io
import re

import pytest
from django.urls import reverse

from assessments.models import Layer, Status
from tests.assessments.helpers import answer_all

pytestmark = pytest.mark.django_db


def test_a_worksheet_tab_leaves_compressed_under_40_kb(client_for, assessment, personas):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_all(assessment, Layer.SELF, personas["operator"])
    response = client_for("operator").get(
        reverse("assessments:worksheet", args=[assessment.pk]),
        {"tab": "1"},
        HTTP_ACCEPT_ENCODING="gzip, deflate, br",
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content)
    assert b"P1.1.a" in html
    assert len(response.content) < 40 * 1024 < len(html)


def test_without_gzip_in_the_request_the_page_is_plain(client_for):
    response = client_for("operator").get(reverse("home"))
    assert "Content-Encoding" not in response and b"<html" in response.content


def test_a_file_download_is_not_compressed_again(rf):
    from django.http import FileResponse, HttpResponse

    from core.middleware import PageGZipMiddleware

    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
    pdf = HttpResponse(b"%PDF-1.7 " + b"x" * 5000, content_type="application/pdf")
    page = HttpResponse(b"<p>" + b"x" * 5000, content_type="text/html; charset=utf-8")
    middleware = PageGZipMiddleware(lambda r: None)
    assert "Content-Encoding" not in middleware.process_response(request, pdf)
    assert middleware.process_response(request, page)["Content-Encoding"] == "gzip"
    csv = FileResponse(io.BytesIO(b"a;b\n" * 2000), content_type="text/csv; charset=utf-8")
    assert "Content-Encoding" not in middleware.process_response(request, csv)


def test_static_files_have_hashed_names_and_are_cached_for_a_year(settings, tmp_path):
    """Production storage (whitenoise's manifest): a page names each script by its content's
    hash, and that file is served compressed with a one-year, immutable cache lifetime, so a
    slow link fetches it once."""
    from django.core.management import call_command
    from django.templatetags.static import static
    from django.test import Client

    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("js/portal.js")
    assert re.fullmatch(r"/static/js/portal\.[0-9a-f]{12}\.js", url), url
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert (
        "immutable" in response["Cache-Control"]
        and "max-age=315360000" in response["Cache-Control"]
    )
    assert response["Content-Encoding"] in ("br", "gzip")
