"""A convener's logo for the public story form: checked, made small and safe, stored.

An uploaded image is never served as it came. It is opened by Pillow, which
refuses anything that is not a real PNG, JPEG, GIF or WebP picture, reduced
to at most 480×160 pixels and written again as a PNG, so a file's hidden
metadata (a camera's location, an author's name) and any script smuggled in
an image's clothing do not reach the public page.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from upstream.store.collection_logo import StoredLogo, save_logo
from upstream.store.repository import Workspace

__all__ = [
    "LOGO_LIMIT_BYTES",
    "LogoError",
    "prepare_logo",
    "set_collection_logo",
]

LOGO_LIMIT_BYTES = 1_000_000
MAX_WIDTH, MAX_HEIGHT = 480, 160
_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
# A decompression bomb is a small file that opens into a huge picture.
_MAX_PIXELS = 25_000_000


class LogoError(ValueError):
    """The upload is not a logo the form can show; the message says why in plain words."""


def prepare_logo(data: bytes, *, name: str = "the file") -> StoredLogo:
    """Check an uploaded picture and re-draw it as a small PNG.

    Args:
        data: The uploaded bytes.
        name: The file's name, for messages.

    Returns:
        The logo as it will be stored and served.

    Raises:
        LogoError: The file is empty, too large, or not a PNG, JPEG, GIF or WebP picture.
    """
    if not data:
        raise LogoError(f"{name} is empty. Choose a PNG or JPEG picture of your logo.")
    if len(data) > LOGO_LIMIT_BYTES:
        raise LogoError(f"{name} is larger than 1 MB. Choose a smaller picture of your logo.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_FORMATS) as opened:
                if opened.width * opened.height > _MAX_PIXELS:
                    raise LogoError(f"{name} is too many pixels across. Choose a smaller picture.")
                opened.seek(0)  # the first frame of an animated GIF
                picture = opened.convert("RGBA")
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Warning) as exc:
        raise LogoError(
            f"{name} is not a picture upstream can read. Choose a PNG, JPEG, GIF or WebP file."
        ) from exc
    picture.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return StoredLogo(out.getvalue(), picture.width, picture.height)


def set_collection_logo(
    workspace: Workspace, collection_id: int, data: bytes, *, name: str, actor: str
) -> StoredLogo:
    """Check, re-draw and store a collection's logo.

    Raises:
        LogoError: The upload is not a usable picture.
        StoreError: There is no such collection in this workspace.
    """
    logo = prepare_logo(data, name=name)
    save_logo(workspace, collection_id, logo, actor=actor)
    return logo
