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
    # Django's admin, with the service's admin site: for plan admins only, with a second factor on every page.
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    "pgtrigger",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "actionplan",
    "themes",
    "actions",
    "reviews",
    "api",
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
    "django_otp.middleware.OTPMiddleware",
    # Ends a session idle for SESSION_IDLE_TIMEOUT_MINUTES or older than SESSION_ABSOLUTE_TIMEOUT_HOURS, before
    # LoginRequiredMiddleware sends the visitor to sign in.
    "actionplan.signin_middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Someone who owes a second factor reaches nothing but the code, enrolment and sign-out pages.
    "actionplan.signin_middleware.SecondFactorMiddleware",
    # Pages seen signed in are never stored by the browser: the back button after sign-out shows nothing.
    "actionplan.signin_middleware.NoStoreForSignedInMiddleware",
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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "actionplan.auth.RoleBackend",
    # Single sign-on through OpenID Connect; answers nothing unless OIDC_RP_CLIENT_ID is set (see below).
    "actionplan.oidc.SingleSignOnBackend",
]

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords or codes for one username from one
# address, that pair is refused until the cool-off has passed; a completed sign-in (password, and the code when
# one is owed) clears the count. The reset is ours (actionplan.signin), not axes's at the password step, so a
# right password cannot wipe out the wrong codes guessed after it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# What axes keeps of a refused form never includes a secret.
AXES_SENSITIVE_PARAMETERS = [
    "username", "ip_address", "password", "code", "recovery_code", "old_password", "new_password1", "new_password2",
]  # fmt: skip
# How many reverse proxies stand in front of the app (each appends to X-Forwarded-For); 0 when none.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "actionplan.auth.client_ip"

# Distributed guessing: after SIGNIN_USERNAME_FAILURE_LIMIT failed sign-ins (wrong passwords or codes) for one
# username from any addresses within SIGNIN_USERNAME_WINDOW_MINUTES, sign-in with that username is answered
# "Wait ... and try again" (HTTP 429) without checking the password, until the window has moved past enough of
# them; except from an address where that username completed a sign-in within SIGNIN_KNOWN_ADDRESS_DAYS.
SIGNIN_USERNAME_FAILURE_LIMIT = env.int("SIGNIN_USERNAME_FAILURE_LIMIT", default=10)
SIGNIN_USERNAME_WINDOW_MINUTES = env.int("SIGNIN_USERNAME_WINDOW_MINUTES", default=15)
SIGNIN_KNOWN_ADDRESS_DAYS = env.int("SIGNIN_KNOWN_ADDRESS_DAYS", default=30)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "actionplan.passwords.CharacterVarietyValidator", "OPTIONS": {"min_distinct": 5}},
    {"NAME": "actionplan.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 1024}},
]
# A password reset link works for this many seconds (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_MINUTES", default=60) * 60

# Two-factor authentication (django-otp, TOTP): always for admins and for every page of the admin; for everyone
# when OTP_REQUIRED_FOR_ALL is true; otherwise for those who chose to set it up.
OTP_REQUIRED_FOR_ALL = env_flag("OTP_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = "RASSO joint action plan"
# Wrong codes count towards the sign-in lockout and the per-username limit instead of django-otp's own
# per-device delays, so one rule (and one message) covers passwords and codes alike.
OTP_TOTP_THROTTLE_FACTOR = 0
RECOVERY_CODE_COUNT = 10

# Single sign-on (OpenID Connect, mozilla-django-oidc): off unless OIDC_RP_CLIENT_ID is set, and then the
# provider's endpoints are required. People are matched to an existing active person by email; an email that
# matches nobody (or more than one person) is refused: sign-on never creates anyone.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="") or None
# The provider's issuer ("iss" of its ID tokens); checked when set.
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", default="")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your organisation's account")
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
OIDC_STORE_ID_TOKEN = False
if OIDC_ENABLED:
    _missing = [
        name
        for name in ("OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
                     "OIDC_OP_USER_ENDPOINT")
        if not globals()[name]
    ]  # fmt: skip
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not OIDC_OP_JWKS_ENDPOINT:
        _missing.append("OIDC_OP_JWKS_ENDPOINT")
    if _missing:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"Single sign-on is on (OIDC_RP_CLIENT_ID is set) but {', '.join(_missing)} is not")

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

# Addresses for programs rather than people: a request refused before it reaches a view (a control character in
# it, a form that cannot be read) is answered there in JSON, `{"detail": ...}`, as their own errors are.
JSON_ERROR_PATH_PREFIXES = ("/api/",)

# The REST API (api/): a personal token or the browser's session (with its CSRF check), JSON only, pages of 100.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RASSO joint action plan API",
    "DESCRIPTION": (
        "Plans, themes, actions, status updates and review cycles of the joint police and CPS action plan. "
        "Sign in with a personal token (`Authorization: Token <token>`, from the API tokens page) or the "
        "browser's session. Errors are JSON with a `detail` sentence and, by field, `errors`."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RagEnum": "actions.models.Rag",
        "StatusEnum": "actions.models.Status",
        "PrecisionEnum": "actionplan.dates.DatePrecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    # Swagger UI's files come with drf-spectacular-sidecar and are served from here: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayRequestDuration": True},
}

SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_IDLE_TIMEOUT_MINUTES without a request, and SESSION_ABSOLUTE_TIMEOUT_HOURS after
# sign-in whatever happens; a warning is shown SESSION_TIMEOUT_WARNING_SECONDS before the idle end.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_ABSOLUTE_TIMEOUT_HOURS = env.int("SESSION_ABSOLUTE_TIMEOUT_HOURS", default=12)
SESSION_TIMEOUT_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_HOURS * 60 * 60


def _at_least(name: str, minimum: int) -> None:
    """A number of minutes, hours or attempts that makes no sense stops the service from starting."""
    from django.core.exceptions import ImproperlyConfigured

    if globals()[name] < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {globals()[name]}")


# The idle timeout must leave room for its two-minute warning.
_at_least("SESSION_IDLE_TIMEOUT_MINUTES", 3)
_at_least("SESSION_ABSOLUTE_TIMEOUT_HOURS", 1)
_at_least("SIGNIN_USERNAME_FAILURE_LIMIT", 1)
_at_least("SIGNIN_USERNAME_WINDOW_MINUTES", 1)
_at_least("SIGNIN_KNOWN_ADDRESS_DAYS", 0)
_at_least("PASSWORD_RESET_TIMEOUT", 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
