"""A unit whose predicate TPN granted, through the real transitions: the documents anyone can
verify (its LHE and certificate) are made of it."""

import datetime

import pytest

from assessments.models import Layer, Status
from assessments.services import assessment_transition
from assessments.stages.models import FieldVisit
from tests.assessments.helpers import answer_all

SK = "B/321/M.PAN-RB/11/2026"
NIPS = {"tpn": "198503302010011002", "tpi": "197901152005012003", "admin": "198001012006041001"}


@pytest.fixture
def granted(assessment, personas):
    for who, nip in NIPS.items():
        personas[who].nip = nip
        personas[who].save(update_fields=["nip"])
    for layer, who in ((Layer.SELF, "operator"), (Layer.TPI, "tpi"), (Layer.TPN, "tpn")):
        answer_all(assessment, layer, personas[who], through_service=False)
    assessment.status = Status.PROPOSED
    assessment.save()
    assessment_transition(assessment=assessment, name="select_pass", by=personas["tpn"])
    FieldVisit.objects.create(
        assessment=assessment,
        visited_on=datetime.date(2026, 11, 12),
        team="Ratna Sari\nBudi Hartono",
        findings="Loket-pelayanan-terpadu sudah memakai antrean daring.",
        created_by=personas["tpn"],
    )
    assessment_transition(
        assessment=assessment,
        name="grant",
        by=personas["tpn"],
        note="Ditetapkan dalam sidang TPN",
        sk_number=SK,
        sk_date=datetime.date(2026, 11, 30),
    )
    assessment.refresh_from_db()
    return assessment
