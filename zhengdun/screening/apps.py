from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "zhengdun.screening"
    label = "screening"
    verbose_name = "排查"

    def ready(self) -> None:
        from zhengdun.campaigns.services import register_criteria_in_use
        from zhengdun.screening import guards, transitions  # noqa: F401  (their guards register on import)
        from zhengdun.screening.selectors import criteria_in_use

        # Findings stand on criteria: the campaign's catalog must not lose or rewrite them.
        register_criteria_in_use(criteria_in_use)
