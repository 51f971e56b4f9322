"""Settings shared by every environment, read from the environment.

With nothing set the service runs its *embedded default*: a SQLite file beside
the code and Celery tasks run in-process. ``DATABASE_URL`` and ``REDIS_URL``
switch it to PostgreSQL, a Redis cache and a real Celery worker and beat.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

# A key that is public in this repository: fine for the demo, refused in production.
DEMO_SECRET_KEY = "ecfs-demo-secret-key-not-for-production-use-0000000000000000"  # noqa: S105

SECRET_KEY = env.str("SECRET_KEY", default=DEMO_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    # The public request for support's per-address rate limit (frontdoor).
    "django_ratelimit",
    "csp",
    # History of every case record a person can amend (the original is kept and shown).
    "simple_history",
    # Two-factor authentication: TOTP apps, and single-use recovery codes (before ecfs.accounts, whose admin
    # unregisters their device screens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ecfs",
    "ecfs.accounts",
    "ecfs.audit",
    "privacy",
    "bases",
    "venues",
    "families",
    "referrals",
    "support_fund",
    "advice",
    "reporting",
    "imports",
    "reference",
    "community",
    "home",
    "frontdoor",
    "notifications",
    "documents",
    "partnership",
    "development",
    "voice",
    "workforce",
    "ecfs.api",
]

MIDDLEWARE = [
    "ecfs.middleware.RequestIdMiddleware",
    # /healthz answers here, before the session and the user are read from the database.
    "ecfs.middleware.HealthCheckMiddleware",
    # A body larger than any upload taken is refused from its declared length, before the CSRF check reads it.
    "ecfs.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed two-factor authentication.
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a signed-in user unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who made each change, for the records' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ecfs.middleware.SessionLimitsMiddleware",
    # Roles that must use two-factor (and anyone who set it up) reach nothing else until they enter a code.
    "ecfs.middleware.TwoFactorRequiredMiddleware",
    "ecfs.middleware.PrivateResponseHeadersMiddleware",
    # A null character in the address or a form field: 400 before any view (PostgreSQL cannot hold one).
    "ecfs.middleware.RefuseNullCharactersMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecfs.urls"
WSGI_APPLICATION = "ecfs.wsgi.application"

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
                "ecfs.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse: after a database restart the next request reconnects.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable database fails a request in seconds (the error page) instead of holding it until the
    # worker timeout. A ``?connect_timeout=`` in DATABASE_URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Whether `manage.py flush` may empty the append-only audit table on PostgreSQL: the test settings only.
AUDIT_FLUSH_ALLOWED = False

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis being away is a cache miss, not an error (ecfs/cache.py).
            "BACKEND": "ecfs.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address pair is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# guardian: the anonymous user is never granted anything; no row is needed for it.
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Documents on the family record (documents/, README "Configuration"): never in MEDIA_ROOT or anything served;
# downloaded only through the scoped, audited view. Local files by default, or an S3-compatible bucket.
DOCUMENTS_MAX_UPLOAD_MB = env.int("DOCUMENTS_MAX_UPLOAD_MB", default=10)
# The service admin's import of a previous provider's open cases (imports/): one CSV file.
IMPORT_MAX_UPLOAD_MB = 5
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=BASE_DIR / "private" / "documents")
DOCUMENTS_STORAGE = env.str("DOCUMENTS_STORAGE", default="local")
if DOCUMENTS_STORAGE == "s3":
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("DOCUMENTS_S3_BUCKET"),
            "endpoint_url": env.str("DOCUMENTS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("DOCUMENTS_S3_REGION", default=None),
            "access_key": env.str("DOCUMENTS_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("DOCUMENTS_S3_SECRET_ACCESS_KEY", default=None),
            "location": env.str("DOCUMENTS_S3_PREFIX", default="documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
elif DOCUMENTS_STORAGE == "local":
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT, "directory_permissions_mode": 0o700, "file_permissions_mode": 0o600},
    }
else:
    raise ImproperlyConfigured(f"DOCUMENTS_STORAGE must be 'local' or 's3', not {DOCUMENTS_STORAGE!r}")

# Sign-in lockout (django-axes): 5 failures lock that username *from that address* for 30 minutes, so one
# person cannot lock a colleague out from behind the same proxy.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "ecfs.security.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Failures are counted in the database, not the cache: sign-in works, and lockouts hold, while Redis is away.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Two-factor authentication (django-otp): required for these roles (values of ecfs.roles.Role), and for anyone
# who can reach the configuration screens (is_staff, superusers); offered to everyone else. Wrong codes slow
# the next attempt down (1, 2, 4, 8 ... seconds); a TOTP code is accepted once only.
ECFS_MFA_REQUIRED_ROLES = env.list("ECFS_MFA_REQUIRED_ROLES", default=["manager", "commissioner", "admin"])
OTP_TOTP_ISSUER = "ECFS Case"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after 30 minutes idle, 12 hours at most, and when the browser closes. They live in the
# database, so signed-in people stay signed in while Redis is away.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_SECONDS = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Celery: a real worker and beat with Redis; in-process without it.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A job whose worker died unacknowledged goes back on the queue this long after it was taken (seconds). Keep it
# above the longest job and its retry delays; the fault tests set it short.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # The task itself checks for the first working day of the month (bank holidays excluded).
    "scheduled-returns": {
        "task": "reporting.tasks.scheduled_returns",
        "schedule": crontab(hour=6, minute=0),
    },
    "nightly-retention": {
        "task": "ecfs.privacy.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
    # Each person's digest of what is overdue (and the messages they asked to have held for it).
    "daily-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Families' reminders of tomorrow's visits and group sessions.
    "family-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(hour=10, minute=0),
    },
    # Messages whose job was never taken (the broker was away when their change committed).
    "waiting-messages": {
        "task": "notifications.tasks.send_waiting_messages",
        "schedule": crontab(minute="*/10"),
    },
}

# Messages (notifications/). Email through Django's email framework: EMAIL_URL is smtp+tls://user:pass@host:587
# (or smtp://, smtps://, consolemail://); by default each email is written as a file under var/messages/email/.
MESSAGES_DIR = Path(env.str("MESSAGES_DIR", default=str(BASE_DIR / "var" / "messages")))
vars().update(env.email_url("EMAIL_URL", default=f"filemail:///{MESSAGES_DIR / 'email'}"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ECFS Case <no-reply@ecfs.example.org>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Links in messages start here (a message carries a reference and a link, never a name).
ECFS_SITE_URL = env.str("ECFS_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Text messages: "notify" sends through GOV.UK Notify (NOTIFY_API_KEY and a text template whose whole body is
# ((message))); "file" writes each text under var/messages/texts/; "console" logs it.
SMS_BACKEND = env.str("SMS_BACKEND", default="notify" if env.str("NOTIFY_API_KEY", default="") else "file")
if SMS_BACKEND not in ("notify", "file", "console"):
    raise ImproperlyConfigured("SMS_BACKEND must be notify, file or console")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
if SMS_BACKEND == "notify" and not (NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID):
    raise ImproperlyConfigured("SMS_BACKEND=notify needs NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID")
# A message whose sending fails is tried again this many times (backing off) before it is marked failed.
ECFS_MESSAGE_MAX_ATTEMPTS = env.int("ECFS_MESSAGE_MAX_ATTEMPTS", default=5)

# The public request for support (frontdoor, README "The public routes"). Each address may post this many question
# pages and send this many requests; counted in the default cache (Redis when REDIS_URL is set; the embedded
# default's in-process cache is right for its single process, hence the silenced django-ratelimit check).
FRONTDOOR_RATE_LIMIT = env.str("FRONTDOOR_RATE_LIMIT", default="200/h")
FRONTDOOR_SEND_RATE_LIMIT = env.str("FRONTDOOR_SEND_RATE_LIMIT", default="10/h")
# The public feedback form (voice): answers sent per address, counted like the request for support's.
FEEDBACK_RATE_LIMIT = env.str("FEEDBACK_RATE_LIMIT", default="10/h")
# Behind a proxy, the header holding the visitor's address (e.g. HTTP_X_FORWARDED_FOR); REMOTE_ADDR otherwise.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="") or None
# Where *Exit this page* goes: a neutral website, as GOV.UK's pattern advises.
FRONTDOOR_EXIT_URL = env.str("FRONTDOOR_EXIT_URL", default="https://www.bbc.co.uk/weather")
# django-ratelimit knows Django's own Redis cache (ecfs.cache.TolerantRedisCache builds on it) only as "not
# officially supported"; its atomic INCR is what the limit needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])

# Retention (privacy/retention.py): keep a family's records until the youngest child is this old...
RETENTION_CHILD_AGE_YEARS = env.int("RETENTION_CHILD_AGE_YEARS", default=25)
# ...or this many years after the end of the financial year in which the last plan closed, whichever is later.
RETENTION_YEARS_AFTER_CLOSURE = env.int("RETENTION_YEARS_AFTER_CLOSURE", default=6)

# Family support fund: the most one budget change (or a new budget) may add or take away, in pounds. A bigger
# figure is refused as a likely typo (1e9 for 1000); a real one is entered in several changes.
try:
    ECFS_FUND_MAX_ADJUSTMENT = Decimal(env.str("ECFS_FUND_MAX_ADJUSTMENT", default="1000000"))
    if not Decimal("0.01") <= ECFS_FUND_MAX_ADJUSTMENT <= Decimal("9999999999.99"):
        raise InvalidOperation
except InvalidOperation:
    raise ImproperlyConfigured(
        "ECFS_FUND_MAX_ADJUSTMENT must be an amount in pounds between 0.01 and 9999999999.99, e.g. 1000000"
    ) from None

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "ecfs.api.auth.PartnerTokenAuthentication",
    ],
    # Fail closed: a view that declares no permission is refused (ecfs/api/permissions.py).
    "DEFAULT_PERMISSION_CLASSES": ["ecfs.api.permissions.DenyUnlessDeclared"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "ecfs.api.pagination.Pagination",
    # django-filter, except that ?status= (a non-text filter with no value) is a 400, not "any".
    "DEFAULT_FILTER_BACKENDS": ["ecfs.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "ecfs.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "ecfs.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"partner": "60/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ECFS Case API",
    "DESCRIPTION": "Case records of the Early Childhood and Family Service, scoped exactly as the pages are. "
    "See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OpenClosedEnum": "families.models.Family.Status",
        "PersonKindEnum": "families.models.Person.Kind",
        "PlanKindEnum": "families.models.SupportPlan.Kind",
        "PlanStatusEnum": "families.models.SupportPlan.Status",
        "ReferralStatusEnum": "referrals.models.Referral.Status",
        "ApplicationStatusEnum": "support_fund.models.Application.Status",
        "SessionStatusEnum": "venues.models.GroupSession.Status",
        "DeterminantEnum": "families.api_fields.DETERMINANT_CODES",
        "CommunityGroupKindEnum": "community.models.CommunityGroup.Kind",
        "CommunityGroupStatusEnum": "community.models.CommunityGroup.Status",
        "GrantStatusEnum": "community.models.GrantApplication.Status",
        "DevelopmentReviewKindEnum": "development.models.DevelopmentReview.Kind",
        # One level (above / close to / below the expected level) for each of the five ASQ-3 domains.
        "DevelopmentLevelEnum": "development.models.DevelopmentReview.Level",
        "ComplaintCategoryEnum": "voice.models.Complaint.Category",
        # The fund's categories keep the name API clients have known them by since the first release.
        "CategoryEnum": "support_fund.models.Application.Category",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ecfs.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "ecfs.logging.ScrubbingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Timescales of DESIGN §3, in working days (England and Wales bank holidays excluded).
ECFS_TRIAGE_DUE_WORKING_DAYS = env.int("ECFS_TRIAGE_DUE_WORKING_DAYS", default=3)
ECFS_FIRST_CONTACT_DUE_WORKING_DAYS = env.int("ECFS_FIRST_CONTACT_DUE_WORKING_DAYS", default=10)
