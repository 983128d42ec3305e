"""Story collections: the owner's set-up pages and the public, self-signified story form.

Pages:

* ``/w/{id}/collections``: the collections, with their shareable links.
* ``/w/{id}/collections/new`` and ``/w/{id}/collections/{cid}/edit``: set-up
  (workspace owners, and organisation admins for their own organisation).
* ``/w/{id}/collections/{cid}/results``: self-signified against machine codes,
  slider positions, and ``.../stories`` the stories behind any figure.
* ``/s/{token}``: the public form (plain HTML; works without JavaScript).
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from upstream.policy import FEWER_THAN, MIN_GROUP, suppressed
from upstream.reports.svg import bar_chart
from upstream.store import StoreError
from upstream.store.collection_logo import logo_of
from upstream.store.collection_repository import (
    CollectionRecord,
    CollectionSpec,
    CollectionStore,
    StoryRecord,
    find_by_token,
)
from upstream.store.repository import Workspace
from upstream.web.coding_jobs import embedder_names
from upstream.web.collection_jobs import latest_job, start_collection_coding
from upstream.web.permissions import (
    ROLE_CAPABILITIES,
    Actor,
    Can,
    login_url,
    may_see_job,
    need,
    signed_in_user,
)
from upstream.web.routes.auth import client_address
from upstream.web.settings import services
from upstream.web.templating import render
from upstream.workflows.network.collections import (
    MAX_QUESTIONS,
    MAX_SLIDERS,
    RATE_WINDOW,
    StoryForm,
    default_spec,
    element_choices,
    framework_choices,
    parse_story,
    read_story_form,
    save_story,
    spec_from_form,
    take_story_slot,
)
from upstream.workflows.network.signification import (
    BANDS,
    latest_run,
    machine_elements,
    results,
    stories_matching,
)
from upstream.workflows.network.story_wording import element_question, host_name

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Convener = Annotated[Actor, Depends(need(Can.CONVENE))]
Analyst = Annotated[Actor, Depends(need(Can.CODE))]
FormValues = dict[str, str | list[str]]


async def form_values(request: Request) -> FormValues:
    """Every submitted form field; fields sent more than once (checkboxes) as lists."""
    form = await request.form()
    values: FormValues = {}
    for key in form:
        found = [v for v in form.getlist(key) if isinstance(v, str)]
        values[key] = found if len(found) > 1 or key == "elements" else (found[0] if found else "")
    return values


Values = Annotated[FormValues, Depends(form_values)]
NOT_YOURS = "Only its organisation's admins or the workspace owner can change this collection."
NOT_MEMBER = (
    "This collection is for members of its network. "
    "Ask the person who sent you the link to add you."
)


def _collection(actor: Actor, collection_id: int) -> CollectionRecord:
    found = CollectionStore(actor.workspace).collection(collection_id)
    if found is None:
        raise HTTPException(status_code=404, detail="There is no such story collection here.")
    return found


def may_edit(actor: Actor, collection: CollectionRecord | None) -> bool:
    """Owners edit any collection; organisation admins those of their own organisation."""
    if collection is None:
        return actor.may(Can.CONVENE, organisation=None)
    return actor.may(Can.CONVENE, organisation=collection.spec.organisation)


def _organisations(actor: Actor) -> list[str]:
    return [
        n for n in actor.evidence.organisation_names() if actor.may(Can.CONVENE, organisation=n)
    ]


def share_link(request: Request, collection: CollectionRecord) -> str:
    """The full shareable address of a collection's public form."""
    return str(request.base_url).rstrip("/") + f"/s/{collection.token}"


@router.get("/w/{workspace_id}/collections")
def collections_page(request: Request, actor: Viewer) -> Response:
    """The workspace's story collections."""
    found = CollectionStore(actor.workspace).collections()
    return render(
        request,
        "collections.html",
        {
            "title": "Story collections",
            "collections": found,
            "links": {c.id: share_link(request, c) for c in found},
            "editable": {c.id for c in found if may_edit(actor, c)},
        },
        active="network",
    )


def _form_page(
    request: Request,
    actor: Actor,
    spec: CollectionSpec,
    problems: list[str],
    *,
    collection: CollectionRecord | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "collection_form.html",
        {
            "title": f"Edit “{collection.spec.title}”" if collection else "New story collection",
            "spec": spec,
            "collection": collection,
            "problems": problems,
            "frameworks": framework_choices(),
            "elements": element_choices(spec.framework, spec.level),
            "element_question": element_question,
            "organisations": _organisations(actor),
            "max_sliders": MAX_SLIDERS,
            "max_questions": MAX_QUESTIONS,
            "logo": logo_of(actor.workspace, collection.id) if collection else None,
            "logo_news": {"saved": "Logo saved.", "removed": "Logo removed."}.get(
                request.query_params.get("logo", ""), ""
            ),
        },
        status_code=status_code,
        active="network",
    )


