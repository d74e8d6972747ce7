"""Settings shared by every environment; values come from the environment through django-environ."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_flag(name: str, *, default: bool) -> bool:
    """A yes/no setting; a value that is neither fails loudly instead of quietly meaning "no"."""
    from django.core.exceptions import ImproperlyConfigured

    raw = env.str(name, default=None)
    if raw is None:
        return default
    if raw.strip().lower() in TRUE_WORDS:
        return True
    if raw.strip().lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env_flag("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The absolute address of the service, used in emails.
SITE_URL = env.url("SITE_URL", default="http://127.0.0.1:8000").geturl().rstrip("/")
SERVICE_NAME = "RASSO joint action plan"
# Where people write about accessibility, privacy and problems; shown on the accessibility statement and the
# privacy notice (without it they say to ask an admin of the plan).
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="")

INSTALLED_APPS = [
    # Django's admin, with the service's admin site: for plan admins only.
    "actionplan.apps.PlanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    "pgtrigger",
    "actionplan",
    "themes",
    "actions",
    "reviews",
    "notifications",
    "demo",
]

MIDDLEWARE = [
    # First: it times every request and logs the status actually sent, with the request's id.
    "actionplan.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads a parameter: a NUL or other control character gets a 400 page, not a 500.
    "actionplan.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "actionplan.urls"
WSGI_APPLICATION = "actionplan.wsgi.application"

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
                "actionplan.context_processors.service",
            ],
            "builtins": ["actionplan.templatetags.govuk", "actions.templatetags.action_rules"],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "actionplan.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "actionplan.auth.RoleBackend"]

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is refused until the cool-off has passed; a successful sign-in clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# How many reverse proxies stand in front of the app (each appends to X-Forwarded-For); 0 when none.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "actionplan.auth.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:ia"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/dist holds the built front end (GOV.UK Frontend, MoJ Frontend, our Sass): `npm run build` writes it.
STATICFILES_DIRS = [BASE_DIR / "static" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: django-environ's email URL (smtp://user:pass@host:587/?tls=True); console by default.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A send never outlasts a reminder claim (REMINDER_CLAIM_TIMEOUT_MINUTES).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="RASSO joint action plan <no-reply@rasso-plan.example>")

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/broker.
REDIS_URL = env("REDIS_URL", default="")
BROKER_DIR = BASE_DIR / "var" / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions live in Redis with the database behind them, so any web container serves any person and a
    # container keeps nothing of its own.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Beat fires the reminder sweep at 07:00 in London, whatever TIME_ZONE the pages use.
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "actionplan.tasks.heartbeat", "schedule": 60.0},
    # 07:00 in CELERY_TIMEZONE (Europe/London). The sweep works out what is due on the day, so a missed day
    # is caught up the next without duplicates.
    # REMINDER_SWEEP_INTERVAL_SECONDS replaces the daily time with an interval (the end-to-end test uses it).
    "reminders-sweep": {
        "task": "notifications.tasks.reminders_sweep",
        "schedule": env.float("REMINDER_SWEEP_INTERVAL_SECONDS", default=0) or crontab(hour=7, minute=0),
    },
    # Opens the review cycles whose opening day has come, before the morning's reminders go out.
    "review-cycles-open": {"task": "themes.tasks.review_cycles_open", "schedule": crontab(hour=6, minute=30)},
    # Picks up reminders a crashed worker left half-sent, once their claim has timed out.
    "reminders-resume": {"task": "notifications.tasks.reminders_resume", "schedule": 15 * 60.0},
}

# "Due soon": an open action whose target date is within this many days (the dashboards, My actions, exports).
DUE_SOON_DAYS = env.int("DUE_SOON_DAYS", default=30)

# Reminders: periods in days before (or after) the date they are about; see notifications/owed.py.
REMINDER_DUE_SOON_DAYS = env.list("REMINDER_DUE_SOON_DAYS", cast=int, default=[14, 3])
REMINDER_UPDATE_DUE_DAYS = env.list("REMINDER_UPDATE_DUE_DAYS", cast=int, default=[7, 2])
REMINDER_ESCALATION_DAYS = env.int("REMINDER_ESCALATION_DAYS", default=28)
REMINDER_BOARD_MEETING_DAYS = env.int("REMINDER_BOARD_MEETING_DAYS", default=7)
REMINDER_OVERDUE_REPEAT_DAYS = env.int("REMINDER_OVERDUE_REPEAT_DAYS", default=7)
# A reminder claimed by a worker that has not reported back within this many minutes is claimed again.
REMINDER_CLAIM_TIMEOUT_MINUTES = env.int("REMINDER_CLAIM_TIMEOUT_MINUTES", default=30)
# Attempts at sending one reminder (Celery's retries, then every REMINDER_CLAIM_TIMEOUT_MINUTES) before it is
# left as failed for good.
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=10)

# Logs go to stdout as JSON lines (LOG_FORMAT=plain for a terminal): one per request (actionplan.request), the
# security events (actionplan.security), and everything else, each with the id of the request it belongs to.
LOG_FORMAT = env("LOG_FORMAT", default="json")
if LOG_FORMAT not in ("json", "plain"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "actionplan.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "actionplan.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # The security logger (actionplan.security) records sign-ins and lockouts; axes itself only when it warns.
    # django.server's lines would repeat actionplan.request's under `runserver`. WeasyPrint warns of every
    # screen-only rule of the GOV.UK stylesheet it skips when it renders a board pack PDF, and reports its progress:
    # only its errors are worth a line (refused fetches are logged by reviews.pdf).
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
# Celery's worker and beat log through the same handler instead of replacing it with their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Content security policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
