"""Test settings: production settings (debug off) with only what tests need changed."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_LOG_FORMAT", "text")  # readable in a failing test's output

from zi_portal.settings import *  # noqa: E402,F403
from zi_portal.settings import STORAGES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-private")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests sign people in with force_login; the second factor's own tests turn this on.
ZI_REQUIRE_SECOND_FACTOR = False
# A sync in a test reads what the test has just written.
ZI_API_SYNC_LAG_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A file-based SQLite test database, so that a real Celery worker process (tests marked
# `worker`) can read the rows a test wrote; pytest-django suffixes it per xdist worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-zi_portal.sqlite3")}  # noqa: F405

# Tests never share a broker with a `make run` worker on the same machine.
if "CELERY_BROKER_URL" not in os.environ:
    CELERY_BROKER_URL = f"sqla+sqlite:///{VAR_DIR / 'test-celery-broker.sqlite3'}"
    CELERY_RESULT_BACKEND = f"db+sqlite:///{VAR_DIR / 'test-celery-results.sqlite3'}"

# With a Redis cache (CI: as production), each xdist worker gets a database of its own: the tests
# clear the cache between tests, which must not reset another worker's rate-limit counters.
if CACHES["default"]["BACKEND"] == "core.cache.RedisCache":  # noqa: F405
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    _base, _, _db = CACHES["default"]["LOCATION"].rpartition("/")  # noqa: F405
    CACHES["default"]["LOCATION"] = f"{_base}/{int(_db or 0) + int(_worker or 0)}"  # noqa: F405
