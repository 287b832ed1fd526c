from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "marketplace.disputes"
    label = "disputes"
    verbose_name = "Disputes"

    def ready(self) -> None:
        from marketplace.core.files import FileOwner, register_file_owner

        from . import receivers, selectors, services

        receivers.connect()

        register_file_owner(
            FileOwner(
                kind=services.DISPUTE_EVIDENCE_FILES,
                visible_to=selectors.evidence_files_visible_to,
                of_organisation=selectors.evidence_files_of_organisation,
                remove=services.evidence_file_remove,
            )
        )
