"""X-Forwarded-For is believed only from the portal's own proxies, and a request that bypassed
them is reported. Finding 9 of the attack pass: with DJANGO_PROXY_COUNT=1 and gunicorn reached
directly, each guess with a new X-Forwarded-For defeated the lockout; `make audit` audited 0 of
98 packages and said so only in passing."""

import importlib.util
import json
import logging
from pathlib import Path

import pytest
from django.core import checks
from django.urls import reverse

from core import ratelimits
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def behind_one_proxy(settings):
    settings.ZI_PROXY_COUNT = 1
    settings.ZI_TRUSTED_PROXIES = ["10.0.0.1"]
    ratelimits._bypass_warned.clear()
    yield
    ratelimits._bypass_warned.clear()


def _login(client, password, **extra):
    data = {"username": "operator.a@example.id", "password": password}
    return client.post(reverse("login"), data, **extra)


def test_a_client_reaching_gunicorn_directly_cannot_choose_its_address(
    client, personas, behind_one_proxy
):
    direct = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(5):
        _login(client, "salah", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}", **direct)
    locked = _login(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77", **direct)
    assert locked.status_code == 429 and "dikunci" in locked.content.decode()


def test_the_bypass_is_logged_once(client, personas, behind_one_proxy, caplog):
    with caplog.at_level(logging.WARNING, logger="core.ratelimits"):
        for _ in range(3):
            _login(client, "salah", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    warnings = [r for r in caplog.records if "DJANGO_TRUSTED_PROXIES" in r.getMessage()]
    assert len(warnings) == 1 and "203.0.113.9" in warnings[0].getMessage()


def test_a_request_from_the_proxy_without_its_header_is_logged(
    client, personas, behind_one_proxy, caplog
):
    with caplog.at_level(logging.WARNING, logger="core.ratelimits"):
        _login(client, "salah", REMOTE_ADDR="10.0.0.1")
    assert any("no X-Forwarded-For" in r.getMessage() for r in caplog.records)


def test_deploy_check_warns_when_every_address_is_trusted(settings):
    settings.ZI_PROXY_COUNT = 1
    settings.ZI_TRUSTED_PROXIES = ["0.0.0.0/0"]
    ids = [m.id for m in ratelimits.check_trusted_proxies(None)]
    assert ids == ["zi_portal.W002"]
    settings.ZI_TRUSTED_PROXIES = ["10.0.0.5"]
    assert ratelimits.check_trusted_proxies(None) == []
    settings.ZI_TRUSTED_PROXIES = ["not-an-address"]
    assert [m.level for m in ratelimits.check_trusted_proxies(None)] == [checks.ERROR]


def _audit_module():
    spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts/audit_dependencies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_audit_that_audited_nothing_says_so_plainly(monkeypatch, capsys):
    audit = _audit_module()
    report = {"dependencies": [{"name": "django", "version": "5.2", "skip_reason": "offline"}]}
    completed = type("R", (), {"returncode": 0, "stdout": json.dumps(report), "stderr": ""})
    monkeypatch.setattr(audit.subprocess, "run", lambda *a, **k: completed)
    monkeypatch.delenv("ZI_AUDIT_STRICT", raising=False)
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "NOTHING WAS AUDITED" in out and "0 of 1 packages" in out
    monkeypatch.setenv("ZI_AUDIT_STRICT", "1")
    assert audit.main() == 1
