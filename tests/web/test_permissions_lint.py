"""Roles are compared in one place: every other module asks :class:`Actor` what it may do.

The source is parsed with :mod:`ast`, so a role string in a comment or a
sentence is fine; comparing one with ``==``, ``!=``, ``in`` or ``not in`` (or
listing several roles in a set or tuple) outside the modules that define roles
fails this test. Use ``actor.can(Can.X)`` or ``actor.may(Can.X, organisation=...)``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import upstream
from upstream.store.accounts import ROLES as STORED_ROLES

SOURCE = Path(upstream.__file__).parent
ROLES = frozenset(STORED_ROLES)
# The modules that define roles and what they grant.
ALLOWED = {
    "web/permissions.py",
    "store/models.py",
    "store/account_models.py",
    "store/accounts.py",
}


def _role_strings(node: ast.AST) -> list[str]:
    """Role names written as string literals in ``node`` (itself or a set/tuple/list of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if node.value in ROLES else []
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return [name for element in node.elts for name in _role_strings(element)]
    if isinstance(node, ast.Call) and node.args:  # frozenset({...}), set((...))
        return _role_strings(node.args[0])
    return []


def _mentions_role(node: ast.AST) -> bool:
    for part in ast.walk(node):
        name = part.attr if isinstance(part, ast.Attribute) else getattr(part, "id", "")
        if isinstance(name, str) and "role" in name.lower():
            return True
    return False


def violations(tree: ast.AST) -> list[tuple[int, str]]:
    """Lines that compare a role with a role string, or list several role strings."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            literals = [name for operand in operands for name in _role_strings(operand)]
            if literals and any(_mentions_role(operand) for operand in operands):
                found.append((node.lineno, f"compares a role with {literals}"))
        elif isinstance(node, ast.Set | ast.Tuple | ast.List) and len(_role_strings(node)) > 1:
            found.append((node.lineno, f"lists roles {_role_strings(node)}"))
    return found


def test_no_module_outside_permissions_compares_role_strings() -> None:
    problems = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative in ALLOWED or relative.startswith("store/migrations/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        problems += [f"{relative}:{line}: {what}" for line, what in violations(tree)]
    assert not problems, "Use actor.can(...) or actor.may(...) instead:\n" + "\n".join(problems)


def test_the_check_catches_the_usual_shapes() -> None:
    caught = violations(
        ast.parse(
            'a = actor.role == "owner"\n'
            'b = member.role != "viewer"\n'
            'c = actor.role in {"org_admin", "analyst"}\n'
            'ASSESSING = frozenset({"org_admin", "analyst"})\n'
            'd = "contributor" == role\n'
        )
    )
    assert sorted(line for line, _ in caught) == [1, 2, 3, 3, 4, 5]
    fine = 'x = who == "contributor"\ny = set_membership(ws, email, "owner")\nz = role in ROLES\n'
    assert violations(ast.parse(fine)) == []
