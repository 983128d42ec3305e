"""Culture models, checked against linearmodels and statsmodels."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels import PanelOLS
from scipy import stats

from upstream.survey.errors import SurveyConfigError
from upstream.survey.panel import SurveyPanel
from upstream.survey.regression import fit_model, model_data
from upstream.survey.themes import add_theme_measures, load_themes


def _check_against_linearmodels(panel: SurveyPanel, outcome: str, predictors: list[str]) -> None:
    ours = fit_model(panel, outcome, predictors)
    data = model_data(panel, outcome, predictors)
    data = data[data.groupby("organisation")["year"].transform("size") > 1]
    frame = data.set_index(["organisation", "year"])
    theirs = PanelOLS(
        frame[outcome], frame[predictors], entity_effects=True, time_effects=True
    ).fit(
        cov_type="clustered",
        cluster_entity=True,
        debiased=True,
        group_debias=True,
        auto_df=False,
        count_effects=False,
    )
    table = ours.table.set_index("term")
    np.testing.assert_allclose(table["coef"], theirs.params[predictors], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(table["std_err"], theirs.std_errors[predictors], rtol=1e-8)
    np.testing.assert_allclose(table["t_stat"], theirs.tstats[predictors], rtol=1e-8)
    assert ours.r2 == pytest.approx(theirs.rsquared, rel=1e-8)
    assert ours.n_obs == theirs.nobs
    # Inference uses t with (clusters - 1) degrees of freedom.
    groups = data["organisation"].nunique()
    expected_p = 2 * stats.t.sf(np.abs(theirs.tstats[predictors]), groups - 1)
    np.testing.assert_allclose(table["p_value"], expected_p, rtol=1e-8)
    means = data[predictors].mean() / data[outcome].mean()
    np.testing.assert_allclose(table["elasticity"], table["coef"] * means[predictors], rtol=1e-10)


def test_two_way_fixed_effects_match_linearmodels(make_panel: Callable[..., SurveyPanel]) -> None:
    panel = make_panel(organisations=30, years=(2016, 2017, 2018, 2019, 2020))
    # An unbalanced panel: drop some organisation-years.
    scores = panel.scores
    drop = (scores["organisation"].str.len() % 3 == 0) & (scores["year"] == 2018)
    _check_against_linearmodels(SurveyPanel(scores=scores[~drop]), "LD", ["LM", "MW"])
    result = fit_model(panel, "LD", ["LM", "MW"])
    assert result.table.set_index("term").loc["LM", "coef"] == pytest.approx(0.4, abs=0.08)


def test_pooled_and_cross_sectional_ols_match_statsmodels(
    make_panel: Callable[..., SurveyPanel],
) -> None:
    panel = make_panel(organisations=25)
    pooled = fit_model(panel, "LD", ["LM", "MW"], effects=())
    data = model_data(panel, "LD", ["LM", "MW"])
    groups = pd.factorize(data["organisation"])[0]
    reference = sm.OLS(data["LD"], sm.add_constant(data[["LM", "MW"]])).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    table = pooled.table.set_index("term")
    np.testing.assert_allclose(table["coef"], reference.params[["LM", "MW"]], rtol=1e-9)
    np.testing.assert_allclose(table["std_err"], reference.bse[["LM", "MW"]], rtol=1e-9)
    np.testing.assert_allclose(table["p_value"], reference.pvalues[["LM", "MW"]], rtol=1e-7)
    np.testing.assert_allclose(table["ci_low"], reference.conf_int()[0][["LM", "MW"]], rtol=1e-9)
    assert pooled.r2 == pytest.approx(reference.rsquared)
    one_year = fit_model(panel, "LD", ["LM"], effects=(), years=[2019], cov_type="robust")
    data = model_data(panel, "LD", ["LM"], years=[2019])
    reference = sm.OLS(data["LD"], sm.add_constant(data[["LM"]])).fit(cov_type="HC1", use_t=True)
    row = one_year.table.iloc[0]
    assert row["std_err"] == pytest.approx(reference.bse["LM"], rel=1e-9)
    assert row["p_value"] == pytest.approx(reference.pvalues["LM"], rel=1e-7)
    assert one_year.to_frame().columns.tolist() == [
        "term",
        "coef",
        "std_err",
        "p_value",
        "ci_low",
        "ci_high",
        "n_obs",
        "r2",
    ]


def test_bad_requests_are_explained(make_panel: Callable[..., SurveyPanel]) -> None:
    panel = make_panel()
    with pytest.raises(SurveyConfigError, match="not in the panel: XX"):
        fit_model(panel, "XX", ["LM"])
    with pytest.raises(SurveyConfigError, match="unknown effects"):
        fit_model(panel, "LD", ["LM"], effects=("region",))
    with pytest.raises(SurveyConfigError, match="all be different"):
        fit_model(panel, "LD", ["LD"])


@pytest.mark.shared_data
def test_career_development_on_culture_themes_in_the_real_panel(csps_panel: SurveyPanel) -> None:
    """Learning and development on theme scores, organisation and year effects, 2009-2020."""
    _check_against_linearmodels(csps_panel, "LD", ["LM", "LMC", "MW", "PB"])
    themed = add_theme_measures(csps_panel, load_themes())
    predictors = ["CULT_EMPOWERMENT", "CULT_MISSION", "CULT_RISK_CHANGE", "CULT_OUTWARD_FOCUS"]
    _check_against_linearmodels(themed, "B23", predictors)
    result = fit_model(themed, "B23", predictors)
    assert result.n_periods == 12 and result.n_entities > 100
