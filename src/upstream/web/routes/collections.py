"""Story collections: the owner's set-up pages and the public, self-signified story form."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
