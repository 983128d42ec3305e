"""``upstream benefits`` through Typer's test runner, mounted on a throwaway app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from upstream.cli.benefits import app as benefits_app

runner = CliRunner()
HEADER = "item,kind,category,year,amount,optimism_bias,deadweight,attribution"


def _invoke(*args: str) -> tuple[int, str]:
    root = typer.Typer()
    root.add_typer(benefits_app, name="benefits")
    result = runner.invoke(root, ["benefits", *args])
    return result.exit_code, result.output


def test_appraise_writes_the_contract_json_and_workbook(worked_spec: Path, tmp_path: Path) -> None:
    out, xlsx = tmp_path / "out.json", tmp_path / "out.xlsx"
    code, output = _invoke(
        "appraise",
        str(worked_spec),
        "--output",
        str(out),
        "--xlsx",
        str(xlsx),
        "--seed",
        "7",
        "--runs",
        "500",
    )
    assert code == 0, output
    assert "Net present value" in output
    document = json.loads(out.read_text(encoding="utf-8"))
    # Figures from the hand-worked example in test_benefits_appraisal.py.
    assert document["npv"] == pytest.approx(2864.8075818170946, abs=1e-6)
    assert document["bcr"] == pytest.approx(1.2056224581956099, abs=1e-9)
    assert document["payback_year"] == 4
    assert document["pv_costs"] == pytest.approx(13932.367149758455, abs=1e-6)
    assert document["pv_benefits"] == pytest.approx(16797.17473157555, abs=1e-6)
    assert document["pv_benefits_by_category"]["economic"] == pytest.approx(4357.211138492862)
    assert [year["year"] for year in document["years"]] == [0, 1, 2, 3, 4]
    assert document["years"][3] | {"cumulative_net_pv": 0} == {
        "year": 3,
        "costs": 0.0,
        "benefits": 0.0,
        "discount_factor": pytest.approx(1 / 1.108717875),
        "pv_costs": 0.0,
        "pv_benefits": 0.0,
        "cumulative_net_pv": 0,
    }
    assert document["seed"] == 7
    assert document["monte_carlo"]["seed"] == 7
    assert document["monte_carlo"]["runs"] == 500
    assert {"npv_percentiles", "probability_npv_below_zero"} <= set(document["monte_carlo"])
    assert document["sensitivity"]
    assert load_workbook(xlsx)["Summary"]["B4"].value == "=B3-B2"
    assert not list(tmp_path.glob("*.partial"))


def test_same_seed_same_figures(worked_spec: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        code, output = _invoke("appraise", str(worked_spec), "--output", str(out), "--seed", "3")
        assert code == 0, output
    one, two = (json.loads(path.read_text(encoding="utf-8")) for path in (first, second))
    assert one["monte_carlo"] == two["monte_carlo"]


def test_null_ratio_and_payback_in_json(tmp_path: Path) -> None:
    spec = tmp_path / "spec.csv"
    spec.write_text(f"{HEADER}\nGain,benefit,social,0,0,,,\nGain,benefit,social,2,100,,,\n")
    out = tmp_path / "out.json"
    assert _invoke("appraise", str(spec), "--output", str(out))[0] == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["bcr"] is None
    spec.write_text(f"{HEADER}\nCost,cost,fiscal,0,100,,,\n")
    assert _invoke("appraise", str(spec), "--output", str(out))[0] == 0
    assert json.loads(out.read_text(encoding="utf-8"))["payback_year"] is None


@pytest.mark.parametrize(
    ("row", "header", "expected"),
    [
        ("A,cost,fiscal,0,100,-0.2,,", HEADER, "line 2, column 'optimism_bias'"),
        ("A,benefit,fiscal,0,100,,1.2,", HEADER, "line 2, column 'deadweight'"),
        ("A,saving,fiscal,0,100,,,", HEADER, "line 2, column 'kind'"),
        ("A,cost,health,0,100,,,", HEADER, "line 2, column 'category'"),
        ("A,cost,fiscal,1.5,100,,,", HEADER, "line 2, column 'year'"),
        ("A,cost,fiscal,-2,100,,,", HEADER, "line 2, column 'year'"),
        ("A,cost,fiscal,0,lots,,,", HEADER, "line 2, column 'amount'"),
        ("A,cost,fiscal,0,100,,", HEADER.replace(",deadweight", ""), "no 'deadweight' column"),
    ],
)
def test_bad_input_writes_nothing(tmp_path: Path, row: str, header: str, expected: str) -> None:
    spec = tmp_path / "spec.csv"
    spec.write_text(f"{header}\n{row}\n", encoding="utf-8")
    out, xlsx = tmp_path / "out.json", tmp_path / "out.xlsx"
    code, output = _invoke("appraise", str(spec), "--output", str(out), "--xlsx", str(xlsx))
    assert code != 0
    assert str(spec) in output
    assert expected in output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["spec.csv"]


def test_missing_output_folder_writes_nothing(worked_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code, output = _invoke(
        "appraise",
        str(worked_spec),
        "--output",
        str(out),
        "--xlsx",
        str(tmp_path / "absent" / "out.xlsx"),
    )
    assert code == 1
    assert "does not exist" in output
    assert not out.exists()


def test_channel_shift_prints_and_writes(tmp_path: Path) -> None:
    volumes = tmp_path / "volumes.csv"
    volumes.write_text("channel,contacts\nface to face,10000\nphone,50000\nweb,20000\n")
    out = tmp_path / "shift.json"
    code, output = _invoke(
        "channel-shift",
        str(volumes),
        "--output",
        str(out),
        "--years",
        "2",
        "--ramp-years",
        "2",
        "--assisted-digital",
        "0.1",
    )
    assert code == 0, output
    assert "central (20% shift)" in output
    document = json.loads(out.read_text(encoding="utf-8"))
    central = document["scenarios"][1]
    # Year 0 at half take-up: (10,000 × 8.47 + 50,000 × 2.68) × 0.2 × 0.5 × 0.9 = 19,683.
    assert central["years"][0]["saving"] == pytest.approx(19683.0)
    assert central["total_saving"] == pytest.approx(19683.0 * 3)
    assert document["baseline_cost_per_year"] == pytest.approx(86200 + 141500 + 3000)
    # Channel by channel: (900 + 1,800) × 8.47 = 22,869 and (4,500 + 9,000) × 2.68 = 36,180.
    said = " ".join(output.split())
    assert "The central saving comes from: face to face £22,869, phone £36,180." in said
    # The savings as appraisal lines, to weigh against the cost of the change.
    spec = tmp_path / "shift-spec.csv"
    code, output = _invoke("channel-shift", str(volumes), "--years", "2", "--spec", str(spec))
    assert code == 0, output
    assert "Fill in the cost of making the change" in " ".join(output.split())
    code, output = _invoke("appraise", str(spec), "--output", str(tmp_path / "a.json"))
    assert code == 0, output
    appraised = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert appraised["lines"][0]["item"] == "Cost of making the change (fill in)"
    assert appraised["pv_costs"] == 0


def test_channel_shift_bad_share(tmp_path: Path) -> None:
    volumes = tmp_path / "volumes.csv"
    volumes.write_text("channel,contacts\nphone,100\nweb,0\n")
    code, output = _invoke("channel-shift", str(volumes), "--high", "1.5")
    assert code == 1
    assert "The high share must be from 0 to 1" in output


def test_registered_on_the_upstream_command(worked_spec: Path, tmp_path: Path) -> None:
    from upstream.cli import app

    out = tmp_path / "out.json"
    result = runner.invoke(
        app, ["benefits", "appraise", str(worked_spec), "--output", str(out), "--runs", "100"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["payback_year"] == 4
