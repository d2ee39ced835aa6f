"""The drill's figures (bench/drill.py): from the clients' records and the end checks to the
results JSON, the pass/fail verdict and the printed table."""

from __future__ import annotations

import math
import os
import platform

IDEMPOTENT = ("GET", "HEAD", "OPTIONS")


def _percentile(sorted_ms: list[float], share: float) -> float | None:
    if not sorted_ms:
        return None
    return round(sorted_ms[max(0, math.ceil(share * len(sorted_ms)) - 1)], 1)


def _counts(records) -> dict:
    idem = [r for r in records if r.method in IDEMPOTENT]
    other = [r for r in records if r.method not in IDEMPOTENT]
    return {
        "requests": len(records),
        "failed": sum(not r.ok for r in records),
        "idempotent": len(idem),
        "idempotent_failed": sum(not r.ok for r in idem),
        "non_idempotent": len(other),
        "non_idempotent_failed": sum(not r.ok for r in other),
        "no_answer": sum(r.status == 0 for r in records),
        "statuses_failed": sorted({r.status for r in records if not r.ok}),
    }


def _latency(records) -> dict:
    ms = sorted((r.end - r.start) * 1000 for r in records if r.ok)
    return {"p50_ms": _percentile(ms, 0.5), "p95_ms": _percentile(ms, 0.95)}


def results(args, tally, events, load_start, load_end, sessions, audited, errors, timings, seeded):
    records = [r for r in tally.records if r.name not in ("login_form", "login", "session_check")]
    load = [r for r in records if r.start >= load_start]
    seconds = load_end - load_start
    window = None
    if "node_back" in events:
        down, back = events["node_killed"], events["node_back"]
        window = [r for r in load if r.start < back and r.end > down]
    per_action = {}
    for name in sorted({r.name for r in load}):
        mine = [r for r in load if r.name == name]
        per_action[name] = {**_counts(mine), **_latency(mine)}
        for key in ("idempotent", "idempotent_failed", "non_idempotent", "non_idempotent_failed"):
            per_action[name].pop(key)
    rel = {
        k: round(v - load_start, 2)
        for k, v in events.items()
        if k in ("node_killed", "node_back", "worker_killed")
    }
    out = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            # Other work on the machine slows every figure: the load average at the end.
            "load_avg_end": [round(x, 2) for x in os.getloadavg()],
        },
        "setup": {
            "operators": len(seeded["operators"]),
            "reviewers": len(seeded["reviewers"]),
            "admins": 1,
            "load_seconds": round(seconds, 1),
            "think_s": list(args.think),
            "web_nodes": 2,
            "gunicorn_workers_per_node": 2,
            "celery_workers": 2,
            "seed": seeded["timings"],
            **timings,
        },  # fmt: skip
        "events_s": rel
        | {k: v for k, v in events.items() if k.endswith("_restart_s") or k.startswith("job_")},
        "overall": {
            **_counts(load),
            **_latency(load),
            "throughput_rps": round(len(load) / seconds, 1) if seconds else None,
            "cpu_ms_per_request": {
                k: round(1000 * v / len(load), 1) for k, v in timings.get("cpu_s", {}).items()
            }
            if load
            else None,
        },
        "node_down_window": (
            {**_counts(window), "seconds": round(events["node_back"] - events["node_killed"], 1)}
            if window is not None
            else None
        ),
        "per_action": per_action,
        "sessions": {"signed_in": len(sessions), "kept": sum(sessions)},
        "reports": {**audited["reports"], "refused_at_request": tally.report_refusals},
        "autosaves": {
            **audited["autosaves"],
            "client_retries": tally.autosave_retries,
            "answers_lost_then_resent": tally.answers_lost,
        },
        "objects": audited["objects"],
        "eicar": {
            "sent": tally.eicar_sent,
            "accepted": tally.eicar_accepted,
            "refused_by_scan": tally.eicar_refused_by_scan,
            "stored": audited["objects"]["eicar_stored"],
        },
        "footprint": audited["footprint"],
        "drill_errors": errors,
    }
    out["verdict"] = {"failures": failures(out, events)}
    return out


def failures(out: dict, events: dict) -> list[str]:
    found = []
    checks = [
        (out["sessions"]["kept"] < out["sessions"]["signed_in"], "sessions lost"),
        (out["reports"]["lost"], "report jobs lost"),
        (out["reports"]["failed_without_message"], "report jobs failed without a message"),
        (out["objects"]["hash_mismatches"], "objects whose SHA-256 differs from the row's"),
        (out["objects"]["missing_objects"], "rows whose object is missing"),
        (out["objects"]["uploads_client_hash_differs"], "uploads stored other than sent"),
        (out["eicar"]["accepted"] or out["eicar"]["stored"], "EICAR accepted"),
        # Refused by something, but never by clamd: the scan was not exercised at all.
        (
            out["eicar"].get("sent", 0) and not out["eicar"].get("refused_by_scan", 0),
            "no EICAR upload was refused by clamd",
        ),
        (out["autosaves"]["duplicates"], "autosaves recorded twice"),
        (
            not out["autosaves"]["abandoned"] and out["autosaves"]["last_value_differs"],
            "answers whose value is not the last confirmed save",
        ),
        (
            out["node_down_window"] is None or out["node_down_window"]["idempotent_failed"],
            "idempotent requests failed while a node was down",
        ),
        ("worker_killed" not in events, "the reports worker was never killed mid-report"),
        (
            (out["reports"]["killed_job"] or {}).get("status") not in ("done", "failed"),
            "the killed worker's job did not end",
        ),
        (out["drill_errors"], "errors in the drill itself"),
    ]
    for failed, text in checks:
        if failed:
            found.append(text)
    return found


