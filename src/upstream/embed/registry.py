"""Embedders by name: ``get_embedder("use")``.

The names are what users type on the command line and what runs record as
provenance. ``"default"`` is chosen by measurement; see
``docs/adr/0002-default-embedder.md`` for the figures behind it.
"""

from __future__ import annotations

from collections.abc import Callable

from upstream.embed.base import Embedder
from upstream.embed.lexical import HashingEmbedder, TfidfEmbedder
from upstream.embed.neural import MiniLMEmbedder, USEEmbedder

__all__ = [
    "DEFAULT_EMBEDDER",
    "DEFAULT_THEME_EMBEDDER",
    "embedder_for",
    "embedder_names",
    "get_embedder",
]

DEFAULT_EMBEDDER = "minilm"
"""The embedder behind ``"default"`` for coding, search and patterns (ADR 0002, amended by 0007)."""

DEFAULT_THEME_EMBEDDER = "minilm"
"""The embedder behind ``"default"`` when finding themes (see ADR 0007)."""

# Recorded model ids start with these; the id is what a run stores.
_MODEL_ID_PREFIXES = {"use-multilingual": "use", "all-minilm": "minilm"}

_FACTORIES: dict[str, Callable[[], Embedder]] = {
    "tfidf": TfidfEmbedder,
    "hashing": HashingEmbedder,
    "use": USEEmbedder,
    "minilm": MiniLMEmbedder,
}


def embedder_names() -> list[str]:
    """Return the names :func:`get_embedder` accepts, ``"default"`` first.

    Returns:
        The embedder names.
    """
    return ["default", *_FACTORIES]


def embedder_for(model_id: str) -> str:
    """The embedder name behind a recorded model id (``hashing-512-0`` is ``hashing``)."""
    lowered = model_id.lower()
    for prefix, name in _MODEL_ID_PREFIXES.items():
        if lowered.startswith(prefix):
            return name
    for name in embedder_names()[1:]:
        if lowered.startswith(name):
            return name
    return "default"


def get_embedder(name: str = "default", *, themes: bool = False) -> Embedder:
    """Return a new embedder by name.

    Neural embedders load their weights lazily, on first use, so asking for one
    is cheap; a missing optional package is reported then, with the pip command.
    ``"tfidf"`` returns an *unfitted* :class:`~upstream.embed.lexical.TfidfEmbedder`:
    call its ``fit`` on the corpus first (the coder does this itself).

    Args:
        name: One of :func:`embedder_names` (case-insensitive).
        themes: Resolve ``"default"`` to the model chosen for finding themes
            (sentence similarity between short replies) rather than for coding.

    Returns:
        The embedder.

    Raises:
        ValueError: If the name is unknown; the message lists the known names.
    """
    key = name.strip().lower()
    if key == "default":
        key = DEFAULT_THEME_EMBEDDER if themes else DEFAULT_EMBEDDER
    try:
        factory = _FACTORIES[key]
    except KeyError:
        known = ", ".join(embedder_names())
        raise ValueError(f"unknown embedder {name!r}; choose one of: {known}") from None
    return factory()
