"""Large inputs read in partitions: directories of Parquet, CSV and JSON Lines files.

A partitioned Parquet directory imports once (into SQLite and PostgreSQL), with
bad rows as rejects; coding and theming it give exactly the same answers in
this process and on a Dask cluster of two worker processes.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.evidence.readers import evidence_files
from upstream.execution import DaskBackend, LocalBackend
from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.engine import make_engine, upgrade
from upstream.workflows.coding import code_workspace
from upstream.workflows.ingest import ImportOptions, import_directory
from upstream.workflows.partitioned_coding import code_partitioned
from upstream.workflows.partitioned_themes import theme_partitioned
from upstream.workflows.themes import ThemeSettings

SUBJECTS = ["The bus", "Our GP surgery", "The housing office", "The youth hub", "Social care"]
HAPPENED = [
    "was late again because of the rules",
    "helped us a lot once staff could decide",
    "joined up with the voluntary sector",
    "lost funding after the budget cut",
    "asked residents what mattered first",
    "kept the old IT system that nobody trusts",
]
WHERE = ["in Northmoor", "in Southvale", "near the station", "on the estate", "in town"]
WHEN = ["this week", "last winter", "every Monday", "since the restructure", "after the pilot"]
PER_PART = 700  # rows per Parquet file; two files, plus a CSV and a JSON Lines file


def _texts() -> Iterator[str]:
    for subject, happened, where, when, n in itertools.product(
        SUBJECTS, HAPPENED, WHERE, WHEN, range(5)
    ):
        yield f"{subject} {happened} {where} {when} (note {n})."


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two Parquet parts in ``key=value`` folders, a CSV with one bad date, a JSON Lines file."""
    folder = tmp_path_factory.mktemp("corpus")
    texts = list(itertools.islice(_texts(), 2 * PER_PART + 200))
    for n, year in enumerate(("2024", "2025")):
        part = folder / f"year={year}"
        part.mkdir()
        rows = range(n * PER_PART, (n + 1) * PER_PART)
        table = pa.table(
            {
                "ref": [f"P{i}" for i in rows],
                "text": [texts[i] for i in rows],
                "when": [f"{year}-03-01" for _ in rows],
            }
        )
        pq.write_table(table, part / "part-0.parquet", row_group_size=500)
    with (folder / "extra.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "text", "when"])
        for i in range(2 * PER_PART, 2 * PER_PART + 100):
            writer.writerow([f"C{i}", texts[i], "not a date" if i == 2 * PER_PART + 4 else ""])
    with (folder / "more.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(2 * PER_PART + 100, 2 * PER_PART + 200):
            handle.write(json.dumps({"ref": f"J{i}", "text": texts[i], "when": ""}) + "\n")
    (folder / ".hidden.csv").write_text("ref,text\nH1,never read\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskBackend]:
    backend = DaskBackend(workers=2)
    yield backend
    backend.close()


OPTIONS = ImportOptions(workspace="Big", id_column="ref", date_column="when", organisation="Ours")


def test_a_partitioned_directory_imports_once_and_lists_what_it_left_out(
    corpus: Path, db_url: str
) -> None:
    assert [p.relative_to(corpus).as_posix() for p in evidence_files(corpus)] == [
        "extra.csv",
        "more.jsonl",
        "year=2024/part-0.parquet",
        "year=2025/part-0.parquet",
    ]
    with Store(db_url) as store:
        first = import_directory(store, corpus, OPTIONS)
        count = store.workspace("Big").item_count()
        again = import_directory(store, corpus, OPTIONS)
        assert store.workspace("Big").item_count() == count
        sources = store.workspace("Big").sources()
    # The row with a bad date is imported without it, and listed.
    assert [r.imported for r in first.imported] == [100, 100, PER_PART, PER_PART]
    assert [(r.rejected, r.left_out) for r in first.imported] == [(0, 1), (0, 0), (0, 0), (0, 0)]
    assert count == 2 * PER_PART + 200
    assert again.imported == [] and len(again.skipped) == 4
    assert [s.name for s in sources] == [
        "extra.csv",
        "more.jsonl",
        "year=2024/part-0.parquet",
        "year=2025/part-0.parquet",
    ]
    rejects = first.imported[0].rejects_path
    assert rejects is not None
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        (bad,) = list(csv.DictReader(handle))
    assert bad["file"].endswith("extra.csv") and bad["line"] == "6" and bad["column"] == "when"
    assert "date" in bad["reason"] and bad["outcome"] == "row imported without this value"
    rejects.unlink()


def test_the_command_line_imports_a_directory_once(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    args = ["import", str(corpus), "--db", db, "--org", "Ours", "--id-column", "ref"]
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert f"4 file(s) from {corpus}: {2 * PER_PART + 200:,} new items" in " ".join(
        first.output.split()
    )
    assert "Skipped 4 file(s) already imported" in " ".join(second.output.split())


def _parquet_rows(folder: Path) -> list[dict[str, object]]:
    """The rows of every part, in order; confidences to 12 places (workers run BLAS on
    one thread, so sums may differ in the last bits from this process)."""
    rows = pq.read_table(sorted(folder.glob("part-*.parquet"))).to_pylist()
    for row in rows:
        if "confidence" in row:
            row["confidence"] = round(row["confidence"], 12)
    return list(rows)


@pytest.mark.postgres
def test_coding_and_themes_agree_on_both_backends(
    corpus: Path, cluster: DaskBackend, empty_postgres_url: str, tmp_path: Path
) -> None:
    book = load_codebook("dbe")
    engine = make_engine(empty_postgres_url)
    upgrade(engine)  # a team database is migrated deliberately
    engine.dispose()
    with Store(empty_postgres_url) as store:
        import_directory(store, corpus, OPTIONS)
        stored_here = code_workspace(store, "Big", book, embedder="hashing", threshold=0.2)
        stored_there = code_workspace(
            store, "Big", book, embedder="hashing", threshold=0.2, backend=cluster
        )
    assert len(stored_here.results) == 2 * PER_PART + 200 and stored_here.coded >= 100
    # Stored items are coded all at once here and by partition there: the same codes,
    # confidences equal to 12 places (BLAS sums a partition's rows in another order).
    assert [(r.code, r.codes, round(r.confidence, 12)) for r in stored_here.results] == [
        (r.code, r.codes, round(r.confidence, 12)) for r in stored_there.results
    ]

    coded = {}
    for name, backend in (("here", LocalBackend()), ("there", cluster)):
        counts = code_partitioned(
            corpus,
            book,
            tmp_path / f"codes-{name}",
            fmt="parquet",
            id_column="ref",
            embedder="hashing",
            threshold=0.2,
            backend=backend,
            sample_size=1_000,
        )
        assert counts.rows == 2 * PER_PART + 200 and counts.parts == 4
        coded[name] = _parquet_rows(tmp_path / f"codes-{name}")
    assert coded["here"] == coded["there"]
    assert sum(1 for row in coded["here"] if row["code"]) >= 100
    # Parquet carries what the CSV does: the code's title, and a best guess where uncoded.
    titles = {code.id: code.title for code in book.codes}
    assert all(row["title"] == titles[row["code"]] for row in coded["here"] if row["code"])
    assert all(row["best_guess"] for row in coded["here"] if not row["code"])
    assert (
        coded["here"][0]["file"] == "extra.csv"
        and coded["here"][-1]["id"] == f"P{2 * PER_PART - 1}"
    )

    themed = {}
    settings = ThemeSettings(embedder="hashing", n_themes=6)
    for name, backend in (("here", LocalBackend()), ("there", cluster)):
        found = theme_partitioned(
            corpus,
            tmp_path / f"themes-{name}.csv",
            settings,
            id_column="ref",
            backend=backend,
            sample_size=1_000,
        )
        assert found.sample_rows == 1_000 and len(found.themes) >= 5
        themed[name] = (
            [t.label for t in found.themes],
            (tmp_path / f"themes-{name}.csv").read_text(encoding="utf-8"),
        )
    assert themed["here"] == themed["there"]
    rows = list(csv.DictReader(themed["here"][1].splitlines()))
    assert len(rows) == 2 * PER_PART + 200
    assert sum(1 for row in rows if int(row["theme"]) >= 0) > 0.9 * len(rows)


def test_the_command_line_themes_a_directory_on_local_workers(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    outputs = []
    for name, extra in (("here", []), ("there", ["--workers", "2"])):
        out = tmp_path / name
        args = ["themes", str(corpus), "--embedder", "hashing", "--themes", "5"]
        result = runner.invoke(
            app, [*args, "--id-column", "ref", "--output", str(out), "--format", "parquet", *extra]
        )
        assert result.exit_code == 0, result.output
        assert "Found 5 themes in a sample of" in " ".join(result.output.split())
        outputs.append(_parquet_rows(out))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 2 * PER_PART + 200
