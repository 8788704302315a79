import datetime

from django.core.management.base import BaseCommand, CommandError

from actions.cycles import today
from reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email the reporting-cycle reminders a day calls for: updates due when a cycle opens and "
        "shortly before it closes, late updates after it closes (with escalation to service "
        "directors and a summary for the programme team). The background worker sends them every "
        "day by itself; run this to catch up a day or to test. Each reminder goes to a person at "
        "most once per cycle, so running it again sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="The day to send for, as YYYY-MM-DD (default: today). For catching up or testing.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, date, dry_run, **options):
        on = today()
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f'"{date}" is not a date: use YYYY-MM-DD.') from None
        outcome = send_reminders(on=on, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for reminder in outcome.sent:
            refs = ", ".join(reminder.refs) or "nothing late"
            self.stdout.write(
                f"{verb} {reminder.get_kind_label()} to {reminder.recipient.email} ({refs})"
            )
        if options["verbosity"] > 1:
            for reminder in outcome.already_sent:
                self.stdout.write(
                    f"Already sent: {reminder.get_kind_label()} to {reminder.recipient.email}"
                )
        for reminder, error in outcome.failed:
            self.stderr.write(
                f"Could not send {reminder.get_kind_label()} to {reminder.recipient.email}: {error}"
            )
        total = len(outcome.sent)
        self.stdout.write(
            f"{on:%Y-%m-%d}: {total} reminder{'s' if total != 1 else ''} "
            f"{'would be sent' if dry_run else 'sent'}, {len(outcome.already_sent)} already sent"
            + (f", {len(outcome.failed)} failed" if outcome.failed else "")
            + "."
        )
        if outcome.failed:
            raise CommandError("Some reminders could not be sent; they will be tried again.")
