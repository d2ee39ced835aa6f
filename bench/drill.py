"""The scale drill (issue 21): the production shape on loopback, under a deadline-week load,
broken on purpose; `make drill` runs it (DRILL_SECONDS of load, 120 by default), `.ci/run` runs
a short form.

1. A fresh PostgreSQL database (DRILL_DATABASE_URL, default zi_drill: dropped and recreated),
   migrated, the LKE and seed_demo loaded, plus the drill's operators, reviewers and admin
   (bench/drill_seed.py). Redis databases 13 (cache and sessions) and 14 (broker), flushed.
2. The moto S3 server and clamd with the EICAR-only database (bench/loopback.py); two gunicorn
   nodes with production settings; nginx terminating TLS (a self-signed certificate made with
   openssl) in front of both; Celery workers on the `celery` and `reports` queues; beat
   (bench/drill_stack.py).
3. The load (bench/drill_load.py) for DRILL_SECONDS, while the drill SIGKILLs web node A, waits
   10 s and restarts it, then SIGKILLs the reports worker as soon as a report job is running
   and restarts it.
4. The end checks (bench/drill_audit.py): every signed-in person still signed in, report jobs
   done or failed with a message (none lost), autosaves recorded once, every stored object's
   SHA-256 equal to its row's, no EICAR upload stored.
5. `manage.py backup`, `manage.py restore` into a fresh database and bucket, and the rows of
   every table and the hash of every object compared (bench/drill_backup.py).

Prints a table and writes bench/drill-results.json; exits 1 when a figure that must be 0 is not,
a session was lost, or the worker was never killed mid-report.

    .venv/bin/python bench/drill.py [--seconds 120] [--operators 12] [--reviewers 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import drill_report
from common import _recreate_postgres
from drill_backup import backup_and_restore
from drill_load import Admin, Client, Operator, Reviewer, Tally, run_person
from drill_stack import Proc, celery_beat, celery_worker, nginx, self_signed_certificate, web_node
from loopback import clamd, free_port, moto_s3

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zi_drill"
REDIS_CACHE, REDIS_BROKER = "redis://127.0.0.1:6379/13", "redis://127.0.0.1:6379/14"
# Redis gives an unacknowledged message back after VISIBILITY s; a report job silent for STUCK s
# may be claimed by that message (zi_portal/settings.py). Production keeps 3600 and 300.
VISIBILITY, STUCK = 20, 15
NODE_DOWN_SECONDS = 10
WEB_WORKERS = 2  # per node: four sync workers on two cores


def portal_env(base: dict, url: str, tmp: Path, s3, av, port: int) -> dict:
    return {
        **base,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "drill-only-secret-" + "d" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_PROXY_COUNT": "1",  # nginx
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_LOG_LEVEL": "WARNING",
        "CACHE_URL": REDIS_CACHE,
        "CELERY_BROKER_URL": REDIS_BROKER,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "ZI_REPORT_STUCK_SECONDS": str(STUCK),
        # The drill's people have no second factor (TOTP is tested on its own, tests/units).
        "ZI_REQUIRE_SECOND_FACTOR": "0",
        "ZI_PORTAL_BASE_URL": f"https://127.0.0.1:{port}",
        "ZI_VAR_DIR": str(tmp / "var"),
        "ZI_STATIC_ROOT": str(ROOT / "var" / "drill-static"),
        **s3.env(),
        **av.env(),
    }


def static_key() -> str:
    """What the collected static files depend on: the portal's own and the installed packages'."""
    from importlib import metadata

    digest = hashlib.sha256()
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()


def collect_static(env: dict) -> subprocess.Popen | None:
    """collectstatic (the manifest storage of production needs it) into var/drill-static, in
    the background while the database is seeded; skipped when nothing it reads has changed
    (compressing about 46 MB costs 40 s of CPU here)."""
    target = Path(env["ZI_STATIC_ROOT"])
    key = static_key()
    marker = target / ".drill-key"
    if (target / "staticfiles.json").exists() and marker.exists() and marker.read_text() == key:
        return None
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    (target / ".drill-key").write_text("")
    child = subprocess.Popen(  # noqa: S603 (manage.py of this checkout)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    child.drill_key = key  # written once it succeeded
    return child


def static_collected(child: subprocess.Popen | None, env: dict) -> None:
    if child is None:
        return
    if child.wait() != 0:
        sys.exit("collectstatic failed")
    (Path(env["ZI_STATIC_ROOT"]) / ".drill-key").write_text(child.drill_key)


def seed(env: dict, args) -> dict:
    child = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(BENCH / "drill_seed.py"), str(args.operators), str(args.reviewers)],
        env=env, cwd=BENCH, capture_output=True, text=True,
    )  # fmt: skip
    if child.returncode != 0:
        sys.exit(f"seeding failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def flush_redis() -> None:
    import redis

    for url in (REDIS_CACHE, REDIS_BROKER):
        redis.Redis.from_url(url).flushdb()


def running_report(url: str) -> int | None:
    """A report job in state running, read straight from PostgreSQL."""
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT id FROM reports_reportjob WHERE status = 'running' LIMIT 1")
        row = cursor.fetchone()
    conn.close()
    return row[0] if row else None


class Chaos(threading.Thread):
    """SIGKILL node A at a fifth of the run, restart it NODE_DOWN_SECONDS later; then SIGKILL
    the reports worker as soon as a job is running, and restart it."""

    def __init__(self, node: Proc, worker: Proc, url: str, start: float, seconds: float):
        super().__init__(daemon=True)
        self.node, self.worker, self.url = node, worker, url
        self.start_at, self.seconds = start, seconds
        self.events: dict = {}

    def at(self, offset: float) -> None:
        time.sleep(max(0.0, self.start_at + offset - time.monotonic()))

    def run(self) -> None:
        self.at(max(5.0, self.seconds * 0.2))
        self.events["node_killed"] = time.monotonic()
        self.node.kill()
        time.sleep(NODE_DOWN_SECONDS)
        self.events["node_restart_s"] = round(self.node.start(), 2)
        self.events["node_back"] = time.monotonic()
        while time.monotonic() < self.start_at + self.seconds - 3:
            job = running_report(self.url)
            if job is not None:
                self.events["worker_killed"] = time.monotonic()
                self.events["job_running_when_killed"] = job
                self.worker.kill()
                time.sleep(2)
                self.events["worker_restart_s"] = round(self.worker.start(), 2)
                return
            time.sleep(0.2)


def cpu_seconds(procs: list[Proc]) -> dict[str, float]:
    """CPU seconds so far of the web nodes, the Celery processes, nginx and PostgreSQL (every
    backend on this machine: the drill's database is the only busy one while it runs)."""
    from mix import postgres_cpu

    out = {"web": 0.0, "celery": 0.0, "nginx": 0.0}
    for proc in procs:
        group = "web" if proc.name.startswith("web") else proc.name
        group = "celery" if proc.name.startswith(("worker", "beat")) else group
        out[group] += proc.cpu()
    out["postgres"] = postgres_cpu()
    return out


def sign_in(port: int, context, tally: Tally, seeded: dict, rng: random.Random) -> list:
    people = []
    operator_assessments = [op["assessment"] for op in seeded["operators"]]
    for op in seeded["operators"]:
        client = Client(port, context, tally)
        client.login(op["email"], seeded["password"])
        people.append(Operator(client, op, random.Random(rng.random())))
    browse = operator_assessments + seeded["reviewed"]
    for reviewer in seeded["reviewers"]:
        client = Client(port, context, tally)
        client.login(reviewer["email"], seeded["password"])
        question = seeded["operators"][0]["items"][0]["question"]
        people.append(Reviewer(client, browse, question, random.Random(rng.random())))
    client = Client(port, context, tally)
    client.login(seeded["admin"], seeded["password"])
    people.append(Admin(client, operator_assessments, seeded["period_year"], random.Random(1)))
    return people


def audit(env: dict, tally: Tally, grace: float, killed_job: int | None) -> dict:
    seen = {
        "reports": sorted(tally.reports | ({killed_job} if killed_job else set())),
        "killed_job": killed_job,
        "grace": grace,
        "saves": {f"{a}:{q}": labels for (a, q), labels in tally.saves.items()},
        "abandoned": tally.saves_abandoned,
        "uploads": {str(pk): digest for pk, digest in tally.uploads.items()},
    }
    child = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(BENCH / "drill_audit.py")], input=json.dumps(seen),
        env=env, cwd=BENCH, capture_output=True, text=True,
    )  # fmt: skip
    if child.returncode != 0:
        sys.exit(f"audit failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def start_stack(env: dict, tmp: Path, port: int, procs: list[Proc], timings: dict):
    """Both web nodes, both workers, beat and nginx, each waited on; (node A, the reports
    worker, the certificate)."""
    node_ports = (free_port(), free_port())
    node_a = web_node("web-a", node_ports[0], WEB_WORKERS, env, tmp)
    node_b = web_node("web-b", node_ports[1], WEB_WORKERS, env, tmp)
    default_worker = celery_worker("worker-default", "celery", env, tmp)
    # Each report job waits 2 s once claimed, so that it is caught running.
    reports_worker = celery_worker(
        "worker-reports", "reports", {**env, "ZI_REPORT_FAULT_DELAY": "2"}, tmp
    )
    cert, key = self_signed_certificate(tmp)
    front = nginx(tmp, port, node_ports, cert, key, env)
    for proc in (node_a, node_b, default_worker, reports_worker, celery_beat(env, tmp), front):
        procs.append(proc)
        timings[f"start_{proc.name}_s"] = round(proc.start(), 2)
    return node_a, reports_worker, cert


def load(people: list, procs: list[Proc], node_a: Proc, reports_worker: Proc, url, args, timings):
    """Every person in a thread until the deadline, the chaos beside them; the CPU each group
    of processes used meanwhile goes into `timings`."""
    cpu_before = cpu_seconds(procs)
    load_start = time.monotonic()
    deadline = load_start + args.seconds
    chaos = Chaos(node_a, reports_worker, url, load_start, args.seconds)
    errors: list[str] = []
    threads = [
        threading.Thread(target=run_person, args=(p, deadline, args.think, errors)) for p in people
    ]
    chaos.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load_end = time.monotonic()
    chaos.join(timeout=60)
    timings["cpu_s"] = {k: round(v - cpu_before[k], 1) for k, v in cpu_seconds(procs).items()}
    return chaos, load_start, load_end, errors


def run(args) -> dict:
    url = os.environ.get("DRILL_DATABASE_URL") or DEFAULT_URL
    tmp = Path(tempfile.mkdtemp(prefix="zi-drill-"))
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CLAMAV_URL")}
    procs: list[Proc] = []
    timings: dict = {}
    started = time.monotonic()
    try:
        with moto_s3(bucket="zi-drill") as s3, clamd() as av:
            port = free_port()
            env = portal_env(base, url, tmp, s3, av, port)
            flush_redis()
            _recreate_postgres(url)
            collecting = collect_static(env)
            seeded = seed(env, args)
            static_collected(collecting, env)
            timings["setup_s"] = round(time.monotonic() - started, 1)
            node_a, reports_worker, cert = start_stack(env, tmp, port, procs, timings)
            context = ssl.create_default_context(cafile=str(cert))
            tally = Tally()
            people = sign_in(port, context, tally, seeded, random.Random(21))
            chaos, load_start, load_end, errors = load(
                people, procs, node_a, reports_worker, url, args, timings
            )
            sessions = [p.client.signed_in() for p in people]
            killed_job = chaos.events.get("job_running_when_killed")
            audited = audit(env, tally, grace=args.grace, killed_job=killed_job)
            restore_started = time.monotonic()
            restored = backup_and_restore(env, url, s3, tmp / "backup")
            timings["backup_restore_s"] = round(time.monotonic() - restore_started, 1)
            timings["total_s"] = round(time.monotonic() - started, 1)
            out = drill_report.results(
                args, tally, chaos.events, load_start, load_end, sessions, audited, errors,
                timings, seeded,
            )  # fmt: skip
            out["restore"] = restored
            out["drill_settings"] = {
                "CELERY_VISIBILITY_TIMEOUT": VISIBILITY, "ZI_REPORT_STUCK_SECONDS": STUCK,
                "ZI_REPORT_FAULT_DELAY (reports worker)": 2, "node_down_s": NODE_DOWN_SECONDS,
                "nginx": "proxy_next_upstream error timeout http_502 http_503 (no non_idempotent)",
            }  # fmt: skip
            out["verdict"]["failures"] += drill_report.restore_failures(restored)
            return out
    finally:
        for proc in reversed(procs):
            proc.stop()
        if args.keep:
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("DRILL_SECONDS", 120))
    )
    parser.add_argument("--operators", type=int, default=12)
    parser.add_argument("--reviewers", type=int, default=3)
    parser.add_argument("--think", type=float, nargs=2, default=(0.3, 1.2), metavar=("MIN", "MAX"))
    parser.add_argument("--grace", type=float, default=120, help="seconds for reports to end")
    parser.add_argument("--keep", action="store_true", help="keep the logs' directory")
    parser.add_argument("--out", type=Path, default=BENCH / "drill-results.json")
    args = parser.parse_args()
    if not (30 <= args.seconds <= 1800):
        sys.exit("--seconds must be 30..1800")
    if not (1 <= args.operators <= 25 and 1 <= args.reviewers <= 5):
        # 30 logins a minute per address is the portal's login limit (core/ratelimits.py).
        sys.exit("--operators must be 1..25 and --reviewers 1..5")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that every process is stopped
    results = run(args)
    drill_report.print_table(results)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {args.out}")
    if results["verdict"]["failures"]:
        print("DRILL FAILED: " + "; ".join(results["verdict"]["failures"]))
        sys.exit(1)
    print("DRILL PASSED")


if __name__ == "__main__":
    main()
