"""RiskOps settings, read from the environment.

Every setting an operator may change is an environment variable, listed in the README.
Unset, the project runs on its embedded defaults: SQLite under var/ and the private
redis-server that `make run` starts (its address is written to var/redis.url).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RISKOPS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# RISKOPS_PRODUCTION=1: served over HTTPS behind a proxy, with a secret key given by the operator.
PRODUCTION = env_bool("RISKOPS_PRODUCTION", False)


def _secret_key() -> str:
    """DJANGO_SECRET_KEY, or a random key kept under var/ (never in the repository)."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("RISKOPS_PRODUCTION=1 needs DJANGO_SECRET_KEY.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _redis_url() -> str:
    """REDIS_URL, or the address of the private redis-server started by `make run`."""
    if url := os.environ.get("REDIS_URL"):
        return url
    path = VAR_DIR / "redis.url"
    if path.exists():
        return path.read_text().strip()
    return "redis://127.0.0.1:6379/0"


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False) and not PRODUCTION
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "riskops.problem_pages.form_expired"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "riskops",
    "people",
    "notifications",
    "playbooks",
    "risks",
    "incidents",
    "live",
    "indicators",
    "reviews",
    "analytics",
    "integrations",
    "reports",
    "oncall",
    "audit",
    "axes",
]

MIDDLEWARE = [
    "core.log_context.RequestIdMiddleware",
    "riskops.metrics.RequestLatencyMiddleware",
    "riskops.request_size.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "people.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "riskops.urls"
# Form widgets through the project's templates: templates/django/forms/widgets/ writes the
# commonest ones by one template each (riskops/templatetags/form_widgets.py says why).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = None
ASGI_APPLICATION = "riskops.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "riskops.navigation.navigation",
                "notifications.context.unread_count",
            ],
        },
    },
]

# Page parts many readers see alike (core/shared_parts.py): kept in Redis for every process, and
# here, in the memory of each process that served them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "parts": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "parts",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # Their pieces (a cockpit card, a register row): many, a few KB each.
    "pieces": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pieces",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}

# Database: DATABASE_URL, or SQLite under var/ tuned for several processes writing one file.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'riskops.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that worker processes started by tests see the test database;
    # one per test run, so that two runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    DATABASE_POOL_SIZE := int(os.environ.get("DATABASE_POOL_SIZE", "4"))
):
    # PostgreSQL: each process keeps a pool of open connections (psycopg_pool), so a request does
    # not pay for a new connection, and a process never holds more than DATABASE_POOL_SIZE.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django must not as well
    DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 10}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Served by WhiteNoise straight from the source folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True

# Redis: Celery broker and Channels layer.
REDIS_URL = _redis_url()

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL]},
    }
}

# Celery. Deliberate choices are explained in the README ("Celery").
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker (and beat) that lost Redis tries again every half second at most, not kombu's 2, 4,
# 6… s up to 30 s: due timers then fire within about 2 s of Redis answering again
# (riskops/celery.py).
CELERY_WORKER_CONSUMER = "riskops.celery:PromptReconnectConsumer"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often beat ticks at most, so its heartbeat stays fresh for /healthz.
CELERY_BEAT_MAX_LOOP_INTERVAL = 5

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "people.authentication.PersonTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON bodies nested or holding too much are refused with 400 (core/limits.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.limits.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Pages of at most MAX_LIMIT items; a limit or offset that is not a whole number in range is a 400.
    "DEFAULT_PAGINATION_CLASS": "core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "riskops.api_errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "RiskOps API",
    "DESCRIPTION": "Risk register, tiered response playbooks and incidents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {"AuditActionEnum": "audit.models.AuditAction"},
    # The interactive docs' scripts and styles are served by the site itself (the content
    # security policy allows nothing else).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # `check --deploy` is about the deployment; the schema's own warnings are not its business.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "riskops@localhost")
# Data retention in days (riskops/retention.py); 0 keeps forever.
NOTIFICATION_RETENTION_DAYS = int(os.environ.get("RISKOPS_NOTIFICATION_RETENTION_DAYS", "180"))
READING_RETENTION_DAYS = int(os.environ.get("RISKOPS_READING_RETENTION_DAYS", "0"))
# /metrics: with a token, its bearer only; without, only clients on this host not behind a proxy.
METRICS_TOKEN = os.environ.get("RISKOPS_METRICS_TOKEN", "")
# The address people reach the site at: links in e-mails and chat messages start with it.
# Links in e-mails and chat messages start with it; unset, the address `make run` serves on.
SITE_URL = os.environ.get("RISKOPS_SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
# How long a link in an e-mail or chat message (acknowledge, open the war room) works.
ACTION_LINK_HOURS = int(os.environ.get("RISKOPS_ACTION_LINK_HOURS", "24"))
# An incident's overdue and escalation notices to one person within this many seconds go out by
# e-mail and chat as one message listing them all.
NOTIFICATION_GROUP_SECONDS = int(os.environ.get("RISKOPS_NOTIFICATION_GROUP_SECONDS", "60"))

# Sign-in throttling (django-axes), for the login page and the token endpoint alike: after
# 5 failed attempts for one username from one address, that pair is refused for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("RISKOPS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("RISKOPS_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "riskops.lockout.lockout_response"
# The client's address: X-Forwarded-For is believed only behind RISKOPS_PROXY_COUNT proxies,
# otherwise anyone could dodge the lockout by sending a new one with each attempt.
PROXY_COUNT = int(os.environ.get("RISKOPS_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)

# Headers and cookies. The pages load only their own scripts and styles: no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Request size (riskops.request_size answers 413): uploads up to RISKOPS_MAX_REQUEST_BYTES,
# other bodies (JSON, forms) up to 2.5 MB.
MAX_REQUEST_BYTES = int(os.environ.get("RISKOPS_MAX_REQUEST_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS in browsers for good: the operator's call.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True


# One JSON object per line (LOG_FORMAT=text for people reading a terminal), each with the
# request id and incident id when known (core/log_context.py); Celery keeps to it too.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.log_context.ContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(process)d %(message)s %(request_id)s %(incident_id)s",
            "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # The project's own lines keep their level if a library resets the root logger's
        # (a Celery worker started inside a process sets it to the worker's --loglevel).
        "riskops": {"level": LOG_LEVEL},
        "django.db.backends": {"level": "INFO"},
        # django-axes tells every successful sign-in at INFO; lockouts and failures stay (WARNING).
        "axes": {"level": "WARNING"},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
