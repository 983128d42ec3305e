"""The import wizard: upload, preview, map columns, confirm, then a background import.

Steps keep their state in the upload's own record (see :mod:`upstream.web.uploads`),
so every page can be reloaded or bookmarked, and the import itself runs as a
background job whose page shows progress and, at the end, the rejected rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from upstream.evidence.column_questions import header_question
from upstream.evidence.detect import (
    guess_column_roles,
    guess_named_columns,
    sample_rows,
)
from upstream.evidence.errors import EvidenceImportError, ImportConfigError, ImportFormatError
from upstream.evidence.readers import TableReader, open_table
from upstream.evidence.redact import describe_redactions
from upstream.jobs import JobContext, JobFailed
from upstream.policy import csv_lines, restore_cell
from upstream.records.drafts import Reject
from upstream.records.evidence_types import EVIDENCE_TYPES, evidence_type
from upstream.store.job_repository import JobRecord
from upstream.web.background import job_actor, job_path, owner_of
from upstream.web.permissions import Actor, Can, need
from upstream.web.routes.jobs import visible_job
from upstream.web.settings import Services, services
from upstream.web.templating import render
from upstream.web.uploads import ALLOWED_SUFFIXES, Upload, UploadError
from upstream.workflows.import_reading import EarlierReading, earlier_reading
from upstream.workflows.ingest import ImportOptions, import_file

router = APIRouter(include_in_schema=False)
upload_router = APIRouter(include_in_schema=False)  # mounted with the larger body limit
Importer = Annotated[Actor, Depends(need(Can.IMPORT))]
PREVIEW_ROWS = 10
REJECTS_SHOWN = 20
_LINE_COUNTED = {".csv", ".tsv", ".txt", ".md", ".jsonl", ".ndjson"}


def _problem(exc: EvidenceImportError) -> str:
    if isinstance(exc, ImportFormatError):
        return f"This file cannot be read: {exc.message}."
    return f"This file does not fit: {exc}."


def _upload(request: Request, actor: Actor, upload_id: str, *, started: bool = False) -> Upload:
    found = services(request).uploads.get(
        upload_id, user_id=actor.user.id, workspace_id=actor.workspace.id
    )
    if found is not None and started and found.mapping.get("job_id"):
        return found
    if found is None or not found.path.exists():
        raise HTTPException(status_code=404, detail="This upload has expired or was already used.")
    return found


def _reader(upload: Upload) -> TableReader:
    try:
        return open_table(upload.path)
    except EvidenceImportError as exc:
        raise HTTPException(status_code=400, detail=_problem(exc)) from exc


def _upload_page(request: Request, error: str = "", status_code: int = 200) -> Response:
    size = services(request).settings.max_upload_bytes
    return render(
        request,
        "import_upload.html",
        {
            "title": "Import evidence",
            "error": error,
            "max_size": f"{size / 2**20:,.0f} MB",
            "accept": ",".join(ALLOWED_SUFFIXES),
        },
        status_code=status_code,
        active="evidence",
    )


@router.get("/w/{workspace_id}/import")
def upload_form(request: Request, actor: Importer) -> Response:
    """Step 1: choose a file."""
    return _upload_page(request)


@upload_router.post("/w/{workspace_id}/import")
def upload(request: Request, actor: Importer, file: Annotated[UploadFile, File()]) -> Response:
    """Step 1: receive the file, check its size and type, and check it can be read."""
    svc = services(request)
    try:
        saved = svc.uploads.save(
            file.file,
            file.filename or "upload",
            user_id=actor.user.id,
            workspace_id=actor.workspace.id,
        )
    except UploadError as exc:
        return _upload_page(request, exc.message, exc.status_code)
    try:
        open_table(saved.path)
    except EvidenceImportError as exc:
        svc.uploads.discard_file(saved)
        return _upload_page(request, _problem(exc), 400)
    return RedirectResponse(f"/w/{actor.workspace.id}/import/{saved.id}/preview", status_code=303)


@router.get("/w/{workspace_id}/import/{upload_id}/preview")
def preview(request: Request, actor: Importer, upload_id: str) -> Response:
    """Step 2: what was detected, and the first rows as read."""
    saved = _upload(request, actor, upload_id)
    reader = _reader(saved)
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Reject] = []
    short: list[tuple[int, int]] = []
    for row in reader.rows():
        if isinstance(row, Reject):
            problems.append(row)
        else:
            rows.append((row.line, row.values))
            if row.fields is not None:
                short.append((row.line, row.fields))
        if len(rows) + len(problems) >= PREVIEW_ROWS:
            break
    return render(
        request,
        "import_preview.html",
        {
            "title": "Preview",
            "upload": saved,
            "detected": reader.detected,
            "columns": reader.columns,
            "rows": rows,
            "row_problems": problems,
            "short_rows": short,
            "text_column": reader.text_column,
        },
        active="evidence",
    )


def _defaults(
    request: Request, upload: Upload, reader: TableReader, actor: Actor
) -> tuple[dict[str, Any], EarlierReading | None]:
    """The mapping page's starting choices, and the earlier import they follow, if any."""
    text_column = reader.text_column or (reader.columns[0] if reader.columns else "")
    sample = sample_rows(reader)
    engagement, attributes = guess_column_roles(reader.columns, sample, text_column)
    named = guess_named_columns([c for c in reader.columns if c != text_column], sample)
    # A column already read as the id, date or role is not kept a second time.
    attributes = [c for c in attributes if c not in named.values()]
    mapping: dict[str, Any] = {
        "text_column": text_column,
        "organisation": actor.member.organisation or "",
        "org_column": "",
        "id_column": named.get("id_column", ""),
        "date_column": named.get("date_column", ""),
        "role_column": named.get("role_column", ""),
        "respondent_column": named.get("respondent_column", ""),
        "engagement_columns": engagement,
        "attribute_columns": attributes,
        "shared": False,
        "redact": True,
        "kind": "",
        "evidence_type": "",
        "question": "",
    }
    earlier = None if upload.mapping else _earlier_reading(request, actor, reader.columns)
    if earlier is not None:
        mapping.update(_followed(earlier, actor))
    mapping.update(upload.mapping)
    return mapping, earlier


