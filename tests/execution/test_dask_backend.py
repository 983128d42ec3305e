"""Coding on a real Dask cluster gives exactly the codes coding in one process gives."""

from __future__ import annotations

import csv
import itertools
import operator
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.execution import DaskBackend, LocalBackend, partitions
from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.workflows.coding import code_file, code_workspace
from upstream.workflows.ingest import ImportOptions, import_file

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
ITEMS = 3_000  # two partitions


def _texts() -> Iterator[str]:
    for subject, happened, where, when, n in itertools.product(
        SUBJECTS, HAPPENED, WHERE, WHEN, range(5)
    ):
        yield f"{subject} {happened} {where} {when} (note {n})."


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evidence") / "notes.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "text"])
        for n, text in enumerate(itertools.islice(_texts(), ITEMS)):
            writer.writerow([f"N{n}", text])
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskBackend]:
    backend = DaskBackend(workers=2)
    yield backend
    backend.close()


def test_results_come_back_in_order(cluster: DaskBackend) -> None:
    # A library function: the workers cannot import the test modules.
    parts = [list(range(n, n + 3)) for n in range(0, 30, 3)]
    seen: list[tuple[int, int]] = []
    done = cluster.map(operator.add, [-1], parts, lambda d, t: seen.append((d, t)))
    assert done == [[-1, *part] for part in parts]
    assert done == LocalBackend().map(operator.add, [-1], parts)
    assert seen[-1] == (10, 10)
    assert [s.stop for s in partitions(4_500)] == [2_000, 4_000, 4_500]


def _coded(outcome_ids: list[str], results: list) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {
        i: (r.code, round(r.confidence, 12), tuple(c for c, _ in r.codes))
        for i, r in zip(outcome_ids, results, strict=True)
    }


def test_a_file_is_coded_the_same_on_the_cluster(evidence: Path, cluster: DaskBackend) -> None:
    book = load_codebook("dbe")
    here = code_file(evidence, book, id_column="ref", embedder="hashing", threshold=0.2)
    there = code_file(
        evidence, book, id_column="ref", embedder="hashing", threshold=0.2, backend=cluster
    )
    assert len(here.results) == ITEMS and here.coded >= 100
    assert _coded(there.ids, there.results) == _coded(here.ids, here.results)


def test_a_stored_workspace_is_coded_the_same_on_the_cluster(
    evidence: Path, cluster: DaskBackend, db_url: str
) -> None:
    book = load_codebook("dbe")
    with Store(db_url) as store:
        import_file(store, evidence, ImportOptions(workspace="Notes", id_column="ref"))
        here = code_workspace(store, "Notes", book, embedder="hashing", threshold=0.2)
        there = code_workspace(
            store, "Notes", book, embedder="hashing", threshold=0.2, backend=cluster
        )
    assert here.run_id != there.run_id
    assert _coded(there.ids, there.results) == _coded(here.ids, here.results)


def test_the_command_line_codes_on_local_workers(evidence: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    outputs = []
    for name, extra in (("here.csv", []), ("there.csv", ["--workers", "2"])):
        out = tmp_path / name
        args = ["code", str(evidence), "--codebook", "dbe", "--embedder", "hashing"]
        result = runner.invoke(app, [*args, "--id-column", "ref", "--output", str(out), *extra])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_text(encoding="utf-8"))
        if extra:
            assert "on dask (a local cluster of 2 processes)" in " ".join(result.output.split())
    assert outputs[0] == outputs[1]


def test_an_unreachable_scheduler_is_a_plain_message(evidence: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "code",
            str(evidence),
            "--codebook",
            "dbe",
            "--embedder",
            "hashing",
            "--output",
            str(tmp_path / "x.csv"),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
    )
    assert result.exit_code != 0
    assert "Could not reach the Dask scheduler" in result.output
    assert "Traceback" not in result.output
