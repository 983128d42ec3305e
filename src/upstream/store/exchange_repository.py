"""What exchanging coded work with other tools needs from the store.

A stored codebook read back whole (with its GUIDs, colours, codable flags and
sets), the code key each GUID was stored under (so a file that lost upstream's
ids still finds its codes), and human codings written and read with the name of
the person who made them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from upstream.frameworks.model import Code as FrameworkCode
from upstream.frameworks.model import Codebook as FrameworkCodebook
from upstream.frameworks.model import CodeSet
from upstream.store import models as m
from upstream.store.engine import StoreError
from upstream.store.repository import Workspace

__all__ = ["ExchangeStore", "HumanCoding"]


@dataclass(frozen=True, slots=True)
class HumanCoding:
    """A person's coding of an item: which code, and who."""

    item_id: int
    code: str
    coder: str


class ExchangeStore:
    """Codebooks and human codings of one workspace, as exchange files need them."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store = workspace.store

    def _codebook_row(self, codebook_id: int) -> m.Codebook:
        with self._store.session() as session:
            row = session.get(m.Codebook, codebook_id)
            if row is None or row.workspace_id != self.workspace.id:
                raise StoreError(f"No codebook {codebook_id} in workspace {self.workspace.name!r}.")
            session.expunge(row)
            return row

    def codebook(self, codebook_id: int) -> FrameworkCodebook:
        """Read a stored codebook back, parents before children.

        Args:
            codebook_id: Row id of the stored codebook.

        Returns:
            The codebook as the framework package knows it.

        Raises:
            StoreError: The codebook is not in this workspace.
        """
        row = self._codebook_row(codebook_id)
        with self._store.session() as session:
            codes = list(
                session.scalars(
                    select(m.Code).where(m.Code.codebook_id == codebook_id).order_by(m.Code.id)
                )
            )
        keys = {code.id: code.key for code in codes}
        built = tuple(
            FrameworkCode(
                id=code.key,
                title=code.title,
                definition=code.definition,
                parent=keys.get(code.parent_id) if code.parent_id is not None else None,
                include=code.include,
                exclude=code.exclude,
                examples=tuple(str(e) for e in code.examples),
                guid=code.guid,
                color=code.color,
                codable=code.codable,
            )
            for code in codes
        )
        sets = tuple(
            CodeSet(
                guid=str(entry.get("guid", "")),
                name=str(entry.get("name", "")),
                codes=tuple(str(c) for c in entry.get("codes", [])),
                description=str(entry.get("description", "")),
            )
            for entry in row.sets or []
        )
        return FrameworkCodebook(
            id=row.key,
            title=row.title,
            description=row.description,
            version=row.version,
            codes=built,
            sets=sets,
            threshold=row.threshold,
        )

    def guid_keys(self, codebook_key: str) -> dict[str, str]:
        """The code key stored for each GUID, over every stored version of a codebook.

        Args:
            codebook_key: The codebook's key (its id).

        Returns:
            GUID (as stored) to code key.
        """
        query = (
            select(m.Code.guid, m.Code.key)
            .join(m.Codebook, m.Code.codebook_id == m.Codebook.id)
            .where(
                m.Codebook.workspace_id == self.workspace.id,
                m.Codebook.key == codebook_key,
                m.Code.guid.is_not(None),
            )
            .order_by(m.Code.id)
        )
        with self._store.session() as session:
            return {str(guid): key for guid, key in session.execute(query)}

    def item_ids_by_text(self, texts: Sequence[str]) -> dict[str, int]:
        """The first stored item holding exactly each text, where there is one.

        Args:
            texts: The texts to look for.

        Returns:
            Text to item id, for the texts found.
        """
        wanted = list(dict.fromkeys(texts))
        found: dict[str, int] = {}
        with self._store.session() as session:
            for start in range(0, len(wanted), 500):
                query = (
                    select(m.Item.text, m.Item.id)
                    .where(
                        m.Item.workspace_id == self.workspace.id,
                        m.Item.text.in_(wanted[start : start + 500]),
                    )
                    .order_by(m.Item.id)
                )
                for text, item_id in session.execute(query):
                    found.setdefault(text, item_id)
        return found

    def add_human_codings(
        self, codebook_id: int, codings: Sequence[HumanCoding], *, actor: str
    ) -> int:
        """Store codings people made elsewhere, skipping any already stored.

        Args:
            codebook_id: The stored codebook the codes are in.
            codings: The codings, each with the coder's name.
            actor: Who brought them in, for the audit log.

        Returns:
            How many codings were new.

        Raises:
            StoreError: The codebook is not in this workspace or a code is not in it.
        """
        self._codebook_row(codebook_id)
        with self._store.session() as session:
            code_ids = dict(
                session.execute(
                    select(m.Code.key, m.Code.id).where(m.Code.codebook_id == codebook_id)
                ).all()
            )
            missing = {c.code for c in codings} - set(code_ids)
            if missing:
                raise StoreError(f"Codes {sorted(missing)[:5]} are not in the codebook.")
            items = {c.item_id for c in codings}
            found = set(
                session.scalars(
                    select(m.Item.id).where(
                        m.Item.workspace_id == self.workspace.id, m.Item.id.in_(items)
                    )
                )
            )
            if items - found:
                raise StoreError(f"Items {sorted(items - found)[:5]} are not in this workspace.")
            existing: set[tuple[int, int, str]] = set(
                tuple(row)  # type: ignore[misc]
                for row in session.execute(
                    select(m.Coding.item_id, m.Coding.code_id, m.Coding.coder).where(
                        m.Coding.workspace_id == self.workspace.id,
                        m.Coding.origin == m.Origin.HUMAN,
                        m.Coding.code_id.in_(list(code_ids.values())),
                    )
                )
            )
            added = 0
            for coding in codings:
                key = (coding.item_id, code_ids[coding.code], coding.coder)
                if key in existing:
                    continue
                existing.add(key)
                session.add(
                    m.Coding(
                        workspace_id=self.workspace.id,
                        item_id=coding.item_id,
                        code_id=code_ids[coding.code],
                        origin=m.Origin.HUMAN,
                        status=m.CodingStatus.ACCEPTED,
                        coder=coding.coder,
                        confidence=1.0,
                        explanation={"imported": True},
                    )
                )
                added += 1
            session.add(
                m.AuditEntry(
                    workspace_id=self.workspace.id,
                    actor=actor,
                    action="coding.import",
                    target_type="codebook",
                    target_id=str(codebook_id),
                    detail={"codings": added},
                )
            )
            return added

    def human_codings(self, codebook_id: int) -> list[HumanCoding]:
        """Every accepted human coding in a stored codebook, oldest first.

        Args:
            codebook_id: The stored codebook.

        Returns:
            The codings with their coders.
        """
        query = (
            select(m.Coding.item_id, m.Code.key, m.Coding.coder)
            .join(m.Code, m.Coding.code_id == m.Code.id)
            .where(
                m.Coding.workspace_id == self.workspace.id,
                m.Coding.origin == m.Origin.HUMAN,
                m.Coding.status == m.CodingStatus.ACCEPTED,
                m.Code.codebook_id == codebook_id,
            )
            .order_by(m.Coding.id)
        )
        with self._store.session() as session:
            return [HumanCoding(i, k, c) for i, k, c in session.execute(query)]
