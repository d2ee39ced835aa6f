"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Each person has a browser context of their own and signs in through the real login form (the
journeys) or with a session made for them (`signed_in`, for tests about one page's wiring).
`step(name, person)` saves a screenshot of every step into the artifacts directory
(`E2E_ARTIFACTS`, else `<ZI_VAR_DIR>/e2e`); a step that fails keeps `NN-...-FAILED.png` and the
page's HTML. A step also fails when the page had a script error, a Content Security Policy
violation or a server error (5xx) while it ran.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # the browser tests skip themselves; the rest of the suite runs without it
    Page = expect = sync_playwright = None

CHROMIUM = (
    os.environ.get("ZI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
# Debian's Chromium, headless, without the background traffic this machine's network refuses.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
NEEDS_BROWSER = pytest.mark.skipif(
    not CHROMIUM or sync_playwright is None,
    reason="no Chromium or Playwright for the browser tests",
)

# The DOM event names the element (or the blocked URL) a policy refused, which the console
# message alone does not; init scripts run outside the page's policy. The page also keeps its
# own list, read synchronously by `Person.assert_clean` (it starts empty on every navigation).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 160) : '';
  const text = `Content Security Policy violation: ${e.violatedDirective} blocked `
    + `${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample || ''} ${where}`;
  window.__cspViolations.push(text);
  console.warn(text);
});
"""


class Person:
    """One role in a browser context of its own; records what went wrong on its pages."""

    def __init__(self, role: str, page: Page, base_url: str):
        self.role, self.page, self.base_url = role, page, base_url
        self.problems: list[str] = []
        self.dialogs: list[str] = []  # every confirm() asked, answered yes
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept()

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"server error {response.status}: {response.url}")

    def goto(self, path: str, *, until_idle: bool = False) -> None:
        self.page.goto(self.base_url + path)
        if until_idle:  # and the requests its scripts started (htmx loads) have answered
            self.page.wait_for_load_state("networkidle")

    def assert_clean(self) -> None:
        """No problem on any page so far, and no violation in the current page's own list."""
        found = self.page.evaluate("window.__cspViolations")
        assert found == [] and not self.problems, (self.page.url, found, self.problems)

    def force_login(self, user) -> None:
        """Signed in without the login form: a session of this person's own in the cookies."""
        client = Client()  # force_login on a client shared with another person flushes theirs
        client.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        # A __Host- cookie (production settings) must be Secure, which DevTools sets only for
        # an https address; Chromium still sends it to http://localhost (a secure context), as
        # it does the cookies the login form sets.
        secure = name.startswith("__Host-")
        url = self.base_url.replace("http://", "https://", 1) if secure else self.base_url
        self.page.context.add_cookies(
            [{"name": name, "value": client.cookies[name].value, "url": url, "secure": secure}]
        )

    def sign_in(self, email: str, password: str) -> None:
        page = self.page
        self.goto("/accounts/login/")
        expect(page.get_by_role("heading", name="Masuk ke ZI Portal")).to_be_visible()
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="Masuk", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")


@pytest.fixture
def artifacts(settings) -> Path:
    root = Path(os.environ.get("E2E_ARTIFACTS") or Path(settings.VAR_DIR) / "e2e")
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob("*-FAILED.*"):  # from an earlier run; this run's failures only
        stale.unlink()
    (root / "steps.txt").write_text("")
    return root


@pytest.fixture
def browser(live_server, settings, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.ALLOWED_HOSTS = ["*"]
    # Under Playwright the test body gets a database connection of its own (Django's
    # connections are context-local); close both, or PostgreSQL refuses to drop the test
    # database while one stays open.
    connections.close_all()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def open_browser(browser, live_server):
    """`open_browser(role)`: a fresh browser context (own cookies) for one person."""

    def open_(role: str) -> Person:
        context = browser.new_context(
            locale="id-ID", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        return Person(role, context.new_page(), live_server.url)

    return open_


@pytest.fixture
def signed_in(open_browser, personas):
    """`signed_in(role)`: that persona's browser, already signed in (the journeys prove the
    login form; tests of one page's wiring need not go through it again)."""

    def open_(role: str) -> Person:
        person = open_browser(role)
        person.force_login(personas[role])
        return person

    return open_


@pytest.fixture
def step(artifacts):
    """`with step("03-operator-answers", operator) as page:` runs one step of a journey."""

    @contextlib.contextmanager
    def run(name: str, person: Person):
        page = person.page  # person.problems is empty: a step with problems stops the test
        started = time.monotonic()
        try:
            yield page
            assert not person.problems, f"{name}: " + "\n".join(person.problems)
        except BaseException:
            with contextlib.suppress(Exception):  # the original error matters more
                (artifacts / f"{name}-FAILED.html").write_text(page.content(), encoding="utf-8")
                screenshot(page, artifacts / f"{name}-FAILED.png")
            raise
        finally:
            with open(artifacts / "steps.txt", "a", encoding="utf-8") as log:
                log.write(f"{name}\t{time.monotonic() - started:.1f}s\n")
        screenshot(page, artifacts / f"{name}.png")

    return run


def screenshot(page: Page, path: Path) -> None:
    # caret="initial": hiding the caret leaves style="" on every input, which htmx's settling
    # then copies onto swapped-in elements, a CSP violation the app itself never causes.
    page.screenshot(path=path, full_page=True, caret="initial")


class ReportWorker:
    """Stands in for the Celery worker of the `reports` queue: jobs wait until the test has
    seen the page in its 'queued' state, then run the real task in a thread while the page
    keeps polling. (A real worker process would consume the messages of the `worker` tests
    running beside this one under xdist.)"""

    def __init__(self):
        self.pending: list[int] = []
        self.threads: list[threading.Thread] = []

    def enqueue(self, job_id: int) -> None:
        self.pending.append(job_id)

    def run_pending(self) -> None:
        jobs, self.pending = self.pending, []
        thread = threading.Thread(target=self._run, args=(jobs,), daemon=True)
        thread.start()
        self.threads.append(thread)

    @staticmethod
    def _run(jobs: list[int]) -> None:
        from django.db import connection

        from reports.tasks import run_report

        try:
            for job_id in jobs:
                run_report.apply(args=[job_id])
        finally:
            connection.close()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)


@pytest.fixture
def report_worker(monkeypatch):
    worker = ReportWorker()
    monkeypatch.setattr("reports.tasks.enqueue", worker.enqueue)
    yield worker
    worker.join()
