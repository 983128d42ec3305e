"""The coding view: run coding against a framework, see the codes and why, review suggestions.

Pages:

* ``/w/{id}/coding``: start a run, see the latest run's codes per item with
  confidence and explanation, filtered by code.
* a run's progress is on the job page (:mod:`upstream.web.routes.jobs`).
* ``/w/{id}/coding/review``: the review queue in teaching order (uncertain
  items unlike each other, BADGE), with accept, reject and
  recode, what the coder has learned from the decisions, and "retrain now".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from upstream.frameworks import CodebookError, InvalidCodebook
from upstream.records.evidence_types import EVIDENCE_TYPES
from upstream.records.stored import RunRecord
from upstream.reports.run_scope import left_out_words
from upstream.store import StoreError
from upstream.store.coding_repository import (
    CodingRecord,
    CodingStore,
    Decision,
    ReviewCandidate,
)
from upstream.store.coding_undo import undo_last
from upstream.store.effective_codes import effective_codes
from upstream.web.background import job_path
from upstream.web.coding_jobs import embedder_for, embedder_names, running, start_coding
from upstream.web.permissions import Actor, Can, need
from upstream.web.review_decisions import DECISIONS, decision_message
from upstream.web.settings import services
from upstream.web.templating import render
from upstream.workflows.codebooks import add_codebook, codebook_choices, codebook_for
from upstream.workflows.coded_evidence import load_coded
from upstream.workflows.coding_scope import chosen_evidence
from upstream.workflows.describing_groups import AttributeValues
from upstream.workflows.explanations import visible_explanations
from upstream.workflows.overview import awaiting_review
from upstream.workflows.review_loop import (
    BATCH,
    LearningProgress,
    describe,
    learning_state,
    teaching_queue,
)

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Coder = Annotated[Actor, Depends(need(Can.CODE))]
QUEUE_SIZE = 20


def frameworks(actor: Actor) -> list[tuple[str, str]]:
    """Built-in frameworks, then the workspace's own codebooks, as (id, title), for the run form."""
    return [
        (choice.key, f"{choice.title} (your codebook)" if choice.own else choice.title)
        for choice in codebook_choices(actor.workspace)
    ]


def code_counts(request: Request, actor: Actor, run: RunRecord) -> dict[str, int]:
    """Visible items per code in force after a run and people's decisions, cached per app.

    These are the codes the dashboards count: a person's code replaces the
    machine's suggestion, a rejected suggestion counts for nothing, and a best
    guess below the threshold is not counted.
    """
    evidence = actor.evidence
    key = (actor.workspace.id, evidence.scope, run.id, evidence.data_version())
    cache = services(request).caches.code_counts
    found = cache.get(key)
    if found is not None:
        return dict(found)
    codes = effective_codes(
        actor.workspace, str(run.parameters.get("codebook", "")), run, scope=evidence.scope
    )
    counts = dict(Counter(code for item in codes.assigned for code in codes.codes_of(item)))
    cache.put(key, counts)
    return counts


def coding_runs(actor: Actor) -> list[RunRecord]:
    """The workspace's finished coding runs, newest first."""
    runs = CodingStore(actor.workspace).runs(kind="coding", limit=200)
    return [run for run in runs if run.status == "finished"]


def _chosen_run(runs: list[RunRecord], run_id: int | None) -> RunRecord | None:
    if run_id is None:
        return runs[0] if runs else None
    found = next((run for run in runs if run.id == run_id), None)
    if found is None:
        raise HTTPException(status_code=404, detail="There is no such coding run here.")
    return found


def _codes_of(actor: Actor, run: RunRecord) -> list[tuple[str, str, int]]:
    """The run's codebook as (id, title, depth): a built-in one or the workspace's own."""
    try:
        book = codebook_for(actor.workspace, str(run.parameters.get("codebook", "")))
    except CodebookError:
        return []
    return [(code.id, code.title, depth) for depth, code in book.walk()]


@router.get("/w/{workspace_id}/coding")
def coding_page(
    request: Request, actor: Viewer, run: int | None = None, code: str = "", page: int = 1
) -> Response:
    """Start a run; see the codes of the latest (or chosen) run per item."""
    return _coding_page(request, actor, run, code, page)


