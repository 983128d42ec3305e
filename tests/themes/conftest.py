"""Fixtures for the theme tests: the demo's consultation replies and their vectors."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from upstream.demo import data_dir
from upstream.embed import get_embedder


@pytest.fixture(scope="session")
def replies() -> list[dict[str, str]]:
    """The demo's replies to a council's public question (fictional)."""
    path = Path(data_dir()) / "consultation_replies.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def reply_texts(replies: list[dict[str, str]]) -> list[str]:
    return [row["text"] for row in replies]


@pytest.fixture(scope="session")
def reply_vectors(reply_texts: list[str]) -> npt.NDArray[np.float32]:
    """The replies embedded once with the default embedder, shared by every test."""
    return get_embedder("default").embed(reply_texts)
