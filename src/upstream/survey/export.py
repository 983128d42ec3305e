"""Write result tables to CSV safely: text cells can never run as spreadsheet formulas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from upstream.policy import safe_text


def neutralise_text(table: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote.

    Numbers (including negative ones) are left alone; only text is changed, by
    :func:`upstream.policy.safe_text`.
    """
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: safe_text(v) if isinstance(v, str) else v)
    return out


def write_csv(table: pd.DataFrame, path: Path, *, decimals: int | None = 6) -> Path:
    """Write ``table`` to ``path`` as plain UTF-8 CSV (no BOM: scripts read these columns)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = neutralise_text(table)
    if decimals is not None:
        out = out.round(decimals)
    out.to_csv(path, index=False, encoding="utf-8")
    return path