CODEBOOK_LIMIT = 900_000  # within the form body limit of the app


@router.post("/w/{workspace_id}/coding/codebooks")
def add_codebook_upload(
    request: Request, actor: Coder, file: Annotated[UploadFile, File()]
) -> Response:
    """Check an uploaded codebook and keep it in the workspace, to code with."""
    name = Path(file.filename or "codebook").name
    data = file.file.read(CODEBOOK_LIMIT + 1)
    problems: list[str] = []
    if len(data) > CODEBOOK_LIMIT:
        problems = ["The file must be smaller than 900 KB."]
    else:
        try:
            book = add_codebook(
                actor.workspace.store, actor.workspace.name, data, name, actor=actor.user.email
            )
        except InvalidCodebook as exc:
            problems = [str(problem) for problem in exc.problems]
        except CodebookError as exc:
            problems = [str(exc)]
    if problems:
        return _coding_page(request, actor, problems=problems, status_code=400)
    message = (
        f"Your codebook \u201c{book.title}\u201d ({len(book.codes):,} codes) was added. "
        "Choose it below to code the workspace with it."
    )
    return _coding_page(request, actor, message=message)


def _explained(codings: list[CodingRecord]) -> CodingRecord | None:
    """The coding whose code an item's explanation is about.

    Every code a run gives an item carries the same explanation, worked out for
    the run's first choice (the end of its stored ``path``). That is the most
    specific code, not always the one with the highest confidence: "Crisis or
    shock" at 22% beside "Enabler of change" at 35%, rolled up from its
    children. The explanation is headed with the code it explains.
    """
    if not codings:
        return None
    path = codings[0].explanation.get("path") or []
    chosen = str(path[-1]) if path else ""
    return next((c for c in codings if c.code == chosen), codings[0])


def _coding_page(
    request: Request,
    actor: Actor,
    run: int | None = None,
    code: str = "",
    page: int = 1,
    *,
    problems: list[str] | None = None,
    message: str = "",
    status_code: int = 200,
) -> Response:
    runs = coding_runs(actor)
    chosen = _chosen_run(runs, run)
    rows: list[dict[str, Any]] = []
    total = guesses = 0
    counts: dict[str, int] = {}
    page = max(1, page)
    size = services(request).settings.page_size
    if chosen is not None:
        book = str(chosen.parameters.get("codebook", ""))
        store = CodingStore(actor.workspace)
        items, total = actor.evidence.coded_items(
            chosen.id,
            code,
            codebook_id=store.codebook_id(book),
            limit=size,
            offset=(page - 1) * size,
        )
        guesses = actor.evidence.best_guesses(chosen.id, code) if code else 0
        by_item: dict[int, list[CodingRecord]] = defaultdict(list)
        if items:
            for coding in store.codings(item_ids=[i.id for i in items], run_id=chosen.id):
                by_item[coding.item_id].append(coding)
        # What people decided on these items replaces the run's suggestions in every count.
        found = effective_codes(actor.workspace, book, chosen, item_ids=[i.id for i in items])
        # A decision made before this run started was learned from: the run's
        # suggestion on that item repeats it and is no judgement of its own.
        learned_from = {
            c.item_id
            for c in found.records
            if c.origin == "human" and c.status == "accepted" and c.created_at < chosen.started_at
        }
        for item in items:
            codings = sorted(by_item[item.id], key=lambda c: -(c.confidence or 0.0))
            by_people = [
                found.titles.get(a.code, a.code)
                for a in found.assigned.get(item.id, [])
                if a.origin == "human"
            ]
            explained = _explained(codings)
            # An item a person gave the code is listed even where the run suggested nothing.
            if codings or by_people:
                rows.append(
                    {
                        "item": item,
                        "codings": codings,
                        "why": explained.explanation if explained else {},
                        "why_code": explained.code_title if explained else "",
                        "decision": found.decisions.get(item.id, ""),
                        "played_back": item.id in learned_from,
                        "by_people": by_people,
                    }
                )
        shown = visible_explanations([row["why"] for row in rows], actor.evidence)
        for row, why in zip(rows, shown, strict=True):
            row["why"] = why
        counts = code_counts(request, actor, chosen)
    going = running(request, actor)
    return render(
        request,
        "coding.html",
        {
            "title": "Coding",
            "runs": runs,
            "run": chosen,
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // size)),
            "code": code,
            "codes": _codes_of(actor, chosen) if chosen else [],
            "counts": counts,
            "guesses": guesses,
            "frameworks": frameworks(actor),
            "codebook_problems": problems or [],
            "message": message,
            "embedders": embedder_names(),
            "running": going,
            "not_coded": _not_coded(actor, chosen),
        },
        status_code=status_code,
        active="coding",
    )


