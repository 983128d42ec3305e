"""Roles as they may be printed beside an organisation's name.

A post one person holds ("Chief Executive", "Director of Public Health",
"Procurement lead") beside the organisation's name names its holder, so it is
given as a broader band ("Senior leader", "Lead officer"). Every page, report
and export that names a role goes through :func:`public_role`, and then shows
it only when at least 10 of the organisation's items share the printed role.
"""

from __future__ import annotations

import re

__all__ = ["public_role"]

_SENIOR = re.compile(
    r"\b(?:chief|director|head of|leader|mayor|cabinet member|portfolio holder|chair|"
    r"monitoring officer|section 151|ceo|managing director)\b",
    re.IGNORECASE,
)
_LEAD = re.compile(r"\blead\s*$", re.IGNORECASE)


def public_role(role: str) -> str:
    """A role as it may be printed beside an organisation's name.

    Args:
        role: The role as recorded.

    Returns:
        "Senior leader" for a senior post, "Lead officer" for a lead post,
        otherwise the role, trimmed.
    """
    role = role.strip()
    if _SENIOR.search(role):
        return "Senior leader"
    if _LEAD.search(role):
        return "Lead officer"
    return role
