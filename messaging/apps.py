from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"

    def ready(self) -> None:
        from marketplace.core.files import FileOwner, register_file_owner

        # Connect the receivers of the domain events.
        from . import (  # noqa: F401
            receivers,
            receivers_conversations,
            receivers_disputes,
            receivers_hourly,
            receivers_hourly_review,
            receivers_hourly_time,
            receivers_money,
            receivers_pools,
            receivers_recovery,
            receivers_reviews,
            receivers_search,
        )
        from .selectors.attachments import message_files_of_organisation, message_files_visible_to
        from .services.attachments import MESSAGE_FILES, message_file_remove

        register_file_owner(
            FileOwner(
                kind=MESSAGE_FILES,
                visible_to=message_files_visible_to,
                of_organisation=message_files_of_organisation,
                remove=message_file_remove,
            )
        )
