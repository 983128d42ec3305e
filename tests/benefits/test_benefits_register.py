"""The benefits register in a real store: links, organisation scoping and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from upstream.cli.benefits import app as benefits_app
from upstream.records.measures import BenefitDraft, SeriesKey
from upstream.store import Store
from upstream.store.account_models import Scope
from upstream.store.measure_repository import MeasureStore
from upstream.workflows.benefits.register import (
    RegisterError,
    add_benefit,
    benefit_view,
    link_item,
    link_theme,
    register,
    value_summary,
)
from upstream.workflows.ingest import ImportOptions, import_file


def _evidence(store: Store, tmp_path: Path, org: str, text: str, *, shared: bool) -> int:
    path = tmp_path / f"{org}-{shared}.csv"
    path.write_text(f"text\n{text}\n", encoding="utf-8")
    import_file(store, path, ImportOptions(workspace="w", organisation=org, shared=shared))
    items = store.workspace("w").items()
    return next(i.id for i in items if i.text == text)


def _orgs(store: Store) -> dict[str, int]:
    return MeasureStore(store.workspace("w")).organisation_ids()


def test_private_items_of_one_organisation_never_reach_anothers_benefit(
    db_url: str, tmp_path: Path
) -> None:
    with Store(db_url) as store:
        north_private = _evidence(
            store, tmp_path, "North", "North kept this to itself", shared=False
        )
        south_private = _evidence(store, tmp_path, "South", "South private words", shared=False)
        shared = _evidence(store, tmp_path, "South", "Shared with everyone", shared=True)
        benefit = add_benefit(
            store,
            "w",
            BenefitDraft("North", "Fewer phone calls", "cashable", owner="Head of contact"),
            actor="me",
        )
        link_item(store, "w", benefit, north_private, actor="me")
        link_item(store, "w", benefit, shared, actor="me")
        with pytest.raises(RegisterError, match="private to another organisation"):
            link_item(store, "w", benefit, south_private, actor="me")
        # Linking twice keeps one link.
        link_item(store, "w", benefit, shared, actor="me")
        orgs = _orgs(store)
        as_owner = benefit_view(store, "w", benefit)
        as_south = benefit_view(store, "w", benefit, scope=Scope(organisation_id=orgs["South"]))
        as_north = register(store, "w", scope=Scope(organisation_id=orgs["North"]))[0]
    assert [item.id for item, _ in as_owner.items] == [north_private, shared]
    assert [item.id for item, _ in as_south.items] == [shared]
    assert as_south.hidden_links == 1
    assert [item.id for item, _ in as_north.items] == [north_private, shared]


def test_an_item_the_linker_cannot_see_cannot_be_linked(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        private = _evidence(store, tmp_path, "North", "Private note", shared=False)
        _evidence(store, tmp_path, "South", "Other", shared=True)
        benefit = add_benefit(store, "w", BenefitDraft("North", "Savings", "cashable"), actor="me")
        south = Scope(organisation_id=_orgs(store)["South"])
        with pytest.raises(RegisterError, match="no item"):
            link_item(store, "w", benefit, private, actor="me", scope=south)


def test_bad_benefits_are_refused_in_plain_english(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(RegisterError, match="Category 'money' is not known"):
            add_benefit(store, "w", BenefitDraft("North", "Savings", "money"), actor="me")
        with pytest.raises(RegisterError, match="Enter what the benefit is"):
            add_benefit(store, "w", BenefitDraft("North", " ", "social"), actor="me")
        with pytest.raises(RegisterError, match="number of pounds a year"):
            draft = BenefitDraft("North", "Savings", "cashable", value=float("inf"))
            add_benefit(store, "w", draft, actor="me")


def test_the_register_says_what_its_benefits_are_worth_keeping_cash_apart(
    tmp_path: Path,
) -> None:
    with Store(tmp_path / "s.db") as store:
        for title, category, value in (
            ("Fewer calls", "cashable", 16500.4),
            ("Staff time freed", "non-cashable", 20000.0),
            ("Warmer homes", "social", 9500.0),
            ("Happier residents", "social", None),
        ):
            draft = BenefitDraft("North", title, category, value=value)
            add_benefit(store, "w", draft, actor="me")
        drafts = [view.record.draft for view in register(store, "w")]
    assert {d.title: d.value for d in drafts}["Fewer calls"] == 16500.4
    assert value_summary(drafts) == (
        "Valued at £46,000 a year: £16,500 cashable and £29,500 non-cashable or social "
        "(3 of 4 benefits have a value)."
    )
    assert value_summary([d for d in drafts if d.category == "social"]) == (
        "Valued at £9,500 a year: £9,500 non-cashable or social (1 of 2 benefits have a value)."
    )
    assert value_summary([d for d in drafts if d.value is None]) == ""


def _invoke(*args: str) -> tuple[int, str]:
    root = typer.Typer()
    root.add_typer(benefits_app, name="benefits")
    result = CliRunner().invoke(root, ["benefits", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_cli_imports_measures_and_keeps_a_register(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    measures = tmp_path / "m.csv"
    measures.write_text(
        "organisation,service,measure,period,value,channel,kind\n"
        "North,Council tax,contacts,2024-01,1200,phone,baseline\n"
        "North,Council tax,contacts,2024-04,1000,phone,actual\n"
        "North,Council tax,contacts,2024-05,many,phone,actual\n",
        encoding="utf-8",
    )
    code, output = _invoke("measures", "import", str(measures), "--db", db, "--workspace", "w")
    assert code == 0, output
    assert "2 values added" in output and "1 rejected" in output
    code, output = _invoke("measures", "list", "--db", db, "--workspace", "w")
    assert code == 0 and "contacts by phone" in output and "1,000" in output
    code, output = _invoke(
        "register", "add", "Fewer calls", "--organisation", "North", "--category", "cashable",
        "--measure", "contacts", "--service", "Council tax", "--channel", "phone",
        "--baseline", "1200", "--target", "600", "--due", "2025-03-31", "--value", "19296",
        "--db", db, "--workspace", "w",
    )  # fmt: skip
    assert code == 0 and "Added benefit 1" in output
    with Store(db) as store:
        item = _evidence(store, tmp_path, "North", "The online form was easy", shared=True)
        view = register(store, "w")[0]
    assert view.latest_actual is not None and view.latest_actual.value == 1000
    assert view.record.draft.series == SeriesKey("North", "Council tax", "contacts", "phone")
    code, output = _invoke(
        "register", "link", "1", "--item", str(item), "--db", db, "--workspace", "w"
    )
    assert code == 0 and "Linked 1 items" in output
    code, output = _invoke("register", "list", "--db", db, "--workspace", "w")
    assert code == 0 and "Fewer calls" in output and "1 item, 0 themes" in output
    # As on the web page: the latest figure, and what the figures say beside the owner's status.
    said = " ".join(output.split())
    assert "1,000" in said and "2025-03-31" in said and "£19,296" in said
    assert "Valued at £19,296 a year: £19,296 cashable (every benefit has a value)." in said
    assert (
        "1: Figures: missed: due 31 Mar 2025, 33% of the way there (1,000 in April 2024)." in said
    )
    code, output = _invoke(
        "register", "link", "1", "--item", "9999", "--db", db, "--workspace", "w"
    )
    assert code == 1 and "no item 9999" in output
    # Where it stands now: only what is given changes.
    code, output = _invoke(
        "register", "update", "1", "--status", "at risk", "--value", "21000",
        "--db", db, "--workspace", "w",
    )  # fmt: skip
    assert code == 0 and "Updated benefit 1: status, value." in output
    with Store(db) as store:
        draft = register(store, "w")[0].record.draft
    assert (draft.status, draft.value, draft.target) == ("at risk", 21000, 600)
    code, output = _invoke(
        "register", "update", "1", "--status", "gone", "--db", db, "--workspace", "w"
    )
    assert code == 1 and "Status 'gone' is not known" in output
    code, output = _invoke("register", "update", "1", "--db", db, "--workspace", "w")
    assert code == 1 and "Give at least one change" in output
    code, output = _invoke(
        "register", "update", "1", "--due", "soon", "--db", db, "--workspace", "w"
    )
    assert code == 1 and "--due 'soon' is not a date; expected YYYY-MM-DD." in output
    code, output = _invoke("register", "remove", "1", "--db", db, "--workspace", "w")
    assert code == 1 and "Add --yes" in output
    code, output = _invoke("register", "remove", "1", "--yes", "--db", db, "--workspace", "w")
    assert code == 0 and "Removed benefit 1: Fewer calls" in output
    code, output = _invoke("register", "list", "--db", db, "--workspace", "w")
    assert "The register is empty" in output


def test_a_theme_of_items_the_reader_cannot_see_is_linked_without_its_words(
    tmp_path: Path,
) -> None:
    from upstream.records.themes import Theme
    from upstream.store.theme_repository import ThemeStore

    with Store(tmp_path / "s.db") as store:
        private = _evidence(store, tmp_path, "South", "Morale is low after the cuts", shared=False)
        _evidence(store, tmp_path, "North", "Shared note", shared=True)
        theme = Theme(
            id=0,
            label="Morale after cuts",
            keywords=("morale",),
            size=1,
            respondents=1,
            organisations=("South",),
            engagement_size=None,
            quotes=(),
            members=(0,),
        )
        space = store.workspace("w")
        run_id = ThemeStore(space).save_run(
            [theme], [private], parameters={}, versions={}, seed=0, summary={}, actor="me"
        )
        theme_id = ThemeStore(space).themes(run_id)[0].id
        benefit = add_benefit(store, "w", BenefitDraft("South", "Retention", "social"), actor="me")
        link_theme(store, "w", benefit, theme_id, actor="me", note="Why staff leave")
        with pytest.raises(RegisterError, match="no theme 999"):
            link_theme(store, "w", benefit, 999, actor="me")
        north = Scope(organisation_id=_orgs(store)["North"])
        south = Scope(organisation_id=_orgs(store)["South"])
        as_north = benefit_view(store, "w", benefit, scope=north).themes
        as_south = benefit_view(store, "w", benefit, scope=south).themes
    assert [(t.id, t.label, t.note) for t in as_south] == [
        (theme_id, "Morale after cuts", "Why staff leave")
    ]
    assert [t.label for t in as_north] == ["A theme of items you cannot see"]
