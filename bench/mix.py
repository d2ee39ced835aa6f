"""The deadline-week mix (issue 16): every persona at once on one gunicorn, for a fixed time.

Threads on 127.0.0.1 each draw the next action at random by its weight (seeded, so that two
runs send the same sequence): operators open worksheet tabs and autosave most of the time and
now and then upload 5 MB of evidence or read their home page and notifications; Kanwil
reviewers open their queue and the assessment they review and score its items; TPI and TPN
open queues and the four-layer worksheet; admins open the dashboards and request the
readiness report. No page body is cached (issue 14); every request is checked for its status
and text, and any other answer is an error.

Reported per action: p50/p95 and the count; for the whole mix: requests per CPU second of the
gunicorn master and workers (`rps_per_core`), requests per wall-clock second, the error rate,
and the database's share of the CPU the server side used (`db_cpu_share`: PostgreSQL's
processes over PostgreSQL's plus gunicorn's, both read from /proc during the run).
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loadgen import (
    FORM,
    Connection,
    Response,
    autosave,
    learn_revision,
    percentile,
    process_cpu,
    system_busy_seconds,
)

SEED = 16


@dataclass
class Action:
    name: str
    role: str
    weight: int
    build: Callable[[dict, random.Random], tuple[str, str, bytes | None, dict]]
    status: int = 200
    text: bytes = b""
    after: Callable[[dict, Response], None] | None = None
    warm: bool = False  # sent once per thread before the clock starts (learns a revision)


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on this machine (the server and its backends,
    plus the backends the server has reaped)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            parent_comm = Path(f"/proc/{parent}/comm").read_text().strip()
        except (OSError, ValueError, IndexError):
            continue
        total += process_cpu(int(entry.name), with_reaped=parent_comm != "postgres")
    return total


def run_mix(
    actions: list[Action],
    port: int,
    cookies: dict[str, dict[str, str]],
    server,
    *,
    threads: int,
    seconds: float,
) -> dict:
    lock = threading.Lock()
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    weights = [action.weight for action in actions]
    deadline = [0.0]  # set once every thread is warm
    warmed, ready = threading.Barrier(threads + 1), threading.Event()

    def worker(index: int) -> None:
        rng = random.Random(SEED * 100 + index)
        conns = {role: Connection(port, jar) for role, jar in cookies.items()}
        states: dict[str, dict] = defaultdict(lambda: {"index": index})
        try:
            for action in actions:  # not counted: e.g. an item's revision the bench changed
                if action.warm:
                    method, path, body, headers = action.build(states[action.name], rng)
                    answer = conns[action.role].request(method, path, body, headers)
                    action.after(states[action.name], answer)
            warmed.wait(timeout=300)
            ready.wait()
            while time.monotonic() < deadline[0]:
                action = rng.choices(actions, weights)[0]
                state = states[action.name]
                method, path, body, headers = action.build(state, rng)
                try:
                    answer = conns[action.role].request(method, path, body, headers)
                except OSError as error:
                    with lock:
                        errors[action.name].append(repr(error))
                    continue
                if action.after is not None:
                    action.after(state, answer)
                ok = answer.status == action.status and action.text in answer.body
                with lock:
                    samples[action.name].append(answer.ms)
                    if not ok:
                        errors[action.name].append(f"HTTP {answer.status}: {answer.body[:160]!r}")
        finally:
            for conn in conns.values():
                conn.close()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    warmed.wait(timeout=300)  # every thread has sent its warm-up requests
    cpu0, db0, busy0 = server.cpu(), postgres_cpu(), system_busy_seconds()
    start = time.perf_counter()
    deadline[0] = time.monotonic() + seconds
    ready.set()
    for thread in workers:
        thread.join()
    wall = time.perf_counter() - start
    cpu, db = server.cpu() - cpu0, postgres_cpu() - db0
    busy = system_busy_seconds() - busy0

    per_action = {}
    for action in actions:
        ms = sorted(samples.get(action.name, []))
        per_action[action.name] = {
            "role": action.role,
            "weight": action.weight,
            "requests": len(ms),
            "errors": len(errors.get(action.name, [])),
            "error_sample": errors.get(action.name, [])[:2],
            "p50_ms": round(percentile(ms, 0.50), 1) if ms else None,
            "p95_ms": round(percentile(ms, 0.95), 1) if ms else None,
        }
    total = sum(len(ms) for ms in samples.values())
    failed = sum(len(found) for found in errors.values())
    return {
        "seconds": round(wall, 1),
        "threads": threads,
        "requests": total,
        "errors": failed,
        "error_rate": round(failed / total, 4) if total else None,
        "rps_per_core": round(total / cpu, 1) if cpu > 0 else None,
        "rps_wall": round(total / wall, 1) if wall else None,
        "server_cpu_s": round(cpu, 1),
        "db_cpu_s": round(db, 1),
        "db_cpu_share": round(db / (db + cpu), 3) if db + cpu > 0 else None,
        "machine_busy_s": round(busy, 1),
        "actions": per_action,
    }


def deadline_week(ids: dict, csrf: dict[str, str], upload: tuple[bytes, str]) -> list[Action]:
    """The mix: operators most of the traffic, then reviewers, then admins."""
    own, proposed, review = ids["own_assessment"], ids["proposed_assessment"], ids["review"]
    tabs = [*map(str, range(1, 7)), "hasil"]

    def tab_of(assessment: int):
        return lambda state, rng: (
            "GET", f"/assessments/{assessment}/worksheet/?tab={rng.choice(tabs)}", None, {}
        )  # fmt: skip

    def get(path: str):
        return lambda state, rng: ("GET", path, None, {})

    body, boundary = upload
    upload_headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Accept": "application/json",
        "X-CSRFToken": csrf["operator"],
    }
    report = (
        f"kind_of_report=readiness&period={ids['period_year']}&format=xlsx&province=&stage="
    ).encode()
    return [
        Action("autosave", "operator", 36, autosave(ids["autosave"], own, csrf["operator"]),
               text=b"Tersimpan", after=learn_revision, warm=True),
        Action("worksheet_tab", "operator", 18, tab_of(own), text=b'name="revision"'),
        Action("upload_5mb", "operator", 1,
               lambda state, rng: ("POST", f"/assessments/{own}/evidence/upload/", body,
                                   upload_headers), text=b'"rejected": []'),
        Action("home_operator", "operator", 4, get("/"), text=b"Selamat datang"),
        Action("notifications", "operator", 3, get("/notifications/"), text=b"<h1"),
        Action("reviewer_queue", "reviewer", 5, get("/queue/"), text=b"/assessments/"),
        Action("reviewer_worksheet", "reviewer", 8, tab_of(review), text=b'name="revision"'),
        Action("reviewer_score", "reviewer", 10, autosave(ids["review_autosave"], review,
                                                            csrf["reviewer"]),
               text=b"Tersimpan", after=learn_revision, warm=True),
        Action("unit_tree", "reviewer", 2, get("/units/"), text=ids["kanwil_code"].encode()),
        Action("tpi_queue", "tpi", 2, get("/queue/"), text=b"/assessments/"),
        Action("worksheet_4_layers", "tpn", 3, tab_of(proposed), text=b'<th scope="row">TPN</th>'),
        Action("home_admin", "admin", 2, get("/"), text=b"Selamat datang"),
        Action("dashboard_national", "admin", 1, get("/dashboard/"), text=b"<svg"),
        Action("dashboard_kanwil", "reviewer", 1, get("/dashboard/"), text=b"<svg"),
        Action("report_request", "admin", 1,
               lambda state, rng: ("POST", "/reports/request/", report,
                                   {**FORM, "X-CSRFToken": csrf["admin"]}), status=302),
    ]  # fmt: skip


def print_mix(r: dict) -> None:
    print(
        f"  mix: {r['requests']} requests in {r['seconds']} s, {r['rps_per_core']} req/s/core, "
        f"{r['rps_wall']} req/s, errors {r['errors']} ({r['error_rate']}), "
        f"database {r['db_cpu_share']} of the server CPU",
        flush=True,
    )
    for name, a in r["actions"].items():
        print(f"    {name:<20} n={a['requests']:<5} p50 {a['p50_ms']!s:>7} ms  "
              f"p95 {a['p95_ms']!s:>7} ms  errors {a['errors']}", flush=True)  # fmt: skip
        if a["errors"]:
            print(f"      e.g. {a['error_sample'][0]}", flush=True)
