from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Cross-cutting basics: people and roles, sign-in, history display, HTMX and GOV.UK helpers."""

    name = "config"
    verbose_name = "People and roles"

    def ready(self):
        from config import security  # noqa: F401, PLC0415 (connects the security log's signals)
        from config.history import keep_history_manager_classes  # noqa: PLC0415 (models loaded)

        keep_history_manager_classes()
