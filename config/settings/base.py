"""Settings shared by every environment. Anything that differs by place comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# "local", "test" or "production": commands that must never run in production check this.
ENVIRONMENT = "base"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Islington Council")
PROGRAMME_NAME = os.environ.get("PROGRAMME_NAME", "Challenging Inequality Programme")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # lets the form renderer (TemplatesSetting) find Django's widget templates
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "strands",
    "actions",
    "targets",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.HtmxLoginRedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "config.context_processors.site",
            ],
        },
    },
]

# Forms render with the GOV.UK component templates in templates/components/.
FORM_RENDERER = "config.forms.GovukFormRenderer"

WSGI_APPLICATION = "config.wsgi.application"

# SQLite unless DATABASE_URL names another database (PostgreSQL through psycopg 3 in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# A read replica (PostgreSQL streaming replication) for the dashboard and the reports, when
# DATABASE_REPLICA_URL names one (config/db_router.py); everything else uses the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    from config.db_router import replica_database

    DATABASES["replica"] = replica_database(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 (Django's recommended hasher, through argon2-cffi) for new and changed passwords; the
# others still check older hashes, which are re-hashed with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# People sign in with their email address; the username holds it, lower-cased.
AUTHENTICATION_BACKENDS = ["strands.auth.EmailBackend"]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # GOV.UK Frontend from npm (not committed): its CSS, JS and component assets under static/govuk/.
    ("govuk", BASE_DIR / "node_modules/govuk-frontend/dist/govuk"),
]

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Each process keeps what it has drawn in its own memory; several app servers may share a cache
# (Redis, memcached or Django's database cache) through CACHES. Entries are keyed by the data
# they show (reporting/dashboard/cache.py), so a shared cache is faster, never more correct.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", 600))

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

# The framework spreadsheet: the largest file and the most rows per sheet an import accepts.
FRAMEWORK_IMPORT_MAX_BYTES = int(os.environ.get("FRAMEWORK_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
FRAMEWORK_IMPORT_MAX_ROWS = int(os.environ.get("FRAMEWORK_IMPORT_MAX_ROWS", 50_000))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The programme's working rhythm: reminders (sent every day at REMINDER_SEND_AT, local time, by
# the background worker, retried REMINDER_RETRY_SECONDS later if a run is cut short), the links
# they carry, and framework uploads waiting for confirmation.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "outcomes-framework@council.example")
REMINDER_DAYS_BEFORE_CLOSE = int(os.environ.get("REMINDER_DAYS_BEFORE_CLOSE", 5))
REMINDER_SEND_AT = os.environ.get("REMINDER_SEND_AT", "07:00")
REMINDER_RETRY_SECONDS = int(os.environ.get("REMINDER_RETRY_SECONDS", 900))
FRAMEWORK_UPLOAD_EXPIRY_MINUTES = int(os.environ.get("FRAMEWORK_UPLOAD_EXPIRY_MINUTES", 60))
FRAMEWORK_BROWSER_PAGE_SIZE = int(os.environ.get("FRAMEWORK_BROWSER_PAGE_SIZE", 50))

# The annual stocktake: in anything published, a breakdown value below this is shown as
# "fewer than N", never the number (reporting/stocktake/suppression.py).
SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", 5))
# Its PDF is made by the background worker, which says it is still at it this often; an attempt
# not heard from for three of these, making for longer than the limit, or not started by any
# worker within the queue limit is given up on and can be made again
# (reporting/stocktake/services.py).
STOCKTAKE_HEARTBEAT_SECONDS = float(os.environ.get("STOCKTAKE_HEARTBEAT_SECONDS", 10))
STOCKTAKE_RENDER_LIMIT_SECONDS = float(os.environ.get("STOCKTAKE_RENDER_LIMIT_SECONDS", 600))
STOCKTAKE_QUEUE_LIMIT_SECONDS = float(os.environ.get("STOCKTAKE_QUEUE_LIMIT_SECONDS", 900))
