"""Relate culture measures to an outcome: cross-sectional OLS and fixed-effects panels.

``fit_model(panel, "LD", ["LM", "LMC", "MW"])`` regresses one measure on others
across organisations. With ``effects=("entity", "time")`` it removes each
organisation's own level and each year's common shock (two-way fixed effects),
so the coefficients describe how an organisation's outcome moves when its own
culture scores move. Standard errors are clustered by organisation by default,
because an organisation's years are not independent.

Conventions:

* Two-way effects are estimated exactly on unbalanced panels (Frisch-Waugh-Lovell:
  organisation-demeaned data with demeaned year dummies).
* Clustered covariance with the small-sample factor G/(G-1)·(N-1)/(N-K), where K
  counts the slopes (and the constant) but not the absorbed effects, as
  linearmodels' ``PanelOLS(...).fit(cov_type="clustered", debiased=True,
  group_debias=True, count_effects=False)``; p-values and intervals use t(G-1),
  as Stata and statsmodels do for clustered errors. Without clustering: HC1
  robust or classical covariance with t(N - coefficients - absorbed effects).
* ``r2`` is the within R² for panel models (the share of variation left after
  the effects that the predictors explain) and the ordinary R² otherwise.
* Elasticity at the mean: coefficient × mean(predictor) / mean(outcome), on the
  untransformed data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import pandas as pd
from scipy import stats

from upstream.survey.errors import SurveyConfigError
from upstream.survey.panel import SurveyPanel

CovType = Literal["cluster", "robust", "classical"]
EFFECTS: Final = ("entity", "time")
RESULT_COLUMNS: Final = (
    "term",
    "coef",
    "std_err",
    "t_stat",
    "p_value",
    "ci_low",
    "ci_high",
    "elasticity",
)


@dataclass
class ModelResult:
    """A fitted model: one row per predictor plus fit statistics.

    Attributes:
        outcome: The outcome measure id.
        predictors: Predictor measure ids, in order.
        effects: Fixed effects removed (``entity``, ``time``, both or none).
        cov_type: ``cluster``, ``robust`` or ``classical``.
        table: Columns ``term, coef, std_err, t_stat, p_value, ci_low, ci_high,
            elasticity``.
        n_obs: Organisation-years used.
        n_entities: Organisations used.
        n_periods: Years used.
        r2: Within R² for panel models, R² otherwise.
        df_inference: Degrees of freedom of the t distribution used.
        n_clusters: Number of clusters (0 when not clustered).
        notes: Plain-English remarks (dropped singletons, missing values...).
    """

    outcome: str
    predictors: list[str]
    effects: tuple[str, ...]
    cov_type: str
    table: pd.DataFrame
    n_obs: int
    n_entities: int
    n_periods: int
    r2: float
    df_inference: int
    n_clusters: int = 0
    notes: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """One row per predictor: ``term, coef, std_err, p_value, ci_low, ci_high, n_obs, r2``."""
        out = self.table[["term", "coef", "std_err", "p_value", "ci_low", "ci_high"]].copy()
        out["n_obs"] = self.n_obs
        out["r2"] = self.r2
        return out


def model_data(
    panel: SurveyPanel,
    outcome: str,
    predictors: Sequence[str],
    *,
    years: Sequence[int] | None = None,
    include_aggregates: bool = False,
) -> pd.DataFrame:
    """The organisation-year table a model uses: complete rows of outcome and predictors.

    Raises:
        SurveyConfigError: If a measure is not in the panel.
    """
    wanted = [outcome, *predictors]
    available = set(panel.scores["measure"])
    missing = [m for m in wanted if m not in available]
    if missing:
        raise SurveyConfigError(
            f"measure(s) not in the panel: {', '.join(missing)}; available: "
            + ", ".join(sorted(available)[:60])
        )
    if len(set(wanted)) != len(wanted):
        raise SurveyConfigError("the outcome and predictors must all be different measures")
    scores = panel.scores
    if not include_aggregates:
        scores = scores[~scores["aggregate"].astype(bool)]
    if years is not None:
        scores = scores[scores["year"].isin(list(years))]
    wide = SurveyPanel(scores=scores).wide(wanted)
    return wide.reindex(columns=wanted).dropna().reset_index()


def _demean(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Subtract each group's mean from ``values`` (rows are observations)."""
    codes, inverse = np.unique(groups, return_inverse=True)
    sums = np.zeros((len(codes), values.shape[1]))
    np.add.at(sums, inverse, values)
    counts = np.bincount(inverse, minlength=len(codes)).astype(float)
    demeaned: np.ndarray = values - (sums / counts[:, None])[inverse]
    return demeaned


def _design(
    data: pd.DataFrame, outcome: str, predictors: Sequence[str], effects: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray, int]:
    """Transformed outcome and design: (y, X, absorbed effect dof); slopes come first."""
    y = data[[outcome]].to_numpy(dtype=float)
    x = data[list(predictors)].to_numpy(dtype=float)
    entities = data["organisation"].to_numpy()
    years = data["year"].to_numpy()
    if not effects:
        return y, np.column_stack([np.ones(len(y)), x]), 0
    if "time" in effects and "entity" in effects:
        dummies = pd.get_dummies(years, drop_first=True, dtype=float).to_numpy()
        x = np.column_stack([x, dummies]) if dummies.size else x
        return _demean(y, entities), _demean(x, entities), len(np.unique(entities))
    groups = entities if "entity" in effects else years
    return _demean(y, groups), _demean(x, groups), len(np.unique(groups))