@router.get("/w/{workspace_id}/collections/new")
def new_collection(request: Request, actor: Convener) -> Response:
    """The set-up form for a new collection, filled with sensible defaults."""
    organisation = None if actor.can(Can.ANY_ORGANISATION) else actor.member.organisation
    return _form_page(request, actor, default_spec(organisation), [])


def _save_spec(
    request: Request, actor: Actor, values: FormValues, collection: CollectionRecord | None
) -> Response:
    spec, problems = spec_from_form(values, _organisations(actor))
    if not actor.can(Can.ANY_ORGANISATION) and spec.organisation != actor.member.organisation:
        problems.append("Organisation admins can only run collections for their own organisation.")
    if values.get("refresh") or problems:
        # "Show these elements" re-draws the form for another framework or level.
        status = 200 if values.get("refresh") else 400
        return _form_page(
            request,
            actor,
            spec,
            [] if status == 200 else problems,
            collection=collection,
            status_code=status,
        )
    store = CollectionStore(actor.workspace)
    if collection is None:
        saved = store.create(spec, actor=actor.user.email)
    else:
        saved = store.update(collection.id, spec, actor=actor.user.email)
    return RedirectResponse(
        f"/w/{actor.workspace.id}/collections?saved={saved.id}#collection-{saved.id}",
        status_code=303,
    )


@router.post("/w/{workspace_id}/collections/new")
def create_collection(request: Request, actor: Convener, values: Values) -> Response:
    """Create a collection; a problem re-shows the form with everything kept."""
    return _save_spec(request, actor, values, None)


@router.get("/w/{workspace_id}/collections/{collection_id}/edit")
def edit_collection(request: Request, actor: Convener, collection_id: int) -> Response:
    """The set-up form for an existing collection."""
    collection = _collection(actor, collection_id)
    if not may_edit(actor, collection):
        raise HTTPException(
            status_code=403,
            detail=NOT_YOURS,
        )
    return _form_page(request, actor, collection.spec, [], collection=collection)


@router.post("/w/{workspace_id}/collections/{collection_id}/edit")
def update_collection(
    request: Request, actor: Convener, collection_id: int, values: Values
) -> Response:
    """Save changes to a collection's set-up."""
    collection = _collection(actor, collection_id)
    if not may_edit(actor, collection):
        raise HTTPException(
            status_code=403,
            detail=NOT_YOURS,
        )
    return _save_spec(request, actor, values, collection)


# --- results ---------------------------------------------------------------------------


def _visible_stories(actor: Actor, collection: CollectionRecord) -> list[StoryRecord]:
    stories = CollectionStore(actor.workspace).stories(collection.id)
    visible = actor.evidence.visible_ids(s.item_id for s in stories)
    return [s for s in stories if s.item_id in visible]


WITHHELD = f"not shown: {FEWER_THAN} stories from this organisation give this answer"


def _bar(n: int) -> int | None:
    """A bar's length; a count of 1 to 9 stories draws none (its length would show it)."""
    return None if suppressed(n) else n


def _charts(data: Any) -> dict[str, Markup]:
    charts: dict[str, Markup] = {}
    if data.agreements:
        titles = [a.title for a in data.agreements]
        charts["contributors"] = Markup(
            bar_chart(
                titles,
                [_bar(a.contributors) for a in data.agreements],
                title="Stories per element, as contributors chose",
            )
        )
        if data.compared:
            charts["machine"] = Markup(
                bar_chart(
                    titles,
                    [_bar(a.machine) for a in data.agreements],
                    title="Stories per element, as the machine coded them",
                )
            )
    for slider in data.sliders:
        if not slider.bands:
            continue
        charts[f"slider-{slider.key}"] = Markup(
            bar_chart(
                list(BANDS),
                [_bar(n) for n in slider.bands],
                title=(
                    f"{slider.label}: stories in each band "
                    f"from {slider.left} (0) to {slider.right} (100)"
                ),
            )
        )
    return charts


