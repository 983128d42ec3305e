"""Items a person checked and found no code of a framework fits.

"Not relevant to this framework" is a decision, not a gap: the coder learns
from it that items saying the same are not about any of the framework's codes.
The decision is kept on the machine suggestions it settled (see
:meth:`upstream.store.coding_repository.CodingStore.record_decision`), so it is
read from there.
"""

from __future__ import annotations

from sqlalchemy import select

from upstream.store import models as m
from upstream.store.repository import Workspace

__all__ = ["items_no_code_fits"]


def items_no_code_fits(workspace: Workspace, codebook_key: str) -> list[int]:
    """The items whose latest decision in this framework is "no code fits".

    Args:
        workspace: The workspace.
        codebook_key: The framework's codebook key.

    Returns:
        Item ids, smallest first; an item a person has since given a code is not one.
    """
    with workspace.store.reading() as session:
        book_codes = (
            select(m.Code.id)
            .join(m.Codebook, m.Code.codebook_id == m.Codebook.id)
            .where(m.Codebook.workspace_id == workspace.id, m.Codebook.key == codebook_key)
        )
        in_book = (m.Coding.workspace_id == workspace.id) & m.Coding.code_id.in_(book_codes)
        coded = set(
            session.scalars(
                select(m.Coding.item_id).where(
                    in_book,
                    m.Coding.origin == m.Origin.HUMAN,
                    m.Coding.status == m.CodingStatus.ACCEPTED,
                )
            )
        )
        # A later decision rewrites the kind on every suggestion it settles, so the
        # newest decided suggestion of an item carries the decision in force.
        latest: dict[int, tuple[int, str]] = {}
        rows = session.execute(
            select(m.Coding.item_id, m.Coding.id, m.Coding.explanation).where(
                in_book,
                m.Coding.origin == m.Origin.MACHINE,
                m.Coding.status == m.CodingStatus.REJECTED,
            )
        )
        for item_id, coding_id, explanation in rows:
            if item_id not in latest or coding_id > latest[item_id][0]:
                latest[item_id] = (coding_id, str((explanation or {}).get("decision", "")))
    return sorted(
        item for item, (_, kind) in latest.items() if kind == "not_relevant" and item not in coded
    )
