"""A new file of the same shape starts from the choices made for the earlier one."""

from __future__ import annotations

from pathlib import Path

from upstream.store import Store
from upstream.workflows.import_reading import earlier_reading
from upstream.workflows.ingest import ImportOptions, import_file

MAY = (
    "reply_id,date,respondent,ward,likes,text\n"
    "R-1,2025-05-02,jo.marsh,Wrenfield,4,The pothole outside the shops is still there\n"
    "R-2,2025-05-03,sam.k,Old Town,1,Please keep the library open on Saturdays\n"
)


def _import_may(store: Store, tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "may.csv"
    path.write_text(MAY, encoding="utf-8")
    import_file(
        store,
        path,
        ImportOptions(
            workspace="w",
            organisation="Northmoor Council",
            text_column="text",
            id_column="reply_id",
            date_column="date",
            respondent_column="respondent",
            engagement_columns=["likes"],
            attribute_columns=["ward"],
            kind="consultation replies",
            question="What would make your street better?",
            shared=True,
        ),
    )


def test_a_file_with_the_same_columns_is_read_like_the_earlier_one(
    db_url: str, tmp_path: Path
) -> None:
    with Store(db_url) as store:
        _import_may(store, tmp_path, db_url)
        sources = store.workspace("w").sources()
        june = ["reply_id", "date", "respondent", "ward", "likes", "text"]
        found = earlier_reading(sources, june)
        assert found is not None and found.same_columns
        assert found.source.name == "may.csv"
        assert found.mapping["text_column"] == "text"
        assert found.mapping["respondent_column"] == "respondent"
        assert found.mapping["engagement_columns"] == ["likes"]
        assert found.mapping["attribute_columns"] == ["ward"]
        assert found.mapping["kind"] == "consultation replies"
        assert found.mapping["shared"] is True
        assert found.mapping["question"] == "What would make your street better?"
        assert found.mapping["organisation"] == "Northmoor Council"

        # An extra column still matches, as a weaker match.
        wider = earlier_reading(sources, [*june, "reposts"])
        assert wider is not None and not wider.same_columns
        # A file missing a column the earlier reading used does not.
        assert earlier_reading(sources, ["reply_id", "date", "text"]) is None
        # Nor does a file that shares only a text column with it.
        assert earlier_reading(sources, ["text"]) is None
