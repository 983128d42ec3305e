"""The Codebook model: hierarchy helpers and error values."""

from __future__ import annotations

import pickle

import pytest

from upstream.frameworks import Code, Codebook, CodebookError, InvalidCodebook, check_codebook


def _book() -> Codebook:
    codes = (
        Code("a", "A", "Top A."),
        Code("a.x", "AX", "Child of A.", parent="a"),
        Code("a.x.deep", "AXD", "Grandchild.", parent="a.x"),
        Code("a.y", "AY", "Second child.", parent="a"),
        Code("b", "B", "Top B."),
    )
    return Codebook("t", "Test", "A test codebook.", "1", codes)


def test_lookup_and_membership() -> None:
    book = _book()
    assert book.code("a.x").title == "AX"
    assert "a.y" in book and "zzz" not in book
    assert len(book) == 5
    assert [code.id for code in book] == book.ids()
    with pytest.raises(KeyError, match="zzz"):
        book.code("zzz")


def test_roots_children_leaves() -> None:
    book = _book()
    assert [c.id for c in book.roots()] == ["a", "b"]
    assert [c.id for c in book.children("a")] == ["a.x", "a.y"]
    assert [c.id for c in book.children(None)] == ["a", "b"]
    assert book.children("b") == ()
    assert [c.id for c in book.leaves()] == ["a.x.deep", "a.y", "b"]
    with pytest.raises(KeyError):
        book.children("nope")


def test_ancestors_depth_descendants_walk() -> None:
    book = _book()
    assert [c.id for c in book.ancestors("a.x.deep")] == ["a.x", "a"]
    assert book.ancestors("a") == ()
    assert [book.depth(i) for i in ("a", "a.x", "a.x.deep", "b")] == [0, 1, 2, 0]
    assert [c.id for c in book.descendants("a")] == ["a.x", "a.x.deep", "a.y"]
    assert [(d, c.id) for d, c in book.walk()] == [
        (0, "a"),
        (1, "a.x"),
        (2, "a.x.deep"),
        (1, "a.y"),
        (0, "b"),
    ]
    assert book.levels == 3


def test_walk_puts_children_under_parents_even_if_listed_first() -> None:
    codes = (Code("k", "Kid", "", parent="p"), Code("p", "Parent", ""))
    book = Codebook("o", "Order", "", "", codes)
    assert [c.id for _, c in book.walk()] == ["p", "k"]


def test_empty_codebook_levels() -> None:
    assert Codebook("e", "E", "", "", ()).levels == 0


def test_ancestors_detects_cycle_in_hand_built_codebook() -> None:
    codes = (Code("a", "A", "", parent="b"), Code("b", "B", "", parent="a"))
    book = Codebook("c", "C", "", "", codes)
    with pytest.raises(CodebookError, match="cycle"):
        book.ancestors("a")


def test_codebook_is_frozen_and_hashable() -> None:
    book = _book()
    with pytest.raises(AttributeError):
        book.id = "other"  # type: ignore[misc]
    assert hash(book) == hash(_book())
    assert book == _book()


def test_codebook_error_formats_file_and_line() -> None:
    error = CodebookError("nom.yaml", 42, "code 'x' has parent 'y', which is not defined")
    assert str(error) == "nom.yaml, line 42: code 'x' has parent 'y', which is not defined"
    assert error.path == "nom.yaml" and error.line == 42
    assert str(CodebookError("x.csv", None, "file not found")) == "x.csv: file not found"
    assert error.problems == [error]
    assert isinstance(error, ValueError)


def test_invalid_codebook_carries_all_problems() -> None:
    first = CodebookError("f.yaml", 3, "one")
    second = CodebookError("f.yaml", 9, "two")
    error = InvalidCodebook([first, second])
    assert isinstance(error, CodebookError)
    assert error.problems == [first, second]
    assert error.line == 3
    assert str(error) == "f.yaml, line 3: one\nf.yaml, line 9: two"
    copy = pickle.loads(pickle.dumps(error))
    assert [str(p) for p in copy.problems] == [str(first), str(second)]
    with pytest.raises(ValueError):
        InvalidCodebook([])


def test_check_codebook_finds_structural_and_type_problems() -> None:
    codes = (
        Code("a", "A", ""),
        Code("a", "Again", ""),
        Code("b", "", "", parent="missing"),
        Code("c", "C", "", examples=["not", "a", "tuple"]),  # type: ignore[arg-type]
    )
    problems = check_codebook(Codebook("bad", "Bad", "", "", codes))
    messages = [p.message for p in problems]
    assert any("duplicate code id 'a'" in m for m in messages)
    assert any("code 'b' has no title" in m for m in messages)
    assert any("parent 'missing'" in m for m in messages)
    assert any("examples should be text" in m for m in messages)
    assert all(p.path == "bad" and p.line is None for p in problems)


def test_check_codebook_accepts_valid_book() -> None:
    assert check_codebook(_book()) == []
