from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database (DATABASE_URL) and an empty "
        "MEDIA_ROOT, then check that every table's rows and every media file came back. "
        "See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder")

    def handle(self, *args, folder, **options):
        try:
            manifest = restore(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables ({rows:,} rows) and "
            f"{len(manifest['media'])} media files from the backup made at "
            f"{manifest['made_at']}; every table and file matches the backup."
        )
