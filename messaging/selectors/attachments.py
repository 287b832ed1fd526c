"""Which message files a person may download: those of messages (not deleted, not hidden) in the
conversations where they are an active participant, and those files' thumbnails. The kernel's
checked downloads (``/files/<id>/`` and the API's attachment file) ask this."""

from django.db.models import Q, QuerySet

from marketplace.core.models import StoredFile

from ..models import AttachmentThumbnail, Message


def message_files_visible_to(viewer) -> QuerySet:
    if not getattr(viewer, "is_authenticated", False):
        return StoredFile.objects.none().values("pk")
    links = Message.attachments.through.objects.filter(
        message__conversation__participants__user=viewer,
        message__conversation__participants__removed_at__isnull=True,
        message__deleted_at__isnull=True,
        message__hidden_at__isnull=True,
    ).values("storedfile_id")
    thumbnails = AttachmentThumbnail.objects.filter(original_id__in=links).values("thumbnail_id")
    return StoredFile.objects.filter(Q(pk__in=links) | Q(pk__in=thumbnails)).values("pk")


def message_files_of_organisation(organisation) -> QuerySet:
    """None: messages are personal, an organisation's API key reads none of them."""
    return StoredFile.objects.none().values("pk")
