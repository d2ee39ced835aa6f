"""The evidence dictionary (kamus eviden) on the worksheet: each entry of an item says whether
accepted files cover it (one file or two required, a document dated outside the period does not
count), a file is linked to its entry at upload, and the card costs the same queries with one
file or fifty."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments.evidence.models import Evidence, EvidenceVerdict
from assessments.models import EvidenceKind
from assessments.worksheet import selectors as worksheet
from core.errors import EvidenceError
from tests.assessments.helpers import require_evidence
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    put,
)


@pytest.fixture
def item(lke):
    return lke.questions.get(code="P1.1.a")


def _card(client, assessment, question) -> str:
    url = reverse("assessments:worksheet", args=[assessment.pk])
    page = client.get(url, {"tab": worksheet.tab_of(question)}).content.decode()
    start = page.index(f'<article id="q-{question.pk}"')
    return page[start : page.index("</article>", start)]


def _state(card: str, entry) -> str:
    return re.search(rf'data-entry="{entry.pk}" data-state="(\w+)"', card).group(1)


def _accept(*items):
    Evidence.objects.filter(pk__in=[e.pk for e in items]).update(verdict=EvidenceVerdict.COMPLETE)


def test_one_required_file_covers_the_entry_once_accepted(
    storage, client_for, open_assessment, personas, item
):
    (sk, notulen) = require_evidence(item, "SK Tim Kerja\nNotulen rapat")
    client = client_for("operator")
    card = _card(client, open_assessment, item)
    assert _state(card, sk) == "missing" and _state(card, notulen) == "missing"
    uploaded = put(open_assessment, personas["operator"], "sk.pdf", make_pdf(), question=item,
                   requirement=sk)  # fmt: skip
    assert uploaded.requirement == sk
    card = _card(client, open_assessment, item)
    assert _state(card, sk) == "awaiting" and "0 dari 1 diterima" in card
    _accept(uploaded)
    card = _card(client, open_assessment, item)
    assert _state(card, sk) == "covered" and "1 dari 1 diterima" in card
    assert _state(card, notulen) == "missing"


def test_two_required_files_need_two_accepted(storage, client_for, open_assessment, personas, item):
    (entry,) = require_evidence(item, "Notulen rapat", min_count=2)
    first = put(open_assessment, personas["operator"], "n1.pdf", make_pdf(b"%1"), question=item,
                description="Notulen rapat")  # fmt: skip
    _accept(first)
    client = client_for("operator")
    card = _card(client, open_assessment, item)
    assert _state(card, entry) == "missing" and "1 dari 2 diterima" in card
    second = put(open_assessment, personas["operator"], "n2.pdf", make_pdf(b"%2"), question=item,
                 description="Notulen rapat")  # fmt: skip
    assert _state(_card(client, open_assessment, item), entry) == "awaiting"
    _accept(second)
    assert _state(_card(client, open_assessment, item), entry) == "covered"


def test_a_file_that_needs_fixing_does_not_count(storage, open_assessment, personas, item):
    (entry,) = require_evidence(item, "SK Tim Kerja")
    sk = put(open_assessment, personas["operator"], "sk.pdf", make_pdf(), question=item,
             requirement=entry)  # fmt: skip
    Evidence.objects.filter(pk=sk.pk).update(verdict=EvidenceVerdict.NEEDS_FIX)
    row = worksheet.load_row(personas["operator"], open_assessment, item)
    assert row.evidence_missing == ["SK Tim Kerja"]


def test_a_document_dated_outside_the_period_does_not_cover_and_the_card_says_why(
    storage, client_for, open_assessment, personas, item
):
    (entry,) = require_evidence(item, "Laporan monitoring", must_be_in_period=True)
    old = put(open_assessment, personas["operator"], "lap.pdf", make_pdf(), question=item,
              requirement=entry, document_date=datetime.date(2024, 12, 1))  # fmt: skip
    _accept(old)
    card = _card(client_for("operator"), open_assessment, item)
    assert _state(card, entry) == "missing"
    assert "1 berkas bertanggal di luar tahun periode" in card
    Evidence.objects.filter(pk=old.pk).update(document_date=datetime.date(2026, 3, 1))
    assert _state(_card(client_for("operator"), open_assessment, item), entry) == "covered"


def test_an_entry_of_another_item_is_refused_at_upload(storage, open_assessment, personas, lke):
    item, other = lke.questions.filter(code__in=["P1.1.a", "P1.1.b"]).order_by("code")
    (foreign,) = require_evidence(other, "Notulen")
    with pytest.raises(EvidenceError, match="bukan milik butir"):
        put(open_assessment, personas["operator"], "x.pdf", make_pdf(), question=item,
            requirement=foreign)  # fmt: skip
    assert not Evidence.objects.filter(assessment=open_assessment).exists()


def test_the_upload_form_takes_the_document_date(client_for, storage, open_assessment, item):
    url = reverse("assessments:evidence_upload", args=[open_assessment.pk])
    client = client_for("operator")
    data = {"question": item.pk, "kind": "answer", "document_date": "2026-02-03"}
    client.post(url, {**data, "files": _file()})
    assert Evidence.objects.get(assessment=open_assessment).document_date == datetime.date(
        2026, 2, 3
    )
    response = client.post(url, {**data, "document_date": "3 Feb", "files": _file()})
    assert response.status_code == 302
    assert Evidence.objects.filter(assessment=open_assessment).count() == 1


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("sk.pdf", make_pdf(), content_type="application/pdf")


@pytest.mark.parametrize("n", [1, 50])
def test_the_card_and_the_tab_keep_their_query_count(
    n, client_for, open_assessment, personas, item, django_assert_max_num_queries
):
    entries = require_evidence(item, "SK Tim Kerja\nNotulen rapat", min_count=2)
    Evidence.objects.bulk_create(
        Evidence(
            assessment=open_assessment, kind=EvidenceKind.ANSWER, question=item,
            requirement=entries[i % 2], file=f"evidence/2026/01/{i:032x}.pdf",
            original_name=f"{i}.pdf", size=10, content_type="application/pdf",
            uploaded_by=personas["operator"], verdict="complete" if i % 3 else "unchecked",
        )
        for i in range(n)
    )  # fmt: skip
    client = client_for("operator")
    url = reverse("assessments:worksheet", args=[open_assessment.pk])
    client.get(url, {"tab": "1"})  # the instrument is read once per process
    with django_assert_max_num_queries(11):
        page = client.get(url, {"tab": "1"}).content.decode()
    assert page.count(f'data-entry="{entries[0].pk}"') == 1
    save = reverse("assessments:answer_save", args=[open_assessment.pk, item.pk])
    client.post(save, {"value": "Tidak", "revision": ""}, HTTP_HX_REQUEST="true")  # warm
    revision = open_assessment.answers.get(question=item).revision
    with django_assert_max_num_queries(16):
        card = client.post(save, {"value": "Ya", "revision": revision}, HTTP_HX_REQUEST="true")
    assert f'data-entry="{entries[1].pk}"' in card.content.decode()


def test_the_reviewer_assigns_a_file_to_its_entry_and_accepts_it(
    storage, client_for, open_assessment, personas, item
):
    (sk, notulen) = require_evidence(item, "SK Tim Kerja\nNotulen rapat")
    unlinked = put(open_assessment, personas["operator"], "scan.pdf", make_pdf(), question=item,
                   description="scan rapat")  # fmt: skip
    assert unlinked.requirement is None
    open_assessment.status = "preliminary_review"
    open_assessment.save()
    client = client_for("reviewer")
    listing = reverse("assessments:evidence_list", args=[open_assessment.pk])
    assert 'name="requirement"' in client.get(listing, {"question": item.pk}).text
    url = reverse("assessments:evidence_verdict", args=[open_assessment.pk, unlinked.pk])
    response = client.post(url, {"verdict": "complete", "requirement": notulen.pk})
    assert response.status_code == 302
    unlinked.refresh_from_db()
    assert (unlinked.requirement, unlinked.verdict) == (notulen, EvidenceVerdict.COMPLETE)
    card = _card(client, open_assessment, item)
    assert _state(card, notulen) == "covered" and _state(card, sk) == "missing"
    (foreign,) = require_evidence(
        item.version.questions.get(code="P1.1.b"), "Lain", carry_over_allowed=False
    )
    assert client.post(url, {"verdict": "complete", "requirement": foreign.pk}).status_code == 404
    unlinked.refresh_from_db()
    assert unlinked.requirement == notulen


def test_a_revision_stays_for_the_same_entry(storage, open_assessment, personas, item):
    (sk, notulen) = require_evidence(item, "SK Tim Kerja\nNotulen rapat")
    first = put(open_assessment, personas["operator"], "scan.pdf", make_pdf(), question=item,
                description="pindaian", requirement=notulen)  # fmt: skip
    revision = put(open_assessment, personas["operator"], "scan2.pdf", make_pdf(b"%v2"),
                   question=item, description="pindaian", replaces=first)  # fmt: skip
    assert revision.requirement == notulen
