"""Settings for every environment, read from the environment (12-factor).

With nothing set, the platform runs embedded: SQLite, a file-system Celery
broker and a file cache under ``var/``. ``DATABASE_URL`` and ``REDIS_URL`` switch
the same code to PostgreSQL and Redis.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the platform refuses to start "
            "without a secret: set SECRET_KEY in the environment or in .env, "
            "for example the output of: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-embedded-demo-only-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "core",
    "accounts",
    "areas",
    "teams",
    "households",
    "assistance",
    "training",
    "reports",
    "demo",
]

MIDDLEWARE = [
    # First, so the request id is on every line logged and every answer timed.
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON travel compressed to cheap phones on weak networks (the
    # 150 KB budget of a field page is counted compressed). Since Django 4.2
    # the middleware pads its output against BREACH; static files come
    # compressed from WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.VietnameseFirstLocaleMiddleware",
    # A write is never redirected: see config.middleware.
    "config.middleware.ApiPathWithoutSlashMiddleware",
    "config.middleware.RateLimitHeadersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads right after one's own write come from the primary (core.replica).
    "config.middleware.ReplicaPinMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Officials: signed out when idle, sessions ended by an official, and
    # two-factor sign-in set up before anything else where it is required.
    "accounts.middleware.SessionGuardMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.ScopeRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.navigation.role_navigation",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker write to one file: WAL lets readers
    # run beside a writer, IMMEDIATE transactions queue writers instead of
    # failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No just-in-time compilation of a request's queries: a cold dashboard's
    # grouped reads cost enough to pass its thresholds and then spent most of
    # their time compiling (107 of 144 ms for the silent members' alert at
    # province scale). A full rebuild turns it on for its own transactions.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A PostgreSQL streaming replica for dashboards, statistics, coverage and
# exports (core.replica, config.db_router); the primary serves everything when
# it is unset, down, or lags more than REPLICA_MAX_LAG_SECONDS.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].update(
        CONN_MAX_AGE=env.int("CONN_MAX_AGE", default=60),
        CONN_HEALTH_CHECKS=True,
        # A replica that does not answer is soon taken for down.
        OPTIONS={
            "connect_timeout": env.int("REPLICA_CONNECT_TIMEOUT", default=2),
            "options": "-c jit=off",
        },
        # Tests: no test database is made on the read-only replica; the alias
        # names the primary's (core.replica then keeps reads on the primary).
        TEST={"MIRROR": "default"},
    )
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=30)
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=60)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The summary buckets' unique indexes carry non-key columns on PostgreSQL
# (reports.DayTeamStat, DayServiceStat, DayMemberStat, DayHousehold), so that
# an area's days are read from the index alone. SQLite, the embedded demo's
# database, cannot build them, and Django leaves them out there: the refresh
# alone keeps the buckets' rows unique, as it does everywhere (rows written
# under the ward's lock), and the demo's few rows are read without. The open
# follow-ups' partial index (reports.DayServiceStat) is built there without
# its non-key column.
SILENCED_SYSTEM_CHECKS = ["models.W039", "models.W040"]

# Redis carries the cache and the Celery broker when it is configured.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": env("CACHE_REDIS_URL", default=REDIS_URL),
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="tcns"),
            # A Redis that does not answer is soon taken for down: the cache
            # then goes on in memory (config.cache) instead of holding requests.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    # A file cache is shared by the web and worker processes, which the rate
    # limits of login need; the local-memory cache would not be.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: officials create accounts, nobody signs up.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
# Behind a reverse proxy every request comes from the proxy's address, and
# ten wrong passwords from anyone would block everyone's sign-in. Say how many
# proxies of ours append to X-Forwarded-For, or which header the proxy sets
# to the client's address (nginx: X-Real-IP); the limits then count people.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default=None)
ACCOUNT_RATE_LIMITS = {
    # A shared phone in a hamlet office must not lock a whole village out for
    # long, but a password cannot be guessed at this pace.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
ACCOUNT_FORMS = {"login": "accounts.forms.PlatformLoginForm"}

# Two-factor sign-in (allauth.mfa): an authenticator app's six-digit code,
# with one-time recovery codes for a lost phone. The QR code is drawn on the
# server (qrcode), nothing is fetched from elsewhere.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Tổ công nghệ số cộng đồng")
# A cheap phone's clock drifts: the code of the half-minute before or after
# is accepted too.
MFA_TOTP_TOLERANCE = 1
# Roles that must set up two-factor sign-in before anything else. A province
# may also require it of its ward officials (Province.ward_officials_mfa_required).
# The demo (DEBUG) does not require it, so its printed logins work at once.
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES", default=[] if DEBUG else ["national", "province"]
)
# Officials on a shared office computer are signed out after this many
# minutes without a request; team members' phones are not (they work offline).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)

ACCOUNT_EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="[Tổ CNSCĐ] ")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
# The address people open the platform at: links in e-mails start with it.
SITE_URL = env("SITE_URL", default="http://localhost:8000")

# Vietnamese first.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# Content Security Policy (django-csp): scripts only from the platform's own
# files, never inline, nothing from elsewhere (every asset is vendored).
# Styles may be inline: htmx and the admin set a few style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# Security: strict by default, relaxed only by the demo's DEBUG.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# The language chosen travels only where the session does.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is polled over plain HTTP by the load balancer, the
# metrics by the monitoring server on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.schema.ApiSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.SignedInSession"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API answers JSON only, errors included (core.api_errors).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Bodies are JSON, as the schema says; a form or multipart body is a 415.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "core.api_errors.api_exception_handler",
    # Requests per API key or account and minute: the statistics and areas
    # API, and the rest of it (accounts.throttling); every answer states them.
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.CaptureThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "stats": env("API_STATS_RATE", default="120/min"),
        "capture": env("API_CAPTURE_RATE", default="600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tổ công nghệ số cộng đồng API",
    "DESCRIPTION": (
        "Capture of assistance sessions (officials' and teams' accounts) and "
        "statistics for machine clients. Machine clients send the key an "
        "administrator issued them in the `X-Api-Key` header; it reads the "
        "statistics and areas of its province or ward only. Statistics answers "
        "carry an `ETag`: send it back in `If-None-Match` and unchanged figures "
        "answer 304. Each key or account has a budget of requests a minute "
        "(120 by default); beyond it, 429 with `Retry-After`."
    ),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A session's source is shown by its answers and its list items alike;
    # "deleted" is true on a pull's tombstones, false on its live rows.
    "ENUM_NAME_OVERRIDES": {
        "SessionSourceEnum": "assistance.models.AssistanceSession.Source",
        "DeletedEnum": [(True, True)],
        "LiveEnum": [(False, False)],
    },
    # The schema describes the API, not anyone's data.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # The API's own paths only (not the schema's), each under its resource.
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["core.schema.api_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.errors_and_limits",
    ],
}

# Celery: Redis when configured; otherwise a real worker on kombu's file-system
# transport, which needs no server and still runs tasks out of the web process.
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_QUEUE_DIR = VAR_DIR / "celery"
    for folder in ("queue", "control"):
        (CELERY_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
else:
    # Unacknowledged tasks return to the queue after this; it must outlast the
    # longest task, or a slow task runs twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=10 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_DEFAULT_QUEUE = "default"
# Exports build big files: on their own queue, one cannot hold up the statistics
# refreshes. A worker started without -Q consumes both queues.
CELERY_TASK_QUEUES = (Queue("default"), Queue("exports"))
CELERY_TASK_ROUTES = {"accounts.tasks.export_job_run_task": {"queue": "exports"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "expired-login-sessions": {
        "task": "accounts.tasks.login_session_cleanup_task",
        "schedule": crontab(hour=2, minute=15),
    },
    # Refreshes after each save can be lost (broker down, worker killed):
    # the recent days are recomputed from the raw rows every ten minutes.
    "owed-refreshes": {
        "task": "reports.tasks.pending_refresh_sweep_task",
        "schedule": crontab(minute="*"),
    },
    "statistics-reconcile": {
        "task": "reports.tasks.stats_reconcile_task",
        "schedule": crontab(minute="*/10"),
    },
    "registry-statistics": {
        "task": "reports.tasks.registry_stats_task",
        "schedule": crontab(minute="*/15"),
    },
    "unconfirmed-uploads": {
        "task": "core.tasks.uploads_purge_task",
        "schedule": crontab(minute="*/15"),
    },
    # Ward officials whose monthly report is late, province staff whose
    # wards' reports wait: the task itself decides which days to send.
    "monthly-report-reminders": {
        "task": "reports.tasks.monthly_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "old-exports": {
        "task": "accounts.tasks.export_jobs_purge_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "old-session-tombstones": {
        "task": "assistance.tasks.session_tombstones_purge_task",
        "schedule": crontab(hour=3, minute=45),
    },
    # Monday morning: each ward official's alerts of the week, once.
    "weekly-alert-digest": {
        "task": "reports.tasks.alert_digests_send_task",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "old-workshop-tombstones": {
        "task": "training.tasks.workshop_tombstones_purge_task",
        "schedule": crontab(hour=3, minute=50),
    },
}
# Deleted sessions and workshops show in incremental pulls this long; a
# client that has not pulled for longer pulls everything again.
TOMBSTONES_KEEP_DAYS = env.int("TOMBSTONES_KEEP_DAYS", default=90)

# Logs carry no personal data: every handler passes through the redacting
# filter, and no logger here prints request bodies or query strings.
# LOG_FORMAT=json writes one JSON object a line (core.logging.JsonFormatter),
# with the request's id and the user's id, for a log collector.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is plain or json, not %r." % LOG_FORMAT)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.logging.RedactPersonalDataFilter"}},
    "formatters": {
        "plain": {
            "()": "core.logging.PlainFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Each step of laying out a PDF is logged at INFO: its warnings only.
        "weasyprint": {"level": "WARNING"},
    },
}

# Metrics for Prometheus at /metrics (config.metrics): closed unless the
# scraper sends METRICS_TOKEN as a bearer token or calls from one of these
# networks (the client's address as sign-in reads it, behind TRUSTED_PROXY_*).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list(
    "METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"]
)

# Errors to Sentry when SENTRY_DSN is set, with personal data masked as in
# the logs (config.sentry).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from config.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Registry import and export (django-import-export). Imports are all or
# nothing: one bad row and the whole file is rolled back.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True  # the audit trail is simple-history's
IMPORT_EXPORT_IMPORT_ERROR_DISPLAY = ("message",)  # never a traceback to users
# Large Excel exports are built by a job into this folder, kept for some days.
EXPORTS_DIR = Path(env("EXPORTS_DIR", default=str(VAR_DIR / "exports")))
EXPORTS_KEEP_DAYS = env.int("EXPORTS_KEEP_DAYS", default=7)
# Uploads between their preview and their confirmation (names and phones):
# private to the platform, deleted when refused and an hour after a preview.
IMPORTS_DIR = Path(env("IMPORTS_DIR", default=str(VAR_DIR / "imports")))

# Audit trail (django-simple-history). Reverting from the admin would skip the
# registry's validation, so history is read-only.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
