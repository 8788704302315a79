from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting cycles and stocktakes"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_schedule_reminders, sender=self)


def _schedule_reminders(*, using: str = "default", **kwargs) -> None:
    """Every deployment migrates: make sure the worker has the next daily reminders booked."""
    from reporting import reminders

    if using == "default":
        reminders.schedule()