def _row(label: str, value, note: str = "") -> str:
    return f"  {label:<52} {value!s:>12}  {note}"


def print_table(r: dict) -> None:
    o, w, s = r["overall"], r["node_down_window"] or {}, r["setup"]
    cpu = o["cpu_ms_per_request"] or {}
    print()
    print(
        f"Scale drill: {s['operators']} operators, {s['reviewers']} reviewers, 1 admin for "
        f"{s['load_seconds']} s; 2 web nodes x {s['gunicorn_workers_per_node']} workers, "
        f"2 Celery workers, {r['machine']['cores']} cores"
    )
    print(f"  events (s after load start): {r['events_s']}")
    lines = [
        ("Requests, node-down window", "", f"{w.get('seconds')} s"),
        ("  idempotent (GET): total / failed",
         f"{w.get('idempotent')} / {w.get('idempotent_failed')}", "must be 0 failed"),
        ("  non-idempotent (POST): total / failed",
         f"{w.get('non_idempotent')} / {w.get('non_idempotent_failed')}",
         "in flight on the killed node"),
        ("Requests, whole run: total / failed", f"{o['requests']} / {o['failed']}", ""),
        ("  idempotent: total / failed", f"{o['idempotent']} / {o['idempotent_failed']}", ""),
        ("  non-idempotent: total / failed",
         f"{o['non_idempotent']} / {o['non_idempotent_failed']}", ""),
        ("Throughput (req/s) / p50 / p95 (ms)",
         f"{o['throughput_rps']} / {o['p50_ms']} / {o['p95_ms']}", ""),
        ("CPU ms per request: web / celery / postgres / nginx",
         " / ".join(str(cpu.get(k)) for k in ("web", "celery", "postgres", "nginx")),
         ""),
        ("Sessions kept / signed in",
         f"{r['sessions']['kept']} / {r['sessions']['signed_in']}", "must be all"),
        ("Report jobs requested / done", f"{r['reports']['requested']} / {r['reports']['done']}",
         ""),
        ("  failed with a message", r["reports"]["failed_with_message"], ""),
        ("  lost (queued or running after the grace period)", r["reports"]["lost"], "must be 0"),
        ("  rendered more than once (re-delivered)", r["reports"]["rendered_twice_or_more"], ""),
        ("  the job running when its worker was killed",
         (r["reports"]["killed_job"] or {}).get("status"),
         f"attempts {(r['reports']['killed_job'] or {}).get('attempts')}"),
        ("Autosaves confirmed / history rows",
         f"{r['autosaves']['confirmed']} / {r['autosaves']['history_rows']}",
         f"resent: {r['autosaves']['client_retries']} "
         f"({r['autosaves']['answers_lost_then_resent']} after a lost answer)"),
        ("  duplicate autosaves", r["autosaves"]["duplicates"], "must be 0"),
        ("Objects read back from S3", r["objects"]["objects_checked"],
         f"{r['objects']['objects_in_bucket']} in the bucket"),
        ("  SHA-256 mismatches / missing",
         f"{r['objects']['hash_mismatches']} / {r['objects']['missing_objects']}", "must be 0"),
        ("EICAR uploads sent / accepted",
         f"{r['eicar']['sent']} / {r['eicar']['accepted'] + r['eicar']['stored']}",
         "must be 0 accepted"),
    ]  # fmt: skip
    if "restore" in r:
        b = r["restore"]
        lines += [
            (
                "Backup / restore (s)",
                f"{b.get('backup_s')} / {b.get('restore_s')}",
                f"dump {b.get('dump_bytes')} bytes",
            ),
            (
                "  tables (rows) / tables whose rows differ",
                f"{b.get('tables')} ({b.get('rows')}) / {len(b.get('tables_differing', []))}",
                "must be 0",
            ),
            (
                "  objects / objects whose SHA-256 differs",
                f"{b.get('objects')} / {len(b.get('objects_differing', []))}",
                "must be 0",
            ),
        ]
    f = r["footprint"]
    lines.append(
        ("Database MB / bytes per answer-history row / session",
         f"{f['database_bytes'] / 1e6:.1f} / "
         f"{f['tables']['assessments_historicalanswer']['bytes_per_row']} / "
         f"{f['bytes_per_cached_session']}",
         "Redis bytes per cached session"),
    )  # fmt: skip
    for line in lines:
        print(_row(*line))
    print("  per action: requests, failed, p50/p95 ms")
    for name, a in r["per_action"].items():
        print(f"    {name:<20} {a['requests']:>6} {a['failed']:>4}  {a['p50_ms']}/{a['p95_ms']}")


def restore_failures(restored: dict) -> list[str]:
    if "error" in restored:
        return [restored["error"].splitlines()[0]]
    found = []
    if restored.get("restore_exit"):
        found.append(f"manage.py restore exited {restored['restore_exit']}")
    if restored.get("tables_differing"):
        found.append(f"restored rows differ in {', '.join(restored['tables_differing'][:5])}")
    if restored.get("objects_differing"):
        found.append(f"{len(restored['objects_differing'])} restored objects differ")
    if restored.get("objects_missing_at_backup"):
        found.append("objects named by a row were missing at backup time")
    return found
