"""Reading filters from query strings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from upstream.store.accounts import EvidenceQuery

FILTER_KEYS = ("q", "organisation", "source", "date_from", "date_to", "attribute", "value")
# The largest id any table holds (a 32-bit integer in PostgreSQL). A larger number
# in an address or a filter cannot name anything, and SQLite cannot even bind it.
MAX_ID = 2**31 - 1


def parse_id(text: str, label: str, problems: list[str]) -> int | None:
    """An id chosen from a list; a plain message is added to ``problems`` if it is not one."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_ID:
        problems.append(f"The {label} must be chosen from the list.")
        return None
    return int(text)


def parse_date(text: str, label: str, problems: list[str]) -> date | None:
    """A date from ``YYYY-MM-DD`` text; a plain message is added to ``problems`` if invalid."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{label} must be a date like 2025-03-31; “{text}” is not.")
        return None


def evidence_query(args: Mapping[str, str]) -> tuple[EvidenceQuery, list[str]]:
    """Evidence filters from query-string values, and any problems found in them."""
    problems: list[str] = []
    source_id = parse_id(args.get("source", ""), "source", problems)
    attribute = args.get("attribute", "").strip()
    if any(c in attribute for c in '"\\'):
        # The name becomes a JSON path in the query, where these characters break it.
        problems.append("The attribute must be chosen from the list.")
        attribute = ""
    query = EvidenceQuery(
        text=args.get("q", "").strip()[:500],
        organisation=args.get("organisation", "").strip(),
        source_id=source_id,
        date_from=parse_date(args.get("date_from", "").strip(), "The from date", problems),
        date_to=parse_date(args.get("date_to", "").strip(), "The to date", problems),
        attribute=attribute,
        attribute_value=args.get("value", "").strip(),
    )
    return query, problems


def is_filtered(query: EvidenceQuery) -> bool:
    """Whether any filter is set."""
    return query != EvidenceQuery()
