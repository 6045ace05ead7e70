from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "zhengdun.support"
    label = "support"
    verbose_name = "帮扶力量"

    def ready(self) -> None:
        # Registers the identification guard (a key case needs a contact leader)
        # and the receiver that warns when the generic post end sets a rule aside.
        from zhengdun.support import guards  # noqa: F401
