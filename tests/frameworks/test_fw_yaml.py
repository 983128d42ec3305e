"""Loading YAML codebooks, and pointing at the right line when they are broken."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from upstream.frameworks import CodebookError, InvalidCodebook, load_codebook, validate_file


def _write(tmp_path: Path, text: str, name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(InvalidCodebook) as caught:
        load_codebook(path)
    for problem in caught.value.problems:
        assert problem.path == str(path)
    return [(p.line, p.message) for p in caught.value.problems]


def test_nested_and_flat_shapes_load_the_same(tmp_path: Path) -> None:
    nested = _write(
        tmp_path,
        """
        id: demo
        title: Demo
        version: 2.10
        codes:
          - id: a
            title: A
            definition: >
              Folded
              text.
            examples: [one, two, three]
            children:
              - id: a.b
                title: B
        """,
        "nested.yaml",
    )
    flat = _write(
        tmp_path,
        """
        id: demo
        title: Demo
        version: "2.10"
        codes:
          - {id: a, title: A, definition: Folded text., examples: [one, two, three]}
          - id: a.b
            title: B
            parent: a
        """,
        "flat.yml",
    )
    one, two = load_codebook(nested), load_codebook(flat)
    assert one.version == "2.10"  # YAML numbers stay as the author wrote them
    assert one.codes == two.codes
    assert one.code("a").definition == "Folded text."
    assert one.code("a.b").parent == "a"


def test_defaults_for_missing_codebook_metadata(tmp_path: Path) -> None:
    path = _write(tmp_path, "codes:\n  - id: x\n    title: X\n", "themes.yaml")
    book = load_codebook(path)
    assert (book.id, book.title, book.version) == ("themes", "Themes", "")


def test_scalars_are_kept_as_written(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        codes:
          - id: 101
            title: Yes
            examples: one example only
        """,
    )
    code = load_codebook(path).codes[0]
    assert (code.id, code.title, code.examples) == ("101", "Yes", ("one example only",))


def test_duplicate_id_points_at_second_definition(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        id: dup
        codes:
          - id: a
            title: A
          - id: b
            title: B
          - id: a
            title: A again
        """,
    )
    assert _problems(path) == [(7, "duplicate code id 'a' (first defined on line 3)")]


def test_unknown_parent_points_at_parent_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        codes:
          - id: x
            title: X
          - id: y
            title: Y
            parent: nowhere
        """,
    )
    assert _problems(path) == [(6, "code 'y' has parent 'nowhere', which is not defined")]
    assert str(validate_file(path)[1][0]).endswith(
        "book.yaml, line 6: code 'y' has parent 'nowhere', which is not defined"
    )


def test_parent_cycle_is_reported_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        codes:
          - id: root
            title: Root
          - id: a
            title: A
            parent: c
          - id: b
            title: B
            parent: a
          - id: c
            title: C
            parent: b
          - id: self
            title: Self
            parent: self
        """,
    )
    assert _problems(path) == [
        (6, "codes form a parent cycle: 'a' → 'c' → 'b' → 'a'"),
        (15, "code 'self' is its own parent"),
    ]


def test_missing_title_and_missing_id(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        codes:
          - id: a
            definition: no title here
          - title: No id
        """,
    )
    assert _problems(path) == [(2, "code 'a' has no title"), (4, "a code has no id")]


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        id: broken
        codes:
          - id: a
            title: "unclosed
          - id: b
        """,
    )
    [(line, message)] = _problems(path)
    assert message.startswith("YAML syntax error")
    assert line is not None and line >= 4

    path = _write(tmp_path, "codes:\n  - id: a\n   title: bad indent\n", "indent.yaml")
    [(line, message)] = _problems(path)
    assert message.startswith("YAML syntax error") and line == 3


def test_wrong_types_and_unknown_fields(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        id: types
        colour: blue
        codes:
          - id: a
            title: [not, text]
            exmples: [typo]
            examples: {a: 1}
          - just a string
          - id: b
            title: B
            children: nope
        """,
    )
    problems = _problems(path)
    assert problems[0] == (
        2,
        "the codebook has unknown field 'colour' (expected: "
        "id, title, description, version, source, threshold, codes, sets)",
    )
    lines = {line: message for line, message in problems}
    assert "field 'title' should be text, not a list" in lines[5]
    assert "unknown field 'exmples'" in lines[6]
    assert "field 'examples' should be a list of text" in lines[7]
    assert "each code should be a mapping" in lines[8]
    assert "'children' should be a list of codes" in lines[11]
    # the code whose title had the wrong type is also reported as untitled
    assert (4, "code 'a' has no title") in problems


def test_repeated_key_and_conflicting_parent(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        codes:
          - id: a
            title: A
            title: A again
            children:
              - id: b
                title: B
                parent: elsewhere
        """,
    )
    assert _problems(path) == [
        (4, "code has field 'title' twice"),
        (8, "code 'b' is nested under 'a' but names 'elsewhere' as its parent"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (1, "the file is empty")),
        ("- a\n- b\n", (1, "a codebook file should be a mapping with a 'codes' list, not a list")),
        ("id: nothing\n", (1, "the codebook has no codes")),
        ("id: x\ncodes: []\n", (2, "the codebook has no codes")),
        ("a: 1\n---\nb: 2\n", None),
    ],
)
def test_empty_or_wrong_shape(tmp_path: Path, text: str, expected: tuple[int, str] | None) -> None:
    path = _write(tmp_path, text)
    problems = _problems(path)
    if expected is not None:
        assert problems == [expected]
    else:
        assert problems[0][1].startswith("YAML syntax error")


def test_all_problems_are_reported_together_in_line_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        codes:
          - id: a
            title: A
            parent: ghost
          - id: a
          - id: c
            title: C
        """,
    )
    assert [line for line, _ in _problems(path)] == [4, 5, 5]


def test_unknown_name_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="no built-in codebook or file called 'nope'"):
        load_codebook("nope")
    with pytest.raises(CodebookError, match="file not found"):
        load_codebook(tmp_path / "missing.yaml")
    with pytest.raises(CodebookError, match="unsupported codebook file type"):
        load_codebook(_write(tmp_path, "x", "book.txt"))


def test_non_utf8_yaml(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"codes:\n  - id: a\n    title: caf\xe9\n")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert caught.value.line == 3


def test_recursive_alias_does_not_hang(tmp_path: Path) -> None:
    path = _write(tmp_path, "codes:\n  - &loop\n    id: a\n    title: A\n    children: [*loop]\n")
    problems = _problems(path)
    assert any("nested more than 50 levels" in message for _, message in problems)


def test_a_codebook_may_state_the_confidence_its_codes_need(tmp_path: Path) -> None:
    book = "id: t\nthreshold: {}\ncodes:\n  - id: a\n    title: A\n"
    assert load_codebook(_write(tmp_path, book.format("0.25"))).threshold == 0.25
    assert (
        load_codebook(_write(tmp_path, "id: t\ncodes:\n  - id: a\n    title: A\n")).threshold
        is None
    )
    for wrong in ("1.5", "high"):
        assert _problems(_write(tmp_path, book.format(wrong))) == [
            (2, f"the codebook: field 'threshold' should be a number from 0 to 1, not '{wrong}'")
        ]
