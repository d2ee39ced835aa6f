"""A small HTTP load generator for the national bench: gunicorn on 127.0.0.1, clients in
threads, every run bounded in requests and in seconds.

- `Server` starts gunicorn (production settings from the environment given) on a free port
  of 127.0.0.1, waits until it answers, and reads the CPU time its master and workers have
  used from /proc (utime + stime, plus what reaped workers left in the master's cutime/cstime).
- `login` signs a persona in through the real login form (CSRF token from the form).
- `run_page` sends one page's requests from `concurrency` threads until `max_requests` were
  sent or `max_seconds` passed, checks each answer's status and text, and returns p50/p95,
  requests per second of wall-clock time and per CPU second of the server.
"""

from __future__ import annotations

import http.client
import math
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The cookie names: __Host- prefixed under production settings (HTTPS), Django's in debug.
SESSION_COOKIES = ("__Host-zi_session", "sessionid")
CSRF_COOKIES = ("__Host-zi_csrf", "csrftoken")


def cookie_of(jar: dict[str, str], names: tuple[str, ...]) -> str:
    return next((jar[name] for name in names if name in jar), "")


# --------------------------------------------------------------------------- CPU accounting


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from "state" on (index 0 = field 3)


def process_cpu(pid: int, with_reaped: bool = False) -> float:
    """CPU seconds of `pid` (utime + stime), optionally plus its reaped children's."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_reaped:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / CLOCK_TICKS


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its live children, and of the children it has reaped."""
    return process_cpu(pid, with_reaped=True) + sum(process_cpu(c) for c in children_of(pid))


def system_busy_seconds() -> float:
    """CPU seconds all cores spent not idle since boot (every process on the machine)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, gunicorn: str, root: Path, env: dict, workers: int, log: Path):
        self.port = free_port()
        self.log = log
        self._log_file = open(log, "ab")  # noqa: SIM115 (open for the server's lifetime)
        self.process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [
                gunicorn, "zi_portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(workers), "--timeout", "120", "--log-level", "warning",
            ],
            cwd=root, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")

    def cpu(self) -> float:
        return tree_cpu(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()


# --------------------------------------------------------------------------- HTTP


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float


def cookies_from(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


class Connection:
    """One keep-alive connection (reopened when the server closes it) with a cookie jar."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies = dict(cookies or {})
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method, path, body=None, headers=None, keep_cookies=True) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        ms = (time.perf_counter() - start) * 1000
        if response.will_close:
            self.conn.close()
            self.conn = None
        if keep_cookies:
            self.cookies.update(cookies_from(response.headers))
        return Response(response.status, response.headers, data, ms)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def login_form(port: int) -> tuple[dict[str, str], str]:
    """Cookies and the CSRF token of a fresh login form."""
    conn = Connection(port)
    page = conn.request("GET", "/accounts/login/")
    conn.close()
    token = CSRF_INPUT.search(page.body)
    if page.status != 200 or token is None:
        raise SystemExit(f"login form: HTTP {page.status}, no CSRF token")
    return conn.cookies, token.group(1).decode()


def login_body(email: str, password: str, token: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": token}
    ).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
REVISION = re.compile(rb'name="revision" value="(\d*)"')  # an item's revision on its card


def autosave(items: list[dict], assessment: int, csrf_token: str):
    """An autosave request builder: each thread (state["index"]) saves its own item, cycling
    through the item's labels, with the revision it last saw (`learn_revision`)."""

    def build(state, *_rng):
        item = items[state["index"] % len(items)]  # one item per thread: no conflicts
        state["n"] = state.get("n", 0) + 1
        label = item["labels"][state["n"] % len(item["labels"])]
        revision = state.get("revision", item["revision"])
        data = f"value={label}&revision={revision if revision is not None else ''}"
        headers = {**FORM, "HX-Request": "true", "X-CSRFToken": csrf_token}
        return (
            "POST",
            f"/assessments/{assessment}/answers/{item['question']}/",
            data.encode(),
            headers,
        )

    return build


