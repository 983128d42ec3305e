"""The themes form: which evidence it offers and starts on, and what was typed in it.

The form's evidence choices are the use case's own (``workflows/theme_evidence``);
this module reads the form's values into them, says which one the form starts
on, and names the sources a run gathered, for the themes page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException, Request

from upstream.records.stored import RunRecord
from upstream.records.wording import listed
from upstream.store.run_visibility import run_as_seen
from upstream.web.evidence_filters import filter_choices
from upstream.web.permissions import Actor
from upstream.web.settings import services
from upstream.workflows.theme_evidence import (
    EvidenceChoice,
    kind_choice,
    kind_choices,
    organisation_choice,
    voice_choices,
)

MAX_THEMES = 40
SOURCES_NAMED = 5  # a run over more sources is described by its choice alone


def source_names(actor: Actor, run: RunRecord) -> str:
    """The names of the sources a run themed, when it gathered several and they are few.

    Only sources holding items this person may see are named: a name can be telling.
    """
    ids = set(run.summary.get("source_ids") or [])
    names = list(dict.fromkeys(name for i, name in actor.evidence.sources() if i in ids))
    if not 2 <= len(names) <= SOURCES_NAMED:
        return ""
    return listed(names)


def starting_choice(
    request: Request, actor: Actor, context: dict[str, Any], run: RunRecord | None
) -> str:
    """The form's choice of evidence that the newest run used, so a re-run themes it again.

    When evidence of the same kind has arrived since (June's replies after a run
    over May's), the choice of that whole kind, so the re-run takes it in. When a
    file no run has themed was imported since (a survey just brought in), that
    file. Otherwise found by the words kept with the run; "all" when none of today's
    choices has them.
    """
    said = run_as_seen(run, actor.evidence).summary.get("evidence") if run is not None else None
    if not said or run is None:
        return "all"
    themed = {int(i) for i in run.summary.get("source_ids") or []}
    for value, _ in context["kinds"]:
        gathered = set(kind_choice(actor.evidence, str(value).removeprefix("kind:")).source_ids)
        if themed and themed < gathered and _instalments(request, actor, gathered - themed, themed):
            return str(value)
    # A file imported since the newest run that no run has themed (a survey just
    # brought in) is what the person has come to theme, not the last run's evidence.
    ever = {int(i) for r in context.get("runs") or [] for i in r.summary.get("source_ids") or []}
    newest_source = _imported_since(request, actor, context, run)
    if themed and newest_source is not None and newest_source not in ever | themed:
        return f"source:{newest_source}"
    offered: list[str] = [str(value) for value, _ in [*context["voices"], *context["kinds"]]]
    offered += [f"source:{source_id}" for source_id, _ in context["sources"]]
    offered += [f"org:{name}" for name in context["organisations"]]
    for value in offered:
        try:
            if evidence_choice(request, actor, value).description == said:
                return value
        except HTTPException:
            continue
    return "all"


def unthemed_choice(context: dict[str, Any], shown: RunRecord | None) -> str:
    """The name of the file the form starts on when the run shown below did not theme it.

    A person who has just imported a file finds it chosen on the form, above
    another run's themes; the page says whose themes those are.
    """
    value = str(context.get("evidence_value") or "")
    if shown is None or not value.startswith("source:"):
        return ""
    source_id = int(value.removeprefix("source:"))
    if source_id in {int(i) for i in shown.summary.get("source_ids") or []}:
        return ""
    return next((name for sid, name in context.get("sources") or [] if sid == source_id), "")


def _imported_since(
    request: Request, actor: Actor, context: dict[str, Any], run: RunRecord
) -> int | None:
    """The newest source offered on the form that was imported after ``run`` started."""
    offered = {source_id for source_id, _ in context["sources"]}
    since = [
        source.id
        for source in services(request).store.workspace(actor.workspace.name).sources()
        if source.id in offered and _aware(source.created_at) > _aware(run.started_at)
    ]
    return max(since, default=None)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back times without their zone; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _instalments(request: Request, actor: Actor, arrived: set[int], themed: set[int]) -> bool:
    """Whether the sources that arrived since are more of what was themed.

    More of it means files of the same columns (June's replies after May's), not
    another file given the same kind (a survey also called "consultation replies").
    A source imported before its columns were recorded is taken as an instalment.
    """
    shapes = {
        source.id: tuple(source.options.get("columns") or ())
        for source in services(request).store.workspace(actor.workspace.name).sources()
        if source.id in arrived | themed
    }
    before = {shapes.get(i, ()) for i in themed}
    return all(not shapes.get(i) or shapes[i] in before or () in before for i in arrived)


def read_n_themes(text: str) -> int | None:
    """The number of themes asked for; None when blank (upstream chooses).

    Raises:
        HTTPException: 400 when it is not a whole number from 1 to ``MAX_THEMES``.
    """
    if not text.strip():
        return None
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_THEMES:
        raise HTTPException(
            status_code=400,
            detail=f"The number of themes must be a whole number from 1 to {MAX_THEMES}, "
            "or blank to let upstream choose.",
        )
    return int(text)


def read_seed(text: str) -> int:
    """The seed typed (0 when blank).

    Raises:
        HTTPException: 400 when it is not a whole number.
    """
    value = text.strip() or "0"
    if not value.isdigit() or int(value) > 2**31 - 1:
        raise HTTPException(status_code=400, detail="The seed must be a whole number, such as 0.")
    return int(value)


def read_min_engagement(text: str) -> float | None:
    """The fewest likes and other reactions a reply needs; None when blank.

    Raises:
        HTTPException: 400 when it is not a whole number.
    """
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > 10**9:
        raise HTTPException(
            status_code=400,
            detail="The number of likes and other reactions must be a whole number, such as 20, "
            "or blank to theme every reply.",
        )
    return float(value)


def evidence_choice(request: Request, actor: Actor, evidence: str) -> EvidenceChoice:
    """The evidence chosen on the form.

    One of ``all``, ``types:A,B``, ``kind:KIND``, ``source:ID`` or ``org:NAME``.
    """
    if evidence in ("", "all"):
        return EvidenceChoice()
    kind, _, value = evidence.partition(":")
    if kind == "types":
        choices = filter_choices(request, actor, actor.evidence.data_version())
        offered = dict(voice_choices(choices.by_type))
        ids = tuple(i for key in value.split(",") for i in choices.by_type.get(key, ()))
        # No source of these types would mean every source: refuse rather than theme all.
        if evidence in offered and ids:
            return EvidenceChoice(source_ids=ids, description=offered[evidence])
    if kind == "source" and value.isdigit():
        # One choice per name: a roundtable's responses are one source per partner.
        choices = filter_choices(request, actor, actor.evidence.data_version())
        names = dict(choices.sources)
        if int(value) in names:
            ids = choices.source_groups.get(int(value), (int(value),))
            return EvidenceChoice(source_ids=ids, description=f"Items from {names[int(value)]}")
    if kind == "kind" and not actor.own_submissions_only:
        offered = dict(kind_choices(actor.evidence))
        if evidence in offered:
            return kind_choice(actor.evidence, value)
    if kind == "org" and value in actor.evidence.organisation_names():
        return organisation_choice(actor.evidence, value)
    raise HTTPException(status_code=400, detail="Choose the evidence from the list.")
