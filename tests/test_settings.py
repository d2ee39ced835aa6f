"""Production settings: refuse to start without a secret key; pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def check_deploy(cache_url: str):
    """`manage.py check --deploy` under production settings, as `make check-deploy` runs it."""
    return _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-secret-for-the-test-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="zi.example.go.id",
        CACHE_URL=cache_url,
    )


def test_check_deploy_reports_no_issues_under_production_settings():
    result = check_deploy("redis://127.0.0.1:6379/1")  # production shares one cache
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
