"""The Content Security Policy in a real browser (Playwright + Debian Chromium): the pages each
role uses most, and what htmx and Bootstrap do on them, raise no `securitypolicyviolation`,
and progress bars, now sized by classes instead of style="", still show their width.

No screenshots here: Playwright hides the caret with an injected style, a violation the
portal itself would never cause."""

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client

from areas.models import Question
from assessments.models import Answer, Layer, Status
from reports.models import JobStatus, ReportJob, ReportKind
from tests.assessments.helpers import answer_all
from tests.assessments.test_evidence_files import make_pdf, storage_fixture  # noqa: F401
from tests.factories import AssessmentFactory

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = (
    os.environ.get("ZI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
# Debian's Chromium, headless, without the background traffic this machine's network refuses.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM, reason="no Chromium for Playwright"),
    pytest.mark.django_db(transaction=True),
]

# Runs before any page script, outside the page's policy.
LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
  + ` ${e.sample || ''}`));
"""
BAR_RATIOS = """(bars) => bars.map((bar) => ({
  percent: Number(bar.parentElement.getAttribute('aria-valuenow')),
  width: bar.getBoundingClientRect().width,
  ratio: bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width,
}))"""


class Visitor:
    """One signed-in person in a browser context of their own; collects what the policy
    refused (DOM event and console) and script errors, page after page."""

    def __init__(self, context, base_url):
        self.base_url = base_url
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.problems.append(f"console: {message.text}")

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")

    def assert_clean(self):
        """No violation on the current page so far (the DOM list resets on navigation)."""
        found = self.page.evaluate("window.__cspViolations")
        assert found == [] and self.problems == [], (self.page.url, found, self.problems)

    def bars(self, selector):
        return self.page.eval_on_selector_all(selector, BAR_RATIOS)


@pytest.fixture
def visit(live_server, monkeypatch, personas, settings):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.ALLOWED_HOSTS = ["*"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def as_(persona: str) -> Visitor:
            client = Client()  # a session of its own: force_login on a shared one flushes
            client.force_login(personas[persona])
            context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(10_000)
            context.add_init_script(LISTENER)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
            return Visitor(context, live_server.url)

        yield as_
        browser.close()


def answer_partly(assessment, by, unanswered_prefix):
    """Every self-assessment item answered except those whose code starts with the prefix."""
    answer_all(assessment, Layer.SELF, by, through_service=False)
    Answer.objects.filter(
        assessment=assessment, layer=Layer.SELF, question__code__startswith=unanswered_prefix
    ).delete()


def assert_widths_match(bars):
    assert bars, "no progress bar on the page"
    for bar in bars:
        assert abs(bar["ratio"] - bar["percent"] / 100) < 0.02, bar
    assert any(bar["percent"] > 0 and bar["width"] > 0 for bar in bars), bars


def test_operator_worksheet_tabs_answers_and_evidence_raise_no_violation(
    visit, assessment, personas, storage
):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_partly(assessment, personas["operator"], unanswered_prefix="P1.")
    operator = visit("operator")
    page = operator.page

    operator.goto(f"/assessments/{assessment.pk}/worksheet/")
    tabs = operator.bars("#worksheet-tab .progress-tab .progress-bar")
    assert_widths_match(tabs)
    assert 0 < tabs[0]["percent"] < 100  # area 1 is partly answered
    operator.assert_clean()

    # htmx: a radio answer saves itself and swaps the item in; the indicator comes from CSS
    first = page.locator("#worksheet-tab form[hx-post] input[type=radio]").first
    item = page.locator("#worksheet-tab article[id^=q-]").first
    first.check()
    playwright.expect(item).to_contain_text("Tersimpan")
    # htmx: another tab replaces the sheet and pushes the URL
    page.get_by_role("tab", name="Area 2").click()
    page.wait_for_url("**tab=2**")
    playwright.expect(page.get_by_role("tab", name="Area 2")).to_have_attribute(
        "aria-selected", "true"
    )
    assert_widths_match(operator.bars("#worksheet-tab .progress-tab .progress-bar"))
    # Bootstrap: the account dropdown
    page.locator("#mainnav .dropdown-toggle").click()
    playwright.expect(page.locator("#mainnav .dropdown-menu")).to_be_visible()
    operator.assert_clean()

    # the evidence widget: its progress bars are sized from JavaScript (CSSOM, allowed)
    question = Question.objects.filter(version=assessment.period.lke_version).first()
    operator.goto(f"/assessments/{assessment.pk}/evidence/?question={question.pk}")
    page.set_input_files(
        f"#evidence-files-q{question.pk}",
        files=[{"name": "notulen.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}],
    )
    page.click(f"#evidence-panel-q{question.pk} > .card-body > form button[type=submit]")
    page.wait_for_selector(".evidence-list li:has-text('notulen.pdf')")
    page.wait_for_function(  # done: 100 %, once Bootstrap's width transition has run
        """() => [...document.querySelectorAll('.evidence-progress .progress-bar')].some(
          (bar) => bar.getBoundingClientRect().width > 0 && bar.getBoundingClientRect().width
            === bar.parentElement.getBoundingClientRect().width)"""
    )
    operator.assert_clean()


def test_reviewer_queue_shows_progress_without_violation(visit, period, tree, personas):
    waiting = AssessmentFactory(
        period=period, unit=tree.madrasah_a, status=Status.PRELIMINARY_REVIEW
    )
    answer_partly(waiting, personas["admin"], unanswered_prefix="P1.")
    reviewer = visit("reviewer")

    reviewer.goto("/queue/")
    bars = reviewer.bars("table .progress .progress-bar")
    assert_widths_match(bars)
    assert len(bars) == 1 and 0 < bars[0]["percent"] < 100
    reviewer.assert_clean()


def test_admin_dashboard_reports_and_unit_tree_raise_no_violation(
    visit, assessment, personas, tree
):
    answer_partly(assessment, personas["operator"], unanswered_prefix="P1.")
    job = ReportJob.objects.create(
        kind=ReportKind.LHE,
        params={"assessment": assessment.pk},
        requested_by=personas["admin"],
        status=JobStatus.RUNNING,
        progress=40,
    )
    admin = visit("admin")
    page = admin.page

    admin.goto("/dashboard/")
    assert page.locator("svg[role=img]").count() >= 3
    filled = page.eval_on_selector_all(
        "svg rect", "rects => rects.filter(r => r.getBoundingClientRect().width > 0).length"
    )
    assert filled > 0
    admin.assert_clean()

    admin.goto("/reports/")
    admin.assert_clean()
    admin.goto(f"/reports/{job.pk}/")
    assert_widths_match(admin.bars("#job-status .progress-bar"))
    with page.expect_response(lambda r: r.url.endswith(f"/reports/{job.pk}/")):
        pass  # htmx polls the job every 2 s and swaps the status in
    page.wait_for_load_state("networkidle")
    assert_widths_match(admin.bars("#job-status .progress-bar"))
    admin.assert_clean()

    admin.goto("/units/")
    with page.expect_response(lambda r: "/units/?q=" in r.url):
        page.fill("#id_q", "Sleman")  # htmx search as you type
    playwright.expect(page.locator("#unit-rows")).to_contain_text(tree.kankemenag_b.name)
    admin.goto(f"/units/{tree.kanwil_a.code}/")
    admin.assert_clean()

    # The Django admin runs under the same policy.
    admin.goto("/" + settings.ADMIN_URL)
    admin.goto("/" + settings.ADMIN_URL + "units/user/")
    page.locator("#result_list tbody input.action-select").first.check()
    playwright.expect(page.locator(".action-counter")).to_contain_text("1")
    admin.assert_clean()
