"""Previews of the images attached to messages."""

from django.db import models


class AttachmentThumbnail(models.Model):
    """A small WebP rendition of an image attached to a message, made when the message is posted
    from the already checked (metadata-free) image. Both are kernel files of the "message" owner,
    so the same participants-only download serves them; removing the original removes this."""

    original = models.OneToOneField(
        "core.StoredFile", on_delete=models.CASCADE, related_name="message_thumbnail"
    )
    thumbnail = models.OneToOneField("core.StoredFile", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"Thumbnail of file {self.original_id}"
