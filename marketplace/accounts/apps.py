from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "marketplace.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import public_lists, receivers  # noqa: F401 - connects the signal receivers
        from .reference_data import reference_data_ensure

        public_lists.connect()
        post_migrate.connect(reference_data_ensure, sender=self, dispatch_uid="accounts.reference_data")