def _earlier_reading(request: Request, actor: Actor, columns: list[str]) -> EarlierReading | None:
    # Only imports whose items this person may see: a source's choices describe its file.
    visible = {source_id for source_id, _ in actor.evidence.sources()}
    workspace = services(request).store.workspace(actor.workspace.name)
    return earlier_reading((s for s in workspace.sources() if s.id in visible), columns)


def _followed(earlier: EarlierReading, actor: Actor) -> dict[str, Any]:
    """The earlier import's choices that this person may repeat for the new file."""
    mapping = dict(earlier.mapping)
    if not actor.can(Can.ANY_ORGANISATION):
        mapping["organisation"] = actor.member.organisation or ""
        mapping["org_column"] = ""
    # Sharing was chosen for that organisation's items; another's stay private by default.
    if mapping["shared"] and not actor.can(Can.ANY_ORGANISATION):
        mapping["shared"] = earlier.mapping["organisation"] == (actor.member.organisation or "")
    # Replacing personal details stays the starting point: turning it off is a
    # choice to make for each file, not to inherit.
    mapping["redact"] = True
    return mapping


def _map_page(
    request: Request,
    actor: Actor,
    upload: Upload,
    reader: TableReader,
    mapping: dict[str, Any],
    problems: list[str],
    status_code: int = 200,
    earlier: EarlierReading | None = None,
) -> Response:
    return render(
        request,
        "import_map.html",
        {
            "title": "Map columns",
            "upload": upload,
            "columns": reader.columns,
            "m": mapping,
            "problems": problems,
            "organisations": actor.evidence.organisation_names(),
            "earlier": earlier,
            "voices": EVIDENCE_TYPES,
        },
        status_code=status_code,
        active="evidence",
    )


@router.get("/w/{workspace_id}/import/{upload_id}/map")
def map_form(request: Request, actor: Importer, upload_id: str) -> Response:
    """Step 3: say which column is which."""
    saved = _upload(request, actor, upload_id)
    reader = _reader(saved)
    mapping, earlier = _defaults(request, saved, reader, actor)
    return _map_page(request, actor, saved, reader, mapping, [], earlier=earlier)


Text = Annotated[str, Form(max_length=300)]
Columns = Annotated[list[str], Form()]


