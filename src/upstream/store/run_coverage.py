"""How much of some evidence a coding run covered: all of it, part, or none.

Evidence imported after a run was never looked at by it, so a report must not
say an organisation names none of a framework's barriers when nobody coded
its evidence against that framework.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from sqlalchemy import select

from upstream.store import models as m
from upstream.store.repository import Workspace

__all__ = ["Coverage", "coverage_of_run"]

Coverage = Literal["all", "part", "none"]
_CHUNK = 10_000


def coverage_of_run(workspace: Workspace, run_id: int, item_ids: Iterable[int]) -> Coverage:
    """Whether a coding run coded all, part or none of these items.

    An item counts as coded when the run left a suggestion on it (a code or a
    best guess) or a person coded it in the run's codebook.

    Args:
        workspace: The workspace.
        run_id: The coding run.
        item_ids: The items asked about (none: "all").

    Returns:
        ``all``, ``part`` or ``none``.
    """
    wanted = sorted(set(item_ids))
    if not wanted:
        return "all"
    found: set[int] = set()
    with workspace.store.reading() as session:
        run = session.get(m.Run, run_id)
        key = str(run.parameters.get("codebook", "")) if run is not None else ""
        book_codes = (
            select(m.Code.id)
            .join(m.Codebook, m.Code.codebook_id == m.Codebook.id)
            .where(m.Codebook.workspace_id == workspace.id, m.Codebook.key == key)
        )
        for start in range(0, len(wanted), _CHUNK):
            found.update(
                session.scalars(
                    select(m.Coding.item_id)
                    .where(
                        m.Coding.workspace_id == workspace.id,
                        m.Coding.item_id.in_(wanted[start : start + _CHUNK]),
                        (m.Coding.run_id == run_id)
                        | ((m.Coding.origin == m.Origin.HUMAN) & m.Coding.code_id.in_(book_codes)),
                    )
                    .distinct()
                )
            )
    return "all" if len(found) == len(wanted) else "part" if found else "none"
