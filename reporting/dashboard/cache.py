"""The dashboard drawn once for each state of the data, and kept until the data changes.

What the dashboard shows changes only when something it reads changes, and every such change
writes a history row (django-simple-history). So the largest history id of each model it reads
(and of the people, whose names it shows), read in one query, names the state of the data: any
save or delete makes a new key, so nothing stale is ever served, and old entries simply age out.
The key also holds the day (figures such as "late" and "due soon" move with it) and the filters.

Django's cache holds the drawn body (the default cache is each process's memory, which is right
for one key per state of the data; several app servers can share one through ``CACHES``). A
change made without history (``.update()``, which the services never use) shows after at most
``DASHBOARD_CACHE_SECONDS``.
"""

import datetime
import hashlib
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache as django_cache
from django.db import connections, router

from actions.models import Action, Challenge, ChallengeEntry, ProgressUpdate, ReportingCycle
from strands.models import ServiceArea, Strand
from targets.models import Measurement, Outcome, Target

TRACKED = (
    Strand,
    ServiceArea,
    Action,
    ProgressUpdate,
    Challenge,
    ChallengeEntry,
    Target,
    Outcome,
    Measurement,
    ReportingCycle,
)


@cache
def _version_sql(vendor: str) -> str:
    del vendor  # one statement per database vendor, in case quoting differs
    connection = connections[router.db_for_read(Action)]
    quote = connection.ops.quote_name
    parts = []
    for model in TRACKED:
        history = model.history.model._meta
        parts.append(f"(SELECT MAX({quote(history.pk.column)}) FROM {quote(history.db_table)})")
    people = get_user_model()._meta
    parts.append(f"(SELECT MAX({quote(people.pk.column)}) FROM {quote(people.db_table)})")
    parts.append(f"(SELECT COUNT(*) FROM {quote(people.db_table)})")
    return "SELECT " + ", ".join(parts)


# What the outcomes on the dashboard read: a progress save (the commonest change) leaves them.
# With filters that narrow the actions, the outcomes in view follow the actions too.
OUTCOME_DATA = (Strand, ServiceArea, Target, Outcome, Measurement)
PEOPLE = "people"


def versions() -> dict:
    """The state of each model the dashboard reads: its largest history id (one query)."""
    connection = connections[router.db_for_read(Action)]
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(connection.vendor))
        row = cursor.fetchone()
    return {**dict(zip(TRACKED, row[: len(TRACKED)], strict=True)), PEOPLE: row[len(TRACKED) :]}


def data_version(state: dict | None = None) -> str:
    """A short name for the present state of everything the dashboard reads."""
    state = versions() if state is None else state
    return _digest([(getattr(k, "__name__", k), v) for k, v in state.items()])


def part_key(name: str, state: dict, models, *, scope) -> str:
    """The key of one figure: the state of what it reads, the filters and the day."""
    parts = [(model.__name__, state[model]) for model in models]
    return f"dashboard:{name}:{_digest([parts, repr(scope.filters), scope.today])}"


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:20]


def key(*, version: str, today: datetime.date, query: str, partial: bool) -> str:
    digest = hashlib.sha256(f"{version}|{today}|{query}|{partial}".encode()).hexdigest()
    return f"dashboard:{digest}"


def get(key_: str):
    return django_cache.get(key_)


def put(key_: str, value) -> None:
    django_cache.set(key_, value, timeout=settings.DASHBOARD_CACHE_SECONDS)
