"""Every REFI-QDA codebook upstream writes is valid against the standard's schema."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.exchange.schemas import assert_valid_codebook, codebook_schema

from upstream.frameworks import Code, Codebook, CodeSet, builtin_names, load_codebook
from upstream.frameworks.refiqda import qdc_bytes


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_codebooks_export_schema_valid(name: str) -> None:
    assert_valid_codebook(qdc_bytes(load_codebook(name)))


def test_foreign_codes_sets_and_colours_export_schema_valid() -> None:
    book = Codebook(
        "tool",
        "Tool",
        "",
        "1",
        (
            Code("a", "A", "", guid="{A182CD3A-D83C-4D8C-BC80-26D9103EC6D6}", color="#f00"),
            Code(
                "b",
                "B",
                "as written",
                parent="a",
                guid="2d2466f0-d77f-4f8c-bdf9-628966b6b74d",
                codable=False,
            ),
            Code("c", "C with <markup> & “quotes” 😀", "Définition"),
        ),
        sets=(CodeSet("5B1B4C1E-0D8C-4B8B-9C4E-6A4C1A2B3C4D", "Group", ("a", "c")),),
    )
    assert_valid_codebook(qdc_bytes(book))
    assert_valid_codebook(qdc_bytes(replace(book, sets=())))


def test_the_schema_rejects_what_it_should() -> None:
    bad = qdc_bytes(load_codebook("dbe")).replace(b'isCodable="true"', b'isCodable="yes"', 1)
    assert not codebook_schema().is_valid(bad.decode("utf-8"))
