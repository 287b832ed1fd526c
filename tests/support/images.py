"""Image files for upload tests: good ones, and each kind of bad one the platform must refuse."""

import io

import PIL.Image


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), **save_args) -> bytes:
    out = io.BytesIO()
    image = PIL.Image.new("RGB", size, (11, 107, 97))
    image.paste((240, 180, 40), (0, 0, size[0] // 2, size[1] // 2))  # a corner marks the orientation
    image.save(out, fmt, **save_args)
    return out.getvalue()


def jpeg_with_exif(*, orientation: int = 1) -> bytes:
    """A JPEG carrying a GPS position, a camera name and an orientation tag."""
    exif = PIL.Image.Exif()
    exif[0x0110] = "Secret Camera 9000"  # Model
    exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    return image_bytes("JPEG", size=(600, 400), exif=exif.tobytes())


def png_of_megapixels(megapixels: int) -> bytes:
    """A huge but tiny-on-disk PNG (1-bit, all black): its header claims the pixels."""
    width = 8000
    out = io.BytesIO()
    PIL.Image.new("1", (width, megapixels * 1_000_000 // width)).save(out, "PNG", optimize=True)
    return out.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
TEXT_AS_PNG = b"This is a plain text file that someone renamed to photo.png.\n"


def over_limit_bytes(limit: int) -> bytes:
    """A JPEG header followed by padding, one byte over ``limit``."""
    head = image_bytes("JPEG", size=(8, 8))
    return head + b"\0" * (limit + 1 - len(head))
