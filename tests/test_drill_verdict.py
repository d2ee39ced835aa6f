"""The scale drill's pass/fail gate (bench/drill_report.py): every figure that must be 0, the
sessions, the killed worker's job and the restore comparison fail the drill (issue 21)."""

import copy
import importlib.util
from pathlib import Path

import pytest

# Loaded by path: putting bench/ on sys.path would let its modules shadow the apps' (surveys).
_SPEC = importlib.util.spec_from_file_location(
    "drill_report", Path(__file__).resolve().parent.parent / "bench" / "drill_report.py"
)
drill_report = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(drill_report)

EVENTS = {"node_killed": 1.0, "node_back": 2.0, "worker_killed": 3.0}
PASSING = {
    "sessions": {"signed_in": 16, "kept": 16},
    "reports": {
        "lost": 0, "failed_without_message": 0, "killed_job": {"status": "done", "attempts": 2},
    },
    "objects": {"hash_mismatches": 0, "missing_objects": 0, "uploads_client_hash_differs": 0},
    "eicar": {"sent": 4, "accepted": 0, "stored": 0, "refused_by_scan": 4},
    "autosaves": {"duplicates": 0, "abandoned": 0, "last_value_differs": 0},
    "node_down_window": {"idempotent_failed": 0, "non_idempotent_failed": 3},
    "drill_errors": [],
}  # fmt: skip


def _with(path: str, value) -> dict:
    out = copy.deepcopy(PASSING)
    *parents, key = path.split(".")
    target = out
    for name in parents:
        target = target[name]
    target[key] = value
    return out


def test_a_run_with_every_figure_at_zero_passes_even_with_posts_lost_on_the_killed_node():
    assert drill_report.failures(PASSING, EVENTS) == []


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("sessions.kept", 15, "sessions lost"),
        ("reports.lost", 1, "report jobs lost"),
        ("reports.failed_without_message", 1, "without a message"),
        ("reports.killed_job", {"status": "running", "attempts": 1}, "killed worker's job"),
        ("objects.hash_mismatches", 1, "SHA-256 differs"),
        ("objects.missing_objects", 1, "missing"),
        ("eicar.accepted", 1, "EICAR accepted"),
        ("eicar.stored", 1, "EICAR accepted"),
        ("eicar.refused_by_scan", 0, "refused by clamd"),
        ("autosaves.duplicates", 1, "recorded twice"),
        ("node_down_window.idempotent_failed", 1, "idempotent requests failed"),
        ("node_down_window", None, "idempotent requests failed"),
        ("drill_errors", ["Operator: KeyError"], "errors in the drill"),
    ],
)
def test_each_loss_fails_the_drill(path, value, reason):
    found = drill_report.failures(_with(path, value), EVENTS)
    assert any(reason in text for text in found), found


def test_a_drill_that_never_caught_a_running_report_fails():
    events = {k: v for k, v in EVENTS.items() if k != "worker_killed"}
    assert "the reports worker was never killed mid-report" in drill_report.failures(
        PASSING, events
    )


def test_the_restore_must_match_exactly():
    exact = {"restore_exit": 0, "tables_differing": [], "objects_differing": []}
    assert drill_report.restore_failures(exact) == []
    assert drill_report.restore_failures({**exact, "tables_differing": ["units_user"]})
    assert drill_report.restore_failures({**exact, "objects_differing": ["evidence/x.pdf"]})
    assert drill_report.restore_failures({**exact, "restore_exit": 1})
    assert drill_report.restore_failures({"error": "backup exited 1: pg_dump failed"})
