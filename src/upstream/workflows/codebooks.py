"""The codebooks a workspace can code with: the built-in frameworks and people's own.

A person's own codebook (YAML, CSV or a REFI-QDA ``.qdc`` file) is checked,
then stored in the workspace, where every page, coding run, review queue and
report finds it by its id, as the built-in ones are found by theirs. The
command line (``upstream code --codebook FILE``) stores the codebook it codes
with in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from upstream.frameworks import Codebook, CodebookError, builtin_names, read_codebook
from upstream.reports.evidence import builtin_codebook
from upstream.store import Store, Workspace
from upstream.store.coding_repository import CodingStore
from upstream.store.exchange_repository import ExchangeStore

__all__ = ["CodebookChoice", "add_codebook", "codebook_choices", "codebook_for"]

MAX_CODEBOOK_BYTES = 2 * 2**20
"""The largest codebook file accepted (a codebook of thousands of codes is well under this)."""


@dataclass(frozen=True)
class CodebookChoice:
    """A codebook offered for coding.

    Attributes:
        key: Its id, as runs record it.
        title: Its title.
        own: Whether people added it (False for a built-in framework).
    """

    key: str
    title: str
    own: bool


def codebook_choices(workspace: Workspace) -> list[CodebookChoice]:
    """The built-in frameworks, then the workspace's own codebooks by title."""
    builtin = [CodebookChoice(key, builtin_codebook(key).title, False) for key in builtin_names()]
    own = [
        CodebookChoice(key, title, True)
        for key, title in CodingStore(workspace).codebooks()
        if key not in builtin_names()
    ]
    return [*builtin, *own]


def codebook_for(workspace: Workspace, key: str) -> Codebook:
    """The codebook a key names: a built-in framework, else the workspace's newest copy.

    Raises:
        CodebookError: Neither a built-in framework nor a codebook stored here has that id.
    """
    if key in builtin_names():
        return builtin_codebook(key)
    found = CodingStore(workspace).codebook_id(key)
    if found is None:
        raise CodebookError(key, None, f"there is no codebook {key!r} in this workspace")
    return ExchangeStore(workspace).codebook(found)


def add_codebook(
    store: Store, workspace: str, data: bytes, file_name: str, *, actor: str
) -> Codebook:
    """Check a codebook file and keep it in the workspace, so runs can code with it.

    Adding a codebook again with the same id and version updates its codes'
    titles and definitions; a new version is kept beside the old, and runs use
    the newest.

    Args:
        store: The open store.
        workspace: The workspace's name.
        data: The file's bytes.
        file_name: Its name as the person gave it (the extension says the type).
        actor: Who added it, for the audit log.

    Returns:
        The codebook as stored.

    Raises:
        CodebookError: The file is too large, not a codebook, has problems (an
            ``InvalidCodebook`` lists each with its line), or uses the id of a
            built-in framework.
    """
    if len(data) > MAX_CODEBOOK_BYTES:
        limit = MAX_CODEBOOK_BYTES // 2**20
        raise CodebookError(file_name, None, f"the file is larger than {limit} MB")
    codebook = read_codebook(data, file_name)
    if codebook.id in builtin_names():
        raise CodebookError(
            file_name,
            None,
            f"its id {codebook.id!r} is the id of a built-in framework; "
            "give your codebook an id of its own",
        )
    space = store.workspace(workspace)
    codebook_id = CodingStore(space).save_codebook(codebook)
    with store.writer(workspace) as writer:
        writer.audit(
            actor,
            "add codebook",
            "codebook",
            codebook_id,
            file=file_name,
            codebook=codebook.id,
            codes=len(codebook.codes),
        )
    return codebook