@router.post("/w/{workspace_id}/import/{upload_id}/map")
def map_submit(
    request: Request,
    actor: Importer,
    upload_id: str,
    text_column: Text = "",
    organisation: Text = "",
    org_column: Text = "",
    id_column: Text = "",
    date_column: Text = "",
    role_column: Text = "",
    respondent_column: Text = "",
    kind: Text = "",
    evidence_type: Text = "",
    question: Text = "",
    source_name: Text = "",
    shared: Text = "0",
    redact: Text = "0",
    engagement_columns: Columns = [],  # noqa: B006 - FastAPI copies defaults
    attribute_columns: Columns = [],  # noqa: B006
    filled_for: Text = "",
    filled_question: Text = "",
) -> Response:
    """Step 3: check and remember the mapping.

    ``filled_for`` and ``filled_question`` are the text column and question the
    form was filled in with (from an earlier import of the same shape, say). When
    the person chose another text column and left that question as it was, it
    belonged to the other column: the new column's own question replaces it, and
    a source still named after the file is named after the question too, so a
    survey's two questions are told apart.
    """
    saved = _upload(request, actor, upload_id)
    reader = _reader(saved)
    if filled_for and text_column != filled_for:
        if question.strip() == filled_question.strip():
            question = ""
        asks = header_question(text_column)
        if asks and source_name.strip() == saved.filename:
            source_name = f"{saved.filename}: {asks}"[:200]
    mapping: dict[str, Any] = {
        "text_column": text_column,
        "organisation": organisation.strip(),
        "org_column": org_column,
        "id_column": id_column,
        "date_column": date_column,
        "role_column": role_column,
        "respondent_column": respondent_column,
        "kind": kind.strip(),
        "evidence_type": evidence_type if evidence_type in EVIDENCE_TYPES else "",
        "question": question.strip() or header_question(text_column) or "",
        "source_name": source_name.strip(),
        "shared": shared == "1",
        "redact": redact == "1",
        "engagement_columns": engagement_columns[:500],
        "attribute_columns": attribute_columns[:500],
    }
    problems = _check_mapping(mapping, reader.columns, owner=actor.can(Can.ANY_ORGANISATION))
    if problems:
        return _map_page(request, actor, saved, reader, mapping, problems, 400)
    saved.mapping = mapping
    services(request).uploads.update(saved)
    return RedirectResponse(f"/w/{actor.workspace.id}/import/{saved.id}/confirm", status_code=303)


def _check_mapping(mapping: dict[str, Any], columns: list[str], *, owner: bool) -> list[str]:
    problems = []
    if mapping["text_column"] not in columns:
        problems.append("Choose the column that holds the text.")
    for key, label in (
        ("org_column", "organisation"),
        ("id_column", "reference"),
        ("date_column", "date"),
        ("role_column", "role"),
        ("respondent_column", "“who wrote it”"),
    ):
        if mapping.get(key) and mapping[key] not in columns:
            problems.append(f"The {label} column must be one of the file's columns.")
    for key in ("engagement_columns", "attribute_columns"):
        if any(c not in columns for c in mapping[key]):
            problems.append("Only the file's own columns can be kept.")
    if owner and mapping["organisation"] and mapping["org_column"]:
        problems.append("Give one organisation for every row, or a column, not both.")
    return problems


@router.get("/w/{workspace_id}/import/{upload_id}/confirm")
def confirm(request: Request, actor: Importer, upload_id: str) -> Response:
    """Step 4: check everything before importing."""
    saved = _upload(request, actor, upload_id)
    if not saved.mapping:
        return RedirectResponse(f"/w/{actor.workspace.id}/import/{saved.id}/map", status_code=303)
    return render(
        request,
        "import_confirm.html",
        {
            "title": "Confirm",
            "upload": saved,
            "m": saved.mapping,
            "voice": EVIDENCE_TYPES[
                saved.mapping.get("evidence_type") or evidence_type(saved.mapping["kind"])
            ],
        },
        active="evidence",
    )


def _options(actor: Actor, upload: Upload) -> ImportOptions:
    m = upload.mapping
    owner = actor.can(Can.ANY_ORGANISATION)
    # Only owners may import for other organisations; everyone else imports for their own.
    organisation = (m["organisation"] or None) if owner else actor.member.organisation
    return ImportOptions(
        workspace=actor.workspace.name,
        organisation=None if owner and m["org_column"] else organisation,
        org_column=(m["org_column"] or None) if owner else None,
        text_column=m["text_column"],
        id_column=m["id_column"] or None,
        date_column=m["date_column"] or None,
        role_column=m["role_column"] or None,
        respondent_column=m.get("respondent_column") or None,
        engagement_columns=list(m["engagement_columns"]),
        attribute_columns=list(m["attribute_columns"]),
        redact=bool(m["redact"]),
        shared=bool(m["shared"]),
        source_name=m.get("source_name") or upload.filename,
        kind=m["kind"],
        evidence_type=m.get("evidence_type") or "",
        question=m.get("question") or "",
        actor=actor.user.email,
    )


