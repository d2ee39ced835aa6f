"""ZI Portal settings: one file, every deployment-specific value from the environment.

Defaults run locally (SQLite and a server-less Celery broker under var/); production
(DJANGO_DEBUG off) refuses to start without a secret key.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ZI_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The bench's floor (bench/national.py): two signed-in pages that do nothing but pass the
# middleware (`/bench/floor/ok/`) and render the layout (`/bench/floor/layout/`). Off by default.
ZI_BENCH_FLOOR = env.bool("ZI_BENCH_FLOOR", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "simple_history",
    "auditlog",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "units",
    "notifications",
    "areas",
    "assessments",
    "reports",
    "surveys",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # Request counts and latency by view (django-prometheus, core/metrics.py): first and last.
    "core.metrics_middleware.PrometheusBeforeMiddleware",
    # The request id, the access log line (core/logs.py): before anything can answer.
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow links (a worksheet tab: about 80 KB → 10 KB); a proxy that
    # compresses itself can take over with ZI_GZIP_HTML=0. CSRF tokens are masked per response,
    # so compression does not leak them (BREACH).
    *(["core.middleware.PageGZipMiddleware"] if env.bool("ZI_GZIP_HTML", default=True) else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.BoundaryTextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "units.middleware.IdleSessionMiddleware",
    "units.sessions.SessionIndexMiddleware",  # the "Sesi aktif" page's index
    # A session without its second factor reaches only that page (units/second_factor.py).
    "units.middleware.SecondFactorMiddleware",
    "api.middleware.ApiNoStoreMiddleware",
    "core.middleware.AccountWriteLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.AuditlogMiddleware",
    # A domain error no view handled: 403 when forbidden, else its message (core/errors.py).
    "core.middleware.DomainErrorMiddleware",
    "core.metrics_middleware.PrometheusAfterMiddleware",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zi_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "units.context_processors.navigation",
                "notifications.context_processors.notifications",
            ],
        },
    },
    {
        # The worksheet's item card only (core/jinja.py, issue 16): rendered once per item.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja.environment"},
    },
]

WSGI_APPLICATION = "zi_portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'zi_portal.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (production sets DJANGO_CONN_MAX_AGE, docker-compose.yml): opening a
# PostgreSQL connection per request cost more than a light page itself (bench/national.py).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)  # a dropped connection is reopened
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that drops packets fails a new connection in seconds, not minutes
    # (/healthz and every request).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the Celery worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "units.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the user's memberships with the row, in one query (units/backends.py);
    # never from a cache.
    "units.backends.MembershipsBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # ASVS 2.1.1
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Indonesian and Kemenag obvious choices (kemenag2026!, b1sm1llah123) and the person's own
    # e-mail, NIP and units, from a list shipped with the portal (scripts/build_password_list.py).
    {"NAME": "units.passwords.BreachedPasswordValidator"},
]

# Second factor (units/second_factor.py): TOTP required of Admin nasional, TPN and TPI when on;
# optional for everyone else. django-otp's OTPMiddleware is not installed: it would read the
# device on every page, and the portal keeps the session's state in the session instead.
ZI_REQUIRE_SECOND_FACTOR = env.bool("ZI_REQUIRE_SECOND_FACTOR", default=True)
OTP_TOTP_ISSUER = "ZI Portal Kemenag"

# --- Directory sign-in (LDAP / Active Directory), issue 20 part 2 -------------------------------
# units/ldap.py (DirectoryBackend, django-auth-ldap); README "Masuk dengan direktori". Off unless
# ZI_LDAP_SERVER_URI is set. The login form's e-mail (or NIP) and password are tried against the
# local password first (so local accounts never wait for the directory), then the directory: one
# entry found with ZI_LDAP_USER_FILTER, bound with the typed password, matched to a portal account
# by NIP then e-mail. Roles never come from the directory; its password is never stored. Axes
# (first in AUTHENTICATION_BACKENDS) counts a directory failure like any other.
ZI_LDAP_SERVER_URI = env.str("ZI_LDAP_SERVER_URI", default="")  # ldap://, ldaps://
ZI_LDAP_BIND_DN = env.str("ZI_LDAP_BIND_DN", default="")  # a read-only search account
ZI_LDAP_BIND_PASSWORD = env.str("ZI_LDAP_BIND_PASSWORD", default="")
ZI_LDAP_USER_SEARCH_BASE = env.str("ZI_LDAP_USER_SEARCH_BASE", default="")
# %(user)s is what was typed (escaped); Active Directory: (|(userPrincipalName=%(user)s)(mail=...)).
ZI_LDAP_USER_FILTER = env.str(
    "ZI_LDAP_USER_FILTER", default="(|(mail=%(user)s)(employeeNumber=%(user)s))"
)
ZI_LDAP_START_TLS = env.bool("ZI_LDAP_START_TLS", default=False)
ZI_LDAP_CA_FILE = env.str("ZI_LDAP_CA_FILE", default="")  # the directory's CA (ldaps/StartTLS)
ZI_LDAP_NIP_ATTR = env.str("ZI_LDAP_NIP_ATTR", default="employeeNumber")
ZI_LDAP_EMAIL_ATTR = env.str("ZI_LDAP_EMAIL_ATTR", default="mail")
ZI_LDAP_NAME_ATTR = env.str("ZI_LDAP_NAME_ATTR", default="cn")  # accounts it creates
ZI_LDAP_CREATE_USERS = env.bool("ZI_LDAP_CREATE_USERS", default=False)  # role-less accounts
ZI_LDAP_TIMEOUT = env.float("ZI_LDAP_TIMEOUT", default=5)  # seconds: connect, and each operation
# Last: inert while ZI_LDAP_SERVER_URI is empty; listed always, so a session it signed in keeps
# loading (with its memberships) if the setting is changed.
AUTHENTICATION_BACKENDS += ["units.ldap.DirectoryBackend"]
# --- end of directory sign-in -------------------------------------------------------------------

# --- Sign-in with SSO Kemenag (OpenID Connect, issue 20; units/oidc.py, README) ----------
# mozilla-django-oidc as the relying party, on when ZI_OIDC_CLIENT_ID is set. Endpoints are
# given explicitly (no discovery fetched at startup: a provider that is down must not stop the
# portal from starting). Roles never come from the provider.
OIDC_RP_CLIENT_ID = env.str("ZI_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("ZI_OIDC_CLIENT_SECRET", default="")
ZI_OIDC_ISSUER = env.str("ZI_OIDC_ISSUER", default="").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("ZI_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("ZI_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("ZI_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("ZI_OIDC_JWKS_ENDPOINT", default="")
ZI_OIDC_END_SESSION_ENDPOINT = env.str("ZI_OIDC_END_SESSION_ENDPOINT", default="")
OIDC_RP_SCOPES = env.str("ZI_OIDC_SCOPES", default="openid email profile")
ZI_OIDC_NIP_CLAIM = env.str("ZI_OIDC_NIP_CLAIM", default="nip")
ZI_OIDC_CREATE_USERS = env.bool("ZI_OIDC_CREATE_USERS", default=False)
ZI_OIDC_TRUST_AMR = env.bool("ZI_OIDC_TRUST_AMR", default=False)
OIDC_CREATE_USER = ZI_OIDC_CREATE_USERS
OIDC_RP_SIGN_ALGO = "RS256"  # ID tokens signed by the provider's key, read from its JWKS
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's logout
OIDC_TIMEOUT = env.int("ZI_OIDC_TIMEOUT", default=10)  # seconds per call to the provider
if OIDC_RP_CLIENT_ID:
    _missing = [
        name
        for name, value in {
            "ZI_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "ZI_OIDC_ISSUER": ZI_OIDC_ISSUER,
            "ZI_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "ZI_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "ZI_OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
            "ZI_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
        }.items()
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(f"ZI_OIDC_CLIENT_ID is set; also set {', '.join(_missing)}.")
    if "openid" not in OIDC_RP_SCOPES.split():
        # Without it the provider sends no ID token: every sign-in would fail.
        raise ImproperlyConfigured("ZI_OIDC_SCOPES must include openid.")
# Always listed (it declines when ZI_OIDC_CLIENT_ID is empty), so a session it began stays
# valid and its get_user reads memberships as MembershipsBackend does.
AUTHENTICATION_BACKENDS += ["units.oidc.PortalOIDCBackend"]
AXES_WHITELIST_CALLABLE = "units.oidc.axes_exempt"  # SSO refusals are not password guesses
# --- end of SSO ------------------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 8 hours without activity, and 12 hours after login whatever the activity
# (ASVS 3.3.2): a forgotten login on a shared office PC does not last past the day.
SESSION_COOKIE_AGE = 8 * 60 * 60
ZI_SESSION_MAX_SECONDS = env.int("ZI_SESSION_MAX_SECONDS", default=12 * 60 * 60)
# Expiry is refreshed on activity by units.middleware.IdleSessionMiddleware.

# django-axes: 5 failures per (username, IP) lock the pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# One key per account: case, spaces and the NIP typed instead of the e-mail all count together.
AXES_USERNAME_CALLABLE = "units.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Rate limits on the public endpoints (core/ratelimits.py): counted in the default cache,
# which production must share between workers (Redis; `check --deploy` warns otherwise).
# ZI_RATELIMIT_ENABLE=0 turns them off for load tests only. If the cache is down they fail
# open, so the login page stays up; the axes lockout above is kept in the database.
RATELIMIT_ENABLE = env.bool("ZI_RATELIMIT_ENABLE", default=True)
RATELIMIT_USE_CACHE = "default"
# Per signed-in account, on writes (core/ratelimits.py says why these numbers).
ZI_ACCOUNT_WRITE_RATE = env.str("ZI_ACCOUNT_WRITE_RATE", default="300/m")
ZI_REPORT_REQUEST_RATE = env.str("ZI_REPORT_REQUEST_RATE", default="10/m")
ZI_UPLOAD_RATE = env.str("ZI_UPLOAD_RATE", default="60/m")
RATELIMIT_FAIL_OPEN = True
# The client's address for axes and the rate limits: with DJANGO_PROXY_COUNT proxies in front,
# the entry they appended to X-Forwarded-For (django-ipware is not installed, so axes' own
# AXES_IPWARE_* settings would have no effect and every client would share the proxy's address).
ZI_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)
# ...and X-Forwarded-For is believed only from these addresses or networks (the proxies).
ZI_TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "core.ratelimits.client_ip"
RATELIMIT_IP_META_KEY = "core.ratelimits.client_ip"

# /api/v1/ (api/): personal tokens and service accounts, or the browser's session; one page of
# a list at a time in a stable order; requests per token and minute (ZI_API_RATE).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.SignedIn"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StablePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.TokenRateThrottle",
        "api.throttling.AccountRateThrottle",
        "api.throttling.AccountWriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("ZI_API_RATE", default="600/min"),
        "account": env.str("ZI_API_ACCOUNT_RATE", default="1200/min"),
        "account_write": ZI_ACCOUNT_WRITE_RATE,
    },
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# A row changed this many seconds before a sync read may still be committing: `updated_since`
# pages stop that far back, so the next sync, starting from `sync_until`, still sees it.
ZI_API_SYNC_LAG_SECONDS = env.int("ZI_API_SYNC_LAG_SECONDS", default=2)
SPECTACULAR_SETTINGS = {
    "TITLE": "ZI Portal API",
    "DESCRIPTION": (
        "Read the Zona Integritas portal's units, periods, assessments, answers, evidence "
        "metadata, awards and readiness, and save worksheet answers, within the caller's scope."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.SignedIn"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Audit log (django-auditlog) of what administrators change: people and their roles, the unit
# tree, the LKE instrument, periods, upload policy and predicate awards. The actor and IP come
# from auditlog's middleware; Admin nasional reads the log at /audit/. Bulk operations that
# bypass model signals (period opening, unit import) write one summary entry themselves.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "units.User", "exclude_fields": ["password", "last_login"]},
    "units.Membership",
    {"model": "units.Unit", "exclude_fields": ["path", "depth"]},
    "areas.LkeVersion",
    "areas.Area",
    "areas.Indicator",
    "areas.Question",
    "areas.Option",
    "areas.EvidenceRequirement",
    "areas.PredicateRule",
    "assessments.Period",
    "assessments.EvidencePolicy",
    "assessments.PredicateAward",
)
AUDITLOG_STORE_JSON_CHANGES = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("ZI_STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Private: never served under a public URL; downloads go through authorised views.
        "OPTIONS": {"location": env.str("ZI_PRIVATE_STORAGE", default=str(VAR_DIR / "private"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]

# Object storage (S3 or MinIO) for private files when ZI_S3_BUCKET is set: downloads are then
# short-lived signed URLs handed out after the same permission checks.
ZI_S3_BUCKET = env.str("ZI_S3_BUCKET", default="")
ZI_S3_URL_SECONDS = env.int("ZI_S3_URL_SECONDS", default=300)
if ZI_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ZI_S3_BUCKET,
            "endpoint_url": env.str("ZI_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("ZI_S3_REGION", default="") or None,
            "access_key": env.str("ZI_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("ZI_S3_SECRET_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": ZI_S3_URL_SECONDS,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="kelola-django/")
# Absolute base of links in e-mails (e.g. https://zi.kemenag.go.id); empty = first allowed host.
PORTAL_BASE_URL = env.str("ZI_PORTAL_BASE_URL", default="")

# A shared cache matters in production (several workers): the e-mail "send once" guard and
# rate limits live there. Locally a per-process memory cache is enough.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"  # one client per pool
# Sessions are read from the cache (one database query less per page) and written through to
# the database, so a cache flush signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Dashboard figures (aggregates over every answer in scope) are kept this long; 0 = always fresh.

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="ZI Portal <noreply@zi.kemenag.go.id>"
)

# Celery. The default broker is SQLAlchemy-on-SQLite (kombu's "sqla" transport): it needs no
# server, survives restarts and is safe with a real worker process; see README.
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=(
        CELERY_BROKER_URL
        if CELERY_BROKER_URL.startswith("redis")
        else f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
    ),
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that hands a message to a broker that is down gives up within a few seconds
# (the job row stays and the outbox sweep sends it later; reports.services), instead of the
# 19 s of kombu's defaults that ended in a 500.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5,
}  # fmt: skip
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):  # the SQLAlchemy broker has none
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 2,
        # A message taken by a worker that died before acknowledging it (acks_late) goes back
        # to its queue after this many seconds (kombu's Redis default, one hour). The drill
        # (bench/drill.py) sets 20 to see the re-delivery within its run; a task running longer
        # than this is delivered a second time, which a report job survives (reports.worker
        # claims a job once).
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # Workers look for such messages every 10 s (kombu's default scans only every 10th
        # time, so 100 s); one small Redis query each time.
        "unacked_restore_throttle": 1,
    }
CELERY_TIMEZONE = TIME_ZONE
ZI_REPORT_FAULT_DELAY = env.float("ZI_REPORT_FAULT_DELAY", default=0)  # tests only
# A running report job whose heartbeat is older than this is taken to be stuck (its worker
# died): a re-delivered message may claim it, and beat's sweep re-queues it (reports.worker).
ZI_REPORT_STUCK_SECONDS = env.int("ZI_REPORT_STUCK_SECONDS", default=300)
CELERY_TASK_ROUTES = {"reports.run_report": {"queue": "reports"}}
# A worker process is replaced once it grew past 400 MB (WeasyPrint on large reports).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)

# Production hardening: on whenever debug is off. TLS terminates at the proxy, which sets
# X-Forwarded-Proto; `check --deploy` is part of CI.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Probes and Prometheus reach each node directly, over the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix makes the browser refuse these cookies unless Secure, with path "/"
    # and no Domain: a sibling subdomain (or a plain-http page) cannot plant or overwrite them.
    # Local development over http keeps Django's plain names (the prefix needs Secure).
    SESSION_COOKIE_NAME = "__Host-zi_session"
    CSRF_COOKIE_NAME = "__Host-zi_csrf"
    SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
    SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp), in debug too so a violation shows up during development.
# Everything is served by the app itself (vendored Bootstrap and htmx, no CDN), so 'self' is
# enough; no 'unsafe-inline' and no 'unsafe-eval': templates carry no style="", <style>, inline
# <script> or on*= handlers (tests/test_csp.py scans them), charts colour SVG with presentation
# attributes, progress bars use the .w-pct-N classes of static/css/portal.css, and htmx runs
# with allowEval off (meta htmx-config in base.html). data: images are Bootstrap's own SVG icons
# in its CSS (select arrows, navbar toggler). No report-uri: a report endpoint would be one more
# public, unauthenticated URL to rate-limit; violations are caught by tests/e2e/test_csp_browser.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# SSO: Keluar's form is answered with a redirect to the provider's logout (units/views_oidc.py),
# and browsers hold that redirect to form-action too.
if ZI_OIDC_END_SESSION_ENDPOINT:
    _end_session = urlsplit(ZI_OIDC_END_SESSION_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_end_session.scheme}://{_end_session.netloc}"
    )

# Logs (core/logs.py): one JSON object per line on stdout in production, readable text under
# DEBUG (`make run`) and in tests; every request writes one access line with its id.
ZI_LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json")
if ZI_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be json or text.")
LOGGING = logging_config(
    log_format=ZI_LOG_FORMAT, level=env.str("DJANGO_LOG_LEVEL", default="INFO")
)

# Prometheus metrics (core/metrics.py) at /metrics, closed to the public: readable with
# `Authorization: Bearer <ZI_METRICS_TOKEN>` or from an address in ZI_METRICS_ALLOW (CIDRs);
# without a token everyone gets 404. A Celery worker node serves its own on
# ZI_METRICS_WORKER_PORT (0: none).
ZI_METRICS_TOKEN = env.str("ZI_METRICS_TOKEN", default="")
ZI_METRICS_ALLOW = env.list("ZI_METRICS_ALLOW", default=[])
ZI_METRICS_WORKER_PORT = env.int("ZI_METRICS_WORKER_PORT", default=0)
ZI_METRICS_WORKER_BIND = env.str("ZI_METRICS_WORKER_BIND", default="0.0.0.0")  # noqa: S104
# Several processes (gunicorn workers, a prefork pool) write their samples there; the first
# metric written in a process needs the directory (a tmpfs in docker-compose.yml).
if env.str("PROMETHEUS_MULTIPROC_DIR", default=""):
    Path(env.str("PROMETHEUS_MULTIPROC_DIR")).mkdir(parents=True, exist_ok=True)
