"""Themes in a directory of files, or one large file, partition by partition.

Themes are found in a representative sample of the rows (a seeded reservoir,
every row when there are few enough), after setting spam, abuse and off-topic
replies aside as every theme run does. Then every row is assigned, partition
by partition on the chosen backend, to the theme whose centre it is most like,
or left unassigned when it is like none of them (cosine below the estimator's
``min_similarity``). The same input and settings give the same themes and the
same assignments on any backend.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from upstream.embed.base import Embedder, normalise_rows
from upstream.execution import Backend
from upstream.records.themes import Theme, read_number
from upstream.signals.flags import flag_items
from upstream.themes.cluster import assign, centroids_of
from upstream.themes.discover import ThemeDiscovery
from upstream.themes.reduce import Reducer
from upstream.workflows.partition_output import ResultWriter
from upstream.workflows.partitioned import PartitionCounts, PartitionedInput, Stage, map_windows
from upstream.workflows.themes import SET_ASIDE_LABEL, ThemeSettings

__all__ = ["THEME_SAMPLE_SIZE", "PartitionedThemes", "ThemeAssigner", "theme_partitioned"]

THEME_SAMPLE_SIZE = 20_000
"""Rows themes are found in, at most: clustering cost grows faster than the rows."""


@dataclass
class ThemeAssigner:
    """Assigns texts to fitted themes; small enough to send to every worker.

    Attributes:
        embedder: The themes' text model (workers load its weights on first use).
        reducer: The fitted reduce stage.
        centroids: One unit row per theme, in the reduced space.
        min_similarity: Below this cosine to every centre a text is unassigned.
        labels: Each theme's label, in the centroids' order.
        numbers: Each theme's number as people read it, in the centroids' order.
    """

    embedder: Embedder
    reducer: Reducer
    centroids: npt.NDArray[np.float32]
    min_similarity: float
    labels: list[str]
    numbers: list[int]

    def assign(self, texts: list[str]) -> list[tuple[int, str]]:
        """Each text's theme number (as people read it) and label; -1 for none."""
        flags = flag_items(texts)
        vectors = normalise_rows(self.reducer.transform(normalise_rows(self.embedder.embed(texts))))
        numbers, similarity = assign(vectors, self.centroids)
        answers: list[tuple[int, str]] = []
        for n, flag in enumerate(flags):
            if flag.excluded:
                answers.append((-1, f"{SET_ASIDE_LABEL} ({', '.join(flag.reasons)})"))
            elif not np.any(vectors[n]) or similarity[n] < self.min_similarity:
                answers.append((-1, "unassigned"))
            else:
                position = int(numbers[n])
                answers.append((self.numbers[position], self.labels[position]))
        return answers


def assign_part(assigner: ThemeAssigner, texts: list[str]) -> list[tuple[int, str]]:
    """Assign one partition (runs wherever the backend runs it)."""
    return assigner.assign(texts)


@dataclass
class PartitionedThemes:
    """What a partitioned theme run found.

    Attributes:
        themes: The themes found in the sample.
        sizes: Rows assigned to each theme number (as people read it), over the whole input.
        sample_rows: Rows the themes were found in.
        counts: Rows read, assigned, files and parts written.
    """

    themes: list[Theme]
    sizes: Counter[int]
    sample_rows: int
    counts: PartitionCounts


def fit_assigner(discovery: ThemeDiscovery) -> ThemeAssigner:
    """The assigner for a fitted estimator: its text model, reduce stage and theme centres."""
    labels = discovery.labels_
    assigned = np.flatnonzero(labels >= 0)
    count = len(discovery.themes_)
    centroids = centroids_of(discovery.vectors_[assigned], labels[assigned], count)
    by_position = {theme.id: theme for theme in discovery.themes_}
    assert discovery.embedder_ is not None  # fitted from text, not given vectors
    return ThemeAssigner(
        discovery.embedder_,
        discovery.reducer_,
        normalise_rows(centroids),
        discovery.min_similarity,
        [by_position[n].label for n in range(count)],
        [read_number(by_position[n].number) for n in range(count)],
    )


def theme_partitioned(
    path: Path,
    output: Path,
    settings: ThemeSettings,
    *,
    fmt: str = "csv",
    text_column: str | None = None,
    id_column: str | None = None,
    backend: Backend | None = None,
    sample_size: int = THEME_SAMPLE_SIZE,
    on_stage: Stage | None = None,
) -> PartitionedThemes:
    """Find themes in a sample of a file or directory, then assign every row.

    Args:
        path: A file, or a directory of CSV, TSV, JSON Lines, JSON or Parquet files.
        output: The CSV to write (id, theme, theme_label), or the directory of Parquet parts.
        settings: The person's choices (text model, number of themes, seed, labeller).
        fmt: ``"csv"`` or ``"parquet"``.
        text_column: Column with the text (detected per file when omitted).
        id_column: Column with each row's id (row numbers within each file when omitted).
        backend: Where to assign (default: in this process).
        sample_size: Rows the themes are found in, at most.
        on_stage: Called with a short description as each stage starts.

    Returns:
        The themes and how many rows each was given.

    Raises:
        ValueError: Nothing is left to theme in the sample once spam is set aside.
    """
    stage = on_stage or (lambda _: None)
    source = PartitionedInput(path, text_column=text_column, id_column=id_column)
    stage(f"Reading {len(source.files):,} file(s) to choose a sample to find themes in")
    sample = source.sample(sample_size, seed=settings.seed)
    flags = flag_items(sample.texts)
    kept = [text for text, flag in zip(sample.texts, flags, strict=True) if not flag.excluded]
    if not kept:
        raise ValueError("There is no evidence to theme in what you chose.")
    discovery = settings.discovery().fit(kept, progress=stage)
    assigner = fit_assigner(discovery)
    counts = PartitionCounts(files=len(source.files))
    sizes: Counter[int] = Counter()
    columns = {"id": "string", "theme": "int", "theme_label": "string"}
    if source.is_directory:
        columns = {"file": "string", **columns}
    with ResultWriter(output, columns, fmt) as writer:
        for part, answers in map_windows(
            backend, assign_part, assigner, source.partitions(), sample.rows, "Assigning", stage
        ):
            rows = []
            for row, (number, label) in zip(part.rows, answers, strict=True):
                values = [row.id, number, label if row.text else "no text"]
                rows.append([part.file, *values] if source.is_directory else values)
                sizes[number] += 1
                counts.coded += number >= 0
            writer.write(rows)
            counts.rows += len(rows)
        counts.parts = writer.parts
    return PartitionedThemes(list(discovery.themes_), sizes, len(kept), counts)
