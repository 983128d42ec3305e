"""User-defined survey themes (groups of Likert items) kept as YAML.

The package ships ``culture_themes.yaml`` (empowerment, outward focus, mission,
risk and change). A theme lists its items (ids and wording) and, optionally, the
stable ids of published survey questions that carry it (``csps:``), so the same
themes can be scored on a council's own respondent-level survey and on the
organisation-level Civil Service People Survey panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from upstream.survey.errors import SurveyConfigError
from upstream.survey.measures import THEME
from upstream.survey.panel import SurveyPanel, measures_table

DEFAULT_THEMES = "culture_themes.yaml"


@dataclass(frozen=True)
class Theme:
    """A group of survey items scored together.

    Attributes:
        key: Short id, e.g. ``empowerment``.
        title: Display name.
        description: What the theme means.
        items: Item ids (columns of a respondent-level file).
        texts: Item id → wording.
        published: Stable ids of published survey questions carrying the theme.
    """

    key: str
    title: str
    description: str
    items: tuple[str, ...]
    texts: dict[str, str] = field(default_factory=dict)
    published: tuple[str, ...] = ()

    @property
    def measure_id(self) -> str:
        """The panel measure id of this theme, e.g. ``CULT_EMPOWERMENT``."""
        return f"CULT_{self.key.upper()}"


@dataclass(frozen=True)
class ThemeSet:
    """Themes plus the engagement items of one survey design."""

    key: str
    title: str
    themes: tuple[Theme, ...]
    engagement: tuple[str, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)

    def theme(self, key: str) -> Theme:
        """The theme called ``key``."""
        for theme in self.themes:
            if theme.key == key:
                return theme
        raise SurveyConfigError(f"no theme {key!r}; themes: {', '.join(self.keys)}")

    @property
    def keys(self) -> list[str]:
        """Theme keys in order."""
        return [t.key for t in self.themes]

    @property
    def items(self) -> list[str]:
        """Every item id used by a theme or the engagement index."""
        return list(dict.fromkeys([*(i for t in self.themes for i in t.items), *self.engagement]))


def _items(raw: Any, where: str) -> tuple[tuple[str, ...], dict[str, str]]:
    if not isinstance(raw, list) or not raw:
        raise SurveyConfigError(f"{where}: 'items' must be a non-empty list")
    ids: list[str] = []
    texts: dict[str, str] = {}
    for entry in raw:
        if isinstance(entry, str):
            ids.append(entry)
        elif isinstance(entry, dict) and "id" in entry:
            ids.append(str(entry["id"]))
            texts[str(entry["id"])] = str(entry.get("text", ""))
        else:
            raise SurveyConfigError(f"{where}: each item needs an id (got {entry!r})")
    return tuple(ids), texts


def load_themes(path: Path | None = None) -> ThemeSet:
    """Load a theme YAML file (default: the culture themes shipped with upstream).

    Raises:
        SurveyConfigError: If the file is not a valid theme definition.
    """
    if path is None:
        text = (resources.files("upstream.survey") / "data" / DEFAULT_THEMES).read_text("utf-8")
        where = DEFAULT_THEMES
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SurveyConfigError(f"{where}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("themes"), dict):
        raise SurveyConfigError(f"{where}: expected a mapping with a 'themes:' section")
    themes = []
    all_texts: dict[str, str] = {}
    for key, body in data["themes"].items():
        if not isinstance(body, dict):
            raise SurveyConfigError(f"{where}: theme {key!r} must be a mapping")
        items, texts = _items(body.get("items"), f"{where}, theme {key!r}")
        all_texts.update(texts)
        published = tuple(str(p) for p in body.get("csps", []) or [])
        themes.append(
            Theme(
                str(key),
                str(body.get("title", key)),
                str(body.get("description", "")),
                items,
                texts,
                published,
            )
        )
    engagement: tuple[str, ...] = ()
    if isinstance(data.get("engagement"), dict):
        engagement, _ = _items(data["engagement"].get("items"), f"{where}, engagement")
    for entry in data.get("engagement_items", []) or []:
        if isinstance(entry, dict) and "id" in entry:
            all_texts[str(entry["id"])] = str(entry.get("text", ""))
    return ThemeSet(
        str(data.get("id", "themes")),
        str(data.get("title", "")),
        tuple(themes),
        engagement,
        all_texts,
    )


def add_theme_measures(panel: SurveyPanel, themes: ThemeSet) -> SurveyPanel:
    """Score each theme on an organisation-level panel from its published questions.

    A theme's score for an organisation and year is the mean of its questions'
    scores, and only when every question is present (one definition throughout).

    Returns:
        A new panel with measures such as ``CULT_EMPOWERMENT`` added.
    """
    present = set(panel.scores["measure"])
    # A theme is derived afresh where its questions are in the panel; theme scores
    # stored directly (e.g. from respondent-level answers) are kept as they are.
    derived = {t.measure_id for t in themes.themes if t.published and set(t.published) <= present}
    scores = panel.scores[~panel.scores["measure"].isin(derived)]
    added = []
    labels = []
    for theme in themes.themes:
        if theme.measure_id not in derived:
            continue
        items = scores[scores["measure"].isin(theme.published)]
        keys = ["organisation", "year", "raw_name", "source", "aggregate"]
        grouped = items.groupby(keys, dropna=False).agg(
            value=("value", "mean"), n=("measure", "nunique"), respondents=("respondents", "max")
        )
        complete = grouped[grouped["n"] == len(theme.published)].reset_index()
        complete["measure"] = theme.measure_id
        added.append(complete[list(scores.columns)])
        labels.append(
            (
                theme.measure_id,
                f"{theme.title} (culture theme: {', '.join(theme.published)})",
                THEME,
            )
        )
    new_scores = pd.concat([scores, *added], ignore_index=True).astype(scores.dtypes.to_dict())
    existing = [(str(r.measure), str(r.label), str(r.kind)) for r in panel.measures.itertuples()]
    return SurveyPanel(
        scores=new_scores,
        measures=measures_table([*existing, *labels]),
        mapping=panel.mapping,
        published=panel.published,
        files=panel.files,
        notes=panel.notes,
        scales=panel.scales,
    )