@router.get("/w/{workspace_id}/collections/{collection_id}/results")
def results_page(request: Request, actor: Analyst, collection_id: int) -> Response:
    """Contributors' own codes beside the machine's, with agreement and slider positions."""
    collection = _collection(actor, collection_id)
    stories = _visible_stories(actor, collection)
    run = latest_run(actor.workspace, collection.id)
    machine = machine_elements(actor.workspace, collection, run)
    data = results(
        collection,
        stories,
        machine,
        machine_ran=run is not None,
        cutoff=run.started_at if run is not None else None,
    )
    job = latest_job(request, actor, collection.id)
    return render(
        request,
        "collection_results.html",
        {
            "title": f"Results: {collection.spec.title}",
            "collection": collection,
            "data": data,
            "run": run,
            "charts": _charts(data),
            "bands": BANDS,
            "job": job,
            "job_link": job is not None and may_see_job(actor, job),
            "embedders": embedder_names(),
        },
        active="network",
    )


@router.post("/w/{workspace_id}/collections/{collection_id}/code")
def code_stories(request: Request, actor: Analyst, collection_id: int, values: Values) -> Response:
    """Start the machine coding the collection's stories in the background."""
    collection = _collection(actor, collection_id)
    embedder = str(values.get("embedder") or "default")
    if embedder not in embedder_names():
        raise HTTPException(status_code=400, detail="Choose a text model from the list.")
    threshold_text = str(values.get("threshold") or "").strip()
    threshold = None
    if threshold_text:
        try:
            threshold = float(threshold_text)
        except ValueError:
            threshold = -1.0
        if not 0.0 <= threshold <= 1.0:
            raise HTTPException(
                status_code=400, detail="The threshold must be a number from 0 to 1."
            )
    start_collection_coding(request, actor, collection, embedder=embedder, threshold=threshold)
    return RedirectResponse(
        f"/w/{actor.workspace.id}/collections/{collection.id}/results#machine", status_code=303
    )


@router.get("/w/{workspace_id}/collections/{collection_id}/stories")
def stories_page(
    request: Request,
    actor: Analyst,
    collection_id: int,
    element: str = "",
    who: str = "",
    slider: str = "",
    band: int | None = None,
) -> Response:
    """The stories behind one figure of the results (an element, a slider band, or all)."""
    collection = _collection(actor, collection_id)
    stories = _visible_stories(actor, collection)
    run = latest_run(actor.workspace, collection.id)
    machine = machine_elements(actor.workspace, collection, run)
    if element and element not in collection.spec.elements:
        raise HTTPException(status_code=400, detail="Choose an element of this collection.")
    if band is not None and not 0 <= band < len(BANDS):
        raise HTTPException(status_code=400, detail="Choose a band from the results page.")
    found = stories_matching(
        collection, stories, machine, element=element, who=who, slider=slider, band=band
    )
    # An answer such as "Senior leader" beside a story and its organisation can name
    # the writer: it is shown only when 10 or more of that organisation's stories share it.
    sharing = Counter(
        (story.organisation, label, answer)
        for story in stories
        for label, answer in story.answers.items()
    )
    answers = {
        story.id: [
            (label, answer if sharing[story.organisation, label, answer] >= MIN_GROUP else WITHHELD)
            for label, answer in story.answers.items()
        ]
        for story in found
    }
    return render(
        request,
        "collection_stories.html",
        {
            "title": f"Stories: {collection.spec.title}",
            "collection": collection,
            "stories": list(reversed(found)),
            "machine": machine,
            "answers": answers,
            "element": element,
            "who": who,
            "slider": next((s for s in collection.spec.sliders if s.key == slider), None),
            "band": BANDS[band] if band is not None else "",
            "titles": {e.id: e.title for e in element_choices(collection.spec.framework, 2)},
        },
        active="network",
    )


# --- the public form -------------------------------------------------------------------


def _public(request: Request, token: str) -> tuple[Workspace, CollectionRecord, str, str | None]:
    """The collection behind a link, with the contributor's email and organisation.

    Signed-in collections need a member of the workspace who may contribute.
    """
    found = find_by_token(services(request).store, token)
    if found is None:
        raise HTTPException(
            status_code=404,
            detail="This story collection link is not right, or the collection has been removed.",
        )
    workspace, collection = found
    if collection.spec.anonymous:
        return workspace, collection, "", None
    user = signed_in_user(request)
    if user is None:
        raise _SignIn(login_url(request))
    member = services(request).accounts.member(workspace.id, user.id)
    if member is None or Can.CONTRIBUTE not in ROLE_CAPABILITIES.get(member.role, frozenset()):
        raise HTTPException(
            status_code=403,
            detail=NOT_MEMBER,
        )
    return workspace, collection, user.email, member.organisation


