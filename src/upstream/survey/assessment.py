"""Self-assessment against a framework (New Operating Models by default).

Many people in each organisation rate each framework element on five maturity
levels. This module scores each element per organisation (mean level, 1-5),
separately for role groups (leaders and frontline) to show perception gaps,
benchmarks each element across peer organisations (quartiles), and lists, for
each weak element, the peers that score higher, with a hook for their coded
evidence. Any group of fewer than 10 respondents is suppressed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import yaml

from upstream.policy import FEWER_THAN, suppressed
from upstream.survey.errors import SurveyConfigError

DEFAULT_QUESTIONNAIRE: Final = "nom_assessment.yaml"
RESPONSE_COLUMNS: Final = ("organisation", "respondent", "role_group", "element", "level")
LEADERS: Final = "leader"
FRONTLINE: Final = "frontline"

EvidenceSource = Callable[[str, str], Sequence[str]] | Mapping[str, Mapping[str, Sequence[str]]]
"""Where peer evidence comes from: ``f(element_code, peer) -> quotes`` or a nested mapping."""


@dataclass(frozen=True)
class Element:
    """One framework element and its five maturity levels."""

    key: str
    code: str
    title: str
    question: str
    levels: dict[int, str]


@dataclass(frozen=True)
class Questionnaire:
    """A self-assessment questionnaire: elements rated on named maturity levels."""

    key: str
    title: str
    framework: str
    level_names: dict[int, str]
    elements: tuple[Element, ...]

    @property
    def keys(self) -> list[str]:
        """Element keys in order."""
        return [e.key for e in self.elements]

    def element(self, key: str) -> Element:
        """The element called ``key``."""
        for element in self.elements:
            if element.key == key:
                return element
        raise SurveyConfigError(f"no element {key!r}; elements: {', '.join(self.keys)}")


def load_questionnaire(path: Path | None = None) -> Questionnaire:
    """Load a questionnaire YAML (default: the New Operating Models self-assessment).

    Raises:
        SurveyConfigError: If an element lacks a key, a title or exactly five levels.
    """
    if path is None:
        source = resources.files("upstream.survey") / "data" / DEFAULT_QUESTIONNAIRE
        text, where = source.read_text("utf-8"), DEFAULT_QUESTIONNAIRE
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise SurveyConfigError(f"{where}: expected a mapping with an 'elements:' list")
    elements = []
    for number, raw in enumerate(data["elements"], start=1):
        if not isinstance(raw, dict) or not raw.get("key") or not raw.get("title"):
            raise SurveyConfigError(f"{where}: element {number} needs a key and a title")
        levels = {int(k): str(v) for k, v in (raw.get("levels") or {}).items()}
        if sorted(levels) != [1, 2, 3, 4, 5]:
            raise SurveyConfigError(f"{where}: element {raw['key']!r} needs levels 1 to 5")
        elements.append(
            Element(
                str(raw["key"]),
                str(raw.get("code", raw["key"])),
                str(raw["title"]),
                str(raw.get("question", "")),
                levels,
            )
        )
    names = {int(k): str(v) for k, v in (data.get("levels") or {}).items()}
    return Questionnaire(
        str(data.get("id", "assessment")),
        str(data.get("title", "")),
        str(data.get("framework", "")),
        names,
        tuple(elements),
    )


def responses_from_table(
    table: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    org_column: str = "organisation",
    respondent_column: str = "respondent",
    role_column: str = "role_group",
) -> pd.DataFrame:
    """Normalise responses to long form, accepting long or wide input.

    Long input has ``element`` and ``level`` columns; wide input has one column
    per element key. Levels must be whole numbers 1-5; blanks are skipped.

    Returns:
        Columns ``organisation, respondent, role_group, element, level``.

    Raises:
        SurveyConfigError: If columns are missing, elements unknown or levels out of range.
    """
    missing = [c for c in (org_column, respondent_column) if c not in table.columns]
    if missing:
        raise SurveyConfigError(
            f"column(s) {', '.join(missing)} not found; columns: "
            + ", ".join(map(str, table.columns))
        )
    roles = table[role_column] if role_column in table.columns else ""
    base = pd.DataFrame(
        {
            "organisation": table[org_column],
            "respondent": table[respondent_column],
            "role_group": roles,
        }
    )
    if {"element", "level"} <= set(table.columns):
        long = base.assign(element=table["element"], level=table["level"])
    else:
        present = [k for k in questionnaire.keys if k in table.columns]
        if not present:
            raise SurveyConfigError(
                "no element columns found: expected 'element' and 'level' columns, or one "
                f"column per element ({', '.join(questionnaire.keys)})"
            )
        long = pd.concat(
            [base.assign(element=key, level=table[key]) for key in present], ignore_index=True
        )
    long = long.dropna(subset=["level"])
    long = long[long["level"].astype(str).str.strip() != ""]
    unknown = sorted(set(long["element"]) - set(questionnaire.keys))
    if unknown:
        raise SurveyConfigError(f"unknown element(s) {', '.join(map(str, unknown))}")
    levels = pd.to_numeric(long["level"], errors="coerce")
    bad = long[levels.isna() | ~levels.isin([1, 2, 3, 4, 5])]
    if len(bad):
        raise SurveyConfigError(
            f"{len(bad)} ratings are not whole numbers 1-5, e.g. {bad['level'].iloc[0]!r} "
            f"for {bad['element'].iloc[0]!r}"
        )
    long = long.assign(
        level=levels.astype(int),
        role_group=long["role_group"].fillna("").astype(str).str.strip().str.lower(),
        respondent=long["respondent"].astype(str),
        organisation=long["organisation"].astype(str),
    )
    return long[list(RESPONSE_COLUMNS)].reset_index(drop=True)


def _score(
    frame: pd.DataFrame, keys: list[str], questionnaire: Questionnaire, suppress: bool
) -> pd.DataFrame:
    grouped = frame.groupby([*keys, "element"], sort=True)["level"].agg(n="count", mean="mean")
    table = grouped.reset_index()
    small = table["n"].map(lambda n: suppress and suppressed(int(n))).astype(bool)
    table.loc[small, "mean"] = np.nan
    table["suppressed"] = small
    table["title"] = table["element"].map({e.key: e.title for e in questionnaire.elements})
    table["display"] = [
        FEWER_THAN if s else f"{v:.1f}" for s, v in zip(small, table["mean"], strict=True)
    ]
    order = {k: i for i, k in enumerate(questionnaire.keys)}
    table = table.sort_values(
        [*keys, "element"], key=lambda c: c.map(order) if c.name == "element" else c
    )
    return table[[*keys, "element", "title", "n", "mean", "suppressed", "display"]].reset_index(
        drop=True
    )


def element_scores(
    responses: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    by_role: bool = False,
    suppress: bool = True,
) -> pd.DataFrame:
    """Mean maturity level (1-5) per organisation and element (and role group).

    Args:
        responses: Long responses (see :func:`responses_from_table`).
        questionnaire: The questionnaire rated.
        by_role: Score each role group separately.
        suppress: Hide groups of fewer than 10 people; only ratings an organisation
            agreed together, which describe no one person, are scored without.

    Returns:
        Columns ``organisation, [role_group,] element, title, n, mean, suppressed, display``.
    """
    keys = ["organisation", "role_group"] if by_role else ["organisation"]
    return _score(responses, keys, questionnaire, suppress)


def perception_gaps(
    responses: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    high: str = LEADERS,
    low: str = FRONTLINE,
) -> pd.DataFrame:
    """How far leaders' ratings differ from frontline staff's, per organisation and element.

    Returns:
        Columns ``organisation, element, title, <high>, <low>, n_<high>, n_<low>,
        gap`` (high minus low; empty when either group is suppressed).
    """
    by_role = element_scores(responses, questionnaire, by_role=True)
    by_role = by_role[by_role["role_group"].isin([high, low])]
    means = by_role.pivot_table(
        index=["organisation", "element"], columns="role_group", values="mean", dropna=False
    )
    counts = by_role.pivot_table(
        index=["organisation", "element"], columns="role_group", values="n", fill_value=0
    )
    table = pd.DataFrame(index=counts.index)
    for group in (high, low):
        table[group] = means[group] if group in means.columns else np.nan
        table[f"n_{group}"] = counts[group].astype(int) if group in counts.columns else 0
    table["gap"] = table[high] - table[low]
    table = table.reset_index()
    table["title"] = table["element"].map({e.key: e.title for e in questionnaire.elements})
    order = {k: i for i, k in enumerate(questionnaire.keys)}
    table = table.sort_values(
        ["organisation", "element"], key=lambda c: c.map(order) if c.name == "element" else c
    )
    columns = ["organisation", "element", "title", high, low, f"n_{high}", f"n_{low}", "gap"]
    return table[columns].reset_index(drop=True)


def peer_benchmarks(scores: pd.DataFrame) -> pd.DataFrame:
    """Across organisations: lower quartile, median, upper quartile and mean per element.

    Args:
        scores: Output of :func:`element_scores` (organisation level).

    Returns:
        Columns ``element, title, n_orgs, lower_quartile, median, upper_quartile, mean``.
    """
    usable = scores.dropna(subset=["mean"])
    table = usable.groupby(["element", "title"], sort=False)["mean"].agg(
        n_orgs="count",
        lower_quartile=lambda s: s.quantile(0.25),
        median="median",
        upper_quartile=lambda s: s.quantile(0.75),
        mean="mean",
    )
    return table.reset_index()


def weak_elements(
    scores: pd.DataFrame,
    organisation: str,
    *,
    benchmarks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """An organisation's elements below the peer median, with the peers scoring higher.

    Returns:
        Columns ``element, title, score, median, gap, peers_higher`` (peers sorted
        from the highest score down), weakest first.

    Raises:
        SurveyConfigError: If the organisation has no scores.
    """
    mine = scores[(scores["organisation"] == organisation)].dropna(subset=["mean"])
    if mine.empty:
        known = ", ".join(sorted(scores["organisation"].unique()))
        raise SurveyConfigError(
            f"no unsuppressed scores for {organisation!r}; organisations: {known}"
        )
    marks = benchmarks if benchmarks is not None else peer_benchmarks(scores)
    medians = {str(r["element"]): float(r["median"]) for r in marks.to_dict("records")}
    rows = []
    for item in mine.to_dict("records"):
        element, score = str(item["element"]), float(item["mean"])
        median = medians[element]
        if score >= median:
            continue
        peers = scores[(scores["element"] == element) & (scores["mean"] > score)]
        peers = peers[peers["organisation"] != organisation].sort_values("mean", ascending=False)
        rows.append(
            (
                element,
                str(item["title"]),
                score,
                median,
                score - median,
                [str(p) for p in peers["organisation"]],
            )
        )
    table = pd.DataFrame(
        rows, columns=["element", "title", "score", "median", "gap", "peers_higher"]
    )
    return table.sort_values("gap").reset_index(drop=True)


def peer_evidence(
    weak: pd.DataFrame,
    questionnaire: Questionnaire,
    evidence: EvidenceSource,
    *,
    peers_per_element: int = 3,
) -> pd.DataFrame:
    """Attach peers' coded evidence to each weak element.

    Args:
        weak: Output of :func:`weak_elements`.
        questionnaire: Gives each element's framework code (e.g. ``mindset.values``).
        evidence: ``f(code, peer) -> quotes``, or a mapping ``code -> peer -> quotes``
            (keyed by framework code such as ``mindset.values`` or by element key).
        peers_per_element: How many of the higher-scoring peers to look up.

    Returns:
        Columns ``element, code, peer, evidence`` (one row per quote; a peer with no
        evidence gets one row with an empty quote).
    """
    rows = []
    for item in weak.to_dict("records"):
        element = str(item["element"])
        code = questionnaire.element(element).code
        for peer in [str(p) for p in item["peers_higher"]][:peers_per_element]:
            if callable(evidence):
                quotes = [str(q) for q in evidence(code, peer)]
            else:
                by_peer = evidence.get(code) or evidence.get(element) or {}
                quotes = [str(q) for q in by_peer.get(peer, [])]
            rows += [(element, code, peer, q) for q in quotes] or [(element, code, peer, "")]
    return pd.DataFrame(rows, columns=["element", "code", "peer", "evidence"])
