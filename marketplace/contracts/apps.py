from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "marketplace.contracts"
    label = "contracts"

    def ready(self) -> None:
        from marketplace.accounts.profile_audiences import register_profile_audience
        from marketplace.core.files import FileOwner, register_file_owner

        from . import receivers, selectors
        from .services import milestones

        receivers.connect()
        register_profile_audience(selectors.freelancers_contracted_by)
        register_file_owner(
            FileOwner(
                kind=milestones.SUBMISSION_FILES,
                visible_to=selectors.submission_files_visible_to,
                of_organisation=selectors.submission_files_of_organisation,
                remove=milestones.submission_file_remove,
            )
        )
