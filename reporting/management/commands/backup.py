from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole service into a new folder: the PostgreSQL database (pg_dump), the "
        "media folder, and a manifest of every table's rows and every file, which `restore` "
        "checks. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new folder for the backup, e.g. /backups/2026-12-01")

    def handle(self, *args, folder, **options):
        try:
            manifest = backup(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows:,} rows) and "
            f"{len(manifest['media'])} media files into {folder}."
        )
