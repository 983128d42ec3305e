"""Read a codebook from YAML, keeping the line of every code and field.

The file is composed into YAML's node tree (not constructed into Python objects),
so every problem can point at the line it is on. Scalars are read as the text the
author wrote: ``version: 1.10`` stays ``"1.10"`` and ``title: Yes`` stays ``"Yes"``.

Two shapes are accepted and may be mixed: codes nested under their parent's
``children:`` list, and a flat list where each code names its ``parent:``.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from upstream.frameworks.model import (
    Codebook,
    CodebookError,
    CodeSet,
    InvalidCodebook,
    title_from_name,
)
from upstream.frameworks.validate import RawCode, build_codebook

__all__ = ["CODE_FIELDS", "TOP_FIELDS", "read_yaml"]

TOP_FIELDS = ("id", "title", "description", "version", "source", "threshold", "codes", "sets")
SET_FIELDS = ("guid", "name", "description", "codes")
CODE_FIELDS = (
    "id",
    "title",
    "definition",
    "description",
    "parent",
    "include",
    "exclude",
    "examples",
    "children",
    "guid",
    "color",
    "codable",
)
_FALSE = frozenset({"false", "no", "0"})
_TRUE = frozenset({"true", "yes", "1"})
_NULL_TAG = "tag:yaml.org,2002:null"
_MAX_DEPTH = 50
_KINDS = {MappingNode: "a mapping", SequenceNode: "a list", ScalarNode: "text"}


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _kind(node: Node) -> str:
    return _KINDS.get(type(node), "something else")


class _Reader:
    """Walks the node tree, collecting raw codes and problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[CodebookError] = []
        self.codes: list[RawCode] = []

    def problem(self, node: Node | int, message: str) -> None:
        line = node if isinstance(node, int) else _line(node)
        self.problems.append(CodebookError(self.path, line, message))

    def pairs(self, node: MappingNode, allowed: tuple[str, ...], owner: str) -> dict[str, Node]:
        """Return a mapping's fields by name, reporting odd, unknown or repeated keys."""
        fields: dict[str, Node] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.problem(key, f"{owner} has a key that is not plain text")
                continue
            name = str(key.value)
            if name not in allowed:
                expected = ", ".join(allowed)
                self.problem(key, f"{owner} has unknown field {name!r} (expected: {expected})")
            elif name in fields:
                self.problem(key, f"{owner} has field {name!r} twice")
            else:
                fields[name] = value
        return fields

    def text(self, node: Node | None, field: str, owner: str) -> str | None:
        """Return a scalar's text, ``None`` for a missing or null value."""
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self.problem(node, f"{owner}: field {field!r} should be text, not {_kind(node)}")
            return None
        if node.tag == _NULL_TAG:
            return None
        return str(node.value).strip()

    def fraction(self, node: Node | None, field: str, owner: str) -> float | None:
        """Return a number from 0 to 1, ``None`` for a missing value or a problem."""
        text = self.text(node, field, owner)
        if text is None or node is None:
            return None
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0.0 <= value <= 1.0:
            self.problem(
                node, f"{owner}: field {field!r} should be a number from 0 to 1, not {text!r}"
            )
            return None
        return value

    def examples(self, node: Node | None, owner: str) -> tuple[str, ...]:
        if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL_TAG):
            return ()
        if isinstance(node, ScalarNode):
            text = self.text(node, "examples", owner)
            return (text,) if text else ()
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{owner}: field 'examples' should be a list of text")
            return ()
        found: list[str] = []
        for item in node.value:
            text = self.text(item, "examples", owner)
            if text:
                found.append(text)
        return tuple(found)

    def code_list(self, node: Node, parent: str | None, field: str, depth: int = 0) -> None:
        if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
            return
        if depth > _MAX_DEPTH:
            # Also stops YAML aliases that make a code its own descendant.
            self.problem(node, f"codes are nested more than {_MAX_DEPTH} levels deep")
            return
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{field!r} should be a list of codes, not {_kind(node)}")
            return
        for item in node.value:
            self.code(item, parent, depth)

    def code(self, node: Node, nested_in: str | None, depth: int = 0) -> None:
        if not isinstance(node, MappingNode):
            self.problem(
                node, f"each code should be a mapping with id and title, not {_kind(node)}"
            )
            return
        fields = self.pairs(node, CODE_FIELDS, "code")
        code_id = self.text(fields.get("id"), "id", "code")
        owner = f"code {code_id!r}" if code_id else "code"
        if "definition" in fields and "description" in fields:
            self.problem(fields["description"], f"{owner} has both 'definition' and 'description'")
        definition = self.text(
            fields.get("definition", fields.get("description")), "definition", owner
        )
        parent_node = fields.get("parent")
        parent = self.text(parent_node, "parent", owner)
        if nested_in is not None:
            if parent is not None and parent != nested_in and parent_node is not None:
                self.problem(
                    parent_node,
                    f"{owner} is nested under {nested_in!r} but names {parent!r} as its parent",
                )
            parent = nested_in
        codable_text = (self.text(fields.get("codable"), "codable", owner) or "true").lower()
        if codable_text not in _TRUE | _FALSE:
            self.problem(fields["codable"], f"{owner}: 'codable' should be true or false")
        self.codes.append(
            RawCode(
                line=_line(node),
                id=code_id or None,
                title=self.text(fields.get("title"), "title", owner) or None,
                definition=definition or "",
                parent=parent or None,
                include=self.text(fields.get("include"), "include", owner) or "",
                exclude=self.text(fields.get("exclude"), "exclude", owner) or "",
                examples=self.examples(fields.get("examples"), owner),
                parent_line=_line(parent_node) if parent_node is not None else None,
                guid=self.text(fields.get("guid"), "guid", owner) or None,
                color=self.text(fields.get("color"), "color", owner) or None,
                codable=codable_text not in _FALSE,
            )
        )
        if "children" in fields:
            self.code_list(fields["children"], code_id or None, "children", depth + 1)

    def sets(self, node: Node | None) -> list[CodeSet]:
        if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL_TAG):
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"'sets' should be a list of code groups, not {_kind(node)}")
            return []
        found: list[CodeSet] = []
        known = {raw.id for raw in self.codes}
        for item in node.value:
            if not isinstance(item, MappingNode):
                self.problem(item, "each set should be a mapping with guid, name and codes")
                continue
            fields = self.pairs(item, SET_FIELDS, "set")
            name = self.text(fields.get("name"), "name", "set") or ""
            members = self.examples(fields.get("codes"), f"set {name!r}")
            for member in members:
                if member not in known:
                    self.problem(item, f"set {name!r} names code {member!r}, which is not defined")
            found.append(
                CodeSet(
                    guid=self.text(fields.get("guid"), "guid", "set") or "",
                    name=name,
                    codes=members,
                    description=self.text(fields.get("description"), "description", "set") or "",
                )
            )
        return found


