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
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = ["MatchRule", "ThemeEdit", "ThemeRef", "match_theme"]

Action = Literal["rename", "merge", "split"]


@dataclass(frozen=True)
class ThemeRef:
    """The fingerprint of a theme as it was when someone edited it.

    Attributes:
        label: Its label at the time (for messages).
        centroid: Its unit centre in the embedder's space.
        members: Keys of its members.
    """

    label: str
    centroid: tuple[float, ...]
    members: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary."""
        return {
            "label": self.label,
            "centroid": [round(x, 6) for x in self.centroid],
            "members": list(self.members),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ThemeRef:
        """Rebuild from :meth:`to_json` output."""
        return cls(
            str(data.get("label", "")),
            tuple(float(x) for x in data.get("centroid", [])),
            tuple(str(x) for x in data.get("members", [])),
        )


@dataclass(frozen=True)
class ThemeEdit:
    """One edit a person made.

    Attributes:
        action: ``rename`` (one target, new ``label``), ``merge`` (two or more
            targets become one, optionally relabelled) or ``split`` (one target
            divided between ``parts`` centres, each with an optional label).
        targets: The edited themes' fingerprints.
        label: The new label (rename, merge).
        parts: Unit centres of the parts (split).
        part_labels: Labels of the parts, ``""`` to keep the automatic one (split).
        model_id: The embedder the centres belong to; centres are only compared
            under the same embedder.
        actor: Who made the edit.
        id: Its id in the store, once stored.
    """

    action: Action
    targets: tuple[ThemeRef, ...]
    label: str | None = None
    parts: tuple[tuple[float, ...], ...] = ()
    part_labels: tuple[str, ...] = ()
    model_id: str = ""
    actor: str = ""
    id: int | None = field(default=None, compare=False)

    def describe(self) -> str:
        """A one-line account of the edit, for people."""
        names = " + ".join(f'"{t.label}"' for t in self.targets)
        if self.action == "rename":
            return f'renamed {names} to "{self.label}"'
        if self.action == "merge":
            return f"merged {names}" + (f' as "{self.label}"' if self.label else "")
        return f"split {names} into {len(self.parts)}"

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary (what the store keeps)."""
        return {
            "action": self.action,
            "targets": [t.to_json() for t in self.targets],
            "label": self.label,
            "parts": [[round(x, 6) for x in part] for part in self.parts],
            "part_labels": list(self.part_labels),
            "model_id": self.model_id,
            "actor": self.actor,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, id: int | None = None) -> ThemeEdit:
        """Rebuild from :meth:`to_json` output.

        Raises:
            ValueError: If the action is unknown.
        """
        action = str(data.get("action"))
        if action not in ("rename", "merge", "split"):
            raise ValueError(f"unknown theme edit {action!r}")
        return cls(
            action=action,  # type: ignore[arg-type]  # checked just above
            targets=tuple(ThemeRef.from_json(t) for t in data.get("targets", [])),
            label=data.get("label"),
            parts=tuple(tuple(float(x) for x in p) for p in data.get("parts", [])),
            part_labels=tuple(str(x) for x in data.get("part_labels", [])),
            model_id=str(data.get("model_id", "")),
            actor=str(data.get("actor", "")),
            id=id,
        )


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
