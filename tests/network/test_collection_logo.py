"""Checking and re-drawing a convener's logo before the public form shows it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from upstream.workflows.network.collection_logo import LogoError, prepare_logo


def _jpeg_with_location() -> bytes:
    picture = Image.new("RGB", (200, 100), "#f3c623")
    exif = Image.Exif()
    exif[0x013B] = "A. Photographer"  # Artist
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_loses_its_metadata_and_becomes_a_png() -> None:
    logo = prepare_logo(_jpeg_with_location())
    with Image.open(io.BytesIO(logo.png)) as shown:
        assert shown.format == "PNG" and shown.size == (200, 100) == (logo.width, logo.height)
        assert not shown.getexif() and "exif" not in shown.info
    assert b"Photographer" not in logo.png


def test_a_large_logo_is_made_to_fit_keeping_its_shape() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (2000, 500), (0, 0, 0, 0)).save(out, format="PNG")
    logo = prepare_logo(out.getvalue())
    assert (logo.width, logo.height) == (480, 120)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"%PDF-1.7 not a picture", "is not a picture upstream can read"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "is not a picture upstream can read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "is not a picture upstream can read"),
        (b"0" * 1_000_001, "larger than 1 MB"),
    ],
)
def test_what_is_not_a_usable_picture_is_refused_in_plain_words(data: bytes, message: str) -> None:
    with pytest.raises(LogoError, match=message) as refused:
        prepare_logo(data, name="crest.png")
    assert str(refused.value).startswith("crest.png ")


def test_a_decompression_bomb_is_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")
    with pytest.raises(LogoError):
        prepare_logo(out.getvalue())
