from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from . import receivers, receivers_reputation

        receivers.connect()
        receivers_reputation.connect()
