"""Evidence on object storage: uploaded through the portal into a real S3 server (moto on
loopback, through django-storages), scanned by a real clamd, and downloaded only through the
portal's authorised view, which hands out a short-lived signed URL to the object."""

import hashlib
import urllib.request

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Evidence
from bench.loopback import EICAR
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
)


def _objects(store) -> dict[str, bytes]:
    client = store.client()
    listing = client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
    return {
        o["Key"]: client.get_object(Bucket=store.bucket, Key=o["Key"])["Body"].read()
        for o in listing
    }


def _upload(client, assessment, *files):
    return client.post(
        reverse("assessments:evidence_upload", kwargs={"pk": assessment.pk}),
        {"kind": "piagam", "files": [SimpleUploadedFile(n, c) for n, c in files]},
        HTTP_HX_REQUEST="true",
    )


def test_upload_lands_in_the_bucket_with_its_hash_and_downloads_through_the_portal(
    s3_store, real_clamd, open_assessment, client_for
):
    content = make_pdf(b"% piagam 2026")
    response = _upload(
        client_for("operator"), open_assessment, ("piagam.pdf", content), ("v.pdf", make_pdf(EICAR))
    )
    assert response.status_code == 200
    item = Evidence.objects.get()
    assert item.original_name == "piagam.pdf" and item.scan_status == "clean"
    objects = _objects(s3_store)
    assert list(objects) == [item.file.name]  # the infected file never reached the bucket
    assert hashlib.sha256(objects[item.file.name]).hexdigest() == item.sha256
    assert item.sha256 == hashlib.sha256(content).hexdigest()

    url = reverse("assessments:evidence_download", args=[open_assessment.pk, item.pk])
    answer = client_for("operator").get(url)
    assert answer.status_code == 302
    signed = answer.url
    assert signed.startswith(s3_store.url) and "Signature=" in signed
    with urllib.request.urlopen(signed, timeout=5) as got:  # noqa: S310 (loopback moto)
        assert got.read() == content
        assert 'filename="piagam.pdf"' in got.headers["Content-Disposition"]


def test_outside_the_scope_no_signed_url_is_handed_out(s3_store, open_assessment, client_for):
    _upload(client_for("operator"), open_assessment, ("piagam.pdf", make_pdf()))
    item = Evidence.objects.get()
    url = reverse("assessments:evidence_download", args=[open_assessment.pk, item.pk])
    assert client_for("outsider").get(url).status_code == 404
