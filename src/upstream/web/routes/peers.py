"""Peer matching on an organisation's page, and the page for one barrier or code.

Counts cover all the workspace's evidence; quotes are only of items the viewer
may see (see :mod:`upstream.workflows.network.peers`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from upstream.frameworks import CodebookError
from upstream.policy import shown_count, suppressed, withheld
from upstream.signals.dbe import kind_of
from upstream.store.effective_codes import latest_coding_run
from upstream.store.workgroup_repository import MemberRecord, WorkgroupStore, stored_codebooks
from upstream.web.permissions import Actor, Can, need
from upstream.web.settings import services
from upstream.web.templating import render
from upstream.workflows.codebooks import codebook_for
from upstream.workflows.network.library import recommend
from upstream.workflows.network.peers import (
    THEME_PREFIX,
    CodeInfo,
    NetworkEvidence,
    code_overview,
    network_evidence,
    peers_facing_same,
    peers_with_enablers,
)
from upstream.workflows.network.workgroups import related_workgroups
from upstream.workflows.overview import awaiting_review

router = APIRouter(include_in_schema=False)
Browser = Annotated[Actor, Depends(need(Can.BROWSE))]


def evidence_for(actor: Actor) -> tuple[NetworkEvidence, set[int]]:
    """The workspace's coded evidence and which of its items the person may see.

    Only the coded items' ids are asked about: quotes and counts are only ever
    drawn from them, and asking about every visible item read them all.
    """
    evidence = network_evidence(actor.workspace)
    return evidence, actor.evidence.visible_ids(evidence.items)


def people_of(request: Request, actor: Actor) -> list[MemberRecord]:
    """Members of the workspace with their organisations (for invitations)."""
    return [
        MemberRecord(member.email, member.organisation or "")
        for member in services(request).accounts.members(actor.workspace)
    ]


def code_key(codebook: str, code: str) -> str:
    """The key a code or theme has in the network evidence."""
    return THEME_PREFIX + code if codebook == "themes" else code


def code_url(workspace_id: int, codebook: str, code: str) -> str:
    """The address of a code's page."""
    return f"/w/{workspace_id}/codes/{codebook or 'codes'}/{code}"


@router.get("/w/{workspace_id}/organisations/{org_id}")
def organisation_page(request: Request, actor: Browser, org_id: int) -> Response:
    """One organisation's barriers, the peers facing them or past them, and what fits."""
    found = next((o for o in actor.evidence.organisations() if o.id == org_id), None)
    if found is None:
        raise HTTPException(status_code=404, detail="There is no such organisation here.")
    evidence, visible = evidence_for(actor)
    own = evidence.codes_of(found.name)
    codes = [
        (evidence.info(c), own[c], evidence.quotes(c, visible, organisation=found.name, limit=1))
        for c in evidence.patterns.codes
        if c in own
    ]
    barriers = [c for c, _, _ in codes if c.kind == "barrier"]
    keys = [c.key for c in (barriers or [c for c, _, _ in codes])]
    groups = related_workgroups(WorkgroupStore(actor.workspace).workgroups(), keys)
    return render(
        request,
        "organisation_page.html",
        {
            "title": found.name,
            "organisation": found,
            "codes": codes,
            # Two frameworks' codes share the table; each row says whose it is.
            "frameworks": {**stored_codebooks(actor.workspace), "themes": "Themes"},
            "same": peers_facing_same(evidence, found.name, visible),
            "enablers": (enablers := peers_with_enablers(evidence, found.name, visible)),
            # Said, so a barrier with no suggestion is not simply missing from the list.
            "unanswered": [
                c for c in barriers if not c.umbrella and c.key not in {m.barrier for m in enablers}
            ],
            "workgroups": groups,
            "products": recommend(actor.workspace, [k.removeprefix(THEME_PREFIX) for k in keys], 5),
            "evidence": evidence,
            "org_ids": {o.name: o.id for o in actor.evidence.organisations()},
            "code_url": code_url,
            "private": actor.evidence.private_ids(),
        },
        active="network",
    )


def _framework_code(actor: Actor, codebook: str, code: str) -> CodeInfo | None:
    """The code as its framework names it, when the framework has it."""
    try:
        book = codebook_for(actor.workspace, codebook)
    except CodebookError:
        return None
    if code not in book:
        return None
    return CodeInfo(code, codebook, code, book.code(code).title, kind_of(code))


def _to_check(actor: Actor, codebook: str, code: str) -> tuple[int | None, int]:
    """The coding run whose suggestions of ``code`` wait for a person, and how many.

    Only for someone who may code, and only when some wait: the run is None otherwise.
    """
    if not actor.can(Can.CODE):
        return None, 0
    run = latest_coding_run(actor.workspace, codebook)
    if run is None:
        return None, 0
    waiting, _ = awaiting_review(actor.workspace, actor.evidence, run.id, code=code)
    return (run.id, waiting) if waiting else (None, 0)


@router.get("/w/{workspace_id}/codes/{codebook}/{code:path}")
def code_page(request: Request, actor: Browser, codebook: str, code: str) -> Response:
    """One code (a barrier, say) across the network."""
    evidence, visible = evidence_for(actor)
    key = code_key(codebook, code)
    overview = code_overview(evidence, key, visible)
    if not overview.organisations and key not in evidence.codes:
        # A framework's code nobody's evidence carries yet (a learning product may be
        # tagged with it) has a page that says so; anything else is not a code.
        known = _framework_code(actor, codebook, code)
        if known is None:
            raise HTTPException(status_code=404, detail="There is no such code here.")
        overview = replace(overview, info=known)
    groups = related_workgroups(WorkgroupStore(actor.workspace).workgroups(), [key])
    check_run, to_check = _to_check(actor, codebook, code)
    counts = {o.organisation: o.items for o in overview.organisations}
    hidden = withheld(counts)
    sizes = {
        name: (shown_count(n) if suppressed(n) else "not shown") if name in hidden else f"{n:,}"
        for name, n in counts.items()
    }
    return render(
        request,
        "code_page.html",
        {
            "title": overview.info.title,
            "overview": overview,
            "sizes": sizes,
            "codebook": codebook,
            "evidence": evidence,
            "workgroups": groups,
            "recommend_codes": [code],
            "check_run": check_run,
            "to_check": to_check,
            "org_ids": {o.name: o.id for o in actor.evidence.organisations()},
            "code_url": code_url,
            "private": actor.evidence.private_ids(),
        },
        active="network",
    )
