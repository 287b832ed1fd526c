"""A cut image is refused even after WeasyPrint is loaded: its import sets Pillow's process-wide
``LOAD_TRUNCATED_IMAGES``, so once a worker had rendered a PDF receipt, every upload check that
followed accepted a truncated picture (found when the suite ran a receipt test before an upload one)."""

import io

import PIL.Image
import PIL.ImageFile
import pytest

from marketplace.core.exceptions import InvalidInput
from marketplace.core.files import file_check


def _cut_png() -> bytes:
    whole = io.BytesIO()
    PIL.Image.effect_noise((400, 400), 80).save(whole, "PNG")
    return whole.getvalue()[:-2000]


def test_a_cut_image_is_refused_after_weasyprint_is_loaded():
    import weasyprint  # noqa: F401 (its import is the trigger)

    PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint's first import leaves it
    with pytest.raises(InvalidInput) as refused:
        file_check(_cut_png(), "cut.png")
    assert refused.value.code == "corrupt_image"


def test_a_whole_image_is_accepted():
    """The control: the same picture uncut passes."""
    whole = io.BytesIO()
    PIL.Image.effect_noise((400, 400), 80).save(whole, "PNG")
    assert file_check(whole.getvalue(), "whole.png")
