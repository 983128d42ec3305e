from __future__ import annotations

import json
from pathlib import Path

import pytest

from upstream.evidence import json_reader
from upstream.evidence.errors import ImportFormatError
from upstream.evidence.json_reader import JsonArrayReader, JsonLinesReader, looks_like_json_lines
from upstream.records.drafts import RawRow, Reject


def test_jsonl_broken_line_is_rejected_and_the_rest_import(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        '{"id": 1, "text": "Great park", "likes": 3}\n'
        "\n"
        '{"id": 2, "text": "Broken line", \n'
        '{"id": 3, "text": "Bins late", "author": {"role": "resident", "ward": "North"}}\n'
        '["not", "an", "object"]\n'
        '{"id": 4, "text": "Later key", "tags": ["a", "b"], "extra": null}\n',
        encoding="utf-8",
    )
    reader = JsonLinesReader(path)
    assert reader.detected["format"] == "JSON Lines"
    rows = list(reader.rows())
    good = [r for r in rows if isinstance(r, RawRow)]
    bad = [r for r in rows if isinstance(r, Reject)]
    assert [r.line for r in good] == [1, 4, 6]
    assert [(r.line, r.reason.split(":")[0]) for r in bad] == [
        (3, "invalid JSON"),
        (5, "not an object"),
    ]
    assert bad[0].raw == '{"id": 2, "text": "Broken line", '
    assert good[1].values == {
        "id": "3",
        "text": "Bins late",
        "author.role": "resident",
        "author.ward": "North",
    }
    assert good[2].values["tags"] == '["a", "b"]'
    assert good[2].values["extra"] == ""
    assert reader.columns == ["id", "text", "likes", "author.role", "author.ward", "tags", "extra"]


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "replies.json"
    records = [
        {"id": 1, "text": "First", "meta": {"source": "web"}},
        {"id": 2, "text": "Second", "score": 2.5, "ok": True},
        "not an object",
    ]
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    reader = JsonArrayReader(path)
    assert reader.detected["records"] == "top-level array"
    assert reader.columns == ["id", "text", "meta.source", "score", "ok"]
    rows = list(reader.rows())
    assert rows[0] == RawRow(1, {"id": "1", "text": "First", "meta.source": "web"})
    assert rows[1] == RawRow(2, {"id": "2", "text": "Second", "score": "2.5", "ok": "true"})
    assert isinstance(rows[2], Reject)
    assert rows[2].line == 3
    assert rows[2].reason == "not an object: expected named fields, found a string"


def test_json_object_with_one_list(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    data = {"exported": "2024-03-01", "count": 2, "items": [{"text": "a"}, {"text": "b"}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    reader = JsonArrayReader(path)
    assert reader.detected["records"] == "list under 'items'"
    assert [r.values for r in reader.rows() if isinstance(r, RawRow)] == [
        {"text": "a"},
        {"text": "b"},
    ]


def test_json_object_with_two_lists_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(json.dumps({"a": [{"x": 1}], "b": [{"y": 2}]}), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="several lists: a, b"):
        JsonArrayReader(path)


def test_json_scalar_top_level_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text("42", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="array of objects"):
        JsonArrayReader(path)


def test_json_streams_across_small_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A tiny buffer forces every record, string and number across chunk edges.
    monkeypatch.setattr(json_reader, "CHUNK_CHARS", 7)
    records = [{"id": i, "text": f"reply number {i} " * (i % 5 + 1), "n": 10**i} for i in range(30)]
    path = tmp_path / "chunks.json"
    path.write_text(json.dumps({"items": records}), encoding="utf-8")
    rows = list(JsonArrayReader(path).rows())
    assert [r.values for r in rows if isinstance(r, RawRow)] == [
        json_reader.flatten(r) for r in records
    ]


def test_json_syntax_error_part_way_keeps_earlier_records(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n{"text": "a"},\n{"text": "b"},\n{"text": "c" "oops"}\n]', encoding="utf-8")
    rows = list(JsonArrayReader(path).rows())
    assert [r.values["text"] for r in rows if isinstance(r, RawRow)] == ["a", "b"]
    last = rows[-1]
    assert isinstance(last, Reject)
    assert last.line == 3
    assert last.reason.startswith("invalid JSON: ")
    assert "on line 4;" in last.reason


def test_json_lines_saved_as_json_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"text": "a"}\n{"text": "b"}\n', encoding="utf-8")
    assert looks_like_json_lines(path)
    array = tmp_path / "array.json"
    array.write_text('[{"text": "a"},\n{"text": "b"}]', encoding="utf-8")
    assert not looks_like_json_lines(array)
