"""Roundtables: an event page with an agenda, a response form and the responses' live themes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
