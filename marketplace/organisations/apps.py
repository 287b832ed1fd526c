from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "marketplace.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from marketplace.core.files import FileOwner, register_file_owner

        from . import receivers
        from .selectors import credentials
        from .services import credential_files

        receivers.connect()

        register_file_owner(
            FileOwner(
                kind=credential_files.POOL_CREDENTIAL_FILES,
                visible_to=credentials.credential_files_visible_to,
                of_organisation=credentials.credential_files_of_organisation,
                remove=credential_files.credential_file_remove,
            )
        )
