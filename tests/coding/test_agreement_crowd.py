"""Agreement on a real sample: the first 3,000 crowd judgements of Benoit et al. (APSR 2016).

Data: kbenoit/CSTA-APSR (MIT), as kept in ../shared/data/coders.
"""

from __future__ import annotations

import csv
import gzip
from itertools import islice
from pathlib import Path

import krippendorff
import numpy as np
import pytest
import typer
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss
from typer.testing import CliRunner

from upstream.cli.agreement import agreement
from upstream.coding.agreement import Judgements, agreement_report, fleiss_kappa

pytestmark = pytest.mark.shared_data

SAMPLE_ROWS = 3_000


@pytest.fixture(scope="module")
def crowd_rows(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "coders" / "immigration_judgements.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(islice(csv.DictReader(handle), SAMPLE_ROWS))


@pytest.fixture(scope="module")
def crowd(crowd_rows: list[dict[str, str]]) -> Judgements:
    return Judgements.from_columns(
        [r["sentenceid"] for r in crowd_rows],
        [r["coder_id"] for r in crowd_rows],
        [r["policy_area"] for r in crowd_rows],
    )


def reliability_matrix(judgements: Judgements) -> np.ndarray:
    matrix = np.full((judgements.n_coders, judgements.n_items), np.nan)
    matrix[judgements.coders, judgements.items] = judgements.labels
    return matrix


def test_sample_shape(crowd: Judgements) -> None:
    assert crowd.n_judgements + crowd.n_repeats == SAMPLE_ROWS
    assert crowd.label_names == ("1", "4")
    assert crowd.n_coders > 20


def test_alpha_matches_the_krippendorff_package(crowd: Judgements) -> None:
    expected = krippendorff.alpha(
        reliability_data=reliability_matrix(crowd), level_of_measurement="nominal"
    )
    report = agreement_report(crowd)
    assert report.summary.krippendorff_alpha == pytest.approx(expected, abs=1e-12)
    assert 0.3 < expected < 0.9


def test_fleiss_matches_statsmodels_on_items_with_equal_coders(crowd: Judgements) -> None:
    coders_per_item = np.bincount(crowd.items, minlength=crowd.n_items)
    usual = np.bincount(coders_per_item).argmax()
    keep = np.isin(crowd.items, np.flatnonzero(coders_per_item == usual))
    subset = Judgements.from_columns(
        [crowd.item_names[i] for i in crowd.items[keep]],
        [crowd.coder_names[c] for c in crowd.coders[keep]],
        [crowd.label_names[k] for k in crowd.labels[keep]],
    )
    assert subset.n_items > 100
    expected = statsmodels_fleiss(subset.counts())
    assert fleiss_kappa(subset) == pytest.approx(expected, abs=1e-12)


def test_pairwise_kappa_matches_sklearn(crowd: Judgements) -> None:
    matrix = reliability_matrix(crowd)
    report = agreement_report(crowd, min_items=30)
    assert report.pairwise
    for pair in report.pairwise:
        a, b = crowd.coder_names.index(pair.coder_a), crowd.coder_names.index(pair.coder_b)
        shared = ~np.isnan(matrix[a]) & ~np.isnan(matrix[b])
        expected = cohen_kappa_score(matrix[a, shared], matrix[b, shared])
        assert pair.kappa == pytest.approx(expected, abs=1e-12, nan_ok=True)


def test_the_crowd_majority_agrees_with_gold(crowd_rows: list[dict[str, str]]) -> None:
    gold = {r["sentenceid"]: r["policy_area_gold"].removesuffix(".0") for r in crowd_rows}
    gold = {item: label for item, label in gold.items() if label}
    records = [(r["sentenceid"], r["coder_id"], r["policy_area"]) for r in crowd_rows]
    report = agreement_report(records, gold=gold)
    majority = report.comparison("human majority vs gold")
    assert majority is not None and majority.n > 0
    assert majority.accuracy > 0.9


def test_command_line_on_the_sample(tmp_path: Path, crowd_rows: list[dict[str, str]]) -> None:
    source = tmp_path / "sample.csv.gz"
    with gzip.open(source, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(crowd_rows[0]))
        writer.writeheader()
        writer.writerows(crowd_rows)
    app = typer.Typer()
    app.command("agreement")(agreement)
    app.callback()(lambda: None)
    result = CliRunner().invoke(
        app,
        [
            "agreement",
            str(source),
            "--item-column",
            "sentenceid",
            "--coder-column",
            "coder_id",
            "--label-column",
            "policy_area",
            "--gold-column",
            "policy_area_gold",
            "--output",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Read {SAMPLE_ROWS:,} rows" in result.output
    assert (tmp_path / "out" / "per_code.csv").stat().st_size > 0
