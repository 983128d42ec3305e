"""Survey measurement: published panels, respondent surveys, benchmarks, models, self-assessment.

Typical use::

    from upstream.survey import import_published, benchmarks, fit_model

    panel = import_published([Path("csps")])          # every year in the folder
    table = benchmarks(panel)                         # median, upper quartile, mean
    model = fit_model(panel, "LD", ["LM", "MW"])      # two-way fixed effects
"""

from upstream.survey.assessment import (
    Questionnaire,
    element_scores,
    load_questionnaire,
    peer_benchmarks,
    peer_evidence,
    perception_gaps,
    responses_from_table,
    weak_elements,
)
from upstream.survey.benchmarks import benchmarks, gaps, trends
from upstream.survey.charts import gap_bar_chart, radar_chart
from upstream.survey.demo_assessment import demo_assessment
from upstream.survey.errors import SurveyConfigError, SurveyError, SurveyFormatError
from upstream.survey.measures import match_measure
from upstream.survey.orgnames import (
    OrganisationMatcher,
    normalise_name,
    read_mapping,
    write_mapping,
)
from upstream.survey.panel import SurveyPanel
from upstream.survey.published import import_published
from upstream.survey.reference import (
    CSPS_KNOWN_DIFFERENCES,
    compare_with_published,
    match_rates,
    read_published_benchmarks,
)
from upstream.survey.regression import ModelResult, fit_model
from upstream.survey.respondents import (
    combine_organisations,
    engagement_index,
    percent_positive,
    theme_scores,
)
from upstream.survey.themes import ThemeSet, add_theme_measures, load_themes
from upstream.survey.wide import import_wide

__all__ = [
    "CSPS_KNOWN_DIFFERENCES",
    "ModelResult",
    "OrganisationMatcher",
    "Questionnaire",
    "SurveyConfigError",
    "SurveyError",
    "SurveyFormatError",
    "SurveyPanel",
    "ThemeSet",
    "add_theme_measures",
    "benchmarks",
    "combine_organisations",
    "compare_with_published",
    "demo_assessment",
    "element_scores",
    "engagement_index",
    "fit_model",
    "gap_bar_chart",
    "gaps",
    "import_published",
    "import_wide",
    "load_questionnaire",
    "load_themes",
    "match_measure",
    "match_rates",
    "normalise_name",
    "peer_benchmarks",
    "peer_evidence",
    "percent_positive",
    "perception_gaps",
    "radar_chart",
    "read_mapping",
    "read_published_benchmarks",
    "responses_from_table",
    "theme_scores",
    "trends",
    "weak_elements",
    "write_mapping",
]
