"""Who wrote an item, for counting people rather than items."""

from __future__ import annotations

from upstream.records.drafts import ItemDraft
from upstream.signals.people import respondent_of


def said_by(**attributes: str) -> ItemDraft:
    return ItemDraft(text="More buses please", line=2, attributes=attributes)


def test_a_column_kept_as_the_file_named_it_still_says_who_wrote_the_item() -> None:
    assert respondent_of(said_by(respondent="r-1")) == "r-1"  # type: ignore[arg-type]
    assert respondent_of(said_by(**{"Respondent ID": "r-2"})) == "r-2"  # type: ignore[arg-type]
    assert respondent_of(said_by(Author="Sam")) == "Sam"  # type: ignore[arg-type]
    # The attribute the importer writes comes first; an unrelated column is not a person.
    both = said_by(Author="Sam", respondent="r-3", Ward="North")
    assert respondent_of(both) == "r-3"  # type: ignore[arg-type]
    assert respondent_of(said_by(Ward="North", author="")) is None  # type: ignore[arg-type]
