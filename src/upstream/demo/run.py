"""The main job on the demo network: import, code, find themes, report, and a demo account."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from upstream.demo import DemoImport, load_demo
from upstream.demo.benefits import load_benefits
from upstream.demo.network import load_network
from upstream.frameworks import load_codebook
from upstream.policy import excerpt
from upstream.store import Store
from upstream.store.accounts import Accounts
from upstream.workflows.coding import CodingOutcome, code_workspace

DEMO_EMAIL = "demo@upstream.example"
DEMO_FRAMEWORK = "nom"
DEMO_ASSESSMENT = "New Operating Models self-assessment"


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
    base_url: str = "",
) -> DemoRun:
    """Run the main job on the demo network: import, code, theme, compare, convene, report.

    Args:
        store: The open store.
        report: Where to write the HTML report (skipped when None).
        embedder: Embedder for coding.
        on_stage: Called with a short description as each stage starts.
        base_url: Where the web app will be served (for the links it prints).

    Returns:
        What was done, including the demo account's fresh password.
    """
    stage = on_stage or (lambda _: None)
    stage("Importing the demo evidence")
    loaded = load_demo(store, on_file=lambda name: stage(f"  {name}"))
    # The stories and the roundtable's responses are evidence too: they are in
    # place before coding, so every item is coded and every count has one base.
    stage("Setting up the learning network: stories, roundtable, library and workgroups")
    network = load_network(store, loaded.workspace, embedder=embedder, base_url=base_url)
    stage("Coding every item against New Operating Models")
    coding = code_workspace(
        store, loaded.workspace, load_codebook(DEMO_FRAMEWORK), embedder=embedder, actor="demo"
    )
    stage("Coding every item as a driver, barrier or enabler")
    dbe = code_workspace(
        store, loaded.workspace, load_codebook("dbe"), embedder=embedder, actor="demo"
    )
    outcome = DemoRun(loaded, coding)
    outcome.extras["network"] = "\n".join(network.lines)
    outcome.extras["dbe"] = (
        f"Coded {dbe.coded:,} of {len(dbe.results):,} items as drivers, barriers or enablers "
        f"(run {dbe.run_id}), as suggestions for people to confirm."
    )
    stage("Setting up the demo account")
    outcome.password = secrets.token_urlsafe(9)
    accounts = Accounts(store)
    accounts.ensure_user(DEMO_EMAIL, password=outcome.password, display_name="Demo convener")
    accounts.set_membership(store.workspace(loaded.workspace), DEMO_EMAIL, "owner", actor="demo")
    stage("Finding themes in the consultation replies")
    outcome.extras["themes"] = theme_consultation(store, loaded.workspace, embedder=embedder)
    stage("Loading the demo self-assessment")
    outcome.extras["assessment"] = load_demo_assessment(store, loaded.workspace)
    stage("Loading the demo staff survey")
    from upstream.demo.staff_survey import load_demo_staff_survey

    outcome.extras["staff_survey"] = load_demo_staff_survey(store, loaded.workspace)
    stage("Comparing what the organisations said")
    outcome.extras["patterns"] = cross_organisation_patterns(
        store, loaded.workspace, embedder=embedder
    )
    stage("Benefits: measures, register, channel shift and appraisal")
    outcome.extras["benefits"] = load_benefits(store, loaded.workspace)
    if report is not None:
        stage(f"Writing {report.name}")
        outcome.report = write_demo_report(store, loaded.workspace, report)
    return outcome


def theme_consultation(store: Store, workspace: str, *, embedder: str = "default") -> str:
    """Discover themes in the demo's consultation replies, leaving out spam and abuse.

    Returns:
        Plain English: what was found, then the largest themes, each with how
        opinion splits and a typical quote.
    """
    from upstream.records.themes import listing_order
    from upstream.store.account_models import Scope
    from upstream.store.visibility import ScopedEvidence
    from upstream.workflows.theme_evidence import source_choice
    from upstream.workflows.themes import ThemeSettings, find_themes, theme_items

    ws = store.workspace(workspace)
    source = next(s for s in ws.sources() if s.kind == "consultation replies")
    replies = theme_items(ws, [item.id for item in ws.items(source_id=source.id)])
    run = find_themes(
        ws,
        replies,
        ThemeSettings(embedder=embedder, seed=0),
        actor="demo",
        # In the words the themes form uses for this source, so it offers the same again.
        evidence=source_choice(ScopedEvidence(ws, Scope(see_all=True)), source.name).description,
    )
    kept = run.items
    themes = run.discovery.themes_
    lines = [
        f"Found {len(themes)} themes in {len(kept):,} consultation replies "
        f"({len(replies) - len(kept)} set aside as spam, abuse or off-topic). The largest:"
    ]
    # Themes come in number order, which after earlier runs is not their order of size.
    for theme in sorted(themes, key=lambda t: listing_order(t.label, t.size))[:3]:
        places = len(theme.organisations)
        lines.append(
            f"  • {theme.label} – {theme.size} replies from {places} "
            f"organisation{'' if places == 1 else 's'}"
        )
        if theme.stance is not None and theme.stance.contested:
            lines.append(f"    {theme.stance.sentence}")
        elif theme.quotes:
            lines.append(f"    \u201c{excerpt(theme.quotes[0].text, 160)}\u201d")
    return "\n".join(lines)


def cross_organisation_patterns(store: Store, workspace: str, *, embedder: str = "default") -> str:
    """Compare the organisations' evidence: shared barriers, look-alikes, who can help whom.

    Returns:
        Plain English: the barriers most organisations raise, the two most alike
        organisations, and one peer whose evidence shows a way past a barrier,
        with the quote that shows it.
    """
    from upstream.workflows.patterns import workspace_patterns

    result = workspace_patterns(store.workspace(workspace), embedder=embedder)
    patterns = result.patterns
    lines = [f"Patterns across {len(patterns.organisations)} organisations:"]
    barriers = [r for r in patterns.reach if r.kind == "barrier"][:3]
    if barriers:
        shared = "; ".join(f"{r.title} ({len(r.organisations)})" for r in barriers)
        lines.append(f"  • Barriers raised by the most organisations: {shared}.")
    if patterns.similarity:
        first, second, cosine = patterns.similarity[0]
        lines.append(f"  • Most alike in what they raise: {first} and {second} ({cosine:.2f}).")
    # Of the ways past the organisation pages offer, the one closest to its barrier.
    if patterns.peer_enablers:
        help_ = max(patterns.peer_enablers, key=lambda e: (e.linked, e.relevance))
        barrier = patterns.titles.get(help_.barrier, help_.barrier)
        lines.append(
            f"  • {help_.organisation} faces '{barrier}'; {help_.peer} shows a way past it:"
        )
        if help_.quotes:
            lines.append(f"    \u201c{excerpt(help_.quotes[0][1])}\u201d")
    lines.append("  Run 'upstream patterns --db DB --output DIR' for every matrix as CSV.")
    return "\n".join(lines)


def load_demo_assessment(store: Store, workspace: str) -> str:
    """Store the demo organisations' self-assessment against New Operating Models.

    Returns:
        Plain English: how many people in how many organisations rated themselves.
    """
    from upstream.survey.assessment import load_questionnaire
    from upstream.survey.demo_assessment import demo_assessment
    from upstream.workflows.survey.assessment_io import save_responses

    form = load_questionnaire()
    responses = demo_assessment(questionnaire=form)
    save_responses(
        store, responses, workspace=workspace, name=DEMO_ASSESSMENT, framework=form.framework
    )
    people = responses.groupby("organisation")["respondent"].nunique()
    return (
        f"Self-assessment '{DEMO_ASSESSMENT}': {int(people.sum()):,} people in "
        f"{len(people)} organisations rated {len(form.elements)} elements of New Operating Models."
    )


def write_demo_report(store: Store, workspace: str, path: Path) -> Path | None:
    """Write the HTML report of the demo workspace, when the reports package is present."""
    try:
        from upstream.reports import render_html
        from upstream.workflows.reports import build_report_data
    except ImportError:
        return None
    render_html(build_report_data(store, workspace), path)
    return path
