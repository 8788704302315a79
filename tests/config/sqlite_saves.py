"""Several people saving progress at the same moment, against a file-based SQLite database.

Run by tests/config/test_sqlite_saves.py in a Python of its own (the test suite's SQLite database
is in memory, where locking works differently):

    DATABASE_URL=sqlite:///PATH python -m tests.config.sqlite_saves PEOPLE SAVES [--deferred]

Each person (a thread with its own connection) records SAVES progress updates on their own action,
all starting together. Prints one JSON line: saves made, errors (by message), seconds taken.
--deferred uses SQLite's default transaction mode instead of the settings' IMMEDIATE, to show
what the settings prevent.
"""

import json
import os
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main(people: int, saves: int, deferred: bool) -> dict:
    # Imported here: the settings are changed (--deferred) before Django is set up, and the models
    # can only be imported after.
    import django
    from django.conf import settings

    if deferred:
        settings.DATABASES["default"]["OPTIONS"].pop("transaction_mode")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from actions.models import Action, ProgressUpdate, Status
    from actions.services import record_progress
    from config import roles
    from tests import factories

    call_command("migrate", verbosity=0)
    area = factories.service_area("HOU", name="Housing")
    director = factories.person("director@council.example", role=roles.SERVICE_DIRECTOR)
    actions = [factories.action(f"HOU-{n:02}", area=area) for n in range(1, people + 1)]
    connection.close()

    start = threading.Barrier(people)
    errors: list[str] = []

    def person(action: Action) -> None:
        try:
            start.wait()
            for n in range(1, saves + 1):
                try:
                    current = Action.objects.get(pk=action.pk)
                    record_progress(
                        action=current,
                        user=director,
                        status=Status.ON_TRACK,
                        progress=n,
                        narrative=f"Update {n}",
                        seen_version=current.version,
                    )
                except Exception as error:  # the point: count every failure, whatever it is
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=person, args=(a,)) for a in actions]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began

    return {
        "people": people,
        "saves_each": saves,
        "saved": ProgressUpdate.objects.count(),
        "progress": sorted(Action.objects.values_list("progress", flat=True)),
        "errors": {message: errors.count(message) for message in set(errors)},
        "seconds": round(seconds, 2),
        "transaction_mode": connection.transaction_mode,
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
    }


if __name__ == "__main__":
    people, saves = int(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(main(people, saves, "--deferred" in sys.argv[3:])))
