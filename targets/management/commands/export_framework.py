from django.core.management.base import BaseCommand

from targets.spreadsheet import export_framework


class Command(BaseCommand):
    help = (
        "Export the outcomes framework: PATH ending .xlsx writes a workbook, .zip a zip of CSVs, "
        "anything else a folder of CSV files."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        written = export_framework(path)
        self.stdout.write(self.style.SUCCESS(f"Framework exported to {written}"))
