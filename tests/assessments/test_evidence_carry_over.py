"""Evidence accepted in the unit's previous period can be carried over by reference when the
dictionary entry allows it: the same stored file (same SHA-256), flagged and audited, with a
badge the reviewer sees; refused when the entry does not allow it, when the source was not
accepted, and not found when it is another unit's."""

import csv
import io
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from assessments.evidence.carry import carry_candidates, evidence_carry_over
from assessments.evidence.models import Evidence, EvidenceVerdict
from assessments.evidence.services import quota_used
from assessments.models import EvidenceKind
from core.errors import EvidenceError
from reports.evidence_zip import write_evidence_zip
from reports.lhe import render_lhe
from tests.assessments.helpers import require_evidence
from tests.assessments.test_evidence_files import (
    make_pdf,
    open_assessment_fixture,  # noqa: F401
)
from tests.factories import AssessmentFactory, PeriodFactory
from tests.reports.test_lhe import pdf_text

SHA = "ab" * 32


@pytest.fixture
def item(lke):
    return lke.questions.get(code="P1.1.a")


@pytest.fixture
def previous(lke, tree):
    return AssessmentFactory(
        period=PeriodFactory(year=2025, lke_version=lke),
        unit=tree.kankemenag_a,
        status="not_granted",
    )


def _evidence(assessment, question, by, verdict=EvidenceVerdict.COMPLETE, name="sk-2025.pdf"):
    return Evidence.objects.create(
        assessment=assessment, kind=EvidenceKind.ANSWER, question=question,
        file=f"evidence/2025/03/{name}", original_name=name, size=1234,
        content_type="application/pdf", sha256=SHA, description="SK Tim Kerja", verdict=verdict,
        uploaded_by=by,
    )  # fmt: skip


@pytest.fixture
def accepted(previous, item, personas):
    return _evidence(previous, item, personas["operator"])


def _post(client, assessment, source, entry):
    url = reverse("assessments:evidence_carry", args=[assessment.pk])
    return client.post(url, {"source": source.pk, "requirement": entry.pk})


def test_an_allowed_entry_carries_the_same_file_over_with_a_badge(
    client_for, open_assessment, accepted, item, personas
):
    (entry,) = require_evidence(item, "SK Tim Kerja", carry_over_allowed=True)
    assert carry_candidates(open_assessment, item) == [accepted]
    used = quota_used(open_assessment.unit_id)
    response = _post(client_for("operator"), open_assessment, accepted, entry)
    assert response.status_code == 302
    carried = Evidence.objects.get(assessment=open_assessment)
    assert (carried.sha256, carried.file.name) == (SHA, accepted.file.name)
    assert (carried.carried_over_from, carried.requirement) == (accepted, entry)
    assert carried.verdict == EvidenceVerdict.UNCHECKED  # this period's reviewer checks again
    assert quota_used(open_assessment.unit_id) == used  # stored and counted once
    log = LogEntry.objects.get(additional_data__action="zi.evidence.carried_over")
    assert log.additional_data["sha256"] == SHA and log.additional_data["from_year"] == 2025
    listing = client_for("reviewer").get(
        reverse("assessments:evidence_list", args=[open_assessment.pk]), {"question": item.pk}
    )
    assert "dibawa dari periode 2025" in listing.content.decode()
    assert carry_candidates(open_assessment, item) == []  # the item has it now


def test_an_entry_that_does_not_allow_it_is_refused(open_assessment, accepted, item, personas):
    (entry,) = require_evidence(item, "SK Tim Kerja", carry_over_allowed=False)
    with pytest.raises(EvidenceError, match="tidak mengizinkan"):
        evidence_carry_over(
            assessment=open_assessment, source=accepted, requirement=entry, by=personas["operator"]
        )
    assert not Evidence.objects.filter(assessment=open_assessment).exists()


