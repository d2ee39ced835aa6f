"""The drill's deadline-week load: simulated people in threads, each with its own HTTPS
connection to nginx and its own signed-in session (cookies kept by the client, CSRF token sent
as the portal's scripts send it).

- Operators autosave their own items as static/js/worksheet-autosave.js does (POST value and
  the revision the last card showed, `HX-Request` and `X-CSRFToken`; retried after a network
  error, a 5xx or a 429, with the same fields), open a worksheet tab or their home page, upload
  small PDFs (random content: each file's SHA-256 is kept) and now and then a PDF carrying the
  EICAR test string, which must be refused.
- Reviewers browse their queue, assessments, worksheets (read-only) and the unit tree.
- The admin asks for reports (an LHE of an operator's assessment, the national readiness PDF)
  and polls them as the report page does (`HX-Request` on /reports/<id>/).

Every HTTP request is recorded (start, end, name, method, status, ok); requests are never retried
by the client except the autosave's own retries, which are counted apart.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import random
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from common import pdf_bytes
from loopback import EICAR

SESSION_COOKIE, CSRF_COOKIE = "__Host-zi_session", "__Host-zi_csrf"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(rb'name="revision" value="(\d*)"')
FORM = "application/x-www-form-urlencoded"
LOST_ANSWER_SHARE = 0.1


@dataclass
class Record:
    start: float
    end: float
    name: str
    method: str
    status: int  # 0: no answer (connection refused, reset, timeout)
    ok: bool


@dataclass
class Tally:
    """What the clients know happened; compared with the database at the end."""

    records: list[Record] = field(default_factory=list)
    saves: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # confirmed values
    saves_abandoned: int = 0
    autosave_retries: int = 0
    answers_lost: int = 0  # autosave answers the client threw away before reading (retried)
    uploads: dict[int, str] = field(default_factory=dict)  # evidence id -> client's SHA-256
    eicar_sent: int = 0
    eicar_accepted: int = 0
    eicar_refused_by_scan: int = 0
    reports: set[int] = field(default_factory=set)
    report_refusals: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


class Client:
    """One person's browser: one keep-alive HTTPS connection to nginx and a cookie jar."""

    def __init__(self, port: int, context: ssl.SSLContext, tally: Tally):
        self.port, self.context, self.tally = port, context, tally
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPSConnection | None = None

    def request(self, name, method, path, body=None, headers=None, ok=None) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            headers |= {"Origin": self.origin, "X-CSRFToken": self.cookies.get(CSRF_COOKIE, "")}
        start = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPSConnection(
                    "127.0.0.1", self.port, timeout=90, context=self.context
                )
            self.conn.request(method, path, body=body, headers=headers)
            raw = self.conn.getresponse()
            response = Response(raw.status, dict(raw.getheaders()), raw.read())
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    cookie, _, _attrs = value.partition(";")
                    key, _, val = cookie.partition("=")
                    self.cookies[key.strip()] = val
            if raw.will_close:
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            response = Response(0, {}, b"")
        passed = ok(response) if ok is not None else response.status == 200
        record = Record(start, time.monotonic(), name, method, response.status, passed)
        self.tally.records.append(record)  # list.append is atomic
        return response

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self, email: str, password: str) -> None:
        form = self.request("login_form", "GET", "/accounts/login/")
        token = CSRF_INPUT.search(form.body)
        if token is None:
            raise SystemExit(f"login form: HTTP {form.status}, no CSRF token")
        body = urlencode(
            {"username": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        answer = self.request(
            "login", "POST", "/accounts/login/", body.encode(), {"Content-Type": FORM},
            ok=lambda r: r.status == 302,
        )  # fmt: skip
        if answer.status != 302 or SESSION_COOKIE not in self.cookies:
            raise SystemExit(f"login of {email} failed: HTTP {answer.status}")

    def signed_in(self) -> bool:
        """A signed-in page answers 200 (a lost session is a redirect to the login page)."""
        return self.request("session_check", "GET", "/").status == 200


def _multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "zi-drill-" + os.urandom(6).hex()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
    )
    return b"".join(parts) + content + f"\r\n--{boundary}--\r\n".encode(), boundary


class Operator:
    def __init__(self, client: Client, person: dict, rng: random.Random):
        self.client, self.rng = client, rng
        self.assessment = person["assessment"]
        self.items = person["items"]
        self.state = {item["question"]: {"value": None, "revision": ""} for item in self.items}

    def step(self, deadline: float) -> None:
        roll = self.rng.random()
        if roll < 0.62:
            self.autosave(deadline)
        elif roll < 0.74:
            self.client.request(
                "worksheet", "GET", f"/assessments/{self.assessment}/worksheet/?tab=1",
                ok=lambda r: r.status == 200 and b'name="revision"' in r.body,
            )  # fmt: skip
        elif roll < 0.88:
            self.upload(os.urandom(self.rng.randrange(20_000, 250_000)))
        elif roll < 0.93:
            self.upload_eicar()
        else:
            self.client.request("home", "GET", "/")

    def autosave(self, deadline: float) -> None:
        """One change of one item, sent until the portal confirms it (as the page's script)."""
        item = self.rng.choice(self.items)
        question, labels = item["question"], item["labels"]
        state = self.state[question]
        current = labels.index(state["value"]) if state["value"] in labels else -1
        label = labels[(current + 1) % len(labels)]
        body = urlencode({"value": label, "revision": state["revision"]}).encode()
        headers = {"Content-Type": FORM, "HX-Request": "true", "X-ZI-Autosave": "1"}
        path = f"/assessments/{self.assessment}/answers/{question}/"
        tally, delay = self.client.tally, 0.5
        # One save in ten loses its answer on the way back (a phone's link dropping): saved by
        # the portal, unknown to the page, which sends it again with the revision it had.
        lost = self.rng.random() < LOST_ANSWER_SHARE
        for attempt in range(12):
            if attempt:
                with tally.lock:
                    tally.autosave_retries += 1
                time.sleep(delay)
                delay = min(delay * 2, 4)
            response = self.client.request(
                "autosave", "POST", path, body, headers,
                ok=lambda r: r.status == 200 and b'name="revision"' in r.body,
            )  # fmt: skip
            if lost and attempt == 0:
                with tally.lock:
                    tally.answers_lost += 1
                continue
            if response.status == 0 or response.status == 429 or response.status >= 500:
                if time.monotonic() > deadline + 30:
                    break
                continue
            match = REVISION.search(response.body)
            if match:
                state["revision"] = match.group(1).decode()
            if response.status == 200:
                state["value"] = label
                with tally.lock:
                    tally.saves.setdefault((self.assessment, question), []).append(label)
            return  # 409 or 422: recorded as failed, not sent again (the page says why)
        with tally.lock:
            tally.saves_abandoned += 1

    def _post_file(self, name: str, filename: str, content: bytes, ok) -> dict:
        question = self.rng.choice(self.items)["question"]
        body, boundary = _multipart({"question": question}, filename, content)
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Accept": "application/json",
        }
        response = self.client.request(
            name, "POST", f"/assessments/{self.assessment}/evidence/upload/", body, headers, ok=ok
        )
        try:
            import json

            return json.loads(response.body) if response.status in (200, 400) else {}
        except ValueError:
            return {}

    def upload(self, payload: bytes) -> None:
        content = pdf_bytes(payload)
        answer = self._post_file(
            "upload", "bukti-drill.pdf", content,
            ok=lambda r: r.status == 200 and b'"rejected": []' in r.body,
        )  # fmt: skip
        with self.client.tally.lock:
            for accepted in answer.get("accepted", []):
                self.client.tally.uploads[accepted["id"]] = hashlib.sha256(content).hexdigest()

    def upload_eicar(self) -> None:
        tally = self.client.tally
        answer = self._post_file(
            "upload_eicar", "eicar.pdf", pdf_bytes(EICAR),
            ok=lambda r: r.status == 400 and b"virus" in r.body,
        )  # fmt: skip
        with tally.lock:
            tally.eicar_sent += 1
            tally.eicar_accepted += len(answer.get("accepted", []))
            tally.eicar_refused_by_scan += sum(
                "virus" in r.get("error", "") for r in answer.get("rejected", [])
            )


