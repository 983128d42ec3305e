"""REFI-QDA codebooks keep what other tools wrote: GUIDs, colours, isCodable, sets, text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.frameworks import (
    Code,
    Codebook,
    InvalidCodebook,
    export_qdc,
    export_yaml,
    import_qdc,
    load_codebook,
)
from upstream.frameworks.refiqda import QDC_NAMESPACE, code_guid, export_warnings
from upstream.frameworks.refiqda_read import read_qdc_reading

NS = {"q": QDC_NAMESPACE}

FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti 25">
  <Codes>
    <Code guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6" name="Barriers" isCodable="false"
          color="#ff0000">
      <Description>  Things in the way.
Second line, kept as written.  </Description>
      <Code guid="2D2466F0-D77F-4F8C-BDF9-628966B6B74D" name="Money" isCodable="true"
            color="#00A0B0"/>
    </Code>
    <Code guid="086AC733-7B1C-4749-A138-D7182F63A5C9" name="Enablers" isCodable="true"/>
  </Codes>
  <Sets>
    <Set guid="5B1B4C1E-0D8C-4B8B-9C4E-6A4C1A2B3C4D" name="Money matters">
      <Description>Codes about funding</Description>
      <MemberCode guid="2D2466F0-D77F-4F8C-BDF9-628966B6B74D"/>
      <MemberCode guid="086AC733-7B1C-4749-A138-D7182F63A5C9"/>
    </Set>
  </Sets>
</CodeBook>
"""


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "atlas.qdc"
    path.write_text(FOREIGN, encoding="utf-8")
    return path


def test_foreign_guids_colours_codable_sets_and_descriptions_survive(tmp_path: Path) -> None:
    book = import_qdc(_foreign(tmp_path))
    barriers = book.code("barriers")
    assert barriers.guid == "A182CD3A-D83C-4D8C-BC80-26D9103EC6D6"
    assert (barriers.color, barriers.codable) == ("#ff0000", False)
    assert barriers.definition == "  Things in the way.\nSecond line, kept as written.  "
    assert book.code("money").color == "#00A0B0"
    assert [c.id for c in book.codable()] == ["money", "enablers"]
    assert book.sets[0].name == "Money matters"
    assert book.sets[0].codes == ("money", "enablers")

    out = export_qdc(book, tmp_path / "out.qdc")
    root = ET.parse(out).getroot()
    written = {c.get("guid"): c for c in root.iter(f"{{{QDC_NAMESPACE}}}Code")}
    assert set(written) == {c.guid for c in book.codes}
    top = written["A182CD3A-D83C-4D8C-BC80-26D9103EC6D6"]
    assert (top.get("color"), top.get("isCodable")) == ("#ff0000", "false")
    assert written["086AC733-7B1C-4749-A138-D7182F63A5C9"].get("color") is None  # none given
    assert "upstream id" not in out.read_text(encoding="utf-8")
    assert import_qdc(out) == book  # and again: nothing drifts


def test_same_guid_for_the_same_code_every_time(tmp_path: Path) -> None:
    book = Codebook("b", "B", "", "1", (Code("a", "A", "def"), Code("c", "C", "", parent="a")))
    first = export_qdc(book, tmp_path / "1.qdc")
    guids = [c.get("guid") for c in ET.parse(first).getroot().iter(f"{{{QDC_NAMESPACE}}}Code")]
    assert guids == [code_guid("b", "a"), code_guid("b", "c")]
    # Through a tool that drops upstream's comment: the GUIDs stay, ids come from names.
    text = first.read_text(encoding="utf-8")
    stripped = "\n".join(line for line in text.splitlines() if "upstream-codebook" not in line)
    again = tmp_path / "from_tool.qdc"
    again.write_text(stripped, encoding="utf-8")
    reading = read_qdc_reading(again.read_bytes(), str(again))
    assert [code.guid for code in reading.codebook.codes] == guids
    back = export_qdc(reading.codebook, tmp_path / "2.qdc")
    assert [c.get("guid") for c in ET.parse(back).getroot().iter(f"{{{QDC_NAMESPACE}}}Code")] == (
        guids
    )
    # A stored mapping restores upstream's own ids.
    known = read_qdc_reading(again.read_bytes(), str(again), known={guids[0]: "a", guids[1]: "c"})
    assert known.codebook.ids() == ["a", "c"]