def test_a_source_not_accepted_is_refused(open_assessment, previous, item, personas):
    (entry,) = require_evidence(item, "SK Tim Kerja", carry_over_allowed=True)
    unchecked = _evidence(previous, item, personas["operator"], verdict=EvidenceVerdict.UNCHECKED)
    with pytest.raises(EvidenceError, match="sudah diterima"):
        evidence_carry_over(
            assessment=open_assessment, source=unchecked, requirement=entry,
            by=personas["operator"],
        )  # fmt: skip
    assert not Evidence.objects.filter(assessment=open_assessment).exists()


def test_this_periods_own_evidence_is_not_a_source(open_assessment, item, personas):
    (entry,) = require_evidence(item, "SK Tim Kerja", carry_over_allowed=True)
    mine = _evidence(open_assessment, item, personas["operator"])
    with pytest.raises(EvidenceError, match="periode sebelumnya"):
        evidence_carry_over(
            assessment=open_assessment, source=mine, requirement=entry, by=personas["operator"]
        )


def test_another_units_evidence_is_not_found(
    client_for, open_assessment, lke, tree, item, personas
):
    (entry,) = require_evidence(item, "SK Tim Kerja", carry_over_allowed=True)
    other_unit = AssessmentFactory(
        period=PeriodFactory(year=2025, lke_version=lke), unit=tree.kankemenag_b
    )
    foreign = _evidence(other_unit, item, personas["operator_b"])
    response = _post(client_for("operator"), open_assessment, foreign, entry)
    assert response.status_code == 404
    assert not Evidence.objects.filter(assessment=open_assessment).exists()


def test_only_the_units_uploader_may_carry(client_for, open_assessment, accepted, item):
    (entry,) = require_evidence(item, "SK Tim Kerja", carry_over_allowed=True)
    assert _post(client_for("reviewer"), open_assessment, accepted, entry).status_code == 403
    assert not Evidence.objects.filter(assessment=open_assessment).exists()


def test_the_panel_offers_carry_over_only_where_an_entry_allows_it(
    client_for, open_assessment, accepted, item
):
    url = reverse("assessments:evidence_list", args=[open_assessment.pk])
    client = client_for("operator")
    require_evidence(item, "SK Tim Kerja", carry_over_allowed=False)
    assert "Bawa dari periode sebelumnya" not in client.get(url, {"question": item.pk}).text
    require_evidence(item, "SK Tim Kerja", carry_over_allowed=True)
    page = client.get(url, {"question": item.pk}).content.decode()
    assert "Bawa dari periode sebelumnya" in page and "sk-2025.pdf (2025)" in page


def test_a_carried_file_is_marked_in_the_zip_manifest_and_the_lhe(
    open_assessment, accepted, item, personas, storage, tmp_path
):
    default_storage.save(accepted.file.name, ContentFile(make_pdf()))
    (entry,) = require_evidence(item, "SK Tim Kerja", carry_over_allowed=True)
    evidence_carry_over(
        assessment=open_assessment, source=accepted, requirement=entry, by=personas["operator"]
    )
    out = io.BytesIO()
    write_evidence_zip(assessment=open_assessment, reader=personas["reviewer"], out=out)
    with zipfile.ZipFile(out) as archive:
        text = archive.read("manifest.csv").decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert (row["sha256"], row["dibawa_dari_periode"]) == (SHA, "2025")
    lhe = pdf_text(render_lhe(assessment=open_assessment, reader=personas["reviewer"],
                              layer="self"), tmp_path)  # fmt: skip
    assert "dibawa dari periode 2025" in lhe


def test_a_file_of_another_item_is_refused(open_assessment, previous, item, personas):
    other = item.indicator.questions.exclude(pk=item.pk).first()
    last_year = _evidence(previous, other, personas["operator"])
    (entry,) = require_evidence(item, "SK Tim Kerja", carry_over_allowed=True)
    with pytest.raises(EvidenceError, match="Hanya data dukung butir P1.1.a"):
        evidence_carry_over(assessment=open_assessment, source=last_year, requirement=entry,
                            by=personas["operator"])  # fmt: skip
    assert not Evidence.objects.filter(assessment=open_assessment).exists()
