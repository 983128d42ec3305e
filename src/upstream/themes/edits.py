"""People's edits to themes (rename, merge, split) that survive a re-run on new data.

An edit does not point at a theme number - numbers change whenever the data
do - but at a *fingerprint* of the theme as the person saw it: its centre in
the embedding space and the keys of its members (store item ids, or text
hashes outside a store). On a re-run each fingerprint is matched to the new
theme that holds most of its old members, or failing that whose centre is
closest; an edit whose theme has gone is reported as unmatched, never applied
to the wrong theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from upstream.records.themes import ThemeRef

__all__ = ["MatchRule", "match_theme"]


@dataclass(frozen=True)
class MatchRule:
    """When a fingerprint counts as the same theme.

    Attributes:
        min_overlap: Share of the old members found in the new theme.
        min_share: Share of the new theme made of old members (so a small
            edited theme swallowed by a big new one does not pass for it).
        min_similarity: Cosine between old and new centres (same embedder only).
    """

    min_overlap: float = 0.5
    min_share: float = 0.3
    min_similarity: float = 0.85


def match_theme(
    ref: ThemeRef,
    centroids: npt.NDArray[np.float32],
    members: Sequence[frozenset[str]],
    *,
    same_space: bool,
    rule: MatchRule = MatchRule(),
) -> int | None:
    """Return the current theme that an edited theme has become, if any.

    Args:
        ref: The fingerprint stored with the edit.
        centroids: ``(k, d)`` unit centres of the current themes, in the
            embedder's space.
        members: Member keys of each current theme.
        same_space: Whether ``ref.centroid`` comes from the same embedder.
        rule: Thresholds for a match.

    Returns:
        The index of the best matching theme, or ``None`` when none is close enough.
    """
    if not members:
        return None
    old = set(ref.members)
    common = np.array([len(old & m) for m in members], dtype=float)
    overlap = common / max(len(old), 1)
    share = common / np.maximum([len(m) for m in members], 1)
    similarity: npt.NDArray[np.floating[Any]] = np.zeros(len(members))
    if same_space and ref.centroid and centroids.shape[1] == len(ref.centroid):
        similarity = centroids @ np.asarray(ref.centroid, dtype=np.float32)
    by_members = (overlap >= rule.min_overlap) & (share >= rule.min_share)
    passing = by_members | (similarity >= rule.min_similarity)
    if not passing.any():
        return None
    # Member overlap is the stronger evidence; similarity breaks ties and covers new data.
    score = np.where(passing, overlap + similarity, -np.inf)
    return int(np.argmax(score))
