from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting cycles and stocktakes"

    def ready(self) -> None:
        post_migrate.connect(_schedule_reminders, sender=self)


def _schedule_reminders(*, using: str = "default", **kwargs) -> None:
    """Every deployment migrates: make sure the worker has the next daily reminders booked."""
    from reporting import reminders  # noqa: PLC0415 (uses models: loaded after the app registry)

    if using == "default":
        reminders.schedule()
