"""Coding as users run it: a file against a codebook, or a whole workspace in the store.

These functions join the coder, the readers and the store; the command line and
the web app call them and only add progress and presentation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from upstream.coding.coder import FrameworkCoder
from upstream.coding.endpoint_coder import EndpointCoder
from upstream.coding.input_rows import InputTable, clean_label, read_rows
from upstream.coding.results import CodingResult, Explanation
from upstream.coding.thresholds import ThresholdChoice
from upstream.embed import CachedEmbedder, get_embedder
from upstream.execution import Backend, LocalBackend, partitions
from upstream.frameworks.model import Codebook
from upstream.records.chat import ChatClient
from upstream.records.stored import ItemRecord
from upstream.signals.flags import flag_items
from upstream.store import Store, Workspace
from upstream.store.coding_repository import CodingStore
from upstream.store.embedding_store import StoreEmbeddingCache
from upstream.store.no_code_fits import items_no_code_fits
from upstream.workflows.certainty import choose_for, decision_outcomes, threshold_source
from upstream.workflows.coding_prompts import item_prompts, row_prompts
from upstream.workflows.coding_runs import store_coding_run
from upstream.workflows.coding_scope import coded_scope
from upstream.workflows.endpoint_coding import (
    Coder,
    choose_coder,
    coder_model,
    endpoint_failures,
    predict_through_endpoint,
)
from upstream.workflows.ingest import DEFAULT_WORKSPACE, ImportOptions, import_file

Stage = Callable[[str], None]


@dataclass
class CodingOutcome:
    """What a coding run produced.

    Attributes:
        ids: The id of each coded row or item, in order.
        results: The coder's result for each, in the same order.
        mode: "zero-shot" or "supervised".
        n_labelled: Labelled examples the coder learned from.
        unknown_labels: Training labels that are not codes of the codebook, with counts.
        run_id: The stored run, when the store was used.
        endpoint_failures: Why some items were not coded, when a model endpoint
            could not answer for them (empty otherwise).

        certainty: The threshold used and how often suggestions at it are expected
            to be right.
        set_aside: Items left uncoded, without even a best guess to review, as
            spam or saying nothing (see :func:`without_noise`).
        left_out: Items of a workspace not coded because of their evidence type,
            by type (see :mod:`upstream.workflows.coding_scope`).
        scope: What the run records about which evidence it coded.
        n_no_code: Items people found no code fits, which items like them lean from.
    """

    ids: list[str]
    results: list[CodingResult]
    mode: str
    n_labelled: int
    unknown_labels: Counter[str] = field(default_factory=Counter)
    run_id: int | None = None
    endpoint_failures: list[str] = field(default_factory=list)

    certainty: ThresholdChoice | None = None
    set_aside: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    scope: dict[str, Any] = field(default_factory=dict)
    n_no_code: int = 0

    @property
    def coded(self) -> int:
        """How many items received a code."""
        return sum(1 for r in self.results if not r.uncoded)


def code_file(
    path: Path,
    codebook: Codebook,
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    train: Path | None = None,
    label_column: str | None = None,
    embedder: str = "default",
    threshold: float | None = None,
    context: bool = False,
    store: Store | None = None,
    workspace: str = DEFAULT_WORKSPACE,
    actor: str = "command line",
    on_stage: Stage | None = None,
    backend: Backend | None = None,
    endpoint: ChatClient | None = None,
) -> CodingOutcome:
    """Code every row of a file; learn from a labelled file when one is given.

    Args:
        path: The file to code (any importable format).
        codebook: The codes to apply.
        text_column: Column with the text (detected when omitted).
        id_column: Column with each row's id (row numbers when omitted).
        train: A file of human-labelled rows to learn from.
        label_column: The label column of ``train``.
        embedder: Embedder name (see :func:`upstream.embed.embedder_names`).
        threshold: Abstain below this confidence (the coder's default when None).
        context: The rows are consecutive passages of one document (sentences of a
            report, paragraphs of notes), so neighbouring rows inform each other.
            Leave off for independent replies, where a neighbour says nothing.
        store: Also import the rows and store the codings, with a run record.
        workspace: Workspace to use in the store.
        actor: Who ran it, for the run record and audit log.
        on_stage: Called with a short description as each stage starts.
        backend: Where to predict (default: in this process); see :mod:`upstream.execution`.
        endpoint: Code through this model endpoint instead of the built-in coder
            (see :class:`~upstream.coding.endpoint_coder.EndpointCoder`); labelled
            rows then calibrate its confidence.

    Returns:
        One result per input row, in input order.

    Raises:
        ValueError: ``train`` is given without ``label_column``.
    """
    stage = on_stage or (lambda _: None)
    if train is not None and not label_column:
        raise ValueError("--train needs --label-column to say which column holds the codes")
    stage(f"Reading {path.name}")
    table = read_rows(path, text_column=text_column, id_column=id_column)
    labelled = _labelled(train, text_column, label_column, codebook, stage)
    if store is not None:
        return _code_stored_file(
            store,
            workspace,
            path,
            table,
            codebook,
            labelled,
            embedder=embedder,
            threshold=threshold,
            context=context,
            actor=actor,
            stage=stage,
            extra={"input": str(path), "train": str(train) if train else None},
            backend=backend,
            endpoint=endpoint,
            id_column=id_column,
        )
    coder = choose_coder(codebook, embedder, threshold, context, endpoint)
    texts = [row.text for row in table.rows]
    document: list[str | None] | None = [path.name] * len(texts) if context else None
    _fit(coder, texts, [row.id for row in table.rows], document, labelled, stage)
    certainty = choose_for(coder, threshold=threshold)
    coder.set_params(threshold=certainty.threshold)
    prompts = row_prompts(table)
    results, aside = without_noise(
        texts, predict(coder, texts, document, backend, stage, prompts=prompts)
    )
    return CodingOutcome(
        [row.id for row in table.rows],
        results,
        coder.mode_,
        coder.n_labelled_,
        labelled.unknown if labelled else Counter(),
        endpoint_failures=endpoint_failures(coder),
        certainty=certainty,
        set_aside=len(aside),
    )


@dataclass
class _Labelled:
    """Rows a person coded, to learn from (labels that are not codes count as unknown)."""

    name: str
    ids: list[str]
    texts: list[str]
    labels: list[str | None]
    unknown: Counter[str]


def _labelled(
    train: Path | None,
    text_column: str | None,
    label_column: str | None,
    codebook: Codebook,
    stage: Stage,
) -> _Labelled | None:
    if train is None:
        return None
    stage(f"Learning from {train.name}")
    table = _training_table(train, text_column, label_column)
    codes = set(codebook.ids())
    unknown: Counter[str] = Counter()
    labels: list[str | None] = []
    for row in table.rows:
        try:
            labels.append(clean_label(row.label, codes))
        except KeyError as exc:
            unknown[str(exc.args[0])] += 1
            labels.append(None)
    return _Labelled(
        train.name,
        [f"train:{row.id}" for row in table.rows],
        [row.text for row in table.rows],
        labels,
        unknown,
    )


def _fit(
    coder: Coder,
    texts: list[str],
    ids: list[str],
    document: list[str | None] | None,
    labelled: _Labelled | None,
    stage: Stage,
) -> None:
    """Fit on the texts to code, with a person's labels when there are any."""
    if labelled is None:
        stage("Preparing the codebook")
        coder.fit(texts, None, documents=document, ids=ids)
        return
    coder.fit(
        labelled.texts + texts,
        labelled.labels + [None] * len(texts),
        documents=[labelled.name] * len(labelled.texts) + document if document else None,
        ids=labelled.ids + ids,
    )


def _code_stored_file(
    store: Store,
    workspace: str,
    path: Path,
    table: InputTable,
    codebook: Codebook,
    labelled: _Labelled | None,
    *,
    embedder: str,
    threshold: float | None,
    context: bool,
    actor: str,
    stage: Stage,
    extra: dict[str, Any],
    backend: Backend | None,
    endpoint: ChatClient | None = None,
    id_column: str | None = None,
) -> CodingOutcome:
    """Import the file, code its stored items as the web app codes stored evidence, answer per row.

    Duplicate rows share one stored item and so one answer; unreadable rows stay uncoded.
    """
    stage("Saving the rows to the store")
    row_items = _import_rows(store, workspace, path, table, actor, id_column)
    ws = store.workspace(workspace)
    wanted = {item_id for item_id in row_items if item_id is not None}
    items = [item for item in ws.items() if item.id in wanted]
    outcome = code_items(
        ws,
        items,
        codebook,
        embedder=embedder,
        threshold=threshold,
        document=path.name if context else None,
        labelled=labelled,
        actor=actor,
        stage=stage,
        extra=extra,
        backend=backend,
        endpoint=endpoint,
    )
    by_item = dict(zip(outcome.ids, outcome.results, strict=True))
    uncoded = CodingResult(None, 0.0, (), (), 0.0, Explanation())
    return CodingOutcome(
        [row.id for row in table.rows],
        [by_item.get(str(i), uncoded) if i is not None else uncoded for i in row_items],
        outcome.mode,
        outcome.n_labelled,
        labelled.unknown if labelled else Counter(),
        outcome.run_id,
        outcome.endpoint_failures,
        outcome.certainty,
    )


def without_noise(
    texts: Sequence[str], results: Sequence[CodingResult]
) -> tuple[list[CodingResult], list[int]]:
    """Leave spam and replies that say nothing uncoded, with no best guess to review.

    An advert for driveways or "test" carries no evidence for any framework, so a
    code on it, even a guess below the threshold, would only fill the review
    queue; the same rules set such items aside before themes are found
    (:func:`upstream.signals.flags.flag_items`). Abuse is still coded: it often
    makes a point.

    Returns:
        The results, and the positions of the items left uncoded this way.
    """
    flags = flag_items(list(texts))
    kept: list[CodingResult] = []
    aside: list[int] = []
    for position, (result, flag) in enumerate(zip(results, flags, strict=True)):
        if flag.spam or flag.off_topic:
            aside.append(position)
            result = replace(result, code=None, codes=(), path=(), best=None)
        kept.append(result)
    return kept, aside


def code_items(
    workspace: Workspace,
    items: Sequence[ItemRecord],
    codebook: Codebook,
    *,
    embedder: str = "default",
    threshold: float | None = None,
    document: str | None = None,
    labelled: _Labelled | None = None,
    learn_from_people: bool = False,
    actor: str = "command line",
    stage: Stage | None = None,
    extra: dict[str, Any] | None = None,
    backend: Backend | None = None,
    endpoint: ChatClient | None = None,
) -> CodingOutcome:
    """Code stored items and record the run: the one path for stored evidence.

    Args:
        workspace: Where the items are.
        items: The items to code, in stored order.
        codebook: The codes to apply.
        embedder: Embedder name.
        threshold: Abstain below this confidence (the coder's default when None).
        document: The items are consecutive passages of this one document.
        labelled: A person's labelled rows from a file, to learn from.
        learn_from_people: Learn from the decisions people made on these items.
        actor: Who ran it, for the run record and the audit log.
        stage: Called with a short description as each stage starts.
        extra: Entries to keep with the run's parameters.
        backend: Where to predict (default: in this process); see :mod:`upstream.execution`.
        endpoint: Code through this model endpoint instead of the built-in coder;
            people's decisions then calibrate its confidence. The endpoint's model
            is recorded as the run's model.

    Returns:
        One result per item (ids are the item ids as text), with the stored run's id.
    """
    report = stage or (lambda _: None)
    coding = CodingStore(workspace)
    embed = (
        CachedEmbedder(get_embedder(embedder), StoreEmbeddingCache(workspace))
        if endpoint is None
        else embedder
    )
    coder = choose_coder(codebook, embed, threshold, document is not None, endpoint)
    texts = [item.text for item in items]
    ids = [str(item.id) for item in items]
    documents: list[str | None] | None = [document] * len(texts) if document else None
    human: dict[int, list[str]] = {}
    if learn_from_people:
        codebook_id = coding.save_codebook(codebook)
        for item, code in coding.human_labels(codebook_id):
            human.setdefault(item.id, []).append(code)
        # "Not relevant to this framework" teaches too: an empty label (coding/supervised).
        for item_id in items_no_code_fits(workspace, codebook.id):
            human.setdefault(item_id, [])
    if human:
        report(f"Learning from {len(human):,} decisions by people")
        labels = [tuple(human[item.id]) if item.id in human else None for item in items]
        coder.fit(texts, labels, documents=documents, ids=ids)
    else:
        _fit(coder, texts, ids, documents, labelled, report)
    # A framework that states its threshold counts by it (ADR 0015): people's
    # decisions and held-out labels measure how often it is right there, not move it.
    # A model endpoint keeps its own rule: its confidences are calibrated on the
    # decisions themselves (EndpointCoder).
    stated = codebook.threshold if endpoint is None else None
    certainty = choose_for(
        coder,
        threshold=threshold if threshold is not None else stated,
        decisions=decision_outcomes(workspace, codebook.id),
    )
    coder.set_params(threshold=certainty.threshold)
    prompts = item_prompts(items, workspace.sources())
    results, aside = without_noise(
        texts, predict(coder, texts, documents, backend, report, prompts=prompts)
    )
    outcome = CodingOutcome(
        ids,
        results,
        coder.mode_,
        coder.n_labelled_,
        endpoint_failures=endpoint_failures(coder),
        certainty=certainty,
        set_aside=len(aside),
        n_no_code=getattr(coder, "n_no_code_", 0),
    )
    report("Saving to the store")
    outcome.run_id = store_coding_run(
        coding,
        coder,
        [item.id for item in items],
        texts,
        results,
        actor=actor,
        extra={
            **(extra or {}),
            **certainty.parameters(),
            "threshold_source": threshold_source(
                certainty, asked=threshold, codebook_threshold=codebook.threshold
            ),
            "set_aside": len(aside),
        },
        in_context=documents is not None,
        no_suggestion=aside,
    )
    _audit(
        workspace, actor, outcome, codebook, embedder if endpoint is None else coder_model(coder)
    )
    return outcome


def code_workspace(
    store: Store,
    workspace: str,
    codebook: Codebook,
    *,
    embedder: str = "default",
    threshold: float | None = None,
    actor: str = "command line",
    on_stage: Stage | None = None,
    backend: Backend | None = None,
    endpoint: ChatClient | None = None,
    evidence_types: Collection[str] | None = None,
) -> CodingOutcome:
    """Code a workspace's evidence, learning from the people's decisions so far.

    Args:
        store: The open store.
        workspace: The workspace to code.
        codebook: The codes to apply.
        embedder: Embedder name.
        threshold: Abstain below this confidence (the coder's default when None).
        actor: Who ran it.
        on_stage: Called with a short description as each stage starts.
        backend: Where to predict (default: in this process).
        endpoint: Code through this model endpoint; people's decisions then
            calibrate its confidence.
        evidence_types: Code only these kinds of evidence; by default a built-in
            framework codes what network members, staff and partners say, and a
            person's own codebook codes everything (:mod:`upstream.workflows.coding_scope`).

    Returns:
        The results, with the stored run's id.

    Raises:
        ValueError: ``evidence_types`` names an unknown evidence type.
    """
    stage = on_stage or (lambda _: None)
    ws = store.workspace(workspace)
    stage("Reading the workspace")
    scope = coded_scope(ws, ws.items(), codebook, evidence_types)
    outcome = code_items(
        ws,
        scope.items,
        codebook,
        embedder=embedder,
        threshold=threshold,
        learn_from_people=True,
        actor=actor,
        stage=stage,
        extra=scope.parameters,
        backend=backend,
        endpoint=endpoint,
    )
    outcome.left_out = scope.left_out
    outcome.scope = scope.parameters
    return outcome


def predict(
    coder: Coder,
    texts: list[str],
    documents: list[str | None] | None,
    backend: Backend | None,
    stage: Stage,
    *,
    prompts: list[str | None] | None = None,
) -> list[CodingResult]:
    """Predict codes for ``texts``, partition by partition on ``backend``.

    The coder is fitted once, here; each partition is predicted on its own, which
    gives the same codes as predicting everything at once. Passages of one
    document inform each other, so with documents the work stays in this process.
    ``prompts`` are what each text answers (:mod:`upstream.workflows.coding_prompts`).
    """
    if isinstance(coder, EndpointCoder):
        return predict_through_endpoint(coder, texts, stage)
    chosen = backend or LocalBackend()
    if documents is not None or isinstance(chosen, LocalBackend):
        stage(f"Coding {len(texts):,} items")
        return coder.predict(texts, documents=documents, prompts=prompts)
    parts = [
        (texts[part], prompts[part] if prompts is not None else None)
        for part in partitions(len(texts))
    ]

    def progress(done: int, total: int) -> None:
        stage(f"Coding {len(texts):,} items on {chosen.name}: {done} of {total} parts done")

    progress(0, len(parts))
    coded = chosen.map(_predict_part, coder, parts, progress)
    return [result for part in coded for result in part]


def _predict_part(
    coder: FrameworkCoder, part: tuple[list[str], list[str | None] | None]
) -> list[CodingResult]:
    texts, prompts = part
    return coder.predict(texts, prompts=prompts)


def _audit(
    workspace: Workspace, actor: str, outcome: CodingOutcome, codebook: Codebook, embedder: str
) -> None:
    """Record the run in the workspace's audit log, whichever entry point started it."""
    with workspace.writer() as writer:
        writer.audit(
            actor,
            "code",
            "run",
            outcome.run_id or "",
            codebook=codebook.id,
            embedder=embedder,
            mode=outcome.mode,
        )


def _training_table(train: Path, text_column: str | None, label_column: str | None) -> InputTable:
    try:
        return read_rows(train, text_column=text_column, label_column=label_column)
    except Exception:
        if text_column is None:
            raise
        # The training file may name its text column differently: detect it there.
        return read_rows(train, label_column=label_column)


def _import_rows(
    store: Store,
    workspace: str,
    path: Path,
    table: InputTable,
    actor: str,
    id_column: str | None = None,
) -> list[int | None]:
    """Import the coded file and find each row's stored item (None for unreadable rows)."""
    options = ImportOptions(
        workspace=workspace,
        text_column=table.text_column,
        id_column=id_column,
        # The file's own references are kept with the items, as the import wizard keeps them.
        id_column_found=table.detected.get("id column"),
        actor=actor,
    )
    imported = import_file(store, path, options, track_rows=True)
    if len(imported.rows) != len(table.rows):
        # Readers count rows the same way; if they ever differ, match nothing rather than
        # store a code against the wrong item.
        return [None] * len(table.rows)
    return [row.item_id for row in imported.rows]
