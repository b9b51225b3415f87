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

SECRET_KEY = os.environ.get("ITOG_SECRET_KEY", "")
if not SECRET_KEY:
    # The demo needs no configuration: keep a generated key in the data dir so
    # sessions survive restarts. Production sets ITOG_SECRET_KEY.
    key_file = DATA_DIR / "secret_key"
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text().strip()
    except OSError:
        SECRET_KEY = secrets.token_urlsafe(50)

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
    "ninja",  # serves the Swagger UI / Redoc assets of /api/v1/docs from its package (no CDN, works offline)
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "itog.accounts.middleware.LocalTimeZoneMiddleware",
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
AXES_ENABLED = env_bool("ITOG_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = env_int("ITOG_LOGIN_FAILURE_LIMIT", 5)
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("ITOG_SESSION_HOURS", 12) * 3600
SESSION_COOKIE_SECURE = env_bool("ITOG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("ITOG_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("ITOG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("ITOG_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ITOG_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("ITOG_EMAIL_FROM", "itog@localhost")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Counters of the public results lookup's rate limits. The default (memory) counts per worker
# process: with N gunicorn workers a limit is effectively N times higher. Set ITOG_RATELIMIT_DIR to a
# directory shared by the workers (file cache) to count once per host.
_ratelimit_dir = os.environ.get("ITOG_RATELIMIT_DIR", "")
CACHES["ratelimit"] = ({"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _ratelimit_dir}
                       if _ratelimit_dir else
                       {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"})
ITOG_LOOKUP_PER_IP_PER_HOUR = env_int("ITOG_LOOKUP_PER_IP_PER_HOUR", 600)   # schools share one address
ITOG_LOOKUP_FAILURES_PER_CODE = env_int("ITOG_LOOKUP_FAILURES_PER_CODE", 10)  # per day: no guessing documents
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