def _count_lines(path: Path) -> int | None:
    if path.suffix.lower() not in _LINE_COUNTED:
        return None
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


KIND = "import"


def _import(svc: Services, ctx: JobContext) -> dict[str, Any]:
    actor = job_actor(svc, ctx.job)
    upload = svc.uploads.get(
        str(ctx.parameters["upload_id"]), user_id=actor.user.id, workspace_id=actor.workspace.id
    )
    if upload is None or not upload.path.exists():
        raise JobFailed("The uploaded file is no longer here. Nothing was saved; upload it again.")
    options = _options(actor, upload)
    lines = _count_lines(upload.path)
    if lines:
        ctx.progress(0, max(1, lines - 1))
    try:
        result = import_file(svc.store, upload.path, options, on_progress=ctx.progress)
    except (ImportFormatError, ImportConfigError) as exc:
        raise JobFailed(_problem(exc)) from exc
    finally:
        svc.uploads.discard_file(upload)
    return {
        "source_id": result.source_id,
        "rows_read": result.rows_read,
        "imported": result.imported,
        "duplicates": result.duplicates,
        "rejected": result.rejected,
        "blank": result.blank,
        "reject_reasons": result.reject_reasons,
        "left_out": result.left_out,
        "left_out_reasons": result.left_out_reasons,
        "redactions": describe_redactions(result.redactions),
        "text_column": result.text_column,
        "rejects_path": str(result.rejects_path) if result.rejects_path else "",
        "filename": upload.filename,
        "again": result.again,
    }


def register(svc: Services) -> None:
    """Register the import job with the app's job runner."""
    svc.jobs.register(KIND, lambda ctx: _import(svc, ctx))


@router.post("/w/{workspace_id}/import/{upload_id}/start")
def start(request: Request, actor: Importer, upload_id: str) -> Response:
    """Step 5: start the import in the background and go to its progress page."""
    svc = services(request)
    saved = _upload(request, actor, upload_id, started=True)
    if saved.mapping.get("job_id"):
        return RedirectResponse(
            f"/w/{actor.workspace.id}/jobs/{saved.mapping['job_id']}", status_code=303
        )
    if not saved.mapping:
        return RedirectResponse(f"/w/{actor.workspace.id}/import/{saved.id}/map", status_code=303)
    job = svc.jobs.start(
        KIND,
        f"import:{saved.id}",
        None,
        owner_of(actor),
        workspace_id=actor.workspace.id,
        label=f"Import of {saved.filename}",
        parameters={"upload_id": saved.id},
    )
    saved.mapping["job_id"] = job.id
    svc.uploads.update(saved)
    return RedirectResponse(job_path(job), status_code=303)


def _rejects_rows(path: str, filename: str) -> Iterator[list[str]]:
    """Rows of a rejects file, naming the file as uploaded rather than where it waited."""
    with Path(path).open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows, [])
        yield header
        named = bool(header) and header[0] == "file"
        for row in rows:
            yield [filename, *row[1:]] if named and row else row


def rejects_preview(job: JobRecord) -> dict[str, Any] | None:
    """The first rejected rows of a finished import, for its job page."""
    path = job.result.get("rejects_path") if job.state == "done" else None
    if not path or not Path(path).exists():
        return None
    head = list(islice(_rejects_rows(path, job.result.get("filename", "")), REJECTS_SHOWN + 1))
    return {"header": head[0] if head else [], "rows": head[1:]}


@router.get("/w/{workspace_id}/jobs/{job_id}/rejects.csv")
def rejects_csv(request: Request, actor: Importer, job_id: str) -> Response:
    """Every rejected row of an import, with formulas made inert."""
    job = visible_job(request, actor, job_id)
    path = job.result.get("rejects_path")
    if not path or not Path(path).exists():
        raise HTTPException(status_code=404, detail="The rejects file has expired.")
    # The file's cells are already formula-safe; undo that so it is not done twice.
    rows = (
        [restore_cell(cell) for cell in row]
        for row in _rejects_rows(path, job.result.get("filename", ""))
    )
    header = next(rows, [])
    return StreamingResponse(
        csv_lines(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="rejects.csv"'},
    )
