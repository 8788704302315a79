"""Settings shared by every environment. Anything that differs by place comes from the environment."""

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from config.observability import logging_config
from config.release import code_version

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# openpyxl parses a workbook's XML with defusedxml (no entities, no billion laughs) only when it
# does not use lxml; pikepdf brings lxml in, so tell openpyxl not to (read before it is imported).
os.environ.setdefault("OPENPYXL_LXML", "False")

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "config",  # people and roles, sign-in, shared template tags (the lowest layer)
    "strands",
    "actions",
    "targets",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, answered before anything else
    "config.observability.RequestLogMiddleware",  # a log line for everything else
    "config.middleware.ContentSecurityPolicyMiddleware",  # django-csp, for HTML pages
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.HtmxLoginRedirectMiddleware",
    "config.two_step.TwoStepMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
# A form sent from a page that had expired gets the product's own page (config/errors.py).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Tags every template uses, without {% load %}: a person's name, a status's tag.
            "builtins": [
                "config.templatetags.people",
                "actions.templatetags.statuses",
                "targets.templatetags.target_statuses",
            ],
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

    DATABASES["replica"] = replica_database(  # type: ignore[assignment]
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

# PostgreSQL plans every statement it is sent; most of a page's queries are the same few statements
# with other values, and planning them cost more than running them (~0.8 ms a query at 10x). Bound
# on the server (server-side binding), a statement run five times on a connection is prepared
# there and planned once. DATABASE_PREPARED_STATEMENTS=false behind a pooler in transaction mode
# (PgBouncer before 1.21), which cannot keep a connection's prepared statements.
if os.environ.get("DATABASE_PREPARED_STATEMENTS", "true").lower() not in {"false", "0", "no"}:
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _database.setdefault("OPTIONS", {}).update(
                {"server_side_binding": True, "prepare_threshold": 5}
            )

# SQLite (make run, demos, a small council) with a few people saving at once: each transaction
# takes the write lock when it begins (IMMEDIATE), so two saves queue for up to `timeout` seconds
# instead of one failing with "database is locked"; WAL lets pages be read while a save writes.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT_SECONDS", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

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
# `manage.py collectstatic` fills STATIC_ROOT; WhiteNoise serves it, compressed, with hashed names
# cached for a year (config.storage).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # GOV.UK Frontend from npm (not committed): its CSS, JS and component assets under static/govuk/.
    ("govuk", BASE_DIR / "node_modules/govuk-frontend/dist/govuk"),
]
STATICFILES_FINDERS = [
    "config.storage.StaticFilesFinder",  # STATICFILES_DIRS, with only what is served of govuk/
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# What is drawn (the dashboard, the action page's targets, published stocktakes) is kept in files
# every process on the server shares (gunicorn's workers and the background worker), so each state
# of the data is drawn once on a server, not once per process. CACHE_DIR must be a folder only
# this service can write (the entries are pickles). Several app servers may share one cache
# (Redis or memcached) through CACHES; entries are keyed by the data they show and by which
# database it is (config/data_state.py), and by the version of the code (config/release.py: an
# upgrade never serves what the previous version drew), so a shared cache is faster, never more
# correct.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")),
        "KEY_PREFIX": code_version(BASE_DIR),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", 600))
# The action page's targets and outcomes, kept in the same way (targets/action_page.py).
ACTION_PAGE_CACHE_SECONDS = int(os.environ.get("ACTION_PAGE_CACHE_SECONDS", 600))
# The outcome page's charts and breakdowns, kept in the same way (targets/views/outcome.py).
OUTCOME_PAGE_CACHE_SECONDS = int(os.environ.get("OUTCOME_PAGE_CACHE_SECONDS", 600))

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

# The framework spreadsheet: the largest file and the most rows per sheet an import accepts.
FRAMEWORK_IMPORT_MAX_BYTES = int(os.environ.get("FRAMEWORK_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
FRAMEWORK_IMPORT_MAX_ROWS = int(os.environ.get("FRAMEWORK_IMPORT_MAX_ROWS", 50_000))
# A workbook or zip is refused before it is unzipped if it holds more files than this, would unzip
# to more than this, or (a workbook) has a sheet reaching beyond this many columns or rows.
FRAMEWORK_IMPORT_MAX_MEMBERS = int(os.environ.get("FRAMEWORK_IMPORT_MAX_MEMBERS", 200))
FRAMEWORK_IMPORT_MAX_UNZIPPED_BYTES = int(
    os.environ.get("FRAMEWORK_IMPORT_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)
)
FRAMEWORK_IMPORT_MAX_COLUMNS = int(os.environ.get("FRAMEWORK_IMPORT_MAX_COLUMNS", 50))

# Logs: plain text, or JSON lines with LOG_FORMAT=json, with each request's id, person and time
# (config/observability.py).
LOGGING = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "text"), level=os.environ.get("LOG_LEVEL", "INFO")
)

# What a page may load (django-csp): only this site's own files; scripts also need this
# response's nonce, so no inline script runs unless the template gave it the nonce. Styles may be
# inline: the charts are SVG drawn by pygal, with their <style> inside them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Django's default, stated: a page's address is never sent to another site.
SECURE_REFERRER_POLICY = "same-origin"

# /healthz calls the background worker "stalled" when a task has waited this long for it.
WORKER_STALLED_AFTER_SECONDS = int(os.environ.get("WORKER_STALLED_AFTER_SECONDS", "300"))

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

# Single sign-on with the council's identity provider (OpenID Connect; config/sso.py,
# docs/single-sign-on.md). On when OIDC_ISSUER and OIDC_CLIENT_ID are set.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")  # Entra ID: "email" or "upn"
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
# The words on the button: "Sign in with your <name> account".
OIDC_BUTTON_NAME = os.environ.get("OIDC_BUTTON_NAME", COUNCIL_NAME)
# Let someone unknown in, created without a role (the programme team then gives them one).
OIDC_CREATE_UNKNOWN = os.environ.get("OIDC_CREATE_UNKNOWN", "") == "true"
# Optional: a claim (groups or app roles) and the role each value gives, as JSON:
# OIDC_ROLE_MAP='{"Outcomes.Director": "Service director", "Outcomes.Board": "Programme Board"}'
OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "")
OIDC_ROLE_MAP: dict[str, str] = json.loads(os.environ.get("OIDC_ROLE_MAP", "{}"))


def csp_allowing_provider(policy: dict, issuer: str) -> dict:
    """The policy, with the identity provider's origin added to form-action: signing out (a form)
    goes on to the provider's end-session page, and browsers check a form's redirects too."""
    origin = "/".join(issuer.split("/")[:3])
    directives = dict(policy["DIRECTIVES"])
    directives["form-action"] = [*directives["form-action"], origin]
    return {**policy, "DIRECTIVES": directives}


if OIDC_ISSUER:
    CONTENT_SECURITY_POLICY = csp_allowing_provider(CONTENT_SECURITY_POLICY, OIDC_ISSUER)

# Two-step sign-in for passwords (config/two_step.py): required for the programme team, optional
# for others unless TWO_STEP_REQUIRED_FOR_ALL. SSO_REQUIRED turns passwords off for everyone.
TWO_STEP_REQUIRED_FOR_ALL = os.environ.get("TWO_STEP_REQUIRED_FOR_ALL", "") == "true"
SSO_REQUIRED = os.environ.get("SSO_REQUIRED", "") == "true"
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", PROGRAMME_NAME)

# Its PDF is made by the background worker, which says it is still at it this often; an attempt
# not heard from for three of these, making for longer than the limit, or not started by any
# worker within the queue limit is given up on and can be made again
# (reporting/stocktake/services.py).
STOCKTAKE_HEARTBEAT_SECONDS = float(os.environ.get("STOCKTAKE_HEARTBEAT_SECONDS", 10))
STOCKTAKE_RENDER_LIMIT_SECONDS = float(os.environ.get("STOCKTAKE_RENDER_LIMIT_SECONDS", 600))
STOCKTAKE_QUEUE_LIMIT_SECONDS = float(os.environ.get("STOCKTAKE_QUEUE_LIMIT_SECONDS", 900))

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
# The address is slowed separately, with a limit an office's honest mistakes never reach: after this
# many failed sign-ins from one address within AXES_COOLOFF_TIME (whatever accounts they were for),
# no password is checked from it until the oldest of them is that old (config.security). django-axes
# logs every failure with its address for this.
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", 100))
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SIGN_IN_FAILURE_LOG_DAYS = int(os.environ.get("SIGN_IN_FAILURE_LOG_DAYS", 90))  # then forgotten
# Behind proxies or a load balancer, every request comes from them: TRUSTED_PROXY_COUNT says how
# many add themselves to X-Forwarded-For, so the address counted and logged is the person's.
if os.environ.get("TRUSTED_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["TRUSTED_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AXES_USERNAME_CALLABLE = "config.security.attempted_email"
AXES_LOCKOUT_CALLABLE = "config.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # config.security logs each sign-in, failure and lockout as one line

# Sessions end after 30 minutes without a request and after 10 hours in all
# (config.middleware.SessionLimitsMiddleware); two minutes before, the page warns and offers to
# stay signed in (static/session-timeout.js). A request renews the idle limit when the last
# renewal is SESSION_RENEW_SECONDS old, not every time: each renewal is a write to the database.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", 30)) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", 10)) * 3600
SESSION_WARNING_SECONDS = 120

# Invitations to set a password, and "Forgotten your password?" links, last this long.
INVITATION_EXPIRY_DAYS = int(os.environ.get("INVITATION_EXPIRY_DAYS", 7))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_HOURS", 2)) * 3600
