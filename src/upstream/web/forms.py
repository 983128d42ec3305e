"""Reading filters from query strings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from upstream.store.accounts import EvidenceQuery

FILTER_KEYS = ("q", "organisation", "source", "date_from", "date_to", "attribute", "value")


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
    source_text = args.get("source", "").strip()
    source_id: int | None = None
    if source_text:
        if source_text.isdigit():
            source_id = int(source_text)
        else:
            problems.append("The source must be chosen from the list.")
    query = EvidenceQuery(
        text=args.get("q", "").strip()[:500],
        organisation=args.get("organisation", "").strip(),
        source_id=source_id,
        date_from=parse_date(args.get("date_from", "").strip(), "The from date", problems),
        date_to=parse_date(args.get("date_to", "").strip(), "The to date", problems),
        attribute=args.get("attribute", "").strip(),
        attribute_value=args.get("value", "").strip(),
    )
    return query, problems


def is_filtered(query: EvidenceQuery) -> bool:
    """Whether any filter is set."""
    return query != EvidenceQuery()
