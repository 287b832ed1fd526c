from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "marketplace.jobs"
    label = "jobs"

    def ready(self) -> None:
        from marketplace.core.files import FileOwner, register_file_owner

        from . import public_lists, receivers, selectors
        from .services import attachments

        public_lists.connect()
        receivers.connect()

        register_file_owner(
            FileOwner(
                kind=attachments.JOB_FILES,
                visible_to=selectors.job_files_visible_to,
                of_organisation=selectors.job_files_of_organisation,
                remove=attachments.job_file_remove,
            )
        )
        register_file_owner(
            FileOwner(
                kind=attachments.PROPOSAL_FILES,
                visible_to=selectors.proposal_files_visible_to,
                of_organisation=selectors.proposal_files_of_organisation,
                remove=attachments.proposal_file_remove,
            )
        )
