from __future__ import annotations

import csv
from pathlib import Path

from upstream.evidence.rejects import RejectsWriter
from upstream.records.drafts import Reject


def test_no_file_when_nothing_rejected(tmp_path: Path) -> None:
    source = tmp_path / "replies.csv"
    source.write_text("id,text\n", encoding="utf-8")
    with RejectsWriter(source) as rejects:
        pass
    assert rejects.count == 0
    assert not (tmp_path / "replies.csv.rejects.csv").exists()


def test_rejects_written_beside_source(tmp_path: Path) -> None:
    source = tmp_path / "replies.csv"
    with RejectsWriter(source) as rejects:
        rejects.write(Reject(str(source), 3, "text", "no text in column 'text'", "3,,x"))
        rejects.write(Reject(str(source), 5, "", "broken", '=HYPERLINK("x")\nsecond line'))
        rejects.write(Reject(str(source), 6, "date", "bad date: 'soon'", "6,hi,soon", kept=True))
    assert rejects.count == 2 and rejects.left_out == 1
    assert rejects.path == tmp_path / "replies.csv.rejects.csv"
    with rejects.path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["file", "line", "column", "reason", "raw", "outcome"]
    assert rows[1] == [
        str(source),
        "3",
        "text",
        "no text in column 'text'",
        "3,,x",
        "row not imported",
    ]
    assert rows[3][-1] == "row imported without this value"
    # formulas are neutralised, multi-line raw text survives intact
    assert rows[2][4] == '\'=HYPERLINK("x")\nsecond line'


def test_stale_file_removed_and_discard(tmp_path: Path) -> None:
    source = tmp_path / "a.csv"
    stale = tmp_path / "a.csv.rejects.csv"
    stale.write_text("old", encoding="utf-8")
    with RejectsWriter(source):
        pass
    assert not stale.exists()
    rejects = RejectsWriter(source)
    with rejects:
        rejects.write(Reject("a.csv", 1, "", "x", ""))
    rejects.discard()
    assert not stale.exists()
