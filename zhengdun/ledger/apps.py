from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "zhengdun.ledger"
    label = "ledger"
    verbose_name = "台账"
