"""Editing themes: rename, merge and split, recorded so they survive re-runs.

:class:`ThemeEditing` is the part of :class:`~upstream.themes.discover.ThemeDiscovery`
that changes an assignment at a person's request. Each method returns the
:class:`~upstream.themes.edits.ThemeEdit` to store; on the next run the
discovery re-applies stored edits by matching their fingerprints (see
:mod:`upstream.themes.edits`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from upstream.embed.base import normalise_rows
from upstream.records.themes import Theme, ThemeEdit, ThemeRef
from upstream.themes.cluster import WardKMeans, centroids_of
from upstream.themes.edits import match_theme
from upstream.themes.labels import OTHER_LABEL
from upstream.themes.numbering import Numbering, numbers_following

__all__ = ["ThemeEditing"]


class ThemeEditing:
    """Rename, merge and split themes of a fitted discovery.

    Themes have a position (``Theme.id``, the value in ``labels_``: 0..k-1,
    with no gaps) and a number people know them by (``Theme.number``), which
    stays with the theme through merges, splits and re-runs (see
    :mod:`upstream.themes.numbering`). The edit methods take the number.

    Attributes:
        labels_: Theme position of each item (-1 unassigned).
        keys_: Stable identity of each item.
        embeddings_: Unit vectors in the embedder's space.
        model_id_: The embedder's model id.
        themes_: The described themes.
        edits_applied_: Edits applied in this fit, oldest first.
        next_number_: The number the next new theme takes (no theme has had it).
        numbering_: How this fit's numbers follow the previous run's (which
            earlier numbers were merged into which theme, and which new themes
            came from an earlier one).
    """

    labels_: npt.NDArray[np.int64]
    keys_: list[str]
    embeddings_: npt.NDArray[np.float32]
    model_id_: str
    themes_: list[Theme]
    edits_applied_: list[ThemeEdit]
    next_number_: int
    numbering_: Numbering
    _names: dict[int, str]
    _edited: dict[int, tuple[str, ...]]
    _numbers: dict[int, int]

    def theme(self, number: int) -> Theme:
        """Return the theme numbered ``number`` (0-based: theme "3" is number 2).

        Raises:
            KeyError: If there is no such theme.
        """
        return self.themes_[self._position(number)]

    @property
    def numbers_(self) -> npt.NDArray[np.int64]:
        """Each item's theme number (-1 unassigned), as people know the themes."""
        # Index -1 (unassigned) picks the trailing -1.
        lookup = np.array([t.number for t in self.themes_] + [-1], dtype=np.int64)
        return lookup[self.labels_]

    def _position(self, number: int) -> int:
        """The position (value in ``labels_``) of the theme numbered ``number``."""
        for position, theme in enumerate(self.themes_):
            if theme.number == number:
                return position
        known = ", ".join(str(t.number) for t in self.themes_) or "none"
        raise KeyError(f"no theme {number}; the themes are numbered {known}")

    def _describe(self) -> None:  # pragma: no cover - provided by ThemeDiscovery
        raise NotImplementedError

    def _name_embeddings(self, names: Sequence[str]) -> npt.NDArray[np.float32] | None:
        raise NotImplementedError  # pragma: no cover - provided by ThemeDiscovery

    def fingerprint(self, number: int) -> ThemeRef:
        """The fingerprint an edit to theme ``number`` is stored with.

        Raises:
            KeyError: If there is no such theme.
        """
        label = self.theme(number).label
        members = np.flatnonzero(self.labels_ == self._position(number))
        centre = normalise_rows(self.embeddings_[members].mean(axis=0, keepdims=True))[0]
        return ThemeRef(
            label,
            tuple(float(x) for x in centre),
            tuple(self.keys_[i] for i in members),
        )

    def rename(self, number: int, label: str, *, actor: str = "") -> ThemeEdit:
        """Rename a theme; return the edit to store so it survives re-runs."""
        edit = ThemeEdit(
            "rename", (self.fingerprint(number),), label=label, model_id=self.model_id_, actor=actor
        )
        return self._apply_now(edit)

    def merge(
        self, numbers: Sequence[int], label: str | None = None, *, actor: str = ""
    ) -> ThemeEdit:
        """Merge two or more themes into one; return the edit to store.

        Raises:
            ValueError: If fewer than two distinct themes are given.
        """
        distinct = sorted(set(numbers))
        if len(distinct) < 2:
            raise ValueError("a merge needs at least two different themes")
        refs = tuple(self.fingerprint(n) for n in distinct)
        return self._apply_now(
            ThemeEdit("merge", refs, label=label, model_id=self.model_id_, actor=actor)
        )

    def split(
        self, number: int, parts: int = 2, labels: Sequence[str] = (), *, actor: str = ""
    ) -> ThemeEdit:
        """Split a theme into ``parts`` by its own internal structure; return the edit.

        A person names the parts before seeing them, so each name goes to the
        part it describes best (by meaning, one name per part), whatever order
        the names were given in; parts left unnamed are named as usual.

        Raises:
            ValueError: If the theme has fewer members than parts.
        """
        members = np.flatnonzero(self.labels_ == self._position(number))
        if parts < 2 or len(members) < parts:
            raise ValueError(f"cannot split a theme of {len(members)} items into {parts}")
        inner = WardKMeans(n_clusters=parts, min_size=1).fit(self.embeddings_[members])
        centres = tuple(tuple(float(x) for x in row) for row in inner.centroids_)
        names = self._names_for_parts(list(labels)[: len(centres)], inner.centroids_)
        edit = ThemeEdit(
            "split",
            (self.fingerprint(number),),
            parts=centres,
            part_labels=names[: len(centres)],
            model_id=self.model_id_,
            actor=actor,
        )
        return self._apply_now(edit)

    def _names_for_parts(
        self, labels: list[str], centres: npt.NDArray[np.float32]
    ) -> tuple[str, ...]:
        """Each part's name from ``labels``, matched to the part whose centre it is nearest."""
        names = [""] * len(centres)
        given = [label for label in labels if label.strip()]
        embedded = self._name_embeddings(given) if given else None
        if embedded is None or embedded.shape[1] != centres.shape[1]:
            names[: len(given)] = given
            return tuple(names)
        rows, cols = linear_sum_assignment(embedded @ normalise_rows(centres).T, maximize=True)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            names[col] = given[row]
        return tuple(names)

    def _apply_now(self, edit: ThemeEdit) -> ThemeEdit:
        if self._apply(edit):
            self.edits_applied_.append(edit)
        self._describe()
        return edit

    def _match(self, ref: ThemeRef, model_id: str) -> int | None:
        k = int(self.labels_.max()) + 1
        members = [
            frozenset(self.keys_[i] for i in np.flatnonzero(self.labels_ == t)) for t in range(k)
        ]
        assigned = np.flatnonzero(self.labels_ >= 0)
        centroids = centroids_of(self.embeddings_[assigned], self.labels_[assigned], k)
        return match_theme(ref, centroids, members, same_space=model_id == self.model_id_)

    def _apply(self, edit: ThemeEdit) -> bool:
        """Apply one edit to the current assignment; False when its theme is gone."""
        if (self.labels_ < 0).all():
            return False
        found = [self._match(ref, edit.model_id) for ref in edit.targets]
        if not found or None in found:
            # Part of what was edited has gone: applying the rest would mislead.
            return False
        matched = sorted({t for t in found if t is not None})
        if edit.action == "rename":
            self._names[matched[0]] = edit.label or self._names.get(matched[0], "")
            self._mark(matched[0], "renamed")
        elif edit.action == "merge":
            keep = matched[0]
            # The merged theme keeps the lowest of its numbers; the others are retired.
            self._numbers[keep] = min(self._numbers.get(t, t) for t in matched)
            self.labels_[np.isin(self.labels_, matched[1:])] = keep
            self._reclaim(edit.targets, keep)
            if edit.label:
                self._names[keep] = edit.label
            self._mark(keep, "merged")
        else:
            self._split(matched[0], edit)
        self._renumber(keep_order=True)
        return True

    def _reclaim(self, refs: Sequence[ThemeRef], number: int) -> None:
        """Bring back to ``number`` the items a person sorted into it that drifted away.

        On a re-run, new evidence can pull some of an edited theme's old members
        into a neighbouring theme. The person's edit was about those very items,
        so they return, unless they now sit in a theme someone edited too.
        """
        keys = {key for ref in refs for key in ref.members}
        for index, key in enumerate(self.keys_):
            current = int(self.labels_[index])
            if key in keys and current >= 0 and current != number and current not in self._edited:
                self.labels_[index] = number

    def _split(self, number: int, edit: ThemeEdit) -> None:
        self._reclaim(edit.targets, number)
        members = np.flatnonzero(self.labels_ == number)
        centres = normalise_rows(np.asarray(edit.parts, dtype=np.float32))
        if len(centres) < 2 or centres.shape[1] != self.embeddings_.shape[1]:
            return
        part = np.argmax(self.embeddings_[members] @ centres.T, axis=1)
        next_id = int(self.labels_.max()) + 1
        self._names.pop(number, None)
        for j in range(len(centres)):
            target = number if j == 0 else next_id + j - 1
            if j:
                self._numbers[target] = self._new_number()
            self.labels_[members[part == j]] = target
            if j < len(edit.part_labels) and edit.part_labels[j]:
                self._names[target] = edit.part_labels[j]
            self._mark(target, "split")

    def _mark(self, number: int, what: str) -> None:
        self._edited[number] = tuple(dict.fromkeys((*self._edited.get(number, ()), what)))

    def _new_number(self) -> int:
        number = self.next_number_
        self.next_number_ += 1
        return number

    def _number(self, previous: Mapping[int, Collection[str]], next_number: int) -> None:
        """Give the themes their numbers: the previous run's, or 1, 2, ... in order.

        With no previous run nobody has seen these themes, so they are numbered
        in order with no gaps, whatever edits were re-applied.
        """
        present = [int(t) for t in np.unique(self.labels_) if t >= 0]
        if previous:
            self.numbering_ = numbers_following(self.labels_, self.keys_, previous, next_number)
        else:
            self.numbering_ = Numbering({t: t for t in present})
        self._numbers = dict(self.numbering_.numbers)
        self.next_number_ = max([next_number, *(n + 1 for n in self._numbers.values())])
        self._renumber(keep_order=True)

    def _renumber(self, keep_order: bool = False) -> None:
        """Put themes in positions 0.. by size, largest first (ties: earliest member first).

        The mixed "Other comments" theme, when there is one, comes last. Their
        numbers are then their positions. With ``keep_order`` (after an edit,
        or once numbers are given) themes keep their numbers and take positions
        in number order instead, so positions have no gaps while numbers may.
        """
        present = [int(t) for t in np.unique(self.labels_) if t >= 0]
        sizes = {t: int((self.labels_ == t).sum()) for t in present}
        first = {t: int(np.argmax(self.labels_ == t)) for t in present}
        other = {t for t in present if self._names.get(t) == OTHER_LABEL}
        numbers = self._numbers
        if keep_order:
            order = sorted(present, key=lambda t: (t in other, numbers.get(t, t), t))
        else:
            order = sorted(present, key=lambda t: (t in other, -sizes[t], first[t]))
            numbers = {t: position for position, t in enumerate(order)}
        mapping = {old: new for new, old in enumerate(order)}
        lookup = np.full(int(self.labels_.max()) + 2, -1, dtype=np.int64)
        for old, new in mapping.items():
            lookup[old] = new
        self.labels_ = np.where(self.labels_ >= 0, lookup[self.labels_], -1).astype(np.int64)
        self._names = {mapping[t]: v for t, v in self._names.items() if t in mapping and v}
        self._edited = {mapping[t]: v for t, v in self._edited.items() if t in mapping}
        self._numbers = {mapping[t]: numbers.get(t, t) for t in present}
