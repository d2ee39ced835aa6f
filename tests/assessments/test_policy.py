"""One status policy table (assessments/policy.py) answers "who acts in which status" for the
queues, the deadline reminders, the home page's next step, the permissions and the worksheet:
they can no longer disagree."""

import pytest
from django.urls import reverse

from assessments import notices, permissions, policy, queues
from assessments.models import Layer, Status
from notifications.models import Notification
from units.models import Role

PERSONAS = ("operator", "pimpinan", "reviewer", "tpi", "tpn", "admin")
# The statuses in which someone must act (and is reminded of the stage deadline).
ACTIVE = [status for status, rule in policy.POLICY.items() if rule.acting]


def test_every_status_has_its_row():
    assert set(policy.POLICY) == set(Status.values)


@pytest.mark.parametrize("status", ACTIVE)
def test_who_is_reminded_is_who_has_it_in_their_queue(status, assessment, personas):
    assessment.status = status
    assessment.save()
    deadline = getattr(assessment.period, f"deadline_{policy.POLICY[status].stage}")

    notices.deadline_reminders_send(today=deadline)

    reminded = {
        name
        for name in PERSONAS
        if Notification.objects.filter(user=personas[name], kind="deadline").exists()
    }
    in_queue = {name for name in PERSONAS if queues.queue_for(personas[name]).exists()}
    assert reminded == in_queue
    assert reminded == {
        name for name in PERSONAS if set(policy.POLICY[status].acting) & _roles(personas[name])
    }


def _roles(user) -> set[str]:
    return {m.role for m in user.memberships.all()}


@pytest.mark.parametrize(
    ("status", "persona", "layer"),
    [
        (Status.PEMBANGUNAN, "operator", Layer.SELF),
        (Status.RETURNED_TPI, "operator", Layer.SELF),
        (Status.SUBMITTED, "operator", None),
        (Status.SUBMITTED, "pimpinan", None),
        (Status.PRELIMINARY_REVIEW, "reviewer", Layer.PRELIMINARY),
        (Status.PRELIMINARY_REVIEW, "tpi", None),
        (Status.TPI_REVIEW, "tpi", Layer.TPI),
        (Status.PROPOSED, "tpn", None),
        (Status.TPN_EVALUATION, "tpn", Layer.TPN),
        (Status.TPN_EVALUATION, "admin", None),
        (Status.GRANTED, "tpn", None),
    ],
)
def test_the_writable_layer_comes_from_the_table(status, persona, layer, assessment, personas):
    assessment.status = status
    assessment.save()

    assert permissions.writable_layer(personas[persona], assessment) == layer


def test_the_head_is_told_to_act_and_the_operator_to_wait(client_for, assessment):
    assessment.status = Status.SUBMITTED
    assessment.save()

    pimpinan = client_for("pimpinan").get(reverse("home")).content.decode()
    assert "Periksa penilaian mandiri, lalu setujui" in pimpinan
    assert "Menunggu persetujuan pimpinan satker" not in pimpinan
    operator = client_for("operator").get(reverse("home")).content.decode()
    assert "Menunggu persetujuan pimpinan satker" in operator


def test_each_acting_role_can_act_in_its_status():
    """An acting role has a button in its status (workflow.TRANSITIONS), except the operator
    in Pencanangan, who prepares what the head confirms, and after TPN's "lulus dengan
    catatan", when the operator uploads the letter and SPTJM that TPN then accepts."""
    from assessments.workflow import transitions_from

    for status in ACTIVE:
        acting = set(policy.POLICY[status].acting)
        with_buttons = {role for t in transitions_from(status) for role in t.roles}
        if status in (Status.PENCANANGAN, Status.SELECTION_NOTES):
            acting.discard(Role.OPERATOR)
        assert acting <= with_buttons, status
