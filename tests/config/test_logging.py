"""Logs an operator can search: one line per request with its id, the person and the time taken;
JSON lines with LOG_FORMAT=json; every line made while handling a request carries its id."""

import io
import json
import logging
import logging.config
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.observability import JsonFormatter, RequestIdFilter, logging_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="config.requests")
    return lambda: [r for r in caplog.records if r.name == "config.requests"]


@pytest.fixture
def json_lines():
    """What the console handler of LOG_FORMAT=json writes, for the django.request logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_each_request_is_logged_with_its_id_the_person_and_the_time(client, world, request_lines):
    client.force_login(world.director)
    response = client.get(reverse("my-actions"))
    (line,) = request_lines()
    assert line.getMessage() == "GET /my-actions/ 200"
    assert (line.method, line.path, line.status) == ("GET", "/my-actions/", 200)
    assert line.user_id == world.director.pk
    assert line.request_id == response["X-Request-ID"] and len(line.request_id) == 32
    assert 0 < line.duration_ms < 60_000


def test_a_request_id_from_the_proxy_is_kept_and_a_strange_one_is_not(client, request_lines):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-1234-abcd"})
    assert kept["X-Request-ID"] == "lb-1234-abcd"
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert [line.request_id for line in request_lines()] == [
        "lb-1234-abcd",
        replaced["X-Request-ID"],
    ]
    assert [line.user_id for line in request_lines()] == [None, None]


def test_lines_logged_while_handling_a_request_carry_its_id_as_json(client, json_lines):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    (line,) = json_lines()
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["level"], line["logger"]) == ("WARNING", "django.request")
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["status_code"] == 404
    assert "request" not in line  # the request object itself is not written out


def test_an_exception_is_written_with_its_traceback_on_one_line():
    formatter = JsonFormatter()
    try:
        raise ValueError("a bad cell")
    except ValueError:
        record = logging.getLogger("test").makeRecord(
            "test", logging.ERROR, __file__, 1, "Import failed", None, exc_info=sys.exc_info()
        )
    text = formatter.format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "Import failed"
    assert "ValueError: a bad cell" in line["exc_info"]


def test_log_format_json_writes_json_lines_and_request_lines():
    config = logging_config(log_format="json", level="INFO")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["loggers"]["config.requests"]["level"] == "INFO"
    text = logging_config(log_format="text", level="INFO")
    assert text["loggers"]["config.requests"]["level"] == "WARNING"  # the access log has them


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be text or json"):
        logging_config(log_format="xml", level="INFO")
