"""Searching a workspace's evidence by meaning, within what a person may see.

Typical use::

    from upstream.search import SemanticSearch

    search = SemanticSearch(evidence, "hashing")
    search.build(progress=print)            # embed what is not yet indexed
    page = search.search("waiting lists are too long", limit=20)
"""

from upstream.search.semantic import (
    IndexStatus,
    MeaningPage,
    SemanticSearch,
    search_embedder,
)

__all__ = ["IndexStatus", "MeaningPage", "SemanticSearch", "search_embedder"]
