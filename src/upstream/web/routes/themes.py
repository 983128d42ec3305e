"""The themes view: discovered themes with sizes, quotes and stance, and people's edits to them."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
