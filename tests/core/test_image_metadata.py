"""Every stored image loses its metadata: a phone photo attached to a job or a proposal, handed in for a
milestone or set as an avatar goes through the real API, and what lands in storage (and what an
anonymous reader of a public job downloads) carries no EXIF (GPS included), XMP, comment or colour
profile, and is turned upright."""

import io

import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageCms

from marketplace.accounts.models import Image
from marketplace.contracts.models import MilestoneSubmission
from marketplace.core.models import StoredFile
from tests.escrow.builders import DESIGN_AND_BUILD, fund_milestone
from tests.factories import make_contract, make_freelancer, make_job, make_proposal
from tests.support.api import as_user

pytestmark = pytest.mark.django_db

CAMERA, COMMENT, XMP = b"Secret Camera 9000", b"taken at home", b"<x:xmpmeta>secret-xmp-creator</x:xmpmeta>"
SECRETS = (CAMERA, COMMENT, b"secret-xmp-creator")


def phone_photo(fmt: str = "JPEG") -> bytes:
    """A 600 x 400 picture stored sideways (orientation 6), with a GPS position, a camera name, a
    comment, XMP and a colour profile — what a phone's camera writes, as far as Pillow can."""
    picture = PIL.Image.new("RGB", (600, 400), (11, 107, 97))
    picture.paste((240, 180, 40), (0, 0, 300, 200))
    exif = PIL.Image.Exif()
    exif[0x0110] = CAMERA.decode()  # Model
    exif[0x0112] = 6  # Orientation: a quarter turn
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    extra = {"exif": exif.tobytes(), "xmp": XMP, "icc_profile": icc}
    if fmt in ("JPEG", "MPO"):
        extra["comment"] = COMMENT
    if fmt == "MPO":  # a multi-picture JPEG, as phones write with a depth map or a preview
        extra.update(save_all=True, append_images=[picture.copy()])
    if fmt == "PNG":
        text = PIL.PngImagePlugin.PngInfo()
        text.add_text("Comment", COMMENT.decode())
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        extra["pnginfo"] = text
    out = io.BytesIO()
    picture.save(out, fmt, **extra)
    data = out.getvalue()
    with PIL.Image.open(io.BytesIO(data)) as sent:  # the positive control: the upload carries it all
        assert sent.getexif().get_ifd(0x8825)
        assert sent.info.get("icc_profile")
    assert all(secret in data for secret in (CAMERA, b"secret-xmp-creator"))
    return data


def assert_bare(data: bytes, fmt: str) -> None:
    with PIL.Image.open(io.BytesIO(data)) as stored:
        assert stored.format == fmt
        assert stored.size == (400, 600)  # turned upright
        assert stored.getpixel((399, 0)) == pytest.approx((240, 180, 40), abs=12)  # the marked corner
        assert dict(stored.getexif()) == {}
        assert not {"exif", "xmp", "comment", "icc_profile", "Comment"} & set(stored.info), stored.info
        if fmt == "JPEG":
            assert [marker for marker, _ in stored.applist if marker != "APP0"] == []
    assert not [secret for secret in SECRETS if secret in data]


def _upload(data: bytes, name: str = "site-photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _stored(attachment_id: int) -> bytes:
    with StoredFile.objects.get(pk=attachment_id).file.open("rb") as stored:
        return stored.read()


@pytest.mark.parametrize(
    ("fmt", "stored_fmt"), [("JPEG", "JPEG"), ("MPO", "JPEG"), ("PNG", "PNG"), ("WEBP", "WEBP")]
)
def test_a_job_attachment_is_stored_and_served_without_metadata(media_root, fmt, stored_fmt):
    job = make_job()
    upload = _upload(phone_photo(fmt))
    response = as_user(job.client).post(f"/api/jobs/{job.pk}/attachments/", {"file": upload})
    assert response.status_code == 201, response.content

    stored = _stored(response.json()["id"])
    assert_bare(stored, stored_fmt)
    download = as_user(None).get(f"/api/attachments/{response.json()['id']}/file/")  # a public job's reader
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored


def test_a_proposal_attachment_is_stored_without_metadata(media_root):
    proposal = make_proposal(make_job())
    response = as_user(proposal.freelancer).post(
        f"/api/proposals/{proposal.pk}/attachments/", {"file": _upload(phone_photo())}
    )
    assert response.status_code == 201, response.content

    assert_bare(_stored(response.json()["id"]), "JPEG")


def test_work_handed_in_for_a_milestone_is_stored_without_metadata(media_root):
    contract = make_contract(milestones=DESIGN_AND_BUILD)
    design = contract.milestones.first()
    fund_milestone(design)
    response = as_user(contract.freelancer).post(
        f"/api/contracts/{contract.pk}/milestones/{design.pk}/submit/",
        {"message": "The site, photographed.", "files": [_upload(phone_photo("MPO"))]},
    )
    assert response.status_code == 200, response.content

    (stored,) = MilestoneSubmission.objects.get(milestone=design).attachments.all()
    assert_bare(_stored(stored.pk), "JPEG")


def test_a_multi_picture_avatar_is_stored_as_a_bare_jpeg(media_root):
    freelancer = make_freelancer()
    response = as_user(freelancer).put(
        "/api/me/freelancer-profile/avatar/", {"image": _upload(phone_photo("MPO"))}, format="multipart"
    )
    assert response.status_code in (200, 201), response.content

    image = Image.objects.get()
    assert image.format == "JPEG"
    with image.file.open("rb") as stored:
        assert_bare(stored.read(), "JPEG")