def _total_ss(y: np.ndarray, x: np.ndarray, k: int, effects: tuple[str, ...]) -> float:
    """Variation left to explain once the effects are removed (the R² denominator)."""
    if not effects:
        return float(((y - y.mean()) ** 2).sum())
    if x.shape[1] > k:  # two-way: take the year dummies out of the entity-demeaned outcome
        dummies = x[:, k:]
        fitted = dummies @ np.linalg.lstsq(dummies, y, rcond=None)[0]
        y = y - fitted
    return float(y @ y)


def _covariance(
    x: np.ndarray,
    residuals: np.ndarray,
    cov_type: CovType,
    clusters: np.ndarray,
    k_counted: int,
    absorbed: int,
) -> tuple[np.ndarray, int, int]:
    """Return (covariance, t degrees of freedom, number of clusters)."""
    n = x.shape[0]
    xtx_inv = np.linalg.inv(x.T @ x)
    if cov_type == "cluster":
        codes, inverse = np.unique(clusters, return_inverse=True)
        scores = np.zeros((len(codes), x.shape[1]))
        np.add.at(scores, inverse, x * residuals[:, None])
        g = len(codes)
        if g < 2:
            raise SurveyConfigError("clustered standard errors need at least two organisations")
        factor = g / (g - 1) * (n - 1) / (n - k_counted)
        return factor * xtx_inv @ (scores.T @ scores) @ xtx_inv, g - 1, g
    df = n - x.shape[1] - absorbed
    if df <= 0:
        raise SurveyConfigError(f"too few observations ({n}) for {x.shape[1]} coefficients")
    if cov_type == "robust":
        meat = (x * residuals[:, None] ** 2).T @ x
        return n / df * xtx_inv @ meat @ xtx_inv, df, 0
    return float(residuals @ residuals) / df * xtx_inv, df, 0


def fit_model(
    panel: SurveyPanel,
    outcome: str,
    predictors: Sequence[str],
    *,
    effects: Sequence[str] = EFFECTS,
    cov_type: CovType = "cluster",
    years: Sequence[int] | None = None,
    alpha: float = 0.05,
    include_aggregates: bool = False,
) -> ModelResult:
    """Regress ``outcome`` on ``predictors`` across organisations (and years).

    Args:
        panel: The harmonised panel.
        outcome: Outcome measure id (e.g. ``LD`` or ``B23``, career development).
        predictors: Predictor measure ids (e.g. theme scores).
        effects: ``("entity", "time")`` for two-way fixed effects, ``("entity",)``,
            ``("time",)``, or ``()`` for pooled/cross-sectional OLS with a constant.
        cov_type: ``cluster`` (by organisation), ``robust`` (HC1) or ``classical``.
        years: Only these years (one year gives a cross-section).
        alpha: 1 - confidence level of the intervals.
        include_aggregates: Also use rows that total other organisations.

    Returns:
        The fitted model.

    Raises:
        SurveyConfigError: If measures are missing, effects are unknown or there
            are too few observations.
    """
    effects = tuple(dict.fromkeys(effects))
    unknown = set(effects) - set(EFFECTS)
    if unknown:
        raise SurveyConfigError(f"unknown effects {sorted(unknown)}: use entity and/or time")
    if not predictors:
        raise SurveyConfigError("give at least one predictor")
    data = model_data(
        panel, outcome, predictors, years=years, include_aggregates=include_aggregates
    )
    notes: list[str] = []
    if "entity" in effects:
        counts = data.groupby("organisation")["year"].transform("size")
        singletons = int((counts == 1).sum())
        if singletons:
            notes.append(f"{singletons} organisations with a single year dropped (no variation)")
            data = data[counts > 1].reset_index(drop=True)
    if len(data) <= len(predictors) + 1:
        raise SurveyConfigError(
            f"only {len(data)} complete organisation-years for {len(predictors)} predictors"
        )
    y, x, absorbed = _design(data, outcome, predictors, effects)
    k = len(predictors)
    params, *_ = np.linalg.lstsq(x, y[:, 0], rcond=None)
    residuals = y[:, 0] - x @ params
    # Absorbed effects (and year dummies) are not counted in the clustered factor.
    k_counted = x.shape[1] if not effects else k
    cov, df, groups = _covariance(
        x, residuals, cov_type, data["organisation"].to_numpy(), k_counted, absorbed
    )
    r2 = 1.0 - float(residuals @ residuals) / _total_ss(y[:, 0], x, k, effects)
    slope = slice(1, k + 1) if not effects else slice(0, k)
    coef = params[slope]
    std_err = np.sqrt(np.diag(cov))[slope]
    t_stat = coef / std_err
    critical = stats.t.ppf(1 - alpha / 2, df)
    means = data[list(predictors)].mean().to_numpy()
    table = pd.DataFrame(
        {
            "term": list(predictors),
            "coef": coef,
            "std_err": std_err,
            "t_stat": t_stat,
            "p_value": 2 * stats.t.sf(np.abs(t_stat), df),
            "ci_low": coef - critical * std_err,
            "ci_high": coef + critical * std_err,
            "elasticity": coef * means / float(data[outcome].mean()),
        }
    )
    if not effects:
        notes.append(
            "pooled OLS with a constant" if data["year"].nunique() > 1 else "cross-section"
        )
    return ModelResult(
        outcome=outcome,
        predictors=list(predictors),
        effects=effects,
        cov_type=cov_type,
        table=table,
        n_obs=len(data),
        n_entities=int(data["organisation"].nunique()),
        n_periods=int(data["year"].nunique()),
        r2=r2,
        df_inference=int(df),
        n_clusters=groups,
        notes=notes,
    )
