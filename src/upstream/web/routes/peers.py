"""Peer matching on an organisation's page, and the page for one barrier or code."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
