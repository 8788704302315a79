from django.apps import AppConfig


class StrandsConfig(AppConfig):
    name = "strands"
    verbose_name = "Strands and service areas"
