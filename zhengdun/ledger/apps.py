from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "zhengdun.ledger"
    label = "ledger"
    verbose_name = "台账"

    def ready(self) -> None:
        from zhengdun.ledger import jobs

        jobs.register()
