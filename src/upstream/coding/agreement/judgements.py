"""Judgements in long format (item, coder, label), encoded as integer arrays.

Every statistic in this package works on the same encoding: one row per
judgement with the item, coder and label replaced by their index in
``item_names``, ``coder_names`` and ``label_names``. Encoding once keeps the
statistics vectorised and lets them share one item × label count matrix.

Two rules apply before any statistic is computed, and both are counted so a
report can say what was left out:

* a judgement whose item, coder or label is missing (``None``, NaN, a blank
  string) is dropped (``n_missing``);
* a coder who coded the same item more than once keeps one judgement per item
  (``repeats="first"`` by default; ``"last"`` keeps the latest, ``"error"``
  refuses). Agreement statistics compare *coders*, so a second opinion from the
  same person must not count as agreement with someone else (``n_repeats``).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["IntArray", "Judgements", "Repeats", "is_missing", "label_sort_key"]

IntArray = NDArray[np.int64]
Repeats = Literal["first", "last", "error"]


def is_missing(value: object) -> bool:
    """Whether a cell holds no value: ``None``, NaN, pandas' NA or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)  # NaN of any numeric type
    except (TypeError, ValueError):  # pandas.NA has no truth value
        return True


def label_sort_key(value: Hashable) -> tuple[int, float, str]:
    """Order labels naturally: numbers numerically (also as text), then text."""
    text = str(value)
    if isinstance(value, bool):
        return (1, 0.0, text)
    try:
        number = float(text) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return (1, 0.0, text)
    return (0, number, text) if math.isfinite(number) else (1, 0.0, text)


def _factorize(values: Iterable[Hashable]) -> tuple[IntArray, list[Hashable]]:
    index: dict[Hashable, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64)
    return codes, list(index)


def _sorted_codes(codes: IntArray, names: list[Hashable]) -> tuple[IntArray, tuple[Hashable, ...]]:
    order = sorted(range(len(names)), key=lambda i: label_sort_key(names[i]))
    new_index = np.empty(len(names), dtype=np.int64)
    new_index[order] = np.arange(len(names))
    return new_index[codes], tuple(names[i] for i in order)