class Reviewer:
    def __init__(self, client: Client, assessments: list[int], question: int, rng):
        self.client, self.assessments, self.rng = client, assessments, rng
        self.question = question  # an item whose evidence they open

    def step(self, deadline: float) -> None:
        pk = self.rng.choice(self.assessments)
        name, path = self.rng.choice(
            [("queue", "/queue/"), ("assessment", f"/assessments/{pk}/"),
             ("worksheet_read", f"/assessments/{pk}/worksheet/?tab=1"), ("unit_tree", "/units/"),
             ("summary", f"/assessments/{pk}/summary/"),
             ("evidence_list", f"/assessments/{pk}/evidence/?question={self.question}")]
        )  # fmt: skip
        self.client.request(name, "GET", path)


class Admin:
    """Asks for a report every `interval` seconds (under the 10 a minute rate limit) and polls
    its reports in between."""

    def __init__(self, client: Client, assessments: list[int], year: int, rng, interval=7.0):
        self.client, self.assessments, self.year, self.rng = client, assessments, year, rng
        self.interval, self.next_at, self.turn = interval, 0.0, 0

    def step(self, deadline: float) -> None:
        now = time.monotonic()
        if now >= self.next_at:
            self.next_at = now + self.interval
            self.turn += 1
            if self.turn % 3:
                fields = {
                    "kind_of_report": "lhe", "layer": "self",
                    "assessment": self.rng.choice(self.assessments),
                }  # fmt: skip
            else:
                fields = {"kind_of_report": "readiness", "period": self.year, "format": "pdf"}
            response = self.client.request(
                "report_request", "POST", "/reports/request/", urlencode(fields).encode(),
                {"Content-Type": FORM}, ok=lambda r: r.status == 302,
            )  # fmt: skip
            location = response.headers.get("Location", "")
            match = re.search(r"/reports/(\d+)/", location)
            with self.client.tally.lock:
                if match:
                    self.client.tally.reports.add(int(match.group(1)))
                else:
                    self.client.tally.report_refusals += 1
            return
        reports = sorted(self.client.tally.reports)
        if reports and self.rng.random() < 0.7:
            pk = self.rng.choice(reports[-4:])
            self.client.request(
                "report_poll", "GET", f"/reports/{pk}/", headers={"HX-Request": "true"}
            )
        else:
            self.client.request("reports_list", "GET", "/reports/")


def run_person(person, deadline: float, think: tuple[float, float], errors: list) -> None:
    try:
        while time.monotonic() < deadline:
            person.step(deadline)
            time.sleep(person.rng.uniform(*think))
    except Exception as error:  # a bug in the drill itself: shown, never hidden
        errors.append(f"{type(person).__name__}: {error!r}")
