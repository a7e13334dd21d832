"""Peacebuild settings: one module, read from the environment.

DATABASE_URL chooses the database (default: an SQLite file in the user's data folder).
Every setting may also come from a file named by NAME_FILE (SECRET_KEY_FILE…).
With PRODUCTION=1 the secrets and the database must come from the environment: the
settings refuse to load without them (docs/deploy.md).
"""

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from platformdirs import user_data_path

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PEACEBUILD_DATA_DIR") or user_data_path("peacebuild"))


def env(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    # A development key kept beside the default database so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# PRODUCTION=1 turns on what a deployment behind HTTPS needs: HTTPS redirect, HSTS, secure
# cookies (docs/security.md), settings from the environment only, PostgreSQL, hashed static
# files, JSON logs. Off for the demo and the tests, which run on plain HTTP.
PRODUCTION = env_bool("PRODUCTION")
# What production refuses to start without (each may be NAME or a file named by NAME_FILE).
PRODUCTION_REQUIRES = ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "PEACEBUILD_CASE_KEYS",
                       "PEACEBUILD_CASE_INDEX_KEY")


def _production_settings_present() -> None:
    missing = []
    for name in PRODUCTION_REQUIRES:
        try:
            value = env(name)
        except OSError as error:
            raise ImproperlyConfigured(
                f"Peacebuild will not start: {name}_FILE names a file that cannot be read "
                f"({error.strerror}: {error.filename}).") from error
        if not value:
            missing.append(name)
    if missing:
        raise ImproperlyConfigured(
            "Peacebuild will not start in production (PRODUCTION=1) without "
            + ", ".join(missing) + ": set each in the environment, or name a file holding "
            "it with NAME_FILE (see docs/deploy.md).")
    if not env("DATABASE_URL").startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "Peacebuild will not start in production on this database: DATABASE_URL must "
            "be a PostgreSQL URL (postgres://user:password@host:5432/name).")


if PRODUCTION:
    _production_settings_present()
SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/docs/, served as static files
    "peacebuild.accounts",
    "peacebuild.places",
    "peacebuild.mandates",
    "peacebuild.partners",
    "peacebuild.programmes",
    "peacebuild.activities",
    "peacebuild.casework",
    "peacebuild.figures",
    "peacebuild.reporting",
    "peacebuild.exchange",
    "peacebuild.exchange.api",
    "peacebuild.ui",
    "peacebuild.demo",
    "peacebuild.deploy",
]

MIDDLEWARE = [
    "peacebuild.deploy.logs.RequestLogMiddleware",  # first: it times all the others
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A lost database connection answers "try again in a moment" (503), not a traceback.
    "peacebuild.ui.middleware.DatabaseUnavailableMiddleware",
    "peacebuild.ui.middleware.NullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "peacebuild.accounts.middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "peacebuild.accounts.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peacebuild.accounts.middleware.CurrentOfficeMiddleware",
    # Which database a page reads from, when there is a replica (a no-op without one).
    "peacebuild.lib.dbrouting.ReplicaRoutingMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the "try again at" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peacebuild.urls"
WSGI_APPLICATION = "peacebuild.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peacebuild.ui.context_processors.shell",
            ],
        },
    },
]

def database(url: str) -> dict:
    """A DATABASES entry from a URL. PostgreSQL URLs may name several hosts,
    `postgres://user@host-a:5432,host-b:5432/db?target_session_attrs=read-write`: libpq
    tries them in turn and keeps the first that takes writes (the failover path in
    docs/deploy.md). Connections are checked before reuse, so a restarted or promoted
    server is found again without restarting the application."""
    netloc = url.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[2]
    hosts = netloc.split(",") if "," in netloc else []
    if hosts:
        url = url.replace(netloc, hosts[0], 1)
    config: dict = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if hosts:
        pairs = [h.rpartition(":") if ":" in h else (h, "", "") for h in hosts]
        config["HOST"] = ",".join(host for host, _sep, _port in pairs)
        # libpq: one port per host (an empty one is 5432), or none at all.
        ports = [port for _host, _sep, port in pairs]
        config["PORT"] = ",".join(ports) if any(ports) else ""
    return config


