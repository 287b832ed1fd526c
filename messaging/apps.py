from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"

    def ready(self) -> None:
        from . import receivers, receivers_money  # noqa: F401 - connect the receivers of the domain events
