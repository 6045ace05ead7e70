"""All settings, read from the environment in this one place.

Defaults suit the embedded set-up (SQLite in ./data); production sets
DATABASE_URL (PostgreSQL >= 15), SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
Every variable read here has a row in the README's Configuration table
(tests/test_configuration.py keeps the two together); code reads settings
as plain attributes, never with a getattr default.
"""

import json
import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ZHENGDUN_DATA_DIR", BASE_DIR / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_json_object(name: str) -> dict[str, object]:
    value = json.loads(os.environ.get(name) or "{}")
    if not isinstance(value, dict):
        raise ValueError(f'{name} must be a JSON object, e.g. {{"leader_max_villages": 2}}')
    return value


def _secret_key() -> str:
    # A county install must work without configuration, yet never share a key
    # with another install: generate one per data folder on first start.
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
# Set only behind a reverse proxy that overwrites these headers: then the audit
# trail takes the client address from X-Forwarded-For and HTTPS from X-Forwarded-Proto.
TRUST_X_FORWARDED_FOR = _env_bool("TRUST_X_FORWARDED_FOR", False)
if TRUST_X_FORWARDED_FOR:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "treebeard",
    "ninja",
    "zhengdun.core",
    "zhengdun.audit",
    "zhengdun.organizations",
    "zhengdun.accounts",
    "zhengdun.campaigns",
    "zhengdun.cases",
    "zhengdun.ledger",
    "zhengdun.screening",
    "zhengdun.identification",
    "zhengdun.support",
    "zhengdun.roster",
    "zhengdun.plans",
    "zhengdun.rectification",
    "zhengdun.notices",
    "zhengdun.copycheck",
    "zhengdun.dashboard",
    "zhengdun.demo",
    "zhengdun.api",
]

MIDDLEWARE = [
    "zhengdun.core.body_limit.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhengdun.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhengdun.urls"
WSGI_APPLICATION = "zhengdun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhengdun" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["zhengdun.core.templatetags.zd"],
        },
    }
]

# Seconds a PostgreSQL connection is kept for the next request (SQLite: none).
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'zhengdun.sqlite3'}"),
        conn_max_age=CONN_MAX_AGE,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE makes a
    # transaction take the write lock at BEGIN, so two writers queue instead
    # of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhengdun.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Sessions end after this many idle seconds (the login page says how long):
# every request pushes the expiry forward.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Lock an account for a while after repeated failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Offices share one address behind the intranet gateway: locking by address
# would lock a whole township out because one person mistyped. Lock accounts.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
MEDIA_ROOT = DATA_DIR / "media"
UPLOAD_DIR = DATA_DIR / "uploads"
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# A whole request: an upload plus its form. waitress (manage.py serve) and
# core.body_limit refuse anything larger before it is read.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(MAX_UPLOAD_BYTES + 1024 * 1024)))
# Form fields and JSON bodies other than files; files above this size wait in a temporary file, not in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Uploads shown as a preview and not yet confirmed, per user over every feature:
# beyond either limit the oldest go (core/uploads.py). One upload always fits.
UPLOAD_PREVIEWS_PER_USER = max(1, int(os.environ.get("UPLOAD_PREVIEWS_PER_USER", "5")))
UPLOAD_PREVIEW_BYTES_PER_USER = max(
    MAX_UPLOAD_BYTES, int(os.environ.get("UPLOAD_PREVIEW_BYTES_PER_USER", str(3 * MAX_UPLOAD_BYTES)))
)

# The audit trail is kept at least this long (never under 180 days); the
# PostgreSQL guard refuses earlier deletes and is re-created with this value by
# every `manage.py migrate` (zhengdun/audit/guard.py).
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("AUDIT_RETENTION_DAYS", "180")))

# Switches and limits of the support-assignment checks (帮扶力量), as a JSON
# object over the defaults in organizations/assignment_checks.Rules,
# e.g. {"leader_max_villages": 2, "village_within_township": false}.
ZHENGDUN_ASSIGNMENT_RULES = _env_json_object("ZHENGDUN_ASSIGNMENT_RULES")

# HTTPS: PRODUCTION=1 turns it all on; each part can be set on its own too.
PRODUCTION = _env_bool("PRODUCTION", False)
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
# Production always sends cookies over HTTPS only.
SESSION_COOKIE_SECURE = PRODUCTION or _env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in logging.getLevelNamesMapping():
    raise ValueError(f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
