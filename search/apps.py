from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self) -> None:
        from marketplace.core.health import register_readiness_check

        from . import health, receivers

        receivers.connect()
        register_readiness_check("search", health.check_search)
