"""Workgroups formed around shared themes and barriers, with notes, actions and evidence links."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
