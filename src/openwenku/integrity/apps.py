from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "openwenku.integrity"
    verbose_name = "Content integrity"
