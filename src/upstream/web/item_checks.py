"""Checking one item's machine codes on its own page.

An analyst who opens the items behind a headline ("Procurement rules: 9 of 12
organisations") and finds a wrong one should not have to hunt for it in the
review queue. For each framework the machine coded the item with, the item's
page offers the queue's decisions on the newest run's suggestions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from upstream.frameworks import CodebookError
from upstream.records.stored import RunRecord
from upstream.store.coding_repository import CodingStore
from upstream.web.permissions import Actor
from upstream.workflows.codebooks import codebook_for

__all__ = ["CodeCheck", "code_checks"]


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """One framework's newest machine codes on an item, to accept or correct.

    Attributes:
        run: The coding run whose suggestions are decided on.
        codebook_title: The framework's name.
        top_code: The most confident suggestion's code ("" when the run left
            the item uncoded).
        top_title: Its title.
        codes: The framework's codes as (id, title, depth), to choose from.
    """

    run: RunRecord
    codebook_title: str
    top_code: str
    top_title: str
    codes: list[tuple[str, str, int]]

    @property
    def run_id(self) -> int:
        """The run's id."""
        return self.run.id


def code_checks(actor: Actor, codings: Sequence[Mapping[str, Any]]) -> list[CodeCheck]:
    """What a person may decide on an item: one check per framework the machine coded it with.

    Args:
        actor: Someone who may code.
        codings: The item's codes as the item page lists them (newest runs included).

    Returns:
        One check per framework, for its newest run with a machine code on the
        item; frameworks whose codebook is gone are left out.
    """
    finished = {
        run.id: run
        for run in CodingStore(actor.workspace).runs(kind="coding", limit=200)
        if run.status == "finished"
    }
    newest: dict[str, int] = {}
    for coding in codings:
        run_id = coding.get("run_id")
        if coding["origin"] == "machine" and run_id in finished:
            book = str(coding["codebook"])
            newest[book] = max(newest.get(book, 0), int(run_id))
    checks = []
    for book, run_id in newest.items():
        try:
            codebook = codebook_for(actor.workspace, book)
        except CodebookError:
            continue
        suggested = [
            c
            for c in codings
            if c["origin"] == "machine"
            and c.get("run_id") == run_id
            and c["confidence"] is not None
        ]
        top = max(suggested, key=lambda c: float(c["confidence"]), default=None)
        checks.append(
            CodeCheck(
                finished[run_id],
                str(top["codebook_title"]) if top else codebook.title,
                str(top["code"]) if top else "",
                str(top["code_title"]) if top else "",
                [(code.id, code.title, depth) for depth, code in codebook.walk()],
            )
        )
    return sorted(checks, key=lambda c: c.codebook_title)
