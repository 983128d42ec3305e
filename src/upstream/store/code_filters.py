"""Which items carry a code, as SQL conditions on ``Item`` for the evidence browser.

"See the evidence" behind a dashboard's count must list the items that count
was made of, so :func:`carries_code` states the rule of
:func:`upstream.store.effective_codes.effective_codes` in SQL.
"""

from __future__ import annotations

import itertools

from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select
from sqlalchemy.orm import aliased

from upstream.store import models as m

__all__ = ["carries_code", "code_and_below"]

_CTE_NAMES = itertools.count()


def code_and_below(code_id: int) -> Select[int]:
    """Ids of a code and of every code below it, following each code's parent.

    A person's codebook need not spell its hierarchy in its keys ("parking" under
    "getting_around"), so the tree is walked, not the keys' dots.
    """
    # Each call is its own CTE: one query may ask about a code more than once.
    name = f"below_{next(_CTE_NAMES)}"
    below = select(m.Code.id).where(m.Code.id == code_id).cte(name, recursive=True)
    child = aliased(m.Code)
    below = below.union_all(select(child.id).where(child.parent_id == below.c.id))
    return select(below.c.id)


def carries_code(workspace_id: int, code_id: int) -> ColumnElement[bool]:
    """Whether an item carries the code, or one below it, as dashboards count it.

    A person's code counts; failing that, the newest finished coding run's
    suggestion counts, unless a person decided on the item under this codebook.
    Older runs' suggestions and other runs' (a story collection's) do not.

    Args:
        workspace_id: The workspace whose runs are read.
        code_id: The stored code.

    Returns:
        A condition on ``Item``.
    """
    below = code_and_below(code_id)
    book = select(m.Code.codebook_id).where(m.Code.id == code_id).scalar_subquery()
    book_key = select(m.Codebook.key).where(m.Codebook.id == book).scalar_subquery()
    newest_run = (
        select(func.max(m.Run.id))
        .where(
            m.Run.workspace_id == workspace_id,
            m.Run.kind == "coding",
            m.Run.status == "finished",
            m.Run.parameters["codebook"].as_string() == book_key,
        )
        .scalar_subquery()
    )
    by_person = select(m.Coding.id).where(
        m.Coding.item_id == m.Item.id,
        m.Coding.code_id.in_(below),
        m.Coding.origin == m.Origin.HUMAN,
    )
    decided = select(m.Coding.id).where(
        m.Coding.item_id == m.Item.id,
        m.Coding.code_id.in_(select(m.Code.id).where(m.Code.codebook_id == book)),
        or_(
            m.Coding.origin == m.Origin.HUMAN,
            m.Coding.status.in_([m.CodingStatus.ACCEPTED, m.CodingStatus.REJECTED]),
        ),
    )
    suggested = select(m.Coding.id).where(
        m.Coding.item_id == m.Item.id,
        m.Coding.code_id.in_(below),
        m.Coding.origin == m.Origin.MACHINE,
        m.Coding.run_id == newest_run,
        m.Coding.status == m.CodingStatus.SUGGESTED,
    )
    return or_(by_person.exists(), and_(suggested.exists(), not_(decided.exists())))
