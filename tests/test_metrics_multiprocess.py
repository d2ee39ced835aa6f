"""Real gunicorn on loopback with several workers and PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py,
core/metrics.py): whichever worker answers a scrape reports the requests of all of them, also
after one was killed, and every line on stdout is JSON (gunicorn's own messages too; its access
log is off, the portal writes its own)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "m" * 40
REQUESTS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _login_count(base: str) -> float:
    status, body = _get(f"{base}/metrics", TOKEN)
    assert status == 200
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if (
                sample.name == "django_http_responses_total_by_status_view_method_total"
                and sample.labels == {"status": "200", "view": "login", "method": "GET"}
            ):
                return sample.value
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def gunicorn(tmp_path):
    pytest.importorskip("gunicorn")
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"stale from an earlier run")
    log = (tmp_path / "stdout.log").open("w")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings_test",
        "DJANGO_LOG_FORMAT": "json",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "ZI_METRICS_TOKEN": TOKEN,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "3",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "zi_portal.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(f"{base}/accounts/login/")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start:\n" + (tmp_path / "stdout.log").read_text())
    yield process, base, metrics_dir, tmp_path / "stdout.log"
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_every_worker_reports_the_requests_of_all_of_them(gunicorn):
    process, base, metrics_dir, stdout = gunicorn
    assert not (metrics_dir / "counter_999999.db").exists()  # emptied at start
    start = _login_count(base)  # the start-up probe's request(s)
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: _get(f"{base}/accounts/login/")[0], range(REQUESTS)))
    assert statuses == [200] * REQUESTS
    writers = {path.stem.rsplit("_", 1)[1] for path in metrics_dir.glob("*.db")}
    assert len(writers) >= 2  # several processes wrote samples
    for _ in range(6):  # scrapes land on any worker: each sums every process
        assert _login_count(base) == start + REQUESTS

    # A worker dies: gunicorn replaces it, and its requests stay counted.
    os.kill(_children(process.pid)[0], signal.SIGKILL)
    time.sleep(1.5)
    assert len(_children(process.pid)) == 3
    assert _login_count(base) == start + REQUESTS

    lines = [line for line in stdout.read_text().splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]  # every line is one JSON object
    access = [line for line in parsed if line["logger"] == "zi.access"]
    assert sum(1 for line in access if line["route"] == "login") >= REQUESTS
    assert any(line["logger"] == "gunicorn.error" for line in parsed)
    assert not any(line["logger"] == "gunicorn.access" for line in parsed)
