"""Choosing and trimming quotes: short, attributed, from different organisations."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from upstream.policy import Quote, excerpt
from upstream.policy.quotes import (
    quote_rank,
    repeats,
    says_little,
    shows_contact_details,
    words_of,
)
from upstream.records.stored import ItemRecord
from upstream.reports.counts import CodeCount
from upstream.reports.evidence import CodedEvidence, attribution_role
from upstream.reports.model import QuoteGroup


def quote(
    item: ItemRecord,
    confidence: float,
    origin: str,
    kinds: dict[int, str],
    named_roles: Collection[tuple[str, str]] | None = None,
) -> Quote:
    """A quote from an item, attributed to its organisation and role (see ``attribution_role``)."""
    return Quote(
        text=excerpt(item.text),
        organisation=item.organisation or "",
        role=attribution_role(item, kinds, named_roles),
        when=item.item_date,
        confidence=confidence,
        origin=origin,
        item_id=item.id,
    )


def quotes_for(
    codes: Sequence[CodeCount],
    items: Sequence[ItemRecord],
    coded: CodedEvidence,
    kinds: dict[int, str],
    *,
    per_code: int = 3,
    named_roles: Collection[tuple[str, str]] | None = None,
) -> list[QuoteGroup]:
    """The clearest quotes for each code: people's codings first, then highest confidence.

    Quotes come from different organisations where possible, no item is quoted
    twice in one report, a quote that repeats another's words is left out, and
    a text of a few words comes after those that make their point in a sentence.

    Args:
        codes: The codes to illustrate.
        items: The items in the report.
        coded: Their codes.
        kinds: Each source's kind, for attributing items without a role.
        per_code: Quotes per code.
        named_roles: Roles a quote may name (see
            :func:`~upstream.reports.evidence.named_roles`); every role when None.
    """
    by_id = {item.id: item for item in items}
    used: set[int] = set()
    groups: list[QuoteGroup] = []
    for row in codes:
        candidates: list[tuple[float, str, ItemRecord]] = []
        for item_id, assigned in coded.assigned.items():
            item = by_id.get(item_id)
            if item is None or item_id in used or not item.text.strip():
                continue
            for a in assigned:
                if row.code in coded.with_ancestors(a.code):
                    candidates.append((a.confidence, a.origin, item))
                    break
        # A clean reply before one that swears or insults someone, however sure the code;
        # then one that makes its point in words before "FREE PARKING FREE PARKING", whose
        # few words are the surest match of all and say the least; and one without
        # redacted contact details before "ring [PHONE]".
        candidates.sort(
            key=lambda c: (
                quote_rank(c[2].text),
                -(c[1] == "human"),
                says_little(c[2].text),
                shows_contact_details(c[2].text),
                -c[0],
                c[2].id,
            )
        )
        chosen: list[tuple[float, str, ItemRecord]] = []
        seen_orgs: set[str] = set()
        for pass_number in (0, 1):
            for candidate in candidates:
                if len(chosen) >= per_code:
                    break
                org = candidate[2].organisation or ""
                if candidate in chosen or (pass_number == 0 and org in seen_orgs):
                    continue
                words = words_of(candidate[2].text)
                if any(repeats(words, words_of(other[2].text)) for other in chosen):
                    continue  # "Reduce parking charges" twice says it once
                chosen.append(candidate)
                seen_orgs.add(org)
        used.update(c[2].id for c in chosen)
        groups.append(
            QuoteGroup(
                code=row.code,
                title=row.title,
                items=row.items,
                covered=row.covered,
                quotes=[
                    quote(item, conf, origin, kinds, named_roles) for conf, origin, item in chosen
                ],
            )
        )
    return groups


__all__ = ["quote", "quotes_for"]
