"""What counting reads of an item: :class:`Counted`."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class Counted(Protocol):
    """An item as counting sees it (an ``ItemRecord``, or the lighter ``ItemFacts``)."""

    @property
    def id(self) -> int:
        """The item's id."""

    @property
    def source_id(self) -> int:
        """The source (import) it came from."""

    @property
    def organisation(self) -> str | None:
        """The organisation it came from, if recorded."""

    @property
    def item_date(self) -> date | None:
        """The date it was given, if any."""


__all__ = ["Counted"]
