"""Plain words for names that arrive as identifiers: attribute columns, run settings."""

from __future__ import annotations

__all__ = ["attribute_label", "embedder_label", "setting_label"]

# Names whose plain reading is not obvious from the column name alone.
_KNOWN = {
    "column": "Workshop board column",
    "grade_band": "Grade",
    "respondent": "Respondent (each person's own name or handle)",
    "visit": "Learning visit",
    "workshop": "Workshop",
    "directorate": "Directorate",
    "ward": "Ward",
    "year": "Year",
    "question": "Question asked",
    "role": "Role",
}


def attribute_label(name: str) -> str:
    """What to call an attribute on a page: ``grade_band`` becomes "Grade".

    Args:
        name: The attribute's name as imported.

    Returns:
        A known plain label, or the name with underscores as spaces and a capital.
    """
    known = _KNOWN.get(name.strip().lower())
    if known:
        return known
    # A column name such as "grade-band" is one identifier; a question such as
    # "How was it done? (0-100)" is already words, and keeps its hyphens.
    spaced = name if " " in name.strip() else name.replace("_", " ").replace("-", " ")
    words = " ".join(spaced.split())
    return words[:1].upper() + words[1:] if words else name


# A run's settings as stored (its record keeps the exact names, for repeating it).
_SETTINGS = {
    "alpha": "How strongly examples outweigh the codebook's own words",
    "back_off": "Fall back to the broader code when unsure",
    "codebook": "Framework",
    "codebook_version": "Framework version",
    "context": "Read each item beside its neighbours",
    "embedder": "Text model",
    "expected_precision": "Expected share of suggestions that are right",
    "explain": "Record why each code was given",
    "folds": "Rounds of checking on the labels",
    "labelled_examples": "Examples people coded",
    "level": "Code level",
    "lexical_dim": "Word features kept",
    "min_labels": "Decisions needed to learn from them on their own",
    "no_code_examples": "Items people found no code fits",
    "mode": "How the coder learned",
    "precision_target": "Share of suggestions that should be right",
    "prior_weight": "Weight of the codebook's own words",
    "seed": "Random seed",
    "self_training": "Learn from its own surest codes",
    "threshold": "Confidence needed to suggest a code",
    "threshold_basis": "What the expected share rests on",
    "threshold_support": "Decisions behind that estimate",
    "zero_shot_temperature": "How sharply the codebook-only coder separates codes",
}


def setting_label(name: str) -> str:
    """What to call a run setting on a page: ``threshold`` is "Confidence needed to suggest a code".

    Args:
        name: The setting's name as the run records it.

    Returns:
        A known plain label, or the name with underscores as spaces and a capital.
    """
    return _SETTINGS.get(name, "") or attribute_label(name)


_EMBEDDERS = {
    "default": "Recommended (all-MiniLM-L6-v2)",
    "minilm": "all-MiniLM-L6-v2",
    "use": "Universal Sentence Encoder (multilingual)",
    "tfidf": "Word counts only (fastest, least accurate)",
    "hashing": "Word hashing (for testing)",
}


def embedder_label(name: str) -> str:
    """A text model's name as a person choosing one reads it ("default" says it is recommended)."""
    return _EMBEDDERS.get(name, name)
