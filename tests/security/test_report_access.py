"""A report file is read with the reader's access of now, not of the day it was asked for.

Finding 7 of the attack pass: after a role was removed, `/reports/<id>/download/` of a report
the person had requested still answered 200."""

import pytest
from django.urls import reverse

from reports import services, worker
from reports.models import JobStatus
from units.models import Membership


@pytest.fixture
def lhe_job(storage, assessment, personas):
    job = services.report_request(
        kind="lhe", params={"assessment": assessment.pk, "layer": "self"}, by=personas["operator"]
    )
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


def test_the_requester_downloads_while_they_keep_their_role(lhe_job, client_for):
    response = client_for("operator").get(reverse("reports:download", args=[lhe_job.pk]))
    assert response.status_code == 200


def test_a_removed_role_takes_the_file_away(lhe_job, client_for, personas):
    Membership.objects.filter(user=personas["operator"]).delete()
    client = client_for("operator")
    assert client.get(reverse("reports:download", args=[lhe_job.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[lhe_job.pk])).status_code == 404


def test_a_deactivated_unit_membership_of_another_unit_gives_no_access(
    lhe_job, client_for, personas, tree
):
    membership = Membership.objects.get(user=personas["operator"])
    membership.unit = tree.kankemenag_b
    membership.save()
    response = client_for("operator").get(reverse("reports:download", args=[lhe_job.pk]))
    assert response.status_code == 404


def test_admin_still_reads_the_units_report(lhe_job, client_for):
    response = client_for("admin").get(reverse("reports:download", args=[lhe_job.pk]))
    assert response.status_code == 200


def test_a_job_whose_access_narrowed_before_it_ran_fails_with_a_message(
    storage, assessment, personas
):
    job = services.report_request(
        kind="lhe", params={"assessment": assessment.pk, "layer": "self"}, by=personas["operator"]
    )
    Membership.objects.filter(user=personas["operator"]).delete()
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error
