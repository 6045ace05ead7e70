"""All settings, read from the environment in this one place.

Defaults suit the embedded set-up (SQLite in ./data); production sets
DATABASE_URL (PostgreSQL >= 15), SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
Every variable read here has a row in the README's Configuration table
(tests/test_configuration.py keeps the two together); code reads settings
as plain attributes, never with a getattr default.
"""

import ipaddress
import json
import logging
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

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
# Behind a reverse proxy: the proxies' addresses or networks. Only a request
# whose direct peer is one of them may name the client (X-Forwarded-For, the
# rightmost untrusted hop) and the scheme (X-Forwarded-Proto: https).
# TRUST_X_FORWARDED_FOR=1 alone trusts a proxy on this machine.
TRUST_X_FORWARDED_FOR = _env_bool("TRUST_X_FORWARDED_FOR", False)
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
if TRUST_X_FORWARDED_FOR and not TRUSTED_PROXIES:
    TRUSTED_PROXIES = ["127.0.0.1", "::1"]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ValueError(f"TRUSTED_PROXIES: {_proxy!r} is neither an address nor a network (10.0.0.5, 10.0.0.0/24)") from None
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "treebeard",
    "ninja",
    "huey.contrib.djhuey",
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
    "zhengdun.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhengdun.core.middleware.ResponseHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhengdun.accounts.second_factor.middleware.DeviceMiddleware",
    "zhengdun.core.middleware.RequestContextMiddleware",
    "zhengdun.audit.middleware.DeniedRequestMiddleware",
    "zhengdun.accounts.separation.SeparatedAdminGate",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The policy's idle limit, the session list, and the forced password change.
    "zhengdun.accounts.security.gate.SignInRulesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "zhengdun.accounts.second_factor.middleware.SecondFactorMiddleware",
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
    {"NAME": "zhengdun.accounts.security.passwords.GuessablePasswordValidator"},
    # Refuses the last few passwords, and keeps each new one's hash (its password_changed hook).
    {"NAME": "zhengdun.accounts.security.passwords.PasswordHistoryValidator"},
]
# The security policy's defaults; the security administrator's page (安全策略) overrides them,
# and the code reads the policy in force through zhengdun/accounts/policy.py.
# A password expires after this many days (0: never), and the last few may not be used again.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_HISTORY_COUNT = int(os.environ.get("PASSWORD_HISTORY_COUNT", "5"))
# Personal access tokens expire after this many days unless made for fewer.
API_TOKEN_MAX_AGE_DAYS = int(os.environ.get("API_TOKEN_MAX_AGE_DAYS", "180"))
# An address that sent this many bad tokens within LOGIN_LOCK_MINUTES is refused (429) until then.
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("API_TOKEN_FAILURE_LIMIT", "20"))
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Sessions end after this many idle seconds (the login page says how long). A request
# pushes the expiry forward by saving the session, at most once a minute
# (accounts/security/gate.py), so that reading a page writes nothing.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# The second factor (zhengdun/accounts/second_factor/): administrators always need
# one; SECOND_FACTOR_FOR_ALL=1 requires it of every account (the default of the security
# policy's switch, which the security administrator may turn on or off: accounts/policy.py).
SECOND_FACTOR_FOR_ALL = _env_bool("SECOND_FACTOR_FOR_ALL", False)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "整顿提升工作管理系统"
# A wrong code doubles the wait before the next try on that device (1 s, 2 s, 4 s, ...).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Passkeys (WebAuthn) are bound to this host name, the relying party ID: empty means the host
# each request comes to. Set it when the site is reached under several names of one domain
# (a passkey made on xx.example.cn then works on every name under example.cn). Browsers
# accept passkeys only over HTTPS, or on localhost.
WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "").strip().lower()

