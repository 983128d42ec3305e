"""Shared SPEC files for the benefits tests."""

from __future__ import annotations

from pathlib import Path

import pytest

HEADER = "item,kind,category,year,amount,optimism_bias,deadweight,attribution"

# A worked example checked by hand in test_appraisal.py:
#   year 0: set-up cost 10,000 with 20% optimism bias       -> 12,000
#   year 1: running cost 2,000, shares empty                -> 2,000
#   year 1: savings 10,000 × 0.9 × 0.8 × 0.5                -> 3,600 (fiscal)
#   year 2: savings again                                   -> 3,600 (fiscal)
#   year 2: wellbeing 8,000 × 0.75 attributed               -> 6,000 (social)
#   year 3: nothing
#   year 4: local spending 5,000                            -> 5,000 (economic)
WORKED = f"""{HEADER}
Set-up,cost,fiscal,0,10000,0.2,,
Running,cost,fiscal,1,2000,,,
Savings,benefit,fiscal,1,10000,0.1,0.2,0.5
Savings,benefit,fiscal,2,10000,0.1,0.2,0.5
Wellbeing,benefit,social,2,8000,,,0.75
Local spending,benefit,economic,4,5000,,,
"""

# A horizon beyond 30 years: a cost now and one benefit in year 35.
LONG = f"""{HEADER}
Build,cost,economic,0,100000,,,
Long-run gain,benefit,economic,35,1000000,,,
"""


@pytest.fixture
def worked_spec(tmp_path: Path) -> Path:
    path = tmp_path / "worked.csv"
    path.write_text(WORKED, encoding="utf-8")
    return path


@pytest.fixture
def long_spec(tmp_path: Path) -> Path:
    path = tmp_path / "long.csv"
    path.write_text(LONG, encoding="utf-8")
    return path
