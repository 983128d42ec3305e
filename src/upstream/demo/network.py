"""The demo network's learning-network activity: a roundtable, a learning product, a workgroup.

What is created comes from ``data/network.yaml`` (fictional, written for upstream),
so the web app's network pages have something to show straight after ``upstream
demo``. Running it again adds nothing twice: each part is skipped when it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from upstream.demo import data_dir
from upstream.frameworks import load_codebook
from upstream.store import Store, Workspace
from upstream.store.collection_repository import CollectionStore, Question
from upstream.store.library_repository import LibraryStore, TagRecord
from upstream.store.roundtable_repository import AgendaEntry, RoundtableStore
from upstream.store.workgroup_repository import MemberRecord, WorkgroupStore
from upstream.workflows.network.collections import (
    DEFAULT_SLIDERS,
    CheckedStory,
    default_spec,
    save_story,
)
from upstream.workflows.network.library import suggest_tags, workspace_tag_sources
from upstream.workflows.network.peers import network_evidence
from upstream.workflows.network.roundtables import (
    Answer,
    RoundtableDraft,
    create_roundtable,
    refresh_live,
    respond,
)
from upstream.workflows.network.signification import (
    code_collection,
    latest_run,
    machine_elements,
    results,
)
from upstream.workflows.network.workgroups import suggest_workgroups

ACTOR = "demo"
ROLES = ("Frontline worker", "Manager", "Senior leader", "Resident", "Other")


@dataclass
class NetworkDemo:
    """What was set up, for the summary printed to the user."""

    lines: list[str] = field(default_factory=list)


def network_spec() -> dict[str, Any]:
    """The demo's network activity as written in ``data/network.yaml``."""
    with (data_dir() / "network.yaml").open(encoding="utf-8") as handle:
        spec: dict[str, Any] = yaml.safe_load(handle)
    return spec


def load_network(
    store: Store, workspace: str, *, embedder: str = "default", base_url: str = ""
) -> NetworkDemo:
    """Set up the demo story collection, roundtable, learning product and first workgroup.

    Args:
        store: The open store.
        workspace: The demo workspace's name.
        embedder: Text model the machine codes the stories with.
        base_url: Where the web app will be served, to print the story form's link.

    Returns:
        Plain-English lines saying what is there.
    """
    ws = store.workspace(workspace)
    spec = network_spec()
    outcome = NetworkDemo()
    outcome.lines.append(_collection(ws, spec["collection"], embedder, base_url))
    outcome.lines.append(_roundtable(ws, spec["roundtable"]))
    outcome.lines.append(_product(ws, spec["product"]))
    outcome.lines.append(_workgroup(ws))
    return outcome


def _collection(ws: Workspace, spec: dict[str, Any], embedder: str, base_url: str) -> str:
    collections = CollectionStore(ws)
    existing = next((c for c in collections.collections() if c.spec.title == spec["title"]), None)
    if existing is None:
        setup = replace(
            default_spec(),
            title=spec["title"],
            prompt=spec["prompt"],
            sliders=DEFAULT_SLIDERS[:2],
            questions=(Question("role", "Which best describes you?", ROLES),),
        )
        existing = collections.create(setup, actor=ACTOR)
        for story in spec["stories"]:
            checked = CheckedStory(
                story["text"],
                tuple(story["elements"]),
                dict(zip(("with", "power"), story["sliders"], strict=True)),
                {"Which best describes you?": story["role"]},
            )
            save_story(collections, existing, checked, organisation=story["organisation"])
        code_collection(ws, existing, embedder=embedder, actor=ACTOR)
    run = latest_run(ws, existing.id)
    found = results(
        existing,
        collections.stories(existing.id),
        machine_elements(ws, existing, run),
        machine_ran=run is not None,
        cutoff=run.started_at if run is not None else None,
    )
    kappas = [a.kappa for a in found.agreements if a.kappa is not None]
    agreement = f"; mean \u03ba {sum(kappas) / len(kappas):.2f}" if kappas else ""
    return (
        f"Story collection '{existing.spec.title}': {len(spec['stories'])} stories placed on "
        f"New Operating Models by their writers and by the machine{agreement}. "
        f"Share link: {base_url}/s/{existing.token}"
    )


def _roundtable(ws: Workspace, spec: dict[str, Any]) -> str:
    tables = RoundtableStore(ws)
    existing = next((r for r in tables.all() if r.title == spec["title"]), None)
    if existing is None:
        draft = RoundtableDraft(
            title=spec["title"],
            description="Practitioners from across the network reflect on the stories.",
            columns=list(spec["columns"]),
            agenda=[AgendaEntry(a["title"], "", a["question"]) for a in spec["agenda"]],
        )
        roundtable_id = create_roundtable(ws, draft, actor=ACTOR)
        roundtable = tables.get(roundtable_id)
        assert roundtable is not None
        for number, response in enumerate(spec["responses"]):
            column = roundtable.columns.index(response["column"])
            respond(
                ws,
                roundtable,
                [Answer("board", column, response["text"])],
                responder=f"participant{number + 1}@demo.example",
                organisation=response["organisation"],
            )
        refresh_live(ws, roundtable_id)
        existing = tables.get(roundtable_id)
    assert existing is not None
    themes = len(existing.live.get("themes", [])) if existing.live else 0
    return (
        f"Roundtable '{existing.title}': {existing.live_responses} reflections "
        f"in {len(existing.columns)} columns, {themes} quick themes."
    )


def _product(ws: Workspace, spec: dict[str, Any]) -> str:
    library = LibraryStore(ws)
    if not any(p.title == spec["title"] for p in library.products(limit=500)):
        books, themes = workspace_tag_sources(ws)
        suggested = suggest_tags(spec["text"], codebooks=[*books, "nom"], themes=themes)
        confirmed = []
        for tag in spec["codes"]:
            book, code = tag.split(":", 1)
            title = load_codebook(book).code(code).title
            confirmed.append(TagRecord("code", code, book, title, True, 0.0))
        chosen = {t.value for t in confirmed}
        suggested = [t for t in suggested if t.value not in chosen]
        library.add(
            title=spec["title"],
            kind=spec["kind"],
            summary=spec["text"].split("\n\n")[1].replace("\n", " "),
            body=spec["text"],
            organisation=spec["organisation"],
            tags=[*confirmed, *suggested],
            actor=ACTOR,
        )
    return f"Library: '{spec['title']}', tagged to {len(spec['codes'])} framework codes."


def _workgroup(ws: Workspace) -> str:
    groups = WorkgroupStore(ws)
    evidence = network_evidence(ws)
    everything = set(evidence.items)
    people = [MemberRecord("demo@upstream.example", "")]
    suggestions = suggest_workgroups(evidence, everything, people, groups.workgroups())
    if not groups.workgroups() and suggestions:
        first = suggestions[0]
        groups.create(first.name, purpose=first.purpose, focus=[first.info.key], actor=ACTOR)
    names = ", ".join(f"'{g.name}'" for g in groups.workgroups()) or "none yet"
    return f"Workgroups: {names}; {len(suggestions)} more suggested from shared evidence."
