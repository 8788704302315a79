from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Cross-cutting basics: people and roles, sign-in, history display, HTMX and GOV.UK helpers."""

    name = "config"
    verbose_name = "People and roles"
