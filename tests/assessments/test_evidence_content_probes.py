"""Security finding 6 stays fixed: every file of the attack pass (tests/assessments/probes.py)
is refused with a reason the user can read, and legitimate files of every allowed type, as
office suites, Pillow, pikepdf and WeasyPrint write them, are still accepted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.evidence.intake import inspect_upload
from assessments.models import Evidence
from core.errors import EvidenceError
from tests.assessments import probes
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    open_assessment_fixture,
    put,
    stored_files,
)

pytestmark = pytest.mark.django_db  # the upload limits are read from the database


def _inspect(sample: probes.Sample):
    content = sample.build()
    return content, inspect_upload(SimpleUploadedFile(sample.name, content), sample.name)


@pytest.mark.parametrize("probe", probes.PROBES, ids=[p.id for p in probes.PROBES])
def test_probe_is_refused_with_its_reason(probe):
    with pytest.raises(EvidenceError) as refused:
        _inspect(probe)
    message = str(refused.value)
    assert message.strip()
    assert probe.says in message.lower()


@pytest.mark.parametrize("sample", probes.LEGITIMATE, ids=[s.id for s in probes.LEGITIMATE])
def test_legitimate_file_is_accepted(sample):
    content, inspection = _inspect(sample)
    assert inspection.file_type.key == sample.says
    assert inspection.size == len(content)


def test_refused_probe_leaves_no_row_and_no_file(storage, open_assessment, personas):
    probe = next(p for p in probes.PROBES if p.id == "docx-remote-attached-template")
    with pytest.raises(EvidenceError, match="dari luar"):
        put(open_assessment, personas["operator"], probe.name, probe.build())
    assert not Evidence.objects.exists()
    assert stored_files(storage) == []


def test_image_over_the_pixel_limit_is_refused(settings):
    settings.ZI_EVIDENCE_IMAGE_MAX_PIXELS = 1000
    photo = probes.image("JPEG", size=(64, 48))
    with pytest.raises(EvidenceError, match="megapiksel"):
        inspect_upload(SimpleUploadedFile("foto.jpg", photo), "foto.jpg")
