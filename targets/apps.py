from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "Targets, outcomes and measurements"

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules use models.
        from actions.page import register_section  # noqa: PLC0415
        from targets.action_page import targets_section  # noqa: PLC0415

        register_section(targets_section)
