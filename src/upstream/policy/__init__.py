"""Rules that protect people, in one place, with no dependencies.

* Small groups (:mod:`upstream.policy.groups`): groups under 10 people are never
  shown, directly or by subtraction; they read "fewer than 10".
* Formula-safe cells (:mod:`upstream.policy.cells`): nothing exported to CSV or
  Excel can run as a spreadsheet formula.
* Quotes (:mod:`upstream.policy.quotes`): one attributed :class:`Quote` and one
  rule for cutting an excerpt.
* Roles (:mod:`upstream.policy.roles`): a post one person holds is printed as a
  band ("Senior leader") beside an organisation's name.

This package imports only the standard library, so every other package may use it.
"""

from upstream.policy.cells import (
    FORMULA_STARTS,
    csv_lines,
    restore_cell,
    safe_cell,
    safe_text,
    write_csv,
)
from upstream.policy.groups import (
    FEWER_THAN,
    MIN_GROUP,
    covering,
    shown_count,
    suppressed,
    withheld,
    withheld_in_sums,
)
from upstream.policy.quotes import MAX_QUOTE, Quote, excerpt
from upstream.policy.roles import public_role

__all__ = [
    "FEWER_THAN",
    "FORMULA_STARTS",
    "MAX_QUOTE",
    "MIN_GROUP",
    "Quote",
    "covering",
    "csv_lines",
    "excerpt",
    "public_role",
    "restore_cell",
    "safe_cell",
    "safe_text",
    "shown_count",
    "suppressed",
    "withheld",
    "withheld_in_sums",
    "write_csv",
]
