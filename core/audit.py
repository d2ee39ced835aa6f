"""The one audit verb: `record("zi.<domain>.<verb>", obj, by=user, **data)`.

Every state change the portal makes is recorded with a namespaced action code, in the same
transaction as the change (the caller's): stage transitions, the TPN layer released, evidence
uploaded, removed or judged, items returned or cancelled, awards granted or revoked, the unit's
declaration documents, field visits, periods opened, units imported. Entries are
django-auditlog LogEntry rows (the code and the data in `additional_data`), beside the entries
auditlog writes itself for the models it tracks (people, roles, units, the instrument, periods,
awards; code `zi.<model>.created|changed|deleted`), so the audit page shows both, filterable by
action. Answers keep their own per-revision history (simple_history), not an entry per autosave.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from auditlog.models import LogEntry
from django.utils.functional import Promise

_LABELS: dict[str, object] = {}
_MODELS: set[str] = set()  # "app_label.Model" of the objects apps record entries for
_MODEL_VERBS = {
    LogEntry.Action.CREATE: "created",
    LogEntry.Action.UPDATE: "changed",
    LogEntry.Action.DELETE: "deleted",
    LogEntry.Action.ACCESS: "accessed",
}


def register(code: str, label) -> None:
    """Name an action code for the audit page (apps register theirs when ready)."""
    if not code.startswith("zi.") or code.count(".") < 2:
        raise ValueError(f"audit action codes read zi.<domain>.<verb>, not {code!r}")
    _LABELS[code] = label


def register_models(*labels: str) -> None:
    """The models an app records entries for (the audit page's "kind of data" filter)."""
    _MODELS.update(labels)


def recorded_models() -> list:
    from django.apps import apps

    return [apps.get_model(label) for label in sorted(_MODELS)]


def model_code(model: str, action: int) -> str:
    """The code of an entry auditlog wrote itself for a tracked model's row."""
    return f"zi.{model}.{_MODEL_VERBS.get(action, 'changed')}"


def parse_model_code(code: str) -> tuple[str, int] | None:
    """(model, auditlog action) of a code made by model_code, else None."""
    parts = code.split(".")
    verbs = {verb: action for action, verb in _MODEL_VERBS.items()}
    if len(parts) == 3 and parts[0] == "zi" and parts[2] in verbs and code not in _LABELS:
        return parts[1], verbs[parts[2]]
    return None


def registered() -> dict[str, str]:
    return {code: str(label) for code, label in sorted(_LABELS.items())}


def record(action: str, obj, *, by=None, **data) -> LogEntry:
    """Write one audit entry for `obj` (a model instance) in the current transaction."""
    if action not in _LABELS:
        raise ValueError(f"unregistered audit action {action!r}")
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={},
        actor=by if getattr(by, "is_authenticated", False) else None,
        additional_data={"action": action, **{k: _plain(v) for k, v in data.items()}},
    )


def action_of(entry: LogEntry) -> str:
    """The entry's action code: recorded, or derived from auditlog's own model entries."""
    code = (entry.additional_data or {}).get("action")
    if code:
        return code
    return model_code(entry.content_type.model if entry.content_type_id else "object", entry.action)


def label_of(code: str) -> str:
    return str(_LABELS.get(code, code))


def _plain(value):
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
