"""No page or API answer shows one organisation's private words to anyone outside it.

Walks every GET route of the app, fills its path with the ids of the seeded
workspace, items, runs and themes (after a coding run that learned from
Southvale's private item and a theme run holding only Southvale's private
items), and checks, for an analyst of Northmoor, a viewer with no organisation,
an analyst of another workspace and someone not signed in, that no response
contains Southvale's private text or its distinctive words.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.store.theme_repository import ThemeStore
from upstream.workflows.coding import code_workspace
from upstream.workflows.themes import ThemeSettings, find_themes

# Imported by path: the web tests are not a package.
from .test_web_leaks import (  # type: ignore[import-not-found]
    SECRET,
    SECRET_FILE,
    WORKSPACE,
    add_people,
    add_secret_theme_run,
)

# Southvale's private words: the whole text, its distinctive words, its file and theme name.
FORBIDDEN = (SECRET, "staff morale", "restructure", "burnout", SECRET_FILE, "Restructure fallout")
OUTSIDERS = ("anna@northmoor.gov.uk", "nora@network.org", "zed@elsewhere.org", None)
SKIP = re.compile(r"/logout|/static")


def get_routes(app: FastAPI) -> list[str]:
    """The path of every GET route, however routers are included."""
    paths: list[str] = []

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute) and "GET" in route.methods:
                paths.append(prefix + route.path)
            included = getattr(route, "original_router", None)
            if included is not None:
                walk(included.routes, prefix + route.include_context.prefix)

    walk(list(app.routes), "")
    return sorted(set(paths))


def _prepare(seeded) -> dict[str, list[int]]:
    """Runs and themes with content, and the ids to fill paths with."""
    add_people(seeded.db)
    codebook = load_codebook("nom")
    items = seeded.items
    with Store(seeded.db) as store:
        code_workspace(store, WORKSPACE, codebook, embedder="hashing", threshold=0.0)
        coding = CodingStore(store.workspace(WORKSPACE))
        codebook_id = coding.codebook_id("nom")
        assert codebook_id is not None
        for label in ("south-private", "north-shared"):
            coding.decide(
                items[label], codebook_id, "recode", actor="ben", code=codebook.codes[-1].id
            )
        code_workspace(store, WORKSPACE, codebook, embedder="hashing", threshold=0.0)
    add_secret_theme_run(seeded)
    with Store(seeded.db) as store:
        workspace = store.workspace(WORKSPACE)
        find_themes(
            workspace,
            workspace.items(),
            ThemeSettings(embedder="hashing", n_themes=2),
            actor="owner@network.org",
        )
        themes = ThemeStore(workspace)
        runs = [r.id for r in CodingStore(workspace).runs(limit=50)]
        theme_ids = [t.id for run in themes.runs.runs(kind="themes") for t in themes.themes(run.id)]
        item_ids = [i.id for i in workspace.items()]
    return {"item": item_ids, "run": runs, "theme": theme_ids}


def _paths(route: str, workspace_id: int, ids: dict[str, list[int]]) -> Iterator[str]:
    names = re.findall(r"{(\w+)(?::\w+)?}", route)
    choices: list[list[str]] = []
    for name in names:
        if name == "workspace_id":
            choices.append([str(workspace_id)])
        elif name == "item_id":
            choices.append([str(i) for i in ids["item"]])
        elif name == "run_id":
            choices.append([str(i) for i in ids["run"]])
        elif name == "theme_id":
            choices.append([str(i) for i in ids["theme"]])
        else:
            choices.append(["1"])
    for values in itertools.product(*choices):
        path = route
        for name, value in zip(names, values, strict=True):
            path = re.sub(r"{" + name + r"(?::\w+)?}", value, path, count=1)
        yield path


def test_no_route_shows_another_organisations_private_words(
    seeded, make_app: Callable[..., FastAPI], web
) -> None:
    ids = _prepare(seeded)
    app = make_app(seeded.db)
    routes = [r for r in get_routes(app) if not SKIP.search(r)]
    assert any("{item_id}" in r for r in routes) and any("{theme_id}" in r for r in routes)
    paths = [p for r in routes for p in _paths(r, seeded.workspace_id, ids)]
    # The owner sees the secret somewhere, so the walk does reach it.
    with TestClient(app) as owner:
        web.sign_in(owner, "owner@network.org")
        assert any(SECRET in owner.get(p).text for p in paths if "/coding" in p or "evidence" in p)
    problems: list[str] = []
    ok = 0
    for email in OUTSIDERS:
        with TestClient(app) as client:
            if email is not None:
                web.sign_in(client, email)
            for path in paths:
                response = client.get(path)
                if response.status_code == 200:
                    ok += 1
                body = response.text
                problems += [
                    f"{email} {path}: {w!r}" for w in FORBIDDEN if w.lower() in body.lower()
                ]
    assert ok > 50  # most pages answered: the walk is not just a list of refusals
    assert not problems, "\n".join(problems)