def test_old_files_with_an_id_line_still_read(tmp_path: Path) -> None:
    path = tmp_path / "old.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="11111111-1111-1111-1111-111111111111" name="Prevention" isCodable="true">'
        "<Description>Stop it early.\n\nupstream id: mindset.prevention</Description></Code>"
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    book = import_qdc(path)
    assert book.ids() == ["mindset.prevention"]
    assert book.code("mindset.prevention").definition == "Stop it early."


def test_control_characters_are_reported_and_never_written(tmp_path: Path) -> None:
    book = Codebook("w", "W", "", "1", (Code("a", "Line\x0bbreak", "Fine"),))
    with pytest.raises(ValueError, match="U\\+000B"):
        export_qdc(book, tmp_path / "w.qdc")
    assert not (tmp_path / "w.qdc").exists()

    csv = tmp_path / "word.csv"
    csv.write_text("code,title,description\na,Title,Pasted\x0cfrom Word\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["codebook", "validate", str(csv)])
    assert result.exit_code == 1
    assert "code 'a': the definition holds the character U+000C (form feed" in result.output
    out = str(tmp_path / "x.qdc")
    result = CliRunner().invoke(app, ["codebook", "export", str(csv), "-o", out])
    assert result.exit_code == 1
    assert not (tmp_path / "x.qdc").exists()


def test_warnings_name_what_a_round_trip_loses(tmp_path: Path) -> None:
    book = Codebook("w", "Title", "About", "2", (Code("a", "Two\nlines", "", color="red"),))
    warnings = export_warnings(book)
    assert any("title, version and description" in w for w in warnings)
    assert any("line break" in w for w in warnings)
    assert any("'red'" in w for w in warnings)
    twins = Codebook("t", "t", "", "", (Code("a", "Other", ""), Code("b", "Other", "")))
    assert export_warnings(twins) == [
        "Codes 'a' and 'b' share the name 'Other'; QualCoder merges codes that share a name."
    ]
    path = tmp_path / "memo.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="11111111-1111-1111-1111-111111111111" name="A" isCodable="true">'
        '<NoteRef targetGUID="22222222-2222-2222-2222-222222222222"/></Code>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    reading = read_qdc_reading(path.read_bytes(), str(path))
    assert reading.warnings == ["1 <NoteRef> element(s) in the codebook were not imported."]
    result = CliRunner().invoke(app, ["codebook", "validate", str(path)])
    assert "1 <NoteRef> element(s)" in result.output


def test_duplicate_guids_still_fail(tmp_path: Path) -> None:
    path = tmp_path / "dup.qdc"
    guid = "11111111-1111-1111-1111-111111111111"
    path.write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{guid}" name="A" '
        f'isCodable="true"/><Code guid="{guid}" name="B" isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    with pytest.raises(InvalidCodebook, match="duplicate guid"):
        import_qdc(path)


def test_yaml_keeps_guids_colours_codable_and_sets(tmp_path: Path) -> None:
    book = import_qdc(_foreign(tmp_path))
    back = load_codebook(export_yaml(book, tmp_path / "atlas.yaml"))
    assert [(c.guid, c.color, c.codable) for c in back.codes] == [
        (c.guid, c.color, c.codable) for c in book.codes
    ]
    assert back.sets == book.sets
    result = CliRunner().invoke(
        app, ["codebook", "export", str(_foreign(tmp_path)), "-o", str(tmp_path / "a.csv")]
    )
    assert result.exit_code == 0
    assert "no columns for GUIDs" in result.output


def test_yaml_sets_must_name_known_codes(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "codes:\n  - id: a\n    title: A\n    codable: maybe\n"
        "sets:\n  - guid: 5B1B4C1E-0D8C-4B8B-9C4E-6A4C1A2B3C4D\n    name: G\n    codes: [a, zz]\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidCodebook) as caught:
        load_codebook(path)
    messages = [p.message for p in caught.value.problems]
    assert "code 'a': 'codable' should be true or false" in messages
    assert "set 'G' names code 'zz', which is not defined" in messages