def _not_coded(actor: Actor, run: RunRecord | None) -> str:
    """What the run left uncoded by design (residents' replies, say), in words."""
    if run is None:
        return ""
    book = str(run.parameters.get("codebook", ""))
    return left_out_words(run.parameters, dict(frameworks(actor)).get(book, book))


def _same_model(model_id: str) -> str:
    """The choice that names a run's text model: "default" when it was the default."""
    from upstream.embed import DEFAULT_EMBEDDER

    name = embedder_for(model_id)
    return "default" if name == DEFAULT_EMBEDDER else name


def _threshold(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise HTTPException(status_code=400, detail="The threshold must be a number from 0 to 1.")
    return value


@router.post("/w/{workspace_id}/coding/run")
def start_run(
    request: Request,
    actor: Coder,
    codebook: Annotated[str, Form(max_length=50)] = "nom",
    embedder: Annotated[str, Form(max_length=50)] = "default",
    threshold: Annotated[str, Form(max_length=10)] = "",
    evidence: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Start coding the workspace's evidence in the background.

    ``evidence`` is blank for the framework's usual evidence (a built-in
    framework codes what network members, staff and partners say) or ``all``.
    """
    titles = {choice.key: choice.title for choice in codebook_choices(actor.workspace)}
    if codebook not in titles:
        raise HTTPException(status_code=400, detail="Choose a framework from the list.")
    if embedder not in embedder_names():
        raise HTTPException(status_code=400, detail="Choose a text model from the list.")
    if evidence not in {"", "all"}:
        raise HTTPException(status_code=400, detail="Choose which evidence to code from the list.")
    title = titles[codebook]
    job = start_coding(
        request,
        actor,
        codebook=codebook,
        embedder=embedder,
        threshold=_threshold(threshold),
        label=f"Coding against {title}",
        evidence_types=list(EVIDENCE_TYPES) if evidence == "all" else None,
    )
    return RedirectResponse(job_path(job), status_code=303)


@router.get("/w/{workspace_id}/coding/review")
def review_page(
    request: Request,
    actor: Coder,
    run: int | None = None,
    done: str = "",
    item: int = 0,
    org: str = "",
    under: str = "",
) -> Response:
    """The review queue: items the machine was least sure of, first.

    ``org`` keeps to one organisation's items; ``under`` to the items the run's
    suggestions count under one code, so a person can check the items behind a
    headline ("Raised by 10 of 13 organisations in 26 items").
    """
    runs = coding_runs(actor)
    chosen = _chosen_run(runs, run)
    organisations = actor.evidence.organisation_names()
    if org and org not in organisations:
        raise HTTPException(status_code=400, detail="Choose the organisation from the list.")
    checking = _checked_code(actor, chosen, under)
    queue: list[ReviewCandidate] = []
    progress = None
    decided = coded = 0
    awaiting = (0, False)
    if chosen is not None:
        candidates = CodingStore(actor.workspace).review_queue(
            chosen.id, limit=QUEUE_SIZE * 10, organisation=org, code=under
        )
        visible = actor.evidence.visible_ids(c.item.id for c in candidates)
        waiting = [c for c in candidates if c.item.id in visible]
        queue, progress = _learned_order(actor, chosen, waiting, org, under)
        decided, coded = _decision_counts(actor, chosen)
        awaiting = awaiting_review(actor.workspace, actor.evidence, chosen.id, org, under)
    message = decision_message(actor, chosen, done, item) if chosen is not None else ""
    values = AttributeValues(actor.evidence)
    return render(
        request,
        "coding_review.html",
        {
            "title": f"Check the count for “{checking}”"
            if checking
            else "Review the machine's suggestions",
            "run": chosen,
            "runs": runs,
            "queue": queue,
            "roles": {c.item.id: values.role(c.item) for c in queue},
            "codes": _codes_of(actor, chosen) if chosen else [],
            "message": message,
            "decided": decided,
            "teaching": coded,
            "awaiting": awaiting,
            "organisations": organisations,
            "org": org,
            "under": under,
            "checking": checking,
            "learning": describe(progress, decided, coded),
            "batch": BATCH,
            "embedder": _same_model(str(chosen.versions.get("embedder", ""))) if chosen else "",
            "embedders": embedder_names(),
        },
        active="coding",
    )


def _learned_order(
    actor: Actor, run: RunRecord, waiting: list[ReviewCandidate], org: str = "", under: str = ""
) -> tuple[list[ReviewCandidate], LearningProgress | None]:
    """The queue in teaching order, and what the coder has learned from the decisions."""
    try:
        book = codebook_for(actor.workspace, str(run.parameters.get("codebook", "")))
    except CodebookError:
        return waiting[:QUEUE_SIZE], None
    # Each choice of items keeps its own order ("\x1f" cannot be in a name or key).
    scope = f"{org}\x1f{under}" if under else org
    queue = teaching_queue(actor.workspace, run, book, waiting, QUEUE_SIZE, scope)
    return queue, learning_state(actor.workspace, run, book)


def _code_decided(decision: str, code: str, under: str) -> str | None:
    """The code a decision names: the one chosen when recoding, the one counted when checking.

    Checking a count, "Accept" confirms the code being counted, which may not be
    the machine's top suggestion; otherwise it accepts the top one.
    """
    if decision == "recode":
        return code
    return (under or None) if decision == "accept" else None


def _checked_code(actor: Actor, run: RunRecord | None, under: str) -> str:
    """The title of the code whose counted items are being checked ("" for none).

    Raises:
        HTTPException: ``under`` is not a code of the run's codebook.
    """
    if not under:
        return ""
    try:
        book = (
            codebook_for(actor.workspace, str(run.parameters.get("codebook", ""))) if run else None
        )
    except CodebookError:
        book = None
    if book is None or under not in book:
        raise HTTPException(status_code=400, detail="Choose a code of this run's framework.")
    return book.code(under).title


@router.post("/w/{workspace_id}/coding/review/{item_id}")
def decide(
    request: Request,
    actor: Coder,
    item_id: int,
    run: Annotated[int, Form()],
    decision: Annotated[str, Form(max_length=20)],
    code: Annotated[str, Form(max_length=200)] = "",
    also: Annotated[str, Form(max_length=200)] = "",
    org: Annotated[str, Form(max_length=300)] = "",
    back: Annotated[str, Form(max_length=10)] = "",
    under: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Accept the top suggestion, reject every suggestion, recode, or mark not relevant.

    ``also`` gives an accepted or recoded item a second code: an item can be
    about two things, and the coder learns both. ``under`` is the code whose
    count is being checked: accepting then confirms that code. ``back`` is ``item`` when the
    decision was taken on the item's own page, which is shown again.

    A plain form post is answered with the review page again; a script that
    asks for JSON (``Accept: application/json``) gets the outcome instead, so
    the page can update the item in place.
    """
    if decision not in DECISIONS or decision == "undo":
        raise HTTPException(status_code=400, detail="Choose accept, reject or recode.")
    chosen = _chosen_run(coding_runs(actor), run)
    assert chosen is not None  # a missing run is a 404 above
    if actor.evidence.item(item_id) is None:
        raise HTTPException(status_code=404, detail="There is no such item here.")
    store = CodingStore(actor.workspace)
    codebook_id = store.codebook_id(str(chosen.parameters.get("codebook", "")))
    if codebook_id is None:  # pragma: no cover - a finished run always saved its codebook
        raise HTTPException(status_code=404, detail="This run's codebook is missing.")
    if decision == "recode" and not code:
        raise HTTPException(status_code=400, detail="Choose the code to use instead.")
    try:
        store.decide(
            item_id,
            codebook_id,
            cast(Decision, decision),
            actor=actor.user.email,
            code=_code_decided(decision, code, under),
            also=[also] if also else [],
        )
    except StoreError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    if back == "item" and "application/json" not in request.headers.get("accept", ""):
        return RedirectResponse(
            f"/w/{actor.workspace.id}/evidence/{item_id}?"
            + urlencode({"done": decision, "run": chosen.id})
            + "#check-codes",
            status_code=303,
        )
    return _answer(request, actor, chosen, decision, item_id, org, under)


@router.post("/w/{workspace_id}/coding/review-undo")
def undo(
    request: Request,
    actor: Coder,
    run: Annotated[int, Form()],
    org: Annotated[str, Form(max_length=300)] = "",
    under: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Put back the codes an item had before your newest decision (the undo is audited)."""
    chosen = _chosen_run(coding_runs(actor), run)
    assert chosen is not None
    item_id = undo_last(actor.workspace, actor.user.email)
    done = "undo" if item_id else "nothing"
    return _answer(request, actor, chosen, done, item_id or 0, org, under)


def _decision_counts(actor: Actor, run: RunRecord) -> tuple[int, int]:
    """Decisions by people on the run's framework, and those the coder learns from.

    Only a code a person gave (accepting or recoding) teaches the coder; a code
    a story's writer gave their own story is evidence, kept as suggested, and
    rejections and "not relevant" give it no code to learn.
    """
    found = load_coded(actor.workspace, run)
    store = CodingStore(actor.workspace)
    codebook_id = store.codebook_id(str(run.parameters.get("codebook", "")))
    labels = store.human_labels(codebook_id) if codebook_id is not None else []
    teaching = len({item.id for item, _ in labels})
    return len(found.decisions), teaching


def _answer(
    request: Request,
    actor: Actor,
    run: RunRecord,
    done: str,
    item_id: int,
    org: str = "",
    under: str = "",
) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        decided, coded = _decision_counts(actor, run)
        message = decision_message(actor, run, done, item_id)
        _, progress = _learned_order(actor, run, [])
        headline, detail = describe(progress, decided, coded)
        return JSONResponse(
            {
                "done": done,
                "item": item_id,
                "message": message,
                "decided": decided,
                "teaching": coded,
                "learning": {"headline": headline, "detail": detail},
            }
        )
    return RedirectResponse(
        f"/w/{actor.workspace.id}/coding/review?"
        + urlencode(
            {
                "run": run.id,
                "done": done,
                "item": item_id,
                **({"org": org} if org else {}),
                **({"under": under} if under else {}),
            }
        )
        + "#queue",
        status_code=303,
    )


@router.post("/w/{workspace_id}/coding/retrain")
def retrain(
    request: Request,
    actor: Coder,
    run: Annotated[int, Form()],
    embedder: Annotated[str, Form(max_length=50)] = "",
) -> Response:
    """Code the workspace again with the same framework, learning from people's decisions."""
    chosen = _chosen_run(coding_runs(actor), run)
    assert chosen is not None
    key = str(chosen.parameters.get("codebook", ""))
    try:
        book = codebook_for(actor.workspace, key)
    except CodebookError:
        raise HTTPException(
            status_code=400, detail="This run's codebook is no longer in the workspace."
        ) from None
    name = embedder or embedder_for(str(chosen.versions.get("embedder", "")))
    if name not in embedder_names():
        raise HTTPException(status_code=400, detail="Choose a text model from the list.")
    # A threshold someone asked for is asked for again; otherwise the codebook's own,
    # or one chosen from the decisions, applies as it would to a new run.
    threshold = chosen.parameters.get("threshold")
    if chosen.parameters.get("threshold_source", "asked") != "asked":
        threshold = None
    job = start_coding(
        request,
        actor,
        codebook=key,
        embedder=name,
        threshold=float(threshold) if isinstance(threshold, int | float) else None,
        label=f"Retraining on {book.title}",
        evidence_types=chosen_evidence(chosen.parameters),
    )
    return RedirectResponse(job_path(job), status_code=303)
