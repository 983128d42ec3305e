"""Two people's identical answers are two items; the same row read twice is one."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from upstream.records.drafts import item_hash
from upstream.store import Store
from upstream.store.engine import alembic_config, make_engine
from upstream.workflows.ingest import ImportOptions, import_file

SURVEY = (
    "respondent,answer\n"
    "114820391,No\n"
    "114820392,No\n"
    "114820393,Thanks for asking\n"
    "114820393,Thanks for asking\n"
)


def _import(db: str, path: Path) -> int:
    with Store(db) as store:
        options = ImportOptions(workspace="W", text_column="answer", respondent_column="respondent")
        return import_file(store, path, options).imported


def test_the_same_answer_from_two_people_is_kept_twice(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    # The last row repeats the one above it, by the same person: one answer.
    assert _import(db_url, path) == 3
    assert _import(db_url, path) == 0
    with Store(db_url) as store:
        texts = sorted(item.text for item in store.workspace("W").items())
    assert texts == ["No", "No", "Thanks for asking"]


def test_items_stored_before_keep_their_file_from_importing_twice(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("respondent,answer\n114820391,No\n114820392,Yes please\n", encoding="utf-8")
    _import(db_url, path)
    engine = make_engine(db_url)
    # As an older version stored them: the hash of text, organisation, reference and date.
    with engine.begin() as connection:
        for item_id, body in connection.execute(text("SELECT id, text FROM item")).all():
            connection.execute(
                text("UPDATE item SET content_hash = :h WHERE id = :i"),
                {"h": item_hash(body, None, None, None), "i": item_id},
            )
    config = alembic_config(engine)
    command.downgrade(config, "0022")
    command.upgrade(config, "head")
    with engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT text, content_hash FROM item")).all())
    engine.dispose()
    assert stored == {
        "No": item_hash("No", None, None, None, "114820391"),
        "Yes please": item_hash("Yes please", None, None, None, "114820392"),
    }
    assert _import(db_url, path) == 0
