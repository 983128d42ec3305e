"""Any organisation panel imports: every numeric column is a measure on its own scale."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.store import Store
from upstream.survey.wide import detect_scale, parse_scales
from upstream.workflows.survey.storage import load_panel

runner = CliRunner()
TRUSTS = ("RAJ", "RBD", "RCF", "RDE", "REM", "RFS")


def trust_panel_csv() -> str:
    """One row per trust and year: a 0-10 engagement index, a mortality index around
    1.0, respondents in the thousands and two dichotomised 0/1 columns."""
    lines = ["Trust code,Year,Engagement index,SHMI,Responses,High engagement,Low mortality"]
    for n, trust in enumerate(TRUSTS):
        for year in (2021, 2022, 2023):
            engagement = 6.6 + 0.1 * n + 0.05 * (year - 2021)
            shmi = 0.85 + 0.06 * n
            responses = 1200 + 1263 * n + (year - 2021) * 10
            lines.append(
                f"{trust},{year},{engagement:.2f},{shmi:.3f},{responses},"
                f"{int(engagement >= 6.9)},{int(shmi < 1.0)}"
            )
    return "\n".join(lines) + "\n"


def _run(*args: str) -> str:
    result = runner.invoke(app, ["survey", *args])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("Engagement index", [6.61, 7.2, 6.9], "0-10"),
        ("SHMI", [0.85, 1.0, 1.15], "index"),
        ("Responses", [1200.0, 7513.0], "count"),
        ("n", [12.0, 40.0], "count"),
        ("Flag", [0.0, 1.0, 1.0], "0-1"),
        ("EES", [61.0, 72.0], "0-100"),
        ("Turnover %", [3.4, 8.1], "0-100"),
        ("Net score", [-12.5, 30.0], "index"),
    ],
)
def test_scale_is_detected_from_name_and_values(
    name: str, values: list[float], expected: str
) -> None:
    assert detect_scale(name, values, percent_signs=False) == expected


def test_scale_overrides_are_checked() -> None:
    assert parse_scales(["Responses=count", "Engagement index = 0-10"]) == {
        "responses": "count",
        "engagement index": "0-10",
    }
    from upstream.survey.errors import SurveyConfigError

    with pytest.raises(SurveyConfigError, match="write COLUMN=SCALE"):
        parse_scales(["Responses:count"])


def test_trust_panel_imports_through_the_cli_and_benchmarks_run(tmp_path: Path) -> None:
    panel_csv = tmp_path / "trusts.csv"
    panel_csv.write_text(trust_panel_csv(), encoding="utf-8")
    db = str(tmp_path / "store.db")
    base = ["--db", db, "--survey", "trusts", "--org-column", "Trust code"]
    out = _run("import", str(panel_csv), *base, "--year-column", "Year")
    assert "Read 90 scores: 6 organisations, 5 measures, years 2021, 2022, 2023" in out
    assert "Engagement index: score out of 10; SHMI: index; Responses: count" in out
    assert "High engagement: proportion (0-1); Low mortality: proportion (0-1)" in out
    assert "Responses counts respondents and weights aggregates" in out

    with Store(db) as store:
        panel = load_panel(store, survey="trusts")
    assert panel.scale("Engagement index") == "0-10"
    assert panel.scale("SHMI") == "index"
    assert panel.scale("Responses") == "count"
    assert panel.scale("High engagement") == "0-1"
    raj = panel.scores[(panel.scores["organisation"] == "RAJ") & (panel.scores["year"] == 2021)]
    assert raj.set_index("measure").loc["Engagement index", "value"] == pytest.approx(6.6)
    assert set(raj["respondents"]) == {1200}

    bench = tmp_path / "bench.csv"
    out = _run("benchmarks", "--db", db, "--survey", "trusts", "--output", str(bench))
    assert "score out of 10: Engagement index" in out and "count: Responses" in out
    table = pd.read_csv(bench).set_index(["year", "measure"])
    engagement = table.loc[(2021, "Engagement index")]
    assert engagement["scale"] == "0-10"
    assert engagement["median"] == pytest.approx(6.85)
    # Weighted by respondents: the larger trusts score higher, so the weighted mean is higher.
    assert engagement["weighted_mean"] > engagement["mean"] == pytest.approx(6.85)
    assert table.loc[(2023, "SHMI"), "median"] == pytest.approx(1.0)
    assert table.loc[(2022, "Low mortality"), "mean"] == pytest.approx(0.5)

    trends = tmp_path / "trends.csv"
    _run(
        "gaps",
        "--db",
        db,
        "--survey",
        "trusts",
        "--measures",
        "Engagement index",
        "--output",
        str(trends),
    )
    gaps = pd.read_csv(trends)
    assert set(gaps["scale"]) == {"0-10"}
    assert gaps["slope_per_year"].iloc[0] == pytest.approx(0.05)

    # A scale given on the command line wins over detection.
    out = _run("import", str(panel_csv), *base, "--year-column", "Year", "--scale", "SHMI=0-10")
    assert "SHMI: score out of 10" in out
    with Store(db) as store:
        assert load_panel(store, survey="trusts").scale("SHMI") == "0-10"
