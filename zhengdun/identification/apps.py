from django.apps import AppConfig


class IdentificationConfig(AppConfig):
    name = "zhengdun.identification"
    label = "identification"
    verbose_name = "认定"
