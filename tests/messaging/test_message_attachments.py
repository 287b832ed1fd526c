"""Files attached to messages: checked by the kernel before anything is stored, images stripped of
their metadata and previewed by a thumbnail, downloaded only by the conversation's participants."""

import io

import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marketplace.core.exceptions import InvalidInput, UnsupportedMediaType
from marketplace.core.models import StoredFile
from marketplace.organisations.models import Role
from messaging.models import AttachmentThumbnail, Message
from messaging.payloads import message_data, with_payload_rows
from messaging.services.messages import message_delete, message_post
from tests.messaging.conversation_cast import build_cast
from tests.support.api import as_user
from tests.support.images import TEXT_AS_PNG, image_bytes, jpeg_with_exif

pytestmark = pytest.mark.django_db

HTML_AS_PNG = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def chat():
    cast = build_cast()
    return cast, cast.contract_conversation()


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_image_is_stored_without_exif_and_gets_a_thumbnail(chat, media_root):
    cast, conversation = chat
    upload = SimpleUploadedFile("site photo.jpg", jpeg_with_exif(), content_type="image/jpeg")
    message = message_post(
        acting_user=cast.freelancer, conversation_id=conversation.pk, body="", files=[upload]
    )
    (original,) = message.attachments.all()
    assert (original.content_type, original.original_name) == ("image/jpeg", "site photo.jpg")
    with original.file.open("rb") as stored, PIL.Image.open(stored) as image:
        assert not image.getexif()  # no camera, no GPS
        assert image.size == (600, 400)
    preview = AttachmentThumbnail.objects.get(original=original).thumbnail
    assert preview.content_type == "image/webp"
    with preview.file.open("rb") as stored, PIL.Image.open(stored) as image:
        assert image.format == "WEBP"
        assert image.size == (480, 320)
        assert not image.getexif()
    data = message_data(with_payload_rows(Message.objects.filter(pk=message.pk)).get(), viewer_id=None)
    assert data["attachments"] == [
        {
            "id": original.pk,
            "name": "site photo.jpg",
            "size": original.size,
            "content_type": "image/jpeg",
            "url": f"/files/{original.pk}/",
            "thumbnail_url": f"/files/{preview.pk}/",
        }
    ]
    assert len(stored_files(media_root)) == 2


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("photo.png", HTML_AS_PNG, "unsupported_attachment_type"),
        ("photo.png", TEXT_AS_PNG, "unsupported_attachment_type"),
        ("page.html", HTML_AS_PNG, "unsupported_attachment_type"),
    ],
)
def test_a_disguised_file_is_refused_and_nothing_is_stored(chat, media_root, name, data, code):
    cast, conversation = chat
    good = ("fine.jpg", image_bytes())  # a good file beside it is not stored either
    with pytest.raises(UnsupportedMediaType) as refused:
        message_post(
            acting_user=cast.freelancer,
            conversation_id=conversation.pk,
            body="See attached",
            files=[good, (name, data)],
        )
    assert refused.value.code == code
    assert not Message.objects.exists()
    assert not StoredFile.objects.exists()
    assert stored_files(media_root) == []


def test_too_many_files_are_refused(chat, settings, media_root):
    cast, conversation = chat
    settings.ATTACHMENTS_MAX_COUNT = 2
    files = [(f"note{n}.txt", b"a note\n") for n in range(3)]
    with pytest.raises(InvalidInput) as refused:
        message_post(acting_user=cast.freelancer, conversation_id=conversation.pk, body="Three", files=files)
    assert refused.value.code == "too_many_attachments"
    assert not StoredFile.objects.exists()
    assert stored_files(media_root) == []
    message = message_post(
        acting_user=cast.freelancer, conversation_id=conversation.pk, body="", files=files[:2]
    )
    assert message.attachments.count() == 2


def test_only_active_participants_download_a_message_file_and_its_thumbnail(chat):
    cast, conversation = chat
    message = message_post(
        acting_user=cast.freelancer,
        conversation_id=conversation.pk,
        body="",
        files=[("plan.png", image_bytes("PNG"))],
    )
    (original,) = message.attachments.all()
    preview = AttachmentThumbnail.objects.get(original=original).thumbnail
    for pk in (original.pk, preview.pk):
        for reader in (cast.freelancer, cast.roles[Role.FINANCE]):
            response = browser(reader).get(f"/files/{pk}/")
            assert response.status_code == 200
            assert response["X-Content-Type-Options"] == "nosniff"
        for intruder in (cast.outsider, cast.roles[Role.VIEWER]):
            assert browser(intruder).get(f"/files/{pk}/").status_code == 404
        assert as_user(cast.freelancer).get(f"/api/attachments/{pk}/file/").status_code == 200
        assert as_user(cast.outsider).get(f"/api/attachments/{pk}/file/").status_code == 404
    # A message file is removed with its message, not on its own.
    response = as_user(cast.freelancer).delete(f"/api/attachments/{original.pk}/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "message_file"
    message_delete(acting_user=cast.freelancer, message_id=message.pk)
    assert browser(cast.freelancer).get(f"/files/{original.pk}/").status_code == 404
    assert not StoredFile.objects.filter(pk__in=[original.pk, preview.pk]).exists()


def test_a_transparent_png_keeps_its_alpha_in_the_thumbnail(chat):
    cast, conversation = chat
    out = io.BytesIO()
    PIL.Image.new("RGBA", (900, 300), (255, 0, 0, 0)).save(out, "PNG")
    message = message_post(
        acting_user=cast.freelancer,
        conversation_id=conversation.pk,
        body="",
        files=[("logo.png", out.getvalue())],
    )
    preview = AttachmentThumbnail.objects.get(original=message.attachments.get()).thumbnail
    with preview.file.open("rb") as stored, PIL.Image.open(stored) as image:
        assert image.size == (480, 160)
        assert image.mode == "RGBA"
