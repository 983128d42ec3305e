"""Patterns for a stored workspace, and writing them out as CSV files.

Codes come from the store when the workspace has ``dbe`` codings (the codes in
force, as every page counts them: see
:func:`upstream.store.effective_codes.effective_codes`); otherwise the items are
classified now with the zero-shot coder and nothing is written back. Spam, abuse and off-topic items
are left out first. When the workspace has a theme run, an organisation x
theme matrix is added from the newest one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from upstream.embed import CachedEmbedder, InMemoryCache, TfidfEmbedder, get_embedder
from upstream.embed.base import Embedder
from upstream.frameworks import load_codebook
from upstream.records.stored import ItemRecord
from upstream.signals.dbe import DbeClassifier, ZeroShotDbe, topic_pairs
from upstream.signals.export import write_csv
from upstream.signals.flags import flag_items
from upstream.signals.patterns import CodedItem, Patterns, build_patterns
from upstream.signals.sentiment import sentiment_scores
from upstream.store.effective_codes import effective_codes
from upstream.store.repository import Workspace
from upstream.store.theme_repository import ThemeStore
from upstream.workflows.coding_prompts import item_prompts
from upstream.workflows.network.peers import network_evidence

__all__ = ["WorkspacePatterns", "workspace_patterns", "write_patterns"]


@dataclass
class WorkspacePatterns:
    """Patterns of one workspace and where their codes came from.

    Attributes:
        patterns: The code patterns.
        source: ``stored codings`` or ``classified now``.
        items: Items used.
        excluded: Items left out as spam, abuse or off-topic.
        theme_matrix: Items per (organisation, theme label) from the newest theme run.
    """

    patterns: Patterns
    source: str
    items: int
    excluded: int
    theme_matrix: dict[tuple[str, str], int] = field(default_factory=dict)


def _stored_codes(workspace: Workspace) -> dict[int, tuple[str, ...]]:
    found = effective_codes(workspace, "dbe")
    return {item: found.codes_of(item) for item in found.assigned}


def workspace_patterns(
    workspace: Workspace,
    *,
    embedder: str | Embedder = "default",
    classifier: DbeClassifier | None = None,
    progress: Callable[[str], None] | None = None,
) -> WorkspacePatterns:
    """Compute the cross-organisation patterns of a workspace.

    Args:
        workspace: The workspace.
        embedder: Embedder for classification and for matching peers' evidence.
        classifier: Classifier used when nothing is stored (default: zero-shot coder).
        progress: Called with a short description as each step starts.

    Returns:
        The patterns.
    """
    report = progress or (lambda _step: None)
    report("Reading the evidence")
    everything = workspace.items()
    flags = flag_items([item.text for item in everything])
    items: list[ItemRecord] = [i for i, f in zip(everything, flags, strict=True) if not f.excluded]
    texts = [item.text for item in items]
    inner = get_embedder(embedder) if isinstance(embedder, str) else embedder
    if isinstance(inner, TfidfEmbedder) and inner.vectorizer_ is None:
        # A lexical space must be learned first: from the evidence and the codebook's words.
        book_texts = [
            " ".join([c.title, c.definition, *c.examples]) for c in load_codebook("dbe").codes
        ]
        inner.fit([*texts, *book_texts])
    shared = CachedEmbedder(inner, InMemoryCache())
    stored = _stored_codes(workspace)
    if stored:
        source = "stored codings"
        codes = [stored.get(item.id, ()) for item in items]
    else:
        source = "classified now"
        report(f"Classifying {len(items):,} items as drivers, barriers and enablers")
        chosen = classifier or ZeroShotDbe(shared)
        labels = chosen.classify(texts)
        codes = [
            tuple(c for c, _ in label.codes) or ((label.code,) if label.code else ())
            for label in labels
        ]
    report("Finding patterns across organisations")
    # With stored codes the ways past are the ones the organisation pages and reports
    # offer (codes a person checked or the machine was confident of), so nothing is
    # embedded here to work them out a second way.
    vectors = shared.embed(texts) if texts and not stored else None
    scores = sentiment_scores(texts)
    prompts = item_prompts(items, workspace.sources()) if not stored else [None] * len(items)
    coded = [
        CodedItem(
            item.id,
            item.organisation,
            item.text,
            tuple(c for c in cs if c not in {"driver", "barrier", "enabler"}),
            score,
            prompt=prompt,
        )
        for item, cs, score, prompt in zip(items, codes, scores, prompts, strict=True)
    ]
    book = load_codebook("dbe")
    patterns = build_patterns(
        coded,
        codes=[c.id for c in book.codes],
        titles={c.id: c.title for c in book.codes},
        links=topic_pairs(book),
        vectors=vectors,
    )
    if stored:
        patterns.peer_enablers = network_evidence(workspace).patterns.peer_enablers
    return WorkspacePatterns(
        patterns,
        source,
        len(items),
        len(everything) - len(items),
        _theme_matrix(workspace, everything),
    )


def _theme_matrix(workspace: Workspace, items: list[ItemRecord]) -> dict[tuple[str, str], int]:
    organisation = {item.id: item.organisation for item in items}
    matrix: dict[tuple[str, str], int] = defaultdict(int)
    for theme in ThemeStore(workspace).themes():
        if theme.parent_number is not None:
            continue
        name = f"{theme.code}: {theme.label}"
        for item_id in theme.item_ids:
            org = organisation.get(item_id)
            if org:
                matrix[(org, name)] += 1
    return dict(matrix)


def write_patterns(result: WorkspacePatterns, folder: Path) -> list[Path]:
    """Write every matrix and list as a CSV file in ``folder``.

    Args:
        result: The workspace's patterns.
        folder: Where to write (created if needed).

    Returns:
        The files written.
    """
    p = result.patterns
    titles = p.titles
    written: list[Path] = []

    def out(name: str, header: list[str], rows: list[list[object]]) -> None:
        path = folder / name
        write_csv(path, header, rows)
        written.append(path)

    used = [c for c in p.codes if any(p.matrix.get((o, c)) for o in p.organisations)]
    out(
        "organisation_by_code.csv",
        ["organisation", *used],
        [[o, *(p.matrix.get((o, c), 0) for c in used)] for o in p.organisations],
    )
    out(
        "code_reach.csv",
        ["code", "title", "kind", "organisations", "of", "items", "which"],
        [
            [
                r.code,
                r.title,
                r.kind or "",
                len(r.organisations),
                len(p.organisations),
                r.items,
                "; ".join(r.organisations),
            ]
            for r in p.reach
        ],
    )
    out(
        "code_cooccurrence.csv",
        ["code_a", "title_a", "code_b", "title_b", "organisations", "items"],
        [[a, titles.get(a, a), b, titles.get(b, b), n, i] for a, b, n, i in p.cooccurrence],
    )
    out(
        "organisation_similarity.csv",
        ["organisation_a", "organisation_b", "cosine"],
        [[a, b, s] for a, b, s in p.similarity],
    )
    out(
        "peer_enablers.csv",
        ["organisation", "barrier", "peer", "enabler", "linked_in_codebook", "relevance", "quotes"],
        [
            [
                e.organisation,
                titles.get(e.barrier, e.barrier),
                e.peer,
                titles.get(e.enabler, e.enabler),
                e.linked,
                e.relevance,
                " | ".join(t for _, t in e.quotes),
            ]
            for e in p.peer_enablers
        ],
    )
    if result.theme_matrix:
        themes = sorted({t for _, t in result.theme_matrix}, key=lambda t: int(t.split(":")[0]))
        orgs = sorted({o for o, _ in result.theme_matrix})
        out(
            "organisation_by_theme.csv",
            ["organisation", *themes],
            [[o, *(result.theme_matrix.get((o, t), 0) for t in themes)] for o in orgs],
        )
    return written
