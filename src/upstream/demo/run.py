"""The main job on the demo network: import, code, find themes, report, and a demo account."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from upstream.coding.workflow import CodingOutcome, code_workspace
from upstream.demo import DemoImport, load_demo
from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.accounts import Accounts

DEMO_EMAIL = "demo@upstream.example"
DEMO_FRAMEWORK = "nom"


@dataclass
class DemoRun:
    """Everything the demo did, for the summary printed to the user."""

    loaded: DemoImport
    coding: CodingOutcome
    email: str = DEMO_EMAIL
    password: str = ""
    report: Path | None = None
    extras: dict[str, str] = field(default_factory=dict)


def run_demo(
    store: Store,
    *,
    report: Path | None = None,
    embedder: str = "default",
    on_stage: Callable[[str], None] | None = None,
) -> DemoRun:
    """Load the demo evidence, code it against New Operating Models and set up an account.

    Args:
        store: The open store.
        report: Where to write the HTML report (skipped when None).
        embedder: Embedder for coding.
        on_stage: Called with a short description as each stage starts.

    Returns:
        What was done, including the demo account's fresh password.
    """
    stage = on_stage or (lambda _: None)
    stage("Importing the demo evidence")
    loaded = load_demo(store, on_file=lambda name: stage(f"  {name}"))
    stage("Coding every item against New Operating Models")
    coding = code_workspace(
        store, loaded.workspace, load_codebook(DEMO_FRAMEWORK), embedder=embedder, actor="demo"
    )
    outcome = DemoRun(loaded, coding)
    stage("Setting up the demo account")
    outcome.password = secrets.token_urlsafe(9)
    accounts = Accounts(store)
    accounts.ensure_user(DEMO_EMAIL, password=outcome.password, display_name="Demo convener")
    accounts.set_membership(store.workspace(loaded.workspace), DEMO_EMAIL, "owner", actor="demo")
    stage("Finding themes in the consultation replies")
    outcome.extras["themes"] = theme_consultation(store, loaded.workspace, embedder=embedder)
    if report is not None:
        stage(f"Writing {report.name}")
        outcome.report = write_demo_report(store, loaded.workspace, report)
    return outcome


def theme_consultation(store: Store, workspace: str, *, embedder: str = "default") -> str:
    """Discover themes in the demo's consultation replies, leaving out spam and abuse.

    Returns:
        A plain-English line saying what was found.
    """
    from upstream.signals.flags import flag_items
    from upstream.themes import ThemeDiscovery
    from upstream.themes.workflow import run_themes, theme_items

    ws = store.workspace(workspace)
    source = next(s for s in ws.sources() if s.kind == "consultation replies")
    replies = theme_items(ws, [item.id for item in ws.items(source_id=source.id)])
    flags = flag_items([item.text for item in replies])
    kept = [item for item, flag in zip(replies, flags, strict=True) if not flag.excluded]
    run = run_themes(ws, ThemeDiscovery(embedder=embedder, seed=0), items=kept, actor="demo")
    themes = run.discovery.themes_
    largest = ", ".join(f"'{t.label}' ({t.size})" for t in themes[:3])
    return (
        f"Found {len(themes)} themes in {len(kept):,} consultation replies "
        f"({len(replies) - len(kept)} set aside as spam, abuse or off-topic); "
        f"largest: {largest}."
    )


def write_demo_report(store: Store, workspace: str, path: Path) -> Path | None:
    """Write the HTML report of the demo workspace, when the reports package is present."""
    try:
        from upstream.reports import build_report_data, render_html
    except ImportError:
        return None
    render_html(build_report_data(store, workspace), path)
    return path
