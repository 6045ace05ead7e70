from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "zhengdun.campaigns"
    label = "campaigns"
    verbose_name = "整顿工作"
