"""Projects and codebooks shaped like ATLAS.ti, NVivo, MAXQDA, QualCoder and Taguette write them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tests.exchange.schemas import assert_valid_project

from upstream.exchange import read_qdpx
from upstream.frameworks import import_qdc
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.store.exchange_repository import ExchangeStore
from upstream.workflows.qdpx import export_qdpx, import_qdpx

TOOLS = Path(__file__).resolve().parent.parent / "data" / "refiqda" / "tools"

# Per tool: the coded spans (text, code title, coder) an import must produce.
EXPECTED = {
    "atlasti": {
        ("the café in the library 📚", "Library", "Researcher A"),
        ("the bus 🚌 stops at 6pm", "Transport", "Researcher A"),
        ("so people leave early.", "Leaving early", "Researcher A"),
    },
    "nvivo": {
        ("On attend 😤 des heures au guichet", "Queues at the counter", "Coder B"),
        ("tout va bien", "Satisfaction", "Coder B"),
    },
    "maxqda": {
        ("the council's form 📝", "Too long", "Coder C"),
        ("Nobody explained the next step.", "Next steps unclear", "Coder C"),
    },
    "qualcoder": {
        ("Le centre de santé 🏥", "Closures", "Coder D"),
        ("she now travels 40 minutes", "Travel time", "Coder D"),
    },
}


def qdpx(tool: str, tmp_path: Path) -> Path:
    folder = TOOLS / tool
    target = tmp_path / f"{tool}.qdpx"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target


def _coded(store: Store, workspace: str, codebook: str) -> set[tuple[str, str, str]]:
    ws = store.workspace(workspace)
    book_id = CodingStore(ws).codebook_id(codebook)
    assert book_id is not None
    exchange = ExchangeStore(ws)
    titles = {code.id: code.title for code in exchange.codebook(book_id).codes}
    found = set()
    for coding in exchange.human_codings(book_id):
        item = ws.item(coding.item_id)
        assert item is not None
        found.add((item.text, titles[coding.code], coding.coder))
    return found


@pytest.mark.parametrize("tool", sorted(EXPECTED))
def test_each_tool_imports_with_offsets_in_the_right_place(tool: str, tmp_path: Path) -> None:
    path = qdpx(tool, tmp_path)
    store = Store(tmp_path / "s.db")
    done = import_qdpx(store.workspace("W", create=True), path, actor="test")
    codebook = read_qdpx(path).project.codebook.id
    assert _coded(store, "W", codebook) == EXPECTED[tool]
    assert done.codings == len(EXPECTED[tool])
    store.close()


def test_nvivo_offsets_are_utf16_and_converted(tmp_path: Path) -> None:
    reading = read_qdpx(qdpx("nvivo", tmp_path))
    (source,) = reading.project.sources
    first = source.selections[0]
    assert source.text[first.start : first.end] == "On attend 😤 des heures au guichet"
    assert any("UTF-16" in warning for warning in reading.warnings)
    assert reading.project.users[0].name == "Coder B"


def test_atlas_code_groups_colours_and_memos(tmp_path: Path) -> None:
    reading = read_qdpx(qdpx("atlasti", tmp_path))
    book = reading.project.codebook
    assert book.code("library").color == "#E7A33E"
    assert book.code("library").guid == "C0DE0000-0000-4000-8000-00000000A102"
    (group,) = book.sets
    assert (group.name, group.codes) == ("Access", ("library", "transport"))
    assert "The project's notes were not imported." in reading.warnings


def test_qualcoder_categories_are_not_codable(tmp_path: Path) -> None:
    book = read_qdpx(qdpx("qualcoder", tmp_path)).project.codebook
    assert not book.code("access").codable
    assert [c.id for c in book.codable()] == ["closures", "travel_time"]


def test_maxqda_variables_become_the_organisation_and_attributes(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    ws = store.workspace("W", create=True)
    import_qdpx(ws, qdpx("maxqda", tmp_path), actor="test")
    items = ws.items()
    assert {item.organisation for item in items} == {"Southtown Council"}
    assert all(item.attributes == {"Channel": "Phone"} for item in items)
    store.close()


def test_codebooks_from_nvivo_for_mac_and_taguette() -> None:
    mac = import_qdc(TOOLS / "nvivo-mac.qdc")
    assert mac.ids() == ["waiting", "queues_at_the_counter"]
    assert mac.code("waiting").color == "#00FF00"
    assert mac.code("waiting").definition == "Time spent waiting for a service"
    taguette = import_qdc(TOOLS / "taguette.qdc")
    assert [c.title for c in taguette.codes] == ["interesting", "people.staff", "people.residents"]
    assert taguette.sets == ()


@pytest.mark.parametrize("tool", sorted(EXPECTED))
def test_round_trip_through_upstream_keeps_everything(tool: str, tmp_path: Path) -> None:
    original = qdpx(tool, tmp_path)
    first = read_qdpx(original).project.codebook
    store = Store(tmp_path / "a.db")
    import_qdpx(store.workspace("A", create=True), original, actor="test")
    out = tmp_path / "out.qdpx"
    export_qdpx(store.workspace("A"), first.id, out)
    assert_valid_project(out)
    again = read_qdpx(out).project.codebook
    for code in first.codes:  # GUID, colour, isCodable, title and description unchanged
        twin = again.code(code.id)
        assert (twin.guid, twin.color, twin.codable, twin.title, twin.definition) == (
            code.guid,
            code.color,
            code.codable,
            code.title,
            code.definition,
        )
    assert again.sets == first.sets
    other = Store(tmp_path / "b.db")
    import_qdpx(other.workspace("B", create=True), out, actor="test")
    assert _coded(other, "B", first.id) == EXPECTED[tool]
    store.close()
    other.close()


def test_a_foreign_codebook_is_named_after_the_project(tmp_path: Path) -> None:
    assert read_qdpx(qdpx("atlasti", tmp_path)).project.codebook.id == "warm_spaces"
    assert read_qdpx(qdpx("qualcoder", tmp_path)).project.codebook.id == "health_access"


def test_hostile_files_are_refused(tmp_path: Path) -> None:
    from upstream.frameworks import CodebookError

    doctype = tmp_path / "x.qdc"
    doctype.write_text(
        '<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "aaaa">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="11111111-1111-1111-1111-111111111111" name="&a;" isCodable="true"/>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError, match="DOCTYPE"):
        import_qdc(doctype)
    not_zip = tmp_path / "x.qdpx"
    not_zip.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CodebookError, match=r"not a \.qdpx"):
        read_qdpx(not_zip)