DEFAULT_SQLITE = DATA_DIR / "peacebuild.sqlite3"
DATABASES = {"default": database(env("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# A hot standby (docs/deploy.md, "Beyond one machine"): with DATABASE_REPLICA_URL set,
# dashboards, reports and API reads are served by it (peacebuild/lib/dbrouting.py), except
# for a user who wrote in the last DATABASE_PRIMARY_PIN_SECONDS, who reads from the primary.
# Writes, migrations, workers and commands always use the primary.
DATABASE_PRIMARY_PIN_SECONDS = int(env("DATABASE_PRIMARY_PIN_SECONDS", "10") or 10)
DATABASE_ROUTERS: list[str] = []
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database(env("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the same database
    # A standby that is gone must not hold a page for long: its reads go to the primary.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASE_ROUTERS = ["peacebuild.lib.dbrouting.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "login"

# Accounts (docs/security.md). Argon2 first: a password stored with an older hasher is
# re-hashed with Argon2 the next time its owner signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out user before any password is checked.
AUTHENTICATION_BACKENDS = [
    "peacebuild.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user name from one address lock that pair out for
# LOGIN_COOLOFF_MINUTES (each further try during the lock starts the wait again).
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15") or 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "peacebuild.accounts.views.locked_out"
AXES_VERBOSE = False
# Sign-ins are in our audit log already; no second log of addresses and browsers.
AXES_DISABLE_ACCESS_LOG = True
# Behind a reverse proxy, the client's address is the first of X-Forwarded-For.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if env_bool("BEHIND_PROXY") else ("REMOTE_ADDR",)
)
# Two-factor authentication (django-otp, TOTP): required for human-rights officers.
OTP_TOTP_ISSUER = "Peacebuild"
OTP_TOTP_THROTTLE_FACTOR = 1
# Sessions: SESSION_COOKIE_AGE (seconds, default 8 hours) for everyone; human-rights
# officers are signed out after IDLE_TIMEOUT_MINUTES without a request, and hold one
# session at a time. REAUTH_MAX_AGE_MINUTES: how recent a re-authentication must be.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)) or 8 * 3600)
HUMAN_RIGHTS_IDLE_TIMEOUT = 60 * int(env("IDLE_TIMEOUT_MINUTES", "30") or 30)
REAUTH_MAX_AGE = 60 * int(env("REAUTH_MAX_AGE_MINUTES", "5") or 5)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("tg", _("Tajik")),
    ("zh-hans", _("Chinese")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", "Asia/Dushanbe")  # a new office's; each office has its own
# The country of a new office (ISO 3166-1 alpha-2): its regions and its map.
OFFICE_COUNTRY = env("OFFICE_COUNTRY", "TJ")
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic writes here for production; in development WhiteNoise serves from the apps.
STATIC_ROOT = Path(env("STATIC_ROOT") or DATA_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# In production `peacebuild collectstatic` writes hashed, compressed copies (app.3f2a….css,
# .gz, .br) that WhiteNoise serves with a year's caching (the name changes with the
# content); elsewhere it serves the apps' files as they are.
# STATIC_COMPRESS=0 skips the compressed copies (collectstatic is then much faster).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", PRODUCTION)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": ("whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if env_bool("STATIC_COMPRESS", True)
                    else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage")
        if STATIC_MANIFEST else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT") or DATA_DIR / "media")
# Case attachments and case exports: sealed files under CASE_FILES_DIR (never under
# MEDIA_ROOT or STATIC_ROOT: nothing serves them but the casework views' access check).
# CASE_ATTACHMENT_MAX_MB: the largest attachment; CASE_EXPORT_HOURS: how long an export
# archive is kept before `purge_case_files` deletes it.
CASE_FILES_DIR = Path(env("CASE_FILES_DIR") or DATA_DIR / "case-files")
CASE_ATTACHMENT_MAX_BYTES = 1_000_000 * int(env("CASE_ATTACHMENT_MAX_MB", "20") or 20)
CASE_EXPORT_HOURS = int(env("CASE_EXPORT_HOURS", "24") or 24)

# Long work (reports, imports) runs in a worker: `peacebuild worker` reads the queue
# from the database, so no broker is needed. TASKS_BACKEND=immediate runs tasks inline
# (the tests do that).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env("TASKS_BACKEND", "database") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

# Workers beat every WORKER_BEAT_SECONDS; one silent for six beats is lost, and any other
# worker takes up the tasks it was running (peacebuild/deploy/recovery.py, docs/deploy.md).
# A task is retried at most TASK_MAX_ATTEMPTS times in all.
WORKER_BEAT_SECONDS = float(env("WORKER_BEAT_SECONDS", "10") or 10)
TASK_MAX_ATTEMPTS = int(env("TASK_MAX_ATTEMPTS", "3") or 3)
# Test only (peacebuild/lib/faults.py): hold a process at a named point so that a fault
# test can kill it there. Production refuses it.
FAULT_PAUSE_AT = env("PEACEBUILD_FAULT_PAUSE_AT")
FAULT_PAUSE_SECONDS = float(env("PEACEBUILD_FAULT_PAUSE_SECONDS", "60") or 60)
if PRODUCTION and FAULT_PAUSE_AT:
    raise ImproperlyConfigured("Peacebuild will not start in production with "
                               "PEACEBUILD_FAULT_PAUSE_AT set: it is for the fault tests only.")

# E-mail (action point reminders) through Django's mail backends. Without EMAIL_HOST or
# EMAIL_BACKEND, e-mail is not configured and reminders show on the owners' overview only.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_CONFIGURED = bool(env("EMAIL_HOST") or env("EMAIL_BACKEND"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "peacebuild@localhost")
SITE_URL = env("SITE_URL").rstrip("/")  # for links in e-mails, e.g. https://pb.example.org

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)

# Secure headers (docs/security.md). Scripts only from our own static files: no inline
# script, no eval. Styles allow inline attributes, which the server-drawn SVG charts use.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                      "interest-cohort=()")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # The load balancer's or the monitor's check answers on plain HTTP too.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    if env_bool("BEHIND_PROXY"):  # the proxy terminates HTTPS and says so in a header
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard error (journald keeps them under systemd): JSON lines in production
# (LOG_FORMAT=json|text), one line per request when REQUEST_LOG is on (the default in
# production and under `peacebuild serve`). No personal data: peacebuild/deploy/logs.py.
LOG_FORMAT = env("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "peacebuild.deploy.logs.json_formatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}
                 | ({"formatter": "json"} if LOG_FORMAT == "json" else {})},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {"peacebuild.requests": {
        "level": "INFO" if env_bool("REQUEST_LOG", PRODUCTION) else "WARNING"}},
}

# The REST API (docs/api.md): tokens only (no session, so no CSRF to think of), one error
# shape, a rate per token (API_RATE), OpenAPI 3.1 from drf-spectacular.
API_RATE = env("API_RATE", "1200/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["peacebuild.exchange.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["peacebuild.exchange.api.access.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["peacebuild.exchange.api.access.TokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "peacebuild.exchange.api.errors.handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peacebuild API",
    "DESCRIPTION": "The records and figures of a peacebuilding office. Authenticate with an "
                   "API token: `Authorization: Bearer <token>`. See docs/api.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActionPointStatus": "peacebuild.partners.models.ActionPoint.Status",
        "AssessmentStatus": "peacebuild.programmes.models.Assessment.Status",
        "DocumentKind": "peacebuild.mandates.models.Document.Kind",
        "OrganisationKind": "peacebuild.partners.models.Organisation.Kind",
        "CentreKind": "peacebuild.activities.models.Centre.Kind",
        "IndicatorKind": "peacebuild.programmes.models.Indicator.Kind",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "peacebuild.exchange.api.schema.errors_everywhere"],
    "AUTHENTICATION_WHITELIST": ["peacebuild.exchange.api.auth.TokenAuthentication"],
}
