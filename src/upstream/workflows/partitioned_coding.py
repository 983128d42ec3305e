"""Coding a directory of files, or one large file, partition by partition.

The coder is fitted once on a representative sample of the rows (with a
person's labelled rows when a training file is given), then every partition is
predicted on the chosen backend and written out as it comes back, so memory
stays bounded whatever the input's size. See :mod:`upstream.workflows.partitioned`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from upstream.coding.coder import make_coder
from upstream.execution import Backend
from upstream.frameworks.model import Codebook
from upstream.workflows.coding import _fit, _labelled
from upstream.workflows.coding_output import COLUMNS, output_values
from upstream.workflows.partition_output import ResultWriter
from upstream.workflows.partitioned import (
    SAMPLE_SIZE,
    PartitionCounts,
    PartitionedInput,
    Stage,
    map_windows,
    predict_part,
    texts_and_prompts,
)

__all__ = ["code_partitioned"]


def code_partitioned(
    path: Path,
    codebook: Codebook,
    output: Path,
    *,
    fmt: str = "csv",
    text_column: str | None = None,
    id_column: str | None = None,
    train: Path | None = None,
    label_column: str | None = None,
    embedder: str = "default",
    threshold: float | None = None,
    backend: Backend | None = None,
    sample_size: int = SAMPLE_SIZE,
    on_stage: Stage | None = None,
) -> PartitionCounts:
    """Code every row of a file or directory and write one output row per input row.

    Args:
        path: A file, or a directory of CSV, TSV, JSON Lines, JSON or Parquet files.
        codebook: The codes to apply.
        output: The CSV to write, or the directory of Parquet parts.
        fmt: ``"csv"`` or ``"parquet"``.
        text_column: Column with the text (detected per file when omitted).
        id_column: Column with each row's id (row numbers within each file when omitted).
        train: A file of human-labelled rows to learn from.
        label_column: The label column of ``train``.
        embedder: Embedder name.
        threshold: Abstain below this confidence (the coder's default when None).
        backend: Where to predict (default: in this process).
        sample_size: Rows the coder is fitted on, at most.
        on_stage: Called with a short description as each stage starts.

    Returns:
        Counts for the summary (with the coder's mode in ``unknown_labels`` left to the caller).

    Raises:
        ValueError: ``train`` is given without ``label_column``.
    """
    stage = on_stage or (lambda _: None)
    if train is not None and not label_column:
        raise ValueError("--train needs --label-column to say which column holds the codes")
    source = PartitionedInput(path, text_column=text_column, id_column=id_column)
    stage(f"Reading {len(source.files):,} file(s) to choose a sample to learn from")
    sample = source.sample(sample_size)
    labelled = _labelled(train, text_column, label_column, codebook, stage)
    coder = make_coder(codebook, embedder=embedder, threshold=threshold)
    _fit(coder, sample.texts, sample.ids, None, labelled, stage)
    counts = PartitionCounts(files=len(source.files))
    counts.unknown_labels = labelled.unknown if labelled else Counter()
    columns = dict(COLUMNS)
    if source.is_directory:
        columns = {"file": "string", **columns}
    with ResultWriter(output, columns, fmt) as writer:
        for part, results in map_windows(
            backend,
            predict_part,
            coder,
            source.partitions(),
            sample.rows,
            "Coding",
            stage,
            payload=texts_and_prompts,
        ):
            rows = []
            for row, result in zip(part.rows, results, strict=True):
                values = output_values(row.id, result, codebook)
                rows.append([part.file, *values] if source.is_directory else values)
                counts.coded += not result.uncoded
            writer.write(rows)
            counts.rows += len(rows)
        counts.parts = writer.parts
    counts.mode = coder.mode_
    counts.n_labelled = coder.n_labelled_
    return counts
