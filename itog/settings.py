"""Django settings for Itog, read from environment variables.

Every setting has a safe default for the demo (SQLite in ./var, debug off).
Bad values fail loudly at start-up instead of being silently ignored.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DATA_DIR = Path(os.environ.get("ITOG_DATA_DIR") or (Path.cwd() / "var")).resolve()
DEBUG = env_bool("ITOG_DEBUG", False)

# "production" refuses to start without ITOG_SECRET_KEY; "demo" (the default) keeps a generated key in the
# data folder so that every process of one installation signs sessions and CSRF tokens with the same key.
ITOG_ENV = os.environ.get("ITOG_ENV", "demo").strip().lower()
if ITOG_ENV not in ("demo", "production"):
    raise ImproperlyConfigured(f"ITOG_ENV must be demo or production, got {ITOG_ENV!r}")


def demo_secret_key(data_dir: Path) -> str:
    """The demo's key, created once in ``data_dir/secret_key``. A folder that cannot be written fails
    loudly: a key made up per process would break sessions and CSRF at random with several workers."""
    key_file = data_dir / "secret_key"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # made earlier, or by a process starting at the same moment
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(50))
        key = key_file.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"ITOG_SECRET_KEY is not set and the key file {key_file} cannot be created or read ({exc}). "
            "Set ITOG_SECRET_KEY (the same value for every process) or make ITOG_DATA_DIR writable."
        ) from None
    if len(key) < 32:
        raise ImproperlyConfigured(f"The key file {key_file} is empty or damaged: delete it or set ITOG_SECRET_KEY.")
    return key


SECRET_KEY = os.environ.get("ITOG_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if ITOG_ENV == "production":
        raise ImproperlyConfigured(
            "ITOG_ENV=production needs ITOG_SECRET_KEY: a long random value, the same for every web and worker "
            "process (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = demo_secret_key(DATA_DIR)
elif len(SECRET_KEY) < 32 and ITOG_ENV == "production":
    raise ImproperlyConfigured("ITOG_SECRET_KEY is too short for production: use at least 32 random characters.")

ALLOWED_HOSTS = env_list("ITOG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ITOG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # the API docs from its own static files (no CDN; passes the CSP)
    "simple_history",
    "axes",
    "itog.accounts",
    "itog.orgs",
    "itog.people",
    "itog.audit",
    "itog.web",
    "itog.plans",
    "itog.jobs",
    "itog.exams",
    "itog.conduct",
    "itog.api",
    "itog.demo",
    "itog.scan",
    "itog.analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "itog.web.security.SecurityHeadersMiddleware",
    "itog.api.middleware.JsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "itog.web.security.RequestSizeMiddleware",  # before anything reads a body (the CSRF check's process_view)
    "itog.web.security.NulCharacterMiddleware",  # a NUL in a value: 400, never a PostgreSQL error
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "itog.accounts.middleware.LocalTimeZoneMiddleware",
    "itog.web.errors.RefusedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itog.urls"
WSGI_APPLICATION = "itog.wsgi.application"

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
                "itog.web.context.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("ITOG_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'itog.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("ITOG_DB_CONN_MAX_AGE", 60))}
except Exception as exc:  # dj_database_url raises several types for bad URLs
    raise ImproperlyConfigured(f"ITOG_DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("ITOG_DB_JIT", False):
    # PostgreSQL's JIT compiles a region-wide aggregate for 0.15-0.3 s each time (a page's queries are many and
    # short; measured in benchmarks/RESULTS.md): off for the application's connections unless ITOG_DB_JIT=1.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c jit=off").strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "itog.core.throttle.AddressThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttling (django-axes): after N failures for one user name from one
# address the pair is locked for the cool-off time.
# The client address is the proxy-aware one (ITOG_TRUSTED_PROXIES), and the limit per (user, address) drops
# to ITOG_LOGIN_FAILURE_LIMIT_UNDER_ATTACK once the user name has had ITOG_LOGIN_USER_FAILURES_PER_DAY
# failures from all addresses (itog.core.throttle): an attacker who knows a name cannot lock its owner out.
AXES_ENABLED = env_bool("ITOG_LOGIN_THROTTLE", True)
ITOG_LOGIN_FAILURE_LIMIT = env_int("ITOG_LOGIN_FAILURE_LIMIT", 5)
ITOG_LOGIN_FAILURE_LIMIT_UNDER_ATTACK = env_int("ITOG_LOGIN_FAILURE_LIMIT_UNDER_ATTACK", 2)
ITOG_LOGIN_USER_FAILURES_PER_DAY = env_int("ITOG_LOGIN_USER_FAILURES_PER_DAY", 50)
ITOG_LOGIN_ADDRESS_FAILURES_PER_HOUR = env_int("ITOG_LOGIN_ADDRESS_FAILURES_PER_HOUR", 100)
AXES_FAILURE_LIMIT = "itog.core.throttle.login_failure_limit"
AXES_CLIENT_IP_CALLABLE = "itog.core.netaddr.client_ip"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ITOG_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("ITOG_TIME_ZONE", "Europe/Moscow")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"ITOG_TIME_ZONE is not a known time zone: {TIME_ZONE!r}") from None
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("ITOG_STATIC_ROOT") or (DATA_DIR / "static"))
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:
    pass
MEDIA_ROOT = Path(os.environ.get("ITOG_MEDIA_ROOT") or (DATA_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders when collectstatic has not been run
# (demo, tests); `itog serve` collects into STATIC_ROOT first.
WHITENOISE_USE_FINDERS = True

# Uploads: the largest import file accepted, in megabytes.
ITOG_MAX_UPLOAD_MB = env_int("ITOG_MAX_UPLOAD_MB", 20)
# Audio recordings of oral answers (the interview): one participant's 15–45 minutes as WAV stays under 100 MB.
ITOG_MAX_AUDIO_MB = env_int("ITOG_MAX_AUDIO_MB", 100)
# Decode uploaded audio in a child process (a file that crashes the C decoder is refused, not fatal to the web
# worker). Costs a process start per upload; turn off only where uploads are trusted.
ITOG_AUDIO_ISOLATED = env_bool("ITOG_AUDIO_ISOLATED", True)
# Scans: refused before decoding when a page has more pixels (A4 at 600 dpi is 35 million) or a file more
# pages than this. Read from the environment by itog.scan.inputs itself (its worker processes have no Django).
ITOG_SCAN_MAX_PIXELS = env_int("ITOG_SCAN_MAX_PIXELS", 40_000_000)
ITOG_SCAN_MAX_PAGES = env_int("ITOG_SCAN_MAX_PAGES", 500)
# The scanner profile (thresholds fitted by `itog scan calibrate`) the batch job's recognition uses; "" = defaults.
ITOG_SCAN_PROFILE = os.environ.get("ITOG_SCAN_PROFILE", "")
# Bounds on uploaded XLSX/DOCX checked before any parser opens them (itog/core/limits.py).
ITOG_UPLOAD_MAX_MEMBERS = env_int("ITOG_UPLOAD_MAX_MEMBERS", 2000)
ITOG_UPLOAD_MAX_UNCOMPRESSED_MB = env_int("ITOG_UPLOAD_MAX_UNCOMPRESSED_MB", 300)
ITOG_UPLOAD_MAX_RATIO = env_int("ITOG_UPLOAD_MAX_RATIO", 200)
ITOG_UPLOAD_XLSX_MAX_COLUMNS = env_int("ITOG_UPLOAD_XLSX_MAX_COLUMNS", 256)
ITOG_UPLOAD_XLSX_MAX_ROWS = env_int("ITOG_UPLOAD_XLSX_MAX_ROWS", 1_048_576)
ITOG_UPLOAD_DOCX_MAX_XML_MB = env_int("ITOG_UPLOAD_DOCX_MAX_XML_MB", 40)
ITOG_UPLOAD_PLAN_MAX_ROWS = env_int("ITOG_UPLOAD_PLAN_MAX_ROWS", 20_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The body of one request (itog.web.security.RequestSizeMiddleware, 413 above it): a signed-in user's largest is
# a batch of scans; a visitor without a session sends only the log-in and results-lookup forms.
ITOG_MAX_REQUEST_MB = env_int("ITOG_MAX_REQUEST_MB", 1024)
ITOG_MAX_ANONYMOUS_REQUEST_KB = env_int("ITOG_MAX_ANONYMOUS_REQUEST_KB", 64)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("ITOG_SESSION_HOURS", 12) * 3600
# ITOG_TLS=1: the site is reached over HTTPS (directly or through a TLS proxy): cookies only over HTTPS and
# HSTS. ITOG_SECURE_COOKIES (older name) still switches the cookies alone.
ITOG_TLS = env_bool("ITOG_TLS", False)
SESSION_COOKIE_SECURE = env_bool("ITOG_SECURE_COOKIES", ITOG_TLS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("ITOG_HSTS_SECONDS", 31_536_000) if ITOG_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ITOG_HSTS_SUBDOMAINS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("ITOG_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (itog/web/security.py): only the site's own scripts and styles, no inline code.
# ITOG_CSP_REPORT_ONLY=1 reports violations to the browser console instead of blocking (for trying out).
ITOG_CSP_REPORT_ONLY = env_bool("ITOG_CSP_REPORT_ONLY", False)

# API tokens and calendar feed links: the default and the longest validity, in days (issue 15).
ITOG_TOKEN_DAYS = env_int("ITOG_TOKEN_DAYS", 90)
ITOG_TOKEN_MAX_DAYS = env_int("ITOG_TOKEN_MAX_DAYS", 365)

EMAIL_BACKEND = os.environ.get("ITOG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("ITOG_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ITOG_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("ITOG_EMAIL_FROM", "itog@localhost")

# Redis: the job broker, the shared rate-limit counters and the cache of every web and worker process.
# Unset → the embedded defaults of the demo: jobs in a thread of the web process, counters and cache in
# the process's memory (with several web workers each counts on its own).
ITOG_REDIS_URL = os.environ.get("ITOG_REDIS_URL", "")
if ITOG_REDIS_URL and not ITOG_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"ITOG_REDIS_URL must be a redis:// URL, got {ITOG_REDIS_URL!r}")
if ITOG_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ITOG_REDIS_URL,
            "KEY_PREFIX": "itog",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Long jobs (itog.jobs): "celery" (production: Celery workers, Redis broker), "thread" (a thread of the
# web process, the demo) or "sync" (inside the request; tests). Default: celery when Redis is configured.
ITOG_JOB_BACKEND = os.environ.get("ITOG_JOB_BACKEND") or ("celery" if ITOG_REDIS_URL else "thread")
if ITOG_JOB_BACKEND == "db":
    raise ImproperlyConfigured("ITOG_JOB_BACKEND=db was removed: set ITOG_REDIS_URL and run 'itog worker' (Celery)")
if ITOG_JOB_BACKEND not in ("celery", "thread", "sync"):
    raise ImproperlyConfigured(f"ITOG_JOB_BACKEND must be celery, thread or sync, got {ITOG_JOB_BACKEND!r}")
if ITOG_JOB_BACKEND == "celery" and not (ITOG_REDIS_URL or os.environ.get("ITOG_CELERY_BROKER_URL")):
    raise ImproperlyConfigured("ITOG_JOB_BACKEND=celery needs ITOG_REDIS_URL (or ITOG_CELERY_BROKER_URL)")
# A job's lease: the worker running it renews it every third of this; a lease not renewed for this long
# means the worker died, and the next worker takes the job over.
ITOG_JOB_LEASE_SECONDS = env_int("ITOG_JOB_LEASE_SECONDS", 60)
ITOG_JOB_MAX_ATTEMPTS = env_int("ITOG_JOB_MAX_ATTEMPTS", 5)
ITOG_SCAN_CHUNK_PAGES = env_int("ITOG_SCAN_CHUNK_PAGES", 8)  # pages per Celery task of a scan batch
CELERY_BROKER_URL = os.environ.get("ITOG_CELERY_BROKER_URL") or ITOG_REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None  # progress and results live on the Job row
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_DISABLE_PREFETCH = True  # a worker takes a task only when a process is free (fair fan-out)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "itog"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged message (its worker died) is delivered again after this; the job lease usually
    # takes the work over sooner. Longer than any single task (a chunk of pages, one print job).
    "visibility_timeout": env_int("ITOG_CELERY_VISIBILITY_TIMEOUT", 3 * 3600),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Moscow"
CELERY_BEAT_SCHEDULE = {
    "take-over-dead-jobs": {"task": "itog.jobs.reclaim", "schedule": max(ITOG_JOB_LEASE_SECONDS // 2, 5)},
    "plan-reminders": {
        "task": "itog.jobs.command",
        "schedule": env_int("ITOG_REMINDERS_EVERY_MINUTES", 60) * 60,
        "args": ["plan", ["remind"]],
    },
    "retention-reminders": {"task": "itog.jobs.command", "schedule": 24 * 3600, "args": ["retention", ["remind"]]},
    # I8 (A41): personal data обезличены when the sessions' keeping period has ended
    "retention-purge-personal-data": {
        "task": "itog.jobs.command",
        "schedule": 24 * 3600,
        "args": ["retention", ["purge-personal-data"]],
    },
}

# Trusted reverse proxies (comma-separated addresses or CIDRs): only a request arriving from one of them
# has its client address taken from X-Forwarded-For (the rightmost address not itself a trusted proxy).
ITOG_TRUSTED_PROXIES = env_list("ITOG_TRUSTED_PROXIES", [])

# Counters of the public results lookup's rate limits: in Redis (atomic, shared by every web process and
# machine) when ITOG_REDIS_URL is set, else in this process's memory (itog.core.ratelimit).
ITOG_LOOKUP_PER_IP_PER_HOUR = env_int("ITOG_LOOKUP_PER_IP_PER_HOUR", 600)  # schools share one address
ITOG_LOOKUP_FAILURES_PER_CODE = env_int("ITOG_LOOKUP_FAILURES_PER_CODE", 10)  # per (code, address) a day
ITOG_LOOKUP_CODE_FAILURES_ALERT = env_int("ITOG_LOOKUP_CODE_FAILURES_ALERT", 50)  # a code under attack (a day)
ITOG_LOOKUP_FAILURES_PER_CODE_UNDER_ATTACK = env_int("ITOG_LOOKUP_FAILURES_PER_CODE_UNDER_ATTACK", 3)
# L5: originals, audio and report forms are kept «до 1 марта учебного года, следующего за годом
# написания»: "next_academic_year" (default, the longer keeping) or "same_academic_year".
ITOG_ORIGINALS_KEPT_UNTIL = os.environ.get("ITOG_ORIGINALS_KEPT_UNTIL", "next_academic_year")
if ITOG_ORIGINALS_KEPT_UNTIL not in ("next_academic_year", "same_academic_year"):
    raise ImproperlyConfigured("ITOG_ORIGINALS_KEPT_UNTIL must be next_academic_year or same_academic_year")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ITOG_LOG_LEVEL", "WARNING")},
}
