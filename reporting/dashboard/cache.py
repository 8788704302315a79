"""The dashboard drawn once for each state of the data, and kept until the data changes.

What the dashboard shows changes only when something it reads changes, and every such change
writes a history row (django-simple-history). So the largest history id of each model it reads
(and of the people, whose names it shows), read in one query (config.data_state), names the state
of the data: any save or delete makes a new key, so nothing stale is ever served, and old entries
simply age out. The actions are the exception: every progress save writes their history, but most
saves change nothing the dashboard shows (the status stays, the action was already updated in the
cycle), so they are named by Action.shown_version instead (shown_actions), and a director's save
no longer redraws the Board's dashboard. An action's first update in a cycle moves only the cycle
figures (Action.cycle_version, ``CYCLE``): every other figure and section is kept under a key
without it (``ALL_BUT_CYCLE``, reporting/dashboard/figures.py), and only those are drawn again.
The key also holds the day (figures such as "late" and "due soon" move with it) and the filters.

Django's cache holds the drawn body (the default cache is each process's memory, which is right
for one key per state of the data; several app servers can share one through ``CACHES``). A
change made without history (``.update()``, which the services never use) shows after at most
``DASHBOARD_CACHE_SECONDS``.
"""

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache as django_cache
from django.db.models import Count, Max, Sum

from actions.models import Action, Challenge, ChallengeEntry, ProgressUpdate, ReportingCycle
from config.data_state import digest, latest_changes
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


# Read from their history; the actions and their updates are read as the lists show them (below).
HISTORY_TRACKED = tuple(model for model in TRACKED if model not in (Action, ProgressUpdate))


def shown_actions() -> tuple[tuple, int | None]:
    """The state of the actions as the dashboard shows them, and of their first updates in each
    cycle: a progress save that keeps the status of an action already updated in the cycle (most
    saves) leaves both; an action's first update in a cycle moves the second
    (Action.cycle_version); anything else the dashboard shows of an action or its updates moves
    the first (Action.shown_version). One query."""
    row = Action.objects.aggregate(
        shown=Sum("shown_version"), cycles=Sum("cycle_version"), count=Count("pk"), newest=Max("pk")
    )
    return (row["shown"], row["count"], row["newest"]), row["cycles"]


# What the outcomes on the dashboard read: a progress save (the commonest change) leaves them.
# With filters that narrow the actions, the outcomes in view follow the actions too.
OUTCOME_DATA = (Strand, ServiceArea, Target, Outcome, Measurement)
PEOPLE = "people"
DATABASE = "database"  # which database this is (config.data_state)
CYCLE = "cycle"  # the actions' first updates in each reporting cycle (shown_actions)
SETTLED = (
    "settled"  # no other transaction was writing (config.data_state.State): keep what is drawn
)


def versions() -> dict:
    """The state of each model the dashboard reads, and of the people: two queries."""
    state = latest_changes((*HISTORY_TRACKED, get_user_model()))
    *tracked, people, database = state.ids  # the last names which database this is
    actions, cycles = shown_actions()
    return {
        **dict(zip(HISTORY_TRACKED, tracked, strict=True)),
        Action: actions,
        ProgressUpdate: actions,
        PEOPLE: people,
        DATABASE: database,
        CYCLE: cycles,
        SETTLED: state.settled,
    }


# Everything the dashboard reads but the actions' first updates in the cycle: what the figures
# and sections other than the cycle's are kept under.
ALL_BUT_CYCLE = (*TRACKED, PEOPLE)


def data_version(state: dict | None = None) -> str:
    """A short name for the present state of everything the dashboard reads."""
    state = versions() if state is None else state
    return digest([(getattr(k, "__name__", k), v) for k, v in state.items()])


def part_key(name: str, state: dict, models, *, scope) -> str:
    """The key of one figure: the state of what it reads, the filters and the day."""
    parts = [(getattr(model, "__name__", model), state[model]) for model in models]
    return f"dashboard:{name}:{digest([parts, state[DATABASE], repr(scope.filters), scope.today])}"


def key(*, version: str, today: datetime.date, query: str, partial: bool) -> str:
    name = hashlib.sha256(f"{version}|{today}|{query}|{partial}".encode()).hexdigest()
    return f"dashboard:{name}"


def get(key_: str):
    return django_cache.get(key_)


def put(key_: str, value) -> None:
    django_cache.set(key_, value, timeout=settings.DASHBOARD_CACHE_SECONDS)
