"""REFI-QDA codebook (.qdc) export and import."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from upstream.frameworks import (
    Code,
    Codebook,
    InvalidCodebook,
    builtin_names,
    code_guid,
    export_qdc,
    import_qdc,
    load_codebook,
)
from upstream.frameworks.refiqda import QDC_NAMESPACE, format_description, parse_description

NS = {"q": QDC_NAMESPACE}


@pytest.mark.parametrize("name", builtin_names())
def test_round_trip_keeps_ids_titles_hierarchy_and_definitions(tmp_path: Path, name: str) -> None:
    original = load_codebook(name)
    path = export_qdc(original, tmp_path / f"{name}.qdc")
    back = import_qdc(path)
    assert back == original  # every field of every code, and the codebook metadata
    assert load_codebook(path) == original


def test_export_is_deterministic_and_follows_the_standard(tmp_path: Path) -> None:
    book = load_codebook("hls")
    first = export_qdc(book, tmp_path / "one.qdc").read_bytes()
    second = export_qdc(book, tmp_path / "two.qdc").read_bytes()
    assert first == second
    root = ET.fromstring(first)
    assert root.tag == f"{{{QDC_NAMESPACE}}}CodeBook"
    top = root.findall("q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == [c.title for c in book.roots()]
    human = top[0]
    assert human.get("guid") == code_guid("hls", "human")
    assert human.get("isCodable") == "true"
    assert human[0].tag == f"{{{QDC_NAMESPACE}}}Description"  # Description comes first
    assert len(human.findall("q:Code", NS)) == len(book.children("human"))
    assert len(root.findall(".//q:Code", NS)) == len(book)


def test_guids_are_stable_uuid5_values() -> None:
    guid = code_guid("nom", "mindset.principles.prevention")
    assert guid == code_guid("nom", "mindset.principles.prevention")
    assert guid != code_guid("hls", "mindset.principles.prevention")
    assert len(guid) == 36 and guid[14] == "5"


def test_description_round_trip() -> None:
    code = Code(
        "x",
        "X",
        "A definition.\n\nWith a second paragraph.",
        include="Use when: it fits.",
        exclude="Not for Y.",
        examples=("One.", "Two - with a dash."),
    )
    text = format_description(code)
    parsed = parse_description(text)
    assert parsed.definition == code.definition
    assert (parsed.include, parsed.exclude) == (code.include, code.exclude)
    assert parsed.examples == code.examples
    assert parsed.code_id is None
    assert "upstream id" not in text  # other tools show the description to every coder
    legacy = parse_description(text + "\n\nupstream id: x")
    assert (legacy.code_id, legacy.examples) == ("x", code.examples)
    assert parse_description("Plain text from another tool").definition == (
        "Plain text from another tool"
    )


def test_import_codebook_made_by_another_tool(tmp_path: Path) -> None:
    path = tmp_path / "from_nvivo.qdc"
    path.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Some QDA tool">
  <Codes>
    <Code guid="11111111-1111-1111-1111-111111111111" name="Barriers" isCodable="true">
      <Description>Things in the way</Description>
      <Code guid="22222222-2222-2222-2222-222222222222" name="Risk-averse culture"
            isCodable="true"/>
      <Code guid="33333333-3333-3333-3333-333333333333" name="Risk averse culture!"
            isCodable="true"/>
    </Code>
    <Code guid="44444444-4444-4444-4444-444444444444" name="Enablers" isCodable="false"/>
  </Codes>
</CodeBook>
""",
        encoding="utf-8",
    )
    book = import_qdc(path)
    assert book.id == "from_nvivo"
    assert book.ids() == ["barriers", "risk_averse_culture", "risk_averse_culture_2", "enablers"]
    assert book.code("barriers").definition == "Things in the way"
    assert book.code("risk_averse_culture").parent == "barriers"


def test_import_problems_have_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n'
        "  <Codes>\n"
        '    <Code guid="g1" name="One" isCodable="true"/>\n'
        '    <Code guid="g1" name="" isCodable="true"/>\n'
        "  </Codes>\n"
        "</CodeBook>\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidCodebook) as caught:
        import_qdc(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (4, "duplicate guid 'g1' (first used on line 3)"),
        (4, "code 'g1' has no title"),
    ]


def test_import_malformed_xml_and_wrong_root(tmp_path: Path) -> None:
    broken = tmp_path / "broken.qdc"
    broken.write_text("<CodeBook>\n<Codes>\n</CodeBook>\n", encoding="utf-8")
    with pytest.raises(InvalidCodebook) as caught:
        import_qdc(broken)
    assert caught.value.line == 3
    assert caught.value.problems[0].message.startswith("XML syntax error")

    other = tmp_path / "other.qdc"
    other.write_text("<Something/>", encoding="utf-8")
    with pytest.raises(InvalidCodebook, match="expected a REFI-QDA <CodeBook>"):
        import_qdc(other)


def test_export_text_that_needs_escaping(tmp_path: Path) -> None:
    book = Codebook(
        "esc",
        'Escapes -- <&> "quotes"',
        "Has -- double dashes & <angle> brackets",
        "1",
        (Code("a&b", "A < B", "Text with <tags> & ampersands -- and dashes."),),
    )
    back = import_qdc(export_qdc(book, tmp_path / "esc.qdc"))
    assert back == book
