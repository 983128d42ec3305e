"""Undoing a person's review decision: the item's codes go back to how they were.

:meth:`CodingStore.decide <upstream.store.coding_repository.CodingStore.decide>`
writes, with its audit entry, what the item's codes in that framework were
before (:func:`snapshot`). :func:`undo_last` restores that state for the
newest decision a person has not undone yet, and audits the undo too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from upstream.store import models as m
from upstream.store.repository import Workspace

__all__ = ["UNDO_ACTION", "snapshot", "undo_last"]

UNDO_ACTION = "coding.undo"
_DECISION_ACTIONS = ("coding.accept", "coding.reject", "coding.recode", "coding.not_relevant")


def snapshot(
    session: Session, workspace_id: int, item_id: int, in_book: ColumnElement[bool]
) -> dict[str, Any]:
    """What an item's codings in one framework are now, enough to put them back.

    Args:
        session: The open session the decision is made in.
        workspace_id: The workspace.
        item_id: The item about to be decided on.
        in_book: The condition that picks the framework's codes.

    Returns:
        The machine suggestions' statuses and explanations, and the people's codes.
    """
    rows = session.scalars(
        select(m.Coding).where(
            m.Coding.workspace_id == workspace_id, m.Coding.item_id == item_id, in_book
        )
    )
    machine: dict[str, Any] = {}
    people: list[dict[str, Any]] = []
    for row in rows:
        if row.origin == m.Origin.MACHINE:
            machine[str(row.id)] = {"status": row.status.value, "explanation": row.explanation}
        elif row.status == m.CodingStatus.ACCEPTED:
            people.append(
                {
                    "code_id": row.code_id,
                    "coder": row.coder,
                    "confidence": row.confidence,
                    "explanation": row.explanation,
                }
            )
    return {"machine": machine, "people": people}


def undo_last(workspace: Workspace, actor: str) -> int | None:
    """Undo the newest review decision ``actor`` made in ``workspace`` and has not undone.

    Args:
        workspace: The workspace.
        actor: The person undoing (only their own decisions are undone).

    Returns:
        The id of the item whose decision was undone, or None when there is none to undo.
    """
    with workspace.store.session() as session:
        entries = session.scalars(
            select(m.AuditEntry)
            .where(
                m.AuditEntry.workspace_id == workspace.id,
                m.AuditEntry.actor == actor,
                m.AuditEntry.action.in_((*_DECISION_ACTIONS, UNDO_ACTION)),
            )
            .order_by(m.AuditEntry.id.desc())
            .limit(500)
        ).all()
        undone = {int(e.detail.get("undid", 0)) for e in entries if e.action == UNDO_ACTION}
        entry = next(
            (
                e
                for e in entries
                if e.action != UNDO_ACTION and e.id not in undone and "before" in e.detail
            ),
            None,
        )
        if entry is None:
            return None
        item_id = int(entry.target_id)
        _restore(session, workspace.id, item_id, entry.detail)
        session.add(
            m.AuditEntry(
                workspace_id=workspace.id,
                actor=actor,
                action=UNDO_ACTION,
                target_type="item",
                target_id=str(item_id),
                detail={"undid": entry.id, "decision": entry.action.removeprefix("coding.")},
            )
        )
        return item_id


def _restore(session: Session, workspace_id: int, item_id: int, detail: dict[str, Any]) -> None:
    before = detail["before"]
    for coding_id, state in before.get("machine", {}).items():
        row = session.get(m.Coding, int(coding_id))
        if row is not None and row.workspace_id == workspace_id and row.item_id == item_id:
            row.status = m.CodingStatus(state["status"])
            row.explanation = state["explanation"]
    added = detail.get("added")
    # One id in entries written before a decision could give several codes.
    added_ids = [] if added is None else [added] if isinstance(added, int) else list(added)
    if added_ids:
        session.execute(
            delete(m.Coding).where(
                m.Coding.id.in_([int(i) for i in added_ids]),
                m.Coding.workspace_id == workspace_id,
                m.Coding.origin == m.Origin.HUMAN,
            )
        )
    for person in before.get("people", []):
        session.add(
            m.Coding(
                workspace_id=workspace_id,
                item_id=item_id,
                code_id=person["code_id"],
                origin=m.Origin.HUMAN,
                status=m.CodingStatus.ACCEPTED,
                coder=person["coder"],
                confidence=person["confidence"],
                explanation=person["explanation"],
            )
        )
