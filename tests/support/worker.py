"""A real background worker and its world, in processes of their own, for
tests/reporting/test_worker_restarts.py (which kills and restarts it).

    python -m tests.support.worker setup            # people, a framework, a cycle, a stocktake
    python -m tests.support.worker progress         # a director records progress
    python -m tests.support.worker request-pdf      # the programme team asks for the PDF
    python -m tests.support.worker publish          # and publishes the stocktake
    python -m tests.support.worker send-reminders   # the day's reminders, queued to run now
    python -m tests.support.worker db_worker ARGS   # manage.py db_worker ARGS

Settings: config.settings.local (the database worker's queue, as in production) against
DATABASE_URL. To give the test a moment to stop the worker in, SLOW_PDF=N makes each PDF take N
seconds longer, and MAIL_LOG=FILE replaces the mail server: each message is logged as
"sending EMAIL", takes SLOW_MAIL seconds, then is logged as "sent EMAIL".
"""

import datetime
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

TEAM = "team@council.example"


def _slow_steps() -> None:
    if seconds := float(os.environ.get("SLOW_PDF", 0)):
        from reporting.stocktake import pdf

        real = pdf.render

        def slow_render(built):
            time.sleep(seconds)
            return real(built)

        pdf.render = slow_render
    if log := os.environ.get("MAIL_LOG"):
        from django.core.mail import EmailMultiAlternatives

        def send(message, fail_silently=False):
            with open(log, "a") as file:
                file.write(f"sending {message.to[0]}\n")
            time.sleep(float(os.environ.get("SLOW_MAIL", 0)))
            with open(log, "a") as file:
                file.write(f"sent {message.to[0]}\n")
            return 1

        EmailMultiAlternatives.send = send


def setup() -> None:
    from actions.models import ReportingCycle
    from config import roles
    from reporting.models import Stocktake
    from tests import factories

    factories.person(TEAM, role=roles.PROGRAMME_TEAM)
    strand = factories.strand("SERV", name="Service provider")
    for n in (1, 2, 3):
        director = factories.person(f"director{n}@council.example", role=roles.SERVICE_DIRECTOR)
        area = factories.service_area(f"AREA{n}", strand_=strand, director=director)
        factories.action(f"AREA{n}-01", area=area, title=f"Action {n}")
    today = timezone.localdate()
    ReportingCycle.objects.create(
        name="This quarter", start_date=today, close_date=today + datetime.timedelta(days=60)
    )
    Stocktake.objects.create(year=today.year, as_at=timezone.now())


def progress() -> None:
    from actions import services
    from actions.models import Action

    first = Action.objects.get(ref="AREA1-01")
    services.record_progress(
        action=first,
        user=first.service_area.director,
        status="on_track",
        progress=30,
        narrative="Going well",
        seen_version=first.version,
    )


def publish() -> None:
    from reporting.models import Stocktake
    from reporting.stocktake import services

    services.publish(
        stocktake=Stocktake.objects.get(), user=get_user_model().objects.get(email=TEAM)
    )


def request_pdf() -> None:
    from reporting.models import Stocktake
    from reporting.stocktake import services

    render = services.request_pdf(
        stocktake=Stocktake.objects.get(), user=get_user_model().objects.get(email=TEAM)
    )
    print(render.pk)


def send_reminders() -> None:
    from reporting.tasks import send_daily_reminders

    send_daily_reminders.enqueue()


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "db_worker":
        _slow_steps()
        call_command("db_worker", *args)
    else:
        steps = {
            "setup": setup,
            "progress": progress,
            "request-pdf": request_pdf,
            "publish": publish,
            "send-reminders": send_reminders,
        }
        steps[command]()