def _compose(text: str, path: str) -> Node | None:
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = int(mark.line) + 1 if mark is not None else None
        reason = error.problem or error.context or "unreadable YAML"
        raise InvalidCodebook([CodebookError(path, line, f"YAML syntax error: {reason}")]) from None
    except yaml.YAMLError as error:
        raise InvalidCodebook([CodebookError(path, None, f"YAML syntax error: {error}")]) from None
    finally:
        loader.dispose()


def read_yaml(text: str, path: str, *, default_id: str | None = None) -> Codebook:
    """Parse and validate a codebook written in YAML.

    Args:
        text: The YAML document.
        path: File name to use in error messages.
        default_id: Codebook id to use when the file has no ``id`` (defaults to
            the file's stem).

    Returns:
        The validated codebook.

    Raises:
        InvalidCodebook: Listing every problem found, each with its line.
    """
    root = _compose(text, path)
    if root is None:
        raise InvalidCodebook([CodebookError(path, 1, "the file is empty")])
    if not isinstance(root, MappingNode):
        message = f"a codebook file should be a mapping with a 'codes' list, not {_kind(root)}"
        raise InvalidCodebook([CodebookError(path, _line(root), message)])
    reader = _Reader(path)
    fields = reader.pairs(root, TOP_FIELDS, "the codebook")
    meta = {
        name: reader.text(fields.get(name), name, "the codebook") or ""
        for name in ("id", "title", "description", "version", "source")
    }
    codes_node = fields.get("codes")
    if codes_node is not None:
        reader.code_list(codes_node, None, "codes")
    sets = reader.sets(fields.get("sets"))
    threshold = reader.fraction(fields.get("threshold"), "threshold", "the codebook")
    codebook_id = meta["id"] or default_id or Path(path).stem
    return build_codebook(
        path=path,
        id=codebook_id,
        title=meta["title"] or title_from_name(codebook_id),
        description=meta["description"],
        version=meta["version"],
        source=meta["source"],
        codes=reader.codes,
        problems=reader.problems,
        codes_line=_line(codes_node) if codes_node is not None else 1,
        sets=sets,
        threshold=threshold,
    )
