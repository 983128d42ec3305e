"""What an item's describing columns (grade, team, ward, ...) may show, and which lists.

An attribute's value beside an item, next to its organisation's name, says
which group of that organisation's people it came from. "Senior leadership,
Chief Executive's Office" on a staff comment can name its writer. So the rule
for groups (fewer than 10 are never shown, directly or by subtraction) applies
to evidence as it does to dashboards:

- beside one item (its page, the CSV export, the API), a value, and the role
  of the person who said it, is shown only when at least 10 of its
  organisation's items share it, or when every item of its source does (the
  question asked, the survey's year: a value of the source, not the person);
- the question, prompt or workshop column an item answers is always shown: it
  says what was asked, not who answered, and a reader needs it to read the
  answer ("Make the budgets permanent" under "Do differently" is a wish);
- filtering the evidence by a value lists items only when the dashboards would
  show that value's group, and leaves out the organisations with fewer than 10
  items of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from upstream.evidence.detect import PROMPT_ATTRIBUTES
from upstream.policy import FEWER_THAN, MIN_GROUP, public_role, suppressed, withheld
from upstream.records.stored import ItemRecord
from upstream.signals.people import names_respondent
from upstream.store.evidence_tally import attribute_groups, attribute_source_groups, role_groups
from upstream.store.visibility import ScopedEvidence

__all__ = ["WHO_WROTE_IT", "WITHHELD_VALUE", "AttributeValues", "ValueFilter", "value_filter"]


WITHHELD_VALUE = f"not shown: {FEWER_THAN} items from this organisation share it"
"""What a value reads, beside one item, when its group is too small to show."""
WHO_WROTE_IT = "not shown: kept only to count people"
"""What who wrote an item reads beside it: one person's replies are never linked for readers."""


class AttributeValues:
    """Reads an item's describing values as they may be shown, counting each group once."""

    def __init__(self, evidence: ScopedEvidence) -> None:
        self._evidence = evidence
        self._groups: dict[str, dict[tuple[str | None, str], int]] = {}
        self._roles: dict[tuple[str | None, str], int] | None = None
        self._by_source: dict[str, Any] = {}

    def _sizes(self, attribute: str) -> dict[tuple[str | None, str], int]:
        if attribute not in self._groups:
            self._groups[attribute] = attribute_groups(self._evidence, attribute)
        return self._groups[attribute]

    def _common(self, item: ItemRecord, attribute: str, value: str) -> bool:
        """Whether every item of the item's source, from every organisation, has this value.

        Such a value (the question asked, the survey's year) describes the
        source, not the person; one every item of just one organisation shares
        ("Senior leadership" for its only two comments) would describe them.
        """
        if attribute not in self._by_source:
            self._by_source[attribute] = attribute_source_groups(self._evidence, attribute)
        values, sources = self._by_source[attribute]
        whole = sources.get(item.source_id, 0)
        return bool(whole) and values.get((item.source_id, value), 0) == whole

    def role(self, item: ItemRecord) -> str:
        """The role of the person who said it, as a report prints it, or :data:`WITHHELD_VALUE`.

        "Procurement lead" or "Director of Public Health" beside an organisation's
        name is one person, so a post is given as its band ("Lead officer",
        "Senior leader"; :func:`upstream.policy.public_role`, as reports do), and a
        role or band is shown only when at least 10 of the organisation's items
        share it ("" when the item has none).
        """
        role = (item.author_role or "").strip()
        if not role:
            return ""
        if self._roles is None:
            self._roles = {}
            for (organisation, stored), n in role_groups(self._evidence).items():
                key = (organisation, public_role(stored))
                self._roles[key] = self._roles.get(key, 0) + n
        printed = public_role(role)
        shared = self._roles.get((item.organisation, printed), 0)
        return printed if shared >= MIN_GROUP else WITHHELD_VALUE

    def shown(self, item: ItemRecord, attributes: Iterable[str] | None = None) -> dict[str, str]:
        """The item's values (of ``attributes``, or all), each as it may be shown.

        Args:
            item: The item.
            attributes: Only these attributes; every one the item has when None.

        Returns:
            Each attribute's value, or :data:`WITHHELD_VALUE` when fewer than 10
            of the organisation's items share it ("" when the item has none).
            Who wrote it is never shown (:data:`WHO_WROTE_IT`), however many
            items one person wrote.
        """
        names = list(item.attributes) if attributes is None else list(attributes)
        found: dict[str, str] = {}
        for name in names:
            raw = item.attributes.get(name)
            value = "" if raw is None else str(raw).strip()
            if value and names_respondent(name):
                found[name] = WHO_WROTE_IT
                continue
            if (
                value
                and name.strip().lower() not in PROMPT_ATTRIBUTES
                and self._sizes(name).get((item.organisation, value), 0) < MIN_GROUP
                and not self._common(item, name, value)
            ):
                value = WITHHELD_VALUE
            found[name] = value
        return found


@dataclass(frozen=True)
class ValueFilter:
    """Whether the evidence filtered by one value may be listed, and what to leave out.

    Attributes:
        listed: False when the value's group is too small to show (or would
            give a smaller group away by subtraction): nothing is listed.
        organisations_out: Organisations ("" for none) with fewer than 10 items
            of the value, whose items are left out of the list.
    """

    listed: bool
    organisations_out: tuple[str, ...] = ()


def value_filter(evidence: ScopedEvidence, attribute: str, value: str) -> ValueFilter:
    """May the evidence with ``attribute`` = ``value`` be listed, as dashboards would show it?

    Args:
        evidence: The evidence the person may see.
        attribute: The attribute filtered on.
        value: The value chosen.

    Returns:
        Whether to list the items, and which organisations' items to leave out.
    """
    groups = attribute_groups(evidence, attribute)
    wanted = value.strip()
    if not any(label == wanted for _org, label in groups):
        return ValueFilter(True)  # nothing matches: an empty list shows no one
    totals: Mapping[str, int] = _by_value(groups)
    if wanted in withheld(totals):
        return ValueFilter(False)
    small = sorted(
        org or "" for (org, label), n in groups.items() if label == wanted and suppressed(n)
    )
    return ValueFilter(True, tuple(small))


def _by_value(groups: Mapping[tuple[str | None, str], int]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for (_org, label), n in groups.items():
        totals[label] += n
    return dict(totals)