def learn_revision(state: dict, response) -> None:
    """Keep the revision the saved card shows, for the thread's next save."""
    match = REVISION.search(response.body)
    state["revision"] = int(match.group(1)) if match and match.group(1) else None


def login(port: int, email: str, password: str) -> dict[str, str]:
    """Sign in through the form; the session and CSRF cookies of the signed-in user."""
    cookies, token = login_form(port)
    conn = Connection(port, cookies)
    answer = conn.request("POST", "/accounts/login/", login_body(email, password, token), FORM)
    conn.close()
    if answer.status != 302 or not cookie_of(conn.cookies, SESSION_COOKIES):
        raise SystemExit(f"login of {email} failed: HTTP {answer.status}")
    return conn.cookies


# --------------------------------------------------------------------------- a page's run


@dataclass
class Page:
    """What to send (built per request from the thread's state) and what must come back."""

    name: str
    role: str
    build: Callable[[dict], tuple[str, str, bytes | None, dict]]  # method, path, body, headers
    status: int = 200
    text: bytes = b""
    max_requests: int = 300
    after: Callable[[dict, Response], None] | None = None  # e.g. keep the new revision
    warm_each_state: bool = False  # warm up every thread's state (e.g. learn its revision)
    keep_cookies: bool = True
    state: Callable[[int], dict] = field(default=lambda index: {})


def percentile(sorted_ms: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_ms:
        return float("nan")
    return sorted_ms[max(0, math.ceil(share * len(sorted_ms)) - 1)]


def run_page(
    page: Page,
    port: int,
    cookies: dict[str, str],
    server: Server,
    *,
    concurrency: int,
    max_seconds: float,
    warmup: int = 2,
) -> dict:
    lock = threading.Lock()
    sent = [0]
    samples: list[float] = []
    errors: list[str] = []
    states = [page.state(i) for i in range(concurrency)]

    def once(conn: Connection, state: dict, record: bool) -> Response:
        method, path, body, headers = page.build(state)
        response = conn.request(method, path, body, headers, keep_cookies=page.keep_cookies)
        ok = response.status == page.status and page.text in response.body
        if page.after is not None:
            page.after(state, response)
        if record:
            with lock:
                samples.append(response.ms)
                if not ok:
                    errors.append(f"HTTP {response.status}: {response.body[:160]!r}")
        return response

    # Warm-up, not counted: each worker's caches (instrument, templates, cached queries). The
    # first one's latency is kept: a cold cache (the dashboards' figures) shows there.
    warm, first_ms = Connection(port, cookies), None
    for state in states if page.warm_each_state else states[:1]:
        for _ in range(warmup):
            ms = once(warm, state, record=False).ms
            first_ms = ms if first_ms is None else first_ms
    warm.close()

    deadline = time.monotonic() + max_seconds

    def worker(state: dict) -> None:
        conn = Connection(port, cookies)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if sent[0] >= page.max_requests:
                        return
                    sent[0] += 1
                try:
                    once(conn, state, record=True)
                except OSError as error:
                    with lock:
                        errors.append(repr(error))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(s,)) for s in states]
    cpu_before, busy_before = server.cpu(), system_busy_seconds()
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    cpu = server.cpu() - cpu_before
    busy = system_busy_seconds() - busy_before
    samples.sort()
    n = len(samples)
    return {
        "p50_ms": round(percentile(samples, 0.50), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "rps_per_core": round(n / cpu, 1) if cpu > 0 else None,
        "first_ms": round(first_ms, 1) if first_ms is not None else None,
        "requests": n,
        "errors": len(errors),
        "error_sample": errors[:3],
        "wall_s": round(wall, 2),
        "rps_wall": round(n / wall, 1) if wall else None,
        "server_cpu_ms_per_request": round(1000 * cpu / n, 2) if n else None,
        "machine_cpu_ms_per_request": round(1000 * busy / n, 2) if n else None,
        "concurrency": concurrency,
        "role": page.role,
    }
