from django.apps import AppConfig


class HourlyConfig(AppConfig):
    name = "marketplace.hourly"
    label = "hourly"
    verbose_name = "Hourly billing"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
