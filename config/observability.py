"""What operators see: one log line per request (with its id, the person and how long it took),
logs as JSON lines on request (LOG_FORMAT=json), and errors sent to Sentry when SENTRY_DSN is set.
"""

import contextvars
import datetime
import json
import logging
import os
import re
import time
import uuid

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished

# The id of the request being handled, on every log record made while handling it.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# An id a proxy or load balancer sent (X-Request-ID) is kept if it looks like one.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

# Attributes every LogRecord has; anything else on a record was passed as `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

requests_log = logging.getLogger("config.requests")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the request id, any `extra`
    values, and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key != "request" and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class RequestLogMiddleware:
    """Gives each request an id (kept from X-Request-ID when a proxy sent one, and sent back in
    that header), and logs one line when it is answered: method, path, status, the person's id
    and the time taken. Next after WhiteNoise: static files are not logged, and the time is the
    rest of Django's."""

    def __init__(self, get_response):
        self.get_response = get_response
        # The id stays set until the response is finished, so that what Django logs after the
        # middleware ("Not Found: ...", a 500's traceback) carries it too.
        request_finished.connect(_forget_request_id, dispatch_uid="config.observability")

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request_id.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        requests_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "htmx": request.headers.get("HX-Request") == "true",
            },
        )
        response["X-Request-ID"] = rid
        return response


def _forget_request_id(**kwargs) -> None:
    request_id.set("")


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: plain text by default, JSON lines with LOG_FORMAT=json. The
    per-request lines are logged only as JSON (as text, the web server's access log has them)."""
    if log_format not in ("text", "json"):
        raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
    as_json = log_format == "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "config.observability.JsonFormatter"},
            "text": {"format": "%(levelname)s %(name)s %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"config.requests": {"level": "INFO" if as_json else "WARNING"}},
    }


def init_sentry(dsn: str, *, environment: str) -> None:
    """Send errors to Sentry. sentry-sdk is optional: pip install ".[sentry]"."""
    try:
        import sentry_sdk  # noqa: PLC0415 (optional: imported only when SENTRY_DSN is set)
        from sentry_sdk.integrations.django import DjangoIntegration  # noqa: PLC0415
    except ImportError as error:
        raise ImproperlyConfigured(
            'SENTRY_DSN is set but sentry-sdk is not installed: pip install ".[sentry]".'
        ) from error
    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", environment),
        integrations=[DjangoIntegration()],
        send_default_pii=False,  # no emails, IP addresses, cookies or form contents
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
