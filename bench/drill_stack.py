"""The drill's processes on loopback: a self-signed certificate (openssl), nginx terminating TLS
in front of two gunicorn nodes, two Celery workers (queues `celery` and `reports`) and beat.

Each process runs in a process group of its own (start_new_session), so `kill()` SIGKILLs the
whole group at once (a gunicorn master and its workers, a Celery worker and its pool child), as
when a machine or container dies, and `start()` brings it back with the same command and port.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


class Proc:
    """One long-running process (group) with a log file in the drill's directory."""

    def __init__(self, name: str, argv: list[str], env: dict, log_dir: Path, ready=None):
        self.name, self.argv, self.env = name, argv, env
        self.log = log_dir / f"{name}.log"
        self.ready = ready  # a callable: True once the process serves
        self.process: subprocess.Popen | None = None
        self.cpu_of_killed = 0.0

    def start(self, timeout: float = 60) -> float:
        """Start and wait until ready; the seconds it took."""
        started = time.monotonic()
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
                self.argv, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        while self.ready is not None:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"{self.name} exited with {self.process.returncode}:\n{self.tail()}"
                )
            try:
                if self.ready():
                    break
            except OSError:
                pass
            if time.monotonic() - started > timeout:
                self.stop()
                raise SystemExit(f"{self.name} not ready within {timeout:.0f} s:\n{self.tail()}")
            time.sleep(0.1)
        return time.monotonic() - started

    def cpu(self) -> float:
        """CPU seconds of this process group since it was first started (a killed run's
        seconds are kept: they are lost with its processes)."""
        from loadgen import tree_cpu

        alive = self.process is not None and self.process.poll() is None
        return self.cpu_of_killed + (tree_cpu(self.process.pid) if alive else 0.0)

    def kill(self) -> None:
        """SIGKILL the whole process group: nothing gets to clean up."""
        if self.process is not None and self.process.poll() is None:
            self.cpu_of_killed = self.cpu()
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            self.kill()

    def new_log(self) -> str:
        """What the process logged since its last start."""
        with open(self.log, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode(errors="replace")

    def tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "drill.crt", directory / "drill.key"
    subprocess.run(  # noqa: S603 (fixed argv)
        [
            shutil.which("openssl") or "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


NGINX_CONF = """\
worker_processes 1;
error_log {dir}/nginx-error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    log_format drill '$msec $request_method $uri $status $upstream_addr $upstream_status '
                     '$request_time';
    access_log {dir}/nginx-access.log drill;
    client_body_temp_path {dir}/nginx-body;
    proxy_temp_path {dir}/nginx-proxy;
    fastcgi_temp_path {dir}/nginx-fastcgi;
    uwsgi_temp_path {dir}/nginx-uwsgi;
    scgi_temp_path {dir}/nginx-scgi;
    client_max_body_size 30m;
    upstream portal {{
        # A node that refused a connection is left alone for 5 s, then tried again.
        server 127.0.0.1:{port_a} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{port_b} max_fails=1 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            # The portal reads the last entry (DJANGO_PROXY_COUNT=1, from 127.0.0.1 only).
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            # Another node is tried when this one refused, timed out or answered 502/503.
            # Without `non_idempotent`, a POST already sent to a node that died is not sent
            # again (it may have been done): the client sees the error and decides.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def nginx(directory: Path, port: int, node_ports: tuple[int, int], cert: Path, key: Path, env):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(binary, os.X_OK):
        raise SystemExit("nginx not installed: apt-get install nginx")
    # nginx's workers run as an unprivileged user when started as root: they write request
    # bodies (uploads) to these directories and read the certificate.
    directory.chmod(0o755)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / f"nginx-{temp}").mkdir(mode=0o777, exist_ok=True)
        (directory / f"nginx-{temp}").chmod(0o777)
    conf = directory / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            dir=directory,
            port=port,
            port_a=node_ports[0],
            port_b=node_ports[1],
            cert=cert,
            key=key,
        )  # fmt: skip
    )
    return Proc(
        "nginx", [binary, "-p", str(directory), "-c", str(conf), "-g", "daemon off;"], env,
        directory, ready=lambda: _answers(port, tls=True),
    )  # fmt: skip


def _answers(port: int, tls: bool = False) -> bool:
    """True once something answers HTTP on the port (any status below 500)."""
    import ssl

    if tls:
        context = ssl._create_unverified_context()  # noqa: S323 (readiness probe only)
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=2, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        # Directly on a node: as nginx sends it (HTTPS), else the portal redirects to https.
        conn.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
        return conn.getresponse().status < 500
    finally:
        conn.close()


def web_node(name: str, port: int, workers: int, env: dict, directory: Path) -> Proc:
    argv = [
        str(VENV_BIN / "gunicorn"), "zi_portal.wsgi:application", "-c", "gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    return Proc(name, argv, env, directory, ready=lambda: _answers(port))


def celery_worker(name: str, queue: str, env: dict, directory: Path) -> Proc:
    argv = [
        str(VENV_BIN / "celery"), "-A", "zi_portal", "worker", "-Q", queue, "-n", f"{name}@drill",
        "--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    # The portal's logging decides the level (zi_portal/celery.py keeps it), not --loglevel:
    # the worker's "ready" line is at INFO.
    proc = Proc(name, argv, {**env, "DJANGO_LOG_LEVEL": "INFO"}, directory)
    # `celery inspect ping` costs a second and a process; the worker's log says it is up.
    proc.ready = lambda: f"{name}@drill ready" in proc.new_log()
    return proc


def celery_beat(env: dict, directory: Path) -> Proc:
    argv = [
        str(VENV_BIN / "celery"), "-A", "zi_portal", "beat", "--loglevel", "WARNING",
        "--schedule", str(directory / "celerybeat-schedule"),
    ]  # fmt: skip
    return Proc("beat", argv, env, directory)
