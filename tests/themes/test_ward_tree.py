"""Ward's tree built from one matrix product cuts into the same groups as SciPy's own."""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped]

from upstream.embed.base import normalise_rows
from upstream.themes.cluster import ward_tree


def test_the_tree_cuts_as_scipys_does_with_repeated_rows() -> None:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(12, 64))
    points = centres[rng.integers(0, 12, size=600)] + 0.4 * rng.normal(size=(600, 64))
    points[100:140] = points[5]  # replies repeated word for word give identical vectors
    points = normalise_rows(points.astype(np.float32)).astype(np.float64)
    ours, theirs = ward_tree(points), linkage(points, method="ward")
    assert np.allclose(ours[:, 2], theirs[:, 2], atol=1e-6)  # the same merge heights
    for k in (2, 5, 12, 30, 80):
        mine = fcluster(ours, k, criterion="maxclust")
        scipy_cut = fcluster(theirs, k, criterion="maxclust")
        pairs = {(int(a), int(b)) for a, b in zip(mine, scipy_cut, strict=True)}
        assert len(pairs) == len(set(mine)) == len(set(scipy_cut)), k  # one-to-one
