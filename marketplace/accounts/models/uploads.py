import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


def _original_path(instance: "Image", filename: str) -> str:
    return f"images/{instance.uuid.hex[:2]}/{instance.uuid.hex}/original.{instance.extension}"


class Image(models.Model):
    """An uploaded picture, already checked and re-encoded without metadata (``services.uploads``).

    ``renditions`` maps each fixed rendition name to its storage path once the background task has
    made it; until then pages fall back to the original.
    """

    class Kind(models.TextChoices):
        AVATAR = "avatar", "Avatar"
        PORTFOLIO = "portfolio", "Portfolio image"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to=_original_path, max_length=200)
    format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    renditions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(size_bytes__gt=0), name="accounts_image_not_empty"),
            models.CheckConstraint(
                condition=models.Q(format__in=["JPEG", "PNG", "WEBP"]), name="accounts_image_allowed_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"

    @property
    def extension(self) -> str:
        return {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[self.format]

    @property
    def url(self) -> str:
        """The original's URL: the checked route (``accounts.views.image_file``), never ``/media/``,
        so only those who may see the profile showing the image get it (see ``stored_path``)."""
        return self._route(self.file.name)

    def url_for(self, rendition: str) -> str:
        """The rendition's URL, or the original's while the rendition is still being made."""
        path = self.renditions.get(rendition)
        return self._route(path) if path else self.url

    def _route(self, path: str) -> str:
        return reverse("image_file", kwargs={"uuid": self.uuid, "name": path.rsplit("/", 1)[-1]})

    def stored_path(self, name: str) -> str | None:
        """The storage path the route's ``name`` stands for (the original or a rendition), or None."""
        for path in [self.file.name, *self.renditions.values()]:
            if path and path.rsplit("/", 1)[-1] == name:
                return path
        return None