# Lockout after failed logins (zhengdun/accounts/security/lockout.py says why): an account is
# locked at the address the failures came from, after LOGIN_FAILURE_LIMIT of them; an address
# is locked for every account after LOGIN_ADDRESS_FAILURE_LIMIT failures over any accounts
# (password spraying). Offices share one address behind the intranet gateway, so the address
# limit is well above what one office mistypes. Both last LOGIN_LOCK_MINUTES. axes reads the
# policy in force through these callables.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_FAILURE_LIMIT = "zhengdun.accounts.security.lockout.failure_limit"
AXES_COOLOFF_TIME = "zhengdun.accounts.security.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = "zhengdun.accounts.security.lockout.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# The same client address as the audit trail, honest behind trusted proxies.
AXES_CLIENT_IP_CALLABLE = "zhengdun.core.middleware.client_ip"

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
    ("vendor/simplewebauthn", BASE_DIR / "node_modules" / "@simplewebauthn" / "browser" / "dist" / "bundle"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
MEDIA_ROOT = DATA_DIR / "media"
UPLOAD_DIR = DATA_DIR / "uploads"
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# Data rows one uploaded sheet may carry (a province's roster is about 30,000); the
# workbook guard (core/xlsx_guard.py) scales its row, cell and string limits with it.
IMPORT_MAX_ROWS = max(1, int(os.environ.get("IMPORT_MAX_ROWS", "200000")))
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
# A deleted evidence file is kept (hidden, not served) this many days before
# `manage.py purge_deleted_files` removes it.
FILE_RETENTION_DAYS = int(os.environ.get("FILE_RETENTION_DAYS", "180"))
# Where `manage.py backup` writes its archives unless given --output; outside the
# data folder, which is what it backs up.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))

# Counters that every worker process must share (core.ratelimit: public comments,
# sign-ins, tokens): in Redis when REDIS_URL is set, else in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "zd"}

# Background jobs (zhengdun/core/jobs/) on Huey: its queue in a SQLite file under the data
# folder by default (nothing to install or start), in Redis when REDIS_URL is set (any number of
# consumers on any machines), or in PostgreSQL (`JOBS_QUEUE=postgres`, the DATABASE_URL database).
# `make run` starts one consumer (`manage.py run_huey`) beside the web server.
JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "redis" if REDIS_URL else "sqlite")
if JOBS_QUEUE not in ("sqlite", "redis", "postgres"):
    raise ImproperlyConfigured(f"JOBS_QUEUE must be sqlite, redis or postgres, not {JOBS_QUEUE!r}")
JOBS_SQLITE_FILE = Path(os.environ.get("JOBS_SQLITE_FILE", DATA_DIR / "jobs.sqlite3"))
JOBS_WORKERS = max(1, int(os.environ.get("JOBS_WORKERS", "2")))
# An export of more rows than this runs as a job with a progress bar; a smaller one downloads at once.
EXPORT_JOB_ROWS = max(0, int(os.environ.get("EXPORT_JOB_ROWS", "2000")))
# Finished jobs' files are kept this many days for their owner to download.
JOB_FILE_DAYS = max(1, int(os.environ.get("JOB_FILE_DAYS", "7")))
JOB_DIR = DATA_DIR / "jobs"
_HUEY_STORAGE: dict[str, dict[str, Any]] = {
    "sqlite": {"huey_class": "zhengdun.core.jobs.storage.LazySqliteHuey", "filename": str(JOBS_SQLITE_FILE)},
    "redis": {"huey_class": "huey.RedisHuey", "url": REDIS_URL},
    "postgres": {"huey_class": "huey.PostgresHuey", "dsn": os.environ.get("DATABASE_URL", "")},
}
HUEY = {
    "name": "zhengdun",
    # Tests switch the queue to immediate mode (tests/conftest.py); a real consumer is tested apart.
    "immediate": False,
    "results": False,
    "utc": False,  # periodic jobs run at local (TIME_ZONE) hours
    **_HUEY_STORAGE[JOBS_QUEUE],
    "consumer": {"workers": JOBS_WORKERS, "worker_type": "thread", "periodic": True, "check_worker_health": True},
}

# The audit trail is kept at least this long (never under 180 days); the
# PostgreSQL guard refuses earlier deletes and is re-created with this value by
# every `manage.py migrate` (zhengdun/audit/guard.py).
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("AUDIT_RETENTION_DAYS", "180")))
# `manage.py seal_audit` appends each closed day's last hash here (zhengdun/audit/seals.py):
# keep it where the database's administrators cannot write, e.g. an append-only mount.
AUDIT_SEAL_FILE = Path(os.environ.get("AUDIT_SEAL_FILE", DATA_DIR / "audit-seals.log"))

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
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere: behaviour is in static files
# (core/static/zhengdun/site.js), htmx is configured by a meta tag, and the
# QR codes and Bootstrap's icons are files or data: images of the style sheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in logging.getLevelNamesMapping():
    raise ValueError(f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
