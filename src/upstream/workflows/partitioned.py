"""Inputs too large to hold at once: read in partitions, work per partition, write per partition.

A directory of CSV, JSON Lines or Parquet files (or one large file) is read
twice, a row at a time: first to draw a representative sample (a seeded
reservoir, so every run draws the same one), then to cut the rows into
partitions of :data:`~upstream.execution.PARTITION_SIZE` that go to the
backend a window at a time and are written out as they come back. Memory
stays bounded by the sample and the window, whatever the input's size.

The sample is what the model learns from: the coder fits on it (its TF-IDF
vocabulary, and the labelled rows of a training file), and themes are found
in it; every row is then coded, or assigned to its nearest theme, partition
by partition. When the input has no more rows than the sample, the sample is
every row, in order, so the results are those of reading it all at once.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from upstream.coding.coder import FrameworkCoder
from upstream.coding.input_rows import InputRow, RowSource
from upstream.coding.results import CodingResult
from upstream.evidence.detect import prompt_columns
from upstream.evidence.readers import evidence_files
from upstream.execution import PARTITION_SIZE, Backend, LocalBackend
from upstream.records.drafts import Reject
from upstream.workflows.coding_prompts import row_prompt

__all__ = [
    "SAMPLE_SIZE",
    "WINDOW",
    "Partition",
    "PartitionCounts",
    "PartitionedInput",
    "Sample",
    "map_windows",
    "predict_part",
    "texts_and_prompts",
]

SAMPLE_SIZE = 100_000
"""Rows a model learns from when the input is larger: enough for a stable vocabulary."""

WINDOW = 16
"""Partitions in flight at once: keeps a cluster busy, bounds what waits in memory."""

Stage = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Partition:
    """Consecutive rows of one file.

    Attributes:
        file: The file's path relative to the input ("" for a single file).
        rows: The rows, in file order.
        prompts: What each row answers (its question, prompt or column), or None.
    """

    file: str
    rows: list[InputRow]
    prompts: list[str | None] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        """The rows' texts, in order."""
        return [row.text for row in self.rows]


@dataclass
class Sample:
    """A representative sample of the input's rows, in reading order.

    Attributes:
        ids: Each sampled row's id (prefixed by its file in a directory).
        texts: Each sampled row's text.
        rows: Rows in the whole input.
    """

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    rows: int = 0


class PartitionedInput:
    """A file or a directory of files, read lazily in partitions.

    Args:
        path: A file, or a directory of CSV, TSV, JSON Lines, JSON or Parquet files.
        text_column: Column with the text (detected per file when omitted).
        id_column: Column with each row's id (row numbers within each file when omitted).

    Raises:
        ImportFormatError: The path holds nothing readable.
        ImportConfigError: A named column is missing from a file.
    """

    def __init__(
        self, path: Path, *, text_column: str | None = None, id_column: str | None = None
    ) -> None:
        self.path = Path(path)
        self.files = evidence_files(self.path)
        self._text_column = text_column
        self._id_column = id_column
        self.rejected: list[Reject] = []

    @property
    def is_directory(self) -> bool:
        """Whether the input is a directory of files."""
        return self.path.is_dir()

    def name_of(self, file: Path) -> str:
        """A file's name as outputs show it: relative to the input directory."""
        return file.relative_to(self.path).as_posix() if self.is_directory else ""

    def _rows(self) -> Iterator[tuple[str, InputRow, str | None]]:
        self.rejected = []
        for file in self.files:
            source = RowSource(file, text_column=self._text_column, id_column=self._id_column)
            name = self.name_of(file)
            # Each file has its own columns: a workshop board's "column" in one,
            # a survey's "question" in another.
            wanted = prompt_columns(source.columns, source.text_column)
            for row in source.rows():
                values = row.raw.values if row.raw is not None else {}
                yield name, row, row_prompt(values, wanted)
            self.rejected += source.rejected

    def partitions(self, size: int = PARTITION_SIZE) -> Iterator[Partition]:
        """Yield the rows a partition at a time; a partition never spans two files."""
        rows: list[InputRow] = []
        prompts: list[str | None] = []
        current = ""
        for name, row, prompt in self._rows():
            if rows and (name != current or len(rows) >= size):
                yield Partition(current, rows, prompts)
                rows, prompts = [], []
            current = name
            rows.append(row)
            prompts.append(prompt)
        if rows:
            yield Partition(current, rows, prompts)

    def sample(self, size: int = SAMPLE_SIZE, seed: int = 0) -> Sample:
        """A seeded reservoir sample of the rows, kept in reading order.

        Every row is in it when there are no more than ``size``.
        """
        chosen: list[tuple[int, str, str]] = []
        draw = random.Random(seed)
        count = 0
        for count, (name, row, _) in enumerate(self._rows(), start=1):
            identifier = f"{name}:{row.id}" if name else row.id
            if len(chosen) < size:
                chosen.append((count, identifier, row.text))
                continue
            slot = draw.randrange(count)
            if slot < size:
                chosen[slot] = (count, identifier, row.text)
        chosen.sort()
        return Sample([i for _, i, _ in chosen], [t for _, _, t in chosen], count)


def windows(parts: Iterator[Partition], size: int = WINDOW) -> Iterator[list[Partition]]:
    """Group partitions into windows of ``size`` for the backend."""
    window: list[Partition] = []
    for part in parts:
        window.append(part)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def map_windows(
    backend: Backend | None,
    function: Callable[[Any, Any], Any],
    shared: Any,
    parts: Iterator[Partition],
    total: int,
    what: str,
    stage: Stage,
    payload: Callable[[Partition], Any] = lambda part: part.texts,
) -> Iterator[tuple[Partition, Any]]:
    """Run ``function(shared, payload(partition))`` per partition, a window at a time.

    The payload is the partition's texts unless another is asked for. Yields
    each partition with its result, in input order, as windows finish.
    """
    chosen = backend or LocalBackend()
    done = 0
    for window in windows(parts):
        results = chosen.map(function, shared, [payload(part) for part in window])
        for part, result in zip(window, results, strict=True):
            done += len(part.rows)
            yield part, result
        stage(f"{what} on {chosen.name}: {done:,} of {total:,} rows done")


def predict_part(
    coder: FrameworkCoder, part: tuple[Sequence[str], Sequence[str | None]]
) -> list[CodingResult]:
    """Code one partition's texts, given what each answers (runs wherever the backend runs it)."""
    texts, prompts = part
    return coder.predict(list(texts), prompts=list(prompts))


def texts_and_prompts(part: Partition) -> tuple[list[str], list[str | None]]:
    """What :func:`predict_part` needs of a partition."""
    return part.texts, part.prompts


@dataclass
class PartitionCounts:
    """What a partitioned run did, for the summary.

    Attributes:
        rows: Rows read (every row gets an output row).
        coded: Rows given a code (or a theme).
        files: Files read.
        parts: Partitions written.
        unknown_labels: Training labels that are not codes, with counts.
        mode: How the coder learned: "zero-shot" or "supervised" ("" for themes).
        n_labelled: Labelled examples the coder learned from.
    """

    rows: int = 0
    coded: int = 0
    files: int = 0
    parts: int = 0
    unknown_labels: Counter[str] = field(default_factory=Counter)
    mode: str = ""
    n_labelled: int = 0
