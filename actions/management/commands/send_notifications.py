from django.core.management.base import BaseCommand

from actions.notifications import send_pending


class Command(BaseCommand):
    help = (
        "Email the daily digest to everyone who chose one a day: every challenge raised, answered "
        "or followed up and every action delegated to them since the last. Also sends any single "
        "email whose first try failed. The background worker does this every day by itself "
        "(with the reminders); run it by hand to catch up. Nothing is sent twice, so running it "
        "again sends nothing new."
    )

    def handle(self, *args, **options):
        sent = send_pending()
        for line in sent.emails:
            self.stdout.write(f"Sent {line}")
        for line in sent.failed:
            self.stderr.write(f"Could not send {line}; it will be tried again next time")
        if not sent.emails and not sent.failed:
            self.stdout.write("Nothing to send.")