class _SignIn(Exception):
    """The collection needs a signed-in contributor: send them to sign in first."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _story_page(
    request: Request,
    collection: CollectionRecord,
    form: StoryForm,
    problems: list[str],
    *,
    email: str,
    host: str,
    workspace: Workspace,
    status_code: int = 200,
) -> Response:
    spec = collection.spec
    logo = logo_of(workspace, collection.id)
    elements = [e for e in element_choices(spec.framework, spec.level) if e.id in spec.elements]
    return render(
        request,
        "story_form.html",
        {
            "title": spec.title,
            "collection": collection,
            "elements": elements,
            "questions": {e.id: element_question(spec, e.id, e.title) for e in elements},
            "host": host,
            "form": form,
            "values": {s.key: form.sliders.get(s.key, "") for s in spec.sliders},
            "problems": problems,
            "email": email,
            "logo": logo,
        },
        status_code=status_code,
    )


def _closed_page(
    request: Request, collection: CollectionRecord, state: str, text: str = ""
) -> Response:
    return render(
        request,
        "story_closed.html",
        {"title": collection.spec.title, "collection": collection, "state": state, "text": text},
        status_code=410 if state == "closed" else 403,
    )


@router.get("/s/{token}")
def story_form(request: Request, token: str) -> Response:
    """The public story form (or a page saying the collection is not open)."""
    try:
        workspace, collection, email, _org = _public(request, token)
    except _SignIn as redirect:
        return RedirectResponse(redirect.url, status_code=303)
    state = collection.state()
    if state != "open":
        return _closed_page(request, collection, state)
    host = host_name(collection.spec, workspace.name)
    return _story_page(
        request, collection, StoryForm(), [], email=email, host=host, workspace=workspace
    )


@router.post("/s/{token}")
def send_story(request: Request, token: str, values: Values) -> Response:
    """Check, redact and store a story; anything refused comes back with all that was typed."""
    try:
        workspace, collection, email, organisation = _public(request, token)
    except _SignIn as redirect:
        return RedirectResponse(redirect.url, status_code=303)
    form = read_story_form(collection, values)
    state = collection.state()
    if state != "open":
        return _closed_page(request, collection, state, form.text)
    store = CollectionStore(workspace)
    address = client_address(request)
    host = host_name(collection.spec, workspace.name)
    if form.honeypot:
        # Something filled in the field people cannot see: thank it and keep nothing.
        store.record_attempt(collection.id, address, "honeypot")
        return render(
            request,
            "story_thanks.html",
            {"title": "Thank you", "collection": collection, "email": ""},
        )
    if not take_story_slot(store, collection, address):
        store.record_attempt(collection.id, address, "refused")
        minutes = int(RATE_WINDOW.total_seconds() // 60)
        page = _story_page(
            request,
            collection,
            form,
            [
                "We have received several stories from your connection in the last "
                f"{minutes} minutes, so we cannot take another just now. Nothing you wrote "
                f"is lost: it is all still below. Wait {minutes} minutes and press "
                "“Send my story” again, or copy your story to keep it."
            ],
            email=email,
            host=host,
            workspace=workspace,
            status_code=429,
        )
        page.headers["Retry-After"] = str(int(RATE_WINDOW.total_seconds()))
        return page
    checked, problems = parse_story(collection, form)
    if checked is None:
        store.give_back_slot(collection.id, address)
        store.record_attempt(collection.id, address, "invalid")
        return _story_page(
            request,
            collection,
            form,
            problems,
            email=email,
            host=host,
            workspace=workspace,
            status_code=400,
        )
    try:
        save_story(store, collection, checked, submitted_by=email, organisation=organisation)
    except StoreError as exc:  # pragma: no cover - elements are checked against the framework
        store.give_back_slot(collection.id, address)
        return _story_page(
            request,
            collection,
            form,
            [str(exc)],
            email=email,
            host=host,
            workspace=workspace,
            status_code=400,
        )
    store.record_attempt(collection.id, address, "accepted")
    return RedirectResponse(f"/s/{token}/thanks", status_code=303)


@router.get("/s/{token}/thanks")
def story_thanks(request: Request, token: str) -> Response:
    """Thanks, and where a signed-in contributor can see what they sent."""
    found = find_by_token(services(request).store, token)
    if found is None:
        raise HTTPException(status_code=404, detail="This story collection link is not right.")
    workspace, collection = found
    user = signed_in_user(request)
    return render(
        request,
        "story_thanks.html",
        {
            "title": "Thank you",
            "collection": collection,
            "email": user.email if user and not collection.spec.anonymous else "",
            "workspace_id": workspace.id,
        },
    )
