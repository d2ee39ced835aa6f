"""Evidence pages as the browser sees them: multi-file upload with one result per file, the
authorised download, the list partial and its query count, removal and review verdicts."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Evidence, EvidenceKind, EvidenceVerdict, Status
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_docx,
    make_image,
    make_pdf,
    open_assessment_fixture,
    put,
    question_fixture,
    stored_files,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name, assessment, **kwargs):
    return reverse(f"assessments:{name}", kwargs={"pk": assessment.pk, **kwargs})


def _files(*pairs):
    return [SimpleUploadedFile(name, content) for name, content in pairs]


def test_several_files_at_once_each_gets_its_result(client_for, storage, open_assessment, question):
    client = client_for("operator")
    response = client.post(
        _url("evidence_upload", open_assessment),
        {
            "kind": "answer",
            "question": question.pk,
            "checklist_item": "SK Tim Kerja",
            "covers_period": "Semester I 2026",
            "files": _files(
                ("sk tim.pdf", make_pdf()),
                ("foto.png", make_image("PNG")),
                ("virus.pdf", b"MZ\x90\x00"),
            ),
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 berkas diunggah" in body
    assert "virus.pdf" in body and "tipe berkas tidak diizinkan" in body.lower()
    saved = Evidence.objects.order_by("pk")
    assert [e.original_name for e in saved] == ["sk tim.pdf", "foto.png"]
    assert {e.description for e in saved} == {"SK Tim Kerja"}
    assert {e.covers_period for e in saved} == {"Semester I 2026"}
    assert len(stored_files(storage)) == 2


def test_plain_form_post_redirects_back_with_messages(client_for, storage, open_assessment):
    client = client_for("operator")
    back = _url("detail", open_assessment)
    response = client.post(
        _url("evidence_upload", open_assessment),
        {
            "kind": "piagam",
            "next": back,
            "files": _files(("kosong.pdf", b""), ("p.pdf", make_pdf())),
        },
        follow=False,
    )
    assert response.status_code == 302 and response.url == back
    page = client.get(_url("evidence_list", open_assessment), {"kind": "piagam"})
    text = page.content.decode()
    assert "kosong.pdf: Berkas kosong." in text
    assert "1 berkas diunggah." in text
    assert (
        'href="' + _url("evidence_download", open_assessment, evidence_pk=Evidence.objects.get().pk)
        in text
    )


def test_redirect_back_refuses_other_sites(client_for, storage, open_assessment):
    response = client_for("operator").post(
        _url("evidence_upload", open_assessment),
        {"kind": "piagam", "next": "https://evil.example/", "files": _files(("p.pdf", make_pdf()))},
    )
    assert response.url == _url("evidence_list", open_assessment) + "?kind=piagam"


def test_json_answer_for_the_upload_script(client_for, storage, open_assessment):
    client = client_for("operator")
    url = _url("evidence_upload", open_assessment)
    ok = client.post(
        url,
        {"kind": "pakta", "files": _files(("p.pdf", make_pdf()))},
        HTTP_ACCEPT="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["accepted"][0]["name"] == "p.pdf" and ok.json()["rejected"] == []
    bad = client.post(
        url,
        {"kind": "pakta", "files": _files(("x.svg", b"<svg/>"))},
        HTTP_ACCEPT="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["rejected"][0]["name"] == "x.svg"


def test_oversized_file_is_dropped_while_it_arrives(settings, client_for, storage, open_assessment):
    settings.ZI_EVIDENCE_MAX_BYTES = 4096
    response = client_for("operator").post(
        _url("evidence_upload", open_assessment),
        {
            "kind": "piagam",
            "files": _files(("besar.pdf", make_pdf(b"%" * 300_000)), ("kecil.pdf", make_pdf())),
        },
        HTTP_ACCEPT="application/json",
    )
    data = response.json()
    assert [a["name"] for a in data["accepted"]] == ["kecil.pdf"]
    assert data["rejected"][0]["name"] == "besar.pdf"
    assert "terlalu besar" in data["rejected"][0]["error"]


def test_upload_checks_the_csrf_token(storage, open_assessment, personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["operator"])
    response = client.post(
        _url("evidence_upload", open_assessment),
        {"kind": "piagam", "files": _files(("p.pdf", make_pdf()))},
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_upload_is_locked_while_with_the_reviewer(client_for, storage, open_assessment):
    open_assessment.status = Status.PRELIMINARY_REVIEW
    open_assessment.save()
    client = client_for("operator")
    response = client.post(
        _url("evidence_upload", open_assessment),
        {"kind": "piagam", "files": _files(("p.pdf", make_pdf()))},
    )
    assert response.status_code == 403
    page = client.get(_url("evidence_list", open_assessment), {"kind": "piagam"}).content.decode()
    assert "evidence-upload-form" not in page
    assert "terkunci" in page


# --------------------------------------------------------------------------- download


def test_download_gives_the_same_bytes_as_uploaded(client_for, storage, open_assessment, personas):
    content = make_pdf(b"isi piagam " * 5000)
    item = put(open_assessment, personas["operator"], "Piagam Pencanangan.pdf", content)
    response = client_for("reviewer").get(
        _url("evidence_download", open_assessment, evidence_pk=item.pk)
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == item.sha256 == hashlib.sha256(content).hexdigest()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Piagam Pencanangan.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_inline_preview_only_for_pdf_and_images(client_for, storage, open_assessment, personas):
    pdf = put(open_assessment, personas["operator"], "a.pdf", make_pdf())
    docx = put(open_assessment, personas["operator"], "b.docx", make_docx())
    client = client_for("operator")
    inline = client.get(
        _url("evidence_download", open_assessment, evidence_pk=pdf.pk), {"inline": "1"}
    )
    assert inline["Content-Disposition"].startswith("inline;")
    forced = client.get(
        _url("evidence_download", open_assessment, evidence_pk=docx.pk), {"inline": "1"}
    )
    assert forced["Content-Disposition"].startswith("attachment;")
    assert forced["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_units_file_is_not_found(
    client_for, storage, open_assessment, assessment_b, personas
):
    assessment_b.status = Status.PEMBANGUNAN
    assessment_b.save()
    theirs = put(assessment_b, personas["operator_b"], "b.pdf", make_pdf())
    client = client_for("operator")
    # Through their assessment (outside my scope) and through mine (not my assessment's file).
    assert (
        client.get(_url("evidence_download", assessment_b, evidence_pk=theirs.pk)).status_code
        == 404
    )
    assert (
        client.get(_url("evidence_download", open_assessment, evidence_pk=theirs.pk)).status_code
        == 404
    )
    assert (
        client.post(_url("evidence_remove", open_assessment, evidence_pk=theirs.pk)).status_code
        == 404
    )


def test_anonymous_is_sent_to_login(client, storage, open_assessment, personas):
    item = put(open_assessment, personas["operator"], "a.pdf", make_pdf())
    response = client.get(_url("evidence_download", open_assessment, evidence_pk=item.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --------------------------------------------------------------------------- list


@pytest.mark.parametrize("n", [1, 50])
def test_list_query_count_is_constant(
    n, client_for, open_assessment, personas, question, django_assert_max_num_queries
):
    operator = personas["operator"]
    Evidence.objects.bulk_create(
        Evidence(
            assessment=open_assessment, kind=EvidenceKind.ANSWER, question=question,
            file=f"evidence/2026/01/{i:032x}.pdf", original_name=f"{i}.pdf", size=10,
            content_type="application/pdf", uploaded_by=operator,
            verdict_by=personas["reviewer"] if i % 2 else None,
        )
        for i in range(n)
    )  # fmt: skip
    client = client_for("operator")
    url = _url("evidence_list", open_assessment)
    with django_assert_max_num_queries(11):
        response = client.get(url, {"question": question.pk}, **HTMX)
    assert response.content.decode().count('class="list-group-item') == n
    with django_assert_max_num_queries(11):
        page = client.get(url, {"question": question.pk})
    assert b"evidence-upload-form" in page.content


def test_list_of_a_question_of_another_lke_or_unknown_kind_is_not_found(
    client_for, open_assessment
):
    client = client_for("operator")
    url = _url("evidence_list", open_assessment)
    assert client.get(url, {"question": 999999}).status_code == 404
    assert client.get(url, {"kind": "answer"}).status_code == 404
    assert client.get(url, {"kind": "lainnya"}).status_code == 404
    assert client.get(url).status_code == 404


# --------------------------------------------------------------------------- remove & verdict


def test_remove_from_the_list(client_for, storage, open_assessment, personas):
    item = put(open_assessment, personas["operator"], "a.pdf", make_pdf())
    url = _url("evidence_remove", open_assessment, evidence_pk=item.pk)
    assert client_for("pimpinan").post(url).status_code == 403
    response = client_for("operator").post(url, **HTMX)
    assert response.status_code == 200 and "Belum ada data dukung" in response.content.decode()
    item.refresh_from_db()
    assert item.removed_at is not None


def test_reviewer_verdicts_and_the_unit_sees_them(
    client_for, storage, open_assessment, personas, question
):
    item = put(open_assessment, personas["operator"], "a.pdf", make_pdf(), question=question)
    url = _url("evidence_verdict", open_assessment, evidence_pk=item.pk)
    assert client_for("reviewer").post(url, {"verdict": "complete"}).status_code == 403  # not yet
    open_assessment.status = Status.PRELIMINARY_REVIEW
    open_assessment.save()
    reviewer = client_for("reviewer")
    refused = reviewer.post(url, {"verdict": "needs_fix", "note": "  "}, **HTMX)
    assert "Catatan wajib diisi" in refused.content.decode()
    item.refresh_from_db()
    assert item.verdict == EvidenceVerdict.UNCHECKED
    reviewer.post(url, {"verdict": "needs_fix", "note": "Tanda tangan pimpinan belum ada"}, **HTMX)
    item.refresh_from_db()
    assert (item.verdict, item.verdict_by) == (EvidenceVerdict.NEEDS_FIX, personas["reviewer"])
    page = client_for("operator").get(
        _url("evidence_list", open_assessment), {"question": question.pk}
    )
    text = page.content.decode()
    assert "Perlu perbaikan" in text and "Tanda tangan pimpinan belum ada" in text
    assert 'name="verdict"' not in text
    assert client_for("operator").post(url, {"verdict": "complete"}).status_code == 403


def test_files_spooled_to_disk_are_checked_and_stored_the_same(
    settings, client_for, storage, open_assessment, tmp_path
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file goes through a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    response = client_for("operator").post(
        _url("evidence_upload", open_assessment),
        {
            "kind": "sk_tim",
            "files": _files(
                ("sk.docx", make_docx()),
                ("sk.pdf", make_pdf()),
                ("bom.docx", make_docx(**{"word/media/filler.xml": b"\0" * (5 * 1024 * 1024)})),
            ),
        },
        HTTP_ACCEPT="application/json",
    )
    data = response.json()
    assert [a["name"] for a in data["accepted"]] == ["sk.docx", "sk.pdf"]
    assert [r["name"] for r in data["rejected"]] == ["bom.docx"]
    for item in Evidence.objects.all():
        assert hashlib.sha256((storage / item.file.name).read_bytes()).hexdigest() == item.sha256
    assert len(stored_files(storage)) == 2
