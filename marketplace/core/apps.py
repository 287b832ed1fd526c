from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "marketplace.core"
    label = "core"

    def ready(self) -> None:
        from . import health

        health.register_readiness_check("database", health.check_database)
        health.register_readiness_check("redis", health.check_redis)
