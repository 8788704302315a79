from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from config.models import normalise_email
from targets.spreadsheet import FrameworkFileError, import_framework


class Command(BaseCommand):
    help = (
        "Import an outcomes framework from an .xlsx workbook, a .zip of CSVs or a folder of CSVs. "
        "All or nothing: any problem and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx workbook, .zip file or folder of CSV files.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--user",
            help='Email of the person the change is recorded against (by default the "Framework '
            'import" account).',
        )
        parser.add_argument("--reason", default="", help="Why: recorded in every item's history.")

    def handle(self, *args, path, dry_run, user, reason, **options):
        person = None
        if user:
            person = get_user_model().objects.filter(email=normalise_email(user)).first()
            if person is None:
                raise CommandError(f'There is no person with the email "{user}".')
        try:
            plan = import_framework(path, user=person, reason=reason, dry_run=dry_run)
        except FrameworkFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found."
            ) from None
        verbosity = options["verbosity"]
        lines = plan.report_lines()
        summary = [line for line in lines if ":" in line and " row " not in line]
        for line in lines if verbosity > 1 or dry_run else summary:
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif plan.changes_anything:
            self.stdout.write(self.style.SUCCESS("Framework imported."))
        else:
            self.stdout.write(self.style.SUCCESS("Framework already up to date: nothing changed."))
