"""The people in the load run (bench/bench_load.py starts this file in a process of its own).

Locust (a development-only dependency) drives three kinds of people at a human pace against a
server on this machine's loopback address, for a bounded time and number of requests:

- service directors bringing their actions up to date: My actions, an action page, a progress
  save (the form the page renders, filled in and posted), a framework search;
- Programme Board members reading: the dashboard (as it opens and filtered), an outcome page,
  an action page;
- the public: the published stocktakes, the accessibility statement and the sign-in page.

The people use Locust's FastHttpUser (geventhttpclient), not HttpUser (requests): the client runs
on the same two CPUs as gunicorn and PostgreSQL, and its time to send, receive and read a page is
counted in each page's figures. The light client costs a fraction of requests' CPU, so the figures
say more of the server's time and less of the client's (one run of each on the same code: the
progress save's p50 89 ms with HttpUser, 79 ms with FastHttpUser; the server's own time for the
POST and the page it redirects to, from the JSON request logs, p50 77 and 73 ms).

Usage: load_users.py HOST PLAN.json SECONDS USERS MAX_REQUESTS
Prints one JSON object per page, then one for all pages together:

    {"bench": "load", "page": "dashboard", "requests": 311, "errors": 0, "p50_ms": 52, ...}
"""

# Locust patches the standard library with gevent: it must come before anything else.
from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

HOST, PLAN_FILE, SECONDS, USERS, MAX_REQUESTS = sys.argv[1:6]
PLAN = json.loads(open(PLAN_FILE).read())  # noqa: SIM115
PASSWORD = PLAN["password"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The form's action may name the panel to open at ("…/progress/#progress-panel").
PROGRESS_FORM = re.compile(r'<form[^>]*action="[^"]*/progress/(?:#[^"]*)?"[^>]*>(.*?)</form>', re.S)
VERSION = re.compile(r'name="version" value="(\d+)"')
CHECKED_STATUS = re.compile(
    r'name="status"[^>]*value="([a-z_]+)"[^>]*checked|'
    r'name="status"[^>]*checked[^>]*value="([a-z_]+)"'
)
FIRST_STATUS = re.compile(r'name="status"[^>]*value="([a-z_]+)"')
directors = itertools.cycle(PLAN["directors"])  # each director-user takes a different action
SIGNED_IN: list[str] = []


class Person(FastHttpUser):
    abstract = True
    host = HOST
    wait_time = between(1, 3)  # a person reads a page before asking for the next

    def sign_in(self, email: str) -> None:
        page = self.client.get("/sign-in/", name="sign-in page")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/sign-in/",
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{email} could not sign in: {response.status_code}")
        SIGNED_IN.append(email)


class Director(Person):
    weight = 10

    def on_start(self) -> None:
        me = next(directors)
        self.email, self.action = me["email"], me["action"]
        self.sign_in(self.email)

    @task(3)
    def my_actions(self) -> None:
        self.client.get("/my-actions/", name="my actions")

    @task(3)
    def update_progress(self) -> None:
        page = self.client.get(f"/actions/{self.action}/", name="action page")
        form = PROGRESS_FORM.search(page.text)
        if form is None:
            self.environment.events.request.fire(
                request_type="POST",
                name="progress save",
                response_time=0,
                response_length=0,
                exception=RuntimeError("the action page had no progress form"),
            )
            return
        html = form.group(1)
        checked = CHECKED_STATUS.search(html)
        status = (
            (checked.group(1) or checked.group(2))
            if checked
            else FIRST_STATUS.search(html).group(1)
        )
        self.client.post(
            f"/actions/{self.action}/progress/",
            {
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                "version": VERSION.search(html).group(1),
                "status": status,
                "progress": str(100 if status == "complete" else random.randint(10, 90)),
                "narrative": "Load run: steady progress this quarter.",
                "closed_reason": "",
            },
            name="progress save",
        )

    @task(1)
    def search(self) -> None:
        self.client.get("/framework/?q=synthetic+action+1", name="framework search")


class BoardMember(Person):
    weight = 10

    def on_start(self) -> None:
        self.sign_in(PLAN["board"])

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")

    @task(2)
    def dashboard_filtered(self) -> None:
        self.client.get(
            f"/dashboard/?strand={PLAN['strand']}&status=on_track&characteristic=race",
            name="dashboard, filtered",
        )

    @task(2)
    def outcome(self) -> None:
        self.client.get(f"/outcomes/{random.choice(PLAN['outcomes'])}/", name="outcome page")

    @task(2)
    def action(self) -> None:
        self.client.get(f"/actions/{random.choice(PLAN['actions'])}/", name="action page")


class Public(Person):
    weight = 5

    @task(2)
    def stocktakes(self) -> None:
        self.client.get("/public/stocktakes/", name="public stocktakes")

    @task(1)
    def accessibility(self) -> None:
        self.client.get("/accessibility/", name="accessibility statement")

    @task(1)
    def sign_in_page(self) -> None:
        self.client.get("/sign-in/", name="sign-in page")


def main() -> int:
    environment = Environment(user_classes=[Director, BoardMember, Public], events=events)
    runner = environment.create_local_runner()

    @events.request.add_listener
    def stop_at_the_bound(**_kwargs):
        if environment.stats.total.num_requests >= int(MAX_REQUESTS):
            runner.quit()

    def measure_once_everyone_is_in() -> None:
        # Sign-ins are a deliberate cost of their own (bench/bench_signin.py): count from a
        # couple of seconds after everyone has arrived and signed in.
        while runner.user_count < int(USERS) or len(SIGNED_IN) < sum(
            n for name, n in runner.user_classes_count.items() if name != "Public"
        ):
            gevent.sleep(0.2)
        gevent.sleep(2)
        environment.stats.reset_all()
        print(f"# everyone signed in; measuring from here ({len(SIGNED_IN)} sign-ins)", flush=True)

    gevent.spawn(measure_once_everyone_is_in)
    runner.start(int(USERS), spawn_rate=max(1, int(USERS) // 5))
    gevent.spawn_later(float(SECONDS), runner.quit)
    runner.greenlet.join()
    stats = environment.stats
    elapsed = max(stats.total.last_request_timestamp - stats.total.start_time, 1e-9)
    entries = sorted((e for e in stats.entries.values() if e.num_requests), key=lambda e: e.name)
    for entry in [*entries, stats.total]:
        print(json.dumps(figures(entry, elapsed)), flush=True)
    for error in stats.errors.values():
        print(f"# error: {error.method} {error.name}: {error.error} ({error.occurrences}×)")
    return 0


def figures(entry, elapsed: float) -> dict:
    return {
        "bench": "load",
        "page": entry.name if entry.name != "Aggregated" else "all pages",
        "users": int(USERS),
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "p50_ms": entry.get_response_time_percentile(0.50),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
        "requests_per_s": round(entry.num_requests / elapsed, 2),
    }


if __name__ == "__main__":
    sys.exit(main())
