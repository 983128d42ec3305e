"""``upstream survey`` through Typer's test runner, mounted on a throwaway app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from upstream.cli.survey import app as survey_app

runner = CliRunner()


def _root() -> typer.Typer:
    root = typer.Typer()
    root.add_typer(survey_app, name="survey")
    return root


def _run(*args: str) -> str:
    result = runner.invoke(_root(), ["survey", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _survey_folder(tmp_path: Path, write_table: Callable[..., Path]) -> Path:
    rng = np.random.default_rng(11)
    names = [f"Agency {letter}" for letter in "ABCDEFGHIJKL"]
    for year in (2018, 2019, 2020, 2021):
        rows: list[list[object]] = [
            [
                "Organisation",
                "Employee engagement index",
                "My work",
                "My manager",
                "Learning and development",
            ]
        ]
        for number, name in enumerate(names):
            lm, mw = 0.55 + 0.02 * number + rng.normal(0, 0.02), 0.7 + rng.normal(0, 0.03)
            ld = 0.1 + 0.5 * lm + 0.2 * mw + 0.01 * (year - 2018) + rng.normal(0, 0.01)
            rows.append([name if year > 2018 else name.upper(), 0.6, mw, lm, ld])
        folder = tmp_path / "ps" / str(year)
        folder.mkdir(parents=True)
        write_table(folder / f"all_organisations_{year}.csv", rows)
    return tmp_path / "ps"


def test_import_benchmarks_model_gaps(tmp_path: Path, write_table: Callable[..., Path]) -> None:
    folder = _survey_folder(tmp_path, write_table)
    db = str(tmp_path / "store.db")
    mapping = tmp_path / "mapping.csv"
    out = _run("import", str(folder), "--db", db, "--survey", "ps", "--mapping", str(mapping))
    assert "Read 192 scores: 12 organisations, 4 measures, years 2018, 2019, 2020, 2021" in out
    assert "192 new scores" in out and mapping.exists()
    out = _run("import", str(folder), "--db", db, "--survey", "ps")
    assert "0 new scores, 192 updated" in out

    bench = tmp_path / "bench.csv"
    _run("benchmarks", "--db", db, "--survey", "ps", "--output", str(bench))
    table = pd.read_csv(bench)
    assert table.columns.tolist() == [
        "year",
        "measure",
        "label",
        "n_orgs",
        "median",
        "upper_quartile",
        "mean",
        "weighted_mean",
        "scale",
    ]
    assert table["median"].between(0, 1).all() and table["n_orgs"].eq(12).all()

    model = tmp_path / "model.csv"
    out = _run(
        "model",
        "--db",
        db,
        "--survey",
        "ps",
        "--outcome",
        "LD",
        "--predictors",
        "LM,MW",
        "--effects",
        "entity,time",
        "--output",
        str(model),
    )
    assert "two-way fixed effects" in out and "within R²" in out
    result = pd.read_csv(model)
    assert result.columns.tolist() == [
        "term",
        "coef",
        "std_err",
        "p_value",
        "ci_low",
        "ci_high",
        "n_obs",
        "r2",
    ]
    assert result["term"].tolist() == ["LM", "MW"] and result["n_obs"].eq(48).all()
    assert result.loc[0, "coef"] == pytest.approx(0.5, abs=0.1)
    out = _run(
        "model",
        "--db",
        db,
        "--survey",
        "ps",
        "--outcome",
        "LD",
        "--predictors",
        "LM",
        "--effects",
        "none",
        "--years",
        "2020",
        "--output",
        str(model),
    )
    assert "(OLS" in out and pd.read_csv(model).at[0, "n_obs"] == 12

    gaps = tmp_path / "gaps.csv"
    _run("gaps", "--db", db, "--survey", "ps", "--measures", "LD", "--output", str(gaps))
    assert {"gap", "slope_per_year"} <= set(pd.read_csv(gaps).columns)
    names = tmp_path / "names.csv"
    out = _run("organisations", "--db", db, "--survey", "ps", "--output", str(names))
    assert "48 names of 12 organisations" in out


def test_wide_import_and_friendly_errors(tmp_path: Path) -> None:
    table = tmp_path / "councils.csv"
    table.write_text(
        "Council,Year,Engagement index\nA,2021,0.6\nB,2021,0.5\nA,2022,0.62\n", encoding="utf-8"
    )
    db = str(tmp_path / "w.db")
    out = _run(
        "import",
        str(table),
        "--db",
        db,
        "--survey",
        "own",
        "--org-column",
        "Council",
        "--year-column",
        "Year",
    )
    assert "3 new scores" in out
    result = runner.invoke(
        _root(),
        [
            "survey",
            "model",
            "--db",
            db,
            "--survey",
            "own",
            "--outcome",
            "EES",
            "--predictors",
            "B01",
            "--output",
            str(tmp_path / "m.csv"),
        ],
    )
    assert result.exit_code == 1 and "not in the panel: B01" in result.output
    result = runner.invoke(
        _root(),
        [
            "survey",
            "benchmarks",
            "--db",
            db,
            "--survey",
            "nothing",
            "--output",
            str(tmp_path / "b.csv"),
        ],
    )
    assert result.exit_code == 1 and "No survey called 'nothing'" in result.output
    result = runner.invoke(
        _root(), ["survey", "import", str(table), "--db", db, "--year-column", "Year"]
    )
    assert result.exit_code == 2 and "--org-column" in result.output


def test_every_command_has_help() -> None:
    out = _run("--help")
    for command in (
        "import",
        "benchmarks",
        "model",
        "gaps",
        "organisations",
        "assess",
        "respondents",
    ):
        assert command in out
        help_text = _run(command, "--help")
        assert "--db" in help_text or command == "respondents"


def test_assess_demo_and_stored(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    out = _run(
        "assess",
        "--demo",
        "--organisation",
        "Brackenshire County Council",
        "--output-dir",
        str(tmp_path / "report"),
        "--db",
        db,
        "--name",
        "NOM demo",
        "--format",
        "svg",
    )
    assert "Weakest against peers" in out
    assert (tmp_path / "report" / "radar.svg").exists() and (
        tmp_path / "report" / "gaps.csv"
    ).exists()
    out = _run(
        "assess",
        "--organisation",
        "Kestlebury Council",
        "--output-dir",
        str(tmp_path / "r2"),
        "--db",
        db,
        "--name",
        "NOM demo",
    )
    assert "Kestlebury Council:" in out and (tmp_path / "r2" / "radar.png").exists()
    result = runner.invoke(
        _root(), ["survey", "assess", "--organisation", "X", "--output-dir", str(tmp_path / "r3")]
    )
    assert result.exit_code == 1 and "--demo" in result.output


def test_respondents_command(tmp_path: Path) -> None:
    rows = []
    for person in range(30):
        team = "Housing" if person < 24 else "Parks"
        rows.append(
            {
                "team": team,
                "emp_say": "Agree" if person % 3 else "Disagree",
                "emp_freedom": 4,
                "emp_trusted": "Strongly agree",
                "emp_voice": 2,
            }
        )
    path = tmp_path / "staff.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    out = _run("respondents", str(path), "--by", "team", "--output-dir", str(tmp_path / "res"))
    assert "Analysed 30 respondents" in out and "suppressed" in out
    items = pd.read_csv(tmp_path / "res" / "items.csv")
    parks = items[items["team"] == "Parks"]
    assert parks["display"].eq("fewer than 10").all()
    assert parks["percent_positive"].isna().all()
