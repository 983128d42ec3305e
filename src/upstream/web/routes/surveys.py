"""Survey and self-assessment pages: culture over time, benchmarks and self-assessment."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