def _keep_one_per_coder(
    items: IntArray, coders: IntArray, n_coders: int, repeats: Repeats
) -> IntArray:
    """Positions of the judgements to keep when a coder coded an item more than once."""
    keys = items * n_coders + coders
    if repeats == "last":
        _, reversed_first = np.unique(keys[::-1], return_index=True)
        keep = len(keys) - 1 - reversed_first
    else:
        _, keep = np.unique(keys, return_index=True)
    return np.sort(keep).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Judgements:
    """Judgements encoded as parallel integer arrays, one entry per kept judgement.

    Build one with :meth:`from_records` or :meth:`from_columns`.

    Attributes:
        item_names: Item identifiers, in order of first appearance.
        coder_names: Coder identifiers, in natural sort order.
        label_names: Labels (codes), in natural sort order; includes any extra
            labels given when building (for example gold labels no coder used).
        items: Index into ``item_names`` of each judgement.
        coders: Index into ``coder_names`` of each judgement.
        labels: Index into ``label_names`` of each judgement.
        n_missing: Judgements dropped because the item, coder or label was missing.
        n_repeats: Judgements dropped because the coder had already coded the item.
    """

    item_names: tuple[Hashable, ...]
    coder_names: tuple[Hashable, ...]
    label_names: tuple[Hashable, ...]
    items: IntArray = field(repr=False)
    coders: IntArray = field(repr=False)
    labels: IntArray = field(repr=False)
    n_missing: int = 0
    n_repeats: int = 0

    @classmethod
    def from_records(
        cls,
        records: Iterable[tuple[Hashable, Hashable, Hashable]],
        *,
        repeats: Repeats = "first",
        extra_labels: Iterable[Hashable] = (),
    ) -> Judgements:
        """Encode ``(item, coder, label)`` triples.

        Args:
            records: One triple per judgement.
            repeats: Which judgement to keep when a coder coded an item more than
                once: ``"first"``, ``"last"``, or ``"error"`` to raise ``ValueError``.
            extra_labels: Labels to include even if no coder used them.

        Returns:
            The encoded judgements.
        """
        rows = list(records)
        return cls.from_columns(
            [r[0] for r in rows],
            [r[1] for r in rows],
            [r[2] for r in rows],
            repeats=repeats,
            extra_labels=extra_labels,
        )

    @classmethod
    def from_columns(
        cls,
        items: Sequence[Hashable],
        coders: Sequence[Hashable],
        labels: Sequence[Hashable],
        *,
        repeats: Repeats = "first",
        extra_labels: Iterable[Hashable] = (),
    ) -> Judgements:
        """Encode three parallel columns (item, coder, label), one entry per judgement.

        Args:
            items: The item each judgement is about (any sequence, e.g. a list,
                NumPy array or pandas Series).
            coders: Who (or which machine) made each judgement.
            labels: The label (code) given.
            repeats: Which judgement to keep when a coder coded an item more than
                once: ``"first"``, ``"last"``, or ``"error"`` to raise ``ValueError``.
            extra_labels: Labels to include even if no coder used them.

        Returns:
            The encoded judgements.

        Raises:
            ValueError: The columns differ in length, or ``repeats="error"`` and a
                coder coded an item twice.
        """
        # Plain lists: a pandas Series would index by label, not by position.
        items, coders, labels = list(items), list(coders), list(labels)
        if not len(items) == len(coders) == len(labels):
            raise ValueError(
                f"items, coders and labels differ in length "
                f"({len(items)}, {len(coders)}, {len(labels)})"
            )
        present = [
            n
            for n in range(len(items))
            if not (is_missing(items[n]) or is_missing(coders[n]) or is_missing(labels[n]))
        ]
        item_codes, item_list = _factorize(items[n] for n in present)
        coder_codes, coder_list = _factorize(coders[n] for n in present)
        extra = [label for label in extra_labels if not is_missing(label)]
        label_codes, label_list = _factorize([*(labels[n] for n in present), *extra])
        label_codes = label_codes[: len(present)]
        coder_codes, coder_names = _sorted_codes(coder_codes, coder_list)
        label_codes, label_names = _sorted_codes(label_codes, label_list)
        keep = _keep_one_per_coder(item_codes, coder_codes, len(coder_names), repeats)
        n_repeats = len(present) - len(keep)
        if n_repeats and repeats == "error":
            seen: set[tuple[int, int]] = set()
            for item, coder in zip(item_codes.tolist(), coder_codes.tolist(), strict=True):
                if (item, coder) in seen:
                    who, what = coder_names[coder], item_list[item]
                    raise ValueError(f"coder {who!r} coded item {what!r} more than once")
                seen.add((item, coder))
        return cls(
            item_names=tuple(item_list),
            coder_names=coder_names,
            label_names=label_names,
            items=item_codes[keep],
            coders=coder_codes[keep],
            labels=label_codes[keep],
            n_missing=len(items) - len(present),
            n_repeats=n_repeats,
        )

    def with_labels(self, extra_labels: Iterable[Hashable]) -> Judgements:
        """The same judgements with further labels known (for example gold labels)."""
        new = [x for x in dict.fromkeys(extra_labels) if not is_missing(x)]
        new = [x for x in new if x not in self.label_index]
        if not new:
            return self
        names = [*self.label_names, *new]
        codes, label_names = _sorted_codes(np.arange(len(names), dtype=np.int64), names)
        return replace(self, label_names=label_names, labels=codes[self.labels])

    @property
    def n_judgements(self) -> int:
        """Judgements kept (after dropping missing values and repeats)."""
        return len(self.items)

    @property
    def n_items(self) -> int:
        """Distinct items."""
        return len(self.item_names)

    @property
    def n_coders(self) -> int:
        """Distinct coders."""
        return len(self.coder_names)

    @property
    def n_labels(self) -> int:
        """Distinct labels."""
        return len(self.label_names)

    @cached_property
    def item_index(self) -> dict[Hashable, int]:
        """Position of each item in ``item_names``."""
        return {name: n for n, name in enumerate(self.item_names)}

    @cached_property
    def label_index(self) -> dict[Hashable, int]:
        """Position of each label in ``label_names``."""
        return {name: n for n, name in enumerate(self.label_names)}

    def coder_position(self, coder: Hashable) -> int:
        """Position of ``coder`` in ``coder_names``.

        Raises:
            ValueError: ``coder`` made no judgement; the message lists some who did.
        """
        try:
            return self.coder_names.index(coder)
        except ValueError:
            known = ", ".join(repr(c) for c in self.coder_names[:10])
            more = ", ..." if self.n_coders > 10 else ""
            message = f"no judgements by coder {coder!r}; coders are {known}{more}"
            raise ValueError(message) from None

    def counts(self, coders: NDArray[np.bool_] | None = None) -> IntArray:
        """How many coders gave each label to each item: an items × labels matrix.

        Args:
            coders: Optional mask over ``coder_names``; only their judgements count.
        """
        keep = slice(None) if coders is None else coders[self.coders]
        cells = self.items[keep] * self.n_labels + self.labels[keep]
        flat = np.bincount(cells, minlength=self.n_items * self.n_labels)
        return flat.reshape(self.n_items, self.n_labels).astype(np.int64)

    def label_frequency(self) -> IntArray:
        """How often each label was used across all judgements."""
        return np.bincount(self.labels, minlength=self.n_labels).astype(np.int64)
