"""Character offsets as REFI-QDA counts them, and as some tools count them instead.

The standard counts characters (Unicode code points), so an emoji is one
character. NVivo counts UTF-16 code units, in which a character outside the
Basic Multilingual Plane (most emoji, some CJK) is two, so its offsets drift by
one after each such character. Python strings index by code point, so the
standard's offsets slice text directly; :func:`utf16_to_code_points` converts
offsets counted the NVivo way.
"""

from __future__ import annotations

__all__ = ["code_points_to_utf16", "utf16_to_code_points"]


def utf16_to_code_points(text: str, offset: int) -> int:
    """Convert an offset in UTF-16 code units to one in code points.

    Args:
        text: The text the offset points into.
        offset: The offset counted in UTF-16 units.

    Returns:
        The same position counted in code points.
    """
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def code_points_to_utf16(text: str, offset: int) -> int:
    """Convert an offset in code points to one in UTF-16 code units.

    Args:
        text: The text the offset points into.
        offset: The offset counted in code points.

    Returns:
        The same position counted in UTF-16 units.
    """
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text[:offset])
