"""Real components on loopback for tests and the drill: an S3 server (moto, from PyPI) and a
virus scanner (clamd, Debian `clamav-daemon`), each started on a free 127.0.0.1 port in a
temporary directory of its own, waited on until it answers, and stopped on exit.

    with moto_s3() as s3:            # s3.url, s3.bucket, s3.env() -> ZI_S3_* variables
        ...
    with clamd() as av:              # av.url == "tcp://127.0.0.1:<port>" (CLAMAV_URL)
        ...

Both raise `ComponentMissing` (with the package to install) when the binary is absent, and
`ComponentFailed` (with the tail of the server's log) when it does not come up in time.
`stop()` on the yielded object kills the server early (to test what happens when it is down);
leaving the block stops it in any case.

clamd gets a signature database holding only the EICAR test signature: no signature download
is possible here, and the portal's tests only need to see one file refused.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from bench/ (the drill): core is at the root
    sys.path.insert(0, str(ROOT))

from core.clamd import clamd_ping  # noqa: E402

# The 68-byte EICAR anti-virus test file (https://www.eicar.org): harmless, detected by every
# scanner. Built from two halves so this source file itself is not flagged by a scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_SIGNATURE = "Eicar-Test-Signature"

S3_REGION = "us-east-1"
S3_ACCESS_KEY = "loopback"  # moto accepts any credentials
S3_SECRET_KEY = "loopback-secret"  # noqa: S105 (not a secret: a throw-away local server)


class ComponentMissing(RuntimeError):
    """The server's binary is not installed (tests skip with this message)."""


class ComponentFailed(RuntimeError):
    """The server started but did not answer in time, or exited."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    workdir: Path
    process: subprocess.Popen
    started_seconds: float  # from spawn to first correct answer
    log_path: Path = field(repr=False)

    def stop(self) -> None:
        """Stop the server (idempotent): SIGTERM, then SIGKILL after 5 s."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@dataclass
class S3Server(Server):
    bucket: str = "zi-evidence"
    region: str = S3_REGION
    access_key: str = S3_ACCESS_KEY
    secret_key: str = S3_SECRET_KEY

    def env(self) -> dict[str, str]:
        """The portal's settings (zi_portal/settings.py ZI_S3_*) for this bucket."""
        return {
            "ZI_S3_BUCKET": self.bucket,
            "ZI_S3_ENDPOINT_URL": self.url,
            "ZI_S3_REGION": self.region,
            "ZI_S3_ACCESS_KEY": self.access_key,
            "ZI_S3_SECRET_KEY": self.secret_key,
        }

    def storage_options(self) -> dict:
        """STORAGES["default"]["OPTIONS"] as settings.py builds them from env()."""
        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.url,
            "region_name": self.region,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name


@dataclass
class ClamdServer(Server):
    def env(self) -> dict[str, str]:
        return {"CLAMAV_URL": self.url}


def _spawn(argv: list[str], workdir: Path, log_name: str, env: dict | None = None):
    log_path = workdir / log_name
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
            argv,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() kills children too
            env=env,
        )
    return process, log_path


def _wait(server: Server, ready, timeout: float, what: str) -> None:
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ComponentFailed(
                f"{what} exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.05)
    server.stop()
    raise ComponentFailed(f"{what} did not answer within {timeout:.0f} s:\n{server.log_tail()}")


# ---------------------------------------------------------------------------- S3 (moto)


def _http_ok(url: str) -> bool:
    import urllib.request

    with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (loopback http)
        return response.status == 200


def moto_s3_available() -> None:
    try:
        import moto.server  # noqa: F401
    except ImportError as missing:
        raise ComponentMissing(
            'moto server not installed: pip install -e ".[dev]" (moto[server])'
        ) from missing


@contextmanager
def moto_s3(bucket: str = "zi-evidence", *, timeout: float = 30.0) -> Iterator[S3Server]:
    """The moto server (moto[server] from PyPI) serving S3 on a free loopback port, with
    `bucket` created. Objects live in the server's memory: gone when it stops."""
    moto_s3_available()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="zi-moto-") as tmp:
        workdir = Path(tmp)
        started = time.monotonic()
        argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
        env = {**os.environ, "AWS_DEFAULT_REGION": S3_REGION}
        process, log_path = _spawn(argv, workdir, "moto.log", env)
        url = f"http://127.0.0.1:{port}"
        server = S3Server(url, port, workdir, process, 0.0, log_path, bucket=bucket)
        try:
            _wait(server, lambda: _http_ok(f"{url}/moto-api/"), timeout, "moto server")
            server.started_seconds = time.monotonic() - started
            server.create_bucket(bucket)
            yield server
        finally:
            server.stop()


# ---------------------------------------------------------------------------- clamd


def clamd_binary() -> str:
    found = shutil.which("clamd") or next(
        (p for p in ("/usr/sbin/clamd", "/usr/local/sbin/clamd") if os.access(p, os.X_OK)), None
    )
    if not found:
        raise ComponentMissing("clamd not installed: apt-get install clamav-daemon clamav")
    return found


def write_eicar_database(directory: Path) -> None:
    """A signature database with the EICAR test signature only: as a body signature (found
    inside any file, e.g. embedded in a PDF) and as the whole file's MD5."""
    import hashlib

    (directory / "eicar.ndb").write_text(f"{EICAR_SIGNATURE}:0:*:{EICAR.hex()}\n")
    md5 = hashlib.md5(EICAR).hexdigest()  # noqa: S324 (ClamAV's hash signature format)
    (directory / "eicar.hdb").write_text(f"{md5}:{len(EICAR)}:{EICAR_SIGNATURE}-File\n")


@contextmanager
def clamd(*, timeout: float = 60.0) -> Iterator[ClamdServer]:
    """clamd (Debian clamav-daemon) on a free loopback port, with the EICAR-only database.
    Yields a ClamdServer whose `url` is what CLAMAV_URL takes: tcp://127.0.0.1:<port>."""
    binary = clamd_binary()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="zi-clamd-") as tmp:
        workdir = Path(tmp)
        database = workdir / "db"
        database.mkdir()
        write_eicar_database(database)
        conf = workdir / "clamd.conf"
        conf.write_text(
            "\n".join(
                [
                    f"TCPSocket {port}",
                    "TCPAddr 127.0.0.1",
                    "Foreground yes",
                    f"DatabaseDirectory {database}",
                    f"PidFile {workdir / 'clamd.pid'}",
                    f"TemporaryDirectory {workdir}",
                    "LogTime yes",
                    "LogVerbose no",
                    # Above the portal's upload limit (ZI_EVIDENCE_MAX_BYTES, 20 MB by default).
                    "StreamMaxLength 100M",
                    "MaxFileSize 100M",
                    "MaxScanSize 400M",
                    "SelfCheck 0",
                    "",
                ]
            )
        )
        started = time.monotonic()
        process, log_path = _spawn([binary, "--config-file", str(conf)], workdir, "clamd.log")
        url = f"tcp://127.0.0.1:{port}"
        server = ClamdServer(url, port, workdir, process, 0.0, log_path)
        try:
            _wait(server, lambda: clamd_ping(url, timeout=1.0), timeout, "clamd")
            server.started_seconds = time.monotonic() - started
            yield server
        finally:
            server.stop()


if __name__ == "__main__":
    # python -m bench.loopback: start both, print their URLs and start times, stop.
    with moto_s3() as s3, clamd() as av:
        print(f"moto S3  {s3.url} bucket={s3.bucket} started in {s3.started_seconds:.2f} s")
        print(f"clamd    {av.url} started in {av.started_seconds:.2f} s")
