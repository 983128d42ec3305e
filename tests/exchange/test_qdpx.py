"""Whole projects (.qdpx) out of a workspace and back in, valid against the Project schema."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.exchange.schemas import assert_valid_project

from upstream.coding.agreement import agreement_report
from upstream.exchange import Project, Selection, TextSource, User, read_qdpx, write_qdpx
from upstream.frameworks import Code, Codebook, CodeSet
from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.account_models import Scope
from upstream.store.coding_repository import CodingStore, MachineCoding
from upstream.store.exchange_repository import ExchangeStore, HumanCoding
from upstream.workflows.qdpx import MACHINE_USER, coder_judgements, export_qdpx, import_qdpx

BOOK = Codebook(
    "services",
    "Services",
    "",
    "1",
    (
        Code(
            "care",
            "Care",
            "",
            guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6",
            color="#AA0000",
            codable=False,
        ),
        Code("care.gp", "GP access", "Getting a GP appointment", parent="care"),
        Code("housing", "Housing", "Homes", guid="086AC733-7B1C-4749-A138-D7182F63A5C9"),
    ),
    sets=(CodeSet("5B1B4C1E-0D8C-4B8B-9C4E-6A4C1A2B3C4D", "Daily life", ("care.gp", "housing")),),
)
TEXTS = [
    "Café owner: le médecin généraliste était complet 😀 for three weeks.",
    "Our flat has damp 🏚️ and the landlord ignores us.",
    "Private note from Northtown staff.",
]


def _workspace(tmp_path: Path) -> tuple[Store, list[int]]:
    store = Store(tmp_path / "store.db")
    ws = store.workspace("Town", create=True)
    with ws.writer() as writer:
        source = writer.add_source("replies.csv")
        writer.insert_items(
            source,
            [
                ItemDraft(TEXTS[0], 2, organisation="Southtown", attributes={"ward": "East"}),
                ItemDraft(TEXTS[1], 3, organisation="Southtown"),
            ],
        )
        writer.insert_items(
            source, [ItemDraft(TEXTS[2], 4, organisation="Northtown")], shared=False
        )
    ids = [item.id for item in ws.items()]
    coding = CodingStore(ws)
    book_id = coding.save_codebook(BOOK)
    ExchangeStore(ws).add_human_codings(
        book_id,
        [
            HumanCoding(ids[0], "care.gp", "Ana"),
            HumanCoding(ids[1], "housing", "Ben"),
            HumanCoding(ids[2], "housing", "Ana"),
        ],
        actor="test",
    )
    run = coding.start_run("coding", parameters={"codebook": "services"}, versions={})
    coding.add_machine_codings(
        run,
        book_id,
        [
            MachineCoding(ids[0], "care.gp", 0.9, False, {}),
            MachineCoding(ids[1], "care.gp", 0.6, False, {}),
        ],
        coder="machine",
    )
    coding.finish_run(run, summary={})
    return store, ids


def test_export_is_schema_valid_with_sources_codings_users_and_variables(tmp_path: Path) -> None:
    store, _ = _workspace(tmp_path)
    ws = store.workspace("Town")
    out = tmp_path / "town.qdpx"
    done = export_qdpx(ws, "services", out, include_machine=True)
    assert (done.sources, done.codings, done.suggestions) == (3, 3, 2)
    assert_valid_project(out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert "project.qde" in names and sum(n.startswith("sources/") for n in names) == 3
        for name in names:
            if name.startswith("sources/"):
                data = archive.read(name)
                assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
        xml = archive.read("project.qde").decode("utf-8")
    assert 'name="Ana"' in xml and f'name="{MACHINE_USER}"' in xml
    assert 'guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6"' in xml and 'isCodable="false"' in xml
    assert "<Case guid=" in xml and "Southtown" in xml and "East" in xml
    project = read_qdpx(out).project
    cafe = next(s for s in project.sources if s.text == TEXTS[0])
    (selection,) = [s for s in cafe.selections if s.code_guid != ""][:1]
    assert (selection.start, selection.end) == (0, len(TEXTS[0]))  # code points, emoji is one
    store.close()


def test_export_shows_only_what_the_person_may_see(tmp_path: Path) -> None:
    store, _ = _workspace(tmp_path)
    ws = store.workspace("Town")
    out = tmp_path / "seen.qdpx"
    done = export_qdpx(ws, "services", out, scope=Scope(organisation_id=None))
    assert done.sources == 2
    with zipfile.ZipFile(out) as archive:
        assert "Northtown" not in archive.read("project.qde").decode("utf-8")
    store.close()


def test_round_trip_keeps_guids_colours_codable_sets_and_codings(
    tmp_path: Path, db_url: str
) -> None:
    store, _ = _workspace(tmp_path)
    out = tmp_path / "town.qdpx"
    export_qdpx(store.workspace("Town"), "services", out)
    other = Store(db_url)
    ws = other.workspace("Copy", create=True)
    done = import_qdpx(ws, out, actor="test")
    assert (done.items, done.new_items, done.codings) == (3, 3, 3)
    assert done.coders == ["Ana", "Ben"]
    exchange = ExchangeStore(ws)
    book_id = CodingStore(ws).codebook_id("services")
    assert book_id is not None
    assert exchange.codebook(book_id) == BOOK
    back = {(ws.item(h.item_id).text, h.code, h.coder) for h in exchange.human_codings(book_id)}
    assert back == {
        (TEXTS[0], "care.gp", "Ana"),
        (TEXTS[1], "housing", "Ben"),
        (TEXTS[2], "housing", "Ana"),
    }
    again = import_qdpx(ws, out, actor="test")  # importing twice adds nothing
    assert (again.new_items, again.codings) == (0, 0)
    # Out again: the same GUIDs for the same codes and sources.
    second = tmp_path / "second.qdpx"
    export_qdpx(ws, "services", second)
    first_codes = {c.guid for c in read_qdpx(out).project.codebook.codes}
    assert {c.guid for c in read_qdpx(second).project.codebook.codes} == first_codes
    store.close()
    other.close()


def test_spans_with_accents_and_emoji_become_coded_items(tmp_path: Path) -> None:
    text = "Élodie said: «the bus 🚌 never comes». Then 😀 we waited — 2 hours."
    start = text.index("the bus")
    end = text.index("»")
    later = text.index("we waited")
    user = User("11111111-2222-3333-4444-555555555555", "Nadia (NVivo)")
    source = TextSource(
        "22222222-2222-3333-4444-555555555555",
        "Interview 1",
        text,
        (
            Selection(
                "33333333-2222-3333-4444-555555555555",
                start,
                end,
                "086AC733-7B1C-4749-A138-D7182F63A5C9",
                user.guid,
            ),
            Selection(
                "44444444-2222-3333-4444-555555555555",
                later,
                len(text),
                "086AC733-7B1C-4749-A138-D7182F63A5C9",
                user.guid,
            ),
        ),
    )
    path = write_qdpx(Project("Interviews", BOOK, (user,), (source,)), tmp_path / "i.qdpx")
    assert_valid_project(path)
    store = Store(tmp_path / "s.db")
    ws = store.workspace("W", create=True)
    done = import_qdpx(ws, path, actor="test")
    assert done.codings == 2
    texts = sorted(item.text for item in ws.items())
    assert texts == sorted([text[start:end], text[later:]])
    assert texts[0].endswith("🚌 never comes") or texts[1].endswith("🚌 never comes")
    store.close()


def test_imported_codings_measure_agreement_with_the_machine(tmp_path: Path) -> None:
    store, ids = _workspace(tmp_path)
    rows = coder_judgements(store.workspace("Town"), "services")
    assert (ids[0], "Ana", "care.gp") in rows and (ids[1], "machine", "care.gp") in rows
    report = agreement_report(rows, machine_coder="machine")
    assert report.summary.n_items == 3
    store.close()


def test_command_line_export_import_and_judgements(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from upstream.cli import app

    store, _ = _workspace(tmp_path)
    store.close()
    runner = CliRunner()
    out = tmp_path / "cli.qdpx"
    db = str(tmp_path / "store.db")
    result = runner.invoke(app, ["qdpx", "export", str(out), "--codebook", "services", "--db", db])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "3 items, each a source in the project; 3 codings by people" in said
    other = str(tmp_path / "other.db")
    result = runner.invoke(app, ["qdpx", "import", str(out), "--db", other, "--workspace", "W"])
    assert result.exit_code == 0, result.output
    assert "3 new codings by Ana, Ben" in result.output
    csv_path = tmp_path / "j.csv"
    result = runner.invoke(
        app, ["qdpx", "judgements", str(csv_path), "--codebook", "services", "--db", db]
    )
    assert result.exit_code == 0, result.output
    assert csv_path.read_text(encoding="utf-8").splitlines()[0] == "item,coder,code"
    result = runner.invoke(
        app,
        [
            "agreement",
            str(csv_path),
            "--item-column",
            "item",
            "--coder-column",
            "coder",
            "--label-column",
            "code",
            "--machine-coder",
            "machine",
            "--min-items",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    missing = runner.invoke(app, ["qdpx", "export", str(out), "--codebook", "nope", "--db", db])
    assert missing.exit_code == 1 and "not in workspace" in missing.output


def test_offsets_for_nvivo_count_utf16_units_and_read_back(tmp_path: Path) -> None:
    text = "Zoë 😀 said: the bus 🚌 is late"
    start = text.index("the bus")
    user = User("11111111-2222-3333-4444-555555555555", "Coder")
    source = TextSource(
        "22222222-2222-3333-4444-555555555555",
        "S",
        text,
        (
            Selection(
                "33333333-2222-3333-4444-555555555555",
                start,
                len(text),
                "086AC733-7B1C-4749-A138-D7182F63A5C9",
                user.guid,
            ),
        ),
    )
    project = Project("P", BOOK, (user,), (source,), origin="")
    path = write_qdpx(project, tmp_path / "nvivo.qdpx", for_nvivo=True)
    assert_valid_project(path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("project.qde").decode("utf-8")
    assert f'startPosition="{start + 1}"' in xml  # the emoji before it counts twice
    assert f'endPosition="{len(text) + 2}"' in xml
    assert 'name="the bus 🚌 is late"' in xml
    standard = read_qdpx(write_qdpx(project, tmp_path / "std.qdpx")).project
    assert standard.sources[0].selections[0].start == start


def test_case_variables_reach_their_sources(tmp_path: Path) -> None:
    qde = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Cases" origin="QualCoder-3.6">
<CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-000000000001" name="A" isCodable="true"/>
</Codes></CodeBook>
<Variables><Variable guid="7a400000-0000-4000-8000-000000000001" name="Age band"
 typeOfVariable="Text"/></Variables>
<Cases><Case guid="ca5e0000-0000-4000-8000-000000000001" name="P1">
<VariableValue><VariableRef targetGUID="7a400000-0000-4000-8000-000000000001"/>
<TextValue>25-34</TextValue></VariableValue>
<SourceRef targetGUID="50e00000-0000-4000-8000-000000000001"/></Case></Cases>
<Sources><TextSource guid="50e00000-0000-4000-8000-000000000001" name="p1.txt">
<PlainTextContent>Hello there</PlainTextContent></TextSource></Sources>
</Project>"""
    path = tmp_path / "cases.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    (source,) = read_qdpx(path).project.sources
    assert source.variables == {"Age band": "25-34"}
    assert source.text == "Hello there"
