"""The letterhead of the formal documents: set by the national admin in the Django admin (a
logo Pillow can read, at most 1 MB, and the header lines), printed on the LHE."""

import io
import shutil
import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments.models import Layer
from reports.lhe import render_lhe
from reports.models import Letterhead


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 120), (31, 81, 48)).save(out, "PNG")
    return out.getvalue()


def _add(client, logo: SimpleUploadedFile):
    return client.post(
        reverse("admin:reports_letterhead_add"),
        {"lines": "KEMENTERIAN AGAMA\nKANWIL JAWA TENGAH", "logo": logo},
    )


def test_the_admin_sets_the_letterhead_and_the_lhe_prints_its_logo(
    client_for, storage, assessment, tmp_path
):
    response = _add(client_for("admin"), SimpleUploadedFile("logo.png", _png(), "image/png"))
    assert response.status_code == 302
    letterhead = Letterhead.objects.get()
    assert letterhead.line_list == ["KEMENTERIAN AGAMA", "KANWIL JAWA TENGAH"]

    path = tmp_path / "lhe.pdf"
    path.write_bytes(render_lhe(assessment=assessment, reader=None, layer=Layer.SELF))
    images = subprocess.run(
        [shutil.which("pdfimages") or "/usr/bin/pdfimages", "-list", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert " 120   120 " in images  # the logo, embedded from the data URI


def test_a_logo_that_is_not_an_image_is_refused(client_for, storage):
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", "image/png")
    response = _add(client_for("admin"), fake)
    assert response.status_code == 200  # the form again, with the error
    assert not Letterhead.objects.exists()


def test_only_the_national_admin_edits_the_letterhead(client_for, storage, personas):
    personas["tpn"].is_staff = True  # even a staff account without the admin role
    personas["tpn"].save()
    url = reverse("admin:reports_letterhead_add")
    assert client_for("tpn").get(url).status_code in (302, 403)
    assert client_for("admin").get(url).status_code == 200


def test_a_changed_letterhead_makes_the_next_lhe_a_new_file(assessment, personas, storage):
    from reports.services import report_request
    from reports.worker import report_run

    params = {"assessment": assessment.pk, "layer": Layer.SELF}
    first = report_request(kind="lhe", params=params, by=personas["operator"])
    report_run(job_id=first.pk)
    assert report_request(kind="lhe", params=params, by=personas["operator"]).pk == first.pk
    Letterhead.objects.create(lines="KANWIL KEMENAG PROVINSI JAWA TENGAH")
    assert report_request(kind="lhe", params=params, by=personas["operator"]).pk != first.pk


def test_the_admin_finds_an_issued_document_by_its_number(client_for, storage, granted, personas):
    from reports.models import IssuedDocument
    from reports.services import report_request
    from reports.worker import report_run

    job = report_request(kind="certificate", params={"assessment": granted.pk}, by=personas["tpn"])
    report_run(job_id=job.pk)
    document = IssuedDocument.objects.get()
    url = reverse("admin:reports_issueddocument_changelist")
    page = client_for("admin").get(url, {"q": document.number}).content.decode()
    assert document.number in page
    detail = client_for("admin").get(
        reverse("admin:reports_issueddocument_change", args=[document.pk])
    )
    assert f"/v/{document.code}/" in detail.content.decode()
