"""What a report counts as one source of evidence.

A source is one import, story collection or roundtable. A roundtable stores
each participant's responses as a source of their own, but a reader counts the
roundtable once, so sources of one kind and name count together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from upstream.records.stored import ItemRecord, SourceInfo

SOURCES_COUNTED = (
    "A source is one imported file, story collection or roundtable; a roundtable counts "
    "once however many people took part."
)


def source_groups(sources: Iterable[SourceInfo]) -> dict[int, str]:
    """Per source id, a key shared by every source that counts as the same one."""
    return {source.id: f"{source.kind}\n{source.name}" for source in sources}


def count_sources(items: Sequence[ItemRecord], groups: Mapping[int, str]) -> int:
    """How many sources ``items`` come from, each roundtable counted once."""
    return len({groups.get(item.source_id, str(item.source_id)) for item in items})


__all__ = ["SOURCES_COUNTED", "count_sources", "source_groups"]
