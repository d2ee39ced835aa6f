"""The Content Security Policy: every response carries it, without 'unsafe-inline' or
'unsafe-eval', and nothing the portal serves needs either (no style="", <style>, inline
<script>, on*= handlers, javascript: URLs or htmx features that evaluate code)."""

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from reports import certificate, lhe, readiness_export
from surveys import printing, report_export

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

# Rendered only by WeasyPrint into PDFs (reports/lhe.py, reports/readiness.py), never served to
# a browser as HTML, so the policy does not apply: their print CSS stays inline.
PDF_ONLY = {
    "reports/lhe.html": "LHE PDF: print stylesheet in <style> (paged media, running heads)",
    "reports/_lhe_summary.html": "LHE PDF: legend swatches coloured per layer with style=",
    "reports/readiness.html": "national readiness PDF: print stylesheet in <style>",
    "reports/certificate.html": "certificate PDF: print stylesheet in <style>",
    "surveys/report_pdf.html": "survey report PDF: print stylesheet in <style>",
    "surveys/poster_pdf.html": "survey poster PDF: print stylesheet in <style>",
    "surveys/codes_pdf.html": "one-time code slips PDF: print stylesheet in <style>",
}

FORBIDDEN = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "inline <script>": re.compile(r"<script\b(?![^>]*\ssrc\s*=)[^>]*>", re.I),
    "on* event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    # htmx features that evaluate code, refused by htmx-config allowEval=false and the policy
    "hx-on handler": re.compile(r"\s(data-)?hx-on", re.I),
    "hx-vars": re.compile(r"\s(data-)?hx-vars\s*=", re.I),
    "js: expression": re.compile(r"""\s(data-)?hx-(vals|headers)\s*=\s*['"]\s*js:""", re.I),
    "hx-trigger filter": re.compile(r"""\s(data-)?hx-trigger\s*=\s*(['"])[^'"]*\[""", re.I),
}


def parse_policy(header: str) -> dict[str, str]:
    return dict(part.strip().split(None, 1) for part in header.split(";") if part.strip())


def template_roots() -> list[Path]:
    """The project's template directories: TEMPLATES DIRS and the apps' own templates/."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve() / "templates"
        if path.is_dir() and base in path.parents and ".venv" not in path.parts:
            roots.append(path)
    return roots


def html_templates() -> dict[str, str]:
    found = {}
    for root in template_roots():
        for path in sorted([*root.rglob("*.html"), *root.rglob("*.jinja")]):
            found[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return found


COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)


def violations(text: str) -> list[str]:
    """What the policy would block in a template; Django comments are not served."""
    text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return [
        f"{what}: {match.group(0).strip()!r} (line {text.count(chr(10), 0, match.start()) + 1})"
        for what, pattern in FORBIDDEN.items()
        for match in pattern.finditer(text)
    ]


# ------------------------------------------------------------------------- the header


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [("anonymous", "login"), ("operator", "home"), ("admin", "dashboards:home")],
)
def test_pages_carry_the_policy_without_unsafe_keywords(client_for, persona, url_name):
    response = client_for(persona).get(reverse(url_name))
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert parse_policy(header) == EXPECTED
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert "Content-Security-Policy-Report-Only" not in response


def test_django_admin_runs_under_the_same_policy(client_for):
    """No exception for the admin: Django 5.2's admin works without inline code
    (checked in Chromium: changelists, the user form, autocomplete, calendar)."""
    response = client_for("admin").get(reverse("admin:index"))
    assert response.status_code == 200
    assert parse_policy(response["Content-Security-Policy"]) == EXPECTED


def test_htmx_is_configured_to_inject_no_style_and_evaluate_nothing(client):
    html = client.get(reverse("login")).content.decode()
    match = re.search(r"""<meta name="htmx-config" content='([^']*)'>""", html)
    assert match, "base.html must configure htmx"
    config = json.loads(match.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    # the meta tag must come before htmx itself, which reads it once when it loads
    assert match.start() < html.index("vendor/htmx/htmx.min.js")


# ------------------------------------------------------------------------- what is served


def test_templates_contain_nothing_the_policy_blocks():
    templates = html_templates()
    assert "base.html" in templates and "assessments/_worksheet_tab.html" in templates
    assert "jinja2/assessments/card.jinja" in templates
    found = {
        name: problems
        for name, text in templates.items()
        if name not in PDF_ONLY and (problems := violations(text))
    }
    assert found == {}


def test_the_scan_recognises_what_it_forbids():
    blocked = [
        '<div style="width:5%">',
        "<style>p{}</style>",
        "<script>alert(1)</script>",
        '<a href="#" onclick="go()">',
        '<a href="javascript:go()">',
        '<button hx-on:click="go()">',
        "<form hx-vals='js:{\"a\": 1}'>",
        "<input hx-trigger=\"keyup[key=='Enter']\">",
    ]
    allowed = [
        '<script src="/static/x.js" defer></script>',
        '<p class="one">Lesson=1</p>',
        '{# no <style> here #}{% comment %}<a onclick="x">{% endcomment %}',
    ]
    assert all(violations(text) for text in blocked)
    assert not any(violations(text) for text in allowed)


def test_pdf_only_templates_are_used_for_pdfs_only():
    """The allow-list holds the PDF templates and their parts, nothing a browser gets."""
    templates = html_templates()
    pdfs = {
        lhe.TEMPLATE,
        readiness_export.TEMPLATE,
        certificate.TEMPLATE,
        report_export.TEMPLATE,
        printing.POSTER_TEMPLATE,
        printing.CODES_TEMPLATE,
    }
    assert pdfs <= set(PDF_ONLY)
    assert set(PDF_ONLY) <= set(templates)
    pdf_family = pdfs | {
        name for name in templates if name.startswith(("reports/_lhe_", "reports/_doc_"))
    }
    for name in set(PDF_ONLY) - pdf_family:
        pytest.fail(f"{name} is allow-listed but is not part of a PDF")
    reference = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")
    for name, text in templates.items():
        if name in pdf_family:
            continue
        used = set(reference.findall(text)) & pdf_family
        assert not used, f"{name} (served to browsers) uses PDF-only {used}"


def test_python_code_builds_no_html_with_inline_style_or_script():
    base = Path(settings.BASE_DIR)
    tag_with_style = re.compile(r"<[a-zA-Z][^>\n]*\sstyle\s*=|<style\b|\son[a-z]+=\\?[\"']")
    offenders = []
    for app in ("core", "units", "notifications", "areas", "assessments", "reports", "zi_portal"):
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.lstrip().startswith("#") and tag_with_style.search(line):
                    offenders.append(f"{path.relative_to(base)}:{number}: {line.strip()}")
    assert offenders == []


def test_progress_bar_widths_have_a_class_for_every_whole_percent():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    widths = dict(re.findall(r"\.w-pct-(\d+)\s*{\s*width:\s*(\d+)%;?\s*}", css))
    assert widths == {str(n): str(n) for n in range(101)}
