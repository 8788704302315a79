"""Build a stocktake's PDF from the command line, for scripts:

    python manage.py build_stocktake --year 2026 [--as-at 2026-03-31] --output stocktake-2026.pdf

--as-at is a day (the stocktake shows what was recorded by the end of it; today means now) and
defaults to now. If a stocktake for the year has been started, the PDF follows it: the year it
was started from, and what changed since the stocktake before.
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.models import Stocktake
from reporting.stocktake import content as stocktake_content
from reporting.stocktake import pdf
from reporting.stocktake.services import as_at_moment


class Command(BaseCommand):
    help = "Build the stocktake PDF for a year, as at a day (default: now)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The year, e.g. 2026.")
        parser.add_argument("--as-at", dest="as_at", help="A day, YYYY-MM-DD (default: now).")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")

    def handle(self, *args, year: int, as_at: str | None, output: str, **options):
        moment = self._moment(as_at)
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(f"--output: the folder {target.parent} does not exist")
        stocktake = Stocktake.objects.select_related("baseline").filter(year=year).first()
        baseline = stocktake.baseline if stocktake else None
        built = stocktake_content.build(
            year=year,
            as_at=moment,
            baseline=baseline,
            previous=stocktake_content.previous_stocktake(year, moment, baseline),
        )
        rendered = pdf.render(built)
        target.write_bytes(rendered.data)
        seconds = rendered.html_seconds + rendered.weasyprint_seconds
        self.stdout.write(
            f"Wrote {target}: the {year} stocktake as at "
            f"{timezone.localtime(moment):%-d %B %Y %H:%M}, {rendered.pages} pages, "
            f"{len(built.actions)} public actions, in {seconds:.1f} seconds."
        )

    def _moment(self, text: str | None) -> datetime.datetime:
        if not text:
            return timezone.now()
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f'--as-at: "{text}" is not a date (use YYYY-MM-DD)') from None
        try:
            return as_at_moment(day)
        except ValidationError as error:
            raise CommandError(f"--as-at: {' '.join(error.messages)}") from None
