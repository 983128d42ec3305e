"""Read channel volumes (contacts a year, and optionally £ per contact) for channel shift."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from upstream.benefits.channel_shift import DEFAULT_UNIT_COSTS, ChannelVolume, channel_name
from upstream.benefits.errors import SpecError
from upstream.benefits.tables import blank, number, read_rows


def read_channel_volumes(path: Path | str) -> list[ChannelVolume]:
    """Read channel volumes from a CSV or XLSX with header ``channel,contacts[,unit_cost]``.

    An empty or missing ``unit_cost`` takes the default for the channel
    (:data:`DEFAULT_UNIT_COSTS`); other channels must give one.

    Args:
        path: The file.

    Returns:
        One entry per channel, in file order.

    Raises:
        SpecError: Naming the line and column of the first problem found.
    """
    return parse_channel_rows(read_rows(path), path)


def parse_channel_rows(
    rows: Sequence[Sequence[object]], path: Path | str = "volumes"
) -> list[ChannelVolume]:
    """Check and convert a table of channel volumes, the first row being the header.

    Args:
        rows: The table, header first, as a reader gives it (text or numbers).
        path: The file name to put in messages.

    Returns:
        One entry per channel, in order.

    Raises:
        SpecError: Naming the line and column of the first problem found.
    """
    header = [str(cell or "").strip().lower() for cell in (rows[0] if rows else ())]
    for column in ("channel", "contacts"):
        if column not in header:
            raise SpecError(
                path,
                f"the header has no {column!r} column; expected channel,contacts,unit_cost",
                line=1,
            )
    found: dict[str, ChannelVolume] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if all(blank(cell) for cell in cells):
            continue
        named = dict(zip(header, cells, strict=False))
        name = "" if blank(named.get("channel")) else channel_name(str(named["channel"]))
        if not name or name in found:
            problem = "is empty" if not name else f"repeats {name!r}"
            raise SpecError(
                path, f"{problem}; expected each channel once", line=line, column="channel"
            )
        contacts = number(named.get("contacts"))
        if contacts is None or contacts < 0:
            raise SpecError(
                path,
                f"found {named.get('contacts')!r}; expected a number of contacts a year, 0 or more",
                line=line,
                column="contacts",
            )
        given = named.get("unit_cost")
        unit_cost = DEFAULT_UNIT_COSTS.get(name) if blank(given) else number(given)
        if unit_cost is None or unit_cost < 0:
            raise SpecError(
                path,
                f"found {given!r}; expected £ per contact, 0 or more (needed "
                f"for channels other than {', '.join(DEFAULT_UNIT_COSTS)})",
                line=line,
                column="unit_cost",
            )
        found[name] = ChannelVolume(name, contacts, unit_cost)
    if not found:
        raise SpecError(path, "has no channels; expected one line per channel")
    return list(found.values())
