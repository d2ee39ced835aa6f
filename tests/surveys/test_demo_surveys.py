"""`make run`'s demo surveys: Semarang's IKM in both semesters, an SPKP that can fill IPKP
and an SPAK that cannot yet; a dozen other units' IKM; made once."""

import pytest
from django.core.management import call_command

from surveys.models import Survey, SurveyResponse
from surveys.results import survey_result

pytestmark = pytest.mark.usefixtures("instruments")


def test_the_demo_surveys_are_made_once_with_their_responses(lke):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_surveys", verbosity=0)
    first = (Survey.objects.count(), SurveyResponse.objects.count())
    call_command("seed_demo_surveys", verbosity=0)
    assert (Survey.objects.count(), SurveyResponse.objects.count()) == first
    semarang = Survey.objects.filter(unit__name="Kantor Kementerian Agama Kota Semarang")
    assert semarang.count() == 4 and first[0] == 16
    spkp = semarang.get(instrument__kind="spkp")
    spak = semarang.get(instrument__kind="spak")
    assert survey_result(spkp).respondents >= spkp.instrument.min_respondents
    assert survey_result(spak).respondents < spak.instrument.min_respondents
    assert semarang.get(uses_codes=True).codes.count() == 60
    ikm = survey_result(semarang.get(name="IKM Semester I 2026"))
    assert ikm.respondents == 140 and ikm.mutu in {"A", "B", "C", "D"}
