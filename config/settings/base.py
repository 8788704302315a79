"""Settings shared by every environment. Anything that differs by place comes from the environment."""

import datetime
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
    "config",  # people and roles, sign-in, shared template tags (the lowest layer)
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# People sign in with their email address (config.User), whatever its letter case.
AUTH_USER_MODEL = "config.User"
AUTHENTICATION_BACKENDS = ["config.auth.EmailBackend"]
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

# The programme's working rhythm: reminders (python manage.py send_reminders, run daily by cron),
# the links they carry, and framework uploads waiting for confirmation.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "outcomes-framework@council.example")
REMINDER_DAYS_BEFORE_CLOSE = int(os.environ.get("REMINDER_DAYS_BEFORE_CLOSE", 5))
FRAMEWORK_UPLOAD_EXPIRY_MINUTES = int(os.environ.get("FRAMEWORK_UPLOAD_EXPIRY_MINUTES", 60))
FRAMEWORK_BROWSER_PAGE_SIZE = int(os.environ.get("FRAMEWORK_BROWSER_PAGE_SIZE", 50))

# The annual stocktake: in anything published, a breakdown value below this is shown as
# "fewer than N", never the number (reporting/stocktake/suppression.py).
SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", 5))

# --- People, sign-in and sessions (issue 10) ------------------------------------------------------
# Repeated failed sign-ins lock the account (django-axes): 10 failures for one email address within
# 15 minutes lock it for 15 minutes, whether or not the account exists. The email address is
# compared as config.User stores it (lower case), so changing its case does not get round the lock.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += [
    "config.middleware.SessionLimitsMiddleware",
    "config.middleware.RefusalLogMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("SIGN_IN_LOCK_MINUTES", 15)))
# By account only: locking an address too would lock a whole council office behind one NAT address
# after 10 mistakes among its staff. (axes.W006 warns about exactly this choice.)
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "config.security.attempted_email"
AXES_LOCKOUT_CALLABLE = "config.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # config.security logs each sign-in, failure and lockout as one line

# Sessions end after 30 minutes without a request (every request renews the cookie) and after
# 10 hours in all (config.middleware.SessionLimitsMiddleware); two minutes before, the page warns
# and offers to stay signed in (static/session-timeout.js).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", 30)) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", 10)) * 3600
SESSION_WARNING_SECONDS = 120

# Invitations to set a password, and "Forgotten your password?" links, last this long.
INVITATION_EXPIRY_DAYS = int(os.environ.get("INVITATION_EXPIRY_DAYS", 7))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_HOURS", 2)) * 3600
