"""Settings for cx_audit, read from the environment; safe for production by default.

DEBUG is off unless DJANGO_DEBUG=1 says otherwise, and with DEBUG off the service refuses to start
without its own DJANGO_SECRET_KEY. Development sets DJANGO_DEBUG=1 (`make demo` does, and so does
the test suite's tests/settings.py) and then needs nothing else: a SQLite file beside manage.py and
a local-only key. Production (docs/deploy.md) gives a key, its host names, normally PostgreSQL
through DATABASE_URL, and DJANGO_HTTPS=1 behind a TLS proxy.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_positive_int(name: str, default: int) -> int:
    """Read a whole number of at least 1, or fail at startup naming the variable."""
    raw = os.environ.get(name, "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1 (it is {raw!r}).")
    return value


# Off unless asked for: a server started without DJANGO_DEBUG must not show tracebacks and settings
# to anyone who trips an error. Development says DJANGO_DEBUG=1 (make demo, tests/settings.py).
DEBUG = env_bool("DJANGO_DEBUG", False)

# The built-in key signs sessions, password-reset links and share links in development only; with
# DEBUG off it (or no key) stops the start, so a forgotten variable cannot run production on a key
# published in this file. `manage.py check --deploy` also judges the given key's strength.
DEVELOPMENT_SECRET_KEY = "local-development-only-not-secret"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip() or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random secret of your own when DJANGO_DEBUG is off "
        "(production; see docs/deploy.md). For development set DJANGO_DEBUG=1."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# HTTPS: one switch for a site served over TLS (DJANGO_HTTPS=1, docs/deploy.md). It redirects plain
# HTTP, tells browsers to use HTTPS only for a year (HSTS, subdomains too, preload-ready: a
# commitment for the whole domain), and keeps the session and CSRF cookies off plain HTTP. Behind a
# TLS-terminating proxy, Django learns the request was HTTPS from X-Forwarded-Proto, so the proxy
# must set that header itself and overwrite any a client sent.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Always on (Django's defaults, said here so they are not lost): no MIME sniffing, no framing, the
# address of a page not sent to other sites.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, fonts and connections from this site only,
# no inline script or style (the pages keep theirs in static files; a colour from the data is an SVG
# fill attribute, which CSP leaves alone), photos also as data: and blob: URLs (the tablet previews
# its unsent photos from IndexedDB as blob: URLs), the tablet's service worker from here, and no
# page framed by anyone. No page is exempt: the API docs run under it too (cx_audit/core/api_docs.py);
# only DRF's browsable API loses two cosmetic style attributes (button floats).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # hashed, expiring API tokens (cx_audit/core/tokens.py)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",  # the change history (cx_audit/core/history.py, cx_audit/history/)
    "cx_audit",
    "locations",
    "journeys",
    "axes",  # sign-in lockout after repeated wrong passwords (AXES_* below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Hands the request to the change history, so each row names who made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 page (cx_audit/core/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cx_audit.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cx_audit.home.navigation.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "cx_audit.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same SQLite, with its real parameter limit, so bulk writes stay one statement.
    DATABASES["default"]["ENGINE"] = "cx_audit.db.sqlite3"

AUTH_USER_MODEL = "cx_audit.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes) on the login page, the admin and POST /api/auth/token/: after
# LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that pair is refused
# (429) for LOGIN_LOCKOUT_MINUTES, even with the right password; each refused try restarts the wait,
# a success clears the count. Another address, or another username, is not held up.
AUTHENTICATION_BACKENDS = [
    "cx_audit.core.lockout.LockoutBackend",  # first: a locked-out sign-in stops before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_positive_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_positive_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cx_audit.core.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cx_audit.core.throttles.client_ip"
# Behind reverse proxies, how many of them append to X-Forwarded-For (0: trust only REMOTE_ADDR, so a
# client cannot pick its own address to dodge a lockout or a rate limit).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0") or "0")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more.")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
# The project's own translations (the in-store survey speaks Chinese; `manage.py compilemessages`,
# and the compiled .mo is committed so a machine without gettext still serves them).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Evidence photos: larger uploads are refused with a clear message (bytes).
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(12 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


def default_storage(environ: dict[str, str]) -> dict:
    """Uploaded files on the local disk, or in an S3-compatible bucket when S3_BUCKET is set.

    Evidence is always served through a view that checks who may see it, so the bucket stays
    private; credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
    """
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for option, variable in (("endpoint_url", "S3_ENDPOINT_URL"), ("region_name", "S3_REGION")):
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": default_storage(dict(os.environ)),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request is answered 401 with a WWW-Authenticate header.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than any real request (64 levels) is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "cx_audit.core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "cx_audit.core.pagination.StandardPagination",
    # An unknown ?format= is a 400 naming it, not DRF's 404.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "cx_audit.core.negotiation.FormatContentNegotiation",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cx_audit.core.exceptions.exception_handler",
    # Per user: a burst limit and an hourly one, far above a tablet syncing a 72-item audit with its
    # photos (a few hundred requests) or a script paging through every location; per address for
    # anonymous calls. Share links and password resets are limited with the same rates
    # (cx_audit/core/throttles.py). Each rate can be set from the environment: API_RATE_<SCOPE>.
    "DEFAULT_THROTTLE_CLASSES": [
        "cx_audit.core.throttles.AnonThrottle",
        "cx_audit.core.throttles.BurstThrottle",
        "cx_audit.core.throttles.SustainedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        scope: os.environ.get(f"API_RATE_{scope.upper().replace('-', '_')}", rate)
        for scope, rate in {
            "anon": "60/min",
            "burst": "600/min",
            "sustained": "10000/hour",
            "auth": "10/min",  # POST /api/auth/token/, per address
            "login": "30/min",  # the login page's form, per address
            "share": "30/min",  # a share link's page, per address and link
            "share-pdf": "10/min",  # its PDF
            "share-file": "600/min",  # its photos and logo
            "password-reset": "5/hour",  # reset e-mails asked for, per address
            "survey": "60/min",  # the in-store survey's page, per address
            "survey-answer": "20/hour",  # answers sent, per address and survey link
            "survey-location": "360/hour",  # answers stored, per location (60 each 10 minutes, on average)
        }.items()
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

# API tokens (django-rest-knox): only a SHA-512 digest is stored. A token lasts API_TOKEN_TTL_DAYS from
# its last use (a tablet or script idle over a weekend keeps it) and never more than
# API_TOKEN_MAX_DAYS from when it was issued; a user holds at most 10 (an 11th retires the oldest);
# changing or resetting the password ends them all. Header: "Authorization: Token <key>".
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_positive_int("API_TOKEN_TTL_DAYS", 7)),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=env_positive_int("API_TOKEN_MAX_DAYS", 30)),
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTH_HEADER_PREFIX": "Token",
}

# One cache for every process (rate limits count across gunicorn workers): Redis when CACHE_URL is set
# (e.g. redis://127.0.0.1:6379/1), otherwise this process's memory (fine for one process and for tests).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
    if os.environ.get("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# E-mail (password resets): printed to the console unless EMAIL_BACKEND says otherwise, e.g.
# django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD and EMAIL_USE_TLS.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cx_audit <noreply@localhost>")

SPECTACULAR_SETTINGS = {
    "TITLE": "cx_audit API",
    "DESCRIPTION": "Store consistency audits for multi-location brands.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page are for signed-in users (session or API token, the API's own
    # authentication): the map of every endpoint is not for anonymous visitors.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation lists the errors it can answer (cx_audit/core/schema_hooks.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cx_audit.core.schema_hooks.document_errors",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LocationStatusEnum": "locations.models.LocationStatus.choices",
        "FrameworkStatusEnum": "journeys.models.FrameworkStatus.choices",
        "AuditKindEnum": "cx_audit.audits.choices.AuditKind.choices",
        "AnswerKindEnum": "cx_audit.audits.choices.AnswerKind.choices",
        "AuditStatusEnum": "cx_audit.audits.choices.AuditStatus.choices",
        "FeedbackChannelEnum": "cx_audit.voice.choices.FeedbackChannel.choices",
        "TouchpointChannelEnum": "journeys.models.Channel.choices",
        "FeedbackPolarityEnum": "cx_audit.voice.choices.Polarity.choices",
        "PainOrPleasureEnum": "cx_audit.voice.choices.PAIN_OR_PLEASURE",
    },
}

# Geocoding (geopy's Nominatim). Point GEOCODER_DOMAIN at your own Nominatim to avoid the
# public service's 1 request/second limit; the rate limiter honours GEOCODER_MIN_DELAY.
GEOCODER_DOMAIN = os.environ.get("GEOCODER_DOMAIN", "nominatim.openstreetmap.org")
GEOCODER_SCHEME = os.environ.get("GEOCODER_SCHEME", "https")
GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "cx_audit/1.0")
GEOCODER_MIN_DELAY = float(os.environ.get("GEOCODER_MIN_DELAY", "1.0"))
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "5"))  # seconds per request
# No new request once a run (a Celery task, a command) has spent this many seconds; the rest
# stay without coordinates ("pending") and are retried by the next run.
GEOCODER_BUDGET = float(os.environ.get("GEOCODER_BUDGET", "120"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every PDF at INFO, django-axes every successful sign-in; only
    # their problems (for axes: failed sign-ins and lockouts) are worth a line.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "axes")},
}

# Celery (bulk PDF scorecards): a Redis broker and result store; see cx_audit/celery.py.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)  # tests only: run in-process
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_TRACK_STARTED = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a bulk export is long: one at a time per worker process

# Bulk exports (cx_audit/reports/rules.py): a queued or running job with no progress for this many
# minutes is given up as failed (its worker died); a finished ZIP is deleted after this many days
# (`manage.py purge_reports`, and on every new export).
REPORT_JOB_STALE_MINUTES = env_positive_int("REPORT_JOB_STALE_MINUTES", 30)
REPORT_RETENTION_DAYS = env_positive_int("REPORT_RETENTION_DAYS", 7)

# Corrective actions: overdue ones are escalated every hour by `celery -A cx_audit.celery beat`
# (the same as `manage.py escalate_actions`; escalating twice changes nothing).
CELERY_BEAT_SCHEDULE = {
    "escalate-overdue-actions": {"task": "cx_audit.actions_escalate", "schedule": 3600.0},
}
