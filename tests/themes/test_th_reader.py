"""The reader-test sheet of benchmarks/themes_reader.py: what a reader gets, and its scoring."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "themes_reader.py"


@pytest.fixture(scope="module")
def reader_test():
    spec = importlib.util.spec_from_file_location("themes_reader", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replies_file(folder: Path, replies, count: int) -> Path:
    source = folder / "replies.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        writer.writerows([row["text"]] for row in replies[:count])
    return source


@pytest.fixture(scope="module")
def sheet(reader_test, replies, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reader")
    source = _replies_file(folder, replies, 120)
    made = reader_test.prepare(
        source, folder / "sheet", items=30, seed=1, text_column="text", embedder="tfidf"
    )
    assert made["items"] == 30 and made["themes"] >= 2
    return folder / "sheet"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, answers: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "theme"])
        writer.writerows(answers)
    return path


def test_the_reader_gets_names_and_texts_only(sheet, replies):
    names = (sheet / "names.txt").read_text(encoding="utf-8").splitlines()
    assert names[0].startswith("1. ") and all(line.split(". ", 1)[1] for line in names)
    items = _rows(sheet / "items.csv")
    assert list(items[0]) == ["id", "text"] and len(items) == 30
    texts = {row["text"] for row in replies}
    assert all(row["text"] in texts for row in items)
    key = _rows(sheet / "answer_key.csv")
    assert [row["id"] for row in key] == [row["id"] for row in items]
    named = {line.split(". ", 1)[1] for line in names}
    assert all(row["theme"] in named for row in key)


def test_scoring_a_reader(reader_test, sheet, tmp_path):
    key = _rows(sheet / "answer_key.csv")
    names = [line.split(". ", 1)[1] for line in (sheet / "names.txt").read_text().splitlines()]
    number = {name: str(n) for n, name in enumerate(names, start=1)}
    # A reader who agrees throughout, answering by number or by name in any case.
    perfect = [
        (r["id"], number[r["theme"]] if i % 2 else r["theme"].upper()) for i, r in enumerate(key)
    ]
    score = reader_test.score(_write(tmp_path / "a.csv", perfect), sheet / "answer_key.csv")
    assert score == {"items": 30.0, "agreement": 1.0, "kappa": 1.0, "placed": 1.0}
    # A reader who places nothing agrees on nothing.
    blank = [(r["id"], "") for r in key]
    score = reader_test.score(_write(tmp_path / "b.csv", blank), sheet / "answer_key.csv")
    assert score["placed"] == 0.0 and score["agreement"] == 0.0 and score["kappa"] == 0.0
    # Half right, half left blank.
    half = [(r["id"], r["theme"] if i < 15 else "") for i, r in enumerate(key)]
    score = reader_test.score(_write(tmp_path / "c.csv", half), sheet / "answer_key.csv")
    assert score["agreement"] == 0.5 and score["placed"] == 0.5 and 0 < score["kappa"] < 1


def test_kappa_discounts_chance(reader_test):
    assert reader_test.kappa(["a", "a", "b", "b"], ["a", "a", "b", "b"]) == 1.0
    assert reader_test.kappa(["a", "b", "a", "b"], ["a", "a", "b", "b"]) == 0.0


@pytest.fixture(scope="module")
def sheet_with_subthemes(reader_test, replies, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reader-sub")
    source = _replies_file(folder, replies, 200)
    reader_test.prepare(
        source,
        folder / "sheet",
        items=40,
        seed=1,
        text_column="text",
        embedder="tfidf",
        subthemes=True,
    )
    return folder / "sheet"


def test_a_sheet_with_subthemes_lists_them_under_their_theme(sheet_with_subthemes):
    lines = (sheet_with_subthemes / "names.txt").read_text(encoding="utf-8").splitlines()
    codes: dict[str, tuple[str, str]] = {}
    theme = ""
    for line in lines:
        code, name = line.strip().split(". ", 1)
        if code.isdigit():
            theme = name
            codes[code] = (theme, "")
        else:
            assert line.startswith("   ") and code[:-1].isdigit() and code[-1].isalpha()
            codes[code] = (theme, name)
    assert any(sub for _, sub in codes.values()), "some theme has sub-themes"
    listed = set(codes.values())
    for row in _rows(sheet_with_subthemes / "answer_key.csv"):
        assert (row["theme"], row["subtheme"]) in listed


def test_scoring_a_reader_of_subthemes(reader_test, sheet_with_subthemes, tmp_path):
    lines = (sheet_with_subthemes / "names.txt").read_text(encoding="utf-8").splitlines()
    code_of: dict[tuple[str, str], str] = {}
    theme = ""
    for line in lines:
        code, name = line.strip().split(". ", 1)
        theme = name if code.isdigit() else theme
        code_of[(theme, "" if code.isdigit() else name)] = code
    key = _rows(sheet_with_subthemes / "answer_key.csv")
    exact = [(r["id"], code_of[(r["theme"], r["subtheme"])]) for r in key]
    score = reader_test.score(
        _write(tmp_path / "a.csv", exact), sheet_with_subthemes / "answer_key.csv"
    )
    assert score["agreement"] == 1.0 and score["subtheme_agreement"] == 1.0
    # Answering with the theme's number alone agrees on the theme, not the sub-theme.
    themes_only = [(r["id"], code_of[(r["theme"], "")]) for r in key]
    score = reader_test.score(
        _write(tmp_path / "b.csv", themes_only), sheet_with_subthemes / "answer_key.csv"
    )
    with_sub = sum(bool(r["subtheme"]) for r in key)
    assert score["agreement"] == 1.0 and score["placed"] == 1.0
    assert score["subtheme_agreement"] == pytest.approx(1 - with_sub / len(key))
