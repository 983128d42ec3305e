"""`upstream code` and `upstream review`: the command-line contract and the store round trip."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from upstream.cli import app
from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.workflows.coding import code_workspace

runner = CliRunner()

ROWS = [
    ("r1", "The procurement rules meant the contract took nine months to agree"),
    ("r2", "We pooled the budget with the NHS so the team could act quickly"),
    ("r3", ""),
    ("r4", "Our case management system is twenty years old and nothing talks to it"),
    ("r5", "Asdf qwerty zxcv"),
]
TRAIN = [
    ("Tender rules and procurement frameworks slowed the pilot down", "barrier.procurement"),
    ("The procurement process favoured big providers over local charities", "barrier.procurement"),
    ("A shared budget with health partners let us move quickly", "enabler.pooled_budgets"),
    ("Pooling money across council and NHS removed the arguments", "enabler.pooled_budgets"),
]


def _write(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_contract_one_row_per_input_row_in_order(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ["ref", "comment"], ROWS)
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "code",
            str(source),
            "--codebook",
            "dbe",
            "--output",
            str(out),
            "--id-column",
            "ref",
            "--embedder",
            "hashing",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _read(out)
    # The contract's four columns first; then what an analyst reads beside the evidence.
    assert list(rows[0]) == ["id", "code", "confidence", "codes", "title", "best_guess", "why"]
    assert [r["id"] for r in rows] == [ref for ref, _ in ROWS]
    titles = {code.id: code.title for code in load_codebook("dbe").codes}
    for row in rows:
        assert 0.0 <= float(row["confidence"]) <= 1.0
        if row["code"]:
            assert row["code"] in row["codes"].split(";")
            assert row["title"] == titles[row["code"]] and row["best_guess"] == ""
        else:
            assert row["codes"] == "" and row["title"] == "" and row["why"] == ""
    assert any(row["why"] for row in rows if row["code"])
    for row in rows:
        assert all(word.strip() for word in row["why"].split(";")) or row["why"] == ""
    assert rows[2]["code"] == ""  # an empty row is left uncoded, never forced


def test_row_numbers_are_ids_without_an_id_column(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ["comment"], [(text,) for _, text in ROWS])
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        ["code", str(source), "--codebook", "dbe", "--output", str(out), "--embedder", "hashing"],
    )
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in _read(out)] == ["1", "2", "3", "4", "5"]


def test_a_training_file_teaches_the_coder(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ["ref", "comment"], ROWS)
    train = _write(
        tmp_path / "train.csv", ["comment", "label"], [*TRAIN, ("A heading", "NA"), ("Odd", "999")]
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "code",
            str(source),
            "--codebook",
            "dbe",
            "--output",
            str(out),
            "--id-column",
            "ref",
            "--train",
            str(train),
            "--label-column",
            "label",
            "--embedder",
            "hashing",
        ],
    )
    assert result.exit_code == 0, result.output
    # Four labels are too few to learn from on their own: rows like one of them take its code.
    assert (
        "rows like one of the 4 labelled examples taking its code (it learns from labels on "
        "their own from 30)" in " ".join(result.output.split())
    )
    # Four labels are too few to hold any out: the framework's own threshold, unmeasured.
    said = " ".join(result.output.split())
    assert "Threshold 0.20: how often its codes are right is not measured yet." in said
    # At the coder's usual threshold, the precision measured on test documents for a
    # coder working from the codebook (as it does with four labels), said as such.
    again = runner.invoke(
        app,
        [
            *("code", str(source), "--codebook", "dbe", "--output", str(tmp_path / "again.csv")),
            *("--id-column", "ref", "--train", str(train), "--label-column", "label"),
            *("--embedder", "hashing", "--threshold", "0.35"),
        ],
    )
    assert again.exit_code == 0, again.output
    assert (
        "Threshold 0.35: its codes are expected to be right 58% of the time (an estimate "
        "from coding other documents that people had coded, not yet checked on this "
        "evidence; the threshold aims for 60%)." in " ".join(again.output.split())
    )
    assert "'999'" in result.output  # unknown labels are reported, not silently dropped
    codes = {r["id"]: r["code"] for r in _read(out)}
    assert codes["r1"] == "barrier.procurement"
    assert codes["r2"] == "enabler.pooled_budgets"


def test_with_db_codings_and_run_are_stored_and_review_retrains(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ["ref", "comment"], ROWS)
    db = tmp_path / "s.db"
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "code",
            str(source),
            "--codebook",
            "dbe",
            "--output",
            str(out),
            "--id-column",
            "ref",
            "--db",
            str(db),
            "--workspace",
            "W",
            "--embedder",
            "hashing",
            "--threshold",
            "0.9",
        ],
    )
    assert result.exit_code == 0, result.output
    store = Store(db)
    coding = CodingStore(store.workspace("W"))
    run = coding.runs(kind="coding")[0]
    assert run.parameters["codebook"] == "dbe" and run.parameters["threshold"] == 0.9
    assert run.versions["embedder"].startswith("hashing")
    assert run.summary["items"] == 4  # the empty row cannot be stored as evidence
    stored = coding.codings(run_id=run.id)
    assert stored and {c.origin for c in stored} == {"machine"}
    queue = coding.review_queue(run.id)
    # Mashed keys ("Asdf qwerty zxcv") say nothing: no guess is queued for review.
    assert len(queue) == 3 and run.parameters["set_aside"] == 1
    assert "Asdf" not in " ".join(c.item.text for c in queue)
    first, second = queue[0].item, queue[1].item
    # Recode the first item in the queue, give the second two codes, mistype a code for
    # the third; the workspace is recoded.
    answers = "barrier.procurement\nbarrier.procurement, enabler.pooled_budgets\nbarrier.nope\n"
    reviewed = runner.invoke(
        app,
        ["review", "--db", str(db), "--workspace", "W", "--reviewer", "ana@example.org"],
        input=answers,
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "Recorded 2 decision(s)" in reviewed.output
    assert "'barrier.nope' is not a code of" in reviewed.output
    codebook_id = coding.codebook_id("dbe")
    assert codebook_id is not None
    labels = sorted((item.id, code) for item, code in coding.human_labels(codebook_id))
    assert labels == sorted(
        [
            (first.id, "barrier.procurement"),
            (second.id, "barrier.procurement"),
            (second.id, "enabler.pooled_budgets"),
        ]
    )
    latest = coding.runs(kind="coding")[0]
    assert latest.id != run.id and latest.parameters["labelled_examples"] == 2
    store.close()


def test_code_workspace_learns_from_people(db_url: str, tmp_path: Path) -> None:
    # 32 items: enough decisions for the coder to learn from them on their own.
    rows = [(f"{text} (note {n})", label) for n in range(8) for text, label in TRAIN]
    source = _write(tmp_path / "train.csv", ["comment"], [(t,) for t, _ in rows])
    runner.invoke(app, ["import", str(source), "--db", db_url, "--workspace", "W"])
    store = Store(db_url)
    book = load_codebook("dbe")
    first = code_workspace(store, "W", book, embedder="hashing")
    assert first.mode == "zero-shot" and first.run_id is not None
    coding = CodingStore(store.workspace("W"))
    codebook_id = coding.codebook_id("dbe")
    assert codebook_id is not None
    items = store.workspace("W").items()
    for number, (item, (_, label)) in enumerate(zip(items, rows, strict=True), start=1):
        coding.decide(item.id, codebook_id, "recode", code=label, actor="ana")
        if number == 4:
            # A few decisions are examples beside the codebook's own.
            few = code_workspace(store, "W", book, embedder="hashing")
            assert few.mode == "zero-shot" and few.n_labelled == 4
    second = code_workspace(store, "W", book, embedder="hashing")
    assert second.mode == "supervised" and second.n_labelled == 32
    store.close()


def test_bad_codebook_and_missing_label_column_are_clear(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ["comment"], [("Some text here",)])
    result = runner.invoke(
        app, ["code", str(source), "--codebook", "nope", "--output", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 1 and "nope" in result.output
    result = runner.invoke(
        app,
        [
            "code",
            str(source),
            "--codebook",
            "dbe",
            "--output",
            str(tmp_path / "o.csv"),
            "--train",
            str(source),
        ],
    )
    assert result.exit_code == 1 and "--label-column" in result.output


def test_a_question_column_tells_a_barrier_from_a_way_past_with_or_without_a_store(
    tmp_path: Path,
) -> None:
    note = "Procurement and small grants"
    rows = [("s1", note, "Barrier"), ("s2", f"{note}.", "Enabler"), ("s3", f"{note}!", "")]
    source = _write(tmp_path / "board.csv", ["ref", "text", "Column"], rows)
    # A directory is read a file at a time; each file's own prompt column counts.
    (tmp_path / "boards").mkdir()
    _write(tmp_path / "boards" / "a.csv", ["ref", "text", "Column"], rows)
    _write(tmp_path / "boards" / "b.csv", ["ref", "Question", "text"], [("q1", "Barriers", note)])
    codes = []
    for where, extra in (
        (source, []),
        (source, ["--db", str(tmp_path / "w.db")]),
        (tmp_path / "boards", []),
    ):
        out = tmp_path / f"out{len(codes)}.csv"
        result = runner.invoke(
            app,
            [
                *("code", str(where), "--codebook", "dbe", "--output", str(out)),
                *("--id-column", "ref", "--text-column", "text", "--threshold", "0", *extra),
            ],
        )
        assert result.exit_code == 0, result.output
        codes.append([row["code"] for row in _read(out)])
    alone, stored, directory = codes
    assert alone == stored == directory[:3]
    assert directory[3] == "barrier.procurement"
    assert alone[:2] == ["barrier.procurement", "enabler.simpler_commissioning"]


def test_one_file_is_one_source_whichever_command_names_it(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ["ref", "comment"], ROWS)
    db = tmp_path / "s.db"
    themed = runner.invoke(
        app,
        ["themes", str(source), "--output", str(tmp_path / "t.csv"), "--id-column", "ref",
         "--db", str(db), "--workspace", "W", "--embedder", "hashing"],
    )  # fmt: skip
    assert themed.exit_code == 0, themed.output
    # The same file coded afterwards, its id column left out this time: the rows are the
    # items the themes run stored, with their ids, not a second copy of each.
    coded = runner.invoke(
        app,
        ["code", str(source), "--codebook", "dbe", "--output", str(tmp_path / "c.csv"),
         "--db", str(db), "--workspace", "W", "--embedder", "hashing"],
    )  # fmt: skip
    assert coded.exit_code == 0, coded.output
    store = Store(db)
    workspace = store.workspace("W")
    assert len(workspace.sources()) == 1 and workspace.item_count() == 4
    assert {item.external_id for item in workspace.items()} == {"r1", "r2", "r4", "r5"}
    assert CodingStore(workspace).runs(kind="coding")[0].summary["items"] == 4
    # Read another way (a different text column), the file is a second import.
    again = runner.invoke(
        app,
        ["import", str(source), "--db", str(db), "--workspace", "W", "--text-column", "ref"],
    )
    assert again.exit_code == 0, again.output
    assert len(store.workspace("W").sources()) == 2
    store.close()


def test_a_coded_file_s_own_ids_are_stored_without_being_named(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ["ref", "comment"], ROWS)
    db = tmp_path / "s.db"
    coded = runner.invoke(
        app,
        ["code", str(source), "--codebook", "dbe", "--output", str(tmp_path / "c.csv"),
         "--db", str(db), "--workspace", "W", "--embedder", "hashing"],
    )  # fmt: skip
    assert coded.exit_code == 0, coded.output
    with Store(db) as store:
        kept = {item.external_id for item in store.workspace("W").items()}
    assert kept == {"r1", "r2", "r4", "r5"}


def test_importing_the_same_file_again_says_so(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ["ref", "comment"], ROWS)
    db = tmp_path / "s.db"
    first = runner.invoke(app, ["import", str(source), "--db", str(db), "--id-column", "ref"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["import", str(source), "--db", str(db)])
    assert second.exit_code == 0, second.output
    said = " ".join(second.output.split())
    assert "imported into workspace 'default' before, read the same way" in said
    assert "0 new items, 4 already stored" in said
    assert len(Store(db).workspace("default").sources()) == 1


def test_an_own_codebook_is_reviewed_and_reported_like_a_framework(tmp_path: Path) -> None:
    # An analyst's own codebook (a CSV file, so no title or version) and replies that name
    # no organisation: review finds the codebook in the workspace, not by its file name.
    book = _write(
        tmp_path / "codebook.csv",
        ["code", "title", "parent", "definition"],
        [
            ("BUY", "Buying and contracts", "", "Procurement, tenders and contract rules."),
            ("MONEY", "Money and budgets", "", "Budgets, pooled funds and funding."),
        ],
    )
    source = _write(tmp_path / "replies.csv", ["ref", "comment"], ROWS)
    db = tmp_path / "s.db"
    coded = runner.invoke(
        app,
        ["code", str(source), "--codebook", str(book), "--output", str(tmp_path / "c.csv"),
         "--db", str(db), "--embedder", "hashing", "--threshold", "0.01"],
    )  # fmt: skip
    assert coded.exit_code == 0, coded.output
    reviewed = runner.invoke(
        app, ["review", "--db", str(db), "--limit", "1", "--no-retrain"], input="a\n"
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "Recorded 1 decision(s)" in reviewed.output
    report = tmp_path / "r.html"
    written = runner.invoke(app, ["report", "--db", str(db), "--output", str(report)])
    assert written.exit_code == 0, written.output
    page = report.read_text(encoding="utf-8")
    assert "0 organisations" not in page and "(version )" not in page
    assert "This report draws on 4 items of evidence, gathered through 1 source" in page
