"""The library of learning products: guides, tools and case studies tagged to codes and themes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
